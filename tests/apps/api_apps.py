"""Demos the HTTP API tests call with the real gradio_client (tests/test_api.py)."""

from __future__ import annotations

import time

import nbdemo as gr


def greet(name: str, n: float, choice: str, drop: str) -> str:
    """Greets someone.

    Longer text that is not part of the description."""
    return f"Hello {name} {n:g} {choice} {drop}"


def count(total):
    total = (total or 0) + 1
    return total, total


def stream(text):
    for i in range(len(text)):
        time.sleep(0.01)
        yield text[: i + 1]


def boom(x):
    raise gr.Error(f"bad thing: {x}")


def crash(x):
    raise RuntimeError("secret internals")


def flip(img):
    return img[:, ::-1]


def slow(seconds: float) -> str:
    time.sleep(seconds)
    return f"slept {seconds:g}"


def progress_steps(n: float, progress=gr.Progress()):
    for _ in progress.tqdm(range(int(n)), desc="step"):
        time.sleep(0.01)
    return f"did {int(n)}"


def build() -> gr.Blocks:
    with gr.Blocks(title="API demo") as demo:
        name = gr.Textbox(label="Name", value="World")
        n = gr.Number(value=3)
        radio = gr.Radio(["a", "b"], value="a", label="Choice")
        drop = gr.Dropdown(["x", "y"], value="x", label="Drop")
        out = gr.Textbox(label="Out")
        gr.Button("greet").click(greet, [name, n, radio, drop], out)
        state = gr.State(0)
        shown = gr.Number(label="Count")
        gr.Button("count").click(count, state, [state, shown])
        gr.Button("stream").click(stream, name, out)
        gr.Button("boom").click(boom, name, out)
        gr.Button("crash").click(crash, name, out)
        img, img2 = gr.Image(label="In", type="numpy"), gr.Image(label="Out image")
        gr.Button("flip").click(flip, img, img2, api_name="flip")
        secs = gr.Number(value=0.01, label="Seconds")
        gr.Button("slow").click(slow, secs, out, concurrency_limit=1)
        gr.Button("steps").click(progress_steps, n, out)
        gr.Button("hidden").click(lambda x: x, name, out, api_name=False)
        gr.Button("undoc").click(lambda x: x.upper(), name, out, api_name="shout", show_api=False)
        gr.Button("priv").click(lambda x: x, name, out, api_name="secret", api_visibility="private")
    return demo
