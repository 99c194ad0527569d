"""Smaller Gradio components in Gradio's style (tests/test_compat_components.py):
a FileExplorer over this folder's demos, a Model3D, a BrowserState counter and
a DuplicateButton (hidden off Spaces)."""

from __future__ import annotations

from pathlib import Path

import nbdemo as gr

HERE = Path(__file__).parent


def build() -> gr.Blocks:
    with gr.Blocks(title="Misc") as demo:
        files = gr.FileExplorer(glob="compat_*.py", root_dir=HERE, label="Demos")
        sizes = gr.JSON(label="Sizes")
        model = gr.Model3D(label="Model")
        visits = gr.BrowserState(0)
        count = gr.Number(label="Visits")
        gr.DuplicateButton()

        @files.change(inputs=files, outputs=sizes)
        def measure(paths: list[str]):
            return {Path(p).name: Path(p).stat().st_size > 0 for p in paths}

        @demo.load(inputs=visits, outputs=[visits, count])
        def visit(n: int):
            return n + 1, n + 1

        model.change(lambda p: None, model, None)
    return demo


if __name__ == "__main__":
    build().launch()
