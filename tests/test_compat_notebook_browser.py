"""Issue 11's features inline, in a real JupyterLab: tests/apps' compat demos
displayed in a notebook cell (layout events and updates through the root's
comm, native plots and LaTeX from the one-file runtime, a templated gr.HTML and
js= listeners whose code the notebook imports from blob: URLs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from notebook_ui import run_all, shut_down_kernel, wait_kernel, write_notebook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

T = 60_000  # generous: JupyterLab and a kernel share 2 cores with other runs
APPS = Path(__file__).parent / "apps"


def _notebook(path: Path) -> None:
    setup = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
             "import compat_layout, compat_plots, compat_chat, compat_html, compat_js")
    write_notebook(path, [setup, "compat_layout.build()", "compat_plots.build()", "compat_chat.build()",
                          "compat_html.build()", "compat_js.build()"])


def test_compat_demos_inline(browser, jupyter_lab, artifacts):
    _notebook(jupyter_lab.root / "notebooks" / "compat.ipynb")
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/compat/tree/notebooks/compat.ipynb?reset&token={jupyter_lab.token}")
        expect(page.locator(".jp-NotebookPanel")).to_have_count(1, timeout=T)
        wait_kernel(page)
        run_all(page)
        apps = page.locator(".jp-OutputArea-output .nbd-app")
        expect(apps).to_have_count(5, timeout=T)
        layout = apps.nth(0)
        expect(layout).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
        # Tab.select through the root widget's comm; a function hides and shows a Column
        layout.get_by_role("tab", name="Sent").click()
        expect(layout.get_by_role("textbox", name="Log")).to_have_value("1:Sent", timeout=T)
        extra = layout.get_by_text("Extra settings")
        expect(extra).to_be_hidden()
        layout.get_by_role("checkbox", name="Show extra").check()
        expect(extra).to_be_visible(timeout=T)
        # the runtime draws the plots (uPlot inline) and the chat's formula (KaTeX inline)
        expect(apps.nth(1).locator(".nbd-nativeplot canvas")).to_have_count(3, timeout=T)
        expect(apps.nth(2).get_by_role("log", name="Formulas").locator("math")).to_have_count(2, timeout=T)
        # the author's JavaScript, imported from blob: URLs inline: a templated gr.HTML ...
        stars = apps.nth(3).locator("#stars")
        expect(stars.locator(".star")).to_have_count(5, timeout=T)
        stars.get_by_role("button", name="star 4").click()
        expect(stars.locator(".lit")).to_have_count(4)
        stars.get_by_role("button", name="Send rating").click()
        expect(apps.nth(3).get_by_role("textbox", name="Sent")).to_have_value("4 stars (4 by mouse)", timeout=T)
        # ... and js= of the Blocks and of a listener
        expect(page.locator("body")).to_have_attribute("data-welcomed", "yes", timeout=T)
        apps.nth(4).get_by_role("button", name="Shout in the browser").click()
        expect(apps.nth(4).get_by_role("textbox", name="Loud")).to_have_value("STRESSED!", timeout=T)
        page.screenshot(path=str(artifacts / "compat_notebook_inline.png"), full_page=True)
        assert [e for e in errors if "nbd" in e.lower()] == []
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, "compat.ipynb")
