"""The two demos of ``bench_load.py``, for nbdemo and for Gradio, from one source.

    python load_apps.py nbdemo echo PORT
    python load_apps.py gradio counter PORT [--unlimited]

``nbdemo`` runs under nbdemo's own Python, ``gradio`` under the Gradio venv's.
Both libraries get the same plain ``def`` functions and the same labels (the
benchmark finds the components by label). ``--unlimited`` (Gradio only) is
``demo.queue(default_concurrency_limit=None)``; without it Gradio keeps its
default queue (one run at a time per event listener).
"""

from __future__ import annotations

import importlib
import sys


def echo(text):
    return text


def count(n):
    return n + 1, f"{n + 1}"


def build(gr, scenario: str):
    with gr.Blocks(title=f"bench_load {scenario}") as demo:
        if scenario == "echo":
            inp = gr.Textbox(label="load input")
            btn = gr.Button("load send")
            out = gr.Textbox(label="load output")
            btn.click(echo, inp, out)
        elif scenario == "counter":
            n = gr.State(0)
            btn = gr.Button("load send")
            out = gr.Textbox(label="load output")
            btn.click(count, n, [n, out])
        else:
            raise SystemExit(f"unknown scenario {scenario!r}")
    return demo


def main(argv: list[str]) -> None:
    lib, scenario, port = argv[0], argv[1], int(argv[2])
    unlimited = "--unlimited" in argv[3:]
    gr = importlib.import_module(lib)
    demo = build(gr, scenario)
    if lib == "gradio" and unlimited:
        demo.queue(default_concurrency_limit=None)
    print(f"load_apps: {lib} {scenario} on 127.0.0.1:{port}"
          + (" (default_concurrency_limit=None)" if unlimited else ""), flush=True)
    demo.launch(server_name="127.0.0.1", server_port=port, quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
