"""Blocks: the demo. A ``with`` block that collects components, layout and
event listeners; displayed inline in a notebook or served by ``launch()``.

Building the demo is here; running events is ``engine/``; serving it is
``notebook/`` (inline) and ``server/`` (standalone).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from . import _args, context, themes
from .events import Dependency, EventListener, _register
from .layout import BlockContext, Column

THEMES = ("default", "light", "dark", "base", "soft", "glass", "monochrome", "citrus", "ocean", "origin")


class Blocks(BlockContext):
    """A demo built with ``with nbdemo.Blocks() as demo: ...``.

    ``title``: the page title. ``css``: extra CSS for the demo (scoped by the
    page; use ``elem_id``/``elem_classes`` to target components).
    ``fill_height``: the demo fills the page's height (standalone).
    ``theme``: "default" (follows the notebook's or the OS's light/dark
    setting), "light" or "dark"; Gradio's themes (``gr.themes.Soft()``, a
    name such as "ocean", a ``.set(...)`` theme) become CSS variables on the
    demo (see :mod:`nbdemo.themes`), in both light and dark. A ``Blocks``
    opened inside another renders in its place; its listeners join the
    outer demo.
    """

    kind = "blocks"

    def __init__(self, theme: Any = None, analytics_enabled: bool | None = None,
                 mode: str = "blocks", title: str = "nbdemo", css: str | None = None,
                 js: str | None = None, head: str | None = None, fill_height: bool = False,
                 fill_width: bool = False, delete_cache: Any = None,
                 css_paths: Any = None, head_paths: Any = None, **kw: Any) -> None:
        self.title = title
        self.css = ""
        self.theme = "default"
        #: Blocks(js=) / launch(js=): a JavaScript function run when the page shows the demo
        self.js: str | None = None
        self._style("Blocks", theme=theme, css=css, css_paths=css_paths, js=js, head=head,
                    head_paths=head_paths)
        self.fill_height = fill_height
        self.fill_width = fill_width
        self.mode = mode
        self.dependencies: list[Dependency] = []
        self.default_concurrency_limit: int | None = None
        #: runs that may wait in the queue (None: no bound); see queue()
        self.max_queue_size: int | None = None
        self.max_file_size = None
        #: (frequency, age) in seconds: session files older than ``age`` are
        #: removed every ``frequency`` (Gradio's argument; default (3600, 86400))
        self.delete_cache = delete_cache
        self._engine = None
        self._server = None
        self._notebook_view = None
        self.local_url: str | None = None
        self.share_url: str | None = None
        super().__init__(render=False, **kw)

    def _style(self, where: str, *, theme: Any = None, css: str | None = None,
               css_paths: Any = None, js: str | None = None, head: str | None = None,
               head_paths: Any = None) -> None:
        """Theme and CSS, from ``Blocks()`` or (Gradio 6) ``launch()``. ``css_paths``:
        a path or list of paths of CSS files, appended to ``css``. ``js``: a
        JavaScript function (a string) the page runs once the demo shows (see
        :meth:`script`). ``head`` and ``head_paths`` are not supported yet (a
        page of nbdemo loads nothing from other hosts): one ``UserWarning``
        names them."""
        if theme is not None:
            self.theme = theme if theme in ("light", "dark") else "default"
            chosen = themes.resolve(theme)
            self._theme_css = chosen.to_css() if chosen is not None else ""
        if css is not None:
            self.css = css
        if css_paths:
            from pathlib import Path

            paths = [css_paths] if isinstance(css_paths, (str, Path)) else list(css_paths)
            self.css = "\n".join([self.css] + [Path(p).read_text() for p in paths]).strip("\n")
        self.css = themes.with_theme_css(self.css, getattr(self, "_theme_css", ""))
        if js is not None:
            if not isinstance(js, str):
                raise TypeError(f"{where}(js=) takes a JavaScript function as a string, got {js!r:.60}")
            self.js = js.strip() or None
        ignored = {k: v for k, v in (("head", head), ("head_paths", head_paths)) if v}
        _args.check(where, ignored, ignored, stacklevel=4)

    def script(self) -> str | None:
        """The ES module of the app's own JavaScript (None when it has none):
        ``load()`` runs ``Blocks(js=)``/``launch(js=)`` once the page shows the
        demo; ``listeners[fn_index](...values)`` runs a listener's ``js=``.
        The standalone page loads it from ``<prefix>app_js.js`` (same origin:
        its Content-Security-Policy stays ``script-src 'self'``, no eval); the
        notebook from a ``blob:`` URL. The sources are the author's, as
        written; values reach them as arguments only."""
        listeners = [(i, d.extra["js"]) for i, d in enumerate(self.dependencies) if "js" in d.extra]
        if not listeners and not getattr(self, "js", None):
            return None
        lines = ["// nbdemo: this demo's own JavaScript (js= of Blocks/launch and of listeners)"]
        load = f"(\n{self.js}\n)()" if getattr(self, "js", None) else "undefined"
        lines.append(f"export async function load() {{ return await {load}; }}")
        lines.append("export const listeners = {")
        for i, js in listeners:
            lines.append(f"  {i}: async (...args) => await (\n{js}\n)(...args),")
        lines.append("};")
        return "\n".join(lines) + "\n"

    def js_listeners(self) -> list[dict]:
        """What the page needs to run listeners' ``js=``: for each, its index,
        triggers ([component id, event]), input and output ids, and whether a
        Python ``fn`` follows."""
        return [{"fn_index": i, "triggers": [[b._id, e] for b, e in d.triggers],
                 "inputs": [c._id for c in d.inputs], "outputs": [c._id for c in d.outputs],
                 "fn": d.fn is not None}
                for i, d in enumerate(self.dependencies) if "js" in d.extra]

    # -- building ------------------------------------------------------------------
    def __enter__(self) -> Blocks:
        self._outer = context.current()
        super().__enter__()
        page = self.__dict__.pop("_entering_page", None)  # with demo.route(...):
        if page is not None:
            context.stack().append(page)
            self._open_page = page
        return self

    def __exit__(self, *exc) -> None:
        page = self.__dict__.pop("_open_page", None)
        if page is not None:
            stack = context.stack()
            if stack and stack[-1] is page:
                stack.pop()
        super().__exit__(*exc)
        outer = self._outer
        self._outer = None
        if outer is not None and self.parent is None:
            outer.add_child(self)
            root = context.root()
            if root is not None and root is not self:
                self._adopt_into(root)

    # -- pages (Gradio's multipage apps) ---------------------------------------------
    def route(self, name: str, path: str | None = None, show_in_navbar: bool = True) -> Blocks:
        """Add a page (Gradio's ``Blocks.route``): ``with demo.route("Settings",
        "/settings"):`` builds it; listeners added there (``demo.load`` too)
        belong to it. ``path``: the URL below the app (default: ``name``
        lower-cased, spaces as "-"); ``show_in_navbar``: listed in the
        navigation bar (a ``gr.Navbar`` on the page, else one nbdemo adds).
        The standalone server (and the Jupyter door) serves each page at
        ``<app>/<path>/``; a page's session runs only that page's ``load``
        listeners. Inline in a notebook only the main page shows (a warning
        says so). Returns this Blocks. Raises ``ValueError`` inside a
        ``with`` block, for a path with other characters than
        ``A-Za-z0-9-._~!$&'()*+,;=:@[]`` or one already used."""
        if context.current() is not None:
            raise ValueError("Blocks.route(): call it outside the with Blocks() block (unindent it)")
        path = (path if path is not None else re.sub(r"[^a-z0-9]+", "-", name.lower())).strip("/").strip("-")
        if not path or not _PAGE_PATH.fullmatch(path):
            raise ValueError(f"Blocks.route(): bad page path {path!r}; it may hold A-Za-z0-9 and "
                             "-._~!$&'()*+,;=:@[]")
        if path in _RESERVED_PATHS or any(p.path == path for p in self.pages()):
            raise ValueError(f"Blocks.route(): the path {path!r} is already used")
        page = Page(path, name, show_in_navbar)
        self.add_child(page)
        self._entering_page = page
        return self

    def pages(self) -> list[Page]:
        """The pages added with :meth:`route`, in order (the main page is not one)."""
        return [c for c in self.children if isinstance(c, Page)]

    def render(self) -> Blocks:
        """Place this demo (its components and listeners) inside the open Blocks."""
        ctx = context.current()
        if ctx is None or ctx is self:
            return self
        ctx.add_child(self)
        root = context.root()
        if root is not None and root is not self:
            self._adopt_into(root)
        return self

    def clear(self) -> Blocks:
        """Remove every block and listener of this demo (Gradio's ``Blocks.clear``);
        returns the demo, so ``with demo.clear(): ...`` builds it again."""
        for child in self.children:
            child.parent = None
        self.children = []
        self.dependencies.clear()
        return self

    def _adopt_into(self, root: Blocks) -> None:
        listeners = context.listeners_of(root)  # a render run's own list, in a gr.render
        for dep in self.dependencies:
            if dep not in listeners:
                listeners.append(dep)

    #: ``demo.load(fn, inputs, outputs, ...)``: run ``fn`` when a session starts
    #: (a page opens, the notebook shows the demo); any listener argument works,
    #: and ``demo.load`` can be one of ``gr.on``'s triggers.
    load = EventListener("load", "Fires when a session starts (the page loads).")

    def unload(self, fn) -> Dependency:
        """Run ``fn()`` (no arguments, no outputs) when a session ends: its page
        closed or reloaded. It runs in the thread pool after the session's
        runs were stopped; an exception is logged."""
        return _register(self, [(self, "unload")], fn, None, None, show_progress="hidden",
                         api_name=False, show_api=False)

    def queue(self, *, default_concurrency_limit: int | None | str = "not_set",
              max_size: int | None = None, status_update_rate: Any = "auto",
              api_open: bool | None = None, **kw: Any) -> Blocks:
        """Set the queue's options (every run goes through the queue).

        ``default_concurrency_limit``: how many runs of each listener process
        at once, across all sessions, for listeners that leave
        ``concurrency_limit`` at "default". nbdemo's default is None (no
        limit); Gradio's is 1, so that one visitor's slow call blocks every
        other visitor unless the author raises it. ``max_size``: how many runs
        may wait for a slot; beyond it a new run ends at once with a "Queue is
        full" error (default None: no bound). ``status_update_rate`` and
        ``api_open`` are accepted for compatibility (queue positions are sent
        whenever they change; the HTTP API follows ``api_open`` once it exists).
        Raises TypeError for an unknown argument.
        """
        if kw:
            raise TypeError(f"queue() got an unexpected keyword argument {next(iter(kw))!r}")
        if default_concurrency_limit != "not_set":
            self.default_concurrency_limit = default_concurrency_limit
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int)
                                     or max_size < 0):
            raise ValueError(f"max_size must be an int >= 0 or None, got {max_size!r}")
        self.max_queue_size = max_size
        return self

    def layout_tree(self, ref, page: str = "") -> dict:
        """The layout as the front-end receives it; ``ref(component)`` names a
        component. ``page``: a :meth:`route` page's path ("" the main page)."""
        if page:
            found = next((p for p in self.pages() if p.path == page), None)
            if found is None:
                raise ValueError(f"no page {page!r} in this demo")
            children = found.children
        else:
            children = [c for c in self.children if not isinstance(c, Page)]
        return {"type": "column", "id": self._id, "props": {"visible": True},
                "children": [c.layout(ref) for c in children]}

    def layout(self, ref) -> dict:
        node = self.layout_tree(ref)
        node["type"] = "column"
        return node

    def components(self):
        from .components.base import Component

        return [b for b in self.walk() if isinstance(b, Component)]

    @property
    def engine(self):
        from .engine import Engine

        if self._engine is None:
            self._engine = Engine(self)
        return self._engine

    # -- serving --------------------------------------------------------------------
    def launch(self, *, inline: bool | None = None, share: bool | None = None,
               share_expires: float | None = None,
               server_name: str = "127.0.0.1", server_port: int | None = None,
               inbrowser: bool = False, prevent_thread_lock: bool = False,
               quiet: bool = False, show_error: bool = False,
               max_file_size: int | str | None = None,
               auth: Any = None, auth_message: str | None = None,
               allowed_paths: list[str] | None = None, blocked_paths: list[str] | None = None,
               allowed_hosts: list[str] | None = None, limits: Any = None,
               show_api: bool = True, footer_links: Any = None,
               theme: Any = None, css: str | None = None, css_paths: Any = None,
               js: str | None = None, head: str | None = None, head_paths: Any = None,
               mcp_server: bool | None = None, **kw: Any):
        """Show the demo.

        In a notebook kernel (or with ``inline=True``) the demo renders inline
        in the cell as Jupyter widgets and this returns at once. In a script it
        starts a tornado server at ``http://server_name:server_port/``
        (default 127.0.0.1 and port 7860, or the next free port when 7860 is
        taken and no port was asked for) and blocks until Ctrl+C, unless
        ``prevent_thread_lock=True``, which serves from a background thread and
        returns. ``max_file_size``: the largest upload, in bytes or as "10mb"
        (Gradio's units), enforced before the body is read; default no limit.
        ``show_error``: show exception messages to users (otherwise
        only ``nbdemo.Error`` messages are shown). ``inbrowser``: open a
        browser tab. Returns ``(server, local_url, share_url)`` as Gradio does.

        ``share=True`` in a notebook: the Jupyter server running the kernel
        (with nbdemo's extension) makes a share link to this demo, which is
        printed, set as ``self.share_url`` and returned; it needs no Jupyter
        login, opens only this demo, and lasts ``share_expires`` seconds
        (default 72 hours; see ``revoke_share()``). Where there is no such
        server (VS Code, Colab, a script) one ``UserWarning`` says what is
        possible; nbdemo opens no tunnel to a third party.

        ``auth``: require a login, as in Gradio: a ``(username, password)``
        pair, a list of pairs, or a function ``(username, password) -> bool``;
        ``auth_message`` is shown on the login page. It covers the page, its
        WebSocket, uploads, files and the HTTP API (``gradio_client``'s
        ``Client(url, auth=(u, p))`` logs in); functions see the user as
        ``gr.Request.username``. Passwords are compared in constant time and
        failed logins are throttled per client and per user name.

        ``allowed_paths`` / ``blocked_paths``: folders or files functions may
        (may never) return as output files; by default only files in the
        working directory, the temp directory and ``gr.set_static_paths``
        are served, after resolving symlinks (see :class:`nbdemo.files.FilePolicy`).

        ``allowed_hosts`` (nbdemo's own): Host names a loopback-bound server
        accepts besides localhost, 127.0.0.1, [::1] and ``*.localhost`` (e.g.
        ``["myapp.test"]`` behind a local proxy); other names get 403, which
        stops DNS-rebinding attacks. ``limits`` (nbdemo's own): a dict (or
        ``nbdemo.server.security.Limits``) changing the server's limits: header
        and body timeouts (seconds), message sizes (bytes), JSON depth, memory
        of values per session and in total, sessions per client, messages per
        second, login throttling; see ``Limits`` for the defaults.

        ``theme``, ``css``, ``css_paths``, ``js``: as in ``Blocks()`` (Gradio 6
        takes them here). ``i18n``: a ``gr.I18n`` (its translations apply from
        when it is made; see :mod:`nbdemo.i18n`).

        The HTTP API (``/config``, ``/gradio_api/...``, Gradio's
        routes; see ``nbdemo.api``) is always served; ``show_api=False``
        removes the page footer's "Use via API" link and its page, and
        ``footer_links`` (Gradio 6: a list such as ``["api"]``; default
        ``["api"]``, ``[]`` for no footer) chooses the footer's links.
        Endpoints are hidden from the API with a listener's ``api_name=False``
        or ``api_visibility``. ``share``: see the Jupyter door.

        ``mcp_server=True``: also serve every public endpoint as a tool of an
        MCP server (Model Context Protocol) on the same server, at Gradio's
        paths: ``<url>gradio_api/mcp/`` (streamable HTTP) and
        ``<url>gradio_api/mcp/sse`` (SSE); the tool's name, description and
        parameters come from the function's name and docstring (``Args:``) and
        the endpoint's parameters (see ``nbdemo.api.mcp``). ``None`` (the
        default) reads the ``GRADIO_MCP_SERVER`` (or ``NBDEMO_MCP_SERVER``)
        environment variable ("true" turns it on), as Gradio does. Needs the
        ``mcp`` package: raises ``ImportError`` naming
        ``pip install "nbdemo[mcp]"`` when it is missing. The SDK takes seconds
        to import; it loads in a background thread while the server starts,
        and the first MCP request waits for it (``launch()`` does not).

        Not supported yet (one ``UserWarning`` names them; they are ignored):
        ``head``, ``head_paths``, ``debug``, ``max_threads``,
        ``height``, ``width``, ``favicon_path``, ``ssl_keyfile``,
        ``ssl_certfile``, ``ssl_keyfile_password``, ``ssl_verify``,
        ``run_history``, ``root_path``, ``app_kwargs``,
        ``state_session_capacity``, ``share_server_address``,
        ``share_server_protocol``, ``share_server_tls_certificate``,
        ``auth_dependency``, ``enable_monitoring``, ``strict_cors``,
        ``node_server_name``, ``node_port``, ``ssr_mode``, ``pwa``,
        ``num_workers``. Any other name raises
        ``TypeError``.

        Raises ``OSError`` when ``server_port`` is given and taken.
        """
        i18n = kw.pop("i18n", None)
        if i18n is not None and type(i18n).__name__ != "I18n":
            raise TypeError(f"launch(i18n=) takes a gr.I18n, got {type(i18n).__name__}")
        _args.check("launch", kw, _LAUNCH_NOT_YET)
        self._style("launch", theme=theme, css=css, css_paths=css_paths, js=js, head=head,
                    head_paths=head_paths)
        self.auth, self.auth_message = auth, auth_message
        self.allowed_paths, self.blocked_paths = allowed_paths, blocked_paths
        self.show_api, self.footer_links = show_api, footer_links
        self.engine.show_error = show_error
        self.mcp_server = _mcp_wanted(mcp_server)
        reload = sys.modules.get("nbdemo.reload")
        if reload is not None:  # `nbdemo run app.py` is running this script: it serves the demo
            served = reload.launching(self, dict(
                server_name=server_name, server_port=server_port, show_error=show_error,
                max_file_size=max_file_size, auth=auth, auth_message=auth_message,
                allowed_hosts=allowed_hosts, limits=limits))
            if served is not NotImplemented:
                return _Launched(served)
        if inline is None:
            inline = _in_notebook()
        if inline:
            from .notebook import door

            return _Launched(door.launch(self, share=share, share_expires=share_expires))
        if share or share_expires is not None:
            import warnings

            warnings.warn("share=True: nbdemo makes share links for demos in a Jupyter "
                          "notebook (through the Jupyter server's nbdemo extension), not from "
                          "a script; serve the script on your network with "
                          "server_name='0.0.0.0' instead", UserWarning, stacklevel=2)
        from .server import Server

        self.close()
        if max_file_size is not None:
            from .files import parse_size

            self.max_file_size = parse_size(max_file_size)
        server = Server({"/": self}, host=server_name, port=server_port, quiet=quiet,
                        show_error=show_error, auth=auth, auth_message=auth_message,
                        allowed_hosts=allowed_hosts, limits=limits)
        server.start()
        self._server = server
        self.local_url = server.url
        if not quiet:
            print(f"* Running on local URL:  {server.url}", flush=True)
            if self.mcp_server:
                print(f"* MCP server (streamable HTTP): {server.url}gradio_api/mcp/", flush=True)
        if inbrowser:
            import webbrowser

            webbrowser.open(server.url)
        if not prevent_thread_lock:
            server.block()
        return server, self.local_url, None

    def close(self, verbose: bool = True) -> None:
        """Stop the server started by ``launch()``, if any, and end its sessions.
        In a notebook, the demo's page through Jupyter and its share links end too."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        door = sys.modules.get("nbdemo.notebook.door")
        if door is not None:
            door.close(self)

    def revoke_share(self) -> int:
        """End every share link of this demo (made by ``launch(share=True)``, the
        inline toolbar or the Jupyter index); returns how many were live.
        Raises ``OSError`` if the Jupyter server cannot be reached."""
        door = sys.modules.get("nbdemo.notebook.door")
        self.share_url = None
        return door.revoke_share(self) if door is not None else 0

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .notebook import view_for

        return view_for(self)._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(title={self.title!r}, id={self._id})"


#: Gradio's launch() arguments nbdemo does not support yet (they warn).
_LAUNCH_NOT_YET = {
    "debug", "max_threads", "height", "width", "favicon_path", "ssl_keyfile", "ssl_certfile",
    "ssl_keyfile_password", "ssl_verify", "run_history", "root_path", "app_kwargs",
    "state_session_capacity", "share_server_address", "share_server_protocol",
    "share_server_tls_certificate", "auth_dependency", "enable_monitoring", "strict_cors",
    "node_server_name", "node_port", "ssr_mode", "pwa", "num_workers", "_app",
    "_frontend"}


def _mcp_wanted(mcp_server: bool | None) -> bool:
    """``launch(mcp_server=)``, or the environment's choice; checks that the
    ``mcp`` package is there when MCP is on (raises ``ImportError``)."""
    if mcp_server is None:
        import os

        env = os.environ.get("NBDEMO_MCP_SERVER", os.environ.get("GRADIO_MCP_SERVER", ""))
        mcp_server = env.strip().lower() == "true"
    if not mcp_server:
        return False
    import importlib.util

    try:
        found = importlib.util.find_spec("mcp") is not None
    except (ImportError, ValueError):  # a broken or blocked package
        found = False
    if not found:
        raise ImportError('launch(mcp_server=True) needs the MCP SDK: pip install "nbdemo[mcp]"')
    from .api.asgi import load_mcp

    load_mcp()  # the SDK imports (seconds) while the server starts; the MCP routes wait for it
    return True


class _Launched(tuple):
    """``launch()``'s ``(server, local_url, share_url)``; as a cell's last line
    it shows nothing (not "(None, None, None)" under the demo)."""

    def _ipython_display_(self) -> None:
        pass


def _in_notebook() -> bool:
    ip = sys.modules.get("IPython")
    if ip is None:
        return False
    try:
        shell = ip.get_ipython()
    except Exception:
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


_PAGE_PATH = re.compile(r"[a-zA-Z0-9\-._~!$&'()*+,;=:@\[\]]+")
#: paths the server uses itself below an app
_RESERVED_PATHS = {"ws", "page_config", "upload", "file", "login", "logout", "config", "gradio_api",
                   "app_js.js", "component_js", "info", "static", "theme.css", "deep_link"}


class Page(Column):
    """A page of a multipage demo (made by :meth:`Blocks.route`): its blocks show
    at ``<app>/<path>/`` only."""

    def __init__(self, path: str, name: str, show_in_navbar: bool = True) -> None:
        super().__init__(render=False)
        self.path = path
        self.name = name
        self.show_in_navbar = show_in_navbar
