"""Audio: upload or record a clip, play one. WAV in and out, with the stdlib
``wave`` module and NumPy (loaded lazily); no ffmpeg needed.

The page converts whatever the browser can decode (mp3, ogg, webm, a
microphone recording) to 16-bit PCM WAV before uploading, so Python only ever
reads WAV; WAV uploads pass through untouched.
"""

from __future__ import annotations

import io
import numbers
import os
import warnings
import wave
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import FormComponent

AudioType = Literal["numpy", "filepath"]

#: magic bytes → (extension, MIME type) for audio returned as raw bytes
_MAGIC = ((b"RIFF", "wav", "audio/wav"), (b"ID3", "mp3", "audio/mpeg"), (b"\xff\xfb", "mp3", "audio/mpeg"),
          (b"OggS", "ogg", "audio/ogg"), (b"fLaC", "flac", "audio/flac"),
          (b"\x1a\x45\xdf\xa3", "webm", "audio/webm"))


def read_wav(source: str | os.PathLike | bytes) -> tuple[int, Any]:
    """Decode a PCM WAV file (a path or its bytes).

    Returns ``(sample_rate, data)``: ``sample_rate`` in Hz (int), ``data`` an
    int16 ``np.ndarray`` of shape (samples,) for mono or (samples, channels).
    8-, 24- and 32-bit PCM are scaled to 16 bits. Raises ``ValueError`` when
    the file is not a PCM WAV (``wave`` reads PCM only: no float or compressed WAV).
    """
    import numpy as np

    fh = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else open(source, "rb")
    try:
        with wave.open(fh, "rb") as w:
            channels, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            raw = w.readframes(n)
    except (wave.Error, EOFError) as e:
        raise ValueError(f"not a PCM WAV file ({e})") from None
    finally:
        fh.close()
    frames = len(raw) // (width * channels)
    raw = raw[:frames * width * channels]
    if width == 1:  # unsigned 8-bit
        data = (np.frombuffer(raw, np.uint8).astype(np.int16) - 128) << 8
    elif width == 2:
        data = np.frombuffer(raw, "<i2").astype(np.int16)
    elif width == 3:  # keep the two most significant bytes of each little-endian sample
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        data = (b[:, 1].astype(np.uint16) | (b[:, 2].astype(np.uint16) << 8)).view(np.int16)
    elif width == 4:
        data = (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    else:
        raise ValueError(f"unsupported WAV sample width: {width} bytes")
    data = data.reshape(frames, channels)
    return rate, (data[:, 0].copy() if channels == 1 else data)


def to_int16(data: Any, label: str = "Audio") -> Any:
    """Samples → int16 ``np.ndarray`` of shape (samples,) or (samples, channels).

    Floats are taken as being in [-1, 1] (clipped, scaled by 32767); int16 is
    kept; int32 keeps its 16 most significant bits; uint8 is centred on 128;
    other integers are clipped to the int16 range. A 2-D array with at most 8
    rows and more columns than rows is taken as (channels, samples) and
    transposed. Raises ``ValueError`` for other shapes and dtypes.
    """
    import numpy as np

    arr = np.asarray(data)
    if arr.ndim == 2 and arr.shape[0] <= 8 and arr.shape[1] > arr.shape[0]:
        arr = arr.T
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim not in (1, 2):
        raise ValueError(f"{label}: expected samples of shape (samples,) or (samples, channels), "
                         f"got {arr.shape}")
    kind = arr.dtype.kind
    if kind == "f":
        out = np.round(np.clip(np.nan_to_num(arr), -1.0, 1.0) * 32767).astype(np.int16)
    elif arr.dtype == np.int16:
        out = arr
    elif arr.dtype == np.int32:
        out = (arr >> 16).astype(np.int16)
    elif arr.dtype == np.uint8:
        out = (arr.astype(np.int16) - 128) << 8
    elif kind in "iu":
        out = np.clip(arr, -32768, 32767).astype(np.int16)
    else:
        raise ValueError(f"{label}: expected int16 or float samples, got dtype {arr.dtype}")
    return np.ascontiguousarray(out)


def wav_bytes(sample_rate: int, data: Any, label: str = "Audio") -> bytes:
    """Encode ``(sample_rate, data)`` as a 16-bit PCM WAV file (see :func:`to_int16`)."""
    samples = to_int16(data, label)
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, numbers.Integral):
        raise ValueError(f"{label}: the sample rate must be an int (Hz), got {sample_rate!r}")
    rate = int(sample_rate)
    if not 1 <= rate <= 4_294_967_295:
        raise ValueError(f"{label}: sample rate out of range: {rate}")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1 if samples.ndim == 1 else samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def audio_to_file(value: Any, label: str = "Audio") -> dict | None:
    """What ``fn`` returned → FileData: ``(sample_rate, ndarray)`` is encoded as
    WAV; a path (any format the browser plays) is copied; raw ``bytes`` of an
    audio file are stored as they are. Raises :class:`~nbdemo.Error`."""
    if value is None:
        return None
    stored = files.stored_output(value, label, "audio file")
    if stored is not None:
        return stored
    if isinstance(value, (bytes, bytearray, memoryview)):
        head = bytes(value[:4])
        ext, mime = next(((e, m) for magic, e, m in _MAGIC if head.startswith(magic)),
                         ("bin", "application/octet-stream"))
        return files.current().add_bytes(value, f"audio.{ext}", mime)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        rate, data = value
        try:
            return files.current().add_bytes(wav_bytes(rate, data, label), "audio.wav", "audio/wav")
        except ValueError as e:
            raise Error(str(e)) from None
    raise Error(f"{label}: expected (sample_rate, samples), a file path or None, "
                f"got {type(value).__name__}")


class Audio(FormComponent):
    """An audio input or output.

    What ``fn`` receives, by ``type``:

    - "numpy" (default): ``(sample_rate, data)``: ``sample_rate`` an ``int``
      in Hz, ``data`` an int16 ``np.ndarray`` of shape (samples,) for mono or
      (samples, channels).
    - "filepath": a ``str`` path to the WAV file (its name ends with the
      uploaded file's name, with ".wav" when the page converted it).

    ``None`` when empty. ``fn`` may return ``(sample_rate, data)`` with int16
    samples or float samples in [-1, 1] (converted to int16), a path to an
    audio file (WAV, or any format the browser plays), raw ``bytes`` of one, or
    ``None``. Arrays are encoded as 16-bit PCM WAV.

    ``sources``: "upload" (click, drag and drop) and "microphone" (a
    record/stop button, where the browser allows microphone access). The page
    converts uploads it can decode (mp3, ogg, webm…) and recordings to 16-bit
    PCM WAV at 48 kHz before uploading; PCM WAV files go up untouched.
    Playback uses the browser's ``<audio controls>`` with a waveform drawn under it.

    .. versionchanged:: 0.1
       ``format`` other than "wav" (Gradio: "mp3", …, via ffmpeg) is accepted
       with a warning and arrays are still written as WAV: no encoder is
       needed or bundled.

    Streaming (Gradio's names): ``mic.stream(fn, inputs, outputs,
    stream_every=0.5, time_limit=None)`` on an input with "microphone" among
    its ``sources`` shows Start/Stop; while it runs, the page records and
    sends a chunk every ``stream_every`` seconds as 16-bit PCM WAV bytes
    (a binary WebSocket message, a comm buffer inline), and ``fn`` receives
    each chunk as for ``type`` above: ``(sample_rate, int16 array)`` of about
    ``stream_every`` seconds for "numpy". A chunk that arrives while ``fn``
    is busy replaces the one waiting (so a slow ``fn`` drops chunks rather
    than falling behind without end: keep ``fn`` faster than ``stream_every``
    for gapless audio). ``time_limit`` (seconds) ends the stream.
    ``streaming=True`` makes "microphone" the only default source, as in
    Gradio. On an output, ``streaming=True`` with ``autoplay=True`` plays
    each new value (each ``yield`` of a generator: ``(sample_rate, array)``,
    WAV/MP3/OGG ``bytes`` or a path) right after the one before, as one
    continuous stream (Web Audio in the page); the player shows the latest
    chunk. Without ``autoplay`` each chunk is a clip of its own (Gradio
    joins them into one stream either way).

    Events: change, input, upload, clear, play, pause, stop, start_recording,
    pause_recording (the recording's Pause button; Resume continues the same
    clip and fires nothing, as in Gradio), stop_recording.
    """

    HEAVY = True
    _kind = t.Unicode("audio").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    type = t.Enum(["numpy", "filepath"], "numpy").tag(sync=True)
    format = t.Unicode("wav").tag(sync=True)
    sources = t.List(t.Unicode(), ["upload", "microphone"]).tag(sync=True)
    autoplay = t.Bool(False).tag(sync=True)
    loop = t.Bool(False).tag(sync=True)
    show_download_button = t.Bool(True).tag(sync=True)
    streaming = t.Bool(False).tag(sync=True)
    #: {"every": seconds, "time_limit": seconds | None} once a .stream() listener exists
    _stream = t.Dict(None, allow_none=True).tag(sync=True)

    upload = EventListener("upload", "Fires when the user uploads an audio file.")
    stream = EventListener("stream", "Fires for each chunk of microphone audio while the user "
                                     "streams (see stream_every and time_limit).")
    clear = EventListener("clear", "Fires when the user clears the audio.")
    play = EventListener("play", "Fires when playback starts.")
    pause = EventListener("pause", "Fires when playback pauses.")
    stop = EventListener("stop", "Fires when playback reaches the end.")
    start_recording = EventListener("start_recording", "Fires when microphone recording starts.")
    pause_recording = EventListener("pause_recording", "Fires when the user pauses a recording (Pause; Resume goes on).")
    stop_recording = EventListener("stop_recording", "Fires when recording stops (the clip is then uploaded).")

    def __init__(self, value: Any = None, *, sources: list[str] | str | None = None,
                 type: AudioType = "numpy", format: str = "wav", autoplay: bool = False,
                 loop: bool = False, show_download_button: bool = True, streaming: bool = False,
                 **kw: Any) -> None:
        if isinstance(sources, str):
            sources = [sources]
        if sources is None and streaming:
            sources = ["microphone"]
        if streaming and sources is not None and "microphone" not in sources:
            raise ValueError(f"Audio(streaming=True) streams from the microphone: sources must "
                             f"include 'microphone', got {list(sources)}")
        if format.lower() != "wav":
            warnings.warn(f"Audio(format={format!r}): nbdemo writes arrays as WAV (no encoder "
                          "for other formats is bundled)", stacklevel=2)
        super().__init__(value, type=type, format=format.lower(),
                         sources=list(sources) if sources is not None else ["upload", "microphone"],
                         autoplay=autoplay, loop=loop, show_download_button=show_download_button,
                         streaming=streaming, **kw)

    def stream_value(self, data: bytes | memoryview, mime: str) -> dict:
        """A streamed chunk of microphone audio (16-bit PCM WAV bytes) → its
        FileData in the current session's files. Raises ``ValueError`` for
        another type or bytes that are not a PCM WAV."""
        if mime not in ("audio/wav", "audio/x-wav", "audio/wave"):
            raise ValueError(f"Audio (id {self._id}): a stream chunk must be audio/wav, "
                             f"got {mime!r:.40}")
        if bytes(data[:4]) != b"RIFF" or bytes(data[8:12]) != b"WAVE":
            raise ValueError(f"Audio (id {self._id}): the stream chunk is not a WAV file")
        up = files.current().writer("chunk.wav", "audio/wav")
        up.write(data)
        return up.commit()

    def preprocess(self, payload: Any) -> Any:
        if payload is None:
            return None
        label = self.label or "Audio"
        path = files.resolve_input(payload, label)
        if self.type == "filepath":
            return str(path)
        try:
            return read_wav(path)
        except ValueError as e:
            raise Error(f"{label}: {payload.get('orig_name') or 'the file'} is {e}; the page "
                        "converts audio to WAV before uploading") from None

    def postprocess(self, value: Any) -> dict | None:
        return audio_to_file(value, self.label or "Audio")

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        return files.check_file_data(payload, f"Audio (id {self._id})")
