"""Chat: Chatbot and MultimodalTextbox values, ChatInterface wiring, ``cancels=``
in the engine, and streamed deltas (nbdemo.protocol) end to end over a real
WebSocket. Browser tests of the chat demo are in tests/test_chat_browser.py."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
import websocket
from conftest import free_port
from recording import HANG, RecordingSession, settle, until  # noqa: F401
from wsclient import frame_messages

import nbdemo as gr
from nbdemo import files, protocol
from nbdemo.engine import Engine
from nbdemo.server import Server

DATA = Path(__file__).resolve().parent / "data"


def run(coro):
    return asyncio.run(coro)


# -- cancels= in the engine ------------------------------------------------------------------------


def _gated_stream_demo():
    """A generator that yields "a", then waits for ``gate`` before each next item."""
    gate = threading.Event()
    finished = threading.Event()
    closed = threading.Event()

    def stream():
        try:
            text = "a"
            yield text
            for ch in "bcdef":
                gate.wait(HANG)
                text += ch
                yield text
            finished.set()
        finally:
            closed.set()

    with gr.Blocks() as demo:
        out = gr.Textbox()
        go = gr.Button("Go")
        stop = gr.Button("Stop")
        after = gr.Textbox()
        ev = go.click(stream, None, out)
        ev.then(lambda: "chained", None, after)
        stop.click(None, None, None, cancels=[ev])
    return demo, out, go, stop, after, ev, gate, finished, closed


def test_cancels_stops_a_running_generator_and_keeps_its_partial_output():
    demo, out, go, stop, after, ev, gate, finished, closed = _gated_stream_demo()
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, go._id, "click")
        await until(lambda: s.get_value(out) == "a")
        engine.trigger(s, stop._id, "click")
        gate.set()  # the generator thread may go on; its items are dropped
        await settle(s)
        return s

    s = run(main())
    assert s.statuses(ev.fn_index)[-1] == "cancelled"
    assert s.get_value(out) == "a"  # the partial output stays
    assert s.get_value(after) == ""  # a cancelled run's .then() does not run
    assert closed.wait(HANG)  # the generator is closed (in its thread)
    assert not finished.is_set()
    # the stop listener itself completes normally
    stop_index = next(i for i, d in enumerate(demo.dependencies) if d.triggers == [(stop, "click")])
    assert s.statuses(stop_index) == ["processing", "complete"]


def test_cancels_touch_only_the_session_that_fired():
    demo, out, go, stop, after, ev, gate, finished, closed = _gated_stream_demo()
    engine = Engine(demo)

    async def main():
        a, b = RecordingSession(engine), RecordingSession(engine)
        engine.trigger(a, go._id, "click")
        engine.trigger(b, go._id, "click")
        await until(lambda: a.get_value(out) == "a" and b.get_value(out) == "a")
        engine.trigger(a, stop._id, "click")
        await until(lambda: "cancelled" in a.statuses(ev.fn_index))
        gate.set()
        await settle(a, b)
        return a, b

    a, b = run(main())
    assert a.get_value(out) == "a" and "cancelled" in a.statuses(ev.fn_index)
    assert b.get_value(out) == "abcdef" and b.statuses(ev.fn_index)[-1] == "complete"
    assert b.get_value(after) == "chained"


def test_cancel_of_a_sync_function_and_of_an_idle_listener():
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(HANG)
        return "late"

    with gr.Blocks() as demo:
        out = gr.Textbox()
        go = gr.Button("Go")
        stop = gr.Button("Stop")
        ev = go.click(slow, None, out)
        stop.click(lambda: "stopped", None, out, cancels=ev)  # one dependency, not a list

    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, stop._id, "click")  # nothing running: nothing to cancel
        await settle(s)
        engine.trigger(s, go._id, "click")
        await until(started.is_set)
        engine.trigger(s, stop._id, "click")
        await settle(s)
        release.set()
        return s

    s = run(main())
    assert s.statuses(ev.fn_index) == ["processing", "cancelled"]
    assert s.get_value(out) == "stopped"


def test_cancels_rejects_what_is_not_a_listener():
    with gr.Blocks():
        btn = gr.Button()
        with pytest.raises(TypeError, match="cancels"):
            btn.click(None, None, None, cancels=["not a dependency"])


def test_async_generator_is_cancelled_too():
    gate = asyncio.Event()

    async def stream():
        yield "x"
        await gate.wait()
        yield "xy"

    with gr.Blocks() as demo:
        out = gr.Textbox()
        go, stop = gr.Button("Go"), gr.Button("Stop")
        ev = go.click(stream, None, out)
        stop.click(None, cancels=[ev])

    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, go._id, "click")
        await until(lambda: s.get_value(out) == "x")
        engine.trigger(s, stop._id, "click")
        await settle(s)
        return s

    s = run(main())
    assert s.statuses(ev.fn_index)[-1] == "cancelled" and s.get_value(out) == "x"


# -- deltas (nbdemo.protocol) ----------------------------------------------------------------------


@pytest.mark.parametrize("old,new", [
    ("Hello", "Hello, world"),
    ([], [{"role": "user", "content": "hi"}]),
    ([{"role": "user", "content": "hi"}],
     [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "He"}]),
    ([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "He"}],
     [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello there"}]),
    ({"text": "a", "files": []}, {"text": "ab", "files": [{"_file": True, "id": "x"}]}),
    ({"a": 1}, {"a": 2, "b": [1, 2]}),
    ([1, 2], [1, 2, 3]),
])
def test_diff_then_apply_gives_the_new_value(old, new):
    ops = protocol.diff(old, new)
    assert ops is not None
    assert protocol.apply_delta(old, ops) == new
    # and through JSON, as on the wire
    assert protocol.apply_delta(json.loads(json.dumps(old)), json.loads(json.dumps(ops))) == new


def test_diff_of_a_growing_message_is_only_the_new_text():
    base = [{"role": "user", "content": "x" * 1000}, {"role": "assistant", "content": "y" * 1000}]
    grown = [base[0], {"role": "assistant", "content": "y" * 1000 + " more"}]
    ops = protocol.diff(base, grown)
    assert ops == [["+", [1, "content"], " more", 1000]]
    assert len(json.dumps(ops)) < 40


@pytest.mark.parametrize("old,new", [
    ("Hello", "Help"),          # not an extension
    ("abc", "ab"),              # shorter
    ([1, 2, 3], [1, 2]),        # a list that lost items
    ({"a": 1, "b": 2}, {"a": 1}),  # a dict that lost keys
    ("", "abc"),                # nothing to extend
    (1, 2),                     # not a container or a string
    ("1", 1),                   # another type
])
def test_diff_says_send_it_whole(old, new):
    assert protocol.diff(old, new) is None


def test_diff_is_strict_about_json_types():
    assert protocol.diff([1], [True]) == [["=", [0], True]]
    assert protocol.diff({"a": 1}, {"a": 1.0}) == [["=", ["a"], 1.0]]
    assert protocol.diff("same", "same") == []


def test_apply_delta_refuses_a_delta_for_another_base():
    ops = protocol.diff("Hello", "Hello!")
    with pytest.raises(ValueError, match="does not fit"):
        protocol.apply_delta("Help", ops)
    with pytest.raises(ValueError, match="does not fit"):
        protocol.apply_delta([], [["=", [3], "x"]])
    with pytest.raises(ValueError, match="does not fit"):
        protocol.apply_delta({}, [["+", ["k"], "x", 0]])


# -- deltas over a real WebSocket: bytes grow linearly ------------------------------------------


class Wire:
    """A page session over a real WebSocket that counts the bytes it receives
    and keeps each component's value as the page would (applying deltas)."""

    def __init__(self, port: int):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=HANG)
        self.bytes = 0
        self.values: dict[int, object] = {}
        self.deltas = 0
        self.pending: list[dict] = []
        self.recv()  # hello

    def recv(self) -> dict:
        if not self.pending:
            raw = self.ws.recv()
            self.bytes += len(raw.encode() if isinstance(raw, str) else raw)
            self.pending = frame_messages(raw)
        msg = self.pending.pop(0)
        if msg["type"] == "update":
            for cid, props in msg["updates"]:
                if "value" in props:
                    v = props["value"]
                    if protocol.is_delta(v):
                        self.deltas += 1
                        v = protocol.apply_delta(self.values[cid], v[protocol.DELTA_KEY])
                    self.values[cid] = v
        return msg

    def send(self, msg: dict) -> None:
        self.ws.send(json.dumps(msg))

    def run(self, comp, event: str, last=None) -> None:
        """Fire ``event`` and read messages until the run of ``last`` (a
        Dependency; default: the first run started) is final."""
        self.bytes = 0
        self.send({"type": "event", "id": comp._id, "event": event})
        while True:
            msg = self.recv()
            assert msg["type"] in ("status", "update"), msg
            if msg["type"] == "status" and msg["status"] in ("complete", "error", "cancelled") \
                    and (last is None or msg["fn_index"] == last.fn_index):
                assert msg["status"] == "complete", msg
                return

    def close(self) -> None:
        self.ws.close()


N_TOKENS = 500
TOKEN = "word "  # 5 characters per streamed token


#: a long token (60 characters), where the JSON envelope of each delta weighs less than its text
LONG_TOKEN = "the quick brown fox jumps over the lazy dog, then naps again "


def _stream_demo():
    def textbox_stream(n, long):
        token = LONG_TOKEN if long else TOKEN
        text = ""
        for _ in range(int(n)):
            text += token
            yield text

    def chat_stream(message, history):
        text = ""
        for _ in range(N_TOKENS):
            text += TOKEN
            yield text

    with gr.Blocks() as demo:
        n = gr.Number(value=N_TOKENS, label="n")
        long = gr.Checkbox(label="long tokens")
        out = gr.Textbox(label="out")
        go = gr.Button("Go")
        go.click(textbox_stream, [n, long], out)
        chat = gr.ChatInterface(chat_stream)
    demo.long = long
    return demo, n, out, go, chat


@pytest.fixture
def stream_server():
    demo, n, out, go, chat = _stream_demo()
    srv = Server({"/": demo}, host="127.0.0.1", port=free_port(), quiet=True).start()
    srv.long = demo.long
    try:
        yield srv, n, out, go, chat
    finally:
        srv.stop()


def _measure(port: int, comp, event: str, set_msgs=(), last=None) -> tuple[int, Wire]:
    w = Wire(port)
    for m in set_msgs:
        w.send(m)
    w.run(comp, event, last)
    return w.bytes, w


def test_streaming_text_sends_linear_bytes(stream_server, record_property):
    from nbdemo.server.session import ServerSession

    srv, n, out, go, chat = stream_server
    final = TOKEN * N_TOKENS

    sent, w = _measure(srv.port, go, "click")
    assert w.values[out._id] == final  # the page ends with exactly the streamed text
    assert w.deltas >= N_TOKENS - 1
    w.close()

    # half the tokens: half the bytes (linear), not a quarter (quadratic)
    half, w2 = _measure(srv.port, go, "click", [{"type": "set", "id": n._id, "value": N_TOKENS // 2}])
    w2.close()
    assert 1.8 < sent / half < 2.2, (sent, half)
    # each token costs its text plus a fixed envelope (< 100 bytes of JSON), no more
    assert sent < len(final) + N_TOKENS * 100, sent

    # the same stream sent whole, as before deltas: quadratic
    ServerSession.deltas = False
    try:
        whole, w3 = _measure(srv.port, go, "click")
        assert w3.values[out._id] == final
        w3.close()
    finally:
        ServerSession.deltas = True
    assert whole > sum(len(TOKEN) * i for i in range(1, N_TOKENS + 1))  # ≥ n²/2 tokens
    assert whole > 10 * sent
    record_property("bytes_500_tokens_textbox", {"deltas": sent, "whole": whole, "text": len(final)})
    print(f"\n500 tokens into a Textbox: {sent} bytes with deltas, {whole} bytes whole values, "
          f"final text {len(final)} bytes")


def test_streaming_long_tokens_costs_under_three_times_the_text(stream_server, record_property):
    srv, n, out, go, chat = stream_server
    final = LONG_TOKEN * N_TOKENS
    sent, w = _measure(srv.port, go, "click", [{"type": "set", "id": srv.long._id, "value": True}])
    assert w.values[out._id] == final
    w.close()
    assert sent < 3 * len(final), (sent, len(final))
    record_property("bytes_500_long_tokens_textbox", {"deltas": sent, "text": len(final)})
    print(f"\n500 tokens of 60 characters: {sent} bytes for {len(final)} bytes of text")


def test_streaming_chat_reply_sends_linear_bytes(stream_server, record_property):
    from nbdemo.server.session import ServerSession

    srv, n, out, go, chat = stream_server
    final = TOKEN * N_TOKENS
    msgs = [{"type": "set", "id": chat.textbox._id, "value": "hello"}]

    reply = chat._cancelable[1]  # the dependency that streams the reply
    sent, w = _measure(srv.port, chat.textbox, "submit", msgs, reply)
    history = w.values[chat.chatbot._id]
    assert history == [{"role": "user", "content": "hello"}, {"role": "assistant", "content": final}]
    w.close()
    assert sent < len(final) + N_TOKENS * 100, sent

    ServerSession.deltas = False
    try:
        whole, w2 = _measure(srv.port, chat.textbox, "submit", msgs, reply)
        assert w2.values[chat.chatbot._id] == history
        w2.close()
    finally:
        ServerSession.deltas = True
    assert whole > 10 * sent
    record_property("bytes_500_tokens_chat", {"deltas": sent, "whole": whole, "text": len(final)})
    print(f"\n500 tokens into a Chatbot reply: {sent} bytes with deltas, {whole} bytes whole values")


def test_a_page_edit_makes_the_next_update_whole(stream_server):
    srv, n, out, go, chat = stream_server
    w = Wire(srv.port)
    w.send({"type": "set", "id": n._id, "value": 3})
    w.run(go, "click")
    assert w.values[out._id] == TOKEN * 3
    # the page edits the output box: the server's next value for it is not a delta
    w.send({"type": "set", "id": out._id, "value": "typed on the page"})
    w.deltas = 0
    w.run(go, "click")
    assert w.values[out._id] == TOKEN * 3
    assert w.deltas == 2  # the first item is whole; the two after it are deltas
    w.close()


def test_resync_sends_the_whole_value(stream_server):
    srv, n, out, go, chat = stream_server
    w = Wire(srv.port)
    w.send({"type": "set", "id": n._id, "value": 2})
    w.run(go, "click")
    w.send({"type": "resync", "id": out._id})
    msg = w.recv()
    assert msg == {"type": "update", "updates": [[out._id, {"value": TOKEN * 2}]]}
    w.close()


# -- Chatbot --------------------------------------------------------------------------------------


def test_chatbot_messages_round_trip():
    bot = gr.Chatbot()
    value = [{"role": "user", "content": "Hi **there**"},
             {"role": "assistant", "content": "Hello!", "metadata": {"title": "Thinking", "status": "done"}},
             {"role": "system", "content": "be brief"}]
    wire = bot.postprocess(value)
    assert wire == value
    assert bot.preprocess(wire) == value
    assert bot.postprocess(bot.preprocess(wire)) == wire


def test_chatbot_accepts_pairs_and_chat_messages_in_either_type():
    for kind in ("messages", "tuples"):
        bot = gr.Chatbot(type=kind)
        assert bot.postprocess([("hi", "hello"), (None, "more"), ("bye", None)]) == [
            {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
            {"role": "assistant", "content": "more"}, {"role": "user", "content": "bye"}]
        assert bot.postprocess([gr.ChatMessage("thinking…", metadata={"title": "Search", "status": "pending",
                                                                       "not-a-key": 1})]) == [
            {"role": "assistant", "content": "thinking…", "metadata": {"title": "Search", "status": "pending"}}]
        assert bot.postprocess(None) == []
        assert bot.postprocess({"role": "user", "content": 3}) == [{"role": "user", "content": "3"}]


def test_chatbot_tuples_type_gives_fn_pairs():
    bot = gr.Chatbot(type="tuples")
    wire = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
            {"role": "assistant", "content": "again"}, {"role": "system", "content": "left out"},
            {"role": "user", "content": "q"}]
    assert bot.preprocess(wire) == [["hi", "hello"], [None, "again"], ["q", None]]
    assert gr.Chatbot().preprocess(wire) == wire


def test_chatbot_bad_values_raise_clear_errors():
    bot = gr.Chatbot(label="Chat")
    with pytest.raises(gr.Error, match="role"):
        bot.postprocess([{"role": "robot", "content": "x"}])
    with pytest.raises(gr.Error, match="'role' and 'content'"):
        bot.postprocess([{"text": "x"}])
    with pytest.raises(gr.Error, match="no such file"):
        bot.postprocess([("user", ("/no/such/file.png",))])
    with pytest.raises(gr.Error, match="cannot show"):
        bot.postprocess([{"role": "user", "content": object()}])
    with pytest.raises(gr.Error, match="message dict or a"):
        bot.postprocess(["just a string"])


def test_chatbot_files_from_paths_tuples_dicts_and_components(tmp_path):
    photo = DATA / "photo.png"
    audio = tmp_path / "beep.wav"
    audio.write_bytes(b"RIFF0000WAVEfmt ")
    doc = tmp_path / "notes.pdf"
    doc.write_bytes(b"%PDF-1.4")
    bot = gr.Chatbot()
    wire = bot.postprocess([
        {"role": "user", "content": (str(photo), "a photo")},
        {"role": "assistant", "content": Path(audio)},
        {"role": "assistant", "content": {"path": str(doc)}},
        {"role": "assistant", "content": gr.Image(str(photo), format="png")},
        ("look", (str(doc),)),
    ])
    kinds = [m["content"]["file"]["mime_type"] for m in wire if isinstance(m["content"], dict)]
    assert kinds == ["image/png", "audio/x-wav", "application/pdf", "image/png", "application/pdf"]
    assert wire[0]["content"]["alt_text"] == "a photo"
    assert wire[4] == {"role": "user", "content": "look"}
    for m in wire:
        if isinstance(m["content"], dict):
            fd = m["content"]["file"]
            assert files.is_file_data(fd) and "path" not in fd and files.lookup(fd["id"]) is not None
    # the same path again is the same file (a history re-sent per token is not copied again)
    again = bot.postprocess([{"role": "user", "content": (str(photo), "a photo")}])
    assert again[0] == wire[0]
    # fn gets paths of the session's copies, which come back as the same files
    pre = bot.preprocess(wire)
    assert pre[0]["content"]["path"].endswith("photo.png") and pre[0]["content"]["alt_text"] == "a photo"
    assert Path(pre[1]["content"]["path"]).read_bytes() == audio.read_bytes()
    assert bot.postprocess(pre) == wire
    # tuples: files as (path,) / (path, alt_text)
    pairs = gr.Chatbot(type="tuples").preprocess(wire)
    assert pairs[0] == [(pre[0]["content"]["path"], "a photo"), (pre[1]["content"]["path"],)]


def test_chatbot_shows_audio_and_file_components(tmp_path):
    import wave

    tone = tmp_path / "tone.wav"
    with wave.open(str(tone), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    wire = gr.Chatbot().postprocess([{"role": "assistant", "content": gr.Audio(str(tone))},
                                      {"role": "assistant", "content": gr.File(str(tone))}])
    for m in wire:
        fd = m["content"]["file"]
        assert fd["orig_name"] == "tone.wav" and fd["mime_type"].startswith("audio/")
        assert files.lookup(fd["id"])[1].path.read_bytes() == tone.read_bytes()


def test_a_string_is_never_opened_as_a_path():
    bot = gr.Chatbot()
    secret = str(DATA / "photo.png")
    assert bot.postprocess([{"role": "assistant", "content": secret}]) == [
        {"role": "assistant", "content": secret}]


def test_chatbot_wire_values_from_the_page_are_checked():
    bot = gr.Chatbot()
    ok = [{"role": "user", "content": "hi", "metadata": {"title": "t", "evil": "x"}}]
    assert bot.validate_wire(ok) == [{"role": "user", "content": "hi", "metadata": {"title": "t"}}]
    assert bot.validate_wire(None) == []
    for bad in ["text", [{"role": "root", "content": "x"}], [{"role": "user", "content": 5}],
                [{"role": "user", "content": {"path": "/etc/passwd"}}],
                [{"role": "user", "content": {"file": {"_file": True, "id": "not-a-file-of-ours"}}}]]:
        with pytest.raises(ValueError):
            bot.validate_wire(bad)
    # a file this session uploaded is accepted
    store = files.FileStore()
    try:
        with files.using(store):
            fd = store.add_bytes(b"x", "a.txt")
            msg = [{"role": "user", "content": {"file": {**fd, "url": "/elsewhere"}, "alt_text": None}}]
            assert bot.validate_wire(msg) == [{"role": "user", "content": {"file": fd, "alt_text": None}}]
    finally:
        store.close()


def test_chatbot_props_on_the_wire():
    bot = gr.Chatbot(height=300, placeholder="**Hi**", show_copy_button=True, sanitize_html=False,
                     layout="panel", render_markdown=False, rtl=True)
    props = bot.props()
    assert props["_kind"] == "chatbot" and props["height"] == 300
    assert props["placeholder"] == "**Hi**" and props["show_copy_button"] is True
    assert props["sanitize_html"] is False and props["chat_layout"] == "panel"
    assert props["render_markdown"] is False and props["rtl"] is True
    assert gr.Chatbot().props()["sanitize_html"] is True
    assert gr.Chatbot().label == "Chatbot"
    assert all(callable(getattr(bot, e)) for e in ("change", "select", "clear"))
    from nbdemo.components import SHORTCUTS
    assert isinstance(SHORTCUTS["chatbot"](), gr.Chatbot)


# -- MultimodalTextbox ----------------------------------------------------------------------------


def test_multimodal_textbox_values(tmp_path):
    box = gr.MultimodalTextbox(file_types=["image", ".txt"], label="Ask")
    assert box.value == {"text": "", "files": []}
    assert box.postprocess("just text") == {"text": "just text", "files": []}
    assert box.postprocess(None) == {"text": "", "files": []}
    note = tmp_path / "note.txt"
    note.write_text("hello")
    wire = box.postprocess({"text": "see", "files": [str(note), {"path": str(DATA / "photo.png")}]})
    assert wire["text"] == "see" and [f["orig_name"] for f in wire["files"]] == ["note.txt", "photo.png"]
    got = box.preprocess(wire)
    assert got["text"] == "see" and Path(got["files"][0]).read_text() == "hello"
    assert box.preprocess(None) == {"text": "", "files": []}
    with pytest.raises(gr.Error, match="expected"):
        box.postprocess(42)


def test_multimodal_textbox_checks_what_the_page_sends():
    box = gr.MultimodalTextbox(file_types=["image"], file_count="single")
    store = files.FileStore()
    try:
        with files.using(store):
            png = store.add_bytes(b"\x89PNG", "a.png")
            txt = store.add_bytes(b"hi", "a.txt")
            assert box.validate_wire({"text": "x", "files": [png]}) == {"text": "x", "files": [png]}
            assert box.validate_wire(None) == {"text": "", "files": []}
            with pytest.raises(ValueError, match="not an allowed file type"):
                box.validate_wire({"text": "x", "files": [txt]})
            with pytest.raises(ValueError, match="single"):
                box.validate_wire({"text": "x", "files": [png, png]})
            with pytest.raises(ValueError):
                box.validate_wire({"text": 3, "files": []})
            with pytest.raises(ValueError):
                box.validate_wire({"text": "x", "files": [{"_file": True, "id": "someone-elses"}]})
            # preprocess checks file_types too (a value set from Python)
            with pytest.raises(gr.Error, match="not an allowed file type"):
                box.preprocess({"text": "", "files": [txt]})
    finally:
        store.close()
    props = box.props()
    assert props["_kind"] == "multimodaltextbox" and props["file_types"] == ["image"]
    assert props["file_count"] == "single" and props["submit_btn"] is True
    assert all(callable(getattr(box, e)) for e in ("submit", "upload", "change", "input", "focus", "blur"))


# -- ChatInterface --------------------------------------------------------------------------------


def _submit(engine, session, chat, text):
    session.values[chat.textbox._id] = text
    engine.trigger(session, chat.textbox._id, "submit")


def test_chat_interface_builds_the_expected_demo():
    def echo(message, history):
        return message

    chat = gr.ChatInterface(echo, title="Echo", description="says it back", examples=["a", "b"])
    assert isinstance(chat, gr.Blocks)
    assert isinstance(chat.chatbot, gr.Chatbot) and chat.chatbot.type == "messages"
    assert isinstance(chat.textbox, gr.Textbox) and chat.textbox.label == "Message"
    assert chat.submit_btn.value == "Submit"
    assert chat.stop_btn is None  # not a generator: nothing to stop
    assert chat.examples_dataset.samples == [["a"], ["b"]]
    shown = [c for c in chat.components() if isinstance(c, gr.Markdown)]
    assert [m.value for m in shown] == ["# Echo", "says it back"]
    stream = gr.ChatInterface(lambda m, h: (yield m), submit_btn="Send", stop_btn="Halt")
    assert stream.submit_btn.value == "Send" and stream.stop_btn.value == "Halt"
    assert stream.stop_btn.visible is False
    multi = gr.ChatInterface(echo, multimodal=True)
    assert isinstance(multi.textbox, gr.MultimodalTextbox)
    # cache_examples is supported now (see tests/test_compat_chat.py); without examples it is a no-op
    assert gr.ChatInterface(echo, cache_examples=True).examples_dataset is None
    with pytest.raises(TypeError, match="unexpected"):
        gr.ChatInterface(echo, no_such_argument=1)
    gr.ChatInterface(echo, retry_btn=None, undo_btn=None, clear_btn=None)  # Gradio 4 names


def test_chat_interface_streams_and_keeps_history_per_session():
    seen_history = []

    def bot(message, history):
        seen_history.append([dict(m) for m in history])
        text = ""
        for w in f"echo {message}".split():
            text = (text + " " + w).strip()
            yield text

    chat = gr.ChatInterface(bot)
    engine = Engine(chat)

    async def main():
        a, b = RecordingSession(engine), RecordingSession(engine)
        _submit(engine, a, chat, "one")
        await settle(a)
        _submit(engine, b, chat, "other")
        await settle(b)
        _submit(engine, a, chat, "two")
        await settle(a)
        return a, b

    a, b = run(main())
    assert a.get_value(chat.chatbot) == [
        {"role": "user", "content": "one"}, {"role": "assistant", "content": "echo one"},
        {"role": "user", "content": "two"}, {"role": "assistant", "content": "echo two"}]
    assert b.get_value(chat.chatbot) == [
        {"role": "user", "content": "other"}, {"role": "assistant", "content": "echo other"}]
    # fn got the history *before* its message, in the messages format
    assert seen_history[0] == [] and seen_history[1] == []
    assert seen_history[2] == [{"role": "user", "content": "one"}, {"role": "assistant", "content": "echo one"}]
    # the box was cleared, and the reply streamed (several values of the chatbot)
    assert a.get_value(chat.textbox) == ""
    chat_values = [p["value"] for m in a.messages if m["type"] == "update"
                   for cid, p in m["updates"] if cid == chat.chatbot._id and "value" in p]
    assert [v[-1]["content"] for v in chat_values[:3]] == ["one", "echo", "echo one"]
    # Stop shown while streaming, Submit back after
    buttons = [(cid, p["visible"]) for m in a.messages if m["type"] == "update"
               for cid, p in m["updates"] if cid in (chat.stop_btn._id, chat.submit_btn._id)]
    assert buttons[:2] == [(chat.submit_btn._id, False), (chat.stop_btn._id, True)]
    assert buttons[-2:] == [(chat.submit_btn._id, True), (chat.stop_btn._id, False)]


def test_chat_interface_ignores_an_empty_message():
    calls = []
    chat = gr.ChatInterface(lambda m, h: calls.append(m) or "x")
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        _submit(engine, s, chat, "   ")
        await settle(s)
        return s

    s = run(main())
    assert calls == [] and s.get_value(chat.chatbot) == []
    assert set(s.statuses()) == {"processing", "complete"}  # nothing failed, no toast
    assert not [m for m in s.messages if m["type"] == "update"]  # and nothing changed


def test_chat_interface_stop_cancels_the_stream_and_keeps_the_partial_reply():
    gate = threading.Event()

    def bot(message, history):
        yield "first"
        gate.wait(HANG)
        yield "first second"

    chat = gr.ChatInterface(bot)
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        _submit(engine, s, chat, "go")
        await until(lambda: (s.get_value(chat.chatbot) or [{}])[-1].get("content") == "first")
        engine.trigger(s, chat.stop_btn._id, "click")
        await settle(s)
        gate.set()
        return s

    s = run(main())
    assert s.get_value(chat.chatbot) == [{"role": "user", "content": "go"},
                                         {"role": "assistant", "content": "first"}]
    assert "cancelled" in s.statuses()
    last = {}
    for m in s.messages:
        if m["type"] == "update":
            for cid, p in m["updates"]:
                last.setdefault(cid, {}).update(p)
    assert last[chat.stop_btn._id]["visible"] is False and last[chat.submit_btn._id]["visible"] is True


def test_a_new_message_stops_the_reply_still_streaming():
    gate = threading.Event()

    def bot(message, history):
        yield f"re {message}"
        if message == "slow":
            gate.wait(HANG)
            yield "never shown"

    chat = gr.ChatInterface(bot)
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        _submit(engine, s, chat, "slow")
        await until(lambda: (s.get_value(chat.chatbot) or [{}])[-1].get("content") == "re slow")
        _submit(engine, s, chat, "fast")
        await until(lambda: len(s.get_value(chat.chatbot)) == 4)
        gate.set()
        await settle(s)
        return s

    s = run(main())
    assert [m["content"] for m in s.get_value(chat.chatbot)] == ["slow", "re slow", "fast", "re fast"]


def test_chat_interface_examples_additional_inputs_and_tuples():
    def bot(message, history, prefix, n):
        return f"{prefix}{message}{'!' * int(n)} ({len(history)})"

    chat = gr.ChatInterface(bot, type="tuples",
                            additional_inputs=[gr.Textbox(value=">", label="prefix"), gr.Slider(0, 5, value=1, label="n")],
                            examples=[["hi", "#", 2], ["yo", "~", 0]])
    assert chat.chatbot.type == "tuples"
    accordions = [b for b in chat.walk() if isinstance(b, gr.Accordion)]
    assert len(accordions) == 1 and accordions[0].props["label"] == "Additional Inputs"
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        s.values[chat.examples_dataset._id] = 1
        engine.trigger(s, chat.examples_dataset._id, "click")
        await settle(s)
        _submit(engine, s, chat, "again")
        await settle(s)
        return s

    s = run(main())
    assert s.get_value(chat.chatbot) == [
        {"role": "user", "content": "yo"}, {"role": "assistant", "content": "~yo (0)"},
        {"role": "user", "content": "again"}, {"role": "assistant", "content": "~again (1)"}]


def test_chat_interface_replies_of_every_shape(tmp_path):
    note = tmp_path / "reply.txt"
    note.write_text("a file")

    def bot(message, history):
        if message == "file":
            return (str(note),)
        if message == "many":
            return [gr.ChatMessage("looked it up", metadata={"title": "Search"}), "the answer"]
        if message == "dict":
            return {"content": "from a dict"}
        if message == "none":
            return None
        return 42

    chat = gr.ChatInterface(bot)
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        for text in ("file", "many", "dict", "none", "number"):
            _submit(engine, s, chat, text)
            await settle(s)
        return s

    s = run(main())
    v = s.get_value(chat.chatbot)
    assert v[1]["content"]["file"]["orig_name"] == "reply.txt"
    assert v[3] == {"role": "assistant", "content": "looked it up", "metadata": {"title": "Search"}}
    assert v[4] == {"role": "assistant", "content": "the answer"}
    assert v[6] == {"role": "assistant", "content": "from a dict"}
    assert v[7] == {"role": "user", "content": "none"}
    assert v[8:] == [{"role": "user", "content": "number"}, {"role": "assistant", "content": "42"}]


def test_chat_interface_async_generators_and_coroutines():
    async def agen(message, history):
        yield "a"
        yield "ab"

    async def coro(message, history):
        return message.upper()

    for fn, want in ((agen, "ab"), (coro, "HI")):
        chat = gr.ChatInterface(fn)
        engine = Engine(chat)

        async def main(chat=chat, engine=engine):
            s = RecordingSession(engine)
            _submit(engine, s, chat, "hi")
            await settle(s)
            return s

        assert run(main()).get_value(chat.chatbot)[-1] == {"role": "assistant", "content": want}


def test_multimodal_chat_gets_text_and_file_paths(tmp_path):
    got = []

    def bot(message, history):
        got.append(message)
        return f"{len(message['files'])} file(s): {message['text']}"

    chat = gr.ChatInterface(bot, multimodal=True)
    engine = Engine(chat)

    async def main():
        s = RecordingSession(engine)
        fd = s.files.add_bytes(b"\x89PNG....", "pic.png")
        s.values[chat.textbox._id] = {"text": "what is this?", "files": [fd]}
        engine.trigger(s, chat.textbox._id, "submit")
        await settle(s)
        return s, fd

    s, fd = run(main())
    assert got[0]["text"] == "what is this?" and got[0]["files"][0].endswith("pic.png")
    v = s.get_value(chat.chatbot)
    assert v[0] == {"role": "user", "content": {"file": fd, "alt_text": None}}
    assert v[1] == {"role": "user", "content": "what is this?"}
    assert v[2] == {"role": "assistant", "content": "1 file(s): what is this?"}
    assert s.get_value(chat.textbox) == {"text": "", "files": []}


# -- inline: deltas over the component's comm -----------------------------------------------------


def test_inline_stream_sends_deltas_not_whole_values(monkeypatch):
    from nbdemo import notebook

    custom: list[tuple[int, dict]] = []
    states: list[tuple[int, dict]] = []

    def send(self, content, buffers=None):
        custom.append((self._id, content))

    real_send_state = gr.Component.send_state

    def send_state(self, key=None):
        states.append((getattr(self, "_id", None), key))
        return real_send_state(self, key)

    monkeypatch.setattr(gr.Component, "send", send, raising=False)
    monkeypatch.setattr(gr.Component, "send_state", send_state, raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", lambda self, c, b=None: None, raising=False)

    def bot(message, history):
        text = ""
        for _ in range(50):
            text += TOKEN
            yield text

    chat = gr.ChatInterface(bot)
    notebook.view_for(chat)
    chat.textbox._on_front_msg(chat.textbox, {"type": "event", "event": "submit", "value": "hi"}, [])
    final = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": TOKEN * 50}]
    deadline = threading.Event()
    for _ in range(int(HANG * 100)):
        if chat.chatbot.value == final and chat.stop_btn.visible is False:
            break
        deadline.wait(0.01)
    assert chat.chatbot.value == final
    deltas = [c for cid, c in custom if cid == chat.chatbot._id and c.get("type") == "delta"]
    assert len(deltas) >= 49
    assert [d["seq"] for d in deltas] == sorted(d["seq"] for d in deltas)
    # the page's value, rebuilt from the deltas, is the final one: the user's message and the
    # reply are pushed, then the reply only grows
    page = []
    for d in deltas:
        page = protocol.apply_delta(page, d["ops"])
    assert page == final
    assert [op[0] for d in deltas[:2] for op in d["ops"]] == ["=", "="]
    assert all(op[0] == "+" for d in deltas[2:] for op in d["ops"])
    assert sum(len(json.dumps(d["ops"])) for d in deltas) < 50 * 60
    # a resync request re-sends the trait whole
    chat.chatbot._on_front_msg(chat.chatbot, {"type": "resync"}, [])
    assert (chat.chatbot._id, "value") in states
