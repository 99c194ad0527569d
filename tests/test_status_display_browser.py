"""The run status display (js/src/status.js through the demo root in
js/src/layout.js) in real headless Chromium: queue position, elapsed time,
progress bars, toasts from gr.Info/Warning/Success, the dock for runs
without outputs on screen, and the Timer component taking no space.

The engine that produces "queued"/"processing"/"log" messages is written
separately, so these tests serve a small real demo and deliver the messages
to the page's root model exactly as the WebSocket does
(``window.nbdemo.root.trigger("msg:custom", msg)``, see js/src/host.js). Every
test saves a screenshot into tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest
from conftest import ARTIFACTS, start_script
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

T = 30_000  # Chromium shares 2 cores with other work

APP = """
import time
import nbdemo as gr

def shout(s):
    time.sleep(1)
    return s.upper()

with gr.Blocks(title="status") as demo:
    with gr.Row():
        name = gr.Textbox(label="name", value="Ada")
        out = gr.Textbox(label="result", lines=3)
    gr.Button("Run").click(shout, name, out)

demo.launch(server_port=PORT)
"""

PENDING = re.compile(r"\bnbd-pending\b")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    proc, url = start_script(APP, tmp_path_factory.mktemp("status_display"))
    try:
        yield url
    finally:
        proc.stop()


def open_demo(page: Page, url: str) -> tuple[Locator, int]:
    """Open the demo; return the `result` box (its `.nbd-block`) and its component id."""
    page.goto(url)
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    block = page.locator(".nbd-block[data-nbd-id]").filter(has=page.get_by_label("result", exact=True))
    expect(block).to_have_count(1)
    return block, int(block.get_attribute("data-nbd-id"))


def send(page: Page, msg: dict) -> None:
    """Deliver ``msg`` to the demo root as the page's WebSocket would."""
    page.evaluate("(m) => window.nbdemo.root.trigger('msg:custom', m, [])", msg)


def status(event_id: str, state: str, targets: list[int], show_progress: str = "full", **kw) -> dict:
    return {"type": "status", "event_id": event_id, "fn_index": 0, "status": state,
            "targets": targets, "show_progress": show_progress, **kw}


def seconds(text: str) -> float:
    m = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    assert m, f"no elapsed time in {text!r}"
    return float(m.group(1))


def assert_filled(bar: Locator, fraction: float) -> None:
    """The bar's fill is drawn ``fraction`` of its width (once its short transition is over)."""
    bar.page.wait_for_function(
        "([bar, f]) => Math.abs(bar.firstElementChild.getBoundingClientRect().width"
        " - f * bar.getBoundingClientRect().width) < 2", arg=[bar.element_handle(), fraction], timeout=T)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_queue_progress_elapsed_then_complete(page: Page, demo_url: str):
    block, rid = open_demo(page, demo_url)
    overlay = block.locator(":scope > .nbd-status")

    send(page, status("e1", "queued", [rid], rank=1, queue_size=5, eta=1.3))
    expect(block).to_have_class(PENDING)
    expect(overlay).to_be_visible()
    expect(overlay).to_have_attribute("role", "status")
    expect(overlay.locator(".nbd-status-chip")).to_have_text("queue: 2/5 | 1.3s")
    expect(overlay.locator(".nbd-status-chip")).to_be_visible()
    shot(page, "status_queued")

    # the rank changes while it waits
    send(page, status("e1", "queued", [rid], rank=0, queue_size=4, eta=4.0))
    expect(overlay.locator(".nbd-status-chip")).to_have_text("queue: 1/4 | 4.0s")

    send(page, status("e1", "processing", [rid], progress=[
        {"index": 3, "length": 10, "unit": "steps", "progress": None, "desc": "Loading"}]))
    desc = overlay.locator(".nbd-status-desc")
    bar = overlay.get_by_role("progressbar")
    expect(desc).to_have_text("Loading 3/10")
    expect(desc).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "30")
    expect(bar).to_have_attribute("aria-valuetext", "Loading 3/10")
    assert bar.bounding_box()["width"] > 50
    assert_filled(bar, 0.3)

    # the elapsed time counts up (against the ETA known from the queue)
    chip = overlay.locator(".nbd-status-text")
    expect(chip).to_have_text(re.compile(r"^\d+\.\d/[34]\.\ds$"))
    first = seconds(chip.inner_text())
    page.wait_for_timeout(700)
    later = seconds(chip.inner_text())
    assert later >= first + 0.4, (first, later)

    # new progress: a fraction, and a nested bar
    send(page, status("e1", "processing", [rid], progress=[
        {"index": None, "length": None, "unit": "steps", "progress": 0.75, "desc": "Epoch"},
        {"index": 40, "length": 50, "unit": "batches", "progress": None, "desc": None}]))
    expect(desc).to_have_text(["Epoch 75%", "40/50 batches"])
    expect(overlay.get_by_role("progressbar").first).to_have_attribute("aria-valuenow", "75")
    expect(overlay.get_by_role("progressbar").nth(1)).to_have_attribute("aria-valuenow", "80")
    assert_filled(overlay.get_by_role("progressbar").first, 0.75)
    assert_filled(overlay.get_by_role("progressbar").nth(1), 0.8)
    expect(overlay.locator(".nbd-sr")).to_have_text("Epoch 75%; 40/50 batches")
    shot(page, "status_progress")

    send(page, status("e1", "complete", [rid], time=1.2))
    expect(overlay).to_have_count(0)
    expect(block).not_to_have_class(PENDING)
    assert not page.js_errors, page.js_errors


def test_a_real_run_shows_then_clears(page: Page, demo_url: str):
    """The engine's own status messages, whichever it sends today, through the socket."""
    block, _ = open_demo(page, demo_url)
    page.get_by_role("button", name="Run").click()
    expect(block).to_have_class(PENDING, timeout=T)
    expect(block.locator(":scope > .nbd-status .nbd-status-chip")).to_be_visible()
    shot(page, "status_real_run")
    expect(page.get_by_label("result", exact=True)).to_have_value("ADA", timeout=T)
    expect(block).not_to_have_class(PENDING, timeout=T)
    expect(page.locator(".nbd-status")).to_have_count(0)
    assert not page.js_errors, page.js_errors


def test_generating_and_minimal_show_a_chip_only(page: Page, demo_url: str):
    block, rid = open_demo(page, demo_url)
    overlay = block.locator(":scope > .nbd-status")

    send(page, status("g1", "processing", [rid]))
    expect(overlay).to_have_class(re.compile(r"\bnbd-status-full\b"))
    send(page, status("g1", "generating", [rid]))
    expect(block).to_have_class(re.compile(r"\bnbd-generating\b"))
    expect(block).to_have_class(PENDING)
    expect(overlay).to_have_class(re.compile(r"\bnbd-status-minimal\b"))
    send(page, status("g1", "complete", [rid]))
    expect(overlay).to_have_count(0)
    expect(block).not_to_have_class(re.compile(r"\bnbd-generating\b"))

    send(page, status("m1", "processing", [rid], show_progress="minimal", progress=[
        {"index": 2, "length": 4, "unit": "steps", "progress": None, "desc": "Step"}]))
    expect(overlay).to_have_class(re.compile(r"\bnbd-status-minimal\b"))
    expect(overlay.locator(".nbd-status-chip")).to_be_visible()
    expect(overlay.locator(".nbd-status-chip")).to_have_text(re.compile(r"^Step 2/4 \| \d+\.\ds$"))
    expect(overlay.get_by_role("progressbar")).to_have_count(0)
    # no dimming: the output stays readable under a minimal chip
    assert overlay.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    shot(page, "status_minimal")
    send(page, status("m1", "cancelled", [rid]))
    expect(overlay).to_have_count(0)
    expect(block).not_to_have_class(PENDING)
    assert not page.js_errors, page.js_errors


def test_hidden_shows_nothing(page: Page, demo_url: str):
    block, rid = open_demo(page, demo_url)
    send(page, status("h1", "queued", [rid], show_progress="hidden", rank=0, queue_size=1, eta=None))
    send(page, status("h1", "processing", [rid], show_progress="hidden", progress=[
        {"index": 1, "length": 2, "unit": "steps", "progress": None, "desc": "Hidden"}]))
    page.wait_for_timeout(300)
    expect(page.locator(".nbd-status")).to_have_count(0)
    expect(block).not_to_have_class(PENDING)
    shot(page, "status_hidden")
    send(page, status("h1", "complete", [rid], show_progress="hidden"))
    assert not page.js_errors, page.js_errors


def test_run_without_outputs_shows_in_the_dock(page: Page, demo_url: str):
    open_demo(page, demo_url)
    dock = page.locator(".nbd-status-dock")
    send(page, status("d1", "processing", [], progress=[
        {"index": None, "length": None, "unit": "steps", "progress": 0.5, "desc": "Saving"}]))
    card = dock.locator(".nbd-status")
    expect(card).to_be_visible()
    expect(card.locator(".nbd-status-desc")).to_have_text("Saving 50%")
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    assert_filled(card.get_by_role("progressbar"), 0.5)
    page.wait_for_timeout(600)  # it fades in after a moment (no flash for quick runs)
    assert float(card.evaluate("e => getComputedStyle(e).opacity")) == 1
    shot(page, "status_dock")
    send(page, status("d1", "complete", []))
    expect(page.locator(".nbd-status")).to_have_count(0)
    assert not page.js_errors, page.js_errors


def test_toasts_info_warning_success_error(page: Page, demo_url: str):
    open_demo(page, demo_url)
    stack = page.locator(".nbd-toasts")
    send(page, {"type": "log", "event_id": "t1", "level": "info", "message": "Model loaded",
                "title": "", "duration": None})
    info = page.locator(".nbd-toast-info")
    expect(info).to_be_visible()
    expect(info).to_contain_text("Info")
    expect(info).to_contain_text("Model loaded")
    expect(stack).to_have_attribute("aria-live", "polite")
    assert info.get_attribute("role") is None  # polite: read through the stack, not as an alert

    send(page, {"type": "log", "event_id": "t1", "level": "warning", "message": "Low memory",
                "title": "Careful", "duration": None})
    # 3 s: long enough to still be there when its colour is read on a loaded machine
    send(page, {"type": "log", "event_id": "t1", "level": "success", "message": "Saved",
                "title": "", "duration": 3})
    send(page, status("t1", "error", [], message="Cannot divide by zero!", title="Error", duration=None))
    warning, success = page.locator(".nbd-toast-warning"), page.locator(".nbd-toast-success")
    error = page.locator(".nbd-toast-error")
    expect(warning).to_contain_text("Careful")
    expect(warning).to_contain_text("Low memory")
    expect(success).to_contain_text("Success")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Cannot divide by zero!")
    colours = {k: page.locator(f".nbd-toast-{k} .nbd-toast-title").evaluate("e => getComputedStyle(e).color")
               for k in ("info", "warning", "success", "error")}
    assert len(set(colours.values())) == 4, colours
    shot(page, "status_toasts")
    # duration: the success toast goes by itself, the others stay until closed
    expect(success).to_have_count(0, timeout=20_000)
    expect(info).to_be_visible()
    info.get_by_role("button", name="Close").click()
    expect(info).to_have_count(0)
    # duration 0: not shown
    send(page, {"type": "log", "event_id": "t1", "level": "info", "message": "Silent",
                "title": "", "duration": 0})
    page.wait_for_timeout(200)
    expect(page.locator(".nbd-toast").filter(has_text="Silent")).to_have_count(0)
    assert not page.js_errors, page.js_errors


def test_dark_mode_overlay(page: Page, demo_url: str):
    block, rid = open_demo(page, demo_url + "?__theme=dark")
    send(page, status("k1", "processing", [rid], progress=[
        {"index": 7, "length": 10, "unit": "steps", "progress": None, "desc": "Rendering"}]))
    send(page, {"type": "log", "event_id": "k1", "level": "info", "message": "Dark toast",
                "title": "", "duration": None})
    expect(block.locator(".nbd-status-desc")).to_have_text("Rendering 7/10")
    shot(page, "status_dark")
    send(page, status("k1", "complete", [rid]))
    expect(block.locator(".nbd-status")).to_have_count(0)


def test_timer_component_takes_no_space(page: Page, demo_url: str):
    """renderers["timer"] (gr.Timer): its block is hidden, so the column has no extra gap."""
    open_demo(page, demo_url)
    # the built runtime (the same renderers the page bundle holds), on a timer model
    result = page.evaluate("""async () => {
        const { render } = await import('/static/runtime.js');
        const PageModel = window.nbdemo.root.constructor;
        const col = document.querySelector('.nbd-root-column');
        const before = col.getBoundingClientRect().height;
        const el = document.createElement('div');
        el.className = 'nbd-block';
        col.append(el);
        const model = new PageModel(999, { _kind: 'timer', value: 1, active: true }, { send() {} });
        await render({ model, el, host: null, signal: new AbortController().signal });
        const after = col.getBoundingClientRect().height;
        return { before, after, display: getComputedStyle(el).display, hidden: el.hidden };
    }""")
    assert result["hidden"] is True, result
    assert result["display"] == "none", result
    assert result["after"] == result["before"], result
