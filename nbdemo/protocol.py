"""Wire messages shared by both front doors, as plain typed records.

This module imports nothing of nbdemo. The JS side (``js/src/protocol.js``)
names the same kinds. Every message is a JSON object with a ``type`` key.

Client → server (standalone WebSocket) or front-end → kernel (widget custom
message on the component's own comm):

- ``{"type": "set", "id": int, "value": any}``: the user changed a value
  (standalone only; inline, the trait sync carries it).
- ``{"type": "event", "id": int, "event": str, "data": any}``: a trigger fired.
- ``{"type": "runtime"}``: a notebook stub asks for the shared JS runtime.
- ``{"type": "resync", "id": int}`` (``id`` standalone only): a delta did not
  fit the value the page holds; the reply is the component's whole value.

Server → client:

- ``{"type": "hello", "session_hash": str}``
- ``{"type": "update", "updates": [[id, {prop: value}], ...]}``; a ``value``
  may be a *delta* ``{"__delta__": [op, ...]}`` instead (see below).
- ``{"type": "status", "event_id": str, "fn_index": int, "status": str,
  "targets": [id], "message": str | None, "title": str | None,
  "show_progress": str, "duration": seconds | None}``; status is one of
  ``STATUSES``; ``duration`` is how long an error message stays (None: until closed).
  The engine reports "generating" after each item a generator yields; both front
  doors pass on only the first of a run (the page needs no more).
- ``{"type": "error", "message": str}``: a malformed client message.
- ``{"type": "runtime", "code": str}``: the runtime module's source.
- ``{"type": "delta", "prop": "value", "ops": [op, ...]}`` (inline only, on a
  component's own comm): the same delta for the widget's trait.

Deltas (DESIGN principle 6: streaming text sends O(n) bytes for n tokens, not
O(n²)). When a generator streams a growing value (a Textbox's text, a
Chatbot's last message), the front door compares it with the value it last
sent for that component and sends only the change, as ops applied in order:

- ``["+", path, text, at]``: the string at ``path`` (``at`` characters long
  before) gets ``text`` appended.
- ``["=", path, value]``: the item at ``path`` becomes ``value``; for a list,
  the last index of ``path`` may be the list's length (an item is pushed).

``path`` is a list of list indexes and dict keys from the value's root.
Standalone, the page applies a delta only while its value is the one the
server last sent (no edit of its own since); the server forgets what it sent
when the page sets a value, so the next update is whole again. A delta whose
``at`` or list index does not fit the page's value makes the page send
``resync`` (inline: the kernel then re-sends the trait).
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
DELTA = "delta"
RESYNC = "resync"
#: key of a delta in place of a prop's value: ``{"__delta__": [op, ...]}``
DELTA_KEY = "__delta__"

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


# -- deltas -------------------------------------------------------------------------------

_Path = list  # list of int | str


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: types must match too (``1 != True``, ``1 != 1.0``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    return a == b


def _diff(old: Any, new: Any, path: _Path, ops: list) -> bool:
    """Append to ``ops`` what turns ``old`` into ``new``; False if only a whole
    replacement would (the caller then sets ``new`` at ``path``)."""
    if type(old) is str and type(new) is str:
        if new == old:
            return True
        if old and new.startswith(old):
            ops.append(["+", path, new[len(old):], len(old)])
            return True
        return False
    if type(old) is list and type(new) is list:
        if len(new) < len(old):
            return False
        for i, (a, b) in enumerate(zip(old, new)):
            if not _same(a, b) and not _diff(a, b, [*path, i], ops):
                ops.append(["=", [*path, i], b])
        for i in range(len(old), len(new)):
            ops.append(["=", [*path, i], new[i]])
        return True
    if type(old) is dict and type(new) is dict:
        if any(k not in new for k in old) or not all(isinstance(k, str) for k in new):
            return False
        for k, b in new.items():
            if k not in old:
                ops.append(["=", [*path, k], b])
            elif not _same(old[k], b) and not _diff(old[k], b, [*path, k], ops):
                ops.append(["=", [*path, k], b])
        return True
    return _same(old, new)


def diff(old: Any, new: Any) -> list | None:
    """The delta ops that turn ``old`` into ``new`` (JSON values), or None when
    ``new`` is better sent whole: not a str/list/dict, a different type, a
    string that does not extend the old one, a shorter list, a dict that lost
    keys, or a change that would replace most of the value. ``[]`` when equal."""
    if not isinstance(new, (str, list, dict)):
        return None
    ops: list = []
    if not _diff(old, new, [], ops):
        return None
    # a delta that re-sends most of the value is no gain: send the value
    if any(op[0] == "=" for op in ops) and len(ops) * 2 > max(len(new), 1) + 2:
        return None
    return ops


def delta(ops: list) -> dict:
    """The props value that carries ``ops`` (standalone ``update`` messages)."""
    return {DELTA_KEY: ops}


def is_delta(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and DELTA_KEY in value


def apply_delta(value: Any, ops: list) -> Any:
    """``value`` with ``ops`` applied (a new value; ``value`` is not changed).

    Raises ``ValueError`` when an op does not fit (wrong ``at``, a missing
    key, a list index past the end): the value was not the delta's base.
    """
    for op in ops:
        kind, path = op[0], op[1]
        if kind == "+":
            value = _set_in(value, path, lambda s, op=op: _append(s, op[2], op[3]))
        elif kind == "=":
            value = _set_in(value, path, None, op[2])
        else:
            raise ValueError(f"unknown delta op {kind!r}")
    return value


def _append(s: Any, text: str, at: int) -> str:
    if not isinstance(s, str) or len(s) != at:
        raise ValueError("delta does not fit: the string is not the one it extends")
    return s + text


def _set_in(value: Any, path: list, fn, new: Any = None) -> Any:
    if not path:
        return fn(value) if fn is not None else new
    key, rest = path[0], path[1:]
    if isinstance(value, list) and isinstance(key, int):
        out = list(value)
        if key == len(out) and not rest and fn is None:
            out.append(new)
            return out
        if not 0 <= key < len(out):
            raise ValueError("delta does not fit: list index out of range")
        out[key] = _set_in(out[key], rest, fn, new)
        return out
    if isinstance(value, dict) and isinstance(key, str):
        out = dict(value)
        if key not in out:
            if rest or fn is not None:
                raise ValueError(f"delta does not fit: no key {key!r}")
            out[key] = new
            return out
        out[key] = _set_in(out[key], rest, fn, new)
        return out
    raise ValueError("delta does not fit: path goes through a non-container")
