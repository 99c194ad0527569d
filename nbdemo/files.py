"""Files of a session: uploads and what functions produce, in a temp directory.

A file travels as a *FileData* dict, never as a path the client chose::

    {"_file": True, "id": "<token>", "orig_name": "cat.png",
     "mime_type": "image/png", "size": 12345}

``id`` is a random token that names an entry of a :class:`FileStore`; the
server never opens a path sent by a client, it looks the token up. Each front
door completes FileData for its page: the standalone server adds ``"url"``
(``<prefix>file/<session_hash>/<id>/<name>``, served only to that session, or
``<prefix>file/app/...`` for files of the app itself such as initial values);
the notebook adds ``"data"`` (the bytes, sent as a widget buffer).

Each session has its own store, in its own temp directory, removed when the
session ends; files older than a TTL are removed sooner
(``Blocks(delete_cache=(frequency, age))``). Files made when no session is
running (a component's initial value) go to the app's store, shared by every
session and removed at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import mimetypes
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The size limit for one uploaded file when none is set (bytes).
DEFAULT_MAX_FILE_SIZE = None

_current: contextvars.ContextVar[FileStore | None] = contextvars.ContextVar("nbdemo_files", default=None)
_app_store: FileStore | None = None
_app_lock = threading.Lock()
_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(size: int | str | None) -> int | None:
    """``max_file_size`` as bytes: an int, or a string such as "10mb", "5 MiB", "200kb".

    Raises ``ValueError`` for anything else. (Gradio's units: kb/mb/gb are
    powers of 1000; kib/mib/gib powers of 1024.)
    """
    if size is None:
        return None
    if isinstance(size, bool):
        raise ValueError(f"max_file_size must be a number of bytes or a string like '10mb', got {size!r}")
    if isinstance(size, int):
        return size
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*", str(size).lower())
    if not m:
        raise ValueError(f"max_file_size must be a number of bytes or a string like '10mb', got {size!r}")
    return int(float(m.group(1)) * _UNITS[m.group(2) or "b"])


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"


def safe_name(name: str | None, default: str = "file") -> str:
    """A file name without directories or control characters (for disk and headers)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or default


#: Paths given to :func:`set_static_paths` (resolved).
_static_paths: list[Path] = []
#: Real paths of files uploaded by a client (any session): a copy made from one
#: (a function returning the upload's path) is still an upload, never framed.
_uploaded: set[str] = set()


def set_static_paths(paths: str | os.PathLike | list[str | os.PathLike]) -> None:
    """Gradio's ``gr.set_static_paths``: files in these paths (files or
    folders) may be returned by functions, like files in ``allowed_paths``,
    for every demo of this process. (nbdemo serves them from the session's
    files, as any output; only the rule of which paths are allowed applies.)"""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    _static_paths.extend(Path(p).resolve() for p in paths)


def _is_in(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


class FilePolicy:
    """Which paths a function may return as output files, as Gradio decides:
    after resolving symlinks, a path in ``blocked_paths`` is refused; a path
    in ``allowed_paths``, ``set_static_paths``, the current working directory
    or the temp directory is allowed (a dotfile under the working directory
    only through ``allowed_paths``); anything else (``/etc/passwd``) is
    refused with ``PermissionError``."""

    def __init__(self, allowed_paths: Any = None, blocked_paths: Any = None):
        self.allowed = [Path(p).resolve() for p in _paths(allowed_paths)]
        self.blocked = [Path(p).resolve() for p in _paths(blocked_paths)]

    def check(self, source: Path) -> Path:
        """The real path of ``source`` if it may be served; raises
        ``FileNotFoundError`` or ``PermissionError``."""
        real = Path(source).resolve(strict=True)
        lower = Path(str(real).lower())
        if any(_is_in(real, b) or _is_in(lower, Path(str(b).lower())) for b in self.blocked):
            raise PermissionError(f"{source} is in blocked_paths")
        allowed = [*self.allowed, *_static_paths]
        if any(_is_in(real, a) for a in allowed):
            return real
        cwd, tmp = Path.cwd().resolve(), Path(tempfile.gettempdir()).resolve()
        if _is_in(real, cwd):
            if any(part.startswith(".") for part in real.relative_to(cwd).parts):
                raise PermissionError(f"{source} is a dotfile (or in a dot folder); add it to "
                                      "launch(allowed_paths=[...]) to serve it")
            return real
        if _is_in(real, tmp):
            return real
        raise PermissionError(
            f"{source} is outside the working directory ({cwd}) and the temp directory "
            f"({tmp}); add its folder to launch(allowed_paths=[...]) to serve it")


def _paths(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)


#: The rule for a session's files when its front door sets none.
DEFAULT_POLICY = FilePolicy()


def is_file_data(value: Any) -> bool:
    return isinstance(value, dict) and value.get("_file") is True and isinstance(value.get("id"), str)


@dataclass
class Entry:
    path: Path
    orig_name: str
    mime_type: str
    size: int
    created: float
    #: sent by a client (an upload), as opposed to produced by the app
    uploaded: bool = False

    def file_data(self, file_id: str) -> dict:
        return {"_file": True, "id": file_id, "orig_name": self.orig_name,
                "mime_type": self.mime_type, "size": self.size}


class FileStore:
    """Files of one session (or of the app), each under ``<dir>/<id>/<name>``."""

    def __init__(self, kind: str = "session", policy: FilePolicy | None = None):
        self.kind = kind
        #: which paths ``add_path`` copies (None: any, for the app's own files;
        #: a session's store defaults to :data:`DEFAULT_POLICY`; a server sets
        #: the demo's ``allowed_paths``/``blocked_paths``)
        self.policy = policy if policy is not None or kind == "app" else DEFAULT_POLICY
        self._dir: Path | None = None
        self.entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self.closed = False

    @property
    def dir(self) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix=f"nbdemo-{self.kind}-"))
        return self._dir

    # -- adding ------------------------------------------------------------------
    def _new(self, name: str | None, mime_type: str | None) -> tuple[str, Path, str, str]:
        if self.closed:
            raise RuntimeError("this session has ended; its files are gone")
        file_id = secrets.token_urlsafe(16)
        name = safe_name(name)
        mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        folder = self.dir / file_id
        folder.mkdir()
        return file_id, folder / name, name, mime

    def _register(self, file_id: str, path: Path, name: str, mime: str,
                  uploaded: bool = False) -> dict:
        entry = Entry(path, name, mime, path.stat().st_size, time.time(), uploaded)
        with self._lock:
            self.entries[file_id] = entry
        return entry.file_data(file_id)

    def add_bytes(self, data: bytes | memoryview, name: str, mime_type: str | None = None) -> dict:
        """Store ``data`` as a file named ``name``; returns its FileData."""
        file_id, path, name, mime = self._new(name, mime_type)
        path.write_bytes(data)
        return self._register(file_id, path, name, mime)

    def add_path(self, source: str | os.PathLike, name: str | None = None,
                 mime_type: str | None = None) -> dict:
        """Copy the file at ``source`` (an app's output) into the store.

        Symlinks are resolved first (a Hugging Face cache file is a link into
        its blobs), then the store's :class:`FilePolicy` decides. Raises
        ``FileNotFoundError`` if it does not exist or is not a file, and
        ``PermissionError`` for a path the policy refuses.
        """
        source = Path(source)
        if not source.is_file():
            raise FileNotFoundError(f"no such file: {source}")
        real = self.policy.check(source) if self.policy is not None else source.resolve()
        file_id, path, name, mime = self._new(name or source.name, mime_type)
        try:
            os.link(real, path)  # same filesystem: no copy
        except OSError:
            shutil.copyfile(real, path)
        uploaded = str(real) in _uploaded
        if uploaded:
            _uploaded.add(str(path.resolve()))
        return self._register(file_id, path, name, mime, uploaded=uploaded)

    def writer(self, name: str, mime_type: str | None = None) -> Upload:
        """An upload written in pieces; ``commit()`` registers it, ``abort()`` drops it."""
        file_id, path, name, mime = self._new(name, mime_type)
        return Upload(self, file_id, path, name, mime)

    # -- looking up ---------------------------------------------------------------
    def get(self, file_id: str) -> Entry | None:
        with self._lock:
            return self.entries.get(file_id)

    def remove(self, file_id: str) -> bool:
        """Remove file ``file_id`` (a stream's old frame); False if the store has no such file."""
        with self._lock:
            entry = self.entries.pop(file_id, None)
        if entry is None:
            return False
        _uploaded.discard(str(entry.path.resolve()))
        shutil.rmtree(entry.path.parent, ignore_errors=True)
        return True

    def sweep(self, max_age: float) -> int:
        """Remove files older than ``max_age`` seconds; returns how many."""
        cutoff = time.time() - max_age
        with self._lock:
            old = [k for k, e in self.entries.items() if e.created < cutoff]
            gone = [self.entries.pop(k) for k in old]
        for e in gone:
            _uploaded.discard(str(e.path.resolve()))
            shutil.rmtree(e.path.parent, ignore_errors=True)
        return len(gone)

    def close(self) -> None:
        """Remove every file of this store and its directory."""
        self.closed = True
        with self._lock:
            for e in self.entries.values():
                _uploaded.discard(str(e.path.resolve()))
            self.entries.clear()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


class Upload:
    """A file being received; see :meth:`FileStore.writer`."""

    def __init__(self, store: FileStore, file_id: str, path: Path, name: str, mime: str):
        self.store, self.file_id, self.path, self.name, self.mime = store, file_id, path, name, mime
        self.size = 0
        self._fh = open(path, "wb")  # noqa: SIM115 - closed in commit/abort

    def write(self, chunk: bytes | memoryview) -> None:
        self._fh.write(chunk)
        self.size += len(chunk)

    def commit(self) -> dict:
        self._fh.close()
        _uploaded.add(str(self.path.resolve()))
        return self.store._register(self.file_id, self.path, self.name, self.mime, uploaded=True)

    def abort(self) -> None:
        self._fh.close()
        shutil.rmtree(self.path.parent, ignore_errors=True)


def app_store() -> FileStore:
    """The store for files made outside any session (initial values); removed at exit."""
    global _app_store
    with _app_lock:
        if _app_store is None:
            _app_store = FileStore("app")
            atexit.register(_app_store.close)
        return _app_store


def current() -> FileStore:
    """The store of the session whose event is running, else the app's store."""
    return _current.get() or app_store()


@contextlib.contextmanager
def using(store: FileStore | None):
    """Make ``store`` the current one (the engine does this around pre/postprocess)."""
    token = _current.set(store)
    try:
        yield store
    finally:
        _current.reset(token)


def lookup(file_id: str) -> tuple[FileStore, Entry] | None:
    """Find ``file_id`` in the current session's store, then in the app's store."""
    for store in (_current.get(), app_store()):
        if store is not None:
            entry = store.get(file_id)
            if entry is not None:
                return store, entry
    return None


def resolve(value: Any) -> Path:
    """The local path of a FileData sent by a client (only ids this session or
    the app created are known). Raises ``ValueError`` otherwise."""
    if not is_file_data(value):
        raise ValueError(f"expected a file, got {str(value)[:80]!r}")
    found = lookup(value["id"])
    if found is None:
        raise ValueError("that file is not part of this session (it may have expired)")
    return found[1].path


def resolve_input(value: Any, label: str) -> Path:
    """:func:`resolve` for a component's preprocess: an unknown file raises
    :class:`~nbdemo.Error` headed by the component's ``label``, shown to the user."""
    from .errors import Error

    try:
        return resolve(value)
    except ValueError as e:
        raise Error(f"{label}: {e}") from None


def is_remote_url(value: Any) -> bool:
    """Whether ``value`` is an http(s) URL (a file on another host)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def unavailable(message: str) -> Exception:
    """:class:`~nbdemo.Error` for a file that is not there (a missing path, or a
    URL on another host: nbdemo makes no requests to other hosts). It carries
    ``unavailable = True``, so a component's *initial* value that names one
    warns and starts empty instead of failing the build (Gradio builds such
    a demo too: it shows a broken link for a missing file)."""
    from .errors import Error

    err = Error(message)
    err.unavailable = True
    return err


def stored_output(value: Any, label: str, kind: str = "file") -> dict | None:
    """An output given as a FileData (returned as is) or a path (copied into the
    current session's files); ``None`` for anything else, for the caller to
    encode. Raises :class:`~nbdemo.Error` for a path that is not a file or an
    http(s) URL (see :func:`unavailable`); Gradio downloads a URL on the
    server, nbdemo makes no requests to other hosts."""
    from .errors import Error

    if is_file_data(value):
        return value
    if is_remote_url(value):
        raise unavailable(f"{label}: {value} is on another host; nbdemo makes no requests to "
                          f"other hosts, so give a local {kind} (download it first)")
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        if not path.is_file():
            raise unavailable(f"{label}: no such {kind}: {value}")
        try:
            return current().add_path(path)
        except PermissionError as e:
            raise Error(f"{label}: {e}") from None
    return None


def check_file_data(value: Any, what: str) -> dict:
    """Validate the shape of a FileData coming from a page; raises ``ValueError``."""
    if not is_file_data(value) or len(value["id"]) > 64:
        raise ValueError(f"{what}: expected a file (as returned by an upload), got {str(value)[:80]!r}")
    if lookup(value["id"]) is None:
        raise ValueError(f"{what}: that file is not part of this session")
    return {k: value[k] for k in ("_file", "id", "orig_name", "mime_type", "size") if k in value}


def contains_file(value: Any) -> bool:
    """Whether ``value`` holds a FileData anywhere (dicts and lists)."""
    if is_file_data(value):
        return True
    if isinstance(value, (dict, list, tuple)):
        items = value.values() if isinstance(value, dict) else value
        return any(contains_file(v) for v in items)
    return False


def walk(value: Any, fn) -> Any:
    """Apply ``fn`` to every FileData inside ``value`` (dicts and lists), returning a copy."""
    if is_file_data(value):
        return fn(value)
    if isinstance(value, dict):
        return {k: walk(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [walk(v, fn) for v in value]
    return value
