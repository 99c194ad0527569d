"""Tornado handlers of the HTTP API (Gradio's routes, under ``/gradio_api``).

Routes of a demo mounted at ``<prefix>`` (see :func:`nbdemo.api.routes`)::

    GET  <prefix>config                              Gradio's config (gradio_client reads it first)
    GET  <prefix>gradio_api/info                     named endpoints: parameters, returns, snippets
    POST <prefix>gradio_api/call/<api_name>          {"data": [...], "session_hash"?} → {"event_id"}
    POST <prefix>gradio_api/call/v2/<api_name>       {"<parameter>": value, ...}  → {"event_id"}
    GET  <prefix>gradio_api/call/<api_name>/<id>     SSE: generating*, then complete | error
    POST <prefix>gradio_api/queue/join               {"data", "fn_index", "session_hash"} → {"event_id"}
    GET  <prefix>gradio_api/queue/data?session_hash= SSE of every call of that session
    GET  <prefix>gradio_api/heartbeat/<session_hash> SSE that keeps the session alive
    POST <prefix>gradio_api/cancel | reset           {"event_id", "session_hash"?}: cancel a call
    POST <prefix>gradio_api/upload                   multipart "files" → ["<path>", ...]
    GET  <prefix>gradio_api/file=<path>              a file of a call's output (or an upload)

Errors are JSON: ``{"error": message, "detail": ...}`` with 404 (unknown
endpoint, event or file), 422 (malformed body or input, naming the
parameter, in the form ``gradio_client`` reports), 413 (too large) or 503
(queue full).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any
from urllib.parse import unquote

import tornado.web

from .. import files
from ..server.handlers import (
    MAX_MESSAGE,
    BaseHandler,
    FileHandler,
    public_base,
    request_of,
    same_origin,
)
from . import describe
from .samples import sample_url
from .session import ApiHub, ApiSession, Call, InputError, parse_file_ref

log = logging.getLogger("nbdemo")

#: Seconds between heartbeats on an idle SSE stream (proxies drop silent ones).
HEARTBEAT = 15.0

#: Seconds an idle queue/data stream stays open before ``close_stream``: a
#: client that calls again within it gets its messages on the open stream.
STREAM_LINGER = 0.5

#: Seconds a queue/join answer waits for a run that finishes fast, when the
#: session's queue/data stream is open (see :class:`JoinHandler`).
JOIN_GRACE = 0.05

#: Largest multipart body POSTed to /upload when the demo sets no ``max_file_size`` (bytes).
#: Multipart bodies are parsed in memory; the page's own uploads stream to disk.
MAX_API_UPLOAD = 1024**3

_HASH = re.compile(r"[A-Za-z0-9_\-]{1,64}")


class ApiHandler(BaseHandler):
    """Base of the API routes: JSON errors, Origin check on POST, the mount's hub."""

    def initialize(self, mount, hub: ApiHub) -> None:  # type: ignore[override]
        self.mount = mount
        self.hub = hub
        self.engine = mount.engine

    def compute_etag(self) -> None:
        return None  # API answers are per call: no ETag (tornado would hash every body)

    def fail(self, status: int, message: str, detail: Any = None) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message, "detail": detail if detail is not None else message}))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": self._reason, "detail": self._reason}))

    def check_post(self) -> bool:
        """Refuse a POST from another site's page (browsers send Origin)."""
        if not same_origin(self):
            self.fail(403, "cross-origin API requests from a web page are refused")
            return False
        return True

    def body_json(self) -> Any:
        """The JSON body; on a problem replies (413/422) and returns ``...``."""
        if len(self.request.body) > MAX_MESSAGE:
            self.fail(413, f"request body too large ({files.human_size(len(self.request.body))})")
            return ...
        try:
            return json.loads(self.request.body or b"null")
        except (ValueError, RecursionError) as e:
            self.fail(422, f"the body is not JSON: {e}",
                      [{"type": "json_invalid", "loc": ["body"], "msg": f"JSON decode error: {e}"}])
            return ...

    def event_stream(self) -> None:
        """Start an SSE response: uncompressed, so each event leaves at once."""
        self._transforms = []  # tornado would gzip text/* (compress_response) and buffer it
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")  # nginx: pass each event on at once

    async def wait_or_beat(self, event: asyncio.Event, beat: str) -> None:
        """Wait for ``event``; after ``HEARTBEAT`` seconds of silence write ``beat``
        instead (proxies drop a silent stream)."""
        try:
            await asyncio.wait_for(event.wait(), HEARTBEAT)
        except asyncio.TimeoutError:
            self.write(beat)

    def base_url(self) -> str:
        return public_base(self.request, self.mount.prefix)

    def sample_url(self, kind: str) -> str | None:
        return sample_url(self.base_url(), kind)

    def session_for(self, session_hash: Any) -> ApiSession | None:
        if session_hash is not None and (not isinstance(session_hash, str) or not _HASH.fullmatch(session_hash)
                                         or session_hash in ("app", "upload")):
            self.fail(422, "session_hash must be 1-64 letters, digits, '-' or '_'")
            return None
        s = self.hub.session(session_hash)
        s.base = self.base_url()
        # what fn sees as gr.Request: this request's headers and peer, the logged-in user
        s.request = request_of(self.request, s.session_hash)
        s.request.username = self.current_user
        return s

    def start(self, session: ApiSession, ep: describe.Endpoint, data: Any, *, via_call: bool) -> Call | None:
        """Check the inputs and start the run; replies with an error and returns None on a problem."""
        if not isinstance(data, list):
            self.fail(422, "'data' must be a list of input values",
                      [{"type": "list_type", "loc": ["body", "data"], "msg": "Input should be a valid list"}])
            return None
        params = describe.parameters_of(ep)
        try:
            inputs = session.inputs(ep, data, params)
        except InputError as e:
            self.fail(422, str(e), [{"__type__": "validate", "is_valid": False, "type": "value_error",
                                     "loc": ["body", "data", e.parameter], "parameter_name": e.parameter,
                                     "message": e.message, "msg": e.message}])
            return None
        refused = self.engine.refuses(ep.fn_index)
        if refused:
            self.fail(503, f"Queue is full: {refused}")
            return None
        run = self.engine.call(session, ep.fn_index, inputs)
        call = session.calls[run.event_id] = self.hub.calls[run.event_id] = \
            Call(session, run, ep, via_call=via_call)
        return call


# -- documents ---------------------------------------------------------------------------

class GradioConfigHandler(ApiHandler):
    """GET <prefix>config: what gradio_client and @gradio/client read first."""

    def get(self) -> None:
        app = self.engine.app.fresh()
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(describe.config(app, root=self.base_url().rstrip("/"),
                                              max_file_size=self.mount.max_file_size,
                                              show_error=self.engine.show_error)))


class InfoHandler(ApiHandler):
    """GET <prefix>gradio_api/info: the public endpoints with parameters, returns and snippets."""

    def get(self) -> None:
        app = self.engine.app.fresh()
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(describe.info(app, self.sample_url, root=self.base_url())))


# -- /call (curl) ----------------------------------------------------------------------------

class CallHandler(ApiHandler):
    """POST <prefix>gradio_api/call[/v2]/<api_name>: start a call; GET …/<event_id>: its SSE."""

    def _endpoint(self, api_name: str) -> describe.Endpoint | None:
        ep = describe.find(self.engine.app.fresh(), api_name)
        if ep is None:
            names = [e.api_name for e in describe.endpoints(self.engine.app) if e.visibility == "public"]
            self.fail(404, f"no API endpoint named /{api_name[:80]}; this demo has: "
                           f"{', '.join('/' + n for n in names) or 'none'}")
        return ep

    def post(self, v2: str | None, api_name: str) -> None:
        if not self.check_post():
            return
        ep = self._endpoint(api_name)
        if ep is None:
            return
        body = self.body_json()
        if body is ...:
            return
        if not isinstance(body, dict):
            return self.fail(422, "the body must be a JSON object")
        if v2:
            params = describe.parameters(ep)
            known = {p["parameter_name"] for p in params}
            unknown = [k for k in body if k not in known and k != "session_hash"]
            if unknown:
                return self.fail(422, f"unknown parameter {unknown[0]!r:.80}; /{ep.api_name} takes: "
                                      f"{', '.join(sorted(known)) or 'none'}")
            data = []
            for p in params:
                if p["parameter_name"] in body:
                    data.append(body[p["parameter_name"]])
                elif p["parameter_has_default"]:
                    data.append(p["parameter_default"])
                else:
                    return self.fail(422, f"{p['parameter_name']}: missing (this parameter has no default)")
        else:
            data = body.get("data", [])
        session = self.session_for(body.get("session_hash"))
        if session is None:
            return
        session.one_shot = body.get("session_hash") is None
        call = self.start(session, ep, data, via_call=True)
        if call is not None:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"event_id": call.run.event_id}))

    async def get(self, v2: str | None, api_name: str, event_id: str) -> None:
        call = self.hub.call(event_id)
        if call is None or call.ep.api_name != api_name.strip("/"):
            return self.fail(404, f"no call {event_id[:40]} of /{api_name[:80]} (unknown, or its "
                                  "result was already read or has expired)")
        session = call.session
        session.streams += 1
        self.closed = False
        self._call = call
        self.event_stream()
        sent = 0
        try:
            while not self.closed:
                while sent < len(call.events):
                    kind, data = call.events[sent]
                    sent += 1
                    self.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n")
                if not (call.finished and sent >= len(call.events) and not self._headers_written):
                    # (a call already over goes out in one response with a length: one write)
                    await self.flush()
                if call.finished and sent >= len(call.events):
                    session.calls.pop(event_id, None)
                    self.hub.calls.pop(event_id, None)
                    if getattr(session, "one_shot", False) and not session.calls \
                            and not session.files.entries:
                        self.hub.end(session)  # a curl call's own session: nothing left to fetch
                    break
                call.wake.clear()
                await self.wait_or_beat(call.wake, "event: heartbeat\ndata: null\n\n")
        except tornado.iostream.StreamClosedError:
            pass
        finally:
            session.streams -= 1
            session.touch()
            if self.closed and not call.run.done():
                # the only reader left: nobody will read the result
                self.engine.cancel_run(session, event_id)
        if not self.closed:
            self.finish()

    def on_connection_close(self) -> None:
        self.closed = True
        call = getattr(self, "_call", None)
        if call is not None:
            call.wake.set()


# -- queue (gradio_client, @gradio/client) ------------------------------------------------

class JoinHandler(ApiHandler):
    """POST <prefix>gradio_api/queue/join: start a call; its messages go to queue/data.

    When the session's queue/data stream is already open, the answer (the
    ``event_id``) waits up to ``JOIN_GRACE`` seconds for the run to finish and
    its ``process_completed`` to be written to that stream. ``gradio_client``
    looks for a call's messages as soon as it has the event_id and otherwise
    sleeps 50 ms between looks; answering after the result has left turns a
    fast ``predict`` from 50+ ms into about two round trips. Gradio answers at
    once; a slower run only delays the event_id by ``JOIN_GRACE``.
    """

    async def post(self) -> None:
        if not self.check_post():
            return
        body = self.body_json()
        if body is ...:
            return
        if not isinstance(body, dict):
            return self.fail(422, "the body must be a JSON object")
        fn_index = body.get("fn_index")
        eps = describe.endpoints(self.engine.app.fresh())
        if isinstance(fn_index, bool) or not isinstance(fn_index, int) or not 0 <= fn_index < len(eps) \
                or not eps[fn_index].callable:
            return self.fail(404, f"no API endpoint with fn_index {str(fn_index)[:20]}")
        session = self.session_for(body.get("session_hash"))
        if session is None:
            return
        call = self.start(session, eps[fn_index], body.get("data", []), via_call=False)
        if call is not None:
            if session.data_streams and JOIN_GRACE > 0:
                try:
                    await asyncio.wait_for(call.delivered.wait(), JOIN_GRACE)
                except asyncio.TimeoutError:
                    pass
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"event_id": call.run.event_id}))


class DataHandler(ApiHandler):
    """GET <prefix>gradio_api/queue/data?session_hash=H: the session's call messages as SSE.

    Ends with ``close_stream`` once the session has had no unfinished call and
    nothing to send for ``STREAM_LINGER`` seconds (the client then opens a new
    stream for its next call).
    """

    async def get(self) -> None:
        h = self.get_query_argument("session_hash", "")
        session = self.hub.sessions.get(h)
        if session is None:
            return self.fail(404, "no such session: join a call first (POST queue/join)")
        session.streams += 1
        session.data_streams += 1
        self.closed = False
        self.event_stream()
        try:
            while not self.closed and not session.closed:
                out, session.outbox = session.outbox, []
                done = []
                for msg in out:
                    self.write("data: " + json.dumps(msg, separators=(",", ":")) + "\n\n")
                    if msg.get("msg") == "process_completed":
                        call = session.calls.get(msg["event_id"])
                        if call is not None and not call.via_call:
                            session.calls.pop(msg["event_id"], None)
                            done.append(call)
                if done:
                    await self.flush()
                    for call in done:
                        call.delivered.set()
                if not session.outbox and not any(not c.via_call and not c.finished
                                                   for c in session.calls.values()):
                    # idle: linger a moment, so a client calling again soon finds its
                    # stream open (gradio_client then reads the result without waiting
                    # for a new stream), then close it
                    await self.flush()
                    session.wake.clear()
                    try:
                        await asyncio.wait_for(session.wake.wait(), STREAM_LINGER)
                        continue
                    except asyncio.TimeoutError:
                        self.write('data: {"msg":"close_stream","event_id":null}\n\n')
                        await self.flush()
                        break
                await self.flush()
                session.wake.clear()
                if session.outbox:
                    continue
                await self.wait_or_beat(session.wake, 'data: {"msg":"heartbeat"}\n\n')
        except tornado.iostream.StreamClosedError:
            pass
        finally:
            session.streams -= 1
            session.data_streams -= 1
            session.touch()
            if self.closed:  # the client went away: nobody will read these calls' results
                for eid, c in list(session.calls.items()):
                    if not c.via_call and not c.run.done():
                        self.engine.cancel_run(session, eid)
        if not self.closed:
            self.finish()

    def on_connection_close(self) -> None:
        self.closed = True
        h = self.get_query_argument("session_hash", "")
        s = self.hub.sessions.get(h)
        if s is not None:
            s.wake.set()


class HeartbeatHandler(ApiHandler):
    """GET <prefix>gradio_api/heartbeat/<session_hash>: an SSE stream that keeps
    the API session alive while the client holds it open."""

    async def get(self, session_hash: str) -> None:
        session = self.session_for(session_hash)
        if session is None:
            return
        session.streams += 1
        self.closed = False
        self.event_stream()
        try:
            while not self.closed and not session.closed:
                self.write('data: {"msg":"heartbeat"}\n\n')
                await self.flush()
                self._wake = asyncio.Event()
                await self.wait_or_beat(self._wake, "")
        except tornado.iostream.StreamClosedError:
            pass
        finally:
            session.streams -= 1
            session.touch()
        if not self.closed:
            self.finish()

    def on_connection_close(self) -> None:
        self.closed = True
        wake = getattr(self, "_wake", None)
        if wake is not None:
            wake.set()


class CancelHandler(ApiHandler):
    """POST <prefix>gradio_api/cancel or reset: {"event_id", "session_hash"?}: stop a call."""

    def post(self) -> None:
        if not self.check_post():
            return
        body = self.body_json()
        if body is ...:
            return
        event_id = body.get("event_id") if isinstance(body, dict) else None
        call = self.hub.call(event_id) if isinstance(event_id, str) else None
        h = body.get("session_hash") if isinstance(body, dict) else None
        if call is None or (h is not None and call.session.session_hash != h):
            return self.fail(404, "no such call")
        done = self.engine.cancel_run(call.session, event_id)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"success": done}))


# -- files -------------------------------------------------------------------------------

class ApiUploadHandler(ApiHandler):
    """POST <prefix>gradio_api/upload: multipart/form-data with "files" fields;
    replies with each file's API path (a key to pass as a FileData ``path``)."""

    def prepare(self) -> None:
        limit = self.mount.max_file_size
        cap = MAX_API_UPLOAD if limit is None else limit + 64 * 1024  # room for the multipart framing
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            self.fail(413, f"upload too large: {files.human_size(int(length))}; "
                           f"the limit is {files.human_size(limit or MAX_API_UPLOAD)}")

    def post(self) -> None:
        if not self.check_post():
            return
        sent = self.request.files.get("files") or [f for fs in self.request.files.values() for f in fs]
        if not sent:
            return self.fail(422, "no file: send multipart/form-data with one or more 'files' fields")
        limit = self.mount.max_file_size
        paths = []
        for f in sent:
            if limit is not None and len(f["body"]) > limit:
                return self.fail(413, f"{f['filename'][:80]}: file too large "
                                      f"({files.human_size(len(f['body']))}; the limit is {files.human_size(limit)})")
        for f in sent:
            fd = self.hub.uploads.add_bytes(f["body"], f.get("filename") or "upload",
                                            f.get("content_type") or None)
            self.hub.uploads.get(fd["id"]).uploaded = True
            paths.append(f"upload/{fd['id']}/{fd['orig_name']}")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(paths))


class ApiFileHandler(FileHandler):
    """GET <prefix>gradio_api/file=<owner>/<id>/<name>: a file a call produced
    (owner: its API session), an upload, or a file of the app; by key, never by
    disk path. Served as the page's files are (see FileHandler)."""

    def initialize(self, mount, hub: ApiHub) -> None:  # type: ignore[override]
        super().initialize(mount)
        self.hub = hub

    async def get(self, ref: str, include_body: bool = True) -> None:  # type: ignore[override]
        parsed = parse_file_ref(unquote(ref))
        if parsed is None:
            raise tornado.web.HTTPError(404)
        owner, file_id = parsed
        name = unquote(ref).split("/", 2)[2]
        if owner == "app":
            store = files.app_store()
        elif owner == "upload":
            store = self.hub.uploads
        else:
            s = self.hub.sessions.get(owner)
            store = s.files if s is not None else None
        self.entry = store.get(file_id) if store is not None else None
        if self.entry is None or not self.entry.path.is_file() or name != self.entry.orig_name:
            raise tornado.web.HTTPError(404)
        self.root = str(self.entry.path.parent)
        await tornado.web.StaticFileHandler.get(self, self.entry.path.name, include_body)

    def head(self, ref: str):  # type: ignore[override]
        return self.get(ref, include_body=False)


class NotFoundHandler(ApiHandler):
    """Any other <prefix>gradio_api/… path: 404 with JSON."""

    def prepare(self) -> None:
        self.fail(404, f"no API route {self.request.path[:120]}")
