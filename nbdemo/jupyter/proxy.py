"""The proxy from the Jupyter server to a demo served inside a kernel.

Two doors reach the same in-kernel server (a tornado app on a Unix socket,
mode 0600, see :mod:`nbdemo.notebook.door`):

* ``<base_url>nbdemo/<demo_id>/…`` for the notebook's owner: Jupyter's login
  (``JupyterHandler``: cookie or token, its Host and Origin checks) and the
  authorizer's ``execute`` on ``kernels``, since using a demo runs code in a
  kernel;
* ``<base_url>nbdemo/share/<demo_id>/<token>/…`` for visitors: no Jupyter
  login, only a valid share token (:mod:`.shares`) for that one demo.

Everything under the prefix passes through: the page, its WebSocket, uploads,
files and the HTTP API routes (GET/POST/HEAD/…, Server-Sent Events streamed
chunk by chunk, never buffered). The in-kernel app names its URLs relative to
the page, so it works under either prefix and under JupyterHub's
``/user/<name>/``.

What goes upstream: the request without the browser's cookies and
``Authorization`` (Jupyter's credentials never reach the kernel), ``Host:
localhost``, and ``X-Forwarded-Host/-Proto/-Prefix/-For`` so the app can name
its absolute URLs. Browser-facing sockets get TCP_NODELAY; the kernel leg is a
Unix socket, which has no Nagle delay. Request bodies (uploads) are read whole
by the Jupyter server (its ``max_body_size``) before they go upstream.

Tornado's own clients are used (``SimpleAsyncHTTPClient`` and
``websocket_connect`` with a resolver that maps each demo's host name to its
socket) rather than jupyter-server-proxy: that package proxies TCP ports under
Jupyter's login only, and share links need their own authentication in front.
"""

from __future__ import annotations

import logging
import socket
from html import escape
from urllib.parse import urlparse

import tornado.httpclient
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.simple_httpclient
import tornado.web
import tornado.websocket
from jupyter_server.base.handlers import JupyterHandler

from .handlers import require_login
from .registry import Demo, Registry
from .shares import Refused, Shares

log = logging.getLogger("nbdemo.jupyter")

#: Largest WebSocket message either way (bytes), as the in-kernel server's.
MAX_MESSAGE = 16 * 1024 * 1024
#: Largest response body passed through (bytes): files can be large.
MAX_RESPONSE = 64 * 1024**3
#: Seconds between WebSocket pings to the browser (as the in-kernel server's).
PING_INTERVAL = 20
#: Host names the resolver maps to demo sockets end with this (never resolvable by DNS).
HOST_SUFFIX = ".nbdemo.invalid"

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade", "content-length"}
#: Request headers never sent to the kernel: credentials of the Jupyter server,
#: and the browser's Origin/Referer (checked here; the Referer of a share page
#: carries its token).
NOT_UPSTREAM = HOP_BY_HOP | {"host", "cookie", "authorization", "origin", "referer",
                             "x-xsrftoken", "x-csrftoken", "sec-websocket-key",
                             "sec-websocket-version", "sec-websocket-extensions",
                             "sec-websocket-protocol",
                             # the in-kernel server believes these from the proxy only
                             "x-real-ip", "x-forwarded-for", "x-forwarded-proto", "x-scheme",
                             "x-forwarded-host", "x-forwarded-prefix", "x-nbdemo-owner"}
#: The only cookies that go upstream: the demo's own login (launch(auth=)).
DEMO_COOKIE_PREFIX = "nbdemo-auth-"


class SocketResolver(tornado.netutil.Resolver):
    """Resolves ``<demo_id>.nbdemo.invalid`` to that demo's Unix socket."""

    def initialize(self, registry: Registry) -> None:  # type: ignore[override]
        self.registry = registry

    async def resolve(self, host: str, port: int, family: socket.AddressFamily = socket.AF_UNSPEC):
        demo = self.registry.find(host[: -len(HOST_SUFFIX)]) if host.endswith(HOST_SUFFIX) else None
        if demo is None or not demo.socket:
            raise OSError(f"no running demo {host!r}")
        return [(socket.AF_UNIX, demo.socket)]


class Upstream:
    """The HTTP client of the extension, shared by every proxied request."""

    def __init__(self, registry: Registry):
        self.resolver = SocketResolver(registry=registry)
        self.http = tornado.simple_httpclient.SimpleAsyncHTTPClient(
            force_instance=True, resolver=self.resolver, max_clients=1000,
            max_body_size=MAX_RESPONSE, max_header_size=256 * 1024)


def error_page(handler: tornado.web.RequestHandler, status: int, title: str, message: str) -> None:
    """Finish ``handler`` with a small, self-contained HTML page saying why."""
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title>"
        "<body style='font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em'>"
        f"<h1 style='font-size:1.4em'>{escape(title)}</h1><p>{escape(message)}</p>"
        "<p style='color:#666;font-size:.9em'>nbdemo</p></body></html>")


GONE = (502, "This demo is no longer running",
        "The notebook kernel that served it was restarted or shut down, or the demo was "
        "closed. Ask its owner to run it again (and for a new link).")


class ProxyBase(tornado.websocket.WebSocketHandler):
    """HTTP and WebSocket passthrough to one demo; subclasses say which demo
    (``self.demo``) and the external prefix of its page (``self.prefix``) in
    ``prepare``; what follows the prefix goes upstream as it came, still
    percent-encoded (tornado's path arguments are decoded)."""

    demo: Demo
    prefix: str  # the external path of the demo's page, ending in "/"
    upstream_ws: tornado.websocket.WebSocketClientConnection | None = None

    def initialize(self, upstream: Upstream) -> None:  # type: ignore[override]
        self.upstream = upstream
        self._status_line = None
        self._headers_in: tornado.httputil.HTTPHeaders | None = None

    @property
    def max_message_size(self) -> int:  # type: ignore[override]
        return MAX_MESSAGE

    @property
    def ping_interval(self) -> float:  # type: ignore[override]
        # keeps an idle page's socket open through proxies with idle timeouts
        # (JupyterHub's); the server's own setting wins if it has one
        return self.settings.get("websocket_ping_interval") or PING_INTERVAL

    def _is_websocket(self) -> bool:
        return self.request.headers.get("Upgrade", "").lower() == "websocket"

    def _upstream_headers(self) -> dict[str, str]:
        headers = {k: v for k, v in self.request.headers.get_all() if k.lower() not in NOT_UPSTREAM}
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in self.request.cookies.items()
                            if name.startswith(DEMO_COOKIE_PREFIX))
        if cookies:
            headers["Cookie"] = cookies
        headers.update({"Host": "localhost", "X-Forwarded-Host": self.request.host,
                        "X-Forwarded-Proto": self.request.protocol,
                        "X-Forwarded-Prefix": self.prefix,
                        "X-Forwarded-For": self.request.remote_ip or ""})
        return headers

    def _url(self, scheme: str) -> str:
        query = f"?{self.request.query}" if self.request.query else ""
        return f"{scheme}://{self.demo.demo_id}{HOST_SUFFIX}/{self.rest}{query}"

    @property
    def rest(self) -> str:
        """The raw request path below the demo's prefix ("" at the page itself)."""
        path = self.request.path
        return path[len(self.prefix):] if path.startswith(self.prefix) else ""

    def _same_origin(self) -> bool:
        origin = self.request.headers.get("Origin")
        return origin is None or urlparse(origin).netloc.lower() == self.request.host.lower()

    # -- HTTP ------------------------------------------------------------------------
    async def get(self, *args) -> None:
        if self._is_websocket():
            await super().get(*args)
        elif self.rest == "" and not self.request.path.endswith("/"):
            # the page names its URLs relative to itself: it must end in "/"
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(self.request.path + "/" + query)
        else:
            await self._http()

    async def post(self, *args) -> None:
        await self._http()

    async def head(self, *args) -> None:
        await self._http()

    async def put(self, *args) -> None:
        await self._http()

    async def patch(self, *args) -> None:
        await self._http()

    async def delete(self, *args) -> None:
        await self._http()

    async def options(self, *args) -> None:
        await self._http()

    async def _http(self) -> None:
        method = self.request.method
        body = self.request.body if method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS") else None
        req = tornado.httpclient.HTTPRequest(
            self._url("http"), method=method, headers=self._upstream_headers(), body=body,
            follow_redirects=False, decompress_response=False, allow_nonstandard_methods=True,
            connect_timeout=10, request_timeout=0,
            header_callback=self._on_header, streaming_callback=self._on_chunk)
        try:
            await self.upstream.http.fetch(req, raise_error=False)
        except (OSError, tornado.iostream.StreamClosedError, tornado.httpclient.HTTPClientError):
            if self._headers_in is None or self._status_line is None:
                return error_page(self, *GONE)
            log.info("nbdemo: the demo %s went away during a response", self.demo.demo_id)
        if not self._finished:
            self.finish()

    def _on_header(self, line: str) -> None:
        if self._status_line is None:
            self._status_line = tornado.httputil.parse_response_start_line(line.strip())
            self._headers_in = tornado.httputil.HTTPHeaders()
        elif line.strip():
            self._headers_in.parse_line(line)
        else:  # the blank line: the headers are complete
            self.clear()
            self.set_status(self._status_line.code, self._status_line.reason)
            for name, value in self._headers_in.get_all():
                lower = name.lower()
                if lower in HOP_BY_HOP:
                    continue
                if lower == "location" and value.startswith("/"):
                    value = self.prefix + value[1:]
                elif lower == "set-cookie":
                    value = self._cookie_path(value)
                self.add_header(name, value) if lower == "set-cookie" else self.set_header(name, value)
            if self._headers_in.get("Content-Type", "").startswith("text/event-stream"):
                self.set_header("X-Accel-Buffering", "no")

    def _cookie_path(self, cookie: str) -> str:
        """A cookie of the demo's app, scoped to the demo's external path."""
        parts = [p for p in cookie.split(";") if not p.strip().lower().startswith("path=")]
        return ";".join(parts) + f"; Path={self.prefix}"

    def _on_chunk(self, chunk: bytes) -> None:
        if self._finished or self.request.connection.stream.closed():
            # the visitor left: raising here makes the client drop the upstream
            # connection, so an event stream nobody reads ends
            raise tornado.iostream.StreamClosedError()
        self.write(chunk)
        self.flush()  # an event stream's event goes out as it comes

    # -- WebSocket -------------------------------------------------------------------
    async def open(self, *args) -> None:
        self.set_nodelay(True)
        req = tornado.httpclient.HTTPRequest(self._url("ws"), headers=self._upstream_headers(),
                                             connect_timeout=10, request_timeout=0)
        try:
            self.upstream_ws = await tornado.websocket.websocket_connect(
                req, resolver=self.upstream.resolver, on_message_callback=self._from_upstream,
                max_message_size=MAX_MESSAGE)
        except (OSError, tornado.iostream.StreamClosedError, tornado.httpclient.HTTPClientError):
            self.close(1011, "This demo is no longer running")

    def _from_upstream(self, message: str | bytes | None) -> None:
        if message is None:
            up = self.upstream_ws
            self.close(up.close_code if up is not None and up.close_code else 1001,
                       up.close_reason if up is not None else None)
            return
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            self._close_upstream()

    def on_message(self, message: str | bytes) -> None:
        up = self.upstream_ws
        if up is None:
            return
        try:
            up.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            self.close(1001, "the demo closed the connection")

    def on_close(self) -> None:
        self._close_upstream()

    def _close_upstream(self) -> None:
        up, self.upstream_ws = self.upstream_ws, None
        if up is not None:
            up.close(1000)


class OwnerProxy(ProxyBase, JupyterHandler):
    """``<base_url>nbdemo/<demo_id>/<rest>``: the demo for Jupyter's logged-in user
    (who then needs no ``launch(auth=)`` login: the request carries the demo's
    owner secret upstream)."""

    def _upstream_headers(self) -> dict[str, str]:
        headers = super()._upstream_headers()
        if self.demo.owner:
            headers["X-Nbdemo-Owner"] = self.demo.owner
        return headers

    def initialize(self, upstream: Upstream, registry: Registry) -> None:  # type: ignore[override]
        ProxyBase.initialize(self, upstream)
        self.registry = registry

    async def prepare(self) -> None:  # type: ignore[override]
        ws = self._is_websocket()
        await JupyterHandler.prepare(self, _redirect_to_login=not ws)
        if not self._finished:
            require_login(self, redirect=not ws)
        if self._finished:
            return  # redirected to the login page
        demo_id = self.path_args[0]
        self.prefix = f"{self.base_url}nbdemo/{demo_id}/"
        demo = self.registry.find(demo_id)
        if demo is None:
            return error_page(self, *GONE)
        self.demo = demo

    def check_origin(self, origin: str | None = None) -> bool:  # type: ignore[override]
        return JupyterHandler.check_origin(self)

    def check_xsrf_cookie(self) -> None:
        # The demo's page posts uploads and API calls with fetch(), which sends
        # no XSRF token but always an Origin: a same-origin Origin is as good a
        # cross-site check as the token. Anything else takes Jupyter's check.
        if self.request.headers.get("Origin") and JupyterHandler.check_origin(self):
            return
        JupyterHandler.check_xsrf_cookie(self)


class ShareProxy(ProxyBase):
    """``<base_url>nbdemo/share/<demo_id>/<token>/<rest>``: one demo for whoever
    holds a valid share token; no Jupyter login, and nothing else of the server."""

    def initialize(self, upstream: Upstream, registry: Registry, shares: Shares,
                   base_url: str) -> None:  # type: ignore[override]
        ProxyBase.initialize(self, upstream)
        self.registry = registry
        self.shares = shares
        self.base_url = base_url

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")

    def prepare(self) -> None:
        demo_id, token = self.path_args[0], self.path_args[1]
        self.prefix = f"{self.base_url}nbdemo/share/{demo_id}/{token}/"
        try:
            share = self.shares.verify(demo_id, token)
        except Refused as e:
            return error_page(self, e.status, e.title, str(e))
        demo = self.registry.find(demo_id)
        if demo is None or demo.kernel_id != share.kernel_id:
            return error_page(self, *GONE)
        self.demo = demo

    def check_origin(self, origin: str) -> bool:
        return self._same_origin()

    def check_xsrf_cookie(self) -> None:
        # The token in the path is the credential (no cookie is involved), so a
        # cross-site request gains nothing; still, browsers may only post from
        # the demo's own origin. Clients without an Origin (gradio_client) pass.
        if not self._same_origin():
            raise tornado.web.HTTPError(403, "cross-origin request refused")

    def get_current_user(self) -> None:
        return None
