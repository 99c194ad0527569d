"""A two-speaker script in Gradio's style (tests/test_compat_components.py):
the user writes lines for each speaker; Submit shows them formatted."""

from __future__ import annotations

import nbdemo as gr


def build() -> gr.Blocks:
    with gr.Blocks(title="Script") as demo:
        script = gr.Dialogue(
            [{"speaker": "Host", "text": "Welcome!"}, {"speaker": "Guest", "text": "Thanks (laughs)"}],
            speakers=["Host", "Guest"], tags=["(laughs)", "(sighs)"], submit_btn=True, interactive=True)
        formatted = gr.Textbox(label="Formatted", lines=4)
        transcript = gr.Dialogue(type="list", speakers=["Host", "Guest"], label="Transcript",
                                 interactive=False)
        script.submit(lambda text: (text, text), script, [formatted, transcript])
    return demo


if __name__ == "__main__":
    build().launch()
