"""Gradio 6's templated gr.HTML in Gradio's style (tests/test_compat_html_browser.py):
a star rating whose js_on_load sets props.value and triggers a custom event,
template props a Python function changes, a templated CSS, Handlebars blocks,
and a form whose components sit at the template's @children."""

from __future__ import annotations

import nbdemo as gr

STARS = """
<h3>${label}</h3>
${Array.from({length: max_stars}, (_, i) =>
  `<button class='star ${i < value ? "lit" : "dim"}' aria-label='star ${i + 1}'>★</button>`).join('')}
<button class='send'>Send rating</button>
"""

ON_LOAD = """
element.querySelectorAll('.star').forEach((star, i) => {
  star.addEventListener('click', () => { props.value = i + 1; });
});
element.querySelector('.send').addEventListener('click', () => {
  trigger('rate', {stars: props.value, by: 'mouse'});
});
"""


def build() -> gr.Blocks:
    with gr.Blocks(title="HTML") as demo:
        stars = gr.HTML(2, label="Rating", max_stars=5, size=20, html_template=STARS,
                        css_template=".star { font-size: ${size}px; } .lit { color: rgb(234, 179, 8); }",
                        js_on_load=ON_LOAD, elem_id="stars")
        sent = gr.Textbox(label="Sent")

        def rated(value, e: gr.EventData):
            return f"{value} stars ({e.stars} by {e.by})"

        stars.rate(rated, stars, sent)
        bigger = gr.Button("Bigger stars")
        bigger.click(lambda: gr.HTML(size=40, max_stars=7), None, stars)
        words = gr.HTML(["red", "green"], html_template="<ul>{{#each value}}<li>{{@index}}: {{this}}</li>{{/each}}</ul>"
                        " <p>${value.length} words</p>", elem_id="words")
        add = gr.Button("Add blue")
        add.click(lambda w: [*w, "blue"], words, words)
        with gr.HTML(html_template="<h3>${form_name}</h3> @children <button class='go'>Submit form</button>",
                     css_template="border: 2px solid rgb(128, 128, 128); padding: 8px;",
                     js_on_load="element.querySelector('.go').onclick = () => trigger('submit');",
                     form_name="Sign up", elem_id="form") as form:
            name = gr.Textbox(label="Name")
        greeting = gr.Textbox(label="Greeting")
        form.submit(lambda n: f"Welcome, {n}", name, greeting)
    return demo


if __name__ == "__main__":
    build().launch()
