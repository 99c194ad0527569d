"""The one dispatcher: every front door hands a client's message to ``dispatch``.

The standalone page (WebSocket), the notebook (a component's comm) and, later,
the HTTP API all send the same kinds (:mod:`nbdemo.protocol`); value checks
(``interactive``, choices, types, sizes) and the start of runs happen here
once, for every door. What only one door has (uploads and file fetches
inline, ``resync`` of a delta) stays in that door.

``dispatch`` runs on the engine's event loop: a door that receives messages
on another thread (the kernel's shell thread) schedules the whole call there,
in arrival order, so a run reads its inputs as they were when its event
arrived.
"""

from __future__ import annotations

from typing import Any

from .. import protocol


def dispatch(session, msg: Any, data: bytes | memoryview | None = None) -> list:
    """Handle one client message for ``session``; returns the runs it started.

    - ``set``: store a value the user entered (checked by the component).
    - ``event``: optionally store ``value`` for the component that fired,
      then start every listener of ``event`` on it (each a run).
    - ``stream``: ``data`` (the bytes that came with the message) is a frame
      of the component's ``.stream()``; see :meth:`Engine.stream`.
    - ``cancel``: cancel the session's run ``event_id``.

    Raises ``ValueError`` with a message for the client for anything
    malformed: the door replies ``{"type": "error"}`` and the session goes on.
    """
    if not isinstance(msg, dict):
        raise ValueError("message must be a JSON object")
    kind = msg.get("type")
    engine = session.engine
    if kind == protocol.SET:
        session.set_from_client(msg.get("id"), msg.get("value"))
        return []
    if kind == protocol.EVENT:
        if "value" in msg:
            session.set_from_client(msg.get("id"), msg.get("value"))
        return engine.trigger(session, msg.get("id"), msg.get("event"), msg.get("data"),
                              js_inputs=msg.get("js_inputs"))
    if kind == protocol.STREAM:
        if data is None:
            raise ValueError("a 'stream' message needs its frame's bytes (a binary message)")
        return engine.stream(session, msg.get("id"), msg.get("seq"), msg.get("mime"), data)
    if kind == protocol.CANCEL:
        event_id = msg.get("event_id")
        if not engine.cancel_run(session, event_id):
            raise ValueError(f"no run {event_id!r:.40} to cancel in this session")
        return []
    raise ValueError(f"unknown message type {kind!r:.40}; expected 'set', 'event', 'stream' or 'cancel'")
