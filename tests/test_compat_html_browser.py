"""Gradio 6's templated gr.HTML (nbdemo/components/html.py): the compiled module
of the author's code, props updates, custom events, and in Chromium
(tests/apps/compat_html.py) the templates, scoped CSS, js_on_load, props.value
and trigger(), under the page's strict Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_templated_html_compiles_the_authors_code_and_takes_props():
    with gr.Blocks():
        stars = gr.HTML(3, max_stars=5, html_template="<b>${'*'.repeat(value)}</b>",
                        js_on_load="element.onclick = () => trigger('pick', {n: 1})")
        out = gr.Textbox()
        stars.pick(lambda v: v, stars, out)  # a custom event: named in js_on_load
    src = stars.script()
    assert "const { value, label, max_stars } = props; return `<b>${'*'.repeat(value)}</b>`;" in src
    assert stars._events == ["pick"] and stars.html_props == {"max_stars": 5}
    assert stars.adapt_update({"max_stars": 9, "value": 1}) == {"value": 1, "html_props": {"max_stars": 9}}
    assert gr.HTML("<b>plain</b>").script() is None
    with pytest.raises(AttributeError, match="in quotes"):
        stars.hover  # noqa: B018 - not named in js_on_load
    with pytest.raises(ValueError, match="cannot be a template prop"):
        gr.HTML("x", html_template="${x}", **{"class": 1})
    with pytest.warns(UserWarning, match="server_functions"):
        gr.HTML("x", server_functions=[print])
    with pytest.raises(ValueError, match="needs an @children"), gr.HTML(html_template="<b>x</b>"):
        pass
    with gr.Blocks() as demo, gr.HTML(html_template="<h2>Form</h2> @children") as form:
        inside = gr.Textbox()
    assert inside.parent is form and inside in demo.components()
    assert form.layout(lambda c: c._id)["children"][0]["id"] == inside._id


@pytest.mark.browser
def test_templated_html_in_the_page(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_html\ncompat_html.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        stars = page.locator("#stars")
        expect(stars.locator(".star")).to_have_count(5, timeout=T)
        expect(stars.locator("h3")).to_have_text("Rating")
        expect(stars.locator(".lit")).to_have_count(2)
        expect(stars.locator(".star").first).to_have_css("font-size", "20px")  # css_template, scoped
        expect(stars.locator(".lit").first).to_have_css("color", "rgb(234, 179, 8)")
        stars.get_by_role("button", name="star 4").click()  # js_on_load: props.value = 4
        expect(stars.locator(".lit")).to_have_count(4)
        stars.get_by_role("button", name="Send rating").click()  # trigger('rate', {...})
        expect(page.get_by_label("Sent", exact=True)).to_have_value("4 stars (4 by mouse)", timeout=T)
        page.get_by_role("button", name="Bigger stars").click()  # gr.HTML(size=40, max_stars=7)
        expect(stars.locator(".star")).to_have_count(7, timeout=T)
        expect(stars.locator(".star").first).to_have_css("font-size", "40px")
        # the DOM was patched in place: the listeners js_on_load put on the first stars still work
        stars.get_by_role("button", name="star 3").click()
        expect(stars.locator(".lit")).to_have_count(3)
        words = page.locator("#words")
        expect(words.locator("li")).to_have_text(["0: red", "1: green"])
        page.get_by_role("button", name="Add blue").click()
        expect(words.locator("li")).to_have_text(["0: red", "1: green", "2: blue"], timeout=T)
        expect(words.locator("p")).to_have_text("3 words")
        form = page.locator("#form")  # with gr.HTML(...): the Textbox sits at @children
        expect(form.locator("h3 + .nbd-children, .nbd-children")).to_have_count(1)
        expect(form.locator("[data-nbd-html]")).to_have_css("border-top-width", "2px")  # css_template: the root
        page.get_by_label("Name", exact=True).fill("Ada")
        form.get_by_role("button", name="Submit form").click()
        expect(page.get_by_label("Greeting", exact=True)).to_have_value("Welcome, Ada", timeout=T)
        assert form.locator("h3").evaluate("(h) => h.compareDocumentPosition("
                                           "document.querySelector('#form .nbd-children')) & 4")
        assert page.js_errors == [] and violations == []
    finally:
        proc.stop()
