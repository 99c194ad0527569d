"""Runs in real headless Chromium, through both front doors: the standalone
page (an nbdemo server in this process) and inline in a real JupyterLab.

The demos are the builders of tests/apps/runs_apps.py, the same for both
doors; what their functions really did (``CALLS``, ``RECEIVED``) is read in
this process standalone, and printed by a notebook cell inline. Each check
below takes the demo's ``.nbd-app`` element, so both doors run the same
assertions:

- a burst of 10 clicks in one JS tick: trigger_mode="multiple" counts 10, the
  default ("once") runs the function once;
- 5 submits v0..v4 in one JS tick arrive in order (earlier ones run longer);
- queue(max_size=2) with concurrency_limit=1 and 5 browser contexts: the
  extra two see "Queue is full", the third waiting sees "queue: 2/2", the
  others complete (standalone only: inline there is one user);
- gr.Progress shows its description and fraction while running;
- gr.Info shows a toast; a gr.Timer counter ticks; demo.load fills an output.

Finally notebooks/progress_queue.ipynb is run in JupyterLab and used.
Every test saves a screenshot into tests/artifacts/. No timing thresholds:
the timeouts are hang guards.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ARTIFACTS, ROOT
from nbformat.v4 import new_code_cell, new_notebook
from notebook_ui import run_all, shut_down_kernel, wait_kernel
from playwright.sync_api import Locator, Page, expect

sys.path.insert(0, str(ROOT / "tests" / "apps"))
import runs_apps as apps  # noqa: E402

pytestmark = pytest.mark.browser

T = 60_000  # ms; a hang guard: Chromium, JupyterLab and kernels share 2 cores
PENDING = re.compile(r"\bnbd-pending\b")


# -- the checks, shared by both doors ----------------------------------------------------

def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def block_of(app: Locator, label: str) -> Locator:
    """The `.nbd-block` (where a run's status shows) of the control labelled ``label``."""
    return app.locator(".nbd-block[data-nbd-id]").filter(has=app.page.get_by_label(label, exact=True))


def assert_inside(inner: Locator, outer: Locator) -> None:
    """``inner`` is drawn inside ``outer`` (not clipped by its overflow)."""
    a, b = inner.bounding_box(), outer.bounding_box()
    assert a and b, (a, b)
    assert (a["x"] >= b["x"] - 1 and a["y"] >= b["y"] - 1
            and a["x"] + a["width"] <= b["x"] + b["width"] + 1
            and a["y"] + a["height"] <= b["y"] + b["height"] + 1), (a, b)


def click_burst(button: Locator, n: int) -> None:
    """``n`` clicks in one JS tick: nothing runs in between, not even a WebSocket read."""
    button.evaluate("(b, n) => { for (let i = 0; i < n; i++) b.click(); }", n)


def check_burst(app: Locator, calls, expected: int) -> None:
    """10 clicks in one tick on a State counter show ``expected``; the function
    ran ``expected`` times. One more click (sent after the burst, so handled
    after all of it) then counts one more: nothing of the burst came late."""
    count = app.get_by_label("Count", exact=True)
    add = app.get_by_role("button", name="Add")
    add.scroll_into_view_if_needed()
    expect(count).to_have_value("0")
    click_burst(add, 10)
    expect(count).to_have_value(str(expected), timeout=T)
    expect(block_of(app, "Count")).not_to_have_class(PENDING, timeout=T)
    assert calls() == expected
    add.click()
    expect(count).to_have_value(str(expected + 1), timeout=T)
    expect(block_of(app, "Count")).not_to_have_class(PENDING, timeout=T)
    assert calls() == expected + 1


def check_submits(app: Locator, received) -> None:
    """5 submits v0..v4 in one JS tick show v0, v1, ..., v4 in that order."""
    prose = app.locator(".nbd-markdown .nbd-prose")
    box = app.get_by_label("Message", exact=True)
    box.scroll_into_view_if_needed()
    # every text the output shows, in order (a MutationObserver sees each change)
    prose.evaluate("""(el) => {
        el.__seen = [];
        const note = () => { const t = el.textContent.trim();
                             if (t && el.__seen[el.__seen.length - 1] !== t) el.__seen.push(t); };
        new MutationObserver(note).observe(el, { childList: true, subtree: true, characterData: true });
    }""")
    box.evaluate("""(input) => {
        for (let i = 0; i < 5; i++) {
            input.value = `v${i}`;
            input.dispatchEvent(new Event("input", { bubbles: true }));
            input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        }
    }""")
    expect(prose).to_have_text("v4", timeout=T)
    expect(block_of(app, "Message")).not_to_have_class(PENDING, timeout=T)
    expect(app.locator(".nbd-status")).to_have_count(0, timeout=T)
    assert prose.evaluate("el => el.__seen") == ["v0", "v1", "v2", "v3", "v4"]
    assert received() == ["v0", "v1", "v2", "v3", "v4"]
    expect(prose).to_be_visible()


def check_progress(app: Locator, gate: apps.Gate, name: str) -> None:
    """The run holds at item 2 of 4: its bar shows "Processing 2/4 items" at 50 %."""
    gate.close()
    start = app.get_by_role("button", name="Start")
    start.scroll_into_view_if_needed()
    start.click()
    overlay = block_of(app, "Result").locator(":scope > .nbd-status")
    bar = overlay.get_by_role("progressbar")
    desc = overlay.locator(".nbd-status-desc")
    expect(bar).to_have_attribute("aria-valuenow", "50", timeout=T)
    expect(bar).to_have_attribute("aria-valuetext", "Processing 2/4 items")
    expect(desc).to_have_text("Processing 2/4 items")
    expect(desc).to_be_visible()
    expect(bar).to_be_visible()
    expect(overlay).to_have_attribute("role", "status")
    assert_inside(bar, overlay)
    # the fill is drawn half the bar's width (once its short transition is over)
    app.page.wait_for_function(
        "bar => Math.abs(bar.firstElementChild.getBoundingClientRect().width"
        " - 0.5 * bar.getBoundingClientRect().width) < 2", arg=bar.element_handle(), timeout=T)
    shot(app.page, f"{name}_running")
    gate.open()
    expect(app.get_by_label("Result", exact=True)).to_have_value("Processed 4 items", timeout=T)
    expect(overlay).to_have_count(0, timeout=T)


def check_info(app: Locator) -> None:
    greet = app.get_by_role("button", name="Greet")
    greet.scroll_into_view_if_needed()
    greet.click()
    toast = app.locator(".nbd-toast-info").filter(has_text="Hello from gr.Info")
    expect(toast).to_be_visible(timeout=T)
    expect(toast.locator(".nbd-toast-title")).to_have_text("Info")
    expect(app.locator(".nbd-toasts")).to_have_attribute("aria-live", "polite")
    expect(app.get_by_label("Result", exact=True)).to_have_value("said hello", timeout=T)
    toast.scroll_into_view_if_needed()


def check_timer(app: Locator) -> None:
    """The Ticks number counts up by itself: three more ticks after the first one seen."""
    ticks = app.get_by_label("Ticks", exact=True)
    ticks.scroll_into_view_if_needed()
    expect(ticks).not_to_have_value("0", timeout=T)
    first = float(ticks.input_value())
    seen = ticks.evaluate("""(el, first) => new Promise((done) => {
        const seen = [Number(el.value)];
        const look = () => {
            const v = Number(el.value);
            if (v !== seen[seen.length - 1]) seen.push(v);
            if (v >= first + 3) done(seen); else setTimeout(look, 20);
        };
        look();
    })""", first)
    assert seen == sorted(seen) and len(seen) >= 2, seen


def check_load(app: Locator) -> None:
    greeting = app.get_by_label("Greeting", exact=True)
    expect(greeting).to_have_value("Loaded by demo.load", timeout=T)
    expect(greeting).to_be_visible()


# -- standalone ---------------------------------------------------------------------------

@pytest.fixture
def standalone(serve, page: Page, artifacts):
    """standalone(demo) -> the demo's `.nbd-app` on a fresh page of an in-process server."""
    apps.CALLS.clear()
    apps.RECEIVED.clear()

    def open_(demo) -> Locator:
        srv = serve(demo)
        page.goto(f"http://127.0.0.1:{srv.port}/")
        expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
        expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
        app = page.locator(".nbd-app").first
        expect(app).to_be_visible()
        return app

    yield open_
    assert not page.js_errors, page.js_errors


def test_ten_clicks_multiple_count_ten_standalone(standalone):
    app = standalone(apps.counter("multiple"))
    check_burst(app, lambda: apps.CALLS["counter-multiple"], 10)


def test_ten_clicks_once_run_once_standalone(standalone):
    app = standalone(apps.counter(seconds=1.0))
    check_burst(app, lambda: apps.CALLS["counter-default"], 1)


def test_five_submits_arrive_in_order_standalone(standalone):
    app = standalone(apps.echo())
    check_submits(app, lambda: list(apps.RECEIVED))


def test_progress_shows_description_and_fraction_standalone(standalone, tmp_path):
    gate = apps.Gate(tmp_path / "gate")
    try:
        check_progress(standalone(apps.progress(gate)), gate, "runs_progress_standalone")
    finally:
        gate.open()  # never leave the function waiting


def test_nested_progress_bars_fit_their_output_standalone(standalone, tmp_path):
    """Nested progress.tqdm loops over a one-line Textbox: both bars, both drawn
    inside the output's overlay."""
    gate = apps.Gate(tmp_path / "gate")
    try:
        app = standalone(apps.nested_progress(gate))
        app.get_by_role("button", name="Train").click()
        overlay = block_of(app, "Result").locator(":scope > .nbd-status")
        expect(overlay.locator(".nbd-status-desc")).to_have_text(["Epoch 1/2", "Batch 2/3"], timeout=T)
        bars = overlay.get_by_role("progressbar")
        expect(bars.first).to_have_attribute("aria-valuenow", "50")
        expect(bars.nth(1)).to_have_attribute("aria-valuenow", "67")
        shot(app.page, "runs_nested_progress_standalone")
        for i in range(2):
            assert_inside(bars.nth(i), overlay)
        gate.open()
        expect(app.get_by_label("Result", exact=True)).to_have_value("trained", timeout=T)
    finally:
        gate.open()


def test_info_shows_a_toast_standalone(standalone):
    check_info(standalone(apps.info()))


def test_timer_ticks_standalone(standalone):
    check_timer(standalone(apps.timer()))


def test_load_fills_an_output_standalone(standalone):
    check_load(standalone(apps.load()))
    assert apps.CALLS["load"] == 1


def test_queue_full_and_queue_position_standalone(serve, browser, tmp_path):
    """5 visitors click a listener with concurrency_limit=1 under queue(max_size=2):
    one runs, two wait ("queue: 1/2", "queue: 2/2"), the last two are refused
    with "Queue is full"; when the run is let go the three complete."""
    apps.CALLS.clear()
    gate = apps.Gate(tmp_path / "gate")
    srv = serve(apps.queue(gate, max_size=2))
    url = f"http://127.0.0.1:{srv.port}/"
    contexts = [browser.new_context(viewport={"width": 900, "height": 500}) for _ in range(5)]
    try:
        visitors = []
        for ctx in contexts:
            pg = ctx.new_page()
            pg.js_errors = []
            pg.on("pageerror", lambda e, pg=pg: pg.js_errors.append(str(e)))
            pg.goto(url)
            expect(pg.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
            visitors.append(pg)

        def chip(pg: Page) -> Locator:
            return block_of(pg.locator(".nbd-app"), "Result").locator(":scope > .nbd-status .nbd-status-chip")

        def click(pg: Page) -> None:
            pg.get_by_role("button", name="Wait").click()

        click(visitors[0])
        expect(block_of(visitors[0].locator(".nbd-app"), "Result").locator(
            ":scope > .nbd-status[data-status=processing]")).to_have_count(1, timeout=T)
        click(visitors[1])
        expect(chip(visitors[1])).to_have_text(re.compile(r"^queue: 1/1\b"), timeout=T)
        click(visitors[2])
        expect(chip(visitors[2])).to_have_text(re.compile(r"^queue: 2/2\b"), timeout=T)
        expect(chip(visitors[1])).to_have_text(re.compile(r"^queue: 1/2\b"), timeout=T)
        expect(chip(visitors[2])).to_be_visible()
        shot(visitors[2], "runs_queue_position_standalone")

        for pg in visitors[3:]:
            click(pg)
        for pg in visitors[3:]:
            toast = pg.locator(".nbd-toast-error").filter(has_text="Queue is full")
            expect(toast).to_be_visible(timeout=T)
            expect(toast).to_have_attribute("role", "alert")
            expect(block_of(pg.locator(".nbd-app"), "Result")).not_to_have_class(PENDING, timeout=T)
        shot(visitors[3], "runs_queue_full_standalone")
        # the waiting ones were not refused
        for pg in visitors[:3]:
            expect(pg.locator(".nbd-toast")).to_have_count(0)

        gate.open()
        for pg in visitors[:3]:
            expect(pg.get_by_label("Result", exact=True)).to_have_value("Done", timeout=T)
            expect(pg.locator(".nbd-status")).to_have_count(0, timeout=T)
        shot(visitors[2], "runs_queue_done_standalone")
        for pg in visitors[3:]:
            expect(pg.get_by_label("Result", exact=True)).to_have_value("")
        assert apps.CALLS["queue"] == 3
        for pg in visitors:
            assert not pg.js_errors, pg.js_errors
    finally:
        gate.open()
        for ctx in contexts:
            ctx.close()


# -- inline, in JupyterLab ----------------------------------------------------------------

INLINE_NOTEBOOK = "runs_browser_test.ipynb"  # written into the lab's copy of notebooks/
MULTIPLE, ONCE, ECHO, PROGRESS, INFO, TIMER, LOAD = range(7)
DEMO_CELLS = ['apps.counter("multiple")', "apps.counter(seconds=1.0)", "apps.echo()",
              "apps.progress(gate)", "apps.info()", "apps.timer()", "apps.load()"]
TRUTH = re.compile(r"TRUTH (\d+) (\{.*\})")


def inline_notebook(gate: Path):
    """The inline demos: the same builders as standalone, one cell each, and a
    last cell printing what the kernel's functions did."""
    setup = (f"import sys\nsys.path.insert(0, {str(ROOT / 'tests' / 'apps')!r})\n"
             f"import json\nimport runs_apps as apps\ngate = apps.Gate({str(gate)!r})")
    truth = ("_truth = globals().get('_truth', 0) + 1\n"
             "print('TRUTH', _truth, json.dumps({'calls': apps.CALLS, 'received': apps.RECEIVED}))")
    cells = [new_code_cell(setup)] + [new_code_cell(c) for c in DEMO_CELLS] + [new_code_cell(truth)]
    return new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})


class Lab:
    """The inline notebook open in JupyterLab, all cells run."""

    def __init__(self, page: Page, gate: apps.Gate | None = None):
        self.page, self.gate = page, gate
        self.apps = page.locator(".jp-OutputArea-output .nbd-app")
        self.current: Locator | None = None  # the demo the running test uses

    def app(self, i: int) -> Locator:
        self.current = app = self.apps.nth(i)
        app.scroll_into_view_if_needed()
        return app

    def truth(self) -> dict:
        """What the kernel's demo functions did: re-run the last cell and read it."""
        cell = self.page.locator(".jp-CodeCell").last
        out = cell.locator(".jp-OutputArea-output")
        # the cell counts its runs (Run All ran it once): wait for the next one
        before = TRUTH.search(out.first.inner_text()) if out.count() else None
        n = int(before.group(1)) + 1 if before else 1
        editor = cell.locator(".jp-InputArea-editor .cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        editor.press("Control+Enter")
        expect(out.first).to_contain_text(f"TRUTH {n} ", timeout=T)
        m = TRUTH.search(out.first.inner_text())
        assert m and int(m.group(1)) == n, out.first.inner_text()
        return json.loads(m.group(2))


@pytest.fixture(scope="module")
def lab(browser, jupyter_lab):
    gate = apps.Gate(jupyter_lab.root / "runs_gate")
    nbformat.write(inline_notebook(gate.path), jupyter_lab.root / "notebooks" / INLINE_NOTEBOOK)
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/runs/tree/notebooks/{INLINE_NOTEBOOK}"
                  f"?reset&token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        lab = Lab(page, gate)
        expect(lab.apps).to_have_count(len(DEMO_CELLS), timeout=T)
        for i in range(len(DEMO_CELLS)):
            expect(lab.apps.nth(i)).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
        yield lab
    finally:
        gate.open()  # never leave a kernel thread waiting
        ctx.close()
        shut_down_kernel(jupyter_lab, INLINE_NOTEBOOK)


@pytest.fixture
def inline(lab, request, artifacts):
    """The shared inline page; a screenshot of the viewport after each test."""
    yield lab
    if lab.current is not None:  # the demo, not the cell that printed the kernel's truth
        lab.current.scroll_into_view_if_needed()
        lab.current = None
    lab.page.screenshot(path=str(artifacts / f"{request.node.name}.png"))
    errors = [e for e in lab.page.js_errors if "nbd" in e.lower()]
    assert errors == []


@pytest.mark.jupyter
def test_load_fills_an_output_inline(inline):
    # first: the notebook showed the demo, nothing else happened to it
    check_load(inline.app(LOAD))
    assert inline.truth()["calls"].get("load") == 1


@pytest.mark.jupyter
def test_ten_clicks_multiple_count_ten_inline(inline):
    check_burst(inline.app(MULTIPLE), lambda: inline.truth()["calls"].get("counter-multiple"), 10)


@pytest.mark.jupyter
def test_ten_clicks_once_run_once_inline(inline):
    check_burst(inline.app(ONCE), lambda: inline.truth()["calls"].get("counter-default"), 1)


@pytest.mark.jupyter
def test_five_submits_arrive_in_order_inline(inline):
    check_submits(inline.app(ECHO), lambda: inline.truth()["received"])


@pytest.mark.jupyter
def test_progress_shows_description_and_fraction_inline(inline):
    try:
        check_progress(inline.app(PROGRESS), inline.gate, "runs_progress_inline")
    finally:
        inline.gate.open()


@pytest.mark.jupyter
def test_info_shows_a_toast_inline(inline):
    check_info(inline.app(INFO))


@pytest.mark.jupyter
def test_timer_ticks_inline(inline):
    check_timer(inline.app(TIMER))


# -- notebooks/progress_queue.ipynb, inline -----------------------------------------------

PQ_NOTEBOOK = "progress_queue.ipynb"
PQ_PROGRESS, PQ_GPU, PQ_CLOCK = range(3)
CLOCK = re.compile(r"^\d\d:\d\d:\d\d$")


@pytest.fixture(scope="module")
def pq(browser, jupyter_lab):
    """notebooks/progress_queue.ipynb open in JupyterLab, all cells run."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    try:
        page.goto(f"{jupyter_lab.url}lab/workspaces/runs-notebook/tree/notebooks/{PQ_NOTEBOOK}"
                  f"?reset&token={jupyter_lab.token}")
        wait_kernel(page)
        run_all(page)
        lab = Lab(page)
        expect(lab.apps).to_have_count(3, timeout=T)
        for i in range(3):
            expect(lab.apps.nth(i)).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
        expect(page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
               ).to_have_count(0)
        yield lab
    finally:
        ctx.close()
        shut_down_kernel(jupyter_lab, PQ_NOTEBOOK)


@pytest.fixture
def pq_page(pq, request, artifacts):
    yield pq
    if pq.current is not None:
        pq.current.scroll_into_view_if_needed()
        pq.current = None
    pq.page.screenshot(path=str(artifacts / f"{request.node.name}.png"))
    assert [e for e in pq.page.js_errors if "nbd" in e.lower()] == []


@pytest.mark.jupyter
def test_notebook_progress_and_toasts(pq_page):
    app = pq_page.app(PQ_PROGRESS)
    app.get_by_label("Items number", exact=True).fill("35")
    expect(app.get_by_label("Items", exact=True)).to_have_value("35")
    app.get_by_role("button", name="Process").click()
    # more than 30 items: a warning first, while the bar fills
    expect(app.locator(".nbd-toast-warning")).to_contain_text("35 items will take a few seconds.",
                                                              timeout=T)
    overlay = block_of(app, "Result").locator(":scope > .nbd-status")
    descs = overlay.locator(".nbd-status-desc")
    expect(descs.filter(has_text=re.compile(r"^Processing \d+/35 items$"))).to_have_count(1, timeout=T)
    shot(pq_page.page, "runs_notebook_progress_running")
    # the loop's bar is the only bar: "Warming up" was a step before the loop
    # (Gradio: a progress() call shows until the next update, it does not stay)
    expect(descs).to_have_text([re.compile(r"^Processing \d+/35 items$")])
    bar = overlay.get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    assert_inside(bar, overlay)
    expect(app.get_by_label("Result", exact=True)).to_have_value(
        "Sum of the squares of 0..34: 13685", timeout=T)
    expect(app.locator(".nbd-toast-info")).to_contain_text("Processed 35 items", timeout=T)
    expect(overlay).to_have_count(0, timeout=T)


@pytest.mark.jupyter
def test_notebook_queue_position_and_queue_full(pq_page):
    """Three listeners share one slot (concurrency_id, limit 1) and queue(max_size=1):
    clicked in one tick, Sketch runs, Paint waits at "queue: 1/1", Upscale is refused."""
    app = pq_page.app(PQ_GPU)
    app.evaluate("""(app) => {
        const buttons = [...app.querySelectorAll("button.nbd-button")];
        for (const name of ["Sketch", "Paint", "Upscale"]) buttons.find((b) => b.textContent === name).click();
    }""")
    paint_chip = block_of(app, "Paint output").locator(":scope > .nbd-status .nbd-status-chip")
    expect(paint_chip).to_have_text(re.compile(r"^queue: 1/1\b"), timeout=T)
    expect(paint_chip).to_be_visible()
    full = app.locator(".nbd-toast-error").filter(has_text="Queue is full")
    expect(full).to_be_visible(timeout=T)
    shot(pq_page.page, "runs_notebook_queue")
    full.get_by_role("button", name="Close").click()
    expect(full).to_have_count(0)
    shot(pq_page.page, "runs_notebook_queue_toast_closed")  # the toast covered Paint's chip
    expect(app.get_by_label("Sketch output", exact=True)).to_have_value(
        re.compile(r"^Sketch finished at \d\d:\d\d:\d\d$"), timeout=T)
    expect(app.get_by_label("Paint output", exact=True)).to_have_value(
        re.compile(r"^Paint finished at \d\d:\d\d:\d\d$"), timeout=T)
    expect(app.locator(".nbd-status")).to_have_count(0, timeout=T)
    expect(app.get_by_label("Upscale output", exact=True)).to_have_value("")
    # the slot is free again: Upscale runs now
    app.get_by_role("button", name="Upscale").click()
    expect(app.get_by_label("Upscale output", exact=True)).to_have_value(
        re.compile(r"^Upscale finished at"), timeout=T)


@pytest.mark.jupyter
def test_notebook_timer_stops_and_starts(pq_page):
    app = pq_page.app(PQ_CLOCK)
    clock = app.get_by_label("Clock", exact=True)
    ticks = app.get_by_label("Ticks", exact=True)
    button = app.get_by_role("button", name=re.compile(r"^(Stop|Start)$"))
    expect(clock).to_have_value(CLOCK, timeout=T)
    expect(button).to_have_text("Stop")
    start = float(ticks.input_value())
    app.page.wait_for_function("([el, n]) => Number(el.value) >= n + 2",
                               arg=[ticks.element_handle(), start], timeout=T)

    button.click()
    expect(button).to_have_text("Start", timeout=T)
    stopped = float(ticks.input_value())
    # stopped: at most a tick already under way lands; then nothing for several intervals
    app.page.wait_for_timeout(3500)
    after = float(ticks.input_value())
    assert stopped <= after <= stopped + 1, (stopped, after)
    shot(pq_page.page, "runs_notebook_timer_stopped")

    button.click()
    expect(button).to_have_text("Stop", timeout=T)
    app.page.wait_for_function("([el, n]) => Number(el.value) >= n + 2",
                               arg=[ticks.element_handle(), after], timeout=T)
    expect(clock).to_have_value(CLOCK)
