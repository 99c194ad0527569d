"""An ASGI application served by a tornado handler, on tornado's own asyncio
loop: how the MCP SDK's HTTP transports (ASGI, built on Starlette) live on
nbdemo's server, so MCP has the same port, login, Host check and doors
(standalone, the Jupyter door's proxy, share links) as the rest of the API.

The bridge handles one HTTP request per handler (ASGI ``http`` scope, version
3.0): the request body, already read by tornado, is the first ``receive()``
message; later ``receive()`` calls wait until the client goes away (or the
response is finished) and return ``http.disconnect``. ``send()`` writes the
status and headers, then each body chunk, flushing each one that has more to
follow, so server-sent events leave at once. No lifespan, no WebSocket.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.iostream
import tornado.web

from .handlers import ApiHandler

log = logging.getLogger("nbdemo")

Asgi = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


class AsgiHandler(tornado.web.RequestHandler):
    """Mixin for a tornado handler that answers with an ASGI app (:meth:`serve_asgi`)."""

    def scope(self, root_path: str = "", **extra: Any) -> dict:
        """The ASGI scope of this request; ``extra`` keys are added to it (an
        app reads them from ``request.scope``)."""
        r = self.request
        host, _, port = (r.host or "").rpartition(":") if ":" in (r.host or "") else (r.host, "", "")
        address = getattr(r.connection, "context", None)
        address = getattr(address, "address", None)
        client = tuple(address[:2]) if isinstance(address, tuple) and len(address) >= 2 \
            else (r.remote_ip or "", 0)
        return {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": r.version.split("/")[-1] if r.version else "1.1",
            "method": r.method, "scheme": r.protocol, "path": r.path,
            "raw_path": r.path.encode("latin-1", "replace"),
            "query_string": (r.query or "").encode("latin-1", "replace"), "root_path": root_path,
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1", "replace"))
                        for k, v in r.headers.get_all()],
            "client": client, "server": (host or r.host, int(port) if port.isdigit() else None),
            "state": {}, **extra,
        }

    async def serve_asgi(self, app: Asgi, scope: dict) -> None:
        """Answer this request with ``app``."""
        self._asgi_gone = asyncio.Event()
        self._asgi_closed = False
        stream = getattr(self.request.connection, "stream", None)
        if stream is not None:  # responses go out in small flushed chunks (SSE): no Nagle delay
            stream.set_nodelay(True)
        body_sent = False
        started = False

        async def receive() -> dict:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": self.request.body or b"", "more_body": False}
            await self._asgi_gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            nonlocal started
            if self._asgi_closed or self._finished:
                return
            kind = message["type"]
            if kind == "http.response.start":
                started = True
                self._transforms = []  # no gzip: each chunk (an SSE event) leaves as it is written
                self.clear_header("Content-Type")
                self.set_status(message["status"])
                for k, v in message.get("headers", ()):
                    self.add_header(k.decode("latin-1"), v.decode("latin-1"))
            elif kind == "http.response.body":
                body = message.get("body", b"")
                if body:
                    self.write(body)
                try:
                    if message.get("more_body", False):
                        await self.flush()
                    else:
                        await self.finish()
                        self._asgi_gone.set()
                except tornado.iostream.StreamClosedError:
                    self._asgi_closed = True
                    self._asgi_gone.set()

        try:
            await app(scope, receive, send)
        finally:
            self._asgi_gone.set()
        if not self._finished and not self._asgi_closed:
            if not started:
                self.set_status(500)
            self.finish()

    def on_connection_close(self) -> None:
        self._asgi_closed = True
        gone = getattr(self, "_asgi_gone", None)
        if gone is not None:
            gone.set()


_mcp_lock = threading.Lock()
_mcp_module: concurrent.futures.Future | None = None


def load_mcp() -> concurrent.futures.Future:
    """:mod:`nbdemo.api.mcp` (with the MCP SDK), imported once in a thread of
    its own: the SDK takes seconds to import (1.5 s on an idle 2-core machine),
    which ``launch(mcp_server=True)`` starts and the first MCP request waits
    for, without holding up ``launch()`` or the serving loop."""
    global _mcp_module
    with _mcp_lock:
        if _mcp_module is None:
            _mcp_module = future = concurrent.futures.Future()

            def load() -> None:
                try:
                    future.set_result(importlib.import_module("nbdemo.api.mcp"))
                except BaseException as e:  # reported to each MCP request
                    future.set_exception(e)

            threading.Thread(target=load, name="nbdemo-mcp-import", daemon=True).start()
        return _mcp_module


class McpHandler(AsgiHandler, ApiHandler):
    """<prefix>gradio_api/mcp/…: the demo's MCP server (``launch(mcp_server=True)``),
    Gradio's paths: streamable HTTP at ``gradio_api/mcp/`` (also ``…/mcp``
    and ``…/mcp/http/``), the older SSE transport at ``gradio_api/mcp/sse``
    (its messages POSTed to ``gradio_api/mcp/messages/``), and the tools as
    JSON at ``gradio_api/mcp/schema``. 404 when the demo serves no MCP."""

    async def _serve(self, route: str) -> None:
        if not getattr(self.mount.blocks, "mcp_server", False):
            return self.fail(404, "this demo serves no MCP server: launch it with mcp_server=True")
        try:
            mcp = await asyncio.wrap_future(load_mcp())
        except ImportError as e:
            return self.fail(500, f'the MCP server needs the MCP SDK: pip install "nbdemo[mcp]" ({e})')
        await mcp.door_of(self.mount).serve(self, route)

    async def get(self, route: str) -> None:
        await self._serve(route)

    async def post(self, route: str) -> None:
        await self._serve(route)

    async def delete(self, route: str) -> None:
        await self._serve(route)
