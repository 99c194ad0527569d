"""``gr.render``, side by side: Gradio's own render demos under nbdemo and Gradio.

    python benchmarks/bench_render.py /tmp/gradio-src            # nbdemo only
    python benchmarks/bench_render.py /tmp/gradio-src --gradio   # also Gradio, from /tmp/gradio-venv

Each demo's ``run.py`` (from a gradio-app/gradio checkout) runs as a script
in its own process group on a free port: under Gradio with the Gradio venv's
Python, under nbdemo with ``gradio`` resolving to nbdemo (as
``gradio_demos.py`` does). Headless Chromium then measures:

- ``render_split_simple`` (a Textbox; a render makes one Textbox per letter):
  from filling the input with a word to the page showing one box per letter,
  the last holding the last letter, ``--fills`` times (words of 2 to 11 letters);
- ``render_heavy_concurrently`` (two renders of 500 Textboxes and a Button
  each, on page load): from ``page.goto`` to both "DONE" buttons visible,
  ``--loads`` fresh pages.

Writes ``benchmarks/results_render.json``. A measurement, not a test: no
thresholds, not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, Proc, free_port, wait_http  # noqa: E402

GRADIO_VENV = Path(os.environ.get("GRADIO_VENV", "/tmp/gradio-venv"))
ENV = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}

# runs a Gradio demo's run.py under nbdemo: `gradio` is nbdemo (benchmarks/gradio_demos.py)
NBDEMO_LAUNCHER = f"""
import runpy, sys
sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
sys.path.insert(0, {str(ROOT)!r})
import gradio_demos
gradio_demos._alias_gradio_to_nbdemo(None)
sys.path.insert(0, ".")
runpy.run_path("run.py", run_name="__main__")
"""

WORDS = ["ab", "xyz", "hello", "nbdemo!", "rendering", "abcdefghijk"]


def serve(tool: str, demo_dir: Path, log: Path) -> tuple[Proc, str]:
    port = free_port()
    env = {**os.environ, **ENV, "GRADIO_SERVER_PORT": str(port), "NBDEMO_SERVER_PORT": str(port)}
    if tool == "gradio":
        args = [str(GRADIO_VENV / "bin" / "python"), "run.py"]
    else:
        args = [sys.executable, "-c", NBDEMO_LAUNCHER]
    proc = Proc(args, env=env, cwd=demo_dir, log=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, timeout=120, proc=proc.proc)
    except Exception:
        proc.stop()
        raise RuntimeError(proc.log()[-2000:]) from None
    return proc, url


def split(browser, url: str, fills: int) -> list[float]:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(url)
    box = page.get_by_label("input", exact=True)
    expect(page.get_by_text("No Input Provided")).to_be_visible(timeout=60_000)
    inputs = page.locator("input:visible, textarea:visible")
    base = inputs.count()
    times = []
    for i in range(fills):
        word = WORDS[i % len(WORDS)]
        start = time.perf_counter()
        box.fill(word)
        expect(inputs).to_have_count(base + len(word), timeout=60_000)
        expect(inputs.last).to_have_value(word[-1], timeout=60_000)
        times.append(time.perf_counter() - start)
    page.close()
    return times


def heavy(browser, url: str, loads: int) -> list[float]:
    from playwright.sync_api import expect

    times = []
    for _ in range(loads):
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(url)
        for name in ("DONE 1", "DONE 2"):
            expect(page.get_by_role("button", name=name)).to_be_visible(timeout=180_000)
        times.append(time.perf_counter() - start)
        page.close()
    return times


def summary(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "min_ms": round(ms[0], 1), "max_ms": round(ms[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkout", help="a gradio-app/gradio checkout (its demo/ folder is read)")
    ap.add_argument("--gradio", action="store_true", help="also measure Gradio (GRADIO_VENV)")
    ap.add_argument("--fills", type=int, default=12)
    ap.add_argument("--loads", type=int, default=3)
    args = ap.parse_args()
    demos = Path(args.checkout) / "demo"
    from playwright.sync_api import sync_playwright

    results: dict = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                     "load_average": os.getloadavg()[0]}
    tools = ["nbdemo"] + (["gradio"] if args.gradio else [])
    log_dir = Path(tempfile.mkdtemp(prefix="nbdemo-bench-render-"))  # the servers' output
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for tool in tools:
            for name, measure, n in (("render_split_simple", split, args.fills),
                                     ("render_heavy_concurrently", heavy, args.loads)):
                proc, url = serve(tool, demos / name, log_dir / f"render_{tool}_{name}.log")
                try:
                    s = summary(measure(browser, url, n))
                finally:
                    proc.stop()
                results.setdefault(tool, {})[name] = s
                print(f"{tool:7s} {name:26s} median {s['median_ms']:8.1f} ms "
                      f"(min {s['min_ms']:.1f}, max {s['max_ms']:.1f}, n={s['n']})", flush=True)
        browser.close()
    out = ROOT / "benchmarks" / "results_render.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
