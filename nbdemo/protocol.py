"""Wire messages shared by both front doors, as plain typed records.

This module imports nothing of nbdemo. The JS side (``js/src/protocol.js``)
names the same kinds. Every message is a JSON object with a ``type`` key.

Client → server (standalone WebSocket) or front-end → kernel (widget custom
message on the component's own comm):

- ``{"type": "set", "id": int, "value": any}``: the user changed a value
  (standalone only; inline, the trait sync carries it).
- ``{"type": "event", "id": int, "event": str, "data": any}``: a trigger fired.
- ``{"type": "runtime"}``: a notebook stub asks for the shared JS runtime.

Server → client:

- ``{"type": "hello", "session_hash": str}``
- ``{"type": "update", "updates": [[id, {prop: value}], ...]}``
- ``{"type": "status", "event_id": str, "fn_index": int, "status": str,
  "targets": [id], "message": str | None, "title": str | None,
  "show_progress": str, "duration": seconds | None}``; status is one of
  ``STATUSES``; ``duration`` is how long an error message stays (None: until closed).
- ``{"type": "error", "message": str}``: a malformed client message.
- ``{"type": "runtime", "code": str}``: the runtime module's source.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

SET = "set"
EVENT = "event"
RUNTIME = "runtime"
HELLO = "hello"
UPDATE = "update"
STATUS = "status"
ERROR = "error"

STATUSES = ("pending", "generating", "complete", "error", "cancelled")


class EventMsg(TypedDict):
    type: Literal["event"]
    id: int
    event: str
    data: Any


class SetMsg(TypedDict):
    type: Literal["set"]
    id: int
    value: Any


class StatusMsg(TypedDict, total=False):
    type: Literal["status"]
    event_id: str
    fn_index: int
    status: str
    targets: list[int]
    message: str | None
    title: str | None
    show_progress: str
    duration: float | None


def status(event_id: str, fn_index: int, state: str, targets: list[int], *,
           message: str | None = None, title: str | None = None,
           show_progress: str = "full", duration: float | None = 10) -> StatusMsg:
    return {"type": STATUS, "event_id": event_id, "fn_index": fn_index, "status": state,
            "targets": targets, "message": message, "title": title,
            "show_progress": show_progress, "duration": duration}


def error(message: str) -> dict:
    return {"type": ERROR, "message": message}


def update(updates: list[tuple[int, dict]]) -> dict:
    return {"type": UPDATE, "updates": [[i, p] for i, p in updates]}
