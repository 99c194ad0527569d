"""notebooks/quickstart.ipynb in a real JupyterLab (and Notebook 7), driven
by headless Chromium: Run All, then every inline demo is used like a person
would, and what the kernel sees is read back from a printed cell.

The JupyterLab tests share one page (one notebook, one kernel) and run in
file order; each saves its own screenshot into tests/artifacts/.
"""

from __future__ import annotations

import re
import uuid

import pytest
from notebook_ui import run_all, wait_kernel
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

T = 60_000  # generous: JupyterLab, a kernel and other test runs share 2 cores
NOTEBOOK = "notebooks/quickstart.ipynb"
N_DEMOS = 6
HELLO, CALC, LAYOUT, VISIBILITY, COUNTER, SLOW = range(N_DEMOS)
PENDING = re.compile(r"\bnbd-pending\b")


# -- helpers -----------------------------------------------------------------------

def apps(page: Page) -> Locator:
    return page.locator(".jp-OutputArea-output .nbd-app")


def wait_demos(page: Page) -> None:
    expect(apps(page)).to_have_count(N_DEMOS, timeout=T)
    for i in range(N_DEMOS):
        expect(apps(page).nth(i)).to_have_attribute("data-nbdemo-ready", "1", timeout=T)


def code_cell(page: Page, source_text: str) -> Locator:
    """The code cell whose *source* contains ``source_text``."""
    return page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=source_text))


def last_code_cell(page: Page) -> Locator:
    return page.locator(".jp-CodeCell").last


def rerun(cell: Locator) -> None:
    """Click into the cell's editor and run just that cell (Ctrl+Enter)."""
    editor = cell.locator(".jp-InputArea-editor .cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    editor.press("Control+Enter")


def block_of(app: Locator, label: str) -> Locator:
    """The `.nbd-block` wrapper (where nbd-pending shows) of the control labelled ``label``."""
    return app.locator(".nbd-block[data-nbd-id]").filter(has=app.page.get_by_label(label, exact=True))


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


@pytest.fixture(scope="module")
def lab(browser, jupyter_lab):
    """The quickstart notebook open in JupyterLab, all cells run."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    page.goto(f"{jupyter_lab.url}lab/tree/{NOTEBOOK}?token={jupyter_lab.token}")
    wait_kernel(page)
    run_all(page)
    wait_demos(page)
    yield page
    ctx.close()


@pytest.fixture
def lab_page(lab, request, artifacts):
    """The shared JupyterLab page; a screenshot of the viewport after each test."""
    yield lab
    lab.screenshot(path=str(artifacts / f"{request.node.name}.png"))


def nbdemo_errors(page: Page) -> list[str]:
    return [e for e in page.js_errors if "nbdemo" in e.lower() or "nbd" in e.lower()]


# -- JupyterLab -----------------------------------------------------------------

def test_run_all_renders_every_demo(lab_page: Page):
    page = lab_page
    wait_demos(page)
    # every demo is visible inline, with its own controls
    app = apps(page)
    expect(app.nth(HELLO).get_by_label("name", exact=True)).to_be_visible()
    expect(app.nth(CALC).get_by_role("heading", name="Calculator")).to_be_visible()
    expect(app.nth(LAYOUT).get_by_role("tab", name="Shout")).to_be_visible()
    expect(app.nth(VISIBILITY).get_by_label("Show details", exact=True)).to_be_visible()
    expect(app.nth(COUNTER).get_by_role("button", name="Increment")).to_be_visible()
    expect(app.nth(SLOW).get_by_label("seconds", exact=True)).to_be_visible()
    # the last cell sets a value from Python: the page shows it
    expect(app.nth(HELLO).get_by_label("output", exact=True)).to_have_value("Set from the kernel", timeout=T)
    # nothing failed to load (the runtime comes from the kernel, not a CDN)
    expect(page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")).to_have_count(0)
    # launch() inline shows the demo and nothing else (no "(None, None, None)")
    slow_cell = code_cell(page, "slow_demo.launch()")
    expect(slow_cell.locator(".jp-OutputArea-output")).to_have_count(1)
    expect(slow_cell.locator(".jp-OutputArea-output .nbd-app")).to_have_count(1)
    app.nth(HELLO).scroll_into_view_if_needed()
    assert nbdemo_errors(page) == []


def test_hello_inline(lab_page: Page):
    app = apps(lab_page).nth(HELLO)
    app.scroll_into_view_if_needed()
    name = app.get_by_label("name", exact=True)
    output = app.get_by_label("output", exact=True)
    name.fill("Ada")
    app.get_by_role("button", name="Submit").click()
    expect(output).to_have_value("Hello, Ada!", timeout=T)
    name.fill("")
    name.press_sequentially("Grace")
    name.press("Enter")
    expect(output).to_have_value("Hello, Grace!", timeout=T)


def test_kernel_sees_typed_value(lab_page: Page):
    page = lab_page
    app = apps(page).nth(HELLO)
    typed = f"typed {uuid.uuid4().hex[:6]}"
    name = app.get_by_label("name", exact=True)
    name.scroll_into_view_if_needed()
    name.fill(typed)
    cell = last_code_cell(page)
    rerun(cell)
    out = cell.locator(".jp-OutputArea-output")
    expect(out.first).to_contain_text(f"hello input: '{typed}'", timeout=T)
    expect(out.first).to_contain_text("kernel is free:")


def test_calculator_inline(lab_page: Page, artifacts):
    app = apps(lab_page).nth(CALC)
    app.scroll_into_view_if_needed()
    a = app.get_by_label("a", exact=True)
    b = app.get_by_label("b", exact=True)
    result = app.get_by_label("result", exact=True)
    submit = app.get_by_role("button", name="Submit")

    a.fill("6")
    app.get_by_label("multiply", exact=True).check()
    b.fill("7")
    submit.click()
    expect(result).to_have_value("42", timeout=T)

    # the arrow keys move the radio choice (and not JupyterLab's cell selection)
    multiply = app.get_by_label("multiply", exact=True)
    multiply.focus()
    multiply.press("ArrowLeft")
    expect(app.get_by_label("subtract", exact=True)).to_be_checked(timeout=T)
    expect(app.get_by_label("subtract", exact=True)).to_be_focused()
    submit.focus()
    submit.press("Enter")
    expect(result).to_have_value("-1", timeout=T)

    # an example row fills the inputs
    app.locator(".nbd-sample").filter(has_text="144").click()
    expect(a).to_have_value("144", timeout=T)
    expect(app.get_by_label("multiply", exact=True)).to_be_checked(timeout=T)
    expect(b).to_have_value("2.5", timeout=T)
    submit.click()
    expect(result).to_have_value("360", timeout=T)

    app.locator(".nbd-sample").filter(has_text="3.14").click()
    expect(app.get_by_label("divide", exact=True)).to_be_checked(timeout=T)
    expect(b).to_have_value("2", timeout=T)

    # dividing by zero: the gr.Error message as a toast inside this demo
    b.fill("0")
    submit.click()
    toast = app.locator(".nbd-toast").filter(has_text="Cannot divide by zero!")
    expect(toast).to_be_visible(timeout=T)
    expect(toast).to_have_attribute("role", "alert")
    expect(block_of(app, "result")).not_to_have_class(PENDING, timeout=T)
    toast.scroll_into_view_if_needed()
    shot(lab_page, artifacts, "test_calculator_inline_error_toast")

    # and the next Submit works
    b.fill("4")
    submit.click()
    expect(result).to_have_value("0.785", timeout=T)
    toast.get_by_role("button", name="Close").click()
    expect(toast).to_have_count(0)


def test_layout_tabs_inline(lab_page: Page, artifacts):
    app = apps(lab_page).nth(LAYOUT)
    app.scroll_into_view_if_needed()
    text = app.get_by_label("Text", exact=True)
    loud = app.get_by_label("Loud", exact=True)
    text.fill("hello there")
    app.get_by_role("button", name="Shout").click()
    expect(loud).to_have_value("HELLO THERE", timeout=T)
    text.fill("and again")
    text.press("Enter")
    expect(loud).to_have_value("AND AGAIN", timeout=T)

    order_tab = app.get_by_role("tab", name="Order")
    order_tab.click()
    expect(order_tab).to_have_attribute("aria-selected", "true")
    expect(text).to_be_hidden()
    summary = app.get_by_role("tabpanel", name="Order").get_by_label("Order", exact=True)
    size = app.get_by_label("Size", exact=True)
    expect(size).to_be_visible()
    size.focus()
    size.press("ArrowRight")
    expect(app.get_by_label("Size number", exact=True)).to_have_value("4", timeout=T)
    expect(summary).to_contain_text('"size": 4', timeout=T)
    app.get_by_label("Color", exact=True).select_option("red")
    expect(summary).to_contain_text('"color": "red"', timeout=T)
    app.get_by_label("herbs", exact=True).check()
    expect(summary).to_have_text(re.compile(r'"extras": \[\s*"herbs"\s*\]'), timeout=T)
    app.scroll_into_view_if_needed()
    shot(lab_page, artifacts, "test_layout_tabs_inline_order")


def test_visibility_inline(lab_page: Page):
    app = apps(lab_page).nth(VISIBILITY)
    app.scroll_into_view_if_needed()
    show = app.get_by_label("Show details", exact=True)
    details = app.get_by_label("Details", exact=True)
    expect(details).to_have_value("Visible while the box is checked")
    show.uncheck()
    expect(details).to_be_hidden(timeout=T)
    show.check()
    expect(details).to_be_visible(timeout=T)
    expect(details).to_have_value("Visible while the box is checked")


def test_counter_inline(lab_page: Page):
    app = apps(lab_page).nth(COUNTER)
    app.scroll_into_view_if_needed()
    count = app.get_by_label("Count", exact=True)
    expect(count).to_have_value("Not clicked yet")
    for i in range(1, 4):
        app.get_by_role("button", name="Increment").click()
        expect(count).to_have_value(f"Clicked {i} time(s)", timeout=T)


def test_kernel_stays_usable_while_slow_runs(lab_page: Page, artifacts):
    page = lab_page
    # a fresh value to look for in the printed cell
    typed = f"while slow {uuid.uuid4().hex[:6]}"
    hello = apps(page).nth(HELLO)
    hello.scroll_into_view_if_needed()
    hello.get_by_label("name", exact=True).fill(typed)

    app = apps(page).nth(SLOW)
    app.scroll_into_view_if_needed()
    result = app.get_by_label("result", exact=True)
    out_block = block_of(app, "result")
    expect(app.get_by_label("seconds number", exact=True)).to_have_value("5")
    expect(result).to_have_value("")
    app.get_by_role("button", name="Submit").click()
    expect(out_block).to_have_class(PENDING, timeout=T)

    # while the demo function sleeps, run another cell
    cell = last_code_cell(page)
    rerun(cell)
    out = cell.locator(".jp-OutputArea-output").first
    expect(out).to_contain_text(f"hello input: '{typed}'", timeout=T)
    # that cell finished while the slow demo is still pending
    assert PENDING.search(out_block.get_attribute("class") or ""), "the slow demo finished first"
    assert result.input_value() == ""
    out.scroll_into_view_if_needed()
    shot(page, artifacts, "test_kernel_stays_usable_cell_done")

    # then the slow result arrives
    expect(result).to_have_value("Done after 5 s", timeout=T)
    expect(out_block).not_to_have_class(PENDING, timeout=T)
    app.scroll_into_view_if_needed()


def test_slow_inline_short(lab_page: Page):
    app = apps(lab_page).nth(SLOW)
    app.scroll_into_view_if_needed()
    number = app.get_by_label("seconds number", exact=True)
    number.fill("1")
    expect(app.get_by_label("seconds", exact=True)).to_have_value("1")
    app.get_by_role("button", name="Submit").click()
    result = app.get_by_label("result", exact=True)
    expect(result).to_have_value("Done after 1 s", timeout=T)


def test_rerun_demo_cell_replaces_demo(lab_page: Page):
    page = lab_page
    cell = code_cell(page, "def greet")
    old_app = cell.locator(".nbd-app")
    expect(old_app).to_have_count(1)
    old_app.get_by_label("name", exact=True).fill("before rerun")
    old_id = block_of(old_app, "name").get_attribute("data-nbd-id")

    rerun(cell)
    new_app = cell.locator(".nbd-app[data-nbdemo-ready]")
    name = new_app.get_by_label("name", exact=True)
    # a new demo (new components) took the old one's place
    expect(name).to_have_value("", timeout=T)
    expect(cell.locator(".nbd-app")).to_have_count(1)
    assert block_of(new_app, "name").get_attribute("data-nbd-id") != old_id
    expect(apps(page)).to_have_count(N_DEMOS)

    name.fill("after rerun")
    new_app.get_by_role("button", name="Submit").click()
    expect(new_app.get_by_label("output", exact=True)).to_have_value("Hello, after rerun!", timeout=T)
    name.press("Enter")
    expect(new_app.get_by_label("output", exact=True)).to_have_value("Hello, after rerun!", timeout=T)

    # the kernel reads the new demo's value
    last = last_code_cell(page)
    rerun(last)
    expect(last.locator(".jp-OutputArea-output").first).to_contain_text(
        "hello input: 'after rerun'", timeout=T)
    new_app.scroll_into_view_if_needed()
    expect(new_app.get_by_label("output", exact=True)).to_be_in_viewport()
    assert nbdemo_errors(page) == []


# -- Notebook 7 --------------------------------------------------------------------

def test_notebook7_hello(browser, jupyter_lab, artifacts):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}notebooks/{NOTEBOOK}?token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        wait_demos(page)
        app = apps(page).nth(HELLO)
        app.scroll_into_view_if_needed()
        name = app.get_by_label("name", exact=True)
        name.fill("Notebook 7")
        app.get_by_role("button", name="Submit").click()
        expect(app.get_by_label("output", exact=True)).to_have_value("Hello, Notebook 7!", timeout=T)
        page.screenshot(path=str(artifacts / "test_notebook7_hello.png"))
        assert [e for e in errors if "nbd" in e.lower()] == []
    finally:
        ctx.close()
