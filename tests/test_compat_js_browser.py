"""Gradio's js= (Blocks.script, the engine's js_inputs): the app's JavaScript
compiled into one module, served same-origin, run by the page before the event
goes to the server; in Chromium (tests/apps/compat_js.py) under the page's
strict Content-Security-Policy."""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

import pytest
from conftest import start_script
from recording import RecordingSession, settle

import nbdemo as gr
from nbdemo.engine import Engine

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_the_apps_javascript_is_one_module_and_js_inputs_replace_the_inputs():
    with gr.Blocks(js="() => 1") as demo:
        t = gr.Textbox()
        out = gr.Textbox()
        b, other = gr.Button(), gr.Button()
        b.click(lambda x: x + "?", t, out, js="(x) => x.toUpperCase()")
        other.click(None, t, out, js="(x) => x")
        t.change(lambda x: x, t, out)
        with pytest.warns(UserWarning, match=r"js=True.*fn runs on the server"):
            other.click(lambda: "x", None, out, js=True)
        with pytest.raises(TypeError, match="JavaScript function as a string"):
            other.click(None, None, None, js=3)
    src = demo.script()
    assert "export async function load() { return await (\n() => 1\n)(); }" in src
    assert "  0: async (...args) => await (\n(x) => x.toUpperCase()\n)(...args)," in src
    assert [(x["fn_index"], x["fn"]) for x in demo.js_listeners()] == [(0, True), (1, False)]
    assert gr.Blocks().script() is None
    engine = Engine(demo)

    async def click(js_inputs):
        s = RecordingSession(engine, {t: "typed"})
        engine.trigger(s, b._id, "click", None, js_inputs=js_inputs)
        await settle(s)
        return s.value(out)

    assert asyncio.run(click({"0": ["TYPED"]})) == "TYPED?"  # fn got what js returned
    assert asyncio.run(click(None)) == "typed?"  # an API call (or a js error) keeps the values
    with pytest.raises(ValueError, match="has no js function"):
        asyncio.run(click({"1": ["x"]}))
    with pytest.raises(ValueError, match="takes 1 values"):
        asyncio.run(click({"0": []}))


@pytest.mark.browser
def test_js_runs_in_the_page_under_the_strict_csp(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_js\ncompat_js.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        with urllib.request.urlopen(url) as r:  # the page keeps its strict policy
            assert "script-src 'self';" in r.headers["Content-Security-Policy"]
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        expect(page.locator("body")).to_have_attribute("data-welcomed", "yes", timeout=T)  # Blocks(js=)
        page.get_by_role("button", name="Shout in the browser").click()
        expect(page.get_by_label("Loud", exact=True)).to_have_value("STRESSED!", timeout=T)
        # the value js= set reached the session: a Python listener on its change sees it
        expect(page.get_by_label("Noticed", exact=True)).to_have_value("the page set STRESSED!", timeout=T)
        page.get_by_role("button", name="Reverse, then ask the server").click()
        expect(page.get_by_label("Answer", exact=True)).to_have_value("server got desserts", timeout=T)
        expect(page.get_by_label("Word", exact=True)).to_have_value("stressed")  # inputs unchanged
        assert page.js_errors == [] and violations == []
    finally:
        proc.stop()
