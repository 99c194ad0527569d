"""The notebook door for a component shown on its own, in a real JupyterLab:
the component is an ordinary widget (inside an ipywidgets box, linked with
``ipywidgets.link``), its runtime request is answered although no demo
shows it, and what the user types reaches the kernel. (The door's messages
in process: tests/test_notebook.py.)"""

from __future__ import annotations

import nbformat
import pytest
from notebook_ui import T, run_all, shut_down_kernel, wait_kernel
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

NAME = "door_alone.ipynb"
CELLS = [
    "import ipywidgets as w\n"
    "import nbdemo as gr\n"
    "box = gr.Textbox(label='alone')\n"
    "mirror = w.Text(description='mirror')\n"
    "w.link((box, 'value'), (mirror, 'value'))\n"
    "w.VBox([box, mirror])",
    "print('kernel value:', repr(box.value))",
]


def test_a_component_on_its_own_renders_and_syncs(browser, jupyter_lab, artifacts):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, jupyter_lab.root / "notebooks" / NAME)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/door/tree/notebooks/{NAME}?reset&token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        box = page.get_by_label("alone", exact=True)
        expect(box).to_be_visible(timeout=T)  # the stub got the runtime: no demo needed
        mirror = page.locator(".widget-text input").first
        box.fill("typed in nbdemo")
        box.press("Enter")
        expect(mirror).to_have_value("typed in nbdemo", timeout=T)  # kernel-side link ran
        mirror.fill("typed in ipywidgets")
        mirror.press("Enter")
        expect(box).to_have_value("typed in ipywidgets", timeout=T)  # and back
        cell = page.locator(".jp-CodeCell").last
        editor = cell.locator(".jp-InputArea-editor .cm-content")
        editor.click()
        editor.press("Control+Enter")
        expect(cell.locator(".jp-OutputArea-output").first).to_contain_text(
            "kernel value: 'typed in ipywidgets'", timeout=T)
        page.screenshot(path=str(artifacts / "test_a_component_on_its_own_renders_and_syncs.png"))
        assert [e for e in errors if "nbd" in e.lower()] == []
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, NAME)
