"""Chatbot like / retry / undo / edit / copy (Gradio's event data classes),
and tests/apps/compat_chat.py in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_event_data_classes():
    like = gr.LikeData(None, {"index": 3, "value": "hi", "liked": False})
    assert (like.index, like.value, like.liked) == (3, "hi", False)
    retry = gr.RetryData(None, {"index": 2, "value": "again"})
    undo = gr.UndoData(None, {"index": 0, "value": "oops"})
    assert (retry.index, retry.value, undo.index, undo.value) == (2, "again", 0, "oops")
    edit = gr.EditData(None, {"index": 1, "value": "new", "previous_value": "old"})
    assert (edit.index, edit.value, edit.previous_value) == (1, "new", "old")
    assert gr.CopyData(None, {"value": "x"}).value == "x"
    assert gr.LikeData(None, None).index is None


def test_chatbot_events_and_props():
    with gr.Blocks() as demo:
        bot = gr.Chatbot(editable="all", feedback_options=["Like", "Dislike", "Wrong"])
        for ev in (bot.like, bot.retry, bot.undo, bot.edit, bot.copy):
            ev(lambda: None, None, None)
    assert {"like", "retry", "undo", "edit", "copy"} <= set(bot._events)
    assert bot.feedback_options == ["Like", "Dislike", "Wrong"] and len(demo.dependencies) == 5
    with pytest.raises(ValueError, match="editable"):
        gr.Chatbot(editable="mine")
    with pytest.warns(UserWarning, match="'share'"):
        gr.Chatbot(buttons=["share"])
    with pytest.warns(UserWarning, match="no requests to other hosts"):
        bot = gr.Chatbot(avatar_images=("https://example.com/a.png", None))
    assert bot.avatars == [None, None]
    assert gr.Chatbot().latex_delimiters == [{"left": "$$", "right": "$$", "display": True}]
    assert gr.Chatbot(latex_delimiters=[]).latex_delimiters == []
    with pytest.raises(ValueError, match="latex delimiter"):
        gr.Chatbot(latex_delimiters=[{"left": "$"}])
    with pytest.raises(ValueError, match="pair"):
        gr.Chatbot(avatar_images="me.png")
    ex = gr.Chatbot(examples=["plain", {"text": "t", "files": [APPS / "bot.png"]}]).examples
    assert ex[0] == {"text": "plain", "display_text": None, "files": [], "icon": None}
    assert ex[1]["files"][0]["orig_name"] == "bot.png" and ex[1]["files"][0]["_file"] is True
    with pytest.raises(ValueError, match="unknown example keys"):
        gr.Chatbot(examples=[{"txt": "typo"}])


def test_string_annotations_reach_the_engine():
    from nbdemo.engine.runner import _specials

    def f(history, data: gr.UndoData): ...
    f.__annotations__["data"] = "gr.UndoData"  # as under `from __future__ import annotations`
    assert _specials(f)[1][0] == ("event", gr.UndoData)


@pytest.mark.browser
def test_like_retry_undo_edit_in_the_browser(page, tmp_path, artifacts):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_chat\ncompat_chat.demo.launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        # LaTeX: KaTeX's MathML, a displayed formula and an inline one ("$5" has no closing $)
        formulas = page.get_by_role("log", name="Formulas").locator("math")
        expect(formulas).to_have_count(2, timeout=T)
        expect(formulas.first).to_have_attribute("display", "block")
        expect(page.get_by_role("log", name="Formulas")).to_contain_text("cost $5")
        prompt = page.get_by_role("textbox", name="Message", exact=True)
        feedback = page.get_by_role("textbox", name="Feedback")
        log = page.get_by_role("log", name="Bot")
        # the empty chat offers its examples; one click asks it
        examples = log.get_by_role("group", name="Examples")
        expect(examples.get_by_role("button")).to_have_count(2)
        page.wait_for_function("img => img.complete && img.naturalWidth === 32",
                               arg=examples.locator("img").element_handle())
        examples.get_by_role("button", name="Say hello").click()
        expect(log.get_by_role("article").last).to_contain_text("1: HELLO", timeout=T)
        expect(examples).to_be_hidden()
        expect(prompt).to_have_value("", timeout=T)
        # like the answer
        page.get_by_role("button", name="Like", exact=True).click()
        expect(feedback).to_have_value("up 1: 1: HELLO", timeout=T)
        expect(page.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "true")
        # retry: the same question is answered again
        page.get_by_role("button", name="Retry").click()
        expect(log.get_by_role("article").last).to_contain_text("2: HELLO", timeout=T)
        expect(log.get_by_role("article")).to_have_count(2)
        page.screenshot(path=str(artifacts / "compat_chat_after_retry.png"))
        # the assistant's avatar (a file of the app) is shown, the user has none
        avatar = log.get_by_role("article").last.locator("img.nbd-avatar")
        expect(avatar).to_have_count(1)
        page.wait_for_function("img => img.complete && img.naturalWidth === 32", arg=avatar.element_handle())
        expect(log.get_by_role("article").first.locator("img.nbd-avatar")).to_have_count(0)
        # edit the user's message (editable="user": the answer has no Edit button)
        expect(page.get_by_role("button", name="Edit message")).to_have_count(1)
        page.get_by_role("button", name="Edit message").click()
        page.get_by_label("Edited message").fill("hi there")
        page.get_by_role("button", name="Save").click()
        expect(feedback).to_have_value("edit 0: hello -> hi there", timeout=T)
        expect(log.get_by_role("article").first).to_contain_text("hi there")
        # undo: the exchange goes, its question comes back to the box
        page.get_by_role("button", name="Undo").click()
        expect(log.get_by_role("article")).to_have_count(0, timeout=T)
        expect(prompt).to_have_value("hi there", timeout=T)
        assert page.js_errors == []
    finally:
        proc.stop()


def test_chat_interface_retry_undo_edit_extra_outputs_and_flagging(tmp_path, monkeypatch):
    from nbdemo.engine.runner import _specials

    monkeypatch.chdir(tmp_path)

    def echo(message, history):
        return f"{len(history)}: {message}", len(message)

    length = gr.Number(label="length", render=False)
    with pytest.warns(UserWarning, match="save_history"):
        chat = gr.ChatInterface(echo, editable=True, additional_outputs=[length],
                                save_history=True, flagging_mode="manual",
                                flagging_options=["Like", "Dislike", "Off topic"])
    assert chat.chatbot.editable == "user"
    assert {"retry", "undo", "edit", "like"} <= set(chat.chatbot._events)
    assert chat.chatbot.feedback_options == ["Like", "Dislike", "Off topic"]
    assert _specials(chat._retry)[1][0] == ("event", gr.RetryData)
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "0: hi"}]
    # undo: the question goes back to the box
    assert chat._undo(history, gr.UndoData(None, {"index": 0, "value": "hi"})) == ([], "hi")
    # retry: answer the question again, with the history before it
    saved, _, base, *_ = chat._retry(history, gr.RetryData(None, {"index": 0, "value": "hi"}))
    assert saved == {"message": "hi", "history": [], "base": [history[0]]} and base == [history[0]]
    edited = [{"role": "user", "content": "hello"}, history[1]]
    saved, _, base, *_ = chat._edited(edited, gr.EditData(None, {"index": 0, "value": "hello",
                                                                "previous_value": "hi"}))
    assert saved["message"] == "hello" and base == [{"role": "user", "content": "hello"}]
    # additional outputs: fn's (reply, value) fill the chatbot and the Number
    respond = chat._respond_fn()
    out = respond(saved)
    assert out[0][-1] == {"role": "assistant", "content": "0: hello"} and out[1] == 5
    # flagging: a like saves the conversation
    flag = next(d for d in chat.dependencies if d.triggers == [(chat.chatbot, "like")])
    flag.fn(history, gr.LikeData(None, {"index": 1, "value": "0: hi", "liked": "Off topic"}))
    rows = (tmp_path / ".gradio" / "flagged" / "dataset1.csv").read_text().splitlines()
    assert rows[0].startswith("Chatbot,message,flag") and "Off topic" in rows[1]


def test_chat_interface_cached_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []

    def echo(message, history):
        calls.append(message)
        yield "…"
        yield f"echo {message}"

    chat = gr.ChatInterface(echo, examples=["hi", "yo"], cache_examples="lazy")
    show = next(d for d in chat.dependencies if d.triggers == [(chat.examples_dataset, "click")])
    assert calls == []
    assert show.fn((1, ["yo"])) == [{"role": "user", "content": "yo"},
                                    {"role": "assistant", "content": "echo yo"}]
    assert show.fn((1, ["yo"]))[1]["content"] == "echo yo" and calls == ["yo"]  # cached
    again = gr.ChatInterface(echo, examples=["hi", "yo"], cache_examples=True)  # a second start
    assert again.examples_cache.get(1) == (True, ["echo yo"])


def test_chat_interface_chatbot_value_sets_the_conversation():
    with gr.Blocks() as demo:
        topic = gr.Radio(["Greeting", "Blank"])
        chat = gr.ChatInterface(lambda m, h: "ok")
        topic.change(lambda t: [{"role": "assistant", "content": "Hello!"}] if t == "Greeting" else [],
                     topic, chat.chatbot_value)
    assert chat.chatbot_value is chat.chatbot
    assert demo.dependencies[-1].outputs == [chat.chatbot]
    assert "python" in gr.Code.languages
