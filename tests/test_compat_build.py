"""What Gradio's own demos do at build time that Gradio tolerates: files that
are not there in initial values, Examples rows longer than the inputs, Brush
colours with opacity, gradio.components.chatbot's type names."""

from __future__ import annotations

import pytest

import nbdemo as gr
from nbdemo.components.sketchpad import _css_color


def test_a_missing_initial_file_warns_and_starts_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.warns(UserWarning, match=r"Photo: no such image file: images/cat.jpg; Image starts empty"):
        img = gr.Image("images/cat.jpg", label="Photo")
    assert img.value is None
    with pytest.warns(UserWarning, match="is on another host"):
        assert gr.Image("https://example.com/cat.png").value is None
    # a function's output is not forgiven: the user sees an error
    with pytest.raises(gr.Error, match="no such image file"):
        img.postprocess("images/cat.jpg")


def test_gallery_and_chatbot_examples_leave_out_only_what_is_not_there(tmp_path):
    from PIL import Image

    local = tmp_path / "a.png"
    Image.new("RGB", (2, 2), "red").save(local)
    with pytest.warns(UserWarning, match=r"Gallery item 0: https://example.com/x.jpg is on another host.*left out"):
        g = gr.Gallery([("https://example.com/x.jpg", "remote"), (str(local), "local")])
    assert [item["caption"] for item in g.value] == ["local"]
    with pytest.warns(UserWarning, match="example file .*nope.wav does not exist; left out"):
        c = gr.Chatbot(examples=[{"text": "hi", "files": [str(tmp_path / "nope.wav"), str(local)]}])
    assert c.examples[0]["text"] == "hi" and len(c.examples[0]["files"]) == 1


def test_examples_ignore_values_past_the_inputs():
    with gr.Blocks():
        a, b = gr.Textbox(), gr.Number()
        ex = gr.Examples([["x", 1, "an output from a log"]], [a, b])
    assert ex.examples == [["x", 1]]
    with pytest.raises(ValueError, match="row 0 has 1 values for 2 inputs"), gr.Blocks():
        gr.Examples([["x"]], [gr.Textbox(), gr.Number()])


def test_brush_colours_with_opacity():
    assert _css_color(("#00FF00", 0.5)) == "rgba(0, 255, 0, 0.5)"
    assert _css_color(("rgba(255, 255, 0, 0.5)", 0.5)) == "rgba(255, 255, 0, 0.25)"
    assert _css_color(("hsl(300, 100%, 50%)", 0.8)) == "hsla(300, 100%, 50%, 0.8)"
    assert _css_color(("crimson", 0.5)) == "color-mix(in srgb, crimson 50%, transparent)"
    assert gr.Brush(colors=[("rgba(1, 2, 3, 1)", 0.5), "pink"]).colors == ["rgba(1, 2, 3, 0.5)", "pink"]
    with pytest.raises(ValueError, match="opacity in"):
        _css_color(("red", 2))


def test_chatbot_module_type_names():
    from nbdemo.components.chatbot import Message, MessageDict

    history: list[MessageDict | Message] = [{"role": "user", "content": "hi"},
                                           Message(role="assistant", content="hello")]
    bot = gr.Chatbot(history)
    assert [m["content"] for m in bot.value] == ["hi", "hello"]


def test_markdown_drops_the_common_indentation_as_gradio_does():
    md = gr.Markdown("""
        # Title
          indented more
        """)
    assert md.value == "# Title\n  indented more"


def test_load_builds_from_a_function_and_refuses_the_hub_loudly():
    import asyncio

    from recording import RecordingSession, settle

    from nbdemo.engine import Engine

    made = gr.load("echo", src=lambda name, token, **kw: gr.Interface(str.upper, "text", "text",
                                                                      title=f"{name}:{token}"), token="t")
    assert made.title == "echo:t"
    with pytest.raises(NotImplementedError, match="no requests to other hosts"):
        gr.load("models/org/model")
    with pytest.raises(ValueError, match="src must be"):
        gr.load("x", src="github")
    form = gr.load("org/chat", src="models", accept_token=True)  # builds offline, as Gradio's does
    box = next(c for c in form.components() if getattr(c, "type", None) == "password")
    engine = Engine(form)

    async def submit():
        s = RecordingSession(engine, {box: "hf_token"})
        engine.trigger(s, box._id, "submit")
        await settle(s)
        return s

    s = asyncio.run(submit())
    assert s.statuses()[-1] == "error"
    assert "cannot load the Hugging Face model 'org/chat'" in s.status_msgs()[-1]["message"]


def test_dataframe_takes_gradio_6_counts_and_limits():
    df = gr.Dataframe(column_count=2, row_limits=(3, 3), column_limits=(2, 2))
    assert df.col_count == [2, "fixed"] and df.row_count == [3, "fixed"]
    assert gr.Dataframe(column_count=4).col_count == [4, "dynamic"]
    with pytest.warns(UserWarning, match=r"does not enforce row_limits=\(1, 5\)"):
        gr.Dataframe(row_limits=(1, 5))
