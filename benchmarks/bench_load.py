"""Load: many concurrent page sessions firing events, nbdemo and Gradio side by side.

    python benchmarks/bench_load.py                  # 200 sessions x 50 events, both demos (~5 min)
    python benchmarks/bench_load.py --only nbdemo --sessions 50 --events 20

Two demos (``benchmarks/load_apps.py``): ``echo`` (Textbox -> Button -> Textbox,
``fn`` returns its input) and ``counter`` (``gr.State(0)``, a click runs
``fn(n) -> (n + 1, f"{n + 1}")`` into [state, textbox]). Each is served in turn by
nbdemo, by Gradio with its default queue, and by Gradio with
``demo.queue(default_concurrency_limit=None)``. ``load_client.mjs`` (Node) opens
``--sessions`` page sessions through each server's own browser protocol and each
session sends ``--events`` events one after the other; the sessions run at the
same time. Before that, the same client against ``load_mock_server.mjs`` (answers
at once, does nothing else) gives the client's own ceiling.

With two or more CPUs the server is pinned to CPU 0 and the client to CPU 1
(``taskset``). Prints a table to stdout (progress to stderr) and writes the
figures and the environment to ``benchmarks/results_load.json``. It is a
measurement, not a test: no thresholds, not collected by pytest. See
benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
APPS = BENCH / "load_apps.py"
CLIENT = BENCH / "load_client.mjs"
MOCK = BENCH / "load_mock_server.mjs"
GRADIO_PY = Path(os.environ.get("GRADIO_VENV", "/tmp/gradio-venv")) / "bin" / "python"
GRADIO_ENV = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
              "HF_HUB_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1"}

SCENARIOS = ("echo", "counter")
#: what runs, in order: (key, shown as, library)
TARGETS = (("nbdemo", "nbdemo", "nbdemo"),
           ("gradio", "gradio, default queue", "gradio"),
           ("gradio_unlimited", "gradio, concurrency_limit=None", "gradio"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(f"[bench_load] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinning() -> tuple[list[str], list[str]]:
    """``taskset`` prefixes: the server on CPU 0, the client on CPU 1 (when possible)."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        return [], []
    return ["taskset", "-c", str(cpus[0])], ["taskset", "-c", str(cpus[1])]


class Server:
    """A server in its own process group (``start_new_session``), ended by its PID."""

    def __init__(self, args: list[str], log_path: Path, env: dict | None = None):
        self.log_path = log_path
        self.out = open(log_path, "wb")
        self.proc = subprocess.Popen(args, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                                     cwd=BENCH, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid  # taskset execs the server: same PID

    def wait_http(self, url: str, timeout: float = 120.0) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        return time.monotonic() - t0
            except Exception:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"{url} did not answer in {timeout} s:\n{self.tail()}")

    def tail(self, n: int = 3000) -> str:
        self.out.flush()
        return self.log_path.read_text(errors="replace")[-n:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.out.close()


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS since the process started) in kB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class RssSampler(threading.Thread):
    """Samples the server's VmRSS every 50 ms while the load runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[int] = []
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            rss = proc_status(self.pid).get("VmRSS")
            if rss is not None:
                self.samples.append(rss)
            self.stop_event.wait(0.05)

    def finish(self) -> dict:
        self.stop_event.set()
        self.join()
        end = proc_status(self.pid)
        return {"rss_mib_peak_sampled": max(self.samples) / 1024 if self.samples else None,
                "rss_mib_end": end.get("VmRSS", 0) / 1024 or None,
                "hwm_mib": end.get("VmHWM", 0) / 1024 or None,
                "rss_samples": len(self.samples)}


# ---------------------------------------------------------------- component ids from /config

def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def nbdemo_ids(base: str, scenario: str) -> dict:
    comps = get_json(base + "page_config")["components"]

    def find(kind: str, key: str, text: str) -> int:
        hits = [int(i) for i, c in comps.items() if c["kind"] == kind and c["props"].get(key) == text]
        if len(hits) != 1:
            raise RuntimeError(f"nbdemo /config: {len(hits)} {kind} with {key}={text!r}")
        return hits[0]

    ids = {"button": find("button", "value", "load send"),
           "output": find("textbox", "label", "load output")}
    if scenario == "echo":
        ids["input"] = find("textbox", "label", "load input")
    return ids


def gradio_ids(base: str, scenario: str) -> dict:
    config = get_json(base + "config")

    def find(kind: str, key: str, text: str) -> int:
        hits = [c["id"] for c in config["components"]
                if c.get("type") == kind and c.get("props", {}).get(key) == text]
        if len(hits) != 1:
            raise RuntimeError(f"gradio /config: {len(hits)} {kind} with {key}={text!r}")
        return hits[0]

    button = find("button", "value", "load send")
    output = find("textbox", "label", "load output")
    deps = [d for d in config["dependencies"] if [button, "click"] in d["targets"]]
    if len(deps) != 1:
        raise RuntimeError(f"gradio /config: {len(deps)} listeners of the button's click")
    dep = deps[0]
    inp = find("textbox", "label", "load input") if scenario == "echo" else None
    return {"api_prefix": config.get("api_prefix", "/gradio_api"), "fn_index": dep["id"],
            "trigger_id": button, "inputs": dep["inputs"],
            "input_index": dep["inputs"].index(inp) if inp is not None else -1,
            "output_index": dep["outputs"].index(output),
            "heartbeat": bool(config.get("connect_heartbeat")),
            "protocol": config.get("protocol"), "version": config.get("version")}


# ---------------------------------------------------------------- one run

def percentile(sorted_xs: list[float], q: float) -> float | None:
    """Nearest rank."""
    if not sorted_xs:
        return None
    return sorted_xs[max(0, math.ceil(q / 100 * len(sorted_xs)) - 1)]


def run_client(spec: dict, client_pin: list[str]) -> dict:
    args = [*client_pin, "node", str(CLIENT), json.dumps(spec)]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=None, text=True,
                          timeout=spec["max_seconds"] + 120, start_new_session=True)
    if proc.returncode != 0:
        raise RuntimeError(f"load client exited with {proc.returncode}")
    return json.loads(proc.stdout)


def summarise(raw: dict, keep_raw: bool) -> dict:
    lat = sorted(x for x in raw.pop("latencies_ms") if x is not None)
    out = dict(raw)
    ended = raw["ended"]
    out["events_per_s"] = ended / (raw["wall_ms"] / 1000) if raw["wall_ms"] else None
    out["latency_ms"] = {"p50": percentile(lat, 50), "p90": percentile(lat, 90),
                         "p99": percentile(lat, 99), "p99.9": percentile(lat, 99.9),
                         "max": lat[-1] if lat else None,
                         "mean": sum(lat) / len(lat) if lat else None, "n": len(lat)}
    # counts per power-of-two bucket in ms: "<1", "1-2", "2-4", ...
    hist: dict[str, int] = {}
    for x in lat:
        b = 0 if x < 1 else int(math.log2(x)) + 1
        key = "<1" if b == 0 else f"{2 ** (b - 1)}-{2 ** b}"
        hist[key] = hist.get(key, 0) + 1
    out["latency_histogram_ms"] = hist
    if raw["scenario"] == "counter":
        # the last value of each session that sent all its events (it must be str(events))
        finals = raw.get("counter_finals") or []
        out["counter_sessions_final_ok"] = sum(1 for v in finals if v == str(raw["events"]))
        out["counter_sessions_final_wrong"] = len(finals) - out["counter_sessions_final_ok"]
        out["counter_finals"] = sorted({str(v) for v in finals})[:20]  # the distinct values
    out["planned"] = raw["sessions"] * raw["events"]
    if keep_raw:
        out["latencies_ms_sorted"] = lat
    return out


def measure(label: str, server: Server, base: str, spec: dict, client_pin: list[str],
            keep_raw: bool, profile: Path | None = None) -> dict:
    pid = server.pid
    before = proc_status(pid)
    loadavg = [round(x, 2) for x in os.getloadavg()]
    sampler = RssSampler(pid)
    spy = None
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        spy = subprocess.Popen(
            [*client_pin, "py-spy", "record", "--pid", str(pid), "--rate", "200", "--nonblocking",
             "--threads", "--idle", "--format", "raw", "-o", str(profile / f"{label}.txt")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        time.sleep(1.0)
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    sampler.start()
    try:
        raw = run_client(spec, client_pin)
    finally:
        mem = sampler.finish()
        cpu1, t1 = cpu_seconds(pid), time.monotonic()
        if spy is not None:
            os.killpg(spy.pid, signal.SIGINT)  # py-spy writes its output on SIGINT
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(spy.pid, signal.SIGKILL)
                spy.wait(5)
    out = summarise(raw, keep_raw)
    out.update(mem)
    out["rss_mib_before"] = before.get("VmRSS", 0) / 1024 or None
    out["server_cpu_s"] = cpu1 - cpu0
    out["server_cpu_pct"] = 100 * (cpu1 - cpu0) / (t1 - t0)
    # events per second of server CPU: the server's cost per event, less sensitive than
    # events/s to other work on the machine taking the server's CPU
    out["events_per_server_cpu_s"] = out["ended"] / (cpu1 - cpu0) if cpu1 > cpu0 else None
    out["server_window_s"] = t1 - t0
    out["loadavg_at_start"] = loadavg
    out["server_log_tail"] = server.tail(1500)
    return out


def client_spec(args, protocol: str, base: str, scenario: str, ids: dict) -> dict:
    return {"protocol": protocol, "base": base, "scenario": scenario, "sessions": args.sessions,
            "events": args.events, "timeout_ms": int(args.timeout * 1000),
            "max_seconds": args.max_seconds, protocol: ids}


def run_target(args, key: str, lib: str, scenario: str, tmp: Path, server_pin, client_pin) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    if lib == "nbdemo":
        cmd = [*server_pin, sys.executable, str(APPS), "nbdemo", scenario, str(port)]
        env = {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    else:
        cmd = [*server_pin, str(GRADIO_PY), str(APPS), "gradio", scenario, str(port)]
        if key == "gradio_unlimited":
            cmd.append("--unlimited")
        env = GRADIO_ENV
    server = Server(cmd, tmp / f"{key}-{scenario}.log", env=env)
    try:
        start_s = server.wait_http(base + "config")
        ids = nbdemo_ids(base, scenario) if lib == "nbdemo" else gradio_ids(base, scenario)
        time.sleep(0.5)  # let start-up work settle before the clock starts
        log(f"{key} {scenario}: server up in {start_s:.1f} s (pid {server.pid}), "
            f"{args.sessions} sessions x {args.events} events")
        profile = args.profile if (args.profile is not None and lib == "nbdemo") else None
        out = measure(f"{key}-{scenario}", server, base, client_spec(args, lib, base, scenario, ids),
                      client_pin, args.raw, profile)
        out["server_start_s"] = start_s
        out["ids"] = ids
        return out
    finally:
        server.stop()


def run_ceiling(args, scenario: str, tmp: Path, server_pin, client_pin) -> dict:
    """The client alone: against a server that answers at once."""
    out = {}
    for protocol in ("nbdemo", "gradio"):
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        server = Server([*server_pin, "node", str(MOCK), str(port), scenario],
                        tmp / f"mock-{protocol}.log")
        try:
            server.wait_http(base)
            ids = ({"input": 1, "button": 2, "output": 3} if protocol == "nbdemo" else
                   {"api_prefix": "/gradio_api", "fn_index": 0, "trigger_id": 2, "inputs": [1],
                    "input_index": 0, "output_index": 0, "heartbeat": scenario == "counter"})
            if scenario == "counter":
                ids = ({"button": 2, "output": 3} if protocol == "nbdemo" else
                       {**ids, "inputs": [None], "input_index": -1, "output_index": 1})
            log(f"client ceiling, {protocol} protocol, {scenario}: mock server (pid {server.pid})")
            r = measure(f"mock-{protocol}-{scenario}", server, base,
                        client_spec(args, protocol, base, scenario, ids), client_pin, args.raw)
            r["client_cpu_us_per_event"] = (1e6 * r["client_cpu_s"] / r["ended"]) if r["ended"] else None
            r["client_events_per_cpu_s"] = (r["ended"] / r["client_cpu_s"]) if r["client_cpu_s"] else None
            out[protocol] = r
        finally:
            server.stop()
    return out


# ---------------------------------------------------------------- report

def fmt(x, nd=0, unit=""):
    return "n/a" if x is None else f"{x:,.{nd}f}{unit}"


def table(results: dict) -> str:
    head = ["scenario", "server", "events/s", "p50 ms", "p99 ms", "max ms", "done", "lost", "wrong",
            "peak RSS MiB", "server CPU", "events/CPU-s", "client CPU"]
    rows = []

    def add(scenario, shown, r):
        if "error" in r:
            rows.append([scenario, shown, "failed: " + r["error"][:60]] + [""] * (len(head) - 3))
            return
        lat = r["latency_ms"]
        wrong = r["wrong"] + r.get("counter_sessions_final_wrong", 0)
        rows.append([scenario, shown, fmt(r["events_per_s"]), fmt(lat["p50"], 1), fmt(lat["p99"], 1),
                     fmt(lat["max"], 0), f'{r["ended"]:,}/{r["planned"]:,}', f'{r["lost"]:,}', f"{wrong:,}",
                     fmt(r["rss_mib_peak_sampled"], 1), fmt(r["server_cpu_pct"], 0, "%"),
                     fmt(r["events_per_server_cpu_s"]), fmt(r["client_cpu_pct"], 0, "%")])

    names = dict((k, shown) for k, shown, _ in TARGETS)
    for scenario in SCENARIOS:
        runs = results["runs"].get(scenario, {})
        for key in ("nbdemo", "gradio", "gradio_unlimited"):
            if key in runs:
                add(scenario, names[key], runs[key])
        for protocol, r in results.get("client_ceiling", {}).get(scenario, {}).items():
            add(scenario, f"mock, {protocol} protocol (client ceiling)", r)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = "  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))
    out = [line, "-" * len(line)]
    for r in rows:
        out.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    notes = []
    for scenario in SCENARIOS:
        for key, r in results["runs"].get(scenario, {}).items():
            if r.get("stopped_early"):
                notes.append(f"{scenario}, {names[key]}: stopped after --max-seconds; "
                             f"{r['stopped_early']:,} events not sent (not counted as lost)")
    for scenario in SCENARIOS:
        runs = results["runs"].get(scenario, {})
        nb = runs.get("nbdemo", {}).get("events_per_s")
        for key in ("gradio", "gradio_unlimited"):
            g = runs.get(key, {}).get("events_per_s")
            if nb and g:
                notes.append(f"{scenario}: nbdemo / {names[key]} = {nb / g:.1f}x events/s")
    for scenario, by in results.get("client_ceiling", {}).items():
        for protocol, r in by.items():
            if r.get("client_events_per_cpu_s"):
                notes.append(f"client alone ({protocol} protocol, {scenario}): "
                             f"{r['client_cpu_us_per_event']:.0f} us CPU per event, i.e. "
                             f"~{r['client_events_per_cpu_s']:,.0f} events/s at 100% of one CPU")
    return "\n".join(out + [""] + notes)


def git(*a: str) -> str | None:
    try:
        return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except Exception:
        return None


def environment(server_pin, client_pin) -> dict:
    def out(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception:
            return None

    import tornado

    dirty = git("status", "--porcelain", "--", "nbdemo")
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "nbdemo_commit": git("rev-parse", "--short", "HEAD"),
            # the engine is edited in this working tree: what was measured is HEAD plus these
            "nbdemo_uncommitted": dirty.splitlines() if dirty else [],
            "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "affinity": sorted(os.sched_getaffinity(0)),
            "server_pinned": " ".join(server_pin) or None, "client_pinned": " ".join(client_pin) or None,
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "node": out(["node", "--version"]), "tornado": tornado.version,
            "gradio": out([str(GRADIO_PY), "-c", "import gradio; print(gradio.__version__)"])
            if GRADIO_PY.exists() else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=200, help="concurrent page sessions (200)")
    ap.add_argument("--events", type=int, default=50, help="events per session, one after the other (50)")
    ap.add_argument("--only", choices=("nbdemo", "gradio"), help="measure one library only")
    ap.add_argument("--scenario", choices=SCENARIOS, action="append",
                    help="echo and/or counter (default both)")
    ap.add_argument("--no-ceiling", action="store_true", help="skip the client-alone runs")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds an event may take before it counts as lost (30)")
    ap.add_argument("--max-seconds", type=int, default=180,
                    help="send no new events after this long in one run (180); those left count "
                         "as not sent, not as lost")
    ap.add_argument("--json", type=Path, default=BENCH / "results_load.json")
    ap.add_argument("--raw", action="store_true", help="also store every latency in the json")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="record the nbdemo server with py-spy (raw collapsed stacks) into DIR")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir with the server logs")
    args = ap.parse_args(argv)

    if shutil.which("node") is None:
        log("node not found (Node >= 18 is needed for the load client)")
        return 2
    scenarios = args.scenario or list(SCENARIOS)
    server_pin, client_pin = pinning()
    targets = [t for t in TARGETS if args.only is None or t[2] == args.only]
    if any(lib == "gradio" for _, _, lib in targets) and not GRADIO_PY.exists():
        log(f"{GRADIO_PY} not found: Gradio skipped (see benchmarks/README.md)")
        targets = [t for t in targets if t[2] != "gradio"]
    tmp = Path(tempfile.mkdtemp(prefix="nbdemo-bench-load-"))
    results: dict = {"environment": environment(server_pin, client_pin),
                     "settings": {"sessions": args.sessions, "events": args.events,
                                  "timeout_s": args.timeout, "scenarios": scenarios,
                                  "targets": [k for k, _, _ in targets]},
                     "runs": {}}
    log(f"server {' '.join(server_pin) or 'not pinned'}, client {' '.join(client_pin) or 'not pinned'}; "
        f"load average {os.getloadavg()[0]:.2f}")
    try:
        if not args.no_ceiling:
            results["client_ceiling"] = {}
            for scenario in scenarios:
                results["client_ceiling"][scenario] = run_ceiling(args, scenario, tmp, server_pin, client_pin)
        for scenario in scenarios:
            runs = results["runs"][scenario] = {}
            for key, _shown, lib in targets:
                try:
                    runs[key] = run_target(args, key, lib, scenario, tmp, server_pin, client_pin)
                except Exception as e:  # report it, go on with the others
                    runs[key] = {"error": f"{type(e).__name__}: {e}"[:3000]}
                    log(f"{key} {scenario} failed: {runs[key]['error']}")
    finally:
        results["environment"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n")
        if args.keep:
            log(f"server logs: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(table(results))
    env = results["environment"]
    print(f"\n{args.sessions} sessions x {args.events} events; nbdemo {env['nbdemo_commit']}"
          f"{' + uncommitted changes' if env['nbdemo_uncommitted'] else ''}, gradio {env['gradio']}, "
          f"node {env['node']}, Python {env['python']}, {env['cpus']} CPUs "
          f"(load {env['loadavg_at_start'][0]:.2f} at start, {env['loadavg_at_end'][0]:.2f} at end); "
          f"server {env['server_pinned'] or 'not pinned'}, client {env['client_pinned'] or 'not pinned'}")
    print(f"figures: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
