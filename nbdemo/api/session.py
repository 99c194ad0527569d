"""API client sessions and the calls they make; no tornado here.

An *API session* is what ``gradio_client`` calls a ``session_hash``: each
``Client`` picks one, and its calls share State and values; a curl ``/call``
without one gets a session of its own, ended once its result is read (unless
it produced files, which stay downloadable until it is idle). API sessions live apart from page
sessions (an API client can never join a page's session, and the other way
round), and end when idle: no open stream, no unfinished run, and nothing
asked of them for ``SESSION_TTL`` seconds. Their files (outputs, and uploads
they used) are removed then.

Each run an API client starts is a :class:`Call`. The engine reports the run's
statuses to the session (``emit``); the call turns them into the two shapes
Gradio's API streams use:

- ``queue/data`` (``gradio_client``, ``@gradio/client``): one stream per
  session of ``{"msg": "estimation" | "process_starts" | "progress" |
  "process_generating" | "process_completed" | "log", "event_id": …}``;
  generator outputs after the first are diffs (Gradio's ``sse_v3``);
- ``call/<api_name>/<event_id>`` (curl): ``event: generating`` per yield,
  then ``event: complete`` or ``event: error``, each with whole values.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import quote, unquote

from .. import files, protocol
from ..engine import Session
from ..errors import Error
from .describe import API_PREFIX, Endpoint

#: Seconds an idle API session (and its files) is kept.
SESSION_TTL = 600.0


class InputError(ValueError):
    """A bad input value; the door answers 422 naming ``parameter``."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


# -- files ---------------------------------------------------------------------------------

def file_path(owner: str, fd: dict) -> str:
    """The API ``path`` of a file: ``<owner>/<id>/<name>`` (a key, never a disk path)."""
    return f"{owner}/{fd['id']}/{fd.get('orig_name') or 'file'}"


def gradio_file(fd: dict, owner: str, base: str) -> dict:
    """An nbdemo FileData as Gradio's FileData, with a URL this server serves."""
    path = file_path(owner, fd)
    return {"path": path, "url": f"{base}{API_PREFIX.lstrip('/')}/file={quote(path)}",
            "size": fd.get("size"), "orig_name": fd.get("orig_name"),
            "mime_type": fd.get("mime_type"), "is_stream": False,
            "meta": {"_type": "gradio.FileData"}}


def parse_file_ref(ref: str) -> tuple[str, str] | None:
    """(owner, id) from an API file path or a ``…/gradio_api/file=…`` URL; None otherwise."""
    if "://" in ref:
        marker = API_PREFIX + "/file="
        if marker not in ref:
            return None
        ref = unquote(ref.split(marker, 1)[1].split("?", 1)[0])
    parts = ref.split("/")
    if len(parts) < 3 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]


def _is_gradio_file(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("meta"), dict) \
        and value["meta"].get("_type") == "gradio.FileData"


# -- diffs (Gradio's sse_v2+ streaming format) -----------------------------------------

def gradio_diff(old: Any, new: Any, path: list | None = None) -> list:
    """Edits ``[action, path, value]`` that turn ``old`` into ``new``, in the form
    ``gradio_client``'s ``apply_diff`` applies: "append" for a grown string,
    "add" for new list items and keys, "replace" otherwise."""
    path = path or []
    if type(old) is type(new) and old == new:
        return []
    if isinstance(old, str) and isinstance(new, str) and old and new.startswith(old):
        return [["append", path, new[len(old):]]]
    if type(old) is list and type(new) is list and len(new) >= len(old):
        ops: list = []
        for i, (a, b) in enumerate(zip(old, new)):
            ops += gradio_diff(a, b, [*path, i])
        ops += [["add", [*path, i], new[i]] for i in range(len(old), len(new))]
        return ops
    if type(old) is dict and type(new) is dict and all(k in new for k in old):
        ops = []
        for k, b in new.items():
            ops += gradio_diff(old[k], b, [*path, k]) if k in old else [["add", [*path, k], b]]
        return ops
    return [["replace", path, new]]


# -- sessions ---------------------------------------------------------------------------

class ApiSession(Session):
    """One API client's values, State and files."""

    def __init__(self, engine, session_hash: str, hub: ApiHub):
        super().__init__(engine, session_hash)
        self.hub = hub
        #: calls by event_id (unfinished, or finished and not yet fetched)
        self.calls: dict[str, Call] = {}
        #: queue/data messages not yet sent, and a wake-up for the stream
        self.outbox: list[dict] = []
        self.wake = asyncio.Event()
        #: open streams (queue/data, heartbeat, call GET); never idle while > 0
        self.streams = 0
        #: open queue/data streams (a join can hold its answer for one: see JoinHandler)
        self.data_streams = 0
        self.last_seen = time.monotonic()
        #: base URL of the mount as the client sees it ("http://host:port/prefix/")
        self.base = "/"

    def touch(self) -> None:
        self.last_seen = time.monotonic()

    def idle_for(self, now: float) -> float:
        if self.streams or any(not c.run.done() for c in self.calls.values()):
            return 0.0
        return now - self.last_seen

    # engine → door
    def emit(self, msg: dict) -> None:
        if self.closed:
            return
        call = self.calls.get(msg.get("event_id"))
        if call is not None:
            call.on_message(msg)

    def deliver(self, msg: dict) -> None:  # pragma: no cover - API sessions do not hold statuses
        self.emit(msg)

    def apply(self, updates) -> None:
        for comp, props in updates:
            self.remember(comp, props)

    def queue_send(self, msg: dict) -> None:
        self.outbox.append(msg)
        self.wake.set()

    # door → engine
    def inputs(self, ep: Endpoint, data: list, params: list[dict]) -> dict[int, Any]:
        """Checked wire values by component id for ``data`` (positional API
        values: one per parameter, or one per input with State slots ignored,
        as ``gradio_client`` sends them). Missing trailing parameters take
        their defaults. Raises :class:`InputError` naming the parameter."""
        inputs = ep.dep.inputs
        if len(data) == len(inputs) and len(inputs) != len(params):
            pairs = [(c, v) for c, v in zip(inputs, data) if c._kind != "state"]
        elif len(data) <= len(params):
            pairs = []
            for i, p in enumerate(params):
                comp = self.engine.app.blocks[p["_id"]]
                if i < len(data):
                    pairs.append((comp, data[i]))
                elif p["parameter_has_default"]:
                    pairs.append((comp, comp.value))
                else:
                    raise InputError(p["parameter_name"], "missing (this parameter has no default)")
        else:
            raise InputError("data", f"expected {len(params)} value(s) (one per parameter: "
                             f"{', '.join(p['parameter_name'] for p in params) or 'none'}), got {len(data)}")
        names = {p["_id"]: p["parameter_name"] for p in params}
        out = {}
        for comp, value in pairs:
            name = names.get(comp._id, f"param_{comp._id}")
            try:
                value = self._files_in(value, comp)
                with files.using(self.files):
                    value = out[comp._id] = comp.validate_wire(value)
                check = getattr(comp, "_check", None)  # choices: refused here, not in the run
                if check is not None and value is not None:
                    for v in value if isinstance(value, list) else [value]:
                        check(v)
            except InputError:
                raise
            except (ValueError, TypeError) as e:
                raise InputError(name, str(e)) from None
            except Error as e:
                raise InputError(name, e.message) from None
        return out

    def _files_in(self, value: Any, comp) -> Any:
        """Gradio FileData (an /upload path, or a file URL of this server) → nbdemo FileData."""
        kind = comp._kind
        file_kind = getattr(comp, "HEAVY", False) or kind in ("file", "uploadbutton", "model3d")
        if isinstance(value, str) and file_kind and kind not in ("multimodaltextbox",):
            value = {"path": value, "meta": {"_type": "gradio.FileData"}}
        return self._walk_in(value, file_kind)

    def _walk_in(self, value: Any, file_kind: bool) -> Any:
        if isinstance(value, dict):
            ref = value.get("path") or value.get("url")
            if isinstance(ref, str) and (_is_gradio_file(value) or (file_kind and "path" in value)):
                return self._resolve(ref)
            return {k: self._walk_in(v, file_kind) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk_in(v, file_kind) for v in value]
        return value

    def _resolve(self, ref: str) -> dict:
        parsed = parse_file_ref(ref)
        if parsed is None:
            if "://" in ref:
                raise ValueError("nbdemo does not fetch files from other servers: upload the file "
                                 f"first (POST {API_PREFIX}/upload; gradio_client's handle_file does it)")
            raise ValueError(f"unknown file {ref[:80]!r}: upload it first (POST {API_PREFIX}/upload)")
        owner, file_id = parsed
        if owner == "upload":
            entry = self.hub.uploads.get(file_id)
            if entry is None:
                raise ValueError("that upload is unknown or has expired")
            fd = self.files.add_path(entry.path, entry.orig_name, entry.mime_type)
            self.files.get(fd["id"]).uploaded = True  # still a client's file (never framed)
            return fd
        store = files.app_store() if owner == "app" else self.files if owner == self.session_hash else None
        entry = store.get(file_id) if store is not None else None
        if entry is None:
            raise ValueError("that file is not part of this session (it may have expired)")
        return entry.file_data(file_id)

    def files_out(self, value: Any) -> Any:
        """nbdemo FileData in an output → Gradio FileData with download URLs."""
        def one(fd: dict) -> dict:
            owner = "app" if self.files.get(fd["id"]) is None and files.app_store().get(fd["id"]) \
                else self.session_hash
            return gradio_file(fd, owner, self.base)

        return files.walk(value, one) if files.contains_file(value) else value


class Call:
    """One API-started run, and what its streams still have to send."""

    def __init__(self, session: ApiSession, run, ep: Endpoint, *, via_call: bool):
        self.session = session
        self.run = run
        self.ep = ep
        #: started by POST /call (curl's stream) rather than queue/join
        self.via_call = via_call
        #: ("generating" | "complete" | "error" | …, data) for the call/ GET stream
        self.events: list[tuple[str, Any]] = []
        self.wake = asyncio.Event()
        self._sent: list | None = None  # last generating data sent on queue/data
        self._started = False
        self.finished = False
        #: set once queue/data has written this call's ``process_completed`` to its socket
        self.delivered = asyncio.Event()

    def data(self) -> list:
        """The outputs as API values: State as null (it stays on the server),
        files as Gradio FileData with URLs."""
        out = self.run.output or [None] * len(self.ep.dep.outputs)
        return [None if c._kind == "state" else self.session.files_out(v)
                for c, v in zip(self.ep.dep.outputs, out)]

    def _event(self, kind: str, data: Any) -> None:
        self.events.append((kind, data))
        self.wake.set()

    def on_message(self, msg: dict) -> None:
        eid = self.run.event_id
        s = self.session
        kind = msg.get("type")
        if kind == protocol.LOG:
            entry = {"msg": "log", "event_id": eid, "log": msg.get("message"),
                     "level": msg.get("level"), "duration": msg.get("duration"),
                     "visible": True, "title": msg.get("title")}
            self._queue(entry)
            self._event("log", {k: entry[k] for k in ("log", "level", "title")})
            return
        if kind != protocol.STATUS:
            return
        status = msg.get("status")
        if status == "queued":
            self._queue({"msg": "estimation", "event_id": eid, "rank": msg.get("rank") or 0,
                         "queue_size": msg.get("queue_size"), "rank_eta": msg.get("eta")})
        elif status == "processing":
            if not self._started:
                self._started = True
                self._queue({"msg": "process_starts", "event_id": eid, "eta": msg.get("eta")})
            if msg.get("progress"):
                self._queue({"msg": "progress", "event_id": eid, "progress_data": msg["progress"]})
                self._event("progress", msg["progress"])
        elif status == "generating":
            data = self.data()
            if self._sent is None:
                sent = data
            else:
                sent = [gradio_diff(a, b) for a, b in zip(self._sent, data)]
            self._sent = data
            self._queue({"msg": "process_generating", "event_id": eid,
                         "output": {"data": sent, "is_generating": True}, "success": True})
            self._event("generating", data)
        elif status in protocol.FINAL:
            self.finished = True
            took = msg.get("time")
            if status == "complete":
                data = self.data()
                self._queue({"msg": "process_completed", "event_id": eid,
                             "output": {"data": data, "is_generating": False, "duration": took,
                                        "average_duration": None},
                             "success": True, "title": None})
                self._event("complete", data)
            else:
                message = msg.get("message") if status == "error" else "Cancelled"
                title = msg.get("title") if status == "error" else "Cancelled"
                error = {"error": message, "duration": msg.get("duration"),
                         "visible": message is not None, "title": title}
                self._queue({"msg": "process_completed", "event_id": eid, "output": error,
                             "success": False, "title": title})
                self._event("error", error)
            s.touch()

    def _queue(self, msg: dict) -> None:
        if not self.via_call:
            self.session.queue_send(msg)


class ApiHub:
    """The API state of one mounted demo: its API sessions and uploads."""

    def __init__(self, mount):
        self.mount = mount
        self.sessions: dict[str, ApiSession] = {}
        #: files POSTed to /upload, by id, until a call uses them (or they age out)
        self.uploads = files.FileStore("api-upload")
        self.ttl = SESSION_TTL
        #: every call by event_id (entries whose session dropped them are pruned on sweep)
        self.calls: dict[str, Call] = {}

    @property
    def engine(self):
        return self.mount.engine

    def session(self, session_hash: str | None) -> ApiSession:
        """The API session ``session_hash`` (made on first use), or a new one."""
        s = self.sessions.get(session_hash) if session_hash else None
        if s is None or s.closed:
            s = ApiSession(self.engine, session_hash or None, self)
            self.sessions[s.session_hash] = s
        s.touch()
        return s

    def call(self, event_id: str) -> Call | None:
        c = self.calls.get(event_id)
        if c is not None and c.session.calls.get(event_id) is not c:
            self.calls.pop(event_id, None)  # fetched, or its session ended
            return None
        return c

    def sweep(self, max_age: float | None = None) -> None:
        """End idle sessions; remove uploads older than ``max_age`` (default: the TTL)."""
        now = time.monotonic()
        for s in list(self.sessions.values()):
            if s.idle_for(now) > self.ttl:
                self.end(s)
        self.calls = {k: c for k, c in self.calls.items() if c.session.calls.get(k) is c}
        self.uploads.sweep(self.ttl if max_age is None else min(max_age, self.ttl))
        for s in self.sessions.values():
            if max_age is not None:
                s.files.sweep(max_age)

    def end(self, s: ApiSession) -> None:
        self.sessions.pop(s.session_hash, None)
        s.wake.set()
        s.close()

    def close(self) -> None:
        for s in list(self.sessions.values()):
            self.end(s)
        self.uploads.close()
