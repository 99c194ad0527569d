"""The notebook comm: what an nbdemo widget's front-end sends, and the replies.

Importing this module plugs :func:`on_msg` into ``Widget.front_door``, so
every nbdemo widget (a component, or a demo's root) hands its custom comm
messages here, on the kernel's shell thread. Each kind has one handler in
``HANDLERS``: a new message kind is a handler here (or in ``uploads``) and a
record in ``nbdemo.protocol``, never a change to ``Component``.

- "runtime": the shared JS runtime's source, for any widget's stub (also a
  component shown on its own, in no demo).
- "set", "event", "stream" (a frame: one buffer), "cancel": the one dispatcher (``nbdemo.engine.dispatch``),
  as the standalone server uses it, run on nbdemo's background loop. Each
  message is scheduled there in arrival order, so a value set and the trigger
  that follows it are handled in that order and a run reads its inputs as
  they were when its event arrived. A component speaks only for itself (the
  message's ``id`` is its own). A component in no demo has no session: its
  "set" is checked and stored at once; anything else gets an error reply.
- "resync": the component's whole value again (a delta did not fit).
- "upload", "fetch": files as widget buffers (:mod:`.uploads`).
- "module": a front-end module the runtime loads on first use (only those in
  ``MODULES``: the 3D viewer), so the runtime itself stays small.

A message that cannot be handled gets ``{"type": "error", "message": ...}``:
on the widget's own comm for "set" and the other kinds, on the demo root's
for "event" and "cancel" (where the run's statuses go too); the session goes on.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import files, protocol
from ..components.base import Component, Widget
from ..engine.dispatch import dispatch
from . import uploads
from .loop import get_loop
from .session import store_without_echo

log = logging.getLogger("nbdemo")

_RUNTIME = Path(__file__).resolve().parent.parent / "static" / "runtime.js"
_runtime_cache: str | None = None

#: front-end modules a "module" message may ask for: name → file in static/
MODULES = {"viewer3d": "viewer3d.js"}

#: the session each widget's messages go to (set by the demo showing it)
_sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def runtime_source() -> str:
    """The shared JS runtime (``static/runtime.js``), read once per process."""
    global _runtime_cache
    if _runtime_cache is None:
        _runtime_cache = _RUNTIME.read_text()
    return _runtime_cache


def bind(widget: Widget, session, *, replace: bool = True) -> None:
    """Send ``widget``'s messages to ``session`` from now on. With
    ``replace=False`` a widget already bound to an open session keeps it."""
    if not replace:
        current = _sessions.get(widget)
        if current is not None and not current.closed:
            return
    _sessions[widget] = session


def session_of(widget: Widget):
    """The session ``widget``'s messages go to, or None (a component on its own)."""
    return _sessions.get(widget)


def on_msg(widget: Widget, content: Any, buffers: list) -> None:
    """``Widget.front_door``: handle one custom message from ``widget``'s front-end."""
    if not isinstance(content, dict):
        widget.send(protocol.error("message must be a JSON object"))
        return
    kind = content.get("type")
    handler = HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        widget.send(protocol.error(f"unknown message type {kind!r:.40}; expected one of "
                                   f"{', '.join(sorted(HANDLERS))}"))
        return
    session = session_of(widget)
    try:
        with files.using(session.files if session is not None else None):
            handler(widget, session, content, buffers)
    except ValueError as e:
        widget.send(protocol.error(str(e)))


def _runtime(widget: Widget, session, content: dict, buffers: list) -> None:
    widget.send({"type": protocol.RUNTIME, "code": runtime_source()})


def _module(widget: Widget, session, content: dict, buffers: list) -> None:
    name = content.get("name")
    if not isinstance(name, str) or name not in MODULES:
        raise ValueError(f"unknown front-end module {str(name)[:40]!r}; known: {', '.join(MODULES)}")
    path = _RUNTIME.parent / MODULES[name]
    try:
        code = path.read_text()
    except OSError as e:  # a checkout whose bundle was not built
        widget.send({"type": protocol.MODULE, "name": name, "error": f"{path.name} is missing: {e}"})
        return
    widget.send({"type": protocol.MODULE, "name": name, "code": code})


def _to_engine(widget: Widget, session, content: dict, buffers: list) -> None:
    if session is None:
        _on_its_own(widget, content)
        return
    msg = dict(content)
    if isinstance(widget, Component):
        msg["id"] = widget._id
    # a stream frame's bytes come as the message's one buffer
    data = bytes(buffers[0]) if msg.get("type") == protocol.STREAM and buffers else None
    get_loop().call_soon_threadsafe(_dispatch, widget, session, msg, data)


def _dispatch(widget: Widget, session, msg: dict, data: bytes | None = None) -> None:
    """On the loop: one message through the one dispatcher."""
    if session.closed:
        return
    try:
        dispatch(session, msg, data)
        return
    except ValueError as e:
        reply = protocol.error(str(e))
    except Exception:  # a bug, not bad input: say so, keep the session going
        log.exception("nbdemo: handling %r from the notebook failed", msg.get("type"))
        reply = protocol.error(f"nbdemo could not handle this {msg.get('type')!r} message; "
                               "see the kernel's log")
    if msg.get("type") == protocol.SET and widget.comm is not None:
        widget.send(reply)
    else:
        session.emit(reply)


def _on_its_own(widget: Widget, content: dict) -> None:
    """A message from a component shown outside any demo: it has no listeners,
    and its value is its trait (``observe``, ``ipywidgets.link`` see it)."""
    kind = content["type"]
    if kind != protocol.SET or not isinstance(widget, Component):
        raise ValueError(f"{widget!r} is not part of a demo shown here: {kind!r} needs one")
    if widget.interactive is False:
        raise ValueError(f"{type(widget).__name__} (id {widget._id}) is not interactive")
    store_without_echo(widget, widget.validate_wire(content.get("value")))


def _resync(widget: Widget, session, content: dict, buffers: list) -> None:
    if not isinstance(widget, Component):
        raise ValueError("only a component has a value to resync")
    widget.send_state("value")


#: message kind → ``handler(widget, session, content, buffers)``
HANDLERS: dict[str, Callable[[Widget, Any, dict, list], None]] = {
    protocol.RUNTIME: _runtime,
    protocol.SET: _to_engine,
    protocol.EVENT: _to_engine,
    protocol.CANCEL: _to_engine,
    protocol.STREAM: _to_engine,
    protocol.RESYNC: _resync,
    protocol.UPLOAD: uploads.receive,
    protocol.FETCH: uploads.send_file,
    protocol.MODULE: _module,
}


def install() -> None:
    """Make this module the front door of every nbdemo widget."""
    Widget.front_door = on_msg
