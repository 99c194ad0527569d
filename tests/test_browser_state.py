"""gr.BrowserState: kept in the browser's localStorage, signed by the server."""

from __future__ import annotations

import pytest
from conftest import start_script
from playwright.sync_api import expect

import nbdemo as gr

T = 30_000

APP = """
import nbdemo as gr

with gr.Blocks() as demo:
    visits = gr.BrowserState(0)
    notes = gr.BrowserState({"text": ""}, storage_key="my-notes", secret="s3cret")
    count = gr.Number(label="Visits")
    note = gr.Textbox(label="Note")
    save = gr.Button("Save")

    @demo.load(inputs=[visits, notes], outputs=[visits, count, note])
    def visit(n, saved):
        return n + 1, n + 1, saved["text"]

    save.click(lambda text: {"text": text}, note, notes)

demo.launch(server_port=PORT)
"""


def test_values_are_signed_for_one_component():
    with gr.Blocks():
        a = gr.BrowserState(0)
        b = gr.BrowserState(0)
        keyed = gr.BrowserState([], secret="k")
    stored = a.sign({"n": 1, "tags": ["x"]})
    assert a.verify(stored) == {"n": 1, "tags": ["x"]}
    with pytest.raises(ValueError, match="signature"):
        b.verify(stored)  # another component's value
    with pytest.raises(ValueError, match="signature"):
        a.verify(stored.replace('"n":1', '"n":9'))  # changed by hand
    with pytest.raises(ValueError):
        a.verify("no signature")
    assert keyed.verify(keyed.sign([1])) == [1]
    assert a.sign(object()) is None  # not JSON: kept for the session only
    assert a.sign("x" * 5000) is None  # too long for the page's URL
    with pytest.raises(TypeError, match="JSON"):
        gr.BrowserState(object())


@pytest.mark.browser
def test_a_reload_keeps_the_values_and_a_changed_one_is_dropped(page, tmp_path):
    proc, url = start_script(APP, tmp_path)
    try:
        page.goto(url)
        visits = page.get_by_role("spinbutton", name="Visits")
        expect(visits).to_have_value("1", timeout=T)
        page.get_by_role("textbox", name="Note").fill("remember me")
        page.get_by_role("button", name="Save").click()
        page.wait_for_function("localStorage.getItem('my-notes') !== null", timeout=T)
        page.reload()
        expect(visits).to_have_value("2", timeout=T)  # the load listener saw the stored count
        expect(page.get_by_role("textbox", name="Note")).to_have_value("remember me", timeout=T)
        # a value changed in the browser no longer verifies: the default comes back
        page.evaluate("""() => {
            const key = Object.keys(localStorage).find(k => k.startsWith('nbdemo:'));
            localStorage.setItem(key, localStorage.getItem(key).replace(/\\.2$/, '.41'));
        }""")
        page.reload()
        expect(visits).to_have_value("1", timeout=T)
        expect(page.get_by_role("textbox", name="Note")).to_have_value("remember me")
        assert page.js_errors == []
    finally:
        proc.stop()
