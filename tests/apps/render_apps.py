"""Demos with ``gr.render``, written the way Gradio's guides write them; used
by tests/test_render.py (the engine, no transport) and
tests/test_render_browser.py (the standalone page in Chromium).

- :func:`words`: one box per word of a sentence, built again on every change;
- :func:`rows`: a list whose "Add row" / "Remove row" buttons change a
  State count; each row's Textbox has a ``key=``, so what was typed in a row
  survives rows being added and removed; "Save" (outside the render) reads
  the rows through a listener the render adds;
- :func:`votes`: buttons made in a render, each with a listener made in the
  same run, writing into a component outside and one inside the render.
"""

from __future__ import annotations

import nbdemo as gr


def words() -> gr.Blocks:
    with gr.Blocks(title="Words") as demo:
        sentence = gr.Textbox(label="Sentence")

        @gr.render(inputs=sentence)
        def split(text):
            parts = text.split()
            if not parts:
                gr.Markdown("No words yet.")
                return
            gr.Markdown(f"{len(parts)} word(s)")
            with gr.Row():
                for i, word in enumerate(parts):
                    gr.Textbox(word, label=f"Word {i + 1}")

        gr.Markdown("Below the words.")
    return demo


def rows() -> gr.Blocks:
    with gr.Blocks(title="Rows") as demo:
        count = gr.State(2)
        with gr.Row():
            add = gr.Button("Add row")
            remove = gr.Button("Remove row")
        add.click(lambda n: n + 1, count, count)
        remove.click(lambda n: max(n - 1, 0), count, count)

        @gr.render(inputs=count)
        def items(n):
            boxes = [gr.Textbox(label=f"Row {i + 1}", key=f"row-{i}") for i in range(n)]
            save.click(lambda *values: " | ".join(values), boxes, saved)

        save = gr.Button("Save")
        saved = gr.Textbox(label="Saved")
    return demo


def votes() -> gr.Blocks:
    with gr.Blocks(title="Votes") as demo:
        options = gr.Textbox("red, green, blue", label="Options")
        picked = gr.Textbox(label="Picked")

        @gr.render(inputs=options, triggers=[options.submit, demo.load])
        def ballot(text):
            names = [t.strip() for t in text.split(",") if t.strip()]
            tally = gr.Textbox(label="Tally", value="no votes")
            with gr.Row():
                for name in names:
                    vote = gr.Button(f"Vote {name}")
                    vote.click(lambda name=name: name, None, picked)
                    vote.click(lambda name=name: f"last vote: {name}", None, tally)

    return demo
