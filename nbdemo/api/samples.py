"""Small sample files the server serves itself, so the API snippets of a file
parameter run as pasted, offline: a PNG, a WAV and a text file, made with the
standard library and kept in the app's file store."""

from __future__ import annotations

import io
import struct
import threading
import wave
import zlib

from .. import files

_made: dict[str, str] = {}
_lock = threading.Lock()


def _png() -> bytes:
    """A 16 x 16 RGB PNG (a blue gradient)."""
    w = h = 16
    rows = b"".join(b"\x00" + b"".join(bytes((x * 16, y * 16, 200)) for x in range(w)) for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _wav() -> bytes:
    """0.1 s of silence, 16-bit mono at 8 kHz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return out.getvalue()


_KINDS = {"image": ("sample.png", _png, "image/png"), "audio": ("sample.wav", _wav, "audio/wav"),
          "file": ("sample.txt", lambda: b"Hello from nbdemo\n", "text/plain")}


def sample_path(kind: str) -> str | None:
    """The API path (``app/<id>/<name>``) of the sample for a component kind,
    or None when there is none (video)."""
    key = {"uploadbutton": "file", "downloadbutton": "file"}.get(kind, kind)
    if key not in _KINDS:
        return None
    with _lock:
        path = _made.get(key)
        store = files.app_store()
        if path is None or store.get(path.split("/")[1]) is None:
            name, make, mime = _KINDS[key]
            fd = store.add_bytes(make(), name, mime)
            path = _made[key] = f"app/{fd['id']}/{name}"
        return path


def sample_url(base: str, kind: str) -> str | None:
    """The URL of the sample for ``kind`` on the server whose mount is at ``base``."""
    from .describe import API_PREFIX

    path = sample_path(kind)
    return None if path is None else f"{base}{API_PREFIX.lstrip('/')}/file={path}"
