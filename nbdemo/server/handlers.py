"""Tornado handlers of the standalone server, one small class per route."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import tornado.web
import tornado.websocket

from .. import protocol
from .session import ServerSession

log = logging.getLogger("nbdemo")

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Largest WebSocket message accepted from a page (bytes); bigger ones close the socket.
MAX_MESSAGE = 16 * 1024 * 1024

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob: data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'self'")


class Mount:
    """One demo served under a path prefix."""

    def __init__(self, prefix: str, blocks, show_error: bool = False):
        self.prefix = prefix
        self.blocks = blocks
        self.engine = blocks.engine
        if show_error:
            self.engine.show_error = True
        self.sessions: set[ServerSession] = set()
        self.sockets: set[SocketHandler] = set()

    def config(self) -> dict[str, Any]:
        b = self.blocks
        self.engine.app.fresh()
        comps = {}
        states = set()
        for comp in _all_components(b):
            if comp._kind != "state":
                comps[str(comp._id)] = {"kind": comp._kind, "props": comp.props()}
            else:
                states.add(comp._id)
        # State lives on the server only: the page gets no node for it either
        layout = _without(b.layout_tree(lambda c: f"c:{c._id}"), states)
        return {"title": b.title, "css": b.css, "theme": b.theme, "fill_height": b.fill_height,
                "layout": layout, "components": comps, "version": 1}


def _without(node: dict, ids: set[int]) -> dict:
    """``node`` without the component nodes whose id is in ``ids``."""
    if "children" in node:
        node["children"] = [_without(c, ids) for c in node["children"]
                            if not (c.get("type") == "component" and c.get("id") in ids)]
    return node


def _all_components(blocks):
    seen = {}
    for c in blocks.components():
        seen[c._id] = c
    for dep in blocks.dependencies:
        for c in dep.inputs + dep.outputs:
            seen.setdefault(c._id, c)
    return seen.values()


class BaseHandler(tornado.web.RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")


class PageHandler(BaseHandler):
    """GET <prefix>: the demo page; its config is embedded as JSON."""

    def initialize(self, mount: Mount, static_url: str) -> None:
        self.mount = mount
        self.static_url_prefix = static_url

    def get(self) -> None:
        if not self.request.path.endswith("/"):
            self.redirect(self.request.path + "/", permanent=False)
            return
        config = json.dumps(self.mount.config(), separators=(",", ":"))
        # Inside <script type="application/json"> only "</" could end the element.
        config = config.replace("<", "\\u003c")
        self.set_header("Content-Security-Policy", CSP)
        self.render("page.html", title=self.mount.blocks.title, config=config,
                    static=self.static_url_prefix)


class ConfigHandler(BaseHandler):
    """GET <prefix>config: the demo's layout and components as JSON."""

    def initialize(self, mount: Mount) -> None:
        self.mount = mount

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(self.mount.config()))


class IndexHandler(BaseHandler):
    """GET /: the list of demos, when the server hosts several (the gallery)."""

    def initialize(self, mounts: list[Mount], title: str, static_url: str) -> None:
        self.mounts = mounts
        self.title = title
        self.static_url_prefix = static_url

    def get(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.render("index.html", title=self.title, static=self.static_url_prefix,
                    demos=[(m.prefix, m.blocks) for m in self.mounts])


class StaticHandler(tornado.web.StaticFileHandler):
    """GET /static/<file>: the JS bundle and CSS, only from nbdemo/static/."""

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")


class SocketHandler(tornado.websocket.WebSocketHandler):
    """WS <prefix>ws: one page session.

    Origin is checked by tornado's default ``check_origin`` (the Origin's host
    must equal the Host header), so other sites cannot drive a session.
    Every malformed message gets an ``{"type": "error"}`` reply; the session
    stays open.
    """

    def initialize(self, mount: Mount) -> None:
        self.mount = mount
        self.session: ServerSession | None = None

    def open(self) -> None:
        self.set_nodelay(True)
        self.session = ServerSession(self.mount.engine, self.write_message)
        self.mount.sessions.add(self.session)
        self.mount.sockets.add(self)
        self.session.emit({"type": protocol.HELLO, "session_hash": self.session.session_hash})

    def on_message(self, message: str | bytes) -> None:
        session = self.session
        if session is None:
            return
        if isinstance(message, bytes):
            session.emit(protocol.error("binary messages are not accepted on this socket"))
            return
        try:
            msg = json.loads(message)
        except ValueError as e:
            session.emit(protocol.error(f"message is not JSON: {e}"))
            return
        if not isinstance(msg, dict):
            session.emit(protocol.error("message must be a JSON object"))
            return
        kind = msg.get("type")
        try:
            if kind == protocol.SET:
                session.set_from_client(msg.get("id"), msg.get("value"))
            elif kind == protocol.EVENT:
                if "value" in msg:
                    session.set_from_client(msg.get("id"), msg.get("value"))
                self.mount.engine.trigger(session, msg.get("id"), msg.get("event"), msg.get("data"))
            else:
                raise ValueError(f"unknown message type {kind!r:.40}; expected 'set' or 'event'")
        except ValueError as e:
            session.emit(protocol.error(str(e)))
        except Exception as e:  # a bug must not cost the visitor their session
            log.exception("nbdemo: error handling a page message")
            session.emit(protocol.error(f"the server could not handle this message ({type(e).__name__})"))

    def on_close(self) -> None:
        self.mount.sockets.discard(self)
        if self.session is not None:
            self.mount.sessions.discard(self.session)
            self.session.close()
            self.session = None
