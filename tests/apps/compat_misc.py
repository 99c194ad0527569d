"""Smaller Gradio components in Gradio's style (tests/test_compat_components.py):
a FileExplorer over this folder's demos, a Model3D, a BrowserState counter,
a DuplicateButton (hidden off Spaces) and an ImageSlider."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nbdemo as gr

HERE = Path(__file__).parent


def build() -> gr.Blocks:
    with gr.Blocks(title="Misc") as demo:
        nav = gr.Navbar([("Docs", "https://www.gradio.app/docs")], main_page_name="Misc")
        hide_nav = gr.Button("Hide navigation")
        hide_nav.click(lambda: gr.Navbar(visible=False), None, nav)
        files = gr.FileExplorer(glob="compat_*.py", root_dir=HERE, label="Demos")
        sizes = gr.JSON(label="Sizes")
        model = gr.Model3D(label="Model")
        visits = gr.BrowserState(0)
        count = gr.Number(label="Visits")
        gr.DuplicateButton()
        compare = gr.ImageSlider(label="Compare", slider_position=30)
        gr.Markdown("\n\n".join(f"Paragraph {i}" for i in range(30)), height=60, elem_id="long-notes")
        gr.ParamViewer({"turns": {"type": "int", "description": "Quarter turns", "default": "1"}})

        @demo.load(outputs=compare)
        def pair():
            ramp = np.tile(np.linspace(0, 255, 64, dtype=np.uint8), (48, 1))
            image = np.stack([ramp, ramp[::-1], np.full_like(ramp, 128)], axis=-1)
            return image, 255 - image

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
