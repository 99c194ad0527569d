"""Build Gradio's own demos under Gradio and under nbdemo (aliased as ``gradio``).

A measurement, not a CI test. Given a gradio-app/gradio checkout (only its
``demo/`` folder is read), every ``demo/<name>/run.py`` is executed as
``__main__`` twice: once with the real Gradio (``--gradio-python``, a venv
with gradio installed) and once with ``gradio`` resolving to nbdemo (this
interpreter). ``launch()`` is patched out in both. A demo *builds* when its
script runs to the end; under nbdemo each top-level ``Blocks`` it leaves
behind must also produce the page's config (the standalone page's JSON), so a
demo that builds a tree the page cannot show counts as failing.

Cost: each side imports its library once in a worker process and forks one
child per demo (a subprocess with its own timeout, killed by its PID), so the
whole folder takes a few CPU-minutes, not one Gradio import per demo. Use
``--match`` / ``--limit`` for a subset, ``--jobs`` to run children in parallel
(default 1: the machine is shared), and ``--gradio-cache`` to reuse the Gradio
side's results (they change only with the checkout).

Output: counts, the demos that build under Gradio but not nbdemo grouped by
first failure (normalised: ``module 'gradio' has no attribute 'LinePlot'`` →
``gr.LinePlot``), and the nbdemo warnings raised while building (an argument
nbdemo does not support warns, naming it). ``--json`` writes every result.

Stand-ins, both said in the output: ``gradio.media`` (Gradio's sample-media
helpers, a file in the gradio package, also exported as ``gr.get_image`` …) is
loaded from the Gradio venv when running under nbdemo; a demo that fails under nbdemo only because this
interpreter lacks a third-party package the Gradio venv has is counted apart
("environment"), not as an nbdemo failure.

Usage::

    python benchmarks/gradio_demos.py /tmp/gradio-src \
        --gradio-python /tmp/gradio-venv/bin/python [--match plot] [--limit 40] \
        [--gradio-cache /tmp/gradio_side.json] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ENV = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
       "HF_DATASETS_OFFLINE": "1", "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}


# --------------------------------------------------------------------------- worker side
def _alias_gradio_to_nbdemo(media_file: str | None) -> None:
    """``import gradio`` / ``gradio.x`` → ``nbdemo`` / ``nbdemo.x``; ``gradio.media`` → Gradio's file."""
    import importlib.abc
    import importlib.util

    import nbdemo

    class Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, fullname, path, target=None):
            if not fullname.startswith("gradio."):
                return None
            if fullname == "gradio.media" and media_file:
                return importlib.util.spec_from_file_location(fullname, media_file)
            try:
                self._target = importlib.import_module("nbdemo" + fullname[len("gradio"):])
            except ImportError:
                return None
            return importlib.util.spec_from_loader(fullname, self)

        def create_module(self, spec):
            return self._target

        def exec_module(self, module):
            pass

    sys.modules["gradio"] = nbdemo
    sys.meta_path.insert(0, Alias())
    if media_file:  # Gradio 6 also exports the sample-media helpers at the top level
        spec = importlib.util.spec_from_file_location("gradio.media", media_file)
        media = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(media)
        sys.modules["gradio.media"] = media
        for name in ("get_image", "get_video", "get_audio", "get_file", "get_model3d"):
            setattr(nbdemo, name, getattr(media, name))


def _prepare(side: str, media_file: str | None) -> None:
    os.environ.update(ENV)
    if side == "gradio":
        import gradio

        gradio.Blocks.launch = lambda self, *a, **k: (None, None, None)
        return
    try:
        import nbdemo
    except ImportError:  # a source checkout that is not installed: this file's project
        sys.path.insert(0, str(HERE.parent.parent))
        import nbdemo
    import nbdemo.components  # noqa: F401 - the widgets, once, before forking
    import nbdemo.server.handlers  # noqa: F401
    from nbdemo.blocks import Blocks

    Blocks.launch = lambda self, *a, **k: (None, None, None)
    nbdemo.Interface  # noqa: B018 - loads the notebook door too, as the public API does
    for heavy in ("numpy", "pandas", "PIL.Image"):
        try:
            __import__(heavy)
        except ImportError:
            pass
    _alias_gradio_to_nbdemo(media_file)


def _check_nbdemo(namespace: dict) -> None:
    """Every top-level Blocks the demo left must give the page's config."""
    from nbdemo.blocks import Blocks
    from nbdemo.server.handlers import Mount

    for value in list(namespace.values()):
        if isinstance(value, Blocks) and value.parent is None:
            json.dumps(Mount("/", value).config(), default=str)


def _run_one(side: str, run_py: str) -> dict:
    import runpy
    import warnings

    demo_dir = os.path.dirname(run_py)
    os.chdir(demo_dir)
    sys.path.insert(0, demo_dir)
    sys.argv = [run_py]
    caught: list[str] = []

    def record(message, category, filename, lineno, file=None, line=None):
        if side == "nbdemo" and issubclass(category, UserWarning):
            caught.append(f"{category.__name__}: {message}")

    warnings.showwarning = record
    warnings.simplefilter("always")
    try:
        ns = runpy.run_path(run_py, run_name="__main__")
        if side == "nbdemo":
            _check_nbdemo(ns)
    except BaseException as e:  # noqa: BLE001 - SystemExit and all: this is the measurement
        import traceback

        tb = traceback.extract_tb(e.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb)
                      if f.filename == run_py), "")
        return {"ok": False, "error": type(e).__name__, "message": str(e)[:300], "where": where,
                "warnings": caught}
    return {"ok": True, "warnings": caught}


def worker(side: str, demos: list[str], timeout: float, jobs: int, media_file: str | None) -> None:
    """Import the library once, then fork one child per demo; print one JSON line each."""
    out = os.fdopen(os.dup(1), "w")  # results only; what imports print goes to stderr
    os.dup2(2, 1)
    _prepare(side, media_file)
    pending = list(demos)
    running: dict[int, tuple[str, int, float]] = {}  # pid → (name, read fd, deadline)
    buffers: dict[int, bytes] = {}
    while pending or running:
        while pending and len(running) < jobs:
            name = pending.pop(0)
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # child
                os.close(r)
                os.setpgid(0, 0)
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                try:
                    result = _run_one(side, name)
                except BaseException as e:  # noqa: BLE001
                    result = {"ok": False, "error": type(e).__name__, "message": str(e)[:300]}
                try:
                    data = json.dumps(result, default=str).encode()
                except Exception as e:  # noqa: BLE001
                    data = json.dumps({"ok": False, "error": "Unserialisable", "message": str(e)}).encode()
                os.write(w, data)
                os.close(w)
                os._exit(0)
            os.close(w)
            running[pid] = (name, r, time.monotonic() + timeout)
            buffers[r] = b""
        fds = [r for _, r, _ in running.values()]
        ready, _, _ = select.select(fds, [], [], 0.2)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            buffers[fd] += chunk
            if chunk:
                continue
            pid = next(p for p, (_, r, _) in running.items() if r == fd)
            name, _, _ = running.pop(pid)
            os.close(fd)
            _reap(pid)
            raw = buffers.pop(fd)
            try:
                result = json.loads(raw) if raw else {"ok": False, "error": "Crashed",
                                                      "message": "child exited without a result"}
            except ValueError:
                result = {"ok": False, "error": "Crashed", "message": raw[:200].decode(errors="replace")}
            out.write(json.dumps({"demo": _demo_name(name), **result}) + "\n")
            out.flush()
        now = time.monotonic()
        for pid, (name, fd, deadline) in list(running.items()):
            if now > deadline:
                _kill_group(pid)
                running.pop(pid)
                os.close(fd)
                buffers.pop(fd, None)
                _reap(pid)
                out.write(json.dumps({"demo": _demo_name(name), "ok": False, "error": "Timeout",
                                      "message": f"still running after {timeout:g} s"}) + "\n")
                out.flush()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    _kill_group(pid)  # threads or subprocesses a demo started in its group


def _demo_name(run_py: str) -> str:
    return Path(run_py).parent.name


# --------------------------------------------------------------------------- driver side
_CAUSES = [
    (r"module '(?:gradio|nbdemo)' has no attribute '(\w+)'", lambda m: f"gr.{m[1]}"),
    (r"No module named '(gradio[\w.]*)'", lambda m: f"import {m[1]}"),
    (r"No module named '([\w]+)", lambda m: f"environment: missing module {m[1]}"),
    (r"'(\w+)' object has no attribute '(\w+)'", lambda m: f"{m[1]}.{m[2]}"),
    (r"type object '(\w+)' has no attribute '(\w+)'", lambda m: f"{m[1]}.{m[2]}"),
    (r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'", lambda m: f"{m[1]}({m[2]}=)"),
    (r"(\w+)\(\) got an unexpected keyword argument '(\w+)'", lambda m: f"{m[1]}({m[2]}=)"),
    (r"unexpected keyword argument '(\w+)'", lambda m: f"unexpected argument {m[1]}="),
    (r"(\w+) is not supported|not supported[^:]*: (\w+)", lambda m: f"unsupported: {m[0][:60]}"),
]


def cause_of(result: dict) -> str:
    msg = result.get("message", "")
    for pattern, name in _CAUSES:
        m = re.search(pattern, msg)
        if m:
            return name(m)
    plain = re.sub(r"\b[0-9]+\b", "N", msg)
    return f"{result.get('error')}: {plain[:90]}"


def run_side(python: str, side: str, demos: list[str], timeout: float, jobs: int,
             media_file: str | None) -> dict[str, dict]:
    cmd = [python, str(HERE), "--worker", side, "--timeout", str(timeout), "--jobs", str(jobs)]
    if media_file:
        cmd += ["--media-file", media_file]
    env = {**os.environ, **ENV}
    proc = subprocess.Popen([*cmd, *demos], stdout=subprocess.PIPE, env=env, text=True,
                            start_new_session=True)
    results = {}
    for line in proc.stdout:
        rec = json.loads(line)
        results[rec.pop("demo")] = rec
    proc.wait()
    return results


def _gradio_media_file(python: str) -> str | None:
    try:
        out = subprocess.run([python, "-c", "import importlib.util as u; "
                              "print(u.find_spec('gradio.media').origin)"],
                             capture_output=True, text=True, env={**os.environ, **ENV}, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.stdout.strip()
    return path if path.endswith(".py") else None


def report(names: list[str], grad: dict[str, dict], nbd: dict[str, dict], shown: int) -> None:
    built_g = [n for n in names if grad.get(n, {}).get("ok")]
    env = [n for n in built_g if not nbd[n]["ok"] and cause_of(nbd[n]).startswith("environment")]
    counted = [n for n in built_g if n not in env]
    both = [n for n in counted if nbd[n]["ok"]]
    warned = [n for n in both if nbd[n].get("warnings")]
    print(f"demos: {len(names)}; build under Gradio: {len(built_g)}")
    print(f"  of those, need a package this interpreter lacks (not counted): {len(env)}")
    pct = 100 * len(both) / len(counted) if counted else 0.0
    print(f"  build under nbdemo: {len(both)} / {len(counted)} ({pct:.1f}%); "
          f"{len(warned)} of them with nbdemo warnings")
    print(f"  build under nbdemo but not Gradio: "
          f"{sum(1 for n in names if nbd.get(n, {}).get('ok') and not grad.get(n, {}).get('ok'))}")
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for n in counted:
        if not nbd[n]["ok"]:
            groups[cause_of(nbd[n])].append(n)
    print("\nfirst failure under nbdemo, by cause:")
    for cause, demos in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(demos):3d}  {cause}")
        for d in demos[:shown]:
            r = nbd[d]
            print(f"         {d} ({r.get('where', '')}): {r.get('error')}: {r.get('message', '')[:110]}")
    wgroups: collections.Counter = collections.Counter()
    for n in warned:
        for w in set(nbd[n]["warnings"]):
            wgroups[re.sub(r"\b\d+\b", "N", w)[:120]] += 1
    if wgroups:
        print("\nnbdemo warnings while building (demos):")
        for w, c in wgroups.most_common(25):
            print(f"  {c:3d}  {w}")
    genv = collections.Counter(cause_of(nbd[n]) for n in env)
    if genv:
        print("\nnot counted (environment):", ", ".join(f"{k[len('environment: missing module '):]} {v}"
                                                    for k, v in genv.most_common()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkout", nargs="?", help="a gradio-app/gradio checkout (its demo/ folder is read)")
    ap.add_argument("--gradio-python", default="/tmp/gradio-venv/bin/python")
    ap.add_argument("--match", help="only demos whose folder name contains this "
                    "(comma-separated: any of these)")
    ap.add_argument("--limit", type=int, help="only the first N demos (sorted by name)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per demo (default 60)")
    ap.add_argument("--jobs", type=int, default=1, help="demos built at once per side (default 1)")
    ap.add_argument("--gradio-cache", help="JSON of the Gradio side's results: read if present, else written")
    ap.add_argument("--json", help="write every result here")
    ap.add_argument("--show", type=int, default=3, help="example demos shown per cause")
    ap.add_argument("--worker", choices=["gradio", "nbdemo"], help=argparse.SUPPRESS)
    ap.add_argument("--media-file", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args(argv)
    if args.worker:
        worker(args.worker, [args.checkout, *rest] if args.checkout else rest, args.timeout,
               args.jobs, args.media_file)
        return
    root = Path(args.checkout or "").resolve() / "demo"
    if not root.is_dir():
        ap.error(f"{root} is not a folder; give the path of a gradio-app/gradio checkout")
    runs = sorted(str(p) for p in root.glob("*/run.py"))
    if args.match:
        wanted = [m for m in args.match.split(",") if m]
        runs = [r for r in runs if any(m in _demo_name(r) for m in wanted)]
    if args.limit:
        runs = runs[:args.limit]
    names = [_demo_name(r) for r in runs]
    grad: dict[str, dict] = {}
    if args.gradio_cache and Path(args.gradio_cache).exists():
        grad = json.loads(Path(args.gradio_cache).read_text())
    todo = [r for r in runs if _demo_name(r) not in grad]
    if todo:
        grad.update(run_side(args.gradio_python, "gradio", todo, args.timeout, args.jobs, None))
        if args.gradio_cache:
            Path(args.gradio_cache).write_text(json.dumps(grad, indent=1))
    media = _gradio_media_file(args.gradio_python)
    nbd = run_side(sys.executable, "nbdemo", runs, args.timeout, args.jobs, media)
    for n in names:
        nbd.setdefault(n, {"ok": False, "error": "NoResult", "message": "the worker stopped early"})
    if media:
        print(f"(stand-in: gradio.media loaded from {media})")
    report(names, grad, nbd, args.show)
    if args.json:
        Path(args.json).write_text(json.dumps({"gradio": {n: grad.get(n) for n in names},
                                               "nbdemo": nbd}, indent=1))


if __name__ == "__main__":
    main()
