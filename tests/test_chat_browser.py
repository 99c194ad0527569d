"""The streaming chat used like a person would, in headless Chromium: standalone
(the gallery's /chat/ page, a multimodal chat from a script) and inline
(notebooks/chat.ipynb in a real JupyterLab).

Typing and Enter, a reply streaming in (several states, each extending the
last), Stop mid-stream keeping the partial reply, examples, separate histories
per browser session, and HTML in a message that must not run.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTIFACTS, start_script
from notebook_ui import run_all, wait_kernel
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

T = 60_000  # a hang guard (ms): 2 shared cores, JupyterLab and other test runs
PHOTO = Path(__file__).resolve().parent / "data" / "photo.png"
#: a 1x1 PNG, dropped on the message box
DOT_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAA"
           "AABJRU5ErkJggg==")
XSS = ('<img src=x onerror="window.__pwned=1;alert(1)"> **bold** '
       '<script>window.__pwned2=1;alert(2)</script><svg onload="window.__pwned3=1"></svg>')


# -- helpers shared by both front doors (``scope`` is the page, or the demo inline) -----------


def box_of(scope) -> Locator:
    return scope.get_by_role("textbox", name="Message", exact=True)


def log_of(scope) -> Locator:
    return scope.get_by_role("log")


def replies(scope) -> Locator:
    return log_of(scope).get_by_role("article", name="Assistant message")


def asks(scope) -> Locator:
    return log_of(scope).get_by_role("article", name="User message")


def send(scope, text: str) -> None:
    box = box_of(scope)
    box.fill(text)
    box.press("Enter")


def watch_last_reply(log: Locator) -> None:
    """Record every text the last assistant message shows (a MutationObserver)."""
    log.evaluate("""(log) => {
      const seen = [];
      window.__nbdSeen = seen;
      const read = () => {
        const all = log.querySelectorAll('.nbd-msg-assistant');
        const t = all.length ? all[all.length - 1].textContent : null;
        if (t !== null && seen[seen.length - 1] !== t) seen.push(t);
      };
      window.__nbdObserver?.disconnect();
      window.__nbdObserver = new MutationObserver(read);
      window.__nbdObserver.observe(log, { subtree: true, childList: true, characterData: true });
    }""")


def seen_states(page: Page) -> list[str]:
    return page.evaluate("window.__nbdSeen")


def check_stream(page: Page, scope) -> None:
    """Ask for the story; it streams in over several states, each extending the last."""
    n_before = replies(scope).count()
    watch_last_reply(log_of(scope))
    send(scope, "Tell me a story")
    expect(asks(scope).last).to_have_text("Tell me a story", timeout=T)
    expect(box_of(scope)).to_have_value("", timeout=T)  # the box is cleared at once
    stop = scope.get_by_role("button", name="Stop", exact=True)
    expect(stop).to_be_visible(timeout=T)  # Stop in Submit's place while streaming
    expect(scope.get_by_role("button", name="Submit", exact=True)).to_be_hidden()
    expect(replies(scope)).to_have_count(n_before + 1, timeout=T)
    expect(replies(scope).last).to_contain_text("The end.", timeout=T)
    expect(stop).to_be_hidden(timeout=T)
    expect(scope.get_by_role("button", name="Submit", exact=True)).to_be_visible()
    states = [s for s in seen_states(page) if s.strip()]
    assert len(states) >= 5, states  # it streamed: many intermediate states, not one jump
    # each state extends the one before (Markdown's "*" shows until its emphasis closes)
    plain = [x.replace("*", "").strip() for x in states]
    for a, b in zip(plain, plain[1:]):
        assert b.startswith(a), (a, b)
    assert states[-1].strip().endswith("The end.")
    # Markdown in the reply is rendered (the story has *emphasis*)
    expect(replies(scope).last.locator("em")).to_have_text("let me give you a face")


def check_stop(page: Page, scope) -> None:
    """Stop mid-stream: streaming stops, the partial reply stays, the next message works."""
    send(scope, "Count to 1000")
    stop = scope.get_by_role("button", name="Stop", exact=True)
    expect(stop).to_be_visible(timeout=T)
    last = replies(scope).last
    expect(last).to_contain_text("Counting: 1 2 3 4 5", timeout=T)
    stop.click()
    expect(stop).to_be_hidden(timeout=T)
    expect(scope.get_by_role("button", name="Submit", exact=True)).to_be_visible(timeout=T)
    partial = last.inner_text()
    page.wait_for_timeout(1500)  # nothing arrives after the stop (a negative check, not a speed one)
    assert last.inner_text() == partial
    assert "1000." not in partial and partial.startswith("Counting: 1 2 3 4 5")
    numbers = re.findall(r"\d+", partial)
    assert 5 <= len(numbers) < 1000
    # the partial reply is part of the history: the next answer counts it
    send(scope, "what did you say?")
    expect(replies(scope).last).to_contain_text("You said: what did you say?", timeout=T)
    expect(replies(scope).last).to_contain_text("message number", timeout=T)
    expect(asks(scope).filter(has_text="Count to 1000")).to_have_count(1)
    assert replies(scope).filter(has_text="Counting: 1 2 3 4 5").inner_text() == partial
    expect(scope.get_by_role("button", name="Submit", exact=True)).to_be_visible(timeout=T)


def check_example(scope, example: str, reply_text: str) -> None:
    scope.locator(".nbd-sample").filter(has_text=example).click()
    expect(asks(scope).last).to_have_text(example, timeout=T)
    expect(replies(scope).last).to_contain_text(reply_text, timeout=T)
    expect(scope.get_by_role("button", name="Submit", exact=True)).to_be_visible(timeout=T)


def check_html_does_not_run(page: Page, scope, dialogs: list[str]) -> None:
    send(scope, XSS)
    expect(replies(scope).last).to_contain_text("message number", timeout=T)
    user = asks(scope).last
    expect(user.locator("strong")).to_have_text("bold")  # Markdown still renders
    page.wait_for_timeout(500)  # let a broken image fire its error event, if it had a handler
    assert dialogs == []
    ran = page.evaluate("[window.__pwned, window.__pwned2, window.__pwned3]")
    assert ran == [None, None, None]
    log = log_of(scope)
    assert log.locator("[onerror], [onload], script").count() == 0
    assert "alert" not in log.inner_html()


# -- standalone: the gallery's /chat/ page -------------------------------------------------------


def open_chat(page: Page, gallery: str) -> None:
    page.goto(f"{gallery}chat/")
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)


def test_chat_streams_a_reply_standalone(page: Page, gallery: str):
    open_chat(page, gallery)
    log = log_of(page)
    expect(log).to_be_visible()
    placeholder = log.get_by_text("Say hello")
    expect(placeholder).to_be_visible()  # the placeholder while empty
    check_stream(page, page)
    expect(placeholder).to_be_hidden()
    expect(page.get_by_role("button", name="Clear conversation")).to_be_visible()
    assert page.js_errors == []


def test_chat_stop_keeps_the_partial_reply_standalone(page: Page, gallery: str):
    open_chat(page, gallery)
    check_stop(page, page)
    assert page.js_errors == []


def test_chat_example_and_clear_standalone(page: Page, gallery: str):
    open_chat(page, gallery)
    check_example(page, "Hello!", "tiny bot that streams")
    check_example(page, "What can you do?", "count to 20")
    expect(replies(page)).to_have_count(2)
    page.get_by_role("button", name="Clear conversation").click()
    expect(asks(page)).to_have_count(0, timeout=T)
    expect(log_of(page).get_by_text("Say hello")).to_be_visible()
    # the server's history was cleared too: the next reply counts from one
    send(page, "fresh start")
    expect(replies(page).last).to_contain_text("message number 1 ", timeout=T)
    assert page.js_errors == []


def test_chat_sessions_have_separate_histories(page: Page, gallery: str, browser, artifacts):
    other_ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    other = other_ctx.new_page()
    try:
        open_chat(page, gallery)
        open_chat(other, gallery)
        send(page, "I am visitor A")
        expect(replies(page).last).to_contain_text("message number 1 ", timeout=T)
        send(other, "I am visitor B")
        expect(replies(other).last).to_contain_text("You said: I am visitor B", timeout=T)
        expect(replies(other).last).to_contain_text("message number 1 ", timeout=T)
        send(page, "A again")
        expect(replies(page).last).to_contain_text("message number 2 ", timeout=T)
        expect(log_of(page)).not_to_contain_text("visitor B")
        expect(log_of(other)).not_to_contain_text("visitor A")
        expect(asks(other)).to_have_count(1)
        other.screenshot(path=str(artifacts / "test_chat_sessions_other_visitor.png"))
    finally:
        other_ctx.close()


def test_chat_html_in_a_message_does_not_run_standalone(page: Page, gallery: str):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_chat(page, gallery)
    check_html_does_not_run(page, page, dialogs)


MULTIMODAL_APP = """
import nbdemo as gr

def describe(message, history):
    names = [p.rsplit("/", 1)[-1] for p in message["files"]]
    yield f"{len(names)} file(s): {', '.join(names)}"
    yield f"{len(names)} file(s): {', '.join(names)}; text: {message['text']}"

demo = gr.ChatInterface(describe, multimodal=True, title="Multimodal",
                        textbox=gr.MultimodalTextbox(label="Message", show_label=False,
                                                     file_types=["image"], submit_btn=False))
demo.launch(server_port=PORT, quiet=True)
"""


@pytest.fixture(scope="module")
def multimodal_demo(tmp_path_factory):
    proc, url = start_script(MULTIMODAL_APP, tmp_path_factory.mktemp("multimodal_chat"))
    yield url
    proc.stop()


def test_multimodal_chat_attaches_an_image(page: Page, multimodal_demo: str):
    page.goto(multimodal_demo)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    box = box_of(page)
    page.locator(".nbd-multimodaltextbox input[type=file]").set_input_files(str(PHOTO))
    chip = page.get_by_role("listitem").filter(has_text="photo.png")
    expect(chip).to_be_visible(timeout=T)
    # a file of another type is refused in the browser, with a message
    page.locator(".nbd-multimodaltextbox input[type=file]").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    expect(page.locator(".nbd-toast").filter(has_text="not an allowed file type")).to_be_visible(timeout=T)
    expect(page.get_by_role("listitem")).to_have_count(1)
    # drag and drop adds a second image (file_count "multiple"); its Remove button takes it away
    drop = page.evaluate_handle("""async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], "dot.png", { type: "image/png" }));
      return dt;
    }""", DOT_PNG)
    page.locator(".nbd-multimodaltextbox").dispatch_event("drop", {"dataTransfer": drop})
    expect(page.get_by_role("listitem")).to_have_count(2, timeout=T)
    page.get_by_role("button", name="Remove dot.png").click()
    expect(page.get_by_role("listitem")).to_have_count(1)
    expect(chip).to_be_visible()
    box.fill("what is in it?")
    box.press("Enter")
    image = log_of(page).locator("img.nbd-chat-image")
    expect(image).to_have_count(1, timeout=T)
    expect(replies(page).last).to_have_text("1 file(s): photo.png; text: what is in it?", timeout=T)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=T)
    assert image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [1600, 1200]
    expect(asks(page).last).to_have_text("what is in it?")
    expect(box).to_have_value("", timeout=T)
    expect(page.get_by_role("listitem")).to_have_count(0)  # the attachment went with the message
    assert page.js_errors == []


# -- inline: notebooks/chat.ipynb in JupyterLab ----------------------------------------------------


@pytest.fixture(scope="module")
def chat_lab(browser, jupyter_lab):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(f"{jupyter_lab.url}lab/workspaces/chat/tree/notebooks/chat.ipynb?reset&token={jupyter_lab.token}")
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1, timeout=T)
    wait_kernel(page)
    run_all(page)
    app = page.locator(".jp-OutputArea-output .nbd-app")
    try:
        expect(app).to_have_count(1, timeout=T)
        expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
    except AssertionError:
        page.screenshot(path=str(ARTIFACTS / "open_chat_inline_failed.png"))
        ctx.close()
        raise
    yield page, app
    ctx.close()
    # the session's other tests share this JupyterLab: end the chat's kernel
    for sess in jupyter_lab.api("api/sessions"):
        if sess.get("path", "").endswith("notebooks/chat.ipynb"):
            req = urllib.request.Request(
                f"{jupyter_lab.url}api/sessions/{sess['id']}?token={jupyter_lab.token}", method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()


def _inline_errors(page: Page) -> list[str]:
    return [e for e in page.js_errors if "nbd" in e.lower()]


@pytest.mark.jupyter
def test_chat_streams_a_reply_inline(chat_lab, artifacts):
    page, app = chat_lab
    app.scroll_into_view_if_needed()
    check_stream(page, app)
    page.screenshot(path=str(artifacts / "test_chat_streams_a_reply_inline.png"))
    assert _inline_errors(page) == []


@pytest.mark.jupyter
def test_chat_stop_keeps_the_partial_reply_inline(chat_lab, artifacts):
    page, app = chat_lab
    check_stop(page, app)
    page.screenshot(path=str(artifacts / "test_chat_stop_keeps_the_partial_reply_inline.png"))
    assert _inline_errors(page) == []


@pytest.mark.jupyter
def test_chat_example_inline(chat_lab, artifacts):
    page, app = chat_lab
    check_example(app, "Hello!", "tiny bot that streams")
    assert _inline_errors(page) == []


@pytest.mark.jupyter
def test_chat_html_in_a_message_does_not_run_inline(chat_lab, artifacts):
    # JupyterLab has no strict Content-Security-Policy: only the sanitizer stands in the way
    page, app = chat_lab
    check_html_does_not_run(page, app, page.dialogs)
    app.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_chat_html_in_a_message_does_not_run_inline.png"))


@pytest.mark.jupyter
def test_chat_history_is_the_kernels_value_inline(chat_lab, artifacts):
    page, app = chat_lab
    n = asks(app).count() + replies(app).count()
    cell = page.locator(".jp-CodeCell").last
    editor = cell.locator(".jp-InputArea-editor .cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    editor.press("Control+Enter")
    out = cell.locator(".jp-OutputArea-output").first
    expect(out).to_contain_text(f"chat messages: {n}", timeout=T)
    expect(out).to_contain_text("assistant: 'You said:", timeout=T)
    out.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_chat_history_is_the_kernels_value_inline.png"))
    assert _inline_errors(page) == []
