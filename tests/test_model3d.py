"""Model3D's 3D view: the page (the viewer imported by URL) and a notebook (the
viewer's source sent over the comm), in real Chromium; the "module" message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import start_script
from notebook_ui import run_all, shut_down_kernel, wait_kernel, write_notebook
from playwright.sync_api import expect

import nbdemo as gr
from nbdemo import protocol

APPS = Path(__file__).parent / "apps"
sys.path.insert(0, str(APPS))
T = 60_000

# pixels of the view's canvas that differ from its corner (the background)
SHAPE_PIXELS = """canvas => {
  const c = document.createElement('canvas');
  c.width = canvas.width; c.height = canvas.height;
  const g = c.getContext('2d');
  g.drawImage(canvas, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 40) n++;
  }
  return n;
}"""


def test_props_are_checked_and_synced():
    m = gr.Model3D(clear_color=(0, 0, 0, 0), camera_position=(90, 45, 3), display_mode="wireframe",
                   zoom_speed=2)
    assert m._kind == "model3d" and m.type == "filepath" and m.file_count == "single"
    assert m.clear_color == [0, 0, 0, 0] and m.camera_position == [90, 45, 3]
    assert m.display_mode == "wireframe" and m.zoom_speed == 2.0
    assert m.file_types == [".obj", ".glb", ".gltf", ".stl", ".splat", ".ply"]
    with pytest.raises(ValueError, match="display_mode"):
        gr.Model3D(display_mode="shaded")
    with pytest.raises(ValueError, match="clear_color"):
        gr.Model3D(clear_color="white")


def test_the_kernel_sends_the_viewer_module_by_name_only():
    from nbdemo.notebook import comm

    sent = []
    m = gr.Model3D()
    m.send = sent.append
    comm.on_msg(m, {"type": protocol.MODULE, "name": "viewer3d"}, [])
    assert sent[-1]["type"] == "module" and sent[-1]["name"] == "viewer3d"
    assert "OrbitControls" in sent[-1]["code"] or len(sent[-1]["code"]) > 100_000
    comm.on_msg(m, {"type": protocol.MODULE, "name": "../runtime"}, [])
    assert sent[-1]["type"] == "error" and "unknown front-end module" in sent[-1]["message"]


@pytest.mark.browser
def test_model_views_on_the_page(page, tmp_path):
    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import model3d_demo\nmodel3d_demo.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        cube = page.get_by_role("img", name="3D view of cube.obj")
        canvas = cube.locator("canvas")
        expect(canvas).to_have_count(1, timeout=T)
        page.wait_for_function(f"c => ({SHAPE_PIXELS})(c) > 2000", arg=canvas.element_handle(), timeout=T)
        first = canvas.evaluate("c => c.toDataURL()")
        # dragging turns the model; the reset button brings the first view back
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2 + 30, steps=5)
        page.mouse.up()
        assert canvas.evaluate("c => c.toDataURL()") != first
        cube.get_by_role("button", name="Reset the view").click()
        assert canvas.evaluate("c => c.toDataURL()") == first
        # an output: the same file in wireframe; a function's STL
        page.get_by_role("button", name="Copy").click()
        wire = page.locator(".nbd-model3d", has_text="Wireframe").get_by_role("img", name="3D view of cube.obj")
        expect(wire.locator("canvas")).to_have_count(1, timeout=T)
        page.get_by_role("button", name="Make a pyramid").click()
        pyramid = page.get_by_role("img", name="3D view of pyramid.stl")
        expect(pyramid.locator("canvas")).to_have_count(1, timeout=T)
        page.wait_for_function(f"c => ({SHAPE_PIXELS})(c) > 1000",
                               arg=pyramid.locator("canvas").element_handle(), timeout=T)
        expect(page.locator(".nbd-model3d", has_text="Pyramid").locator(".nbd-file-name")).to_have_text("pyramid.stl")
        # the viewer is its own module: only this page loaded it
        assert page.evaluate("performance.getEntriesByType('resource').some(r => r.name.endsWith('/viewer3d.js'))")
        assert page.js_errors == []
    finally:
        proc.stop()


@pytest.mark.browser
@pytest.mark.jupyter
def test_model_view_inline(browser, jupyter_lab, artifacts):
    setup = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
             "import model3d_demo\nmodel3d_demo.build()")
    write_notebook(jupyter_lab.root / "notebooks" / "model3d.ipynb", [setup])
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/m3d/tree/notebooks/model3d.ipynb?reset&token={jupyter_lab.token}")
        expect(page.locator(".jp-NotebookPanel")).to_have_count(1, timeout=T)
        wait_kernel(page)
        run_all(page)
        app = page.locator(".jp-OutputArea-output .nbd-app")
        expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
        canvas = app.get_by_role("img", name="3D view of cube.obj").locator("canvas")
        expect(canvas).to_have_count(1, timeout=T)
        page.wait_for_function(f"c => ({SHAPE_PIXELS})(c) > 2000", arg=canvas.element_handle(), timeout=T)
        app.get_by_role("button", name="Make a pyramid").click()
        expect(app.get_by_role("img", name="3D view of pyramid.stl").locator("canvas")).to_have_count(1, timeout=T)
        page.screenshot(path=str(artifacts / "model3d_inline.png"), full_page=True)
        assert [e for e in errors if "nbd" in e.lower() or "three" in e.lower()] == []
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, "model3d.ipynb")
