"""Streaming webcam frames per second: nbdemo and Gradio side by side, same demo.

Each library serves the same app (its own process; Gradio from its own venv):
a webcam ``Image`` whose ``.stream()`` sends every frame through a function
to an output ``Image`` (``elem_id="out"``), ``stream_every=0.1``. Two
functions: ``identity`` (returns the frame) and ``slow`` (sleeps 0.25 s, then
returns it: the function is slower than the frames come, so frames must be
dropped rather than queued).

Headless Chromium with its fake camera (``--use-fake-device-for-media-stream``,
a 640x480 moving test pattern) opens the page, starts the stream as a person
would (nbdemo: "Start streaming"; Gradio: "Click to Access Webcam", then
"Record"), waits for the first output frame, then counts for ``--seconds``:

- ``sent``: frames the page captured to send: calls that encode a canvas as
  JPEG (nbdemo's ``toBlob``, Gradio's ``toDataURL``), counted by a hook the
  benchmark installs before the page loads (Gradio sends its frames in one
  streamed request, so requests cannot be counted);
- ``shown``: output frames the page *showed*: ``load`` events of an ``<img>``
  inside ``#out`` with a source different from the last one loaded;
- ``fps`` = shown / seconds, and ``dropped`` = sent - shown (frames that
  never reached the screen: dropped by the page, the server, or superseded);
- ``lag_s``: after the page stops sending (Stop), seconds until no new output
  frame came for 2 s, minus those 2 s: how far the outputs trailed behind.

    python benchmarks/bench_stream.py [--seconds 10] [--gradio-python /tmp/gradio-venv/bin/python]

Gradio is skipped when its interpreter is missing. Results go to
``benchmarks/results_stream.json``. Not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = os.environ.get("NBDEMO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream"]

APP = """
import sys
import time
import {lib} as gr

def identity(frame):
    return frame

def slow(frame):
    time.sleep(0.25)
    return frame

with gr.Blocks() as demo:
    with gr.Row():
        cam = gr.Image(label="Camera", sources=["webcam"], elem_id="cam")
        out = gr.Image(label="Output", elem_id="out")
    cam.stream({fn}, cam, out, stream_every=0.1, time_limit=600, concurrency_limit=30)
demo.launch(server_name="127.0.0.1", server_port={port}, quiet=True)
"""

#: counts output frames shown (an <img> in #out loaded with a new source) and
#: frames captured to be sent (a canvas encoded as JPEG: both pages encode each
#: frame they send that way, nbdemo with toBlob, Gradio with toDataURL)
COUNTER = """
window.__shown = 0; window.__last = null; window.__lastAt = 0; window.__sent = 0;
for (const name of ['toBlob', 'toDataURL']) {
  const orig = HTMLCanvasElement.prototype[name];
  HTMLCanvasElement.prototype[name] = function (...args) {
    if (args.some((a) => a === 'image/jpeg')) window.__sent++;
    return orig.apply(this, args);
  };
}
document.addEventListener('load', (e) => {
  const t = e.target;
  if (t && t.tagName === 'IMG' && t.closest && t.closest('#out') && t.currentSrc !== window.__last) {
    window.__last = t.currentSrc; window.__shown++; window.__lastAt = performance.now();
  }
}, true);
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(python: str, lib: str, fn: str, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    script = tmp / f"{lib}_{fn}_stream.py"
    script.write_text(APP.format(lib=lib, fn=fn, port=port))
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1"}
    if lib == "nbdemo":
        env["PYTHONPATH"] = str(ROOT)
    log = open(tmp / f"{lib}_{fn}.log", "wb")  # noqa: SIM115 - the child holds it
    proc = subprocess.Popen([python, str(script)], env=env, start_new_session=True,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"{lib} server did not start; see {tmp}")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def measure(browser, lib: str, url: str, seconds: float, shot: Path) -> dict:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900},
                              permissions=["camera", "microphone"])
    page = ctx.new_page()
    page.add_init_script(COUNTER)
    try:
        page.goto(url)
        if lib == "nbdemo":
            page.wait_for_selector("body[data-nbdemo-connected]", timeout=60_000)
            cam = page.locator(".nbd-comp:has(> .nbd-label:text-is('Camera'))")
            cam.get_by_role("button", name="Start streaming").click()

            def halt() -> None:
                cam.get_by_role("button", name="Stop").click()
        else:
            page.get_by_text("Click to Access Webcam").click(timeout=60_000)
            page.locator("#cam button", has_text="Record").click(timeout=60_000)

            def halt() -> None:
                page.locator("#cam button", has_text="Stop").click()
        def sent() -> int:
            return page.evaluate("window.__sent")

        page.wait_for_function("() => window.__shown >= 2", timeout=60_000)  # warmed up
        s0, f0, t0 = sent(), page.evaluate("window.__shown"), time.monotonic()
        time.sleep(seconds)
        s1, f1, t1 = sent(), page.evaluate("window.__shown"), time.monotonic()
        page.screenshot(path=str(shot))
        halt()
        stopped = page.evaluate("performance.now()")
        page.wait_for_function("() => performance.now() - Math.max(window.__lastAt, 0) > 2000",
                               timeout=120_000, polling=100)
        last = page.evaluate("window.__lastAt")
        dt = t1 - t0
        shown = f1 - f0
        return {"seconds": round(dt, 2), "sent": s1 - s0, "shown": shown,
                "fps": round(shown / dt, 2), "sent_per_s": round((s1 - s0) / dt, 2),
                "dropped": (s1 - s0) - shown,
                "lag_s": round(max(0.0, (last - stopped) / 1000), 2)}
    finally:
        ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--gradio-python", default=os.environ.get("GRADIO_PYTHON", "/tmp/gradio-venv/bin/python"))
    ap.add_argument("--json", default=str(HERE / "results_stream.json"))
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, screenshots)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-stream-"))
    libs = [("nbdemo", sys.executable)]
    if Path(args.gradio_python).exists():
        libs.append(("gradio", args.gradio_python))
    else:
        print(f"gradio: skipped ({args.gradio_python} not found)", file=sys.stderr)
    results: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        chromium = browser.version
        try:
            for fn in ("identity", "slow"):
                for lib, python in libs:
                    print(f"{lib} / {fn} ...", file=sys.stderr)
                    proc, url = start(python, lib, fn, tmp)
                    try:
                        results.setdefault(fn, {})[lib] = measure(browser, lib, url, args.seconds,
                                                                  tmp / f"{lib}_{fn}.png")
                    except Exception as e:  # one side failing still reports the other
                        results.setdefault(fn, {})[lib] = {"error": f"{type(e).__name__}: {e}"}
                    finally:
                        stop(proc)
        finally:
            browser.close()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    gradio_version = None
    if len(libs) > 1:
        gradio_version = subprocess.run([args.gradio_python, "-c", "import gradio; print(gradio.__version__)"],
                                        capture_output=True, text=True,
                                        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}).stdout.strip()
    out = {"stream_every": 0.1, "slow_fn_seconds": 0.25, "results": results,
           "env": {"python": platform.python_version(), "cpus": os.cpu_count(), "commit": commit,
                   "gradio": gradio_version, "chromium": chromium}}
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"{'fn':<9} {'library':<7} {'fps':>6} {'sent/s':>7} {'sent':>5} {'shown':>6} {'dropped':>8} {'lag s':>6}")
    for fn, by_lib in results.items():
        for lib, r in by_lib.items():
            if "error" in r:
                print(f"{fn:<9} {lib:<7} error: {r['error']}")
            else:
                print(f"{fn:<9} {lib:<7} {r['fps']:>6} {r['sent_per_s']:>7} {r['sent']:>5} {r['shown']:>6} "
                      f"{r['dropped']:>8} {r['lag_s']:>6}")
    if args.keep:
        print(f"logs and screenshots: {tmp}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
