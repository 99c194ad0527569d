"""Image, Sketchpad and Gallery used like a person would, in real headless
Chromium, in both front doors:

- standalone: the built-in gallery (`python -m nbdemo demo`) pages
  /image_filters/ and /digits/, and a small script demo for what those do
  not use (Gallery input and preview, ImageEditor upload);
- inline: notebooks/image_filters.ipynb and notebooks/digits.ipynb in a real
  JupyterLab with a real kernel.

Uploads are real files (tests/data/photo.png, 1600x1200, and a generated
4-megapixel PNG); outputs are checked pixel by pixel against the filter
computed here in Python (exact: the output is PNG). Strokes are drawn with the
mouse. Every test saves a screenshot into tests/artifacts/.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pytest
from conftest import ARTIFACTS, start_script
from notebook_ui import shut_down_kernel, wait_kernel
from PIL import Image as PILImage
from playwright.sync_api import Locator, Page, expect

from nbdemo.demos.image_filters import apply_filter

pytestmark = pytest.mark.browser

T = 60_000  # generous: Chromium, JupyterLab and kernels share 2 cores
PHOTO = Path(__file__).resolve().parent / "data" / "photo.png"


# -- helpers ---------------------------------------------------------------------------


def comp(scope: Locator | Page, label: str) -> Locator:
    """The component (`.nbd-comp`) whose visible label is exactly ``label``."""
    return scope.locator(f".nbd-comp:has(> .nbd-label:text-is('{label}'))")


def open_demo(page: Page, gallery: str, name: str) -> None:
    page.goto(f"{gallery}{name}/")
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)


def sepia(path: Path, strength: float = 1.0) -> np.ndarray:
    with PILImage.open(path) as img:
        return apply_filter(np.array(img.convert("RGB")), "sepia", strength)


def decode(data: bytes) -> PILImage.Image:
    img = PILImage.open(io.BytesIO(data))
    img.load()
    return img


def img_bytes(page: Page, img: Locator) -> bytes:
    """The bytes behind an <img>: fetched over HTTP (standalone) or read from its
    blob: URL inside the page (inline)."""
    src = img.get_attribute("src")
    assert src, "the image has no src"
    if src.startswith("blob:"):
        b64 = page.evaluate("""async (src) => {
            const blob = await (await fetch(src)).blob();
            return await new Promise((resolve) => {
              const r = new FileReader();
              r.onload = () => resolve(r.result.split(",")[1]);
              r.readAsDataURL(blob);
            });
        }""", src)
        return base64.b64decode(b64)
    r = page.request.get(urljoin(page.url, src))
    assert r.ok, f"GET {src}: {r.status}"
    return r.body()


def upload_and_filter(scope: Locator | Page, path: Path, expected_size: tuple[int, int]) -> Locator:
    """Upload ``path`` as the input image, press Submit; the output <img> once it
    shows an image of ``expected_size`` (width, height)."""
    scope.get_by_label("Input image", exact=True).set_input_files(str(path))
    shown = comp(scope, "Input image").locator("img.nbd-media")
    expect(shown).to_have_attribute("src", re.compile("."), timeout=T)
    expect(shown).to_have_js_property("naturalWidth", expected_size[0], timeout=T)
    scope.get_by_role("button", name="Submit").click()
    out = comp(scope, "Filtered image").locator("img.nbd-media")
    expect(out).to_have_js_property("naturalWidth", expected_size[0], timeout=T)
    expect(out).to_have_js_property("naturalHeight", expected_size[1], timeout=T)
    return out


def check_sepia(page: Page, out: Locator, source: Path) -> None:
    got = decode(img_bytes(page, out))
    assert got.format == "PNG" and got.mode == "RGB"
    assert np.array_equal(np.array(got), sepia(source)), "output pixels differ from sepia(input)"


@pytest.fixture(scope="module")
def big_png(tmp_path_factory) -> Path:
    """A 2400x1700 (4.08 megapixel) photo-like PNG: gradients plus noise."""
    h, w = 1700, 2400
    y, x = np.mgrid[0:h, 0:w]
    rng = np.random.default_rng(7)
    arr = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], axis=-1)
    arr = np.clip(arr + rng.integers(-12, 13, (h, w, 3)), 0, 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("big") / "big.png"
    PILImage.fromarray(arr).save(path, compress_level=1)
    return path


def draw_stroke(page: Page, canvas: Locator, points: list[tuple[float, float]]) -> None:
    """Press, move through ``points`` (fractions of the canvas box) and release."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box and box["width"] > 50, f"canvas not visible: {box}"
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


VERTICAL = [(0.5, 0.18), (0.5, 0.82)]  # a "1"


def confidences(label: Locator) -> list[tuple[str, str]]:
    rows = label.locator(".nbd-confidence")
    return [(rows.nth(i).locator(".nbd-conf-label").inner_text(),
             rows.nth(i).locator(".nbd-conf-value").inner_text()) for i in range(rows.count())]


def check_digit_one(scope: Locator | Page, page: Page) -> None:
    canvas = scope.get_by_role("img", name="Draw a digit")
    expect(canvas).to_be_visible(timeout=T)
    draw_stroke(page, canvas, VERTICAL)
    label = comp(scope, "Prediction")
    expect(label.locator(".nbd-confidence")).to_have_count(3, timeout=T)
    expect(label.locator(".nbd-label-heading")).to_have_text("1", timeout=T)
    got = confidences(label)
    assert got[0][0] == "1" and all(re.fullmatch(r"\d+%", v) for _, v in got), got
    # Clear empties the canvas and the prediction follows (change fires with None)
    scope.get_by_role("button", name="Clear canvas").click()
    expect(label.locator(".nbd-confidence")).to_have_count(0, timeout=T)


def check_gallery_select(scope: Locator | Page) -> None:
    gallery = comp(scope, "Training digits")
    items = gallery.locator(".nbd-gallery-item")
    expect(items).to_have_count(10, timeout=T)
    for i in range(10):
        expect(items.nth(i).locator("img")).to_have_js_property("naturalWidth", 64, timeout=T)
    gallery.get_by_role("button", name="a 7").click()
    expect(scope.get_by_label("Selected training digit", exact=True)).to_have_value(
        re.compile(r"Training sample #\d+ is a 7\."), timeout=T)
    expect(comp(scope, "Prediction").locator(".nbd-label-heading")).to_have_text("7", timeout=T)
    expect(gallery.get_by_role("button", name="a 7")).to_have_class(re.compile("nbd-selected"))


# -- standalone: the gallery's pages ------------------------------------------------------------


def test_image_filters_sepia_standalone(page: Page, gallery: str):
    open_demo(page, gallery, "image_filters")
    out = upload_and_filter(page, PHOTO, (1600, 1200))
    check_sepia(page, out, PHOTO)
    # the file is served to this session only, with nosniff
    src = out.get_attribute("src")
    r = page.request.get(urljoin(page.url, src))
    assert r.headers["content-type"] == "image/png"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert page.js_errors == []


def test_image_4_megapixels_standalone(page: Page, gallery: str, big_png: Path):
    open_demo(page, gallery, "image_filters")
    out = upload_and_filter(page, big_png, (2400, 1700))
    check_sepia(page, out, big_png)
    assert page.js_errors == []


def test_image_non_image_upload_standalone(page: Page, gallery: str, tmp_path: Path):
    """A file that only claims to be an image reaches fn as nbdemo.Error, shown as a toast."""
    open_demo(page, gallery, "image_filters")
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"this is text, not a PNG")
    page.get_by_label("Input image", exact=True).set_input_files(str(fake))
    expect(comp(page, "Input image").locator("img.nbd-media")).to_have_attribute("src", re.compile("."), timeout=T)
    page.get_by_role("button", name="Submit").click()
    toast = page.locator(".nbd-toast").filter(has_text="fake.png is not an image")
    expect(toast).to_be_visible(timeout=T)
    expect(toast).not_to_contain_text("/tmp/")


def test_digits_draw_standalone(page: Page, gallery: str):
    open_demo(page, gallery, "digits")
    check_digit_one(page, page)
    assert page.js_errors == []


def test_digits_gallery_select_standalone(page: Page, gallery: str):
    open_demo(page, gallery, "digits")
    check_gallery_select(page)
    assert page.js_errors == []


# -- standalone: Gallery input and preview, ImageEditor upload (a script demo) --------------

APP = '''
import numpy as np
import nbdemo as gr

def sizes(items):
    if not items:
        return "empty"
    return "; ".join(f"{img.shape[1]}x{img.shape[0]}x{img.shape[2]} {cap}" for img, cap in items)

def tiles():
    out = []
    for i, c in enumerate([(220, 40, 40), (40, 160, 40), (40, 40, 220)]):
        a = np.zeros((90, 120, 3), np.uint8); a[:] = c
        out.append((a, f"tile {i}"))
    return out

def picked(evt: gr.SelectData):
    return f"index {evt.index}: {evt.value['caption']}"

def edited(img):
    if img is None:
        return "nothing"
    h, w = img.shape[:2]
    r, g, b = (int(v) for v in img[h // 2, w // 2])
    return f"{w}x{h} center {r},{g},{b}"

with gr.Blocks() as demo:
    photos = gr.Gallery(label="Photos", type="numpy", interactive=True)
    info = gr.Textbox(label="Sizes")
    gr.Button("Measure").click(sizes, photos, info)
    shown = gr.Gallery(tiles(), label="Tiles", columns=3, format="png", interactive=False)
    choice = gr.Textbox(label="Picked")
    shown.select(picked, None, choice)
    editor = gr.ImageEditor(label="Editor", type="numpy", image_mode="RGB",
                            brush=gr.Brush(default_size=12, colors=["#ff0000", "#0000ff"]))
    report = gr.Textbox(label="Edited")
    gr.Button("Inspect").click(edited, editor, report)

demo.launch(server_port=PORT)
'''


@pytest.fixture(scope="module")
def script_demo(tmp_path_factory):
    proc, url = start_script(APP, tmp_path_factory.mktemp("gallery_app"))
    yield url
    proc.stop()


def open_script(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)


def test_gallery_input_upload_gives_fn_arrays(page: Page, script_demo: str, tmp_path: Path, artifacts):
    open_script(page, script_demo)
    small = tmp_path / "small.png"
    PILImage.new("RGB", (30, 20), (1, 2, 3)).save(small)
    page.get_by_label("Upload images to Photos").set_input_files([str(PHOTO), str(small)])
    items = comp(page, "Photos").locator(".nbd-gallery-item")
    expect(items).to_have_count(2, timeout=T)
    page.get_by_role("button", name="Measure").click()
    expect(page.get_by_label("Sizes", exact=True)).to_have_value("1600x1200x3 None; 30x20x3 None", timeout=T)
    for i in range(2):
        expect(items.nth(i).locator("img")).to_have_js_property("complete", True, timeout=T)
    page.screenshot(path=str(artifacts / "test_gallery_input_upload_gives_fn_arrays_uploaded.png"))
    # clearing the gallery gives fn None
    comp(page, "Photos").get_by_role("button", name="Clear Photos").click()
    expect(items).to_have_count(0)
    page.get_by_role("button", name="Measure").click()
    expect(page.get_by_label("Sizes", exact=True)).to_have_value("empty", timeout=T)
    assert page.js_errors == []


def test_gallery_select_and_preview(page: Page, script_demo: str, artifacts):
    open_script(page, script_demo)
    tiles = comp(page, "Tiles")
    expect(tiles.locator(".nbd-gallery-item")).to_have_count(3, timeout=T)
    tiles.get_by_role("button", name="tile 1").click()
    expect(page.get_by_label("Picked", exact=True)).to_have_value("index 1: tile 1", timeout=T)
    preview = tiles.get_by_role("group", name="Tiles preview")
    expect(preview).to_be_visible()
    big = preview.locator("img.nbd-gallery-big")
    expect(big).to_have_js_property("naturalWidth", 120, timeout=T)
    pixels = np.array(decode(img_bytes(page, big)))
    assert pixels.shape == (90, 120, 3) and tuple(pixels[45, 60]) == (40, 160, 40)
    page.screenshot(path=str(artifacts / "test_gallery_select_and_preview_open.png"))
    # the arrow keys move the selection (a select event each), Escape closes
    preview.focus()
    preview.press("ArrowRight")
    expect(page.get_by_label("Picked", exact=True)).to_have_value("index 2: tile 2", timeout=T)
    page.get_by_role("group", name="Tiles preview").press("ArrowRight")
    expect(page.get_by_label("Picked", exact=True)).to_have_value("index 0: tile 0", timeout=T)
    page.get_by_role("group", name="Tiles preview").press("Escape")
    expect(tiles.get_by_role("group", name="Tiles preview")).to_have_count(0)
    expect(tiles.locator(".nbd-gallery-item")).to_have_count(3)
    assert page.js_errors == []


def test_image_editor_upload_then_draw(page: Page, script_demo: str, tmp_path: Path, artifacts):
    open_script(page, script_demo)
    bg = tmp_path / "bg.png"
    PILImage.new("RGB", (200, 100), (0, 128, 0)).save(bg)
    editor = comp(page, "Editor")
    editor.get_by_label("Upload an image to draw on").set_input_files(str(bg))
    canvas = page.get_by_role("img", name="Editor")
    expect(canvas).to_have_js_property("width", 200, timeout=T)
    expect(canvas).to_have_js_property("height", 100)
    page.get_by_role("button", name="Inspect").click()
    expect(page.get_by_label("Edited", exact=True)).to_have_value("200x100 center 0,128,0", timeout=T)
    # a red stroke across the middle: the composite's centre is red
    expect(editor.get_by_role("button", name="Brush color #ff0000")).to_have_attribute("aria-pressed", "true")
    draw_stroke(page, canvas, [(0.2, 0.5), (0.8, 0.5)])
    expect(page.locator(".nbd-sketchpad.nbd-uploading")).to_have_count(0, timeout=T)
    page.get_by_role("button", name="Inspect").click()
    expect(page.get_by_label("Edited", exact=True)).to_have_value("200x100 center 255,0,0", timeout=T)
    # a blue stroke after picking the blue swatch
    editor.get_by_role("button", name="Brush color #0000ff").click()
    draw_stroke(page, canvas, [(0.5, 0.1), (0.5, 0.9)])
    expect(page.locator(".nbd-sketchpad.nbd-uploading")).to_have_count(0, timeout=T)
    page.get_by_role("button", name="Inspect").click()
    expect(page.get_by_label("Edited", exact=True)).to_have_value("200x100 center 0,0,255", timeout=T)
    canvas.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_image_editor_upload_then_draw_strokes.png"))
    editor.get_by_role("button", name="Clear canvas").click()
    page.get_by_role("button", name="Inspect").click()
    expect(page.get_by_label("Edited", exact=True)).to_have_value("nothing", timeout=T)
    assert page.js_errors == []


# -- inline: the notebooks in JupyterLab ------------------------------------------------------


def open_notebook(browser, jupyter_lab, name: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    # a workspace of its own: the default one would reopen the other tests' notebooks
    workspace = Path(name).stem
    page.goto(f"{jupyter_lab.url}lab/workspaces/{workspace}/tree/notebooks/{name}?reset&token={jupyter_lab.token}")
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1, timeout=T)
    wait_kernel(page)
    # Run All acts on the focused notebook; a click in it makes it the current one.
    # If no cell starts anyway (JupyterLab drops it now and then), ask again.
    started = page.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\*|\d+)\]")).first
    for _ in range(3):
        page.locator(".jp-NotebookPanel .jp-Cell").first.click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(started).to_be_visible(timeout=15_000)
            break
        except AssertionError:
            continue
    app = page.locator(".jp-OutputArea-output .nbd-app")
    try:
        expect(app).to_have_count(1, timeout=T)
        expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
    except AssertionError:
        page.screenshot(path=str(ARTIFACTS / f"open_{workspace}_failed.png"))
        ctx.close()
        raise
    return ctx, page, app


@pytest.fixture(scope="module")
def filters_lab(browser, jupyter_lab):
    ctx, page, app = open_notebook(browser, jupyter_lab, "image_filters.ipynb")
    yield page, app
    ctx.close()
    shut_down_kernel(jupyter_lab, "image_filters.ipynb")


@pytest.fixture(scope="module")
def digits_lab(browser, jupyter_lab):
    ctx, page, app = open_notebook(browser, jupyter_lab, "digits.ipynb")
    yield page, app
    ctx.close()
    shut_down_kernel(jupyter_lab, "digits.ipynb")


def nbdemo_errors(page: Page) -> list[str]:
    return [e for e in page.js_errors if "nbd" in e.lower()]


@pytest.mark.jupyter
def test_image_filters_sepia_inline(filters_lab, artifacts):
    page, app = filters_lab
    app.scroll_into_view_if_needed()
    out = upload_and_filter(app, PHOTO, (1600, 1200))
    assert out.get_attribute("src").startswith("blob:"), "inline images are widget buffers, not URLs"
    check_sepia(page, out, PHOTO)
    out.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_image_filters_sepia_inline.png"))
    assert nbdemo_errors(page) == []


@pytest.mark.jupyter
def test_image_4_megapixels_inline(filters_lab, big_png: Path, artifacts):
    page, app = filters_lab
    out = upload_and_filter(app, big_png, (2400, 1700))
    check_sepia(page, out, big_png)
    page.screenshot(path=str(artifacts / "test_image_4_megapixels_inline.png"))
    assert nbdemo_errors(page) == []


@pytest.mark.jupyter
def test_digits_draw_inline(digits_lab, artifacts):
    page, app = digits_lab
    check_digit_one(app, page)
    # draw again and leave it for the screenshot
    draw_stroke(page, app.get_by_role("img", name="Draw a digit"), VERTICAL)
    expect(comp(app, "Prediction").locator(".nbd-confidence")).to_have_count(3, timeout=T)
    page.screenshot(path=str(artifacts / "test_digits_draw_inline.png"))
    assert nbdemo_errors(page) == []


@pytest.mark.jupyter
def test_digits_gallery_select_inline(digits_lab, artifacts):
    page, app = digits_lab
    check_gallery_select(app)
    comp(app, "Training digits").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_digits_gallery_select_inline.png"))
    assert nbdemo_errors(page) == []
