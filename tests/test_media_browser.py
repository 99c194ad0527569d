"""The media_files demo in real headless Chromium, in both front doors: the
gallery's standalone page (`nbdemo demo`) and notebooks/media_files.ipynb in a
real JupyterLab. Real WAV files (written with numpy + wave) are uploaded
through the labelled file inputs and the processed audio is read back from
the output <audio> element's own bytes; files go up to File and come back
from DownloadButton as a real browser download; a real WebM (recorded from a
canvas by the browser) plays in <video>. Microphone and webcam recording run
against Chromium's fake capture devices."""

from __future__ import annotations

import base64
import io
import re
import struct
import urllib.request
import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from notebook_ui import run_all, wait_kernel
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

T = 60_000  # generous: JupyterLab, a kernel and other test runs share 2 cores
NOTEBOOK = "notebooks/media_files.ipynb"


# -- test media -------------------------------------------------------------------------------------


def tone(rate: int, seconds: float, freq: float, amplitude: float = 0.5) -> np.ndarray:
    """int16 samples of a sine, with a ramp at the start so order is visible."""
    t = np.arange(int(rate * seconds)) / rate
    x = np.round(np.sin(2 * np.pi * freq * t) * amplitude * 32767).astype(np.int16)
    x[:64] = np.arange(64, dtype=np.int16) * 100
    return x


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict:
    """Files to upload: a 1 s 440 Hz 16-bit WAV, a float32 WAV the browser must
    convert, text files (one with a non-ASCII name) and an image."""
    d = tmp_path_factory.mktemp("media")
    out = {"dir": d}
    x = tone(16000, 1.0, 440)
    with wave.open(str(d / "tone 440.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(x.tobytes())
    out["wav"], out["wav_samples"] = d / "tone 440.wav", x
    # IEEE float WAV (format 3): Python's wave cannot read it; the page converts it
    y = (np.sin(2 * np.pi * 300 * np.arange(24000) / 48000) * 0.25).astype("<f4")
    body = y.tobytes()
    header = (b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE" + b"fmt "
              + struct.pack("<IHHIIHH", 16, 3, 1, 48000, 48000 * 4, 4, 32)
              + b"data" + struct.pack("<I", len(body)))
    (d / "float.wav").write_bytes(header + body)
    out["float_wav"], out["float_samples"] = d / "float.wav", y
    (d / "notes.txt").write_text("one two three\nfour five\n")
    (d / "données ü.csv").write_text("a,b\n1,2\n3,4\n")
    out["texts"] = [d / "notes.txt", d / "données ü.csv"]
    (d / "pixel.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="))
    out["png"] = d / "pixel.png"
    return out


RECORD_CANVAS = """async () => {
  const c = document.createElement("canvas"); c.width = 160; c.height = 120;
  const g = c.getContext("2d"); document.body.append(c);
  const rec = new MediaRecorder(c.captureStream(25), { mimeType: "video/webm" });
  const chunks = []; rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  let frame = 0, on = true;
  const draw = () => { if (!on) return; g.fillStyle = `hsl(${frame++ * 7 % 360} 80% 50%)`; g.fillRect(0, 0, 160, 120); requestAnimationFrame(draw); };
  draw(); rec.start(100);
  await new Promise((r) => setTimeout(r, 1200));
  await new Promise((r) => { rec.onstop = r; rec.stop(); }); on = false;
  const b = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = ""; for (const v of b) s += String.fromCharCode(v); return btoa(s);
}"""


@pytest.fixture(scope="module")
def webm(browser, media) -> Path:
    """A real WebM clip (about 1 s, 160x120), recorded from a canvas by Chromium itself."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_content("<!doctype html><title>rec</title>")
        data = base64.b64decode(page.evaluate(RECORD_CANVAS))
    finally:
        ctx.close()
    assert data[:4] == b"\x1a\x45\xdf\xa3" and len(data) > 1000
    path = media["dir"] / "clip.webm"
    path.write_bytes(data)
    return path


# -- helpers ----------------------------------------------------------------------------------------


SRC_BYTES = """async (el) => {
  const b = new Uint8Array(await (await fetch(el.src)).arrayBuffer());
  let s = ""; for (const v of b) s += String.fromCharCode(v); return btoa(s);
}"""


def src_bytes(media_el: Locator) -> bytes:
    """The bytes the page plays: fetch(el.src) inside the page (HTTP or blob: URL)."""
    expect(media_el).to_have_attribute("src", re.compile(r"\S"), timeout=T)
    return base64.b64decode(media_el.evaluate(SRC_BYTES))


def decode(wav_bytes: bytes) -> tuple[int, int, np.ndarray]:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        assert w.getsampwidth() == 2
        return w.getframerate(), w.getnchannels(), np.frombuffer(w.readframes(w.getnframes()), "<i2")


def block(root, label: str) -> Locator:
    """The component (``.nbd-comp``) whose visible label is ``label``."""
    return root.locator(f".nbd-comp:has(> .nbd-label:text-is('{label}'))")


# -- what a person does, in either front door ------------------------------------------------------


def process_wav(root, media) -> None:
    """Upload the 440 Hz WAV, reverse it; the output's bytes are the reversed samples."""
    root.get_by_label("Input audio", exact=True).set_input_files(media["wav"])
    inp = block(root, "Input audio")
    expect(inp.locator("audio")).to_have_attribute("src", re.compile(r"\S"), timeout=T)
    expect(inp).to_contain_text("tone 440.wav")
    root.get_by_label("reverse", exact=True).check()
    root.get_by_role("button", name="Process audio").click()
    expect(root.get_by_label("Clip info", exact=True)).to_have_value("1.00 s, 16000 Hz, mono", timeout=T)
    out = block(root, "Processed audio").locator("audio")
    rate, channels, got = decode(src_bytes(out))
    assert (rate, channels) == (16000, 1)
    assert np.array_equal(got, media["wav_samples"][::-1])
    # the waveform was drawn (a canvas with pixels)
    canvas = block(root, "Processed audio").locator("canvas.nbd-waveform")
    expect(canvas).to_be_visible()
    assert canvas.evaluate("c => c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v)")


def convert_float_wav(root, media) -> None:
    """A float WAV is converted to 16-bit PCM by the browser before it goes up."""
    block(root, "Input audio").get_by_role("button", name="Clear audio").click()
    root.get_by_label("Input audio", exact=True).set_input_files(media["float_wav"])
    root.get_by_role("button", name="Process audio").click()
    expect(root.get_by_label("Clip info", exact=True)).to_have_value("0.50 s, 48000 Hz, mono", timeout=T)
    rate, channels, got = decode(src_bytes(block(root, "Processed audio").locator("audio")))
    assert (rate, channels) == (48000, 1)
    expected = np.round(media["float_samples"][::-1].astype(np.float64) * 32767)
    assert np.abs(got - expected).max() <= 1


def files_and_download(root, page: Page, media) -> None:
    """Upload two files (one non-ASCII name): names and sizes show; the zip downloads."""
    root.get_by_label("Files", exact=True).set_input_files(media["texts"])
    files = block(root, "Files")
    for p in media["texts"]:
        row = files.locator(".nbd-file-row").filter(has_text=p.name)
        expect(row).to_contain_text(f"{p.stat().st_size} bytes", timeout=T)
        expect(row.get_by_role("link", name=p.name)).to_have_attribute("download", p.name)
    expect(root.get_by_role("cell", name="données ü.csv")).to_be_visible(timeout=T)
    button = root.get_by_role("button", name="Download all as .zip")
    expect(button).to_have_attribute("data-file", "files.zip", timeout=T)
    with page.expect_download(timeout=T) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "files.zip"
    with zipfile.ZipFile(download.path()) as z:
        assert sorted(z.namelist()) == sorted(p.name for p in media["texts"])
        for p in media["texts"]:
            assert z.read(p.name) == p.read_bytes()
    # one uploaded file's own link downloads it under its own name
    link = files.get_by_role("link", name="données ü.csv")
    with page.expect_download(timeout=T) as info:
        link.click()
    assert info.value.suggested_filename == "données ü.csv"
    assert Path(info.value.path()).read_bytes() == media["texts"][1].read_bytes()


def upload_button(root, media) -> None:
    """UploadButton: a text file gives its stats; an image is refused in the page."""
    root.get_by_label("Upload a text file", exact=True).set_input_files(media["texts"][0])
    expect(root.get_by_label("Text stats", exact=True)).to_have_value("2 lines, 5 words, 24 characters", timeout=T)
    root.get_by_label("Upload a text file", exact=True).set_input_files(media["png"])
    toast = root.locator(".nbd-toast").filter(has_text="pixel.png")
    expect(toast).to_contain_text("not an allowed file type; allowed: text, .md, .csv", timeout=T)
    toast.get_by_role("button", name="Close").click()


def video(root, webm: Path) -> Locator:
    """Upload a WebM: it is served back and plays (metadata loaded, real duration)."""
    root.get_by_label("Input video", exact=True).set_input_files(webm)
    expect(root.get_by_label("Video info", exact=True)).to_have_value(
        f"clip.webm: {webm.stat().st_size:,} bytes", timeout=T)
    out = block(root, "Same video, served back").locator("video")
    expect(out).to_have_attribute("src", re.compile(r"\S"), timeout=T)
    out.scroll_into_view_if_needed()
    out.page.wait_for_function("el => el.readyState >= 1 && el.videoWidth === 160", arg=out.element_handle(),
                               timeout=T)
    assert src_bytes(out) == webm.read_bytes()
    return out


# -- standalone -------------------------------------------------------------------------------------


@pytest.fixture
def demo_page(page: Page, gallery: str) -> Page:
    page.goto(f"{gallery}media_files/")
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    return page


def test_audio_upload_processed_standalone(demo_page: Page, media):
    process_wav(demo_page, media)
    src = block(demo_page, "Processed audio").locator("audio").get_attribute("src")
    assert re.fullmatch(r"/media_files/file/[0-9a-f]+/[\w-]+/audio\.wav", src)
    convert_float_wav(demo_page, media)
    assert demo_page.js_errors == []


def test_files_and_download_button_standalone(demo_page: Page, media):
    files_and_download(demo_page, demo_page, media)
    upload_button(demo_page, media)
    assert demo_page.js_errors == []


def test_video_plays_with_range_requests_standalone(demo_page: Page, webm):
    ranges: list[str] = []
    demo_page.on("request", lambda r: ranges.append(r.headers.get("range", "")) if r.url.endswith("clip.webm") else None)
    out = video(demo_page, webm)
    src = out.get_attribute("src")
    status = demo_page.evaluate("async (u) => (await fetch(u, { headers: { Range: 'bytes=0-9' } })).status", src)
    assert status == 206
    assert any(r.startswith("bytes=") for r in ranges), ranges  # the player itself asked for ranges
    assert demo_page.js_errors == []


@pytest.fixture
def capture_page(browser, request, gallery: str, artifacts):
    """A second Chromium (same Playwright) with fake microphone and camera (a beep,
    a test pattern) and their permissions granted."""
    b = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream",
                                                          "--use-fake-device-for-media-stream"])
    try:
        ctx = b.new_context(viewport={"width": 1200, "height": 900}, permissions=["microphone", "camera"])
        page = ctx.new_page()
        page.js_errors = []
        page.on("pageerror", lambda e: page.js_errors.append(str(e)))
        page.goto(f"{gallery}media_files/")
        expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
        yield page
        page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    finally:
        b.close()


def test_microphone_and_webcam_recording(capture_page: Page):
    page = capture_page
    audio = block(page, "Input audio")
    audio.get_by_role("button", name="Record").click()
    expect(audio.get_by_role("status")).to_contain_text("Recording", timeout=T)
    expect(audio.locator(".nbd-rec-time")).to_have_text(re.compile(r"0:0[1-9]"), timeout=T)  # beeps
    audio.get_by_role("button", name="Stop").click()
    # the recording (WebM/Opus in Chromium) was converted to WAV by the page
    expect(audio).to_contain_text("recording.wav", timeout=T)
    rate, channels, got = decode(src_bytes(audio.locator("audio")))
    assert rate == 48000 and len(got) / channels > 48000 * 0.9
    assert np.abs(got).max() > 1000  # the fake microphone's beeps, not silence
    page.get_by_role("button", name="Process audio").click()
    expect(page.get_by_label("Clip info", exact=True)).to_have_value(re.compile(r"^\d+\.\d\d s, 48000 Hz"), timeout=T)

    cam = block(page, "Input video")
    cam.get_by_role("button", name="Webcam").click()
    cam.get_by_role("button", name="Record").click()
    expect(cam.locator(".nbd-rec-time")).to_have_text(re.compile(r"0:0[1-9]"), timeout=T)
    cam.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Video info", exact=True)).to_have_value(re.compile(r"^recording\.webm: [\d,]+ bytes$"),
                                                                      timeout=T)
    out = block(page, "Same video, served back").locator("video")
    expect(out).to_have_attribute("src", re.compile(r"recording\.webm$"), timeout=T)
    page.wait_for_function("el => el.readyState >= 1 && el.videoWidth > 0", arg=out.element_handle(), timeout=T)
    assert page.js_errors == []


# -- inline, in JupyterLab ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(browser, jupyter_lab):
    """notebooks/media_files.ipynb open in JupyterLab, all cells run, the demo rendered."""

    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    # its own workspace, reset: the default workspace (quickstart's tests) stays untouched
    page.goto(f"{jupyter_lab.url}lab/workspaces/media/tree/{NOTEBOOK}?reset&token={jupyter_lab.token}")
    wait_kernel(page)
    run_all(page)
    app = page.locator(".jp-OutputArea-output .nbd-app")
    expect(app).to_have_count(1, timeout=T)
    expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
    yield page
    ctx.close()
    for session in jupyter_lab.api("api/sessions"):  # end this notebook's kernel
        if session.get("path", "").endswith("media_files.ipynb"):
            req = urllib.request.Request(f"{jupyter_lab.url}api/sessions/{session['id']}?token={jupyter_lab.token}",
                                         method="DELETE")
            urllib.request.urlopen(req, timeout=10).close()


@pytest.fixture
def lab_app(lab, request, artifacts) -> Locator:
    yield lab.locator(".jp-OutputArea-output .nbd-app")
    lab.screenshot(path=str(artifacts / f"{request.node.name}.png"))


def test_audio_upload_processed_inline(lab_app: Locator, media):
    app = lab_app
    app.get_by_label("Input audio", exact=True).scroll_into_view_if_needed()
    process_wav(app, media)
    # inline, the bytes came as a widget buffer: the player's URL is a blob: URL
    assert block(app, "Processed audio").locator("audio").get_attribute("src").startswith("blob:")
    convert_float_wav(app, media)
    app.get_by_label("Clip info", exact=True).scroll_into_view_if_needed()
    assert [e for e in app.page.js_errors if "nbd" in e.lower()] == []


def test_files_and_download_button_inline(lab_app: Locator, media):
    app = lab_app
    block(app, "Files").scroll_into_view_if_needed()
    files_and_download(app, app.page, media)
    upload_button(app, media)
    # what the kernel sees
    page = app.page
    cell = page.locator(".jp-CodeCell").last
    editor = cell.locator(".jp-InputArea-editor .cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    editor.press("Control+Enter")
    expect(cell.locator(".jp-OutputArea-output").first).to_contain_text(
        "files: ['notes.txt', 'données ü.csv']", timeout=T)


def test_video_inline(lab_app: Locator, webm):
    out = video(lab_app, webm)
    assert out.get_attribute("src").startswith("blob:")
