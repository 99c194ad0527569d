"""The standalone front door: a tornado server for one or more demos.

``Server({"/": demo}).start()`` serves from a background thread (its own
asyncio loop); ``block()`` waits for Ctrl+C; ``stop()`` ends every session
and frees the port.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import errno
import os
import secrets
import signal
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

import tornado.httpserver
import tornado.ioloop
import tornado.iostream
import tornado.netutil
import tornado.web

from .. import api, files
from .auth import LoginHandler, LogoutHandler
from .handlers import (
    MAX_BODY,
    STATIC,
    TEMPLATES,
    AppScriptHandler,
    ConfigHandler,
    DeepLinkHandler,
    FileHandler,
    IndexHandler,
    Mount,
    PageHandler,
    ScriptHandler,
    SocketHandler,
    StaticHandler,
    UploadHandler,
)
from .security import Auth, Limits, Security, accept_connections

__all__ = ["Server", "make_app", "bind"]

DEFAULT_PORT = 7860
PORT_RANGE = 100


def make_app(mounts: dict[str, object], *, title: str = "nbdemo", show_error: bool = False,
             max_file_size: int | None = None, relative: bool = False,
             security: Security | None = None) -> tornado.web.Application:
    """The tornado Application serving ``mounts`` (prefix → Blocks).

    With one demo at "/" the demo is the root page; with several, "/" lists
    them and each lives under its prefix (e.g. "/hello/").

    ``relative``: the page names its static files and file URLs relative to
    itself ("static/…", "./file/…"), so a proxy may serve the app under any
    path (the Jupyter door: ``<base_url>nbdemo/<id>/`` and share links).
    Only for one demo at "/"; raises ``ValueError`` otherwise.

    ``security``: auth, Host rule and limits (default: no login, loopback Host
    names only, the default :class:`~nbdemo.server.security.Limits`).
    """
    security = security or Security()
    if relative and [p.strip("/") for p in mounts] != [""]:
        raise ValueError("relative=True serves exactly one demo, at '/'")
    static_url = "static/" if relative else "/static/"
    routes: list = []
    made = []
    # with an index at "/" (several demos), each page links back to it
    has_index = not any(not p.strip("/") for p in mounts)
    page_args = {"static_url": static_url, "index": (title, "../") if has_index else None}
    for prefix, blocks in mounts.items():
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        limit = max_file_size if max_file_size is not None else getattr(blocks, "max_file_size", None)
        m = Mount("./" if relative else prefix, blocks, show_error=show_error,
                  max_file_size=files.parse_size(limit))
        made.append(m)
        base = prefix.rstrip("/")
        routes += [
            (rf"{base}/ws", SocketHandler, {"mount": m}),
            (rf"{base}/page_config", ConfigHandler, {"mount": m}),
            (rf"{base}/component_js/([0-9]{{1,12}})\.js", ScriptHandler, {"mount": m}),
            (rf"{base}/app_js\.js", AppScriptHandler, {"mount": m}),
            (rf"{base}/deep_link", DeepLinkHandler, {"mount": m}),
            (rf"{base}/upload", UploadHandler, {"mount": m}),
            (rf"{base}/file/([A-Za-z0-9]+)/([A-Za-z0-9_-]+)/([^/]*)", FileHandler, {"mount": m}),
            (rf"{base}/login/?", LoginHandler, {"title": m.source.title, "static_url": static_url}),
            (rf"{base}/logout/?", LogoutHandler),
        ]
        routes += api.routes(m, base)
        if prefix != "/":
            routes.append((rf"{base}/?", PageHandler, {"mount": m, **page_args}))
        else:
            routes.append((r"/", PageHandler, {"mount": m, **page_args}))
        # the pages of a multipage demo (Blocks.route): after every other route of the mount
        routes.append((rf"{base}/([^/]+)/?", PageHandler, {"mount": m, **page_args}))
    if not relative and not any(m.prefix == "/" for m in made):
        routes.append((r"/", IndexHandler, {"mounts": made, "title": title, "static_url": static_url}))
    if not any(m.prefix in ("/", "./") for m in made):
        routes += [(r"/login/?", LoginHandler, {"title": title, "static_url": static_url}),
                   (r"/logout/?", LogoutHandler)]
    routes.append((r"/static/(.*)", StaticHandler, {"path": str(STATIC)}))
    app = tornado.web.Application(routes, template_path=str(TEMPLATES), compress_response=True,
                                  websocket_max_message_size=security.limits.max_message,
                                  websocket_ping_interval=20, nbdemo_security=security,
                                  cookie_secret=secrets.token_bytes(32))
    app.nbdemo_mounts = made
    return app


def bind(host: str, port: int | None) -> list[socket.socket]:
    """Listening sockets on ``host``: ``port``, or the first free one from 7860.

    Raises ``OSError`` if an explicit port is taken or no port in 7860–7959 is free.
    """
    if port is not None:
        return tornado.netutil.bind_sockets(port, host)
    start = int(os.environ.get("NBDEMO_SERVER_PORT", os.environ.get("GRADIO_SERVER_PORT", DEFAULT_PORT)))
    for p in range(start, start + PORT_RANGE):
        try:
            return tornado.netutil.bind_sockets(p, host)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"no free port in {start}-{start + PORT_RANGE - 1} on {host}")


class Server:
    """Serves demos from a background thread with its own event loop.

    ``loop``: serve on this running asyncio loop instead (the kernel's nbdemo
    loop, where the notebook's runs go too, so one engine sees every door).
    ``unix_socket``: listen on this path (created with mode 0600) instead of
    ``host``/``port``; ``relative``: see :func:`make_app`.

    ``auth``, ``auth_message``, ``allowed_hosts``, ``limits``: see
    ``Blocks.launch``. ``owner_secret``: a request carrying it in the
    ``X-Nbdemo-Owner`` header needs no login (a proxy that checked its own
    login, such as the Jupyter door for the notebook's owner, adds it;
    share-link visitors, without it, meet ``auth``).
    """

    def __init__(self, mounts: dict[str, object], *, host: str = "127.0.0.1",
                 port: int | None = None, quiet: bool = False, show_error: bool = False,
                 title: str = "nbdemo", max_file_size: int | str | None = None,
                 loop: asyncio.AbstractEventLoop | None = None, unix_socket: str | None = None,
                 relative: bool = False, auth: Any = None, auth_message: str | None = None,
                 allowed_hosts: Iterable[str] | None = None, limits: Limits | dict | None = None,
                 owner_secret: str | None = None):
        self.mounts = mounts
        limits = Limits.of(limits)
        self.security = Security(auth=Auth(auth, auth_message, limits) if auth is not None else None,
                                 bind=host if unix_socket is None else unix_socket,
                                 allowed_hosts=allowed_hosts, limits=limits,
                                 owner_secret=owner_secret)
        self.host = host
        self.port = port
        self.quiet = quiet
        self.show_error = show_error
        self.title = title
        self.max_file_size = files.parse_size(max_file_size)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._given_loop = loop
        self.unix_socket = unix_socket
        self.relative = relative
        self._thread: threading.Thread | None = None
        self._http: tornado.httpserver.HTTPServer | None = None
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> Server:
        if self.unix_socket is not None:
            sockets = [tornado.netutil.bind_unix_socket(self.unix_socket, mode=0o600)]
        else:
            sockets = bind(self.host, self.port)
            self.port = sockets[0].getsockname()[1]
        ready = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            self.app = make_app(self.mounts, title=self.title, show_error=self.show_error,
                                max_file_size=self.max_file_size, relative=self.relative,
                                security=self.security)
            limits = self.security.limits
            # On a Unix socket (mode 0600) the one client is the Jupyter door's proxy,
            # which sets X-Forwarded-For/-Proto itself: the visitor's address counts
            # (gr.Request, sessions_per_client), not the socket's.
            self._http = http = tornado.httpserver.HTTPServer(
                self.app, xheaders=self.unix_socket is not None, max_body_size=MAX_BODY,
                idle_connection_timeout=limits.header_timeout, body_timeout=limits.body_timeout)
            # our accept loop: out of file descriptors, it pauses and logs once a second
            self._listening = [(sock, accept_connections(
                sock, lambda conn, addr: http.handle_stream(tornado.iostream.IOStream(conn), addr),
                self.loop))
                for sock in sockets]
            self._sweeper = tornado.ioloop.PeriodicCallback(self._sweep, 60_000)
            self._sweeper.start()

        if self._given_loop is not None:
            self.loop = self._given_loop

            def on_loop() -> None:
                try:
                    serve()
                except BaseException as e:  # report start-up errors to the caller
                    errors.append(e)
                ready.set()

            if _on_loop(self._given_loop):
                on_loop()
            else:
                self._given_loop.call_soon_threadsafe(on_loop)
                ready.wait()
            if errors:
                for s in sockets:
                    s.close()
                raise errors[0]
            return self

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self.loop = loop
            try:
                serve()
            except BaseException as e:  # report start-up errors to the caller
                errors.append(e)
                ready.set()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()
                self._stopped.set()

        self._thread = threading.Thread(target=run, name=f"nbdemo-server-{self.port}", daemon=True)
        self._thread.start()
        ready.wait()
        if errors:
            raise errors[0]
        return self

    def _sweep(self) -> None:
        """Remove files older than each demo's ``delete_cache`` age (default 24 h)."""
        now = time.monotonic()
        for m in self.app.nbdemo_mounts:
            frequency, age = getattr(m.blocks, "delete_cache", None) or (3600, 86400)
            last = getattr(m, "_last_sweep", 0.0)
            if now - last >= frequency:
                m._last_sweep = now
                m.sweep(age)  # the app's own files (initial values) stay

    def block(self) -> None:
        """Wait until Ctrl+C, SIGTERM (``docker stop``, systemd) or ``stop()``
        from another thread, then stop: sessions end and their files are removed."""
        previous = None
        if threading.current_thread() is threading.main_thread():
            def on_term(signum, frame) -> None:
                raise KeyboardInterrupt

            previous = signal.signal(signal.SIGTERM, on_term)
        try:
            while not self._stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            if not self.quiet:
                print("\nKeyboard interruption: closing server.", flush=True)
        finally:
            self.stop()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def stop(self) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return

        async def shutdown() -> None:
            for sock, stop_accepting in getattr(self, "_listening", ()):
                stop_accepting()
                sock.close()
            if self._http is not None:
                self._http.stop()
            app = getattr(self, "app", None)
            for m in app.nbdemo_mounts if app is not None else []:
                mcp = getattr(m, "mcp", None)  # the MCP door's session manager (nbdemo.api.mcp)
                if mcp is not None:
                    await mcp.close()
                for sock in list(m.sockets):
                    sock.close(1001, "server shutting down")
                for s in list(m.sessions):
                    m.engine.close(s)
            if self._http is not None:
                try:
                    await asyncio.wait_for(self._http.close_all_connections(), 2)
                except asyncio.TimeoutError:
                    pass
            sweeper = getattr(self, "_sweeper", None)
            if sweeper is not None:
                sweeper.stop()
            if self._given_loop is None:
                loop.stop()

        if self.unix_socket is not None:
            try:
                os.unlink(self.unix_socket)
            except FileNotFoundError:
                pass
        try:
            done = asyncio.run_coroutine_threadsafe(shutdown(), loop)
        except RuntimeError:
            return
        if self._given_loop is not None:
            if not _on_loop(loop):
                try:
                    done.result(timeout=5)
                except concurrent.futures.TimeoutError:  # a stuck session must not block close()
                    pass
        elif self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.loop = None


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
