"""A browser session of the standalone server: one per page WebSocket."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from .. import files
from ..engine import Session

log = logging.getLogger("nbdemo")


def file_url(prefix: str, owner: str, fd: dict) -> str:
    """Where the page fetches a FileData: ``<prefix>file/<owner>/<id>/<name>``."""
    return f"{prefix}file/{owner}/{fd['id']}/{quote(fd.get('orig_name') or 'file')}"


def with_urls(value: Any, prefix: str, session_hash: str | None) -> Any:
    """``value`` with a "url" on every FileData: the session's files under the
    session hash, the app's files (initial values) under "app"."""
    def add(fd: dict) -> dict:
        found = files.lookup(fd["id"])
        if found is None:
            return {**fd, "url": None}
        owner = "app" if found[0] is files.app_store() or session_hash is None else session_hash
        return {**fd, "url": file_url(prefix, owner, fd)}

    return files.walk(value, add)


class ServerSession(Session):
    """Values and State of one page; messages go out on its WebSocket."""

    def __init__(self, engine, send, prefix: str = "/"):
        super().__init__(engine)
        self._send = send
        self.prefix = prefix

    def emit(self, msg: dict) -> None:
        if self.closed:
            return
        try:
            self._send(json.dumps(msg, separators=(",", ":"), allow_nan=False))
        except ValueError:
            log.exception("nbdemo: a message could not be encoded as JSON")
            self._send(json.dumps({"type": "error", "message": "the server produced a value "
                                   "that cannot be sent to the page (not JSON: NaN, inf or an object)"}))
        except Exception:  # the socket closed under us: the session is over
            self.closed = True

    def apply(self, updates) -> None:
        with files.using(self.files):
            super().apply([(c, with_urls(p, self.prefix, self.session_hash) if files.contains_file(p) else p)
                           for c, p in updates])

    def set_from_client(self, comp_id: Any, value: Any) -> None:
        comp = self.engine.app.fresh().component(comp_id)
        if comp.interactive is False:
            raise ValueError(f"{type(comp).__name__} (id {comp_id}) is not interactive")
        with files.using(self.files):
            self.values[comp._id] = comp.validate_wire(value)
