"""Unit tests for Audio, Video, File, UploadButton and DownloadButton: what fn
receives for every ``type=`` and ``file_count=``, what it may return, file_types
checks, unknown ids, and the download headers a real server sends. Files are
real files in a real FileStore; nothing is mocked."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import wave
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
from wsclient import http_get

import nbdemo as gr
from nbdemo import files, notebook
from nbdemo.components import SHORTCUTS
from nbdemo.components.audio import read_wav, to_int16, wav_bytes
from nbdemo.files import FileStore


@pytest.fixture
def store():
    s = FileStore()
    with files.using(s):
        yield s
    s.close()


def tone(rate: int = 16000, seconds: float = 0.25, freq: float = 440.0, channels: int = 1) -> np.ndarray:
    """int16 samples of a sine, (n,) or (n, channels) with the channels differing."""
    t = np.arange(int(rate * seconds)) / rate
    x = np.sin(2 * np.pi * freq * t) * 0.5
    if channels > 1:
        x = np.stack([x * (1 - 0.3 * c) for c in range(channels)], axis=1)
    return np.round(x * 32767).astype(np.int16)


def pcm_wav(samples: np.ndarray, rate: int, width: int = 2) -> bytes:
    """A PCM WAV of int16 ``samples`` written with sample width ``width`` bytes."""
    s = samples.reshape(len(samples), -1)
    if width == 1:
        raw = ((s.astype(np.int32) >> 8) + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = s.astype("<i2").tobytes()
    elif width == 3:
        v = s.astype(np.int32) * 256 + 17  # low byte is noise below 16 bits
        raw = np.stack([v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF], axis=-1).astype(np.uint8).tobytes()
    else:
        raw = (s.astype(np.int32) << 16).astype("<i4").tobytes()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(s.shape[1])
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(raw)
    return buf.getvalue()


def upload(store: FileStore, data: bytes, name: str, mime: str | None = None) -> dict:
    """What an upload from the page leaves: a FileData of this session's store."""
    return store.add_bytes(data, name, mime)


# -- Audio ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("channels", [1, 2], ids=["mono", "stereo"])
def test_audio_numpy_round_trip(store, channels):
    rate, x = 22050, tone(22050, channels=channels)
    out = gr.Audio().postprocess((rate, x))
    assert out["mime_type"] == "audio/wav" and out["orig_name"].endswith(".wav")
    got_rate, got = gr.Audio(type="numpy").preprocess(out)
    assert got_rate == rate and isinstance(got_rate, int)
    assert got.dtype == np.int16 and got.shape == x.shape
    assert np.array_equal(got, x)


def test_audio_float_is_scaled_and_clipped_to_int16(store):
    x = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, np.nan], dtype=np.float32)
    out = gr.Audio().postprocess((8000, x))
    _, got = gr.Audio().preprocess(out)
    assert got.tolist() == [-32767, -32767, -16384, 0, 16384, 32767, 32767, 0]


def test_audio_float64_stereo_and_channels_first(store):
    x = tone(8000, channels=2).astype(np.float64) / 32767
    by_rows = gr.Audio().preprocess(gr.Audio().postprocess((8000, x)))[1]
    by_cols = gr.Audio().preprocess(gr.Audio().postprocess((8000, x.T)))[1]  # (channels, samples)
    assert by_rows.shape == (len(x), 2) and np.array_equal(by_rows, by_cols)
    assert np.abs(by_rows.astype(int) - np.round(x * 32767)).max() <= 1


@pytest.mark.parametrize("dtype,values,expected", [
    (np.int32, [0, 1 << 16, -(1 << 30), (1 << 31) - 1], [0, 1, -(1 << 14), 32767]),
    (np.uint8, [0, 128, 255], [-32768, 0, 127 << 8]),
    (np.int64, [5, 40000, -40000], [5, 32767, -32768]),
])
def test_audio_other_integer_dtypes(dtype, values, expected):
    assert to_int16(np.array(values, dtype=dtype)).tolist() == expected


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_audio_reads_every_pcm_sample_width(store, width):
    x = tone(8000, channels=2)
    fd = upload(store, pcm_wav(x, 8000, width), "clip.wav", "audio/wav")
    rate, got = gr.Audio().preprocess(fd)
    assert rate == 8000 and got.dtype == np.int16 and got.shape == x.shape
    tolerance = 256 if width == 1 else 0  # 8 bits keep only the high byte
    assert np.abs(got.astype(int) - x.astype(int)).max() <= tolerance


def test_audio_filepath_is_the_uploaded_wav(store):
    data = pcm_wav(tone(), 16000)
    fd = upload(store, data, "my clip.wav", "audio/wav")
    path = gr.Audio(type="filepath").preprocess(fd)
    assert isinstance(path, str) and path.endswith("my clip.wav")
    assert Path(path).read_bytes() == data
    assert read_wav(path)[0] == 16000


def test_audio_wav_bytes_and_paths_as_outputs(store, tmp_path):
    data = pcm_wav(tone(), 16000)
    from_bytes = gr.Audio().postprocess(data)
    assert from_bytes["orig_name"] == "audio.wav" and files.resolve(from_bytes).read_bytes() == data
    p = tmp_path / "speech.wav"
    p.write_bytes(data)
    for value in (str(p), p):
        fd = gr.Audio().postprocess(value)
        assert fd["orig_name"] == "speech.wav" and fd["mime_type"] in ("audio/wav", "audio/x-wav")
        assert files.resolve(fd).read_bytes() == data
    assert gr.Audio().postprocess(None) is None
    with pytest.raises(gr.Error, match="no such audio file"):
        gr.Audio().postprocess(str(tmp_path / "missing.wav"))


def test_wav_bytes_is_readable_by_wave():
    x = tone(44100, channels=2)
    with wave.open(io.BytesIO(wav_bytes(44100, x))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (2, 2, 44100, len(x))


@pytest.mark.parametrize("value,match", [
    ((16000, np.zeros((2, 3, 4))), "shape"),
    ((16000, np.array(["a", "b"])), "dtype"),
    ((16000.5, np.zeros(10)), "sample rate"),
    ((True, np.zeros(10)), "sample rate"),
    ((0, np.zeros(10)), "sample rate"),
    ({"not": "audio"}, "expected"),
])
def test_audio_bad_outputs_are_clear_errors(store, value, match):
    with pytest.raises(gr.Error, match=match):
        gr.Audio(label="Out").postprocess(value)


def test_audio_non_wav_upload_is_a_clear_error(store):
    fd = upload(store, b"ID3\x03\x00fake mp3 bytes" * 10, "song.mp3", "audio/mpeg")
    with pytest.raises(gr.Error, match=r"Voice: song.mp3 is not a PCM WAV"):
        gr.Audio(label="Voice").preprocess(fd)
    # filepath hands the file over as it is
    assert gr.Audio(type="filepath").preprocess(fd).endswith("song.mp3")


def test_audio_format_other_than_wav_warns():
    with pytest.warns(UserWarning, match="WAV"):
        a = gr.Audio(format="mp3")
    assert a.format == "mp3"
    a.close()


# -- Video ---------------------------------------------------------------------------------------


def test_video_filepath_round_trip(store, tmp_path):
    data = b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 8  # WebM magic, opaque body
    fd = upload(store, data, "clip.webm", "video/webm")
    path = gr.Video().preprocess(fd)
    assert path.endswith("clip.webm") and Path(path).read_bytes() == data
    out = gr.Video().postprocess(path)
    assert out["orig_name"] == "clip.webm" and out["mime_type"] == "video/webm"
    assert out["id"] != fd["id"] and files.resolve(out).read_bytes() == data
    # Gradio's (video, subtitles)
    assert files.resolve(gr.Video().postprocess((Path(path), None))).read_bytes() == data
    assert gr.Video().preprocess(None) is None and gr.Video().postprocess(None) is None
    with pytest.raises(gr.Error, match="no such video file"):
        gr.Video().postprocess(str(tmp_path / "nope.mp4"))


# -- File, UploadButton, DownloadButton ------------------------------------------------------------

FILE_INPUTS = [pytest.param(gr.File, id="File"), pytest.param(gr.UploadButton, id="UploadButton")]


@pytest.mark.parametrize("cls", FILE_INPUTS)
def test_file_single_filepath_and_binary(store, cls):
    fd = upload(store, b"a,b\n1,2\n", "table.csv")
    path = cls().preprocess(fd)
    assert isinstance(path, str) and path.endswith("/table.csv")
    assert Path(path).read_bytes() == b"a,b\n1,2\n"
    assert cls(type="binary").preprocess(fd) == b"a,b\n1,2\n"
    assert cls().preprocess(None) is None


def test_files_is_file_with_multiple(store):
    a, b = upload(store, b"1", "a.txt"), upload(store, b"2", "b.txt")
    assert gr.Files(type="binary").preprocess([a, b]) == [b"1", b"2"]
    assert gr.Files(file_count="single").file_count == "single"


@pytest.mark.parametrize("cls", FILE_INPUTS)
@pytest.mark.parametrize("count", ["multiple", "directory"])
def test_file_multiple_gives_lists(store, cls, count):
    a, b = upload(store, b"first", "a.txt"), upload(store, "ünï".encode(), "ünï cödé.txt")
    paths = cls(file_count=count).preprocess([a, b])
    assert [Path(p).name for p in paths] == ["a.txt", "ünï cödé.txt"]
    assert cls(file_count=count, type="binary").preprocess([a, b]) == [b"first", "ünï".encode()]
    # one FileData for a multiple input still gives a list
    assert cls(file_count=count, type="binary").preprocess(a) == [b"first"]


@pytest.mark.parametrize("file_types,name,mime,ok", [
    ([".png"], "x.png", "image/png", True),
    ([".png"], "X.PNG", "image/png", True),
    ([".png"], "x.txt", "image/png", False),          # the name decides, not the MIME type sent
    (["image"], "photo.jpeg", "image/jpeg", True),
    (["image"], "evil.exe", "image/png", False),
    (["image"], "noextension", "image/png", True),     # no name hint: the MIME type sent counts
    (["text"], "notes.csv", "", True),
    (["audio", "video"], "clip.webm", "video/webm", True),
    (["image/*"], "a.gif", "", True),
    (["text/csv"], "a.tsv", "", False),
    (["file"], "anything.bin", "", True),
])
def test_file_types_are_checked_on_the_server(store, file_types, name, mime, ok):
    fd = upload(store, b"data", name, mime or None)
    comp = gr.File(file_types=file_types, label="Upload")
    if ok:
        assert comp.preprocess(fd).endswith(name)
    else:
        with pytest.raises(gr.Error) as e:
            comp.preprocess(fd)
        assert f"Upload: {name} is not an allowed file type; allowed: {', '.join(file_types)}" == str(e.value)


def test_file_types_reject_one_bad_file_among_many(store):
    good, bad = upload(store, b"1", "a.csv"), upload(store, b"2", "b.png")
    btn = gr.UploadButton(file_types=[".csv"], file_count="multiple")
    with pytest.raises(gr.Error, match=r"b.png is not an allowed file type; allowed: \.csv"):
        btn.preprocess([good, bad])


@pytest.mark.parametrize("cls", FILE_INPUTS + [pytest.param(gr.DownloadButton, id="DownloadButton"),
                                               pytest.param(gr.Audio, id="Audio"),
                                               pytest.param(gr.Video, id="Video")])
def test_unknown_file_ids_are_rejected(store, cls):
    ghost = {"_file": True, "id": "not-a-real-id", "orig_name": "../../etc/passwd", "size": 1}
    with pytest.raises(gr.Error, match="not part of this session"):
        cls().preprocess(ghost)
    with pytest.raises(ValueError, match="not part of this session"):
        cls().validate_wire(ghost)
    for junk in ("/etc/passwd", {"path": "/etc/passwd"}, 42, {"_file": True, "id": "x" * 65}):
        with pytest.raises(ValueError):
            cls().validate_wire(junk)


def test_another_sessions_file_is_unknown(store):
    other = FileStore()
    try:
        theirs = other.add_bytes(b"secret", "secret.txt")
        with pytest.raises(ValueError, match="not part of this session"):
            gr.File().validate_wire(theirs)
        with pytest.raises(gr.Error, match="not part of this session"):
            gr.File().preprocess(theirs)
    finally:
        other.close()


def test_file_wire_value_shapes(store):
    fd = upload(store, b"x", "x.txt")
    assert gr.File().validate_wire(fd) == fd and gr.File().validate_wire(None) is None
    with pytest.raises(ValueError, match="expected one file"):
        gr.File().validate_wire([fd, fd])
    assert gr.File(file_count="multiple").validate_wire([fd, fd]) == [fd, fd]
    # extra keys from the page (a url, bytes) are dropped
    assert gr.File().validate_wire({**fd, "url": "/x", "data": "AAAA"}) == fd


def test_file_outputs_from_paths(store, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "report final.pdf"
    a.write_text("A")
    b.write_bytes(b"%PDF-1.4")
    one = gr.File().postprocess(str(a))
    assert one["orig_name"] == "a.txt" and one["size"] == 1 and files.resolve(one).read_text() == "A"
    many = gr.File().postprocess([a, str(b)])
    assert [f["orig_name"] for f in many] == ["a.txt", "report final.pdf"]
    assert many[1]["mime_type"] == "application/pdf"
    assert gr.File().postprocess(None) is None
    with pytest.raises(gr.Error, match="no such file"):
        gr.File(label="Out").postprocess(str(tmp_path / "missing.txt"))
    with pytest.raises(gr.Error, match="expected a file path"):
        gr.File().postprocess(123)


def test_upload_button_label_is_its_text():
    btn = gr.UploadButton()
    assert btn.label == "Upload a File" and btn.file_count == "single" and btn.type == "filepath"
    assert gr.UploadButton("Pick a CSV", file_types=".csv").file_types == [".csv"]


def test_download_button_value_round_trip(store, tmp_path):
    p = tmp_path / "résumé.txt"
    p.write_text("hi")
    btn = gr.DownloadButton("Get it", value=str(p))
    assert btn.label == "Get it" and btn.value["orig_name"] == "résumé.txt"
    assert Path(btn.preprocess(btn.value)).read_text() == "hi"
    assert btn.preprocess(None) is None and btn.postprocess(None) is None
    btn.close()


def test_shortcuts():
    made = {name: SHORTCUTS[name]() for name in ("audio", "microphone", "video", "file", "files")}
    assert isinstance(made["audio"], gr.Audio) and made["audio"].sources == ["upload", "microphone"]
    assert made["microphone"].sources == ["microphone"]
    assert isinstance(made["video"], gr.Video) and isinstance(made["file"], gr.File)
    assert isinstance(made["files"], gr.Files) and made["files"].file_count == "multiple"
    for c in made.values():
        c.close()


def test_building_a_media_demo_stays_light():
    code = ("import sys, nbdemo as gr\n"
            "gr.Interface(lambda a, v, f: a, [gr.Audio(), gr.Video(), gr.File()], "
            "[gr.Audio(), gr.DownloadButton(), gr.UploadButton()])\n"
            "print(','.join(m for m in ('numpy', 'PIL', 'tornado') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- download headers from a real server ----------------------------------------------------------


def _served(serve, path: Path):
    """A demo whose DownloadButton holds ``path``; returns (server, the button's URL)."""
    with gr.Blocks() as demo:
        btn = gr.DownloadButton(value=str(path))
    srv = serve(demo)
    props = json.loads(http_get(srv.port, "/page_config")[2])["components"][str(btn._id)]["props"]
    return srv, props["value"]["url"]


@pytest.mark.parametrize("name", ["report.csv", "résumé ü.txt", "数据 表.csv", 'quote"d name.txt'])
def test_download_carries_the_original_name(serve, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"col\n1\n")
    srv, url = _served(serve, path)
    status, headers, body = http_get(srv.port, url + "?download=1")
    assert status == 200 and body == b"col\n1\n"
    disp = headers["content-disposition"]
    assert disp.startswith("attachment;")
    star = disp.split("filename*=UTF-8''", 1)[1]
    assert unquote(star) == name
    plain = disp.split('filename="', 1)[1].split('"', 1)[0]
    assert plain.isascii() and '"' not in plain
    if name.isascii() and '"' not in name:
        assert plain == name
    # without ?download=1 a harmless type shows inline, under the same name
    status, headers, _ = http_get(srv.port, url)
    assert status == 200 and headers["content-disposition"].startswith("inline;")
    assert headers["x-content-type-options"] == "nosniff"


def test_media_files_support_range_requests(serve, tmp_path):
    data = bytes(range(256)) * 64
    path = tmp_path / "clip.webm"
    path.write_bytes(data)
    srv, url = _served(serve, path)
    status, headers, body = http_get(srv.port, url, {"Range": "bytes=100-199"})
    assert status == 206 and body == data[100:200]
    assert headers["content-range"] == f"bytes 100-199/{len(data)}"
    assert headers["content-type"] == "video/webm"


# -- inline: an Audio upload over the widget comm, processed, written back ------------------------


def test_inline_audio_upload_process_and_output(monkeypatch):
    sent: dict[str, list] = {}
    monkeypatch.setattr(gr.Component, "send",
                        lambda self, content, buffers=None: sent.setdefault(self.model_id, []).append(content),
                        raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", lambda self, content, buffers=None: None, raising=False)

    def reverse(audio):
        rate, x = audio
        return rate, x[::-1]

    demo = gr.Interface(reverse, gr.Audio(), gr.Audio())
    notebook.view_for(demo)
    (inp,), (out,) = demo.input_components, demo.output_components
    x = tone(16000)
    data = pcm_wav(x, 16000)
    half = len(data) // 2
    for seq, part in enumerate((data[:half], data[half:])):  # two chunks, as the page sends
        inp._on_front_msg(inp, {"type": "upload", "ref": "r1", "seq": seq, "last": seq == 1,
                                "name": "clip.wav", "mime": "audio/wav", "size": len(data)},
                          [memoryview(part)])
    (reply,) = [m for m in sent[inp.model_id] if m.get("ref") == "r1"]
    assert reply["type"] == "uploaded" and reply["file"]["size"] == len(data)
    inp._on_front_msg(inp, {"type": "set", "value": reply["file"]}, [])
    demo.submit_btn._on_front_msg(demo.submit_btn, {"type": "event", "event": "click"}, [])
    deadline = time.monotonic() + 10
    while out.value is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert out.value is not None
    # the page gets the bytes as a widget buffer (``data``), not base64 in JSON
    assert isinstance(out.value.get("data"), bytes)
    rate, got = read_wav(out.value["data"])
    assert rate == 16000 and np.array_equal(got, x[::-1])
