"""nbdemo's jupyter-server extension (enabled on install).

For now it does one thing: it turns on TCP_NODELAY for jupyter-server's kernel
WebSockets. Those sockets leave Nagle's algorithm on, so every small widget
message (a click, an output update) can wait for a delayed ACK: measured here,
an inline click-to-output took ~47 ms instead of ~6 ms
(benchmarks/bench_hello.py). It does this through jupyter-server's own
``kernel_websocket_connection_class`` setting, wrapping whatever class is
configured, so gateway and custom connection classes keep working.

The index of running demos, the proxy to in-kernel servers and share links
(../shared/DESIGN.md) come later.
"""

from __future__ import annotations

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


# the name older jupyter-server versions look for
load_jupyter_server_extension = _load_jupyter_server_extension
