"""MultimodalTextbox: a text box with attached files (a chat's message box)."""

from __future__ import annotations

import os
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import FormComponent
from .file import _norm_types, check_types, file_to_data, type_allowed


def _empty() -> dict:
    return {"text": "", "files": []}


class MultimodalTextbox(FormComponent):
    """Text plus files: what a person types and attaches in a chat.

    Wire value: ``{"text": str, "files": [FileData]}``. ``fn`` receives
    ``{"text": str, "files": [str]}`` (paths of the uploaded files, in the
    session's temp directory). ``fn`` may return such a dict (files as paths,
    ``pathlib.Path`` or FileData), a ``str`` (text only) or ``None`` (empty).

    Files are attached with the paperclip button, by drag and drop, or by
    pasting; they are uploaded at once (HTTP standalone, widget buffers
    inline). ``file_types`` limits them (".pdf", "image", "audio/*", …),
    checked in the browser and again on the server; ``file_count`` is
    "single" (a new file replaces the attached one), "multiple" (default) or
    "directory". Enter submits (event ``submit``); Shift+Enter starts a new
    line. ``lines``/``max_lines`` size the text area; ``placeholder``,
    ``autofocus``; ``submit_btn`` (True, a label, or False) shows a send
    button inside the box that also fires ``submit``; ``stop_btn`` is accepted
    for Gradio compatibility and not shown (ChatInterface has its own Stop).
    Events: change, input, submit, focus, blur, upload.
    """

    _kind = t.Unicode("multimodaltextbox").tag(sync=True)
    value = t.Dict(default_value=None, allow_none=True).tag(sync=True)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)
    lines = t.Int(1).tag(sync=True)
    max_lines = t.Int(20).tag(sync=True)
    file_types = t.List(t.Unicode(), None, allow_none=True).tag(sync=True)
    file_count = t.Enum(["single", "multiple", "directory"], "multiple").tag(sync=True)
    autofocus = t.Bool(False).tag(sync=True)
    submit_btn = t.Union([t.Bool(), t.Unicode()], default_value=True).tag(sync=True)
    rtl = t.Bool(False).tag(sync=True)
    sources = t.List(t.Unicode(), ["upload"]).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter or the send button.")
    upload = EventListener("upload", "Fires when the user attaches files.")

    def __init__(self, value: Any = None, *, placeholder: str | None = None, lines: int = 1,
                 max_lines: int = 20, file_types: list[str] | str | None = None,
                 file_count: Literal["single", "multiple", "directory"] = "multiple",
                 autofocus: bool = False, submit_btn: bool | str | None = True,
                 stop_btn: bool | str | None = False, rtl: bool = False,
                 sources: list[str] | str | None = None, **kw: Any) -> None:
        if isinstance(sources, str):
            sources = [sources]
        self.stop_btn = stop_btn
        super().__init__(value, placeholder=placeholder, lines=lines, max_lines=max_lines,
                         file_types=_norm_types(file_types), file_count=file_count,
                         autofocus=autofocus, submit_btn=False if submit_btn is None else submit_btn,
                         rtl=rtl, sources=list(sources) if sources is not None else ["upload"], **kw)

    @property
    def CLEAR_VALUE(self) -> dict:  # noqa: N802 - the name every component uses
        return _empty()

    def clear_value(self) -> dict:
        return _empty()

    def _label(self) -> str:
        return self.label or "MultimodalTextbox"

    def preprocess(self, payload: Any) -> dict:
        """``{"text": str, "files": [str paths]}``; raises :class:`~nbdemo.Error`
        for a file not of this session or not of ``file_types``."""
        payload = payload or _empty()
        paths = []
        for fd in payload.get("files") or []:
            path = files.resolve_input(fd, self._label())
            check_types(fd, self.file_types, self._label())
            paths.append(str(path))
        return {"text": str(payload.get("text") or ""), "files": paths}

    def postprocess(self, value: Any) -> dict:
        if value is None:
            return _empty()
        if isinstance(value, str):
            return {"text": value, "files": []}
        if not isinstance(value, dict):
            raise Error(f"{self._label()}: expected {{'text': str, 'files': [paths]}}, "
                        f"got {type(value).__name__}")
        out = []
        for f in value.get("files") or []:
            if isinstance(f, dict) and not files.is_file_data(f) and "path" in f:
                f = f["path"]
            if not (files.is_file_data(f) or isinstance(f, (str, os.PathLike))):
                raise Error(f"{self._label()}: a file is a path or a FileData, got {type(f).__name__}")
            out.append(file_to_data(f, self._label()))
        text = value.get("text")
        return {"text": "" if text is None else str(text), "files": out}

    def validate_wire(self, payload: Any) -> dict:
        what = f"MultimodalTextbox (id {self._id})"
        if payload is None:
            return _empty()
        if not isinstance(payload, dict) or not isinstance(payload.get("text", ""), str):
            raise ValueError(f"{what}: expected {{'text': str, 'files': [files]}}, got {str(payload)[:80]!r}")
        fl = payload.get("files") or []
        if not isinstance(fl, list) or len(fl) > 10_000:
            raise ValueError(f"{what}: 'files' must be a list of uploaded files")
        checked = [files.check_file_data(fd, what) for fd in fl]
        for fd in checked:
            if not type_allowed(fd, self.file_types):
                raise ValueError(f"{what}: {fd.get('orig_name') or 'a file'} is not an allowed "
                                 f"file type; allowed: {', '.join(self.file_types or [])}")
        if self.file_count == "single" and len(checked) > 1:
            raise ValueError(f"{what}: file_count is 'single', got {len(checked)} files")
        return {"text": payload.get("text", ""), "files": checked}

    def example_value(self) -> Any:
        return {"text": "Describe this image", "files": []}
