"""The built-in gallery (`python -m nbdemo demo`) used like a person would, in
real headless Chromium: every demo page is opened, typed into and clicked.

Every test also checks that the page talked to no host but 127.0.0.1 and
raised no uncaught JavaScript error.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from nbdemo.demos import DEMOS, DESCRIPTIONS

pytestmark = pytest.mark.browser

T = 30_000  # generous: the machine has 2 cores shared with other test runs


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    """Every URL the page requests (HTTP and WebSocket)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def assert_clean(page: Page, requests_seen: list[str]) -> None:
    assert page.js_errors == [], page.js_errors
    assert requests_seen, "no request was recorded"
    for url in requests_seen:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert parts.hostname == "127.0.0.1", f"request to another host: {url}"


def open_demo(page: Page, gallery: str, name: str, query: str = "") -> None:
    page.goto(f"{gallery}{name}/{query}")
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)


def block_of(page: Page, label_locator) -> object:
    """The `.nbd-block` wrapper (where nbd-pending is shown) around a control."""
    return page.locator(".nbd-block[data-nbd-id]").filter(has=label_locator)


# -- the index -----------------------------------------------------------------

def test_index_lists_every_demo(page: Page, gallery: str, requests_seen):
    page.goto(gallery)
    links = page.locator(".nbd-demo-list a")
    expect(links).to_have_count(len(DEMOS), timeout=T)
    for name, title in DEMOS.items():
        link = page.get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", re.compile(rf"(^|/){name}/$"))
        expect(page.locator(".nbd-demo-list li").filter(has=link)).to_contain_text(DESCRIPTIONS[name])
    # following a link opens that demo
    page.get_by_role("link", name=DEMOS["hello"], exact=True).click()
    expect(page).to_have_url(f"{gallery}hello/")
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.get_by_role("heading", name="Hello, world")).to_be_visible()
    # and the page links back to the gallery
    page.get_by_role("link", name="nbdemo gallery").click()
    expect(page).to_have_url(gallery)
    expect(links).to_have_count(len(DEMOS), timeout=T)
    # a click anywhere on a card opens its demo
    box = page.locator(".nbd-demo-list li").filter(has_text=DESCRIPTIONS["counter"]).locator("p").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(f"{gallery}counter/")
    assert_clean(page, requests_seen)


# -- hello ---------------------------------------------------------------------

def test_hello_submit_button_and_enter(page: Page, gallery: str, requests_seen):
    open_demo(page, gallery, "hello")
    name = page.get_by_label("name", exact=True)
    output = page.get_by_label("output", exact=True)
    expect(name).to_be_visible()
    expect(output).to_have_value("")
    name.fill("Ada")
    page.get_by_role("button", name="Submit").click()
    expect(output).to_have_value("Hello, Ada!", timeout=T)

    # Enter in the textbox submits too
    name.fill("Grace")
    name.press("Enter")
    expect(output).to_have_value("Hello, Grace!", timeout=T)

    # typing character by character, like a person, then Enter
    name.fill("")
    name.press_sequentially("Linus")
    name.press("Enter")
    expect(output).to_have_value("Hello, Linus!", timeout=T)

    # Clear empties both
    page.get_by_role("button", name="Clear").click()
    expect(name).to_have_value("", timeout=T)
    expect(output).to_have_value("", timeout=T)
    assert_clean(page, requests_seen)


# -- calculator ------------------------------------------------------------------

def test_calculator(page: Page, gallery: str, requests_seen, artifacts):
    open_demo(page, gallery, "calculator")
    a = page.get_by_label("a", exact=True)
    b = page.get_by_label("b", exact=True)
    result = page.get_by_label("result", exact=True)
    submit = page.get_by_role("button", name="Submit")

    a.fill("6")
    page.get_by_label("multiply", exact=True).check()
    b.fill("7")
    submit.click()
    expect(result).to_have_value("42", timeout=T)

    page.get_by_label("subtract", exact=True).check()
    submit.click()
    expect(result).to_have_value("-1", timeout=T)

    # by keyboard: arrows move the radio choice and the focus stays on it
    add = page.get_by_label("add", exact=True)
    add.check()
    add.press("ArrowRight")
    expect(page.get_by_label("subtract", exact=True)).to_be_checked(timeout=T)
    expect(page.get_by_label("subtract", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("multiply", exact=True)).to_be_checked(timeout=T)
    expect(page.get_by_label("multiply", exact=True)).to_be_focused()
    submit.focus()
    page.keyboard.press("Enter")
    expect(result).to_have_value("42", timeout=T)

    # an example row fills the inputs
    row = page.locator(".nbd-sample").filter(has_text="144")
    expect(row).to_have_count(1)
    row.click()
    expect(a).to_have_value("144", timeout=T)
    expect(page.get_by_label("multiply", exact=True)).to_be_checked(timeout=T)
    expect(b).to_have_value("2.5", timeout=T)
    submit.click()
    expect(result).to_have_value("360", timeout=T)

    # another example, picked with the keyboard
    row = page.locator(".nbd-sample").filter(has_text="3.14")
    row.focus()
    row.press("Enter")
    expect(a).to_have_value("3.14", timeout=T)
    expect(page.get_by_label("divide", exact=True)).to_be_checked(timeout=T)
    expect(b).to_have_value("2", timeout=T)
    submit.click()
    expect(result).to_have_value("1.57", timeout=T)

    # divide by zero: the gr.Error message is shown as a toast
    b.fill("0")
    submit.click()
    toast = page.locator(".nbd-toast").filter(has_text="Cannot divide by zero!")
    expect(toast).to_be_visible(timeout=T)
    expect(page.get_by_role("alert")).to_contain_text("Cannot divide by zero!")
    expect(block_of(page, result)).not_to_have_class(re.compile(r"\bnbd-pending\b"), timeout=T)
    page.screenshot(path=str(artifacts / "test_calculator_error_toast.png"), full_page=True)

    # the demo still works after the error
    b.fill("4")
    submit.click()
    expect(result).to_have_value("0.785", timeout=T)

    # the toast can be closed
    toast.get_by_role("button", name="Close").click()
    expect(toast).to_have_count(0)
    assert_clean(page, requests_seen)


# -- layout ----------------------------------------------------------------------

def test_layout_tabs(page: Page, gallery: str, requests_seen):
    open_demo(page, gallery, "layout")
    shout_tab = page.get_by_role("tab", name="Shout")
    order_tab = page.get_by_role("tab", name="Order")
    expect(shout_tab).to_have_attribute("aria-selected", "true")

    text = page.get_by_label("Text", exact=True)
    loud = page.get_by_label("Loud", exact=True)
    text.fill("hello there")
    page.get_by_role("button", name="Shout").click()
    expect(loud).to_have_value("HELLO THERE", timeout=T)
    text.fill("quiet please")
    text.press("Enter")
    expect(loud).to_have_value("QUIET PLEASE", timeout=T)

    # the Order tab's controls are hidden until the tab is picked
    size = page.get_by_label("Size", exact=True)
    expect(size).to_be_hidden()
    order_tab.click()
    expect(order_tab).to_have_attribute("aria-selected", "true")
    expect(text).to_be_hidden()
    expect(size).to_be_visible()

    # the JSON output labelled "Order" inside the tab panel named "Order"
    summary = page.get_by_role("tabpanel", name="Order").get_by_label("Order", exact=True)
    expect(summary).to_be_visible()

    # slider by keyboard: 3 → 5
    size.focus()
    size.press("ArrowRight")
    size.press("ArrowRight")
    expect(page.get_by_label("Size number", exact=True)).to_have_value("5", timeout=T)
    expect(summary).to_contain_text('"size": 5', timeout=T)
    expect(summary).to_contain_text('"color": "green"')

    color = page.get_by_label("Color", exact=True)
    color.select_option("blue")
    expect(summary).to_contain_text('"color": "blue"', timeout=T)
    # by keyboard: the select keeps the focus while its value round-trips
    color.focus()
    color.press("ArrowUp")
    expect(summary).to_contain_text('"color": "green"', timeout=T)
    expect(color).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(summary).to_contain_text('"color": "blue"', timeout=T)
    expect(color).to_be_focused()

    page.get_by_label("sauce", exact=True).check()
    expect(summary).to_contain_text('"sauce"', timeout=T)
    page.get_by_label("cheese", exact=True).check()
    # CheckboxGroup keeps the choices' order, not the click order
    expect(summary).to_have_text(re.compile(r'"extras": \[\s*"cheese",\s*"sauce"\s*\]'), timeout=T)
    expect(summary).to_contain_text('"size": 5')

    # Space toggles a focused checkbox, twice in a row
    herbs = page.get_by_label("herbs", exact=True)
    herbs.focus()
    page.keyboard.press("Space")
    expect(summary).to_contain_text('"herbs"', timeout=T)
    expect(herbs).to_be_focused()
    page.keyboard.press("Space")
    expect(summary).not_to_contain_text('"herbs"', timeout=T)
    expect(herbs).not_to_be_checked()

    # the number box next to the slider drives it too
    page.get_by_label("Size number", exact=True).fill("9")
    expect(summary).to_contain_text('"size": 9', timeout=T)
    expect(size).to_have_value("9")

    # back to the first tab: what was typed is still there
    shout_tab.click()
    expect(loud).to_have_value("QUIET PLEASE")
    order_tab.click()
    assert_clean(page, requests_seen)


# -- visibility ----------------------------------------------------------------

def test_visibility_updates(page: Page, gallery: str, requests_seen, artifacts):
    open_demo(page, gallery, "visibility")
    show = page.get_by_label("Show details", exact=True)
    # the second output is relabelled by the demo, so pin both by their block id
    details_id = block_of(page, page.get_by_label("Details", exact=True)).get_attribute("data-nbd-id")
    extra_id = block_of(page, page.get_by_label("Extra", exact=True)).get_attribute("data-nbd-id")
    details = page.locator(f'.nbd-block[data-nbd-id="{details_id}"]').get_by_role("textbox")
    extra = page.locator(f'.nbd-block[data-nbd-id="{extra_id}"]').get_by_role("textbox")
    expect(show).to_be_checked()
    expect(details).to_be_visible()
    expect(details).to_have_value("Visible while the box is checked")
    expect(extra).to_be_visible()

    show.uncheck()
    expect(details).to_be_hidden(timeout=T)
    # the other output got a new label and was made read-only
    expect(page.get_by_label("Extra (read-only)", exact=True)).to_be_visible(timeout=T)
    expect(extra).to_have_accessible_name("Extra (read-only)")
    expect(extra).to_be_disabled()
    page.screenshot(path=str(artifacts / "test_visibility_unchecked.png"), full_page=True)

    show.check()
    expect(details).to_be_visible(timeout=T)
    expect(details).to_have_value("Visible while the box is checked")
    expect(extra).to_be_enabled(timeout=T)
    expect(extra).to_have_accessible_name("Extra (editable)")
    expect(page.get_by_label("Extra (read-only)", exact=True)).to_have_count(0)

    answer = page.get_by_label("Answer", exact=True)
    expect(answer).to_be_visible()
    expect(page.locator("input[type=text]").and_(answer)).to_have_count(1)
    page.get_by_label("long", exact=True).check()
    expect(page.locator("textarea").and_(answer)).to_be_visible(timeout=T)
    expect(answer).to_have_attribute("placeholder", "Tell us more")
    expect(answer).to_have_attribute("rows", "6")
    page.screenshot(path=str(artifacts / "test_visibility_long.png"), full_page=True)

    page.get_by_label("none", exact=True).check()
    expect(answer).to_be_hidden(timeout=T)

    page.get_by_label("short", exact=True).check()
    expect(page.locator("input[type=text]").and_(answer)).to_be_visible(timeout=T)
    expect(answer).to_have_attribute("placeholder", "A few words")
    assert_clean(page, requests_seen)


# -- counter: per-session State --------------------------------------------------

def test_counter_sessions_are_isolated(page: Page, gallery: str, browser, requests_seen, artifacts):
    open_demo(page, gallery, "counter")
    button = page.get_by_role("button", name="Increment")
    count = page.get_by_label("Count", exact=True)
    expect(count).to_have_value("Not clicked yet")
    for i in range(1, 4):
        button.click()
        expect(count).to_have_value(f"Clicked {i} time(s) in this session", timeout=T)

    # a second visitor (another browser context: no shared cookies/storage)
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        other = ctx.new_page()
        other_errors: list[str] = []
        other.on("pageerror", lambda e: other_errors.append(str(e)))
        other.goto(f"{gallery}counter/")
        expect(other.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
        other_count = other.get_by_label("Count", exact=True)
        expect(other_count).to_have_value("Not clicked yet")
        other.get_by_role("button", name="Increment").click()
        expect(other_count).to_have_value("Clicked 1 time(s) in this session", timeout=T)
        assert page.get_attribute("body", "data-session-hash") != other.get_attribute("body", "data-session-hash")
        other.screenshot(path=str(artifacts / "test_counter_second_session.png"), full_page=True)
        assert other_errors == []
    finally:
        ctx.close()

    # the first visitor's count went on from its own state
    expect(count).to_have_value("Clicked 3 time(s) in this session")
    button.click()
    expect(count).to_have_value("Clicked 4 time(s) in this session", timeout=T)

    # a reload is a new session
    page.reload()
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    expect(count).to_have_value("Not clicked yet")
    button.click()
    expect(count).to_have_value("Clicked 1 time(s) in this session", timeout=T)
    assert_clean(page, requests_seen)


# -- slow: pending indicator -----------------------------------------------------

def test_slow_shows_pending_then_result(page: Page, gallery: str, requests_seen, artifacts):
    open_demo(page, gallery, "slow")
    seconds = page.get_by_label("seconds", exact=True)
    number = page.get_by_label("seconds number", exact=True)
    result = page.get_by_label("result", exact=True)
    out_block = block_of(page, result)
    expect(number).to_have_value("5")

    number.fill("2")
    expect(seconds).to_have_value("2")
    page.get_by_role("button", name="Submit").click()
    # while the function sleeps the output is marked pending
    expect(out_block).to_have_class(re.compile(r"\bnbd-pending\b"), timeout=T)
    # gr.Progress: the bar with its description, then the screenshot shows it
    expect(out_block.locator("[role=progressbar]").first).to_be_visible(timeout=T)
    expect(out_block).to_contain_text("Working", timeout=T)
    page.screenshot(path=str(artifacts / "test_slow_pending.png"), full_page=True)
    expect(result).to_have_value("", timeout=1)  # still nothing to show
    # then the result arrives and the marker goes
    expect(result).to_have_value("Done after 2 s", timeout=T)
    expect(out_block).not_to_have_class(re.compile(r"\bnbd-pending\b"), timeout=T)

    # the slider itself, by keyboard (steps of 0.5): 2 → 1
    seconds.focus()
    seconds.press("ArrowLeft")
    seconds.press("ArrowLeft")
    expect(number).to_have_value("1", timeout=T)
    page.get_by_role("button", name="Submit").click()
    expect(result).to_have_value("Done after 1 s", timeout=T)
    assert_clean(page, requests_seen)


# -- theme -----------------------------------------------------------------------

def test_dark_theme_query(page: Page, gallery: str, requests_seen):
    open_demo(page, gallery, "calculator", "?__theme=dark")
    body = page.locator("body")
    expect(body).to_have_class(re.compile(r"\bnbd-dark\b"))
    expect(body).not_to_have_class(re.compile(r"\bnbd-light\b"))
    # visibly dark: the page background is the dark theme's
    expect(body).to_have_css("background-color", "rgb(11, 15, 25)")
    expect(page.get_by_label("a", exact=True)).to_be_visible()
    assert_clean(page, requests_seen)


def test_light_theme_query(page: Page, gallery: str, requests_seen):
    open_demo(page, gallery, "hello", "?__theme=light")
    body = page.locator("body")
    expect(body).to_have_class(re.compile(r"\bnbd-light\b"))
    expect(body).not_to_have_class(re.compile(r"\bnbd-dark\b"))
    expect(body).to_have_css("background-color", "rgb(255, 255, 255)")
    assert_clean(page, requests_seen)


# -- every page: local requests only, no JS errors ----------------------------------

@pytest.mark.parametrize("name", list(DEMOS))
def test_page_is_self_contained(page: Page, gallery: str, requests_seen, name: str):
    open_demo(page, gallery, name)
    expect(page.locator(".nbd-block[data-nbd-id]").first).to_be_visible()
    expect(page).to_have_title(DEMOS[name])
    page.wait_for_load_state("networkidle")
    assert_clean(page, requests_seen)


# -- polish: what a Gradio user would find broken or ugly ----------------------------

def test_pages_share_one_width_and_captions_sit_under_thumbnails(page: Page, gallery: str):
    widths = {}
    for name in ("hello", "chat", "digits"):
        open_demo(page, gallery, name)
        widths[name] = page.locator("#nbdemo-root").bounding_box()["width"]
    assert widths["chat"] == widths["hello"] == widths["digits"], widths  # chat is not full width
    # digits: every caption lies below its picture, not over it
    items = page.locator(".nbd-gallery-item")
    expect(items).to_have_count(10, timeout=T)
    for i in range(10):
        img = items.nth(i).locator("img").bounding_box()
        cap = items.nth(i).locator(".nbd-gallery-caption").bounding_box()
        assert cap["y"] >= img["y"] + img["height"] - 0.5, (i, img, cap)


def test_dropdown_has_a_chevron(page: Page, gallery: str):
    open_demo(page, gallery, "data_explorer")
    column = page.get_by_label("Column", exact=True)
    expect(column).to_be_visible()
    # a <select>, or a text input with a datalist (allow_custom_value)
    assert column.evaluate("e => e.tagName === 'SELECT' || e.hasAttribute('list')")
    assert "svg" in column.evaluate("e => getComputedStyle(e).backgroundImage")


def test_empty_image_placeholder_is_svg(page: Page, serve):
    import nbdemo as gr

    with gr.Blocks() as demo:
        gr.Image(label="Result", interactive=False)
    srv = serve(demo)
    page.goto(srv.url)
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    placeholder = page.locator(".nbd-placeholder")
    expect(placeholder.locator("svg")).to_be_visible()
    assert placeholder.inner_text().strip() == ""  # no emoji (a box where no emoji font is installed)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_phone_and_desktop(browser, gallery: str, artifacts, width: int, theme: str):
    """Every gallery page at 1280 px and 390 px (a phone), light and dark: no
    sideways scrolling, and a screenshot of each in tests/artifacts/ to look at."""
    ctx = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900},
                              color_scheme=theme)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(gallery)
        expect(page.locator(".nbd-demo-list a")).to_have_count(len(DEMOS), timeout=T)
        expect(page.locator("body")).to_have_class(re.compile(rf"\bnbd-{theme}\b"))  # the index too
        page.screenshot(path=str(artifacts / f"gallery_index_{width}_{theme}.png"), full_page=True)
        for name in DEMOS:
            open_demo(page, gallery, name)
            expect(page.locator("body")).to_have_class(re.compile(rf"\bnbd-{theme}\b"))
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            page.screenshot(path=str(artifacts / f"gallery_{name}_{width}_{theme}.png"), full_page=True)
            assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
        assert errors == [], errors
    finally:
        ctx.close()
