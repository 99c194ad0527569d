"""Gradio's js= in Gradio's style (tests/test_compat_js_browser.py): Blocks(js=)
run when the page shows, a js-only listener writing its output, a js= whose
result becomes the Python function's input, and a Python listener on the
change a js= made."""

from __future__ import annotations

import nbdemo as gr

WELCOME = """
() => {
  document.body.dataset.welcomed = 'yes';
  return 'welcomed';
}
"""


def build() -> gr.Blocks:
    with gr.Blocks(js=WELCOME, title="JS") as demo:
        word = gr.Textbox("stressed", label="Word")
        shout = gr.Button("Shout in the browser")
        loud = gr.Textbox(label="Loud")
        shout.click(None, word, loud, js="(w) => w.toUpperCase() + '!'")
        flip = gr.Button("Reverse, then ask the server")
        answer = gr.Textbox(label="Answer")
        flip.click(lambda w: f"server got {w}", word, answer, js="(w) => [...w].reverse().join('')")
        noticed = gr.Textbox(label="Noticed")
        loud.change(lambda v: f"the page set {v}", loud, noticed)
    return demo


if __name__ == "__main__":
    build().launch()
