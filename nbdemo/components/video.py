"""Video: upload or record a clip, play one. Files in, files out; no transcoding."""

from __future__ import annotations

from typing import Any

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import FormComponent


def video_to_file(value: Any, label: str = "Video") -> dict | None:
    """What ``fn`` returned (a path, ``(path, subtitles)`` or FileData) → FileData.

    Raises :class:`~nbdemo.Error` when the path is not a file.
    """
    if value is None:
        return None
    if isinstance(value, (tuple, list)) and len(value) == 2:
        value = value[0]  # Gradio's (video, subtitles): subtitles are not shown
    stored = files.stored_output(value, label, "video file")
    if stored is not None:
        return stored
    raise Error(f"{label}: expected a video file path or None, got {type(value).__name__}")


class Video(FormComponent):
    """A video input or output.

    ``fn`` receives a ``str`` path to the uploaded (or recorded) video file in
    the session's temporary directory; the path ends with the original file
    name (recordings: "recording.webm"). ``None`` when empty. ``fn`` may return
    a path (``str``/``pathlib.Path``), Gradio's ``(path, subtitles)`` tuple
    (subtitles are ignored) or ``None``.

    Playback is the browser's ``<video controls>``; standalone, the file is
    served with HTTP Range support, so seeking works without downloading it
    all. ``sources``: "upload" (click, drag and drop) and "webcam" (record
    with MediaRecorder where the browser allows camera access; WebM).
    ``height``/``width``: display size in pixels (or CSS units).

    .. versionchanged:: 0.1
       ``format`` (Gradio converts with ffmpeg) is accepted and ignored: files
       are passed through as they are; the browser must be able to play them.

    Events: change, input, upload, clear, play, pause, stop, end,
    start_recording, stop_recording.
    """

    HEAVY = True
    _kind = t.Unicode("video").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    sources = t.List(t.Unicode(), ["upload", "webcam"]).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    width = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    autoplay = t.Bool(False).tag(sync=True)
    loop = t.Bool(False).tag(sync=True)
    include_audio = t.Bool(True).tag(sync=True)
    show_download_button = t.Bool(True).tag(sync=True)

    upload = EventListener("upload", "Fires when the user uploads a video.")
    clear = EventListener("clear", "Fires when the user clears the video.")
    play = EventListener("play", "Fires when playback starts.")
    pause = EventListener("pause", "Fires when playback pauses.")
    stop = EventListener("stop", "Fires when playback reaches the end.")
    end = EventListener("end", "Fires when playback reaches the end.")
    start_recording = EventListener("start_recording", "Fires when webcam recording starts.")
    stop_recording = EventListener("stop_recording", "Fires when recording stops (the clip is then uploaded).")

    def __init__(self, value: Any = None, *, format: str | None = None,
                 sources: list[str] | str | None = None, height: int | str | None = None,
                 width: int | str | None = None, autoplay: bool = False, loop: bool = False,
                 include_audio: bool | None = None, show_download_button: bool = True,
                 **kw: Any) -> None:
        if isinstance(sources, str):
            sources = [sources]
        super().__init__(value, sources=list(sources) if sources is not None else ["upload", "webcam"],
                         height=height, width=width, autoplay=autoplay, loop=loop,
                         include_audio=True if include_audio is None else include_audio,
                         show_download_button=show_download_button, **kw)
        self.format = format

    def preprocess(self, payload: Any) -> str | None:
        if payload is None:
            return None
        return str(files.resolve_input(payload, self.label or "Video"))

    def postprocess(self, value: Any) -> dict | None:
        return video_to_file(value, self.label or "Video")

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        return files.check_file_data(payload, f"Video (id {self._id})")
