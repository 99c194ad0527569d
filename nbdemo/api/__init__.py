"""nbdemo's HTTP API: Gradio's documented routes, so ``gradio_client``,
``@gradio/client`` and the curl recipes work against any nbdemo demo.

:func:`routes` gives the tornado routes of one mounted demo; the standalone
server and the Jupyter door's in-kernel server both mount them, so the API is
part of the server, not of one door. What the routes answer is described in
:mod:`nbdemo.api.handlers`; names and documents in :mod:`nbdemo.api.describe`.
With ``launch(mcp_server=True)`` the same endpoints are MCP tools at
``gradio_api/mcp/`` (:mod:`nbdemo.api.mcp`, tools in :mod:`nbdemo.api.tools`,
served through the ASGI bridge of :mod:`nbdemo.api.asgi`); the MCP SDK is
imported only then.
"""

from __future__ import annotations

import sys
import types

from .describe import API_PREFIX

__all__ = ["API_PREFIX", "routes"]


class _CallableModule(types.ModuleType):
    """Gradio's ``gr.api(fn)`` is a function, and ``nbdemo.api`` is this package:
    the package is callable, so ``gr.api(fn, api_name=...)`` and ``@gr.api()``
    work as in Gradio (see :func:`nbdemo.endpoints.api`)."""

    def __call__(self, *args, **kwargs):
        from ..endpoints import api as make_endpoint

        return make_endpoint(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
api = sys.modules[__name__]  # gr.api (nbdemo's lazy names look the module up by this)


def routes(mount, base: str) -> list:
    """The API routes of ``mount`` (a ``nbdemo.server.handlers.Mount``) served
    under the path ``base`` (the mount's prefix without its trailing "/")."""
    from . import handlers as h
    from .asgi import McpHandler
    from .session import ApiHub

    hub = getattr(mount, "api", None)
    if hub is None:
        hub = mount.api = ApiHub(mount)
    a = {"mount": mount, "hub": hub}
    api = base + API_PREFIX
    return [
        (rf"{base}/config", h.GradioConfigHandler, a),
        (rf"{api}/info/?", h.InfoHandler, a),
        (rf"{api}/call/(v2/)?([A-Za-z0-9_\-]+)", h.CallHandler, a),
        (rf"{api}/call/(v2/)?([A-Za-z0-9_\-]+)/([0-9a-f]{{1,64}})", h.CallHandler, a),
        (rf"{api}/queue/join", h.JoinHandler, a),
        (rf"{api}/queue/data", h.DataHandler, a),
        (rf"{api}/heartbeat/([^/]+)", h.HeartbeatHandler, a),
        (rf"{api}/(?:cancel|reset)", h.CancelHandler, a),
        (rf"{api}/upload", h.ApiUploadHandler, a),
        (rf"{api}/file=(.+)", h.ApiFileHandler, a),
        (rf"{api}/mcp(/.*)?", McpHandler, a),
        (rf"{api}/.*", h.NotFoundHandler, a),
    ]
