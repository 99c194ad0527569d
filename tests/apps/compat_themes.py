"""A themed form in Gradio's style (tests/test_compat_themes.py): a built-in
theme with hues, a font and ``.set(...)`` overrides, and the same form unthemed."""

from __future__ import annotations

import nbdemo as gr


def form(theme=None) -> gr.Blocks:
    with gr.Blocks(theme=theme, title="Order") as demo:
        name = gr.Textbox(label="Name")
        qty = gr.Slider(1, 10, value=2, step=1, label="Quantity")
        go = gr.Button("Order", variant="primary")
        out = gr.Textbox(label="Receipt")
        go.click(lambda n, q: f"{q:g} x {n}", [name, qty], out)
    return demo


soft = gr.themes.Soft(primary_hue="emerald", neutral_hue="slate",
                      font=["Verdana", "sans-serif"]).set(
    button_primary_background_fill="*primary_700",
    block_radius="*radius_xxl",
)
demo = form(soft)
plain = form()

if __name__ == "__main__":
    demo.launch()
