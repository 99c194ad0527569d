"""Sections of an image in Gradio's style (tests/test_compat_components.py): a
box and a round mask over a generated picture; clicking one names it."""

from __future__ import annotations

import numpy as np

import nbdemo as gr


def sections(width: float):
    image = np.full((60, 90, 3), 235, dtype=np.uint8)
    yy, xx = np.mgrid[0:60, 0:90]
    disc = ((xx - 60) ** 2 + (yy - 30) ** 2 < (width / 2) ** 2).astype(float)
    return image, [((5, 5, 35, 40), "door"), (disc, "window")]


def build() -> gr.Blocks:
    with gr.Blocks(title="Sections") as demo:
        size = gr.Slider(10, 40, value=30, step=1, label="Window size")
        picture = gr.AnnotatedImage(label="Sections", color_map={"door": "#2563eb"}, height=240)
        chosen = gr.Textbox(label="Chosen")
        demo.load(sections, size, picture)
        size.change(sections, size, picture)

        @picture.select(outputs=chosen)
        def pick(evt: gr.SelectData):
            return f"{evt.index}:{evt.value}"
    return demo


if __name__ == "__main__":
    build().launch()
