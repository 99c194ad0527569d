"""An Interface in Gradio's style with additional inputs, cached examples and
flagging (tests/test_compat_interface.py). ``fn`` notes each call in
``calls.txt`` (in the working directory), so a test can tell a cached answer
from a computed one."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nbdemo as gr

CALLS = Path("calls.txt")


def turn(image: np.ndarray, turns: float, mirror: bool) -> np.ndarray:
    with CALLS.open("a") as f:
        f.write("turn\n")
    out = np.rot90(image, k=int(turns))
    return out[:, ::-1] if mirror else out


def build() -> gr.Interface:
    return gr.Interface(
        turn,
        gr.Image(label="Image"),
        gr.Image(label="Result"),
        additional_inputs=[gr.Slider(0, 3, value=1, step=1, label="Turns"),
                           gr.Checkbox(label="Mirror")],
        additional_inputs_accordion="Options",
        examples=[["example.png", 2, True]],
        cache_examples=True,
        flagging_options=["good", "bad"],
        title="Turn an image",
    )


if __name__ == "__main__":
    build().launch()
