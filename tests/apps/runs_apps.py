"""Small demos for the run browser tests (tests/test_runs_browser.py).

The same builders serve both front doors: the standalone tests serve them
in-process, and the inline tests' notebook imports this module in the
kernel. ``CALLS`` and ``RECEIVED`` are the process-side truth (what the
functions really did), read directly standalone and printed by a cell inline.

A :class:`Gate` lets a test hold a function mid-run and release it without
HTTP: the function polls for a file the test creates (bounded by a hang
guard, so a failed test never leaves a thread waiting forever).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import nbdemo as gr

#: listener name → how many times its function ran (in this process)
CALLS: Counter = Counter()
#: what the submit echo received, in the order its function ran
RECEIVED: list[str] = []

HANG_GUARD = 120.0  # seconds a gated function waits at most


class Gate:
    """A function waits on ``wait()`` until the file ``path`` exists."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def wait(self) -> bool:
        deadline = time.monotonic() + HANG_GUARD
        while not self.path.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def open(self) -> None:
        self.path.write_text("open")

    def close(self) -> None:
        self.path.unlink(missing_ok=True)


def counter(trigger_mode: str | None = None, seconds: float = 0.0) -> gr.Blocks:
    """A State counter: "Add" adds one. ``seconds``: how long each run takes
    (keeps a run unfinished while a burst of clicks arrives)."""
    name = f"counter-{trigger_mode or 'default'}"
    kw = {} if trigger_mode is None else {"trigger_mode": trigger_mode}

    def add(n):
        CALLS[name] += 1
        time.sleep(seconds)
        return n + 1, n + 1

    with gr.Blocks(title=name) as demo:
        gr.Markdown(f"### Counter, trigger_mode={trigger_mode or 'default'}")
        count = gr.State(0)
        shown = gr.Number(label="Count", value=0)
        gr.Button("Add").click(add, count, [count, shown], **kw)
    return demo


def echo() -> gr.Blocks:
    """Submit echoes the message. Earlier messages take *longer* (v0 the
    longest), so without ordering they would come back out of order."""

    def reply(message):
        CALLS["echo"] += 1
        RECEIVED.append(message)
        digits = "".join(ch for ch in message if ch.isdigit())
        time.sleep(0.1 * max(0, 4 - int(digits or 0)))
        return message

    with gr.Blocks(title="echo") as demo:
        box = gr.Textbox(label="Message")
        out = gr.Markdown(label="Echo", elem_id="echo-out")
        box.submit(reply, box, out, trigger_mode="multiple")
    return demo


def queue(gate: Gate, max_size: int = 2) -> gr.Blocks:
    """One run at a time (``concurrency_limit=1``), at most ``max_size`` waiting;
    each run waits for ``gate``."""

    def slow():
        CALLS["queue"] += 1
        gate.wait()
        return "Done"

    with gr.Blocks(title="queue") as demo:
        out = gr.Textbox(label="Result")
        gr.Button("Wait").click(slow, None, out, concurrency_limit=1)
    demo.queue(max_size=max_size)
    return demo


def progress(gate: Gate) -> gr.Blocks:
    """Four items with ``progress.tqdm``; the run holds on the third item until
    ``gate`` opens, so the bar stays at 2/4 for the test to read."""

    def work(progress=gr.Progress()):  # noqa: B008 (the Gradio idiom: a marker default)
        CALLS["progress"] += 1
        for i in progress.tqdm(range(4), desc="Processing", unit="items"):
            if i == 2:
                gate.wait()
        return "Processed 4 items"

    with gr.Blocks(title="progress") as demo:
        out = gr.Textbox(label="Result")
        gr.Button("Start").click(work, None, out)
    return demo


def info() -> gr.Blocks:
    def hello():
        CALLS["info"] += 1
        gr.Info("Hello from gr.Info")
        return "said hello"

    with gr.Blocks(title="info") as demo:
        out = gr.Textbox(label="Result")
        gr.Button("Greet").click(hello, None, out)
    return demo


def timer(interval: float = 0.3) -> gr.Blocks:
    """A Number that counts up by itself on a ``gr.Timer``."""

    def tick(n):
        CALLS["tick"] += 1
        return (n or 0) + 1

    with gr.Blocks(title="timer") as demo:
        ticks = gr.Number(label="Ticks", value=0)
        gr.Timer(interval).tick(tick, ticks, ticks)
    return demo


def load() -> gr.Blocks:
    def greet():
        CALLS["load"] += 1
        return "Loaded by demo.load"

    with gr.Blocks(title="load") as demo:
        out = gr.Textbox(label="Greeting")
        demo.load(greet, None, out)
    return demo


def nested_progress(gate: Gate) -> gr.Blocks:
    """Two nested ``progress.tqdm`` loops (epochs of batches) over a one-line
    output; the run holds at epoch 1 of 2, batch 2 of 3, until ``gate`` opens."""

    def train(progress=gr.Progress()):  # noqa: B008 (the Gradio idiom: a marker default)
        CALLS["nested"] += 1
        for epoch in progress.tqdm(range(2), desc="Epoch"):
            for batch in progress.tqdm(range(3), desc="Batch"):
                if epoch == 1 and batch == 2:
                    gate.wait()
        return "trained"

    with gr.Blocks(title="nested progress") as demo:
        out = gr.Textbox(label="Result")
        gr.Button("Train").click(train, None, out)
    return demo
