"""nbdemo's jupyter-server extension (enabled on install): the Jupyter door.

It loads in every Jupyter server, so it imports no widget code. It does:

* TCP_NODELAY on jupyter-server's kernel WebSockets. Those sockets leave
  Nagle's algorithm on, so every small widget message (a click, an output
  update) can wait for a delayed ACK: measured here, an inline
  click-to-output took ~47 ms instead of ~6 ms (benchmarks/bench_hello.py).
  It does this through jupyter-server's own
  ``kernel_websocket_connection_class`` setting, wrapping whatever class is
  configured, so gateway and custom connection classes keep working.
* ``<base_url>nbdemo/``: the index of the demos the kernels serve
  (:mod:`.handlers`), each a page at ``<base_url>nbdemo/<demo_id>/`` behind
  Jupyter's login, proxied to the kernel (:mod:`.proxy`).
* Share links ``<base_url>nbdemo/share/<demo_id>/<token>/`` (:mod:`.shares`).

Kernels find the server through ``nbdemo-server-<pid>.json`` in the runtime
directory (written here, removed when the server stops): its address, for
asking for share links, and the public URL links are printed with.
"""

from __future__ import annotations

import atexit
import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

SETTING = "kernel_websocket_connection_class"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "nbdemo.jupyter"}]


def with_nodelay(cls: type) -> type:
    """A subclass of the kernel WebSocket connection class ``cls`` that sets
    TCP_NODELAY on the browser's socket before connecting to the kernel."""
    if getattr(cls, "_nbdemo_nodelay", False):
        return cls

    class NoDelayConnection(cls):  # type: ignore[misc, valid-type]
        _nbdemo_nodelay = True

        def connect(self, *args: Any, **kwargs: Any):
            handler = getattr(self, "websocket_handler", None)
            if handler is not None and getattr(handler, "ws_connection", None) is not None:
                handler.set_nodelay(True)
            return super().connect(*args, **kwargs)

    NoDelayConnection.__name__ = NoDelayConnection.__qualname__ = f"NoDelay{cls.__name__}"
    NoDelayConnection.__module__ = __name__
    return NoDelayConnection


def _load_jupyter_server_extension(serverapp) -> None:
    settings = serverapp.web_app.settings
    cls = settings.get(SETTING) or serverapp.kernel_websocket_connection_class
    settings[SETTING] = with_nodelay(cls)
    serverapp.log.info("nbdemo: TCP_NODELAY on kernel WebSockets (%s)", settings[SETTING].__name__)
    _add_door(serverapp)


def _urls(serverapp) -> tuple[str, str]:
    """(the address kernels call, the public address links are printed with),
    both ending in base_url."""
    scheme = "https" if serverapp.certfile else "http"
    host = "[::1]" if ":" in (serverapp.ip or "") else "127.0.0.1"
    local = f"{scheme}://{host}:{serverapp.port}{serverapp.base_url}"
    public = serverapp.connection_url
    if serverapp.custom_display_url:
        custom = urllib.parse.urlparse(serverapp.custom_display_url)
        public = f"{custom.scheme or scheme}://{custom.netloc}{serverapp.base_url}"
    return local, public


def _add_door(serverapp) -> None:
    from jupyter_server.utils import url_path_join

    from .handlers import DemosHandler, IndexHandler, KernelSharesHandler, SharesHandler
    from .proxy import OwnerProxy, ShareProxy, Upstream
    from .registry import SERVER_FILE, Registry
    from .shares import Shares

    km = serverapp.kernel_manager
    registry = Registry(serverapp.runtime_dir, km.list_kernel_ids, serverapp.root_dir)
    shares = Shares()
    upstream = Upstream(registry)
    local, public = _urls(serverapp)
    base = serverapp.base_url
    owner = {"registry": registry, "shares": shares}
    demo = r"([0-9a-f]{16})"
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, r"nbdemo/?"), IndexHandler, owner),
        (url_path_join(base, r"nbdemo/api/demos"), DemosHandler, owner),
        (url_path_join(base, rf"nbdemo/api/demos/{demo}/shares(?:/([A-Za-z0-9_-]+))?"),
         SharesHandler, owner),
        (url_path_join(base, r"nbdemo/api/kernel/shares"), KernelSharesHandler,
         {**owner, "public_url": public}),
        (url_path_join(base, rf"nbdemo/share/{demo}/([A-Za-z0-9_.-]+)(?:/(.*))?"), ShareProxy,
         {**owner, "upstream": upstream, "base_url": base}),
        (url_path_join(base, rf"nbdemo/{demo}(?:/(.*))?"), OwnerProxy,
         {"registry": registry, "upstream": upstream}),
    ])
    mark = Path(serverapp.runtime_dir) / SERVER_FILE.format(pid=os.getpid())
    mark.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"pid": os.getpid(), "url": local, "public_url": public, "base_url": base}, f)
    atexit.register(_remove, mark)
    serverapp.log.info("nbdemo: running demos at %snbdemo/", public)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


# the name older jupyter-server versions look for
load_jupyter_server_extension = _load_jupyter_server_extension
