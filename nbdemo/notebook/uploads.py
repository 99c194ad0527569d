"""Files inline travel as widget buffers, never as base64 in JSON.

Uploads come in chunks of at most 4 MiB ("upload" messages; jupyter-server's
kernel WebSocket closes on messages over 10 MiB) and end in "uploaded" or
"upload-error"; the page asks for a file's bytes with "fetch" and gets "file"
(see ``nbdemo.protocol``). Both run on the shell thread, in the files of the
widget's session (a component shown on its own uses the app's files).
"""

from __future__ import annotations

import weakref
from typing import Any

from .. import files, protocol

#: uploads under way, per widget, by the page's ``ref``
_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _limit(session) -> int | None:
    blocks = getattr(getattr(session, "engine", None), "blocks", None)
    return files.parse_size(blocks.max_file_size) if blocks is not None else None


def receive(widget, session, content: dict, buffers: list) -> None:
    """One chunk of an upload; the last one commits the file and replies "uploaded"."""
    ref = str(content.get("ref"))[:64]
    pending = _pending.setdefault(widget, {})
    up = pending.get(ref)
    if content.get("seq") == 0:
        if up is not None:
            up.abort()
        size = content.get("size")
        limit = _limit(session)
        if limit is not None and isinstance(size, int) and size > limit:
            pending.pop(ref, None)
            widget.send(_refused(ref, f"File too large: {files.human_size(size)}; the limit is "
                                      f"{files.human_size(limit)}"))
            return
        up = pending[ref] = files.current().writer(str(content.get("name") or "upload"),
                                                   content.get("mime") or None)
        up.limit = limit
    if up is None:
        return  # the rest of a refused upload
    received = sum(len(b) for b in buffers or [])
    if up.limit is not None and up.size + received > up.limit:  # the declared size lied
        up.abort()
        pending.pop(ref, None)
        widget.send(_refused(ref, f"File too large; the limit is {files.human_size(up.limit)}"))
        return
    for b in buffers or []:
        up.write(b)
    if content.get("last"):
        del pending[ref]
        widget.send({"type": protocol.UPLOADED, "ref": ref, "file": up.commit()})


def _refused(ref: str, message: str) -> protocol.UploadErrorMsg:
    return {"type": protocol.UPLOAD_ERROR, "ref": ref, "message": message}


def send_file(widget, session, content: dict, buffers: list) -> None:
    """The bytes of file ``id`` (of the widget's session or the app) as a buffer."""
    file_id: Any = content.get("id")
    found = files.lookup(file_id) if isinstance(file_id, str) else None
    if found is None:
        widget.send({"type": protocol.FILE, "id": file_id, "error": "no such file"})
        return
    widget.send({"type": protocol.FILE, "id": file_id}, buffers=[found[1].path.read_bytes()])
