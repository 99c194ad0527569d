"""Reload mode, side by side: how long from saving app.py until the open page
shows the new version, for ``nbdemo app.py`` and ``gradio app.py``.

    python benchmarks/bench_reload.py              # nbdemo only
    python benchmarks/bench_reload.py --gradio     # also Gradio, from /tmp/gradio-venv
    python benchmarks/bench_reload.py --saves 20

For each tool: the same Blocks app (a Markdown "version N", a Textbox, a
Button) runs in reload mode in a temp folder; headless Chromium opens it; then
``--saves`` times the file is saved with the next version number (the whole
file written and renamed into place, as editors do) and the page is watched,
every animation frame, until "version N" shows. save→page-updated is the page's
wall clock at that frame minus the wall clock just before the save (same
machine, same clock). A pause between saves lets each reload settle.

Writes ``benchmarks/results_reload.json``. A measurement, not a test: no
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

APP = '''import {module} as gr

def greet(name):
    return "Hello, " + name

with gr.Blocks(title="Reload bench") as demo:
    gr.Markdown("version {version}")
    name = gr.Textbox(label="name")
    out = gr.Textbox(label="greeting")
    gr.Button("Greet").click(greet, name, out)

demo.launch()
'''

# Resolves with the page's wall clock (ms since the epoch) at the first frame
# whose text contains the marker.
SEEN = """(marker) => new Promise((resolve) => {
  const check = () => document.body.innerText.includes(marker)
    ? resolve(performance.timeOrigin + performance.now()) : requestAnimationFrame(check);
  check();
})"""


def save(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text)
    os.replace(tmp, path)


def run_tool(name: str, browser, saves: int, pause: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-reload-{name}-"))
    app = folder / "app.py"
    module = "nbdemo" if name == "nbdemo" else "gradio"
    app.write_text(APP.format(module=module, version=0))
    port = free_port()
    if name == "nbdemo":
        args = [sys.executable, "-m", "nbdemo", "app.py", "--port", str(port)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
    else:
        args = [str(GRADIO_VENV / "bin" / "gradio"), "app.py"]
        env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False",
               "HF_HUB_OFFLINE": "1", "GRADIO_SERVER_NAME": "127.0.0.1"}
    env["PYTHONUNBUFFERED"] = "1"
    proc = Proc(args, env=env, cwd=folder, log=folder / "server.log")
    url = f"http://127.0.0.1:{port}/"
    times: list[float] = []
    try:
        wait_http(url, timeout=120, proc=proc.proc)
        time.sleep(1.0)  # let the watcher start
        ctx = browser.new_context(viewport={"width": 1200, "height": 800})
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_function("() => document.body.innerText.includes('version 0')", timeout=60_000)
        time.sleep(pause)
        for v in range(1, saves + 1):
            marker = f"version {v}"
            t0 = time.time() * 1000
            save(app, APP.format(module=module, version=v))
            seen = page.evaluate(SEEN, marker)
            times.append(seen - t0)
            time.sleep(pause)
        ctx.close()
    finally:
        proc.stop()
    times_sorted = sorted(times)
    return {"saves": len(times), "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(times_sorted[int(0.9 * (len(times) - 1))], 1),
            "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
            "all_ms": [round(t, 1) for t in times]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gradio", action="store_true", help="also measure gradio app.py")
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between saves")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                     "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                                f"Python {platform.python_version()}"}
    tools = ["nbdemo"] + (["gradio"] if args.gradio else [])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for tool in tools:
            results[tool] = run_tool(tool, browser, args.saves, args.pause)
            r = results[tool]
            print(f"{tool:>7}: save -> page updated  median {r['median_ms']} ms, "
                  f"p90 {r['p90_ms']} ms, min {r['min_ms']} ms, max {r['max_ms']} ms "
                  f"({r['saves']} saves)", flush=True)
        browser.close()
    out = Path(__file__).with_name("results_reload.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
