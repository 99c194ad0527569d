"""Tornado handlers of the standalone server, one small class per route."""

from __future__ import annotations

import collections
import functools
import json
import logging
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import tornado.web
import tornado.websocket

from .. import files, i18n, protocol
from ..block import is_component
from ..engine.dispatch import dispatch
from ..engine.rendering import without
from ..events import Request
from . import security
from .session import ServerSession, with_urls
from .source import DemoSource

log = logging.getLogger("nbdemo")

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Largest WebSocket message accepted from a page (bytes); bigger ones close the socket.
MAX_MESSAGE = 16 * 1024 * 1024
#: gr.DeepLinkButton snapshots kept per demo (the oldest go first)
DEEP_LINKS = 1000

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob: data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'self'")


class Mount:
    """One demo served under a path prefix.

    ``blocks`` is a Blocks or a :class:`DemoSource` (a demo built on first
    use, or replaced by reload mode): ``mount.blocks`` and ``mount.engine``
    are always the demo served now.
    """

    def __init__(self, prefix: str, blocks, show_error: bool = False,
                 max_file_size: int | None = None):
        self.prefix = prefix
        self.source = blocks if isinstance(blocks, DemoSource) else DemoSource.of(blocks)
        self.show_error = show_error
        #: bytes; None = no limit (the largest upload tornado then takes is MAX_BODY)
        self.max_file_size = max_file_size
        self.sessions: set[ServerSession] = set()
        self.by_hash: dict[str, ServerSession] = {}
        self.sockets: set[SocketHandler] = set()
        #: gr.DeepLinkButton snapshots: id → {component id: props incl. value}, newest last
        self.deep_links: collections.OrderedDict[str, dict[int, dict]] = collections.OrderedDict()

    def snapshot(self, session) -> str:
        """Keep ``session``'s values (and the props its functions changed) under
        a new id, for a deep link; values holding files and State are left out
        (they belong to the session). The last ``DEEP_LINKS`` are kept."""
        saved: dict[int, dict] = {}
        app = self.engine.app.fresh()
        for comp_id, block in app.blocks.items():
            if getattr(block, "_kind", None) in (None, "state") or not is_component(block):
                continue
            props = dict(session.props.get(comp_id, {}))
            if comp_id in session.values:
                props["value"] = session.values[comp_id]
            props = {k: v for k, v in props.items() if not files.contains_file(v)}
            if props:
                saved[comp_id] = props
        link = secrets.token_urlsafe(12)
        self.deep_links[link] = saved
        while len(self.deep_links) > DEEP_LINKS:
            self.deep_links.popitem(last=False)
        return link

    @property
    def blocks(self):
        return self.source.get()

    @property
    def engine(self):
        engine = self.source.get().engine
        if self.show_error:
            engine.show_error = True
        return engine

    def sweep(self, max_age: float) -> None:
        """Remove session files older than ``max_age`` seconds."""
        for s in list(self.sessions):
            s.files.sweep(max_age)
        hub = getattr(self, "api", None)
        if hub is not None:
            hub.sweep(max_age)

    def config(self, page: str = "", deep_link: str | None = None,
               locale: str | None = None) -> dict[str, Any]:
        """The page's config: layout, components and their props, for the main
        page or a ``Blocks.route`` page (``page``: its path); ``deep_link``: the
        id of a :meth:`snapshot` whose values the page starts with; ``locale``:
        the language gr.I18n texts are shown in (see :mod:`nbdemo.i18n`)."""
        b = self.blocks
        self.engine.app.fresh()
        pages = [[p.path, p.name, p.show_in_navbar] for p in getattr(b, "pages", list)()]
        comps = {}
        states = set()
        browser_state: dict[str, str | None] = {}
        for comp in _all_components(b):
            if comp._kind not in ("state", "api"):  # server-side only: State, gr.api's values
                props = with_urls(comp.props(), self.prefix, None)
                if comp._kind == "navbar":  # the pages it links to, and which one this is
                    props.update(_pages=pages, _page=page)
                saved = self.deep_links.get(deep_link or "", {}).get(comp._id)
                if saved:
                    props.update(with_urls(saved, self.prefix, None))
                props = i18n.translate(props, locale)
                comps[str(comp._id)] = {"kind": comp._kind, "props": props}
            else:
                states.add(comp._id)
                if hasattr(comp, "sign"):  # gr.BrowserState: the page keeps a signed copy
                    browser_state[str(comp._id)] = comp.storage_key
        # State lives on the server only: the page gets no node for it either
        layout = without(b.layout_tree(lambda c: f"c:{c._id}", page) if page
                         else b.layout_tree(lambda c: f"c:{c._id}"), states)
        return {"title": b.title, "css": b.css, "theme": b.theme, "fill_height": b.fill_height,
                "layout": layout, "components": comps, "version": 1,
                # the app's own JavaScript (js=): the page imports <prefix>app_js.js when set
                "js_module": b.script(), "js_listeners": b.js_listeners(),
                # multipage (Blocks.route): [path, name, show_in_navbar]; this page; the app's URL from here
                "pages": pages, "page": page, "root": "../" if page else "./",
                "max_file_size": self.max_file_size,
                # gr.BrowserState: id → its localStorage key (None: the page picks one per path)
                "browser_state": browser_state,
                # reload mode: the traceback of the last failed reload (the page shows it)
                "reload_error": self.source.error}


def _all_components(blocks):
    seen = {}
    for c in blocks.components():
        seen[c._id] = c
    for dep in blocks.dependencies:
        for c in dep.inputs + dep.outputs:
            if is_component(c):  # a layout block (an output for its visibility) is in the layout
                seen.setdefault(c._id, c)
    return seen.values()


class BaseHandler(tornado.web.RequestHandler):
    """Base of every route: ``prepare`` runs :func:`security.guard` (Host,
    Origin of state-changing requests, login), so a subclass inherits it.
    ``public = True``: the route needs no login. A subclass that overrides
    ``prepare`` gets the check too: its ``prepare`` is wrapped to run the
    check first, and runs only when the request passed."""

    public = False

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        own = cls.__dict__.get("prepare")
        if own is not None and not getattr(own, "_nbdemo_guarded", False):
            @functools.wraps(own)
            def prepare(self, *args: Any, **kwargs: Any) -> Any:
                if not security.guard(self, public=self.public):
                    return None
                return own(self, *args, **kwargs)

            prepare._nbdemo_guarded = True
            cls.prepare = prepare

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")

    def prepare(self) -> None:
        security.guard(self, public=self.public)

    def get_current_user(self) -> str | None:
        return security.user_of(self)


class PageHandler(BaseHandler):
    """GET <prefix>: the demo page; its config is embedded as JSON.
    ``index``: (title, url) of the list of demos the page links back to, if any."""

    def initialize(self, mount: Mount, static_url: str,
                   index: tuple[str, str] | None = None) -> None:
        self.mount = mount
        self.static_url_prefix = static_url
        self.index = index

    def get(self, page: str | None = None) -> None:
        if not self.request.path.endswith("/"):
            self.redirect(self.request.path + "/", permanent=False)
            return
        self.page = (page or "").strip("/")
        if self.page and self.page not in {p.path for p in getattr(self.mount.blocks, "pages", list)()}:
            raise tornado.web.HTTPError(404)
        blocks = self.mount.blocks
        links = getattr(blocks, "footer_links", None)
        links = ["api"] if links is None else [x for x in links if isinstance(x, str)]
        if not getattr(blocks, "show_api", True):
            links = [x for x in links if x != "api"]
        if self.get_query_argument("view", "") == "api" and "api" in links:
            return self._api_page()
        deep_link = self.get_query_argument("deep_link", None)  # gr.DeepLinkButton's link
        locale = i18n.locale_for(self.request.headers.get("Accept-Language"))  # gr.I18n texts
        config = json.dumps(self.mount.config(self.page, deep_link, locale), separators=(",", ":"))
        # Inside <script type="application/json"> only "</" could end the element.
        config = config.replace("<", "\\u003c")
        self.set_header("Content-Security-Policy", CSP)
        static = self.static_url_prefix
        if self.page and not static.startswith(("/", "http")):  # a page is one folder deeper
            static = "../" + static
        self.render("page.html", title=self.mount.blocks.title, config=config,
                    static=static, index=self.index, footer=links)

    def _api_page(self) -> None:
        """``?view=api``: the "Use via API" page, from the same info as ``/info``."""
        from ..api import describe
        from ..api.samples import sample_url

        base = public_base(self.request, self.mount.prefix)
        info = describe.info(self.mount.engine.app.fresh(), lambda kind: sample_url(base, kind), root=base)
        self.set_header("Content-Security-Policy", CSP)
        self.render("api.html", title=self.mount.blocks.title, static=self.static_url_prefix,
                    endpoints=sorted(info["named_endpoints"].items()),
                    api_prefix=describe.API_PREFIX.lstrip("/"))


class ConfigHandler(BaseHandler):
    """GET <prefix>config: the demo's layout and components as JSON."""

    def initialize(self, mount: Mount) -> None:
        self.mount = mount

    def get(self) -> None:
        page = self.get_query_argument("page", "")  # a Blocks.route page's path
        if page and page not in {p.path for p in getattr(self.mount.blocks, "pages", list)()}:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(self.mount.config(page)))


class ScriptHandler(BaseHandler):
    """GET <prefix>component_js/<id>.js: the ES module of a component's author
    code (a templated ``gr.HTML``'s templates and ``js_on_load``), served from
    the page's own origin so the page runs it under ``script-src 'self'``.
    404 for a component without one."""

    def initialize(self, mount: Mount) -> None:
        self.mount = mount

    def get(self, comp_id: str) -> None:
        comp = self.mount.engine.app.fresh().blocks.get(int(comp_id))
        source = getattr(comp, "_js_module", None) if comp is not None else None
        if not isinstance(source, str):
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")  # reload mode may change it
        self.write(source)


class AppScriptHandler(BaseHandler):
    """GET <prefix>app_js.js: the ES module of the demo's own JavaScript
    (``Blocks(js=)`` and listeners' ``js=``; see ``Blocks.script``), served
    from the page's origin so the page runs it under ``script-src 'self'``.
    404 when the demo has none."""

    def initialize(self, mount: Mount) -> None:
        self.mount = mount

    def get(self) -> None:
        source = self.mount.blocks.script()
        if source is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(source)


class DeepLinkHandler(BaseHandler):
    """GET <prefix>deep_link?session_hash=...: keep that session's values and
    return the id of the snapshot (text) for a ``?deep_link=`` URL
    (``gr.DeepLinkButton``). 404 for a session that is not open."""

    def initialize(self, mount: Mount) -> None:
        self.mount = mount

    def get(self) -> None:
        session = self.mount.by_hash.get(self.get_query_argument("session_hash", ""))
        if session is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(self.mount.snapshot(session))


class IndexHandler(BaseHandler):
    """GET /: the list of demos, when the server hosts several (the gallery)."""

    def initialize(self, mounts: list[Mount], title: str, static_url: str) -> None:
        self.mounts = mounts
        self.title = title
        self.static_url_prefix = static_url

    def get(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.render("index.html", title=self.title, static=self.static_url_prefix,
                    demos=[(m.prefix, m.source.title, m.source.description) for m in self.mounts])


class StaticHandler(tornado.web.StaticFileHandler):
    """GET /static/<file>: the JS bundle and CSS, only from nbdemo/static/
    (no login needed: the login page uses them)."""

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        security.guard(self, public=True)

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        if "\x00" in path:  # os.path would raise ValueError: a 500
            raise tornado.web.HTTPError(404)
        return super().get_absolute_path(root, path)


#: The largest request body when no max_file_size is set (bytes).
MAX_BODY = 4 * 1024**3

#: Files that could run script if opened on the app's origin: always served as downloads.
UNSAFE_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml",
                "application/xml", "text/javascript", "application/javascript")

FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'"

#: An HTML file the app produced (never an upload), asked for with ``?frame=1``
#: (a plotly figure shown by Plot), is served inline for an ``<iframe
#: sandbox="allow-scripts">``: its inline script runs, but the CSP sandbox gives
#: it an opaque origin (never the app's: no cookies, storage or DOM of the app),
#: it loads nothing, and only the app's own pages may frame it.
FRAME_CSP = ("sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
             "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; frame-ancestors 'self'")


same_origin = security.same_origin


@tornado.web.stream_request_body
class UploadHandler(BaseHandler):
    """POST <prefix>upload?session_hash=H: one file as the raw body.

    Headers: ``X-File-Name`` (URL-encoded original name), ``Content-Type``.
    Replies with the file's FileData (JSON). ``max_file_size`` is enforced
    from Content-Length before the body is read (413), and again while it
    streams. Only the page's own origin may upload, and only into a live
    session.
    """

    def initialize(self, mount: Mount) -> None:
        self.mount = mount
        self.upload: files.Upload | None = None

    def _fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message}))

    def prepare(self) -> None:
        super().prepare()
        if self._finished:
            return
        if not same_origin(self):
            return self._fail(403, "uploads must come from the demo's own page")
        self.session = self.mount.by_hash.get(self.get_query_argument("session_hash", ""))
        if self.session is None:
            return self._fail(404, "no such session (reload the page)")
        limit = self.mount.max_file_size
        length = self.request.headers.get("Content-Length")
        if limit is not None and length is not None and length.isdigit() and int(length) > limit:
            return self._fail(413, f"File too large: {files.human_size(int(length))}; "
                                   f"the limit is {files.human_size(limit)}")
        # With a Content-Length, tornado itself stops at the limit. A chunked body has
        # none: tornado would answer a bare 400, so data_received() refuses it with 413.
        chunked = length is None or not length.isdigit()
        self.request.connection.set_max_body_size(MAX_BODY if limit is None or chunked else limit + 1)
        name = unquote(self.request.headers.get("X-File-Name", "upload"))
        mime = self.request.headers.get("Content-Type") or None
        self.upload = self.session.files.writer(name, mime)

    def data_received(self, chunk: bytes) -> None:
        if self.upload is None:
            return
        if self.upload.store.closed:  # the page closed mid-upload: its session's files are gone
            return self._gone()
        limit = self.mount.max_file_size
        if limit is not None and self.upload.size + len(chunk) > limit:
            self.upload.abort()
            self.upload = None
            self._fail(413, f"File too large; the limit is {files.human_size(limit)}")
            return
        self.upload.write(chunk)

    def _gone(self) -> None:
        self.upload.abort()
        self.upload = None
        self._fail(410, "the page's session ended during the upload")

    def post(self) -> None:
        if self.upload is None:
            return
        if self.upload.store.closed:
            return self._gone()
        try:
            fd = self.upload.commit()
        except OSError:  # the session ended between the last chunk and now
            return self._gone()
        self.upload = None
        with files.using(self.session.files):
            body = with_urls(fd, self.mount.prefix, self.session.session_hash)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def on_connection_close(self) -> None:
        if self.upload is not None:
            self.upload.abort()
            self.upload = None


class FileHandler(tornado.web.StaticFileHandler):
    """GET <prefix>file/<session_hash|app>/<id>/<name>: a file of that session
    (an upload or an output) or of the app, looked up by its random id.

    A path from the URL is never opened: the id is a key into the session's
    store. Range requests work (video and audio seeking). HTML, SVG and other
    types that could run script are sent as attachments, and every file gets a
    sandboxing Content-Security-Policy and nosniff. ``?download=1`` asks for
    an attachment named after the original file; ``?frame=1`` serves HTML
    inline under ``FRAME_CSP`` (script in an opaque origin) for Plot's iframe.
    """

    def initialize(self, mount: Mount) -> None:  # type: ignore[override]
        self.mount = mount
        self.root = ""
        self.entry: files.Entry | None = None

    def prepare(self) -> None:
        security.guard(self)

    async def get(self, owner: str, file_id: str, name: str, include_body: bool = True) -> None:
        if owner == "app":
            store = files.app_store()
        else:
            session = self.mount.by_hash.get(owner)
            store = session.files if session is not None else None
        self.entry = store.get(file_id) if store is not None else None
        if self.entry is None or not self.entry.path.is_file() or name != self.entry.orig_name:
            raise tornado.web.HTTPError(404)  # the name must be the file's own (never opened)
        self.root = str(self.entry.path.parent)
        await super().get(self.entry.path.name, include_body)

    def head(self, owner: str, file_id: str, name: str):  # type: ignore[override]
        return self.get(owner, file_id, name, include_body=False)

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        # the file's random id (its folder): unique, ASCII, and no server path in the ETag
        return Path(abspath).parent.name

    def get_content_type(self) -> str:
        return self.entry.mime_type if self.entry else "application/octet-stream"

    def set_extra_headers(self, path: str) -> None:
        entry = self.entry
        self.set_header("X-Content-Type-Options", "nosniff")
        mime = entry.mime_type.split(";")[0].strip().lower()
        framed = mime == "text/html" and not entry.uploaded \
            and self.get_query_argument("frame", "") == "1" and not self.get_query_argument("download", "")
        self.set_header("Content-Security-Policy", FRAME_CSP if framed else FILE_CSP)
        self.set_header("Cache-Control", "private, max-age=3600")
        unsafe = mime in UNSAFE_TYPES and not framed
        kind = "attachment" if unsafe or self.get_query_argument("download", "") else "inline"
        ascii_name = entry.orig_name.encode("ascii", "replace").decode().replace('"', "'")
        self.set_header("Content-Disposition",
                        f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(entry.orig_name)}")


class SocketHandler(tornado.websocket.WebSocketHandler):
    """WS <prefix>ws: one page session.

    Origin is checked by tornado's default ``check_origin`` (the Origin's host
    must equal the Host header), so other sites cannot drive a session; the
    Host name, the login and the number of sessions of one client are checked
    before the upgrade (:func:`security.guard`, :class:`security.Limits`).
    Every malformed or refused message (too large, too deep, too many per
    second, too much data held) gets an ``{"type": "error"}`` reply; the
    session stays open.
    """

    def initialize(self, mount: Mount) -> None:
        self.mount = mount
        self.session: ServerSession | None = None
        self.client = ""

    def prepare(self) -> None:
        if not security.guard(self):
            return
        sec = security.security_of(self)
        if sec is None:
            return
        self.client = self.request.remote_ip or ""
        if sec.sessions_of.get(self.client, 0) >= sec.limits.sessions_per_client:
            security._refuse(self, 429, f"too many open pages from {self.client} "
                                        f"(limit {sec.limits.sessions_per_client}); close some")
            return
        self.rate = security.RateLimit(sec.limits.messages_per_second, sec.limits.message_burst)
        self.values = security.SessionValues(sec.limits, sec.memory)

    def get_current_user(self) -> str | None:
        return security.user_of(self)

    def open(self) -> None:
        self.set_nodelay(True)
        session = self.session = ServerSession(self.mount.engine, self.write_message, self.mount.prefix)
        session.request = request_of(self.request, session.session_hash)
        session.request.username = security.user_of(self)
        # the page of a multipage demo this socket serves (the page adds ?__page=)
        page = session.request.query_params.pop("__page", "")
        if page in {p.path for p in getattr(self.mount.blocks, "pages", list)()}:
            session.page = page
        browser_state = session.request.query_params.pop("__browser_state", "")
        if browser_state:  # gr.BrowserState values this browser kept (js/src/host.js)
            try:
                session.restore_browser_state(json.loads(browser_state))
            except ValueError:
                pass
        if i18n.active():  # gr.I18n: this session's language, and its initial texts in it
            session.locale = i18n.locale_for(self.request.headers.get("Accept-Language"))
            for comp in _all_components(self.mount.blocks):
                props = {k: v for k, v in comp.props().items() if i18n.has_marker(v)}
                if props:
                    session.remember(comp, i18n.translate(props, session.locale))
        saved = self.mount.deep_links.get(session.request.query_params.get("deep_link", ""))
        if saved:  # a gr.DeepLinkButton link: the session starts with the saved values
            app = self.mount.engine.app.fresh()
            for comp_id, props in saved.items():
                if comp_id in app.blocks:
                    session.remember(app.blocks[comp_id], props)
        blocks = self.mount.blocks
        session.files.policy = files.FilePolicy(getattr(blocks, "allowed_paths", None),
                                                getattr(blocks, "blocked_paths", None))
        sec = security.security_of(self)
        if sec is not None:  # counted until on_close
            sec.sessions_of[self.client] = sec.sessions_of.get(self.client, 0) + 1
            self.counted = sec
        self.mount.sessions.add(session)
        self.mount.by_hash[session.session_hash] = session
        self.mount.sockets.add(self)
        session.emit({"type": protocol.HELLO, "session_hash": session.session_hash})
        self.mount.engine.open(session)

    def on_message(self, message: str | bytes) -> None:
        session = self.session
        if session is None:
            return
        sec = getattr(self, "counted", None)
        if sec is not None and not self.rate.allow():
            session.emit(protocol.error(
                f"slow down: this page sent more than {sec.limits.messages_per_second:g} "
                "messages per second; this one was dropped"))
            return
        if isinstance(message, bytes):
            self._on_binary(session, message)
            return
        undo = None
        try:
            if sec is not None:
                msg = security.parse_message(message, sec.limits)
                if isinstance(msg, dict) and "value" in msg \
                        and msg.get("type") in (protocol.SET, protocol.EVENT):
                    undo = self.values.hold(msg.get("id"), len(message))
            else:
                msg = json.loads(message)
        except RecursionError:
            session.emit(protocol.error("message nested too deeply"))
            return
        except ValueError as e:
            session.emit(protocol.error(str(e) if sec is not None else f"message is not JSON: {e}"))
            return
        try:
            if isinstance(msg, dict) and msg.get("type") == protocol.RESYNC:
                session.resync(msg.get("id"))
            else:
                dispatch(session, msg)
        except ValueError as e:
            if undo is not None:
                undo()
            session.emit(protocol.error(str(e)))
        except RecursionError:
            if undo is not None:
                undo()
            session.emit(protocol.error("message nested too deeply"))
        except Exception as e:  # a bug must not cost the visitor their session
            log.exception("nbdemo: error handling a page message")
            session.emit(protocol.error(f"the server could not handle this message ({type(e).__name__})"))

    def _on_binary(self, session: ServerSession, message: bytes) -> None:
        """A binary message: a ``stream`` frame (header + bytes, see
        :func:`protocol.unpack_frame`), no larger than ``max_value_message``."""
        sec = getattr(self, "counted", None)
        limit = sec.limits.max_value_message if sec is not None else None
        try:
            if limit is not None and len(message) > limit:
                raise ValueError(f"frame too large ({len(message):,} bytes; the limit is {limit:,})")
            header, data = protocol.unpack_frame(message)
            if header.get("type") != protocol.STREAM:
                raise ValueError(f"binary messages must be 'stream' frames, got {header.get('type')!r:.40}")
            dispatch(session, header, data)
        except ValueError as e:
            session.emit(protocol.error(str(e)))
        except Exception as e:  # a bug must not cost the visitor their session
            log.exception("nbdemo: error handling a stream frame")
            session.emit(protocol.error(f"the server could not handle this frame ({type(e).__name__})"))

    def on_close(self) -> None:
        self.mount.sockets.discard(self)
        self._uncount()
        if self.session is not None:
            self.mount.sessions.discard(self.session)
            self.mount.by_hash.pop(self.session.session_hash, None)
            self.session.engine.close(self.session)  # its own engine (reload may have replaced the mount's)
            self.session = None

    def _uncount(self) -> None:
        sec = getattr(self, "counted", None)
        if sec is None:
            return
        self.counted = None
        self.values.release()
        n = sec.sessions_of.get(self.client, 1) - 1
        if n > 0:
            sec.sessions_of[self.client] = n
        else:
            sec.sessions_of.pop(self.client, None)


def public_base(request, mount_prefix: str) -> str:
    """The mount's URL as the client reached it, ending in "/": a proxy in front
    may say so in X-Forwarded-Proto/-Host/-Prefix (the Jupyter door does)."""
    h = request.headers
    proto = h.get("X-Forwarded-Proto", request.protocol).split(",")[0].strip()
    host = h.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    prefix = h.get("X-Forwarded-Prefix", "").rstrip("/")
    return f"{proto}://{host}{prefix}{mount_prefix if mount_prefix.startswith('/') else '/'}"


def request_of(request, session_hash: str) -> Request:
    """The ``gr.Request`` a page session's functions receive: the headers,
    peer and page query of the WebSocket's opening request."""
    host, port = None, None
    address = getattr(request.connection, "context", None)
    address = getattr(address, "address", None)
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = address[0], address[1]
    elif request.remote_ip:
        host = request.remote_ip
    # the page opens its socket with its own query string (js/src/host.js)
    query = {k: v[-1].decode("utf-8", "replace") for k, v in request.query_arguments.items()}
    return Request(headers=dict(request.headers.get_all()), client_host=host, client_port=port,
                   query_params=query, session_hash=session_hash, path=request.path)
