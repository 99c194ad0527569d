"""Streaming inputs (``Image.stream``, ``Audio.stream``): the engine driven
directly with frames, the listener options, and the binary frame format.
The browser side (Chromium's fake camera) is in test_stream_browser.py."""

from __future__ import annotations

import asyncio
import io
import threading
import warnings

import numpy as np
import pytest
from recording import HANG, RecordingSession, settle, until

import nbdemo as gr
from nbdemo import files, protocol
from nbdemo.components.audio import wav_bytes
from nbdemo.engine import Engine
from nbdemo.engine.dispatch import dispatch
from nbdemo.engine.runner import STREAM_FILES


def jpeg(color, size=(8, 6)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="JPEG", quality=95)
    return buf.getvalue()


def frame_msg(comp, seq: int, mime: str = "image/jpeg") -> dict:
    return {"type": "stream", "id": comp._id, "event": "stream", "seq": seq, "mime": mime}


def test_stream_listener_options():
    with gr.Blocks():
        cam = gr.Image(sources=["webcam"])
        out = gr.Image()
        dep = cam.stream(lambda f: f, cam, out, stream_every=0.1, time_limit=15)
        assert dep.streams and dep.stream_every == 0.1 and dep.time_limit == 15
        assert dep.trigger_mode == "always_last"  # frames replace one another while fn runs
        assert dep.show_progress == "minimal"  # Gradio's default for streams
        assert cam._stream == {"every": 0.1, "time_limit": 15}
        assert "stream" in cam._events
        # a second listener: the page captures at the shortest interval, for the longest limit
        cam.stream(lambda f: f, cam, out, stream_every=0.3)
        assert cam._stream == {"every": 0.1, "time_limit": None}
        with pytest.warns(UserWarning, match="trigger_mode='multiple'.*always_last"):
            d = cam.stream(lambda f: f, cam, out, trigger_mode="multiple")
        assert d.trigger_mode == "always_last"
        with pytest.raises(ValueError, match="stream_every"):
            cam.stream(lambda f: f, cam, out, stream_every=0)
        btn = gr.Button()
        with pytest.warns(UserWarning, match="stream_every= applies to .stream"):
            btn.click(lambda: None, stream_every=0.2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            btn.click(lambda: None, stream_every=0.5)  # Gradio's default, passed on by wrappers


def test_image_streaming_defaults_and_webcam_options():
    assert gr.Image(streaming=True).sources == ["webcam"]
    assert gr.Image().sources == ["upload", "webcam", "clipboard"]
    assert gr.Image().webcam_options == {"mirror": True, "constraints": None}
    img = gr.Image(webcam_options=gr.WebcamOptions(mirror=False, constraints={"width": 320}))
    assert img.webcam_options == {"mirror": False, "constraints": {"width": 320}}
    assert gr.Image(mirror_webcam=False).webcam_options["mirror"] is False
    with pytest.raises(TypeError, match="unknown key 'flip'"):
        gr.Image(webcam_options={"flip": True})
    assert gr.Audio(streaming=True).sources == ["microphone"]
    with pytest.raises(ValueError, match="must include 'webcam'"):
        gr.Image(streaming=True, sources=["upload"])
    with pytest.raises(ValueError, match="must include 'microphone'"):
        gr.Audio(streaming=True, sources=["upload"])


def test_live_interface_streams_its_streaming_input():
    demo = gr.Interface(lambda f: f, gr.Image(sources=["webcam"], streaming=True), "image", live=True)
    dep = demo.dependency
    assert [e for _, e in dep.triggers] == ["stream"]
    assert dep.time_limit == 30 and dep.show_progress == "hidden"  # Gradio's defaults
    with pytest.warns(UserWarning, match="stream only when live=True"):
        gr.Interface(lambda f: f, gr.Image(sources=["webcam"], streaming=True), "image")


def test_frames_reach_fn_for_each_type_and_slow_fn_drops_frames():
    """numpy (H, W, 3) uint8 RGB, pil, filepath; while fn runs, the newest frame
    waits and replaces older waiting ones (dropped), never a queue."""
    gate = threading.Event()
    seen: dict[str, list] = {"numpy": [], "pil": [], "filepath": []}

    def slow(frame):
        seen["numpy"].append(frame)
        gate.wait(HANG)
        return frame

    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"], streaming=True)
        cam_pil = gr.Image(sources=["webcam"], type="pil")
        cam_path = gr.Image(sources=["webcam"], type="filepath")
        out = gr.Image(streaming=True)
        out2 = gr.Textbox()
        cam.stream(slow, cam, out)
        cam_pil.stream(lambda im: seen["pil"].append(im) or im.size, cam_pil, out2)
        cam_path.stream(lambda p: seen["filepath"].append(p), cam_path, None)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        red, green, blue = jpeg((255, 0, 0)), jpeg((0, 255, 0)), jpeg((0, 0, 255))
        runs = dispatch(s, frame_msg(cam, 0), red)
        assert len(runs) == 1
        await until(lambda: len(seen["numpy"]) == 1)
        # fn is busy: these two wait, the second replacing the first
        assert dispatch(s, frame_msg(cam, 1), green) == []
        assert dispatch(s, frame_msg(cam, 2), blue) == []
        gate.set()
        await settle(s)
        assert len(seen["numpy"]) == 2  # red, then blue: green was dropped
        first, last = seen["numpy"]
        assert first.shape == (6, 8, 3) and first.dtype == np.uint8
        assert first[3, 4, 0] > 200 and first[3, 4, 1] < 60  # red, RGB order
        assert last[3, 4, 2] > 200 and last[3, 4, 0] < 60  # blue
        outs = [u for ups in s.updates() for cid, u in ups if cid == out._id]
        assert len(outs) == 2 and all(files.is_file_data(u["value"]) for u in outs)

        dispatch(s, frame_msg(cam_pil, 0), jpeg((0, 0, 0), (10, 4)))
        dispatch(s, frame_msg(cam_path, 0, "image/png"), _png())
        await settle(s)
        assert seen["pil"][0].size == (10, 4) and seen["pil"][0].mode == "RGB"
        assert str(seen["filepath"][0]).endswith(".png")
        text = [u for ups in s.updates() for cid, u in ups if cid == out2._id]
        assert text[-1]["value"] == "(10, 4)"
        # the frame is the input's value in this session (another event would read it)
        assert files.is_file_data(s.get_value(cam))

    asyncio.run(main())


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (3, 3), (1, 2, 3)).save(buf, format="PNG")
    return buf.getvalue()


def test_time_limit_ends_the_stream_and_a_new_stream_restarts_it():
    calls = []
    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"])
        cam.stream(lambda f: calls.append(1), cam, None, time_limit=0.2)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        dispatch(s, frame_msg(cam, 0), jpeg((1, 1, 1)))
        await settle(s)
        await asyncio.sleep(0.3)
        assert dispatch(s, frame_msg(cam, 5), jpeg((1, 1, 1))) == []  # past the limit
        await settle(s)
        assert len(calls) == 1
        dispatch(s, frame_msg(cam, 0), jpeg((1, 1, 1)))  # Start again: a new stream
        await settle(s)
        assert len(calls) == 2
        # time_limit is the stream's length, not a per-frame timeout: no error statuses
        assert "error" not in s.statuses()

    asyncio.run(main())


def test_an_error_ends_the_stream_until_the_page_starts_again():
    """As in Gradio, a failing fn ends the stream: one error, not one per frame;
    the page is told to stop (``_stream`` marked stopped); Start begins anew."""
    calls = []

    def broken(frame):
        calls.append(1)
        raise gr.Error("no model loaded")

    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"])
        cam.stream(broken, cam, None)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        dispatch(s, frame_msg(cam, 0), jpeg((1, 1, 1)))
        dispatch(s, frame_msg(cam, 1), jpeg((2, 2, 2)))  # waits, then dropped with the failure
        await settle(s)
        for seq in (2, 3):
            assert dispatch(s, frame_msg(cam, seq), jpeg((3, 3, 3))) == []
        await settle(s)
        assert len(calls) == 1 and s.statuses().count("error") == 1
        stops = [p for ups in s.updates() for cid, p in ups if cid == cam._id]
        assert stops == [{"_stream": {"every": 0.5, "time_limit": None, "stopped": "error"}}]
        assert cam._stream == {"every": 0.5, "time_limit": None}  # other sessions: untouched
        assert len(dispatch(s, frame_msg(cam, 0), jpeg((4, 4, 4)))) == 1  # Start again
        await settle(s)
        assert len(calls) == 2
        resets = [p for ups in s.updates() for cid, p in ups if cid == cam._id]
        assert {"_stream": {"every": 0.5, "time_limit": None}} in resets

    asyncio.run(main())


def test_session_keeps_only_the_last_frames_as_files():
    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"], type="filepath")
        out = gr.Image()
        cam.stream(lambda p: p, cam, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        for seq in range(3 * STREAM_FILES):
            dispatch(s, frame_msg(cam, seq), jpeg((seq, 0, 0)))
            await settle(s)
        assert len(s.stream_files[("in", cam._id)]) == STREAM_FILES
        assert len(s.stream_files[("out", out._id)]) == STREAM_FILES
        assert len(s.files.entries) == 2 * STREAM_FILES  # not one per frame
        assert files.is_file_data(s.get_value(cam))
        s.close()

    asyncio.run(main())


def test_bad_frames_get_clear_errors_and_the_session_goes_on():
    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"])
        mic = gr.Audio(sources=["microphone"])
        plain = gr.Image()
        cam.stream(lambda f: None, cam, None)
        mic.stream(lambda a: None, mic, None)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        with pytest.raises(ValueError, match="image/jpeg, image/png or image/webp"):
            dispatch(s, frame_msg(cam, 0, "text/html"), b"<b>")
        with pytest.raises(ValueError, match="has no .stream"):
            dispatch(s, frame_msg(plain, 0), jpeg((0, 0, 0)))
        with pytest.raises(ValueError, match="seq must be an int"):
            dispatch(s, frame_msg(cam, -1), jpeg((0, 0, 0)))
        with pytest.raises(ValueError, match="needs its frame's bytes"):
            dispatch(s, frame_msg(cam, 0))
        with pytest.raises(ValueError, match="not a WAV"):
            dispatch(s, frame_msg(mic, 0, "audio/wav"), b"RIFF....junk")
        demo.max_file_size = 100
        with pytest.raises(ValueError, match=r"frame too large.*max_file_size"):
            dispatch(s, frame_msg(cam, 0), b"x" * 101)
        demo.max_file_size = None
        # a frame that is not an image: fn's run ends in an error naming it, which ends
        # the stream; the session goes on, and a new stream works
        dispatch(s, frame_msg(cam, 0), b"not a jpeg")
        await settle(s)
        assert s.statuses()[-1] == "error"
        assert dispatch(s, frame_msg(cam, 1), jpeg((0, 0, 0))) == []
        dispatch(s, frame_msg(cam, 0), jpeg((0, 0, 0)))
        await settle(s)
        assert s.statuses()[-1] == "complete"

    asyncio.run(main())


def test_audio_chunks_reach_fn_as_sample_rate_and_int16():
    got = {}
    with gr.Blocks() as demo:
        mic = gr.Audio(sources=["microphone"], streaming=True)
        mic_path = gr.Audio(sources=["microphone"], type="filepath")
        mic.stream(lambda chunk: got.update(numpy=chunk), mic, None, stream_every=0.25)
        mic_path.stream(lambda p: got.update(path=p), mic_path, None)
    assert mic._stream == {"every": 0.25, "time_limit": None}
    engine = Engine(demo)
    tone = (np.sin(np.arange(4000) / 10) * 0.5).astype(np.float32)
    chunk = wav_bytes(16000, tone)

    async def main():
        s = RecordingSession(engine)
        dispatch(s, frame_msg(mic, 0, "audio/wav"), chunk)
        dispatch(s, frame_msg(mic_path, 0, "audio/wav"), chunk)
        await settle(s)

    asyncio.run(main())
    rate, data = got["numpy"]
    assert rate == 16000 and data.dtype == np.int16 and data.shape == (4000,)
    assert str(got["path"]).endswith(".wav")


def test_binary_frame_format():
    raw = protocol.pack_frame({"type": "stream", "id": 3, "seq": 0, "mime": "image/jpeg"}, b"\xff\xd8xyz")
    header, data = protocol.unpack_frame(raw)
    assert header == {"type": "stream", "id": 3, "seq": 0, "mime": "image/jpeg"}
    assert bytes(data) == b"\xff\xd8xyz"
    for bad in (b"\x00", b"\x00\x00\x00\x09{}", b"\x00\x00\x00\x02[]", b"\x00\x00\x00\x02{x"):
        with pytest.raises(ValueError, match="binary message"):
            protocol.unpack_frame(bad)


def test_server_takes_binary_frames(serve, clients):
    """Over a real WebSocket: a binary stream frame runs fn; a malformed one
    gets an error reply and the session goes on."""
    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"])
        out = gr.Textbox()
        cam.stream(lambda f: f"{f.shape}", cam, out)
    c = clients(serve(demo).port)
    c.ws.send_binary(b"\x00\x00\x00\x05hello")
    assert "not JSON" in c.recv()["message"]
    c.ws.send_binary(protocol.pack_frame({"type": "set", "id": cam._id}, b""))
    assert "must be 'stream' frames" in c.recv()["message"]
    c.ws.send_binary(protocol.pack_frame(frame_msg(cam, 0), jpeg((9, 9, 9), (5, 7))))
    msgs = c.until_final()
    ups = [u for m in msgs if m["type"] == "update" for cid, u in m["updates"] if cid == out._id]
    assert ups == [{"value": "(7, 5, 3)"}]


def test_inline_door_takes_frames_as_comm_buffers(monkeypatch):
    """The notebook door: a frame is a custom message with one buffer on the
    camera's own comm; fn's output lands on the output widget's trait, and the
    camera's trait holds the frame without echoing it to the front-end."""
    import time

    from nbdemo import notebook

    sent: list = []
    monkeypatch.setattr(gr.Component, "send", lambda self, c, buffers=None: sent.append(c), raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", lambda self, c, buffers=None: sent.append(c), raising=False)
    with gr.Blocks() as demo:
        cam = gr.Image(sources=["webcam"], streaming=True)
        out = gr.Textbox()
        cam.stream(lambda f: f"{f.shape}", cam, out)
    notebook.view_for(demo)
    msg = {k: v for k, v in frame_msg(cam, 0).items() if k != "id"}  # a component speaks for itself
    cam._on_front_msg(cam, msg, [memoryview(jpeg((5, 5, 5), (4, 2)))])
    deadline = time.monotonic() + HANG
    while out.value != "(2, 4, 3)" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert out.value == "(2, 4, 3)"
    assert files.is_file_data(cam.value)
    cam._on_front_msg(cam, msg, [])  # no buffer: a clear error on the demo's comm
    while not any(m.get("type") == "error" for m in sent) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any("needs its frame's bytes" in m.get("message", "") for m in sent if m.get("type") == "error")
