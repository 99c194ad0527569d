"""Gradio 6 events in Gradio's style (tests/test_compat_events_browser.py): copy
from Markdown and a Textbox, Dropdown.key_up, Dataframe.edit, File.delete and
File.download, ImageEditor.apply, Audio.pause_recording, and a DeepLinkButton."""

from __future__ import annotations

import os

import nbdemo as gr


def build() -> gr.Blocks:
    with gr.Blocks(title="Events") as demo:
        copied = gr.Textbox(label="Copied")
        notes = gr.Markdown("Some **notes** to copy", buttons=["copy"])
        quote = gr.Textbox("A quote to copy", label="Quote", buttons=["copy"])
        def on_copy(e: gr.CopyData):
            return e.value

        gr.on([notes.copy, quote.copy], on_copy, None, copied, trigger_mode="multiple")

        city = gr.Dropdown(["Oslo", "Lima"], allow_custom_value=True, label="City")
        typed = gr.Textbox(label="Typed")
        def on_key(v, e: gr.KeyUpData):
            return f"{e.key}|{e.input_value}|{v}"

        city.key_up(on_key, city, typed)

        table = gr.Dataframe([[1, "a"], [2, "b"]], headers=["n", "s"], label="Table")
        edited = gr.Textbox(label="Edited")
        def on_edit(e: gr.EditData):
            return f"{e.index} {e.previous_value!r}->{e.value!r}"

        table.edit(on_edit, None, edited)

        docs = gr.File(file_count="multiple", label="Docs")
        deleted = gr.Textbox(label="Deleted")

        def on_delete(left, e: gr.DeletedFileData):
            kept = ",".join(sorted(os.path.basename(p) for p in left or []))
            return f"{e.file.orig_name} existed={os.path.isfile(e.file.path)} kept={kept}"

        docs.delete(on_delete, docs, deleted)
        downloaded = gr.Textbox(label="Downloaded")
        def on_download(e: gr.DownloadData):
            return e.file.orig_name

        docs.download(on_download, None, downloaded)

        canvas = gr.ImageEditor(label="Canvas", canvas_size=(200, 120))
        applied = gr.Number(0, label="Applied")
        canvas.apply(lambda n: n + 1, applied, applied)

        note = gr.Textbox(label="Note")
        shown = gr.Textbox(label="Shown")
        note.submit(lambda n: f"saw {n}", note, shown)
        gr.Button("Echo note").click(lambda n: f"echo {n}", note, shown)
        gr.DeepLinkButton()

        gr.Dataframe([["Oslo"], ["Lima"], ["Lisbon"]], headers=["city"], show_search="search", label="Cities")
        gr.Image(label="Photo", placeholder="# Drop a cat\nor click to pick one")
        gr.JSON(["a", {"b": [1]}], show_indices=True, label="Indexed")

        mic = gr.Audio(sources=["microphone"], label="Mic")
        pauses = gr.Number(0, label="Pauses")
        mic.pause_recording(lambda n: n + 1, pauses, pauses)
    return demo


if __name__ == "__main__":
    build().launch()
