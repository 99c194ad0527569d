"""gr.render in real headless Chromium, on the standalone page (the demos of
tests/apps/render_apps.py served by an nbdemo server in this process):

- one box per word of a sentence, built again as the sentence changes, at
  the render's place in the layout (between the sentence and what follows);
- "Add row" / "Remove row": what was typed in keyed rows survives rows being
  added and removed, in the same input element (the page kept it), and a
  listener the render adds to a button outside reads the rows;
- buttons made in a render run listeners made in the same run, writing into
  a component outside the render and one inside it;
- two pages of one demo render independently.

Inline in JupyterLab: the rows and votes demos in a notebook (the kernel
carries a keyed row's value over to its new widget), and typing that renders
on every key keeps the focus (only the render's part is rebuilt). Every test saves a
screenshot into tests/artifacts/; the timeouts are hang guards.
"""

from __future__ import annotations

import re
import sys

import nbformat
import pytest
from conftest import ROOT
from nbformat.v4 import new_code_cell, new_notebook
from notebook_ui import run_all, shut_down_kernel, wait_kernel
from playwright.sync_api import Page, expect

sys.path.insert(0, str(ROOT / "tests" / "apps"))
import render_apps as apps  # noqa: E402

pytestmark = pytest.mark.browser

T = 30_000  # ms; a hang guard


def open_demo(page: Page, serve, demo) -> str:
    url = serve(demo).url
    page.goto(url)
    page.wait_for_selector("body[data-nbdemo-ready][data-nbdemo-connected]", timeout=T)
    return url


def test_one_box_per_word_at_the_render_place(serve, page: Page):
    open_demo(page, serve, apps.words())
    expect(page.get_by_text("No words yet.")).to_be_visible(timeout=T)
    sentence = page.get_by_label("Sentence", exact=True)
    sentence.fill("the quick brown fox")
    expect(page.get_by_label("Word 4", exact=True)).to_have_value("fox", timeout=T)
    words = page.get_by_label(re.compile(r"^Word \d+$"))
    expect(page.get_by_text("4 word(s)")).to_be_visible()
    expect(words).to_have_count(4)
    assert [page.get_by_label(f"Word {i}", exact=True).input_value() for i in range(1, 5)] \
        == ["the", "quick", "brown", "fox"]
    # between the sentence and the Markdown that follows the render in the demo
    top = sentence.bounding_box()["y"]
    word_y = page.get_by_label("Word 1", exact=True).bounding_box()["y"]
    below = page.get_by_text("Below the words.").bounding_box()["y"]
    assert top < word_y < below
    sentence.fill("")
    sentence.press_sequentially("jumps over", delay=40)  # a render per key: the focus stays
    expect(page.get_by_label("Word 2", exact=True)).to_have_value("over", timeout=T)
    expect(sentence).to_have_value("jumps over")
    expect(sentence).to_be_focused()
    expect(page.get_by_label("Word 3", exact=True)).to_have_count(0)
    expect(page.get_by_text("No words yet.")).to_have_count(0)
    expect(words).to_have_count(2)
    sentence.fill("")
    expect(page.get_by_text("No words yet.")).to_be_visible(timeout=T)
    assert page.js_errors == []


def test_typed_rows_survive_adding_and_removing_rows(serve, page: Page):
    open_demo(page, serve, apps.rows())
    row1, row2 = page.get_by_label("Row 1", exact=True), page.get_by_label("Row 2", exact=True)
    expect(row2).to_be_visible(timeout=T)
    row1.fill("alpha")
    row2.fill("beta")
    row1.evaluate("el => { el.__mark = 'same element'; }")
    page.get_by_role("button", name="Add row").click()
    row3 = page.get_by_label("Row 3", exact=True)
    expect(row3).to_be_visible(timeout=T)
    expect(row3).to_have_value("")
    expect(row1).to_have_value("alpha")
    expect(row2).to_have_value("beta")
    assert row1.evaluate("el => el.__mark") == "same element"  # kept, not built again
    row3.fill("gamma")
    page.get_by_role("button", name="Save").click()
    saved = page.get_by_label("Saved", exact=True)
    expect(saved).to_have_value("alpha | beta | gamma", timeout=T)
    page.get_by_role("button", name="Remove row").click()
    expect(row3).to_have_count(0, timeout=T)
    page.get_by_role("button", name="Remove row").click()
    expect(row2).to_have_count(0, timeout=T)
    expect(row1).to_have_value("alpha")
    page.get_by_role("button", name="Add row").click()
    expect(row2).to_be_visible(timeout=T)
    expect(row2).to_have_value("")  # the removed row's text went with it
    page.get_by_role("button", name="Save").click()
    expect(saved).to_have_value("alpha | ", timeout=T)
    assert page.js_errors == []


def test_a_listener_made_in_a_render_runs(serve, page: Page):
    open_demo(page, serve, apps.votes())
    picked, tally = page.get_by_label("Picked", exact=True), page.get_by_label("Tally", exact=True)
    expect(tally).to_have_value("no votes", timeout=T)
    page.get_by_role("button", name="Vote green").click()
    expect(picked).to_have_value("green", timeout=T)
    expect(tally).to_have_value("last vote: green", timeout=T)
    options = page.get_by_label("Options", exact=True)
    options.fill("cats, dogs")
    options.press("Enter")
    expect(page.get_by_role("button", name="Vote green")).to_have_count(0, timeout=T)
    expect(tally).to_have_value("no votes", timeout=T)  # the new run's own Tally
    page.get_by_role("button", name="Vote dogs").click()
    expect(picked).to_have_value("dogs", timeout=T)
    expect(tally).to_have_value("last vote: dogs", timeout=T)
    assert page.js_errors == []


def test_two_pages_render_independently(serve, page: Page, browser, artifacts):
    url = open_demo(page, serve, apps.words())
    other_ctx = browser.new_context()
    other = other_ctx.new_page()
    try:
        other.goto(url)
        other.wait_for_selector("body[data-nbdemo-ready][data-nbdemo-connected]", timeout=T)
        page.get_by_label("Sentence", exact=True).fill("red green")
        other.get_by_label("Sentence", exact=True).fill("blue")
        expect(page.get_by_label("Word 2", exact=True)).to_have_value("green", timeout=T)
        expect(other.get_by_label("Word 1", exact=True)).to_have_value("blue", timeout=T)
        expect(other.get_by_label("Word 2", exact=True)).to_have_count(0)
        expect(page.get_by_label("Word 1", exact=True)).to_have_value("red")
        other.screenshot(path=str(artifacts / "test_two_pages_render_independently_other.png"))
    finally:
        other_ctx.close()


# -- inline, in JupyterLab -------------------------------------------------------------------

INLINE_NOTEBOOK = "render_inline.ipynb"


@pytest.fixture(scope="module")
def lab(browser, jupyter_lab):
    """A notebook showing the rows, votes and words demos, all cells run."""
    setup = (f"import sys\nsys.path.insert(0, {str(ROOT / 'tests' / 'apps')!r})\n"
             "import render_apps as apps")
    cells = [new_code_cell(c) for c in (setup, "apps.rows()", "apps.votes()", "apps.words()")]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}),
        jupyter_lab.root / "notebooks" / INLINE_NOTEBOOK)
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/render/tree/notebooks/{INLINE_NOTEBOOK}"
                  f"?reset&token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        apps_ = page.locator(".jp-OutputArea-output .nbd-app")
        expect(apps_).to_have_count(3, timeout=T * 2)
        yield page, apps_
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, INLINE_NOTEBOOK)


@pytest.mark.jupyter
def test_rows_and_a_listener_made_in_a_render_inline(lab, artifacts):
    page, demos = lab
    rows, votes = demos.nth(0), demos.nth(1)
    rows.scroll_into_view_if_needed()
    row1, row2 = rows.get_by_label("Row 1", exact=True), rows.get_by_label("Row 2", exact=True)
    expect(row2).to_be_visible(timeout=T * 2)
    row1.fill("alpha")
    rows.get_by_role("button", name="Add row").click()
    expect(rows.get_by_label("Row 3", exact=True)).to_be_visible(timeout=T)
    expect(row1).to_have_value("alpha")  # a new widget: the kernel carried the value over
    row2.fill("beta")
    rows.get_by_role("button", name="Save").click()
    expect(rows.get_by_label("Saved", exact=True)).to_have_value("alpha | beta | ", timeout=T)
    page.screenshot(path=str(artifacts / "test_rows_inline.png"))
    votes.scroll_into_view_if_needed()
    votes.get_by_role("button", name="Vote blue").click()
    expect(votes.get_by_label("Picked", exact=True)).to_have_value("blue", timeout=T)
    expect(votes.get_by_label("Tally", exact=True)).to_have_value("last vote: blue", timeout=T)
    page.screenshot(path=str(artifacts / "test_votes_inline.png"))
    assert [e for e in page.js_errors if "nbd" in e.lower()] == []


@pytest.mark.jupyter
def test_typing_that_renders_keeps_the_focus_inline(lab, artifacts):
    """Each keystroke in the sentence renders again: only the render's part of
    the demo is rebuilt, so the sentence keeps the focus and every key."""
    page, demos = lab
    words = demos.nth(2)
    words.scroll_into_view_if_needed()
    sentence = words.get_by_label("Sentence", exact=True)
    expect(words.get_by_text("No words yet.")).to_be_visible(timeout=T * 2)
    sentence.click()
    sentence.press_sequentially("one two three four", delay=60)
    expect(words.get_by_label("Word 4", exact=True)).to_have_value("four", timeout=T)
    expect(sentence).to_have_value("one two three four")
    expect(sentence).to_be_focused()
    page.screenshot(path=str(artifacts / "test_words_inline.png"))
    assert [e for e in page.js_errors if "nbd" in e.lower()] == []
