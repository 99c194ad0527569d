"""Measure the hello-world demo (``nbdemo/demos/hello.py``) end to end.

Run from the repository root (or anywhere):

    python benchmarks/bench_hello.py            # nbdemo: standalone, inline (JupyterLab),
                                                # and the Jupyter door (proxy, share link)
    python benchmarks/bench_hello.py --gradio   # also Gradio's equivalent, from /tmp/gradio-venv

Prints a table and writes ``benchmarks/results.json``. See benchmarks/README.md
for what each figure means. This is a measurement, not a test: it has no
thresholds and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, Proc, free_port, jupyter_env, wait_http  # noqa: E402

HELLO = ROOT / "nbdemo" / "demos" / "hello.py"
GRADIO_PY = Path(os.environ.get("GRADIO_VENV", "/tmp/gradio-venv")) / "bin" / "python"

# The same function and labels as nbdemo/demos/hello.py, for the notebook and for Gradio.
HELLO_CELL = '''import nbdemo as gr

def greet(name: str) -> str:
    return f"Hello, {name}!"

demo = gr.Interface(greet, "text", "text", title="Hello, world")
demo'''

GRADIO_APP = '''import sys
import gradio as gr

def greet(name: str) -> str:
    return f"Hello, {name}!"

demo = gr.Interface(greet, "text", "text", title="Hello, world")
demo.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]))
'''

# Runs in the page. Records performance.now() right before a JS-dispatched click
# on the button and, until the output shows `expected`:
#  - dom:   when the output element's `value` is assigned `expected` (a setter
#           hook on that one element: exact, no polling);
#  - frame: the first requestAnimationFrame callback that sees `expected`
#           (the frame in which the user can see it; quantised to ~16.7 ms).
MEASURE_JS = """async ([out, btn, expected, timeoutMs]) => {
  const proto = Object.getPrototypeOf(out);
  const desc = Object.getOwnPropertyDescriptor(proto, "value");
  let domAt = null;
  Object.defineProperty(out, "value", {
    configurable: true,
    get() { return desc.get.call(this); },
    set(v) { desc.set.call(this, v); if (domAt === null && v === expected) domAt = performance.now(); },
  });
  return await new Promise((resolve) => {
    const finish = (r) => { delete out.value; resolve(r); };
    const t0 = performance.now();
    btn.click();
    const tick = () => {
      const now = performance.now();
      if (out.value === expected) {
        finish({ frame: now - t0, dom: domAt === null ? null : domAt - t0 });
      } else if (now - t0 > timeoutMs) {
        finish({ error: "timeout", value: out.value });
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
}"""


# ---------------------------------------------------------------- small helpers

def median(xs):
    return statistics.median(xs) if xs else None


def p90(xs):
    """Nearest-rank 90th percentile (the 18th of 20 sorted samples)."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def time_python(python: str, code: str, runs: int) -> list[float]:
    """Wall time (s) of `python -c code`, one fresh process per run, after one
    discarded warm-up run (fills the OS file cache and writes .pyc files)."""
    subprocess.run([python, "-c", code], check=True, capture_output=True)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([python, "-c", code], check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def start_timed(args: list[str], url: str, cwd: Path, log_path: Path, env: dict | None = None,
                timeout: float = 90.0) -> tuple[Proc, float]:
    """Spawn `args` in its own process group and poll `url` every 10 ms; return
    the process and the seconds from spawn to the first HTTP 200."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    t0 = time.perf_counter()
    proc = Proc(args, env=env, cwd=cwd, log=log_path)
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.proc.returncode}:\n{proc.log()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return proc, time.perf_counter() - t0
        except Exception:
            pass
        time.sleep(0.01)
    proc.stop()
    raise TimeoutError(f"{url} did not answer in {timeout}s:\n{proc.log()}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # kB -> MiB
    raise RuntimeError(f"no VmRSS for pid {pid}")


def click_latencies(page, scope, n: int, prefix: str, timeout_ms: int = 10000) -> list[dict]:
    """Type a distinct name, then measure one click in the page; `n` times."""
    out = scope.get_by_label("output", exact=True).element_handle()
    btn = scope.get_by_role("button", name="Submit").element_handle()
    name_box = scope.get_by_label("name", exact=True)
    results = []
    for i in range(n):
        name = f"{prefix}-{i}-{time.monotonic_ns() % 100000}"
        name_box.fill(name)
        page.wait_for_timeout(50)  # let the typed value reach the server before the clock starts
        r = page.evaluate(MEASURE_JS, [out, btn, f"Hello, {name}!", timeout_ms])
        if "error" in r:
            raise RuntimeError(f"click {i}: output stayed {r.get('value')!r}")
        results.append(r)
    return results


def summarise_clicks(samples: list[dict]) -> dict:
    frame = [s["frame"] for s in samples]
    dom = [s["dom"] for s in samples if s["dom"] is not None]
    return {"n": len(samples), "frame_ms_median": median(frame), "frame_ms_p90": p90(frame),
            "dom_ms_median": median(dom), "dom_ms_p90": p90(dom),
            "dom_hook_fired": len(dom), "samples": samples}


class PageWeight:
    """Every request of one page load, with its wire size."""

    def __init__(self, page):
        self.finished, self.failed = [], []
        page.on("requestfinished", lambda r: self.finished.append(r))
        page.on("requestfailed", lambda r: self.failed.append(r))

    def result(self) -> dict:
        rows = []
        for r in self.finished:
            sizes = r.sizes()
            resp = r.response()
            try:
                decoded = len(resp.body()) if resp else 0
            except Exception:  # redirects have no body
                decoded = 0
            rows.append({"url": r.url, "status": resp.status if resp else None,
                         "encoding": (resp.headers.get("content-encoding") if resp else None),
                         "body_wire": sizes["responseBodySize"], "headers": sizes["responseHeadersSize"],
                         "body_decoded": decoded})
        return {"requests": len(rows), "failed_requests": [r.url for r in self.failed],
                "body_bytes_wire": sum(x["body_wire"] for x in rows),
                "body_bytes_decoded": sum(x["body_decoded"] for x in rows),
                "header_bytes": sum(max(0, x["headers"]) for x in rows), "detail": rows}


# ---------------------------------------------------------------- the front doors

def bench_standalone(browser, server_args, url_of, ready, tmp: Path, starts: int, clicks: int,
                     label: str, env: dict | None = None, bypass_csp: bool = False) -> dict:
    """Start-to-first-page (x starts), then page weight, RSS and click latency on the last."""
    times, procs = [], []
    try:
        for i in range(starts):
            port = free_port()
            proc, secs = start_timed(server_args(port), url_of(port), cwd=tmp,
                                     log_path=tmp / f"{label}-server-{i}.log", env=env)
            times.append(secs)
            log(f"{label}: server start {i + 1}/{starts}: {secs * 1000:.0f} ms")
            if i < starts - 1:
                proc.stop()
            else:
                procs.append(proc)
        proc = procs[0]
        ctx = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=bypass_csp)
        try:
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            weight = PageWeight(page)
            t0 = time.perf_counter()
            page.goto(url_of(port))
            ready(page)
            page_ready_s = time.perf_counter() - t0
            page.wait_for_load_state("networkidle")
            page_weight = weight.result()
            first = click_latencies(page, page, 1, f"{label}-first")[0]
            rss_one = rss_mb(proc.proc.pid)
            samples = click_latencies(page, page, clicks, label)
            rss_after = rss_mb(proc.proc.pid)
            page.screenshot(path=str(tmp / f"{label}-standalone.png"), full_page=True)
        finally:
            ctx.close()
    finally:
        for p in procs:
            p.stop()
    return {"start_to_first_page_s": times, "start_to_first_page_s_median": median(times),
            "page_ready_s": page_ready_s, "page_weight": page_weight,
            "rss_mb_after_first_click": rss_one, "rss_mb_after_all_clicks": rss_after,
            "first_click": first, "clicks": summarise_clicks(samples), "page_errors": errors}


def nbdemo_ready(page):
    page.wait_for_selector("body[data-nbdemo-ready]", timeout=30000)


def gradio_ready(page):
    page.get_by_role("button", name="Submit").wait_for(state="visible", timeout=60000)
    page.get_by_label("output", exact=True).wait_for(state="visible", timeout=60000)


# Diagnostic only (--kernel-ws-nodelay): jupyter-server's kernel WebSocket does
# not set TCP_NODELAY; this config file makes it do so, to show what that costs.
NODELAY_CONFIG = '''
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler as _H
_open = _H.open
async def _open_nodelay(self, kernel_id):
    self.set_nodelay(True)
    return await _open(self, kernel_id)
_H.open = _open_nodelay
'''


def start_jupyter_lab(tmp: Path, kernel_ws_nodelay: bool = False) -> tuple[Proc, str, str, Path]:
    """A real `jupyter lab` on a free port with isolated config dirs, like the
    `jupyter_lab` fixture in tests/conftest.py."""
    root = tmp / "root"
    root.mkdir()
    env = jupyter_env(tmp, lab=True)
    if kernel_ws_nodelay:
        (tmp / "config" / "jupyter_server_config.py").write_text(NODELAY_CONFIG)
    port, token = free_port(), "nbdemo-bench-token"
    proc = Proc([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", f"--IdentityProvider.token={token}",
                 f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0", "--allow-root",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                env=env, cwd=root, log=tmp / "jupyter.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(f"{url}api/status?token={token}", timeout=60, proc=proc.proc)
    except Exception as e:
        proc.stop()
        raise RuntimeError(proc.log()) from e
    return proc, url, token, root


def wait_kernel_idle(url: str, token: str, timeout: float = 90.0) -> None:
    """Until the server has a started kernel, idle, with the page connected (so
    Run All is timed from a ready kernel, not from kernel start-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}api/kernels?token={token}", timeout=10) as r:
                kernels = json.loads(r.read())
        except urllib.error.HTTPError as e:  # seen once: a 500 while a kernel was starting
            log(f"GET /api/kernels: HTTP {e.code}, retrying")
            time.sleep(0.2)
            continue
        if any(k.get("execution_state") == "idle" and k.get("connections", 0) >= 1 for k in kernels):
            return
        time.sleep(0.1)
    raise TimeoutError("no idle, connected kernel")


def bench_inline(browser, tmp: Path, clicks: int, kernel_ws_nodelay: bool = False) -> dict:
    import nbformat

    label = "inline-nodelay" if kernel_ws_nodelay else "inline"
    jtmp = tmp / f"jlab-{label}"
    jtmp.mkdir()
    proc, url, token, root = start_jupyter_lab(jtmp, kernel_ws_nodelay)
    try:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(HELLO_CELL)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        nbformat.write(nb, str(root / "bench_hello.ipynb"))
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{url}lab/tree/bench_hello.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=90000)
            page.locator(".jp-Toolbar-kernelName", has_text="Python").first.wait_for(timeout=90000)
            wait_kernel_idle(url, token)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            t0 = time.perf_counter()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            app = page.locator(".nbd-app[data-nbdemo-ready]").first
            app.wait_for(state="visible", timeout=90000)
            run_all_to_ready_s = time.perf_counter() - t0
            first = click_latencies(page, app, 1, f"{label}-first")[0]
            samples = click_latencies(page, app, clicks, label)
            page.screenshot(path=str(tmp / f"nbdemo-{label}.png"), full_page=True)
        finally:
            ctx.close()
    finally:
        proc.stop()
    return {"run_all_to_demo_ready_s": run_all_to_ready_s, "first_click": first,
            "clicks": summarise_clicks(samples), "page_errors": errors}


def bench_jupyter_door(browser, tmp: Path, clicks: int) -> dict:
    """The same demo shown in a kernel of a real `jupyter server`, used as a page
    through the extension's proxy (owner, Jupyter login) and through a share
    link (a fresh browser context): page weight and click -> output."""
    from test_jupyter_door import TOKEN, Kernel

    jtmp = tmp / "jserver-door"
    jtmp.mkdir()
    env = jupyter_env(jtmp)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    port = free_port()
    proc = Proc([sys.executable, "-m", "jupyter", "server", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", f"--IdentityProvider.token={TOKEN}", "--allow-root",
                 f"--ServerApp.root_dir={jtmp}", "--ServerApp.port_retries=0"],
                env=env, cwd=jtmp, log=jtmp / "server.log")
    url = f"http://127.0.0.1:{port}/"
    out: dict = {}
    kernel = None
    try:
        wait_http(f"{url}api/status?token={TOKEN}", timeout=60, proc=proc.proc)
        kernel = Kernel(url, "bench_hello.ipynb")
        printed = kernel.run(HELLO_CELL + "\n_, page_url, share_url = demo.launch(share=True)\n"
                             "print('URLS', page_url, share_url)")
        page_url, share_url = printed.split("URLS ", 1)[1].split()
        for door, target, login in (("jupyter_proxy", page_url, True), ("share_link", share_url, False)):
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            try:
                page = ctx.new_page()
                if login:  # Jupyter's login cookie, as the owner's browser has it
                    page.goto(f"{url}nbdemo/?token={TOKEN}")
                errors = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                weight = PageWeight(page)
                t0 = time.perf_counter()
                page.goto(target)
                nbdemo_ready(page)
                ready_s = time.perf_counter() - t0
                page.wait_for_load_state("networkidle")
                first = click_latencies(page, page, 1, f"{door}-first")[0]
                samples = click_latencies(page, page, clicks, door)
                page.screenshot(path=str(tmp / f"nbdemo-{door}.png"), full_page=True)
                out[door] = {"page_ready_s": ready_s, "page_weight": weight.result(),
                             "first_click": first, "clicks": summarise_clicks(samples),
                             "page_errors": errors}
            finally:
                ctx.close()
    finally:
        if kernel is not None:
            kernel.close()
        proc.stop()
    return out


# ---------------------------------------------------------------- report

def fmt(x, unit="", nd=1):
    return "n/a" if x is None else f"{x:.{nd}f}{unit}"


def table(results: dict) -> str:
    cols = [k for k in ("nbdemo", "gradio") if k in results]
    rows: list[tuple[str, list[str]]] = []

    def row(name, fn):
        vals = []
        for c in cols:
            try:
                vals.append(fn(results[c]))
            except (KeyError, TypeError):
                vals.append("n/a")
        rows.append((name, vals))

    st = results["settings"]
    row(f"python -c pass, median of {st['imports']}", lambda r: fmt(r["python_pass_s_median"] * 1000, " ms", 0))
    row(f"import <pkg>, median of {st['imports']}", lambda r: fmt(r["import_s_median"] * 1000, " ms", 0))
    row(f"server start -> first 200, median of {st['starts']}", lambda r: fmt(r["standalone"]["start_to_first_page_s_median"] * 1000, " ms", 0))
    row("server RSS after load + 1 click", lambda r: fmt(r["standalone"]["rss_mb_after_first_click"], " MiB"))
    row("server RSS after all clicks", lambda r: fmt(r["standalone"]["rss_mb_after_all_clicks"], " MiB"))
    row("page weight, bodies on the wire", lambda r: fmt(r["standalone"]["page_weight"]["body_bytes_wire"] / 1024, " KiB"))
    row("page weight, bodies decoded", lambda r: fmt(r["standalone"]["page_weight"]["body_bytes_decoded"] / 1024, " KiB"))
    row("page requests (failed)", lambda r: f'{r["standalone"]["page_weight"]["requests"]} ({len(r["standalone"]["page_weight"]["failed_requests"])})')
    row("page goto -> demo ready", lambda r: fmt(r["standalone"]["page_ready_s"] * 1000, " ms", 0))
    for door, shown in (("jupyter_proxy", "Jupyter proxy"), ("share_link", "share link")):
        if any(door in results[c] for c in cols):
            row(f"{shown}: page weight, bodies on the wire",
                lambda r, d=door: fmt(r[d]["page_weight"]["body_bytes_wire"] / 1024, " KiB"))
            row(f"{shown}: page requests (failed)",
                lambda r, d=door: f'{r[d]["page_weight"]["requests"]} ({len(r[d]["page_weight"]["failed_requests"])})')
    doors = {"standalone": "standalone", "inline": "inline",
             "inline_kernel_ws_nodelay": "inline, kernel WS nodelay",
             "jupyter_proxy": "Jupyter proxy", "share_link": "share link"}
    for door, shown in doors.items():
        if not any(door in results[c] for c in cols):
            continue
        row(f"{shown}: first click -> output (frame)", lambda r, d=door: fmt(r[d]["first_click"]["frame"], " ms"))
        row(f"{shown}: click -> output (frame), median of {st['clicks']}", lambda r, d=door: fmt(r[d]["clicks"]["frame_ms_median"], " ms"))
        row(f"{shown}: click -> output (frame), p90", lambda r, d=door: fmt(r[d]["clicks"]["frame_ms_p90"], " ms"))
        row(f"{shown}: click -> output (DOM), median of {st['clicks']}", lambda r, d=door: fmt(r[d]["clicks"]["dom_ms_median"], " ms"))
        row(f"{shown}: click -> output (DOM), p90", lambda r, d=door: fmt(r[d]["clicks"]["dom_ms_p90"], " ms"))
    row("inline: Run All -> demo ready", lambda r: fmt(r["inline"]["run_all_to_demo_ready_s"] * 1000, " ms", 0))

    w0 = max(len(n) for n, _ in rows)
    w = [max(len(c), *(len(v[i]) for _, v in rows)) for i, c in enumerate(cols)]
    lines = [f"{'hello-world demo':<{w0}}  " + "  ".join(f"{c:>{w[i]}}" for i, c in enumerate(cols))]
    lines.append("-" * len(lines[0]))
    for name, vals in rows:
        lines.append(f"{name:<{w0}}  " + "  ".join(f"{v:>{w[i]}}" for i, v in enumerate(vals)))
    return "\n".join(lines)


def environment() -> dict:
    def out(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception:
            return None
    import playwright
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "chromium": out([CHROMIUM, "--version"]),
            "playwright": getattr(playwright, "__version__", None),
            "nbdemo_commit": out(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clicks", type=int, default=20, help="measured clicks per front door (default 20)")
    ap.add_argument("--starts", type=int, default=3, help="server starts to time (default 3)")
    ap.add_argument("--imports", type=int, default=5, help="fresh import processes (default 5)")
    ap.add_argument("--no-inline", action="store_true", help="skip the JupyterLab (inline) front door")
    ap.add_argument("--no-jupyter-door", action="store_true",
                    help="skip the demo as a page through the Jupyter extension (proxy, share link)")
    ap.add_argument("--only-jupyter-door", action="store_true",
                    help="measure only the Jupyter door (no imports, standalone, inline)")
    ap.add_argument("--kernel-ws-nodelay", action="store_true",
                    help="diagnostic: also measure inline with TCP_NODELAY patched onto "
                         "jupyter-server's kernel WebSocket")
    ap.add_argument("--gradio", action="store_true", help=f"also measure Gradio from {GRADIO_PY}")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, screenshots)")
    args = ap.parse_args(argv)

    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="nbdemo-bench-"))
    results: dict = {"environment": environment(),
                     "settings": {"imports": args.imports, "starts": args.starts, "clicks": args.clicks}}
    py = sys.executable

    log("import times")
    nb = results["nbdemo"] = {}
    nb["python_pass_s"] = time_python(py, "pass", args.imports)
    nb["python_pass_s_median"] = median(nb["python_pass_s"])
    nb["import_s"] = time_python(py, "import nbdemo", args.imports)
    nb["import_s_median"] = median(nb["import_s"])

    gradio_ok = False
    if args.gradio:
        if GRADIO_PY.exists():
            gr = results["gradio"] = {}
            try:
                ver = subprocess.run([str(GRADIO_PY), "-c", "import gradio; print(gradio.__version__)"],
                                     capture_output=True, text=True, check=True).stdout.strip()
                gr["version"] = ver
                gr["python_pass_s"] = time_python(str(GRADIO_PY), "pass", args.imports)
                gr["python_pass_s_median"] = median(gr["python_pass_s"])
                gr["import_s"] = time_python(str(GRADIO_PY), "import gradio", args.imports)
                gr["import_s_median"] = median(gr["import_s"])
                gradio_ok = True
            except subprocess.CalledProcessError as e:
                gr["error"] = f"import gradio failed: {e.stderr[-500:]}"
                log(gr["error"])
        else:
            log(f"--gradio: {GRADIO_PY} not found, skipped (see benchmarks/README.md)")
            results["gradio"] = {"error": f"{GRADIO_PY} not found"}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            if not args.only_jupyter_door:
                log("nbdemo standalone")
                nb["standalone"] = bench_standalone(
                    browser, lambda port: [py, "-m", "nbdemo", "run", str(HELLO), "--port", str(port)],
                    lambda port: f"http://127.0.0.1:{port}/", nbdemo_ready, tmp, args.starts,
                    args.clicks, "nbdemo")
            if not args.no_jupyter_door:
                log("nbdemo through the Jupyter door (proxy, share link)")
                nb.update(bench_jupyter_door(browser, tmp, args.clicks))
            if not args.no_inline and not args.only_jupyter_door:
                log("nbdemo inline in JupyterLab")
                nb["inline"] = bench_inline(browser, tmp, args.clicks)
                if args.kernel_ws_nodelay:
                    log("nbdemo inline, kernel WebSocket with TCP_NODELAY (diagnostic)")
                    nb["inline_kernel_ws_nodelay"] = bench_inline(browser, tmp, args.clicks, True)
            if gradio_ok:
                log("gradio standalone")
                app = tmp / "gradio_hello.py"
                app.write_text(GRADIO_APP)
                genv = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
                        "HF_HUB_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1"}
                try:
                    results["gradio"]["standalone"] = bench_standalone(
                        browser, lambda port: [str(GRADIO_PY), str(app), str(port)],
                        lambda port: f"http://127.0.0.1:{port}/", gradio_ready, tmp, args.starts,
                        args.clicks, "gradio", env=genv)
                except Exception as e:  # optional comparison: report, don't fail the run
                    results["gradio"]["error"] = f"{type(e).__name__}: {e}"[:2000]
                    log(f"gradio failed: {results['gradio']['error']}")
        finally:
            browser.close()

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    env = results["environment"]
    print(f"\n{env['chromium']}, Python {env['python']}, {env['cpus']} CPUs "
          f"(load {env['loadavg_at_start'][0]:.2f} at start), nbdemo {env['nbdemo_commit']}"
          + (f", gradio {results['gradio'].get('version')}" if args.gradio else ""))
    print(f"raw samples: {args.json}")
    if args.keep:
        print(f"logs and screenshots: {tmp}")
    else:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
