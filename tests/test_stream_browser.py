"""Streaming inputs in real headless Chromium with its fake camera and
microphone (a moving test pattern and a beep): the demo in
tests/apps/stream_apps.py as a real server subprocess, one page per test.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pytest
from conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Proc, free_port, wait_http
from PIL import Image as PILImage
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

T = 60_000
APP = Path(__file__).resolve().parent / "apps" / "stream_apps.py"


def block(page: Page, label: str) -> Locator:
    return page.locator(f".nbd-comp:has(> .nbd-label:text-is('{label}'))")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stream")
    port = free_port()
    proc = Proc([sys.executable, str(APP), str(port)], cwd=tmp, log=tmp / "server.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc=proc.proc)
        yield url
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def media_browser(browser):
    """A second Chromium with a fake camera and microphone, access allowed."""
    b = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream",
                                                          "--use-fake-device-for-media-stream"])
    yield b
    b.close()


@pytest.fixture
def page(media_browser, server, request):
    ctx = media_browser.new_context(viewport={"width": 1200, "height": 1100},
                                    permissions=["microphone", "camera"])
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
    pg.goto(server)
    expect(pg.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        ctx.close()


def frames(loc: Locator, name: str = "nbdFrames") -> int:
    return int(loc.evaluate(f"el => el.dataset.{name} || '0'"))


def test_webcam_frames_stream_through_fn_and_back(page: Page):
    cam, out = block(page, "Camera"), block(page, "Output")
    expect(cam.locator("video.nbd-mirror")).to_have_count(1)  # mirrored preview (Gradio's default)
    expect(cam.locator(".nbd-camera-off")).to_be_visible()  # no black box before Start
    cam.get_by_role("button", name="Start streaming").click()
    expect(cam.locator("video")).to_be_visible(timeout=T)
    expect(cam.get_by_role("button", name="Stop")).to_be_visible(timeout=T)
    # fn received (H, W, 3) uint8 RGB frames; the output shows one new frame after another
    expect(page.get_by_label("Frame", exact=True)).to_have_value(re.compile(r"^\(\d+, \d+, 3\) uint8$"), timeout=T)
    page.wait_for_function("el => Number(el.dataset.nbdFrames || 0) >= 5", arg=out.element_handle(), timeout=T)
    srcs = set()
    for _ in range(3):  # the src moves on: each frame is a new file
        src = out.locator("img").get_attribute("src")
        srcs.add(src)
        page.wait_for_function("([el, s]) => el.querySelector('img').getAttribute('src') !== s",
                               arg=[out.element_handle(), src], timeout=T)
    assert len(srcs) == 3
    img = out.locator("img")
    r = page.request.get(urljoin(page.url, img.get_attribute("src")))
    got = PILImage.open(io.BytesIO(r.body()))
    h, w = map(int, re.findall(r"\d+", page.get_by_label("Frame", exact=True).input_value())[:2])
    assert got.size == (w, h) and got.mode == "RGB"
    assert len(np.unique(np.asarray(got.convert("L")))) > 8  # the fake camera's pattern, not a blank
    sent = frames(cam, "nbdFramesSent")
    assert sent >= frames(out)  # every frame shown came from one sent
    cam.get_by_role("button", name="Stop").click()
    expect(cam.get_by_role("button", name="Start streaming")).to_be_visible(timeout=T)
    stopped_at = frames(cam, "nbdFramesSent")
    page.wait_for_timeout(500)  # nothing is sent after Stop (a pause can only hide a bug, never fail one)
    assert frames(cam, "nbdFramesSent") == stopped_at
    assert page.js_errors == []


def test_slow_fn_drops_frames_instead_of_queueing(page: Page):
    cam = block(page, "Slow camera")
    expect(cam.locator("video.nbd-mirror")).to_have_count(0)  # webcam_options mirror=False
    cam.get_by_role("button", name="Start streaming").click()
    done = page.get_by_label("Frames processed", exact=True)
    expect(done).to_have_value(re.compile(r"^[3-9]$|^\d\d+$"), timeout=T)
    cam.get_by_role("button", name="Stop").click()
    sent = frames(cam, "nbdFramesSent")
    page.wait_for_timeout(1200)  # the one running and the one waiting finish; nothing more comes
    processed = int(done.input_value())
    # fn takes 0.5 s per frame, frames come every 0.05 s: most were dropped, and the
    # runs did not go on working through a queue after Stop
    assert processed < sent / 2, (processed, sent)
    page.wait_for_timeout(1200)
    assert int(done.input_value()) == processed
    assert page.js_errors == []


def test_time_limit_stops_the_stream(page: Page):
    cam = block(page, "Short camera")
    cam.get_by_role("button", name="Start streaming").click()
    expect(cam.get_by_role("status")).to_have_text(re.compile(r"^[1-3] s left$"), timeout=T)  # a countdown
    expect(page.get_by_label("Short frame", exact=True)).to_have_value(re.compile(r"uint8"), timeout=T)
    expect(cam.get_by_role("status")).to_have_text("Time limit reached", timeout=T)
    expect(cam.get_by_role("button", name="Start streaming")).to_be_visible()
    assert page.js_errors == []


def test_results_for_the_streaming_image_itself_replace_its_preview(page: Page):
    cam = block(page, "Self camera")
    cam.get_by_role("button", name="Start streaming").click()
    result = cam.locator("img.nbd-stream-result")
    expect(result).to_be_visible(timeout=T)  # fn's inverted frames, in place of the preview
    page.wait_for_function("el => Number(el.dataset.nbdFrames || 0) >= 3", arg=cam.element_handle(), timeout=T)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cam.screenshot(path=str(ARTIFACTS / "test_stream_self_camera_live.png"))
    cam.get_by_role("button", name="Stop").click()
    expect(result).to_be_hidden(timeout=T)
    expect(cam.locator(".nbd-camera-off")).to_be_visible()  # camera off again: its placeholder
    assert page.js_errors == []


def test_a_failing_fn_ends_the_stream_with_one_error(page: Page):
    cam = block(page, "Broken camera")
    cam.get_by_role("button", name="Start streaming").click()
    expect(cam.get_by_role("status")).to_have_text("Stopped: the function failed", timeout=T)
    expect(cam.get_by_role("button", name="Start streaming")).to_be_visible()
    toasts = page.locator(".nbd-toast", has_text="the model is not loaded")
    expect(toasts).to_have_count(1)  # one error, not one per frame (every 0.05 s)
    assert page.js_errors == []


def test_microphone_chunks_stream_to_fn(page: Page):
    mic = block(page, "Microphone")
    mic.get_by_role("button", name="Start streaming").click()
    heard = page.get_by_label("Heard", exact=True)
    expect(heard).to_have_value(re.compile(r"^\d{4,6} Hz, \d+ samples, peak \d+$"), timeout=T)
    # chunks keep coming, and the fake microphone's beeps reach fn (not silence)
    page.wait_for_function("el => /peak [1-9]\\d{3,}/.test(el.value)", arg=heard.element_handle(), timeout=T)
    mic.get_by_role("button", name="Stop").click()
    expect(mic.get_by_role("button", name="Start streaming")).to_be_visible(timeout=T)
    assert page.js_errors == []


@pytest.mark.slow
def test_webcam_streams_inline_in_jupyterlab(media_browser, jupyter_lab):
    """The inline door: frames go up as comm buffers from a real JupyterLab
    page with the fake camera, through the kernel's engine, and back."""
    import nbformat
    from notebook_ui import run_all, shut_down_kernel, wait_kernel

    name = "stream_inline.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "import nbdemo as gr\n"
        "with gr.Blocks() as demo:\n"
        "    cam = gr.Image(label='Camera', sources=['webcam'], streaming=True)\n"
        "    out = gr.Image(label='Output', streaming=True)\n"
        "    shape = gr.Textbox(label='Frame')\n"
        "    cam.stream(lambda f: (f, f'{f.shape} {f.dtype}'), cam, [out, shape], stream_every=0.2)\n"
        "demo")]
    nbformat.write(nb, jupyter_lab.root / "notebooks" / name)
    ctx = media_browser.new_context(viewport={"width": 1280, "height": 1000}, permissions=["camera", "microphone"])
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/stream/tree/notebooks/{name}?reset&token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        app = page.locator(".jp-OutputArea-output .nbd-app")
        expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
        cam, out = block(page, "Camera"), block(page, "Output")
        cam.get_by_role("button", name="Start streaming").click()
        expect(page.get_by_label("Frame", exact=True)).to_have_value(re.compile(r"^\(\d+, \d+, 3\) uint8$"), timeout=T)
        page.wait_for_function("el => Number(el.dataset.nbdFrames || 0) >= 3", arg=out.element_handle(), timeout=T)
        cam.get_by_role("button", name="Stop").click()
        expect(cam.get_by_role("button", name="Start streaming")).to_be_visible(timeout=T)
        page.screenshot(path=str(ARTIFACTS / "test_webcam_streams_inline_in_jupyterlab.png"), full_page=True)
        assert page.js_errors == []
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, name)


def test_streaming_audio_output_plays_chunks_back_to_back(page: Page):
    page.get_by_role("button", name="Play tones").click()
    speaker = block(page, "Speaker")
    # three chunks of 0.3 s, each scheduled when it arrived (Web Audio), none autoplayed twice
    page.wait_for_function("el => el.dataset.nbdChunks === '3'", arg=speaker.element_handle(), timeout=T)
    expect(speaker.locator("audio")).to_have_count(1)
    assert speaker.locator("audio").evaluate("a => a.paused")  # the player does not play on top
    assert page.js_errors == []


def test_without_camera_access_the_box_says_why(media_browser, server):
    """On a page the browser gives no media devices (plain http on another host
    than localhost), the streaming boxes explain it instead of showing an upload box."""
    ctx = media_browser.new_context()
    try:
        pg = ctx.new_page()
        pg.add_init_script("Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined })")
        pg.goto(server)
        expect(pg.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
        expect(block(pg, "Camera").get_by_role("note")).to_contain_text("only on https:// or localhost")
        expect(block(pg, "Microphone").get_by_role("note")).to_contain_text("only on https:// or localhost")
        expect(pg.get_by_role("button", name="Start streaming")).to_have_count(0)
    finally:
        ctx.close()
