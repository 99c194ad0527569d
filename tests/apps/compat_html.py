"""Gradio 6's templated gr.HTML in Gradio's style (tests/test_compat_html_browser.py):
a star rating whose js_on_load sets props.value and triggers a custom event,
template props a Python function changes, a templated CSS, and Handlebars blocks."""

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
    return demo


if __name__ == "__main__":
    build().launch()
