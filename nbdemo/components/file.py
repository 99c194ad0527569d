"""File, UploadButton, DownloadButton: files in and out, as bytes, never base64.

A file on the wire is a FileData dict (see :mod:`nbdemo.files`); the page
uploads it first (HTTP standalone, widget buffers inline) and then sends
only its id. ``fn`` receives a path or the bytes, never a path the client chose.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import Component, FormComponent

FileType = Literal["filepath", "binary"]
FileCount = Literal["single", "multiple", "directory"]

#: file_types words that stand for a family of MIME types ("image" → image/*)
CATEGORIES = ("image", "video", "audio", "text")


def _norm_types(file_types: list[str] | str | None) -> list[str] | None:
    if file_types is None:
        return None
    if isinstance(file_types, str):
        file_types = [file_types]
    out = []
    for ft in file_types:
        ft = str(ft).strip().lower()
        if ft:
            out.append(ft)
    return out


def type_allowed(fd: dict, file_types: list[str] | None) -> bool:
    """Whether a FileData matches ``file_types``: extensions (".png"), categories
    ("image", "video", "audio", "text"), MIME patterns ("image/*", "text/csv")
    or "file" (anything). The type is guessed from the original name; the
    MIME type the browser sent counts only when the name says nothing."""
    if not file_types:
        return True
    name = str(fd.get("orig_name") or "")
    ext = Path(name).suffix.lower()
    mime = (mimetypes.guess_type(name)[0] or str(fd.get("mime_type") or "")).lower()
    for ft in file_types:
        if ft == "file" or ft == "*" or ft == "*/*":
            return True
        if ft.startswith("."):
            if ext == ft:
                return True
        elif ft in CATEGORIES:
            if mime.startswith(ft + "/"):
                return True
        elif "/" in ft:
            major, _, minor = ft.partition("/")
            if mime == ft or (minor == "*" and mime.startswith(major + "/")):
                return True
    return False


def check_types(fd: dict, file_types: list[str] | None, label: str) -> None:
    """Raise :class:`~nbdemo.Error` naming the allowed types when ``fd`` is not one."""
    if not type_allowed(fd, file_types):
        raise Error(f"{label}: {fd.get('orig_name') or 'the file'} is not an allowed file type; "
                    f"allowed: {', '.join(file_types or [])}")


def load_file(fd: Any, *, type: FileType, file_types: list[str] | None, label: str) -> str | bytes:
    """One FileData from the page → a ``str`` path (ends with the original
    name) or the file's ``bytes``. Raises :class:`~nbdemo.Error` for unknown
    ids and files of a type not in ``file_types``."""
    path = files.resolve_input(fd, label)
    check_types(fd, file_types, label)
    if type == "binary":
        return path.read_bytes()
    return str(path)


def file_to_data(value: Any, label: str) -> dict:
    """What ``fn`` returned for one file (str path, ``os.PathLike`` or FileData) → FileData.

    Raises :class:`~nbdemo.Error` when the path is not a file.
    """
    stored = files.stored_output(value, label, "file")
    if stored is not None:
        return stored
    raise Error(f"{label}: expected a file path, got {type(value).__name__}")


def _check_wire(payload: Any, what: str, multiple: bool) -> Any:
    if payload is None:
        return None
    if isinstance(payload, list):
        if not multiple:
            raise ValueError(f"{what}: expected one file, got a list")
        if len(payload) > 10_000:
            raise ValueError(f"{what}: too many files")
        return [files.check_file_data(p, what) for p in payload]
    return files.check_file_data(payload, what)


class _FileInput(t.HasTraits):
    """What File and UploadButton share: type, file_count, file_types."""

    type = t.Enum(["filepath", "binary"], "filepath").tag(sync=True)
    file_count = t.Enum(["single", "multiple", "directory"], "single").tag(sync=True)
    file_types = t.List(t.Unicode(), None, allow_none=True).tag(sync=True)

    def _label(self) -> str:
        return self.label or type(self).__name__

    def preprocess(self, payload: Any) -> Any:
        if payload is None:
            return None
        kw = dict(type=self.type, file_types=self.file_types, label=self._label())
        if isinstance(payload, list):
            out = [load_file(fd, **kw) for fd in payload]
            return out if self.file_count != "single" else (out[0] if out else None)
        one = load_file(payload, **kw)
        return one if self.file_count == "single" else [one]

    def postprocess(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return [file_to_data(v, self._label()) for v in value]
        return file_to_data(value, self._label())

    def validate_wire(self, payload: Any) -> Any:
        return _check_wire(payload, f"{type(self).__name__} (id {self._id})",
                           self.file_count != "single")

    def example_value(self) -> Any:
        return self.preprocess(self.value)


class File(_FileInput, FormComponent):
    """Upload files, or show files a function produced, each with its name,
    size and a download link.

    What ``fn`` receives, by ``type``:

    - "filepath" (default): a ``str`` path to a copy of the upload in the
      session's temporary directory; the path ends with the original file name.
    - "binary": the file's contents as ``bytes``.

    With ``file_count="single"`` (default) one value or ``None``; with
    "multiple" or "directory" (the browser's folder picker) a ``list`` of them.
    ``file_types``: what may be uploaded, e.g. ``[".csv", ".txt"]``,
    ``["image", "video", "audio", "text"]`` or MIME patterns ("image/*"); the
    browser's file dialog offers only those, and :meth:`preprocess` raises
    :class:`~nbdemo.Error` naming the allowed types if another file arrives.

    ``fn`` may return a path (``str`` or ``pathlib.Path``), a list of paths
    (shown as several files) or ``None``; the files are copied into the
    session's store (raises :class:`~nbdemo.Error` when a path is not a file).
    Downloads carry ``Content-Disposition: attachment`` with the original name.
    Events: change, input, upload, clear, select (``SelectData.index`` is the
    file's position, ``.value`` its name), delete (the user removed one of
    several files with its × button; fn gets ``gr.DeletedFileData``, whose
    ``.file.path`` is the removed file), download (the user clicked a file's
    link; ``gr.DownloadData``).
    """

    HEAVY = True
    _kind = t.Unicode("file").tag(sync=True)
    value = t.Any(None, allow_none=True).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)

    upload = EventListener("upload", "Fires when the user uploads files.")
    clear = EventListener("clear", "Fires when the user clears the files.")
    select = EventListener("select", "Fires when the user clicks a file; SelectData.index is its position.")
    delete = EventListener("delete", "Fires when the user removes one of several files; fn gets DeletedFileData.")
    download = EventListener("download", "Fires when the user clicks a file's download link; fn gets DownloadData.")

    def __init__(self, value: Any = None, *, file_count: FileCount = "single",
                 file_types: list[str] | str | None = None, type: FileType = "filepath",
                 height: int | str | None = None, **kw: Any) -> None:
        super().__init__(value, file_count=file_count, file_types=_norm_types(file_types),
                         type=type, height=height, **kw)


class Files(File):
    """:class:`File` with ``file_count="multiple"`` by default (Gradio's ``gr.Files``):
    ``fn`` receives a ``list`` of paths (or of ``bytes``)."""

    def __init__(self, value: Any = None, *, file_count: FileCount = "multiple", **kw: Any) -> None:
        super().__init__(value, file_count=file_count, **kw)


class UploadButton(_FileInput, Component):
    """A button that opens the file dialog; ``label`` is its text.

    ``fn`` receives what :class:`File` gives for the same ``type`` and
    ``file_count`` (``str`` path(s) or ``bytes``); ``file_types`` filters the
    dialog and is checked again on the server. Fires "upload" once the files
    are uploaded (use ``btn.upload(fn, btn, outputs)``) and "click" when pressed.
    ``variant``/``size``/``icon`` as for :class:`Button`.
    """

    HEAVY = True
    _kind = t.Unicode("uploadbutton").tag(sync=True)
    value = t.Any(None, allow_none=True).tag(sync=True)
    variant = t.Enum(["primary", "secondary", "stop", "huggingface"], "secondary").tag(sync=True)
    size = t.Enum(["sm", "md", "lg"], "lg").tag(sync=True)
    icon = t.Unicode(None, allow_none=True).tag(sync=True)

    click = EventListener("click", "Fires when the button is pressed (before the file dialog).")
    upload = EventListener("upload", "Fires when the chosen files are uploaded.")

    def __init__(self, label: str = "Upload a File", value: Any = None, *,
                 variant: str = "secondary", size: str = "lg", icon: str | None = None,
                 type: FileType = "filepath", file_count: FileCount = "single",
                 file_types: list[str] | str | None = None, **kw: Any) -> None:
        super().__init__(value, label=label, variant=variant, size=size, icon=icon, type=type,
                         file_count=file_count, file_types=_norm_types(file_types), **kw)


class DownloadButton(Component):
    """A button whose click downloads ``value`` (a file path), saved under its
    original name: ``Content-Disposition: attachment`` on the standalone page,
    a blob link with the ``download`` attribute in a notebook. ``label`` is its
    text. Without a value the button is disabled.

    ``fn`` may return a path (``str``/``pathlib.Path``) or ``None``, usually
    as ``gr.DownloadButton(value=path)`` or ``gr.update(value=path)``; as an
    input ``fn`` receives the ``str`` path of the current file (or ``None``).
    Event: click.
    """

    HEAVY = True
    _kind = t.Unicode("downloadbutton").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    variant = t.Enum(["primary", "secondary", "stop", "huggingface"], "secondary").tag(sync=True)
    size = t.Enum(["sm", "md", "lg"], "lg").tag(sync=True)
    icon = t.Unicode(None, allow_none=True).tag(sync=True)

    click = EventListener("click", "Fires when the button is pressed (the download starts too).")

    def __init__(self, label: str = "Download", value: Any = None, *,
                 variant: str = "secondary", size: str = "lg", icon: str | None = None,
                 **kw: Any) -> None:
        super().__init__(value, label=label, variant=variant, size=size, icon=icon, **kw)

    def preprocess(self, payload: Any) -> str | None:
        if payload is None:
            return None
        return str(files.resolve_input(payload, self.label or "DownloadButton"))

    def postprocess(self, value: Any) -> dict | None:
        if value is None:
            return None
        return file_to_data(value, self.label or "DownloadButton")

    def validate_wire(self, payload: Any) -> Any:
        return _check_wire(payload, f"DownloadButton (id {self._id})", False)
