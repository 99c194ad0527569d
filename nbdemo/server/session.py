"""A browser session of the standalone server: one per page WebSocket."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import quote

from .. import files, protocol
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


def json_copy(value: Any) -> Any:
    """A copy of the lists and dicts of a JSON-shaped value (leaves are shared)."""
    kind = type(value)
    if kind is list:
        return [json_copy(v) for v in value]
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    return value


class ServerSession(Session):
    """Values and State of one page; messages go out on its WebSocket.

    Streamed values go out as deltas (see :mod:`nbdemo.protocol`): the session
    remembers the value it last sent each component, and when a new value
    extends it (a longer string, a list with items added, a message whose
    text grew) only the change is sent. ``deltas = False`` (class or
    instance) sends whole values, as before.
    """

    #: send deltas of streamed values instead of whole values
    deltas = True

    def __init__(self, engine, send, prefix: str = "/"):
        super().__init__(engine)
        self._send = send
        self.prefix = prefix
        #: component id → the value the page last received from us
        self._sent: dict[int, Any] = {}
        #: encoded messages waiting for this loop iteration's frame
        self._out: list[str] = []
        self._loop = asyncio.get_running_loop()

    def emit(self, msg: dict) -> None:
        """Queue ``msg`` for the page. What one loop iteration emits goes out as
        one WebSocket frame (a JSON array when there are several; see
        :mod:`nbdemo.protocol`): an update and the status that follows it
        cost one socket write, not two.

        ``admit`` holds a fast run's "processing" back (``PROCESSING_GRACE``),
        so such an event costs the socket one frame.
        """
        if self.closed or not self.admit(msg):
            return
        self._enqueue(msg)

    def deliver(self, msg: dict) -> None:
        self._enqueue(msg)

    def _enqueue(self, msg: dict) -> None:
        try:
            text = json.dumps(msg, separators=(",", ":"), allow_nan=False)
        except ValueError:
            log.exception("nbdemo: a message could not be encoded as JSON")
            self._sent.clear()  # the page did not get those values: no deltas from them
            text = json.dumps({"type": "error", "message": "the server produced a value that "
                               "cannot be sent to the page (not JSON: NaN, inf or an object)"})
        self._out.append(text)
        if len(self._out) == 1:
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        out, self._out = self._out, []
        if not out or self.closed:
            return
        try:
            self._send(out[0] if len(out) == 1 else "[" + ",".join(out) + "]")
        except Exception:  # the socket closed under us: the session is over
            self.closed = True

    def apply(self, updates) -> None:
        updates = self.translated(updates)  # gr.I18n texts, in the visitor's language
        with files.using(self.files):
            updates = [(c, with_urls(p, self.prefix, self.session_hash) if files.contains_file(p) else p)
                       for c, p in updates]
        out = []
        for comp, props in updates:
            self.remember(comp, props)
            if "value" in props:
                props = self._as_delta(comp._id, props)
            out.append((comp._id, props))
        self.emit(protocol.update(out))

    def set_value(self, component, value: Any) -> None:
        super().set_value(component, value)
        sign = getattr(component, "sign", None)  # gr.BrowserState: the page stores it too
        if sign is not None:
            stored = sign(value)
            if stored is not None:
                self.emit(protocol.update([(component._id, {"_stored": stored})]))

    def restore_browser_state(self, stored: Any) -> None:
        """Values of ``gr.BrowserState`` the page kept in its localStorage
        (``{id: what BrowserState.sign gave}``), before the load listeners
        run; a value that does not verify is dropped (the default stays)."""
        if not isinstance(stored, dict):
            return
        blocks = self.engine.app.fresh().blocks
        for key, blob in stored.items():
            comp = blocks.get(int(key)) if str(key).isdigit() else None
            if comp is None or not hasattr(comp, "verify"):
                continue
            try:
                self.state[comp._id] = comp.verify(blob)
            except ValueError as e:
                log.info("nbdemo: a stored BrowserState value was dropped: %s", e)

    def _as_delta(self, comp_id: int, props: dict) -> dict:
        """``props`` with its value as a delta from what the page last got, when smaller."""
        new = props["value"]
        had = comp_id in self._sent
        old = self._sent.get(comp_id)
        # a copy: a function may change a value it received in place later
        self._sent[comp_id] = json_copy(new)
        if not (self.deltas and had):
            return props
        ops = protocol.diff(old, new)
        if not ops:  # None: not a growth; []: unchanged (sent whole, as before)
            return props
        return {**props, "value": protocol.delta(ops)}

    def resync(self, comp_id: Any) -> None:
        """The page could not apply a delta: send the component's whole value."""
        comp = self.engine.app_for(self).component(comp_id)
        if comp._kind == "state":  # State stays on the server: the page never gets it
            raise ValueError(f"no component with id {comp_id} on this page")
        value = self.get_value(comp)
        self._sent[comp._id] = json_copy(value)
        self.emit(protocol.update([(comp._id, {"value": value})]))

    def render_props(self, component, kept: bool) -> dict:
        with files.using(self.files):  # a rendered value's files are this session's
            return with_urls(super().render_props(component, kept), self.prefix, self.session_hash)

    def forget(self, ids) -> None:
        ids = list(ids)
        super().forget(ids)
        for comp_id in ids:
            self._sent.pop(comp_id, None)

    def client_value_changing(self, component) -> None:
        # the page holds a value of its own now (even one refused): the next
        # update of this component sends the whole value, not a delta
        self._sent.pop(component._id, None)
