"""Wire messages shared by both front doors, as plain typed records.

This module imports nothing of nbdemo. The JS side (``js/src/protocol.js``)
names the same kinds. Every message is a JSON object with a ``type`` key.

Client → server (standalone WebSocket) or front-end → kernel (widget custom
message on the component's own comm, without ``id``: a component speaks for
itself):

- ``{"type": "set", "id": int, "value": any}``: the user changed a value
  (inline too: a custom message, not a trait sync, so it cannot arrive after
  the trigger that follows it).
- ``{"type": "event", "id": int, "event": str, "data": any, "value"?: any,
  "js_inputs"?: {fn_index: [value, ...]}}``: a trigger fired; ``value``, when
  present, is set first (as a "set"); ``js_inputs``: what a listener's
  ``js=`` function returned in the page, the inputs of that listener's ``fn``
  in place of the components' values (checked as "set" values are).
- ``{"type": "cancel", "event_id": str}``: stop that run of this session.
- ``{"type": "resync", "id": int, "prop": "value"}`` (``id`` standalone only):
  a delta did not fit the value the page holds; the reply is the component's
  whole value.
- ``{"type": "stream", "id": int, "event": "stream", "seq": int, "mime": str}``
  + the bytes of one captured frame (a webcam image, a chunk of microphone
  audio as WAV): a ``.stream`` trigger whose value is that frame. ``seq``
  counts the frames of one stream from 0 (0 starts a new stream: its
  ``time_limit`` counts from there). Standalone the message is one *binary*
  WebSocket frame (see :func:`pack_frame`), inline a custom message with the
  bytes as its one buffer: frames never travel as base64 in JSON.

Front-end → kernel only (notebook):

- ``{"type": "runtime"}``: a widget's stub asks for the shared JS runtime.
- ``{"type": "upload", "ref": str, "seq": int, "size": int, "name": str,
  "mime": str, "last": bool}`` + one buffer: chunk ``seq`` (from 0, at most
  4 MiB: jupyter-server closes kernel WebSockets on messages over 10 MiB) of
  a file of ``size`` bytes; ``ref`` names the upload. The reply to the last
  chunk is "uploaded"; a file over ``max_file_size`` gets "upload-error"
  (at its first chunk when ``size`` says so) and its other chunks are ignored.
- ``{"type": "fetch", "id": str}``: the page wants the bytes of file ``id``.
- ``{"type": "module", "name": str}``: the runtime wants a front-end module
  it loads on first use (``"viewer3d"``: Model3D's three.js viewer).

Server → client (standalone, a WebSocket frame holds one message, or a JSON
array of messages in order: what one turn of the server's loop produced for
that page, e.g. an ``update`` and the ``status`` that ends its run):

- ``{"type": "hello", "session_hash": str}``
- ``{"type": "update", "updates": [[id, {prop: value}], ...]}``; a ``value``
  may be a *delta* ``{"__delta__": [op, ...]}`` instead (see below).
- ``{"type": "status", "event_id": str, "fn_index": int, "status": str,
  "targets": [id], "show_progress": str, ...}``: one message per state change
  of a run (see ``nbdemo.engine.Run``); status is one of ``STATUSES``:

  - "queued": the run waits for a concurrency slot; ``rank`` (0 = next),
    ``queue_size`` (runs waiting) and ``eta`` (seconds until it should end,
    from the listener's recent run times; None while unknown). A run that
    needs not wait skips this status and starts "processing".
  - "processing": the function runs; ``progress`` is None or a list of
    ``{"index": int | None, "length": int | None, "unit": str,
    "progress": float | None, "desc": str | None}`` (Gradio's ProgressUnit:
    a fraction 0..1 in ``progress``, or ``index`` of ``length``), one per
    nested bar; repeated "processing" messages carry new progress (at most
    ~10 per second per run).
  - "generating": a generator yielded (the outputs' new values come in an
    ``update``). The engine reports one per yield; both front doors pass on
    only the first of a run (the page needs no more).
  - "complete", "error" (``message``, ``title``: shown as a toast;
    ``duration``: seconds it stays, None until closed, 0 not shown),
    "cancelled". ``time`` on these three: seconds the run processed.
- ``{"type": "log", "event_id": str, "level": "info" | "warning" | "success",
  "message": str, "title": str, "duration": seconds | None}``: ``gr.Info``,
  ``gr.Warning`` or ``gr.Success`` called while a run goes on (a toast).
- ``{"type": "error", "message": str}``: a malformed client message.
- ``{"type": "render", "id": int, "layout": node, "components": {id: {"kind":
  str, "props": {...}}}}``: a ``gr.render`` function ran for this session;
  the render's Column or Row ``id`` (empty in the page's config) now holds
  ``layout`` (that block's node, its children built by the run: nodes as in
  the config's layout, State left out) and the ``components`` it shows
  (kind and props, as in the config). A component the previous render
  message of the same ``id`` already had (a ``key=`` kept its id) stays on
  the page, with its DOM and what the user typed: its ``props`` leave out
  what it keeps (``preserved_by_key``) and the page applies the rest. The
  components of the previous message not in this one are gone (the server
  forgot them; later updates name only these). ``reload`` does not fit
  this: it rebuilds the whole page, with a new session, from a config that
  is the same for everyone, while a render belongs to one session.

Kernel → front-end only (notebook, on a widget's own comm):

- ``{"type": "runtime", "code": str}``: the runtime module's source.
- ``{"type": "delta", "prop": "value", "ops": [op, ...], "seq": int}``: the
  same delta for the widget's trait (set in the kernel without a sync);
  ``seq`` grows per demo, so each view applies a delta once.
- ``{"type": "uploaded", "ref": str, "file": FileData}``: upload ``ref`` is
  stored in the session's files.
- ``{"type": "upload-error", "ref": str, "message": str}``: upload ``ref``
  was refused.
- ``{"type": "file", "id": str, "error"?: str}`` + the file's bytes as one
  buffer (none with ``error``): the reply to "fetch".
- ``{"type": "module", "name": str, "code": str}`` (or ``"error": str``
  instead of ``code``): the reply to "module", the module's source.

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

import json
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
CANCEL = "cancel"
#: key of a delta in place of a prop's value: ``{"__delta__": [op, ...]}``
DELTA_KEY = "__delta__"

LOG = "log"
STREAM = "stream"
#: server → page: what a ``gr.render`` run of this session made (standalone; inline the
#: demo root's ``_renders`` trait carries its layout)
RENDER = "render"
#: server → page, in reload mode (``nbdemo app.py``): ``{"type": "reload", "error": None}``
#: the demo changed (the page fetches ``config`` again and re-renders);
#: ``{"type": "reload", "error": text}`` a reload failed (the page shows ``text``)
RELOAD = "reload"

STATUSES = ("queued", "processing", "generating", "complete", "error", "cancelled")
#: statuses that end a run
FINAL = ("complete", "error", "cancelled")
LOG_LEVELS = ("info", "warning", "success")


class EventMsg(TypedDict):
    type: Literal["event"]
    id: int
    event: str
    data: Any


class StreamMsg(TypedDict):
    """A captured frame; its bytes travel beside it (a binary frame or a buffer)."""

    type: Literal["stream"]
    id: int
    event: str
    seq: int
    mime: str


def pack_frame(header: dict, data: bytes) -> bytes:
    """A binary WebSocket frame: 4 bytes, the header's length (big-endian),
    then the header as UTF-8 JSON, then ``data``."""
    head = json.dumps(header, separators=(",", ":")).encode()
    return len(head).to_bytes(4, "big") + head + bytes(data)


def unpack_frame(frame: bytes, max_header: int = 4096) -> tuple[dict, memoryview]:
    """The header (a JSON object) and the payload of a frame made by
    :func:`pack_frame`. Raises ``ValueError`` for a malformed frame."""
    view = memoryview(frame)
    if len(view) < 4:
        raise ValueError("binary message too short")
    n = int.from_bytes(view[:4], "big")
    if n > max_header or n > len(view) - 4:
        raise ValueError(f"binary message: bad header length {n}")
    try:
        header = json.loads(bytes(view[4:4 + n]))
    except ValueError:
        raise ValueError("binary message: the header is not JSON") from None
    if not isinstance(header, dict):
        raise ValueError("binary message: the header must be a JSON object")
    return header, view[4 + n:]


class SetMsg(TypedDict):
    type: Literal["set"]
    id: int
    value: Any


class ProgressUnit(TypedDict):
    index: int | None
    length: int | None
    unit: str
    progress: float | None
    desc: str | None


class StatusMsg(TypedDict, total=False):
    type: Literal["status"]
    event_id: str
    fn_index: int
    status: str
    targets: list[int]
    show_progress: str
    rank: int | None
    queue_size: int | None
    eta: float | None
    progress: list[ProgressUnit] | None
    message: str | None
    title: str | None
    duration: float | None
    time: float | None


class LogMsg(TypedDict):
    type: Literal["log"]
    event_id: str
    level: str
    message: str
    title: str
    duration: float | None


def status(event_id: str, fn_index: int, state: str, targets: list[int], *,
           show_progress: str = "full", **fields: Any) -> StatusMsg:
    """A status message; ``fields`` are the optional keys of :class:`StatusMsg`."""
    return {"type": STATUS, "event_id": event_id, "fn_index": fn_index, "status": state,
            "targets": targets, "show_progress": show_progress, **fields}  # type: ignore[typeddict-item]


def log(event_id: str, level: str, message: str, *, title: str = "",
        duration: float | None = 10) -> LogMsg:
    return {"type": LOG, "event_id": event_id, "level": level, "message": message,
            "title": title, "duration": duration}


def error(message: str) -> dict:
    return {"type": ERROR, "message": message}


def update(updates: list[tuple[int, dict]]) -> dict:
    return {"type": UPDATE, "updates": [[i, p] for i, p in updates]}


def render(block_id: int, layout: dict, components: dict[str, dict]) -> dict:
    return {"type": RENDER, "id": block_id, "layout": layout, "components": components}


# -- notebook only (a widget's own comm) ---------------------------------------------------

UPLOAD = "upload"
UPLOADED = "uploaded"
UPLOAD_ERROR = "upload-error"
FETCH = "fetch"
FILE = "file"
MODULE = "module"


class RuntimeRequest(TypedDict):
    type: Literal["runtime"]


class RuntimeMsg(TypedDict):
    type: Literal["runtime"]
    code: str


class _Resync(TypedDict):
    type: Literal["resync"]
    prop: str


class ResyncMsg(_Resync, total=False):
    #: standalone only
    id: int


class UploadMsg(TypedDict):
    """One chunk; the chunk's bytes travel as the message's one buffer."""

    type: Literal["upload"]
    ref: str
    seq: int
    size: int
    name: str
    mime: str
    last: bool


class UploadedMsg(TypedDict):
    type: Literal["uploaded"]
    ref: str
    file: dict[str, Any]


class UploadErrorMsg(TypedDict):
    type: Literal["upload-error"]
    ref: str
    message: str


class FetchMsg(TypedDict):
    type: Literal["fetch"]
    id: str


class _File(TypedDict):
    type: Literal["file"]
    id: str


class FileMsg(_File, total=False):
    """The reply to "fetch"; the bytes travel as the message's one buffer
    (none when ``error`` says why not)."""

    error: str


class DeltaMsg(TypedDict):
    type: Literal["delta"]
    prop: str
    ops: list
    seq: int


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
