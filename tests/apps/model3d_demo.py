"""A Model3D demo in Gradio's style (tests/test_model3d.py): a cube as an OBJ
file shown on load, a copy in wireframe, and a function that writes a pyramid
as an STL file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbdemo as gr

CUBE = "\n".join(["v 0 0 0", "v 1 0 0", "v 1 1 0", "v 0 1 0", "v 0 0 1", "v 1 0 1", "v 1 1 1", "v 0 1 1",
                  "f 1 4 3 2", "f 5 6 7 8", "f 1 2 6 5", "f 2 3 7 6", "f 3 4 8 7", "f 4 1 5 8"]) + "\n"


def cube_file() -> str:
    path = Path(tempfile.mkdtemp()) / "cube.obj"
    path.write_text(CUBE)
    return str(path)


def pyramid(height: float) -> str:
    """An ASCII STL pyramid ``height`` units tall on a unit square."""
    apex = (0.5, height, 0.5)
    base = [(0, 0, 0), (1, 0, 0), (1, 0, 1), (0, 0, 1)]
    tris = [(base[i], base[(i + 1) % 4], apex) for i in range(4)] + [(base[0], base[2], base[1]),
                                                                   (base[0], base[3], base[2])]
    lines = ["solid pyramid"]
    for tri in tris:
        lines += ["facet normal 0 0 0", "outer loop", *[f"vertex {x} {y} {z}" for x, y, z in tri],
                  "endloop", "endfacet"]
    path = Path(tempfile.mkdtemp()) / "pyramid.stl"
    path.write_text("\n".join([*lines, "endsolid pyramid"]) + "\n")
    return str(path)


def build() -> gr.Blocks:
    with gr.Blocks(title="Model3D") as demo:
        cube = gr.Model3D(cube_file(), label="Cube", clear_color=[0.93, 0.94, 0.97, 1.0], height=240)
        wire = gr.Model3D(label="Wireframe", display_mode="wireframe", height=240)
        gr.Button("Copy").click(lambda p: p, cube, wire)
        tall = gr.Slider(0.5, 3, value=1.5, label="Height")
        made = gr.Model3D(label="Pyramid", camera_position=(90, 80, None), height=240)
        gr.Button("Make a pyramid").click(pyramid, tall, made)
    return demo


if __name__ == "__main__":
    build().launch()
