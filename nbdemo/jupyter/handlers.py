"""The extension's own pages and endpoints (the proxy is in :mod:`.proxy`).

* ``GET <base_url>nbdemo/``: the index of running demos (Jupyter login);
  ``POST`` with ``action=share|revoke`` (a form with Jupyter's XSRF token).
* ``GET <base_url>nbdemo/api/demos``, ``POST …/api/demos/<id>/shares`` (body
  ``{"expires": seconds}``, optional), ``DELETE …/api/demos/<id>/shares[/<share_id>]``:
  the same as JSON, for the inline toolbar (Jupyter login, XSRF).
* ``POST``/``DELETE <base_url>nbdemo/api/kernel/shares``: a kernel asks for
  or revokes a share link of its own demo. It proves who it is with
  ``Authorization: nbdemo-kernel <kernel_id> <secret>``, the secret it wrote
  in its registration (mode 0600, see :mod:`.registry`); the extension signs
  the token, the kernel never sees the server's secret.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import tornado.template
import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from .registry import Registry
from .shares import Share, Shares

TEMPLATE = tornado.template.Template(
    (Path(__file__).resolve().parent / "index.html").read_text(), name="nbdemo-index.html")


def share_json(share: Share, origin: str, base_url: str) -> dict:
    return {"share_id": share.share_id, "demo_id": share.demo_id, "expires": share.expires,
            "path": base_url + share.path(), "url": origin + base_url + share.path()}


def require_login(handler: JupyterHandler, redirect: bool = True) -> None:
    """Jupyter's login (cookie or token) and the authorizer's ``execute`` on
    ``kernels`` (using a demo runs code in a kernel), whatever
    ``allow_unauthenticated_access`` says: a GET without login goes to the
    login page (``redirect``), anything else gets 403."""
    if handler.current_user is None:
        if redirect and handler.request.method in ("GET", "HEAD"):
            tornado.web.authenticated(lambda h: None)(handler)  # redirects to login
            return
        raise tornado.web.HTTPError(403)
    if not handler.authorizer.is_authorized(handler, handler.current_user, "execute", "kernels"):
        raise tornado.web.HTTPError(403, "not authorized to use kernels")


class _Owner(JupyterHandler):
    """Jupyter's login and the authorizer's ``execute`` on ``kernels``."""

    def initialize(self, registry: Registry, shares: Shares) -> None:
        self.registry = registry
        self.shares = shares

    def prepare(self):  # type: ignore[override]
        return self._prepare()

    async def _prepare(self) -> None:
        await super().prepare()
        if self._finished:
            return
        require_login(self)


    @property
    def origin(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"


class IndexHandler(_Owner):
    """The running demos of every kernel of this server, with open/share/revoke."""

    @tornado.web.authenticated
    def get(self) -> None:
        self._render(None)

    @tornado.web.authenticated
    def post(self) -> None:
        action = self.get_body_argument("action", "")
        demo_id = self.get_body_argument("demo", "")
        demo = self.registry.find(demo_id)
        if demo is None:
            return self._render("That demo is no longer running.")
        if action == "share":
            self.shares.create(demo.demo_id, demo.kernel_id)
            return self.redirect(self.request.path)
        if action == "revoke":
            share_id = self.get_body_argument("share", "")
            if not any(s.share_id == share_id for s in self.shares.of_demo(demo.demo_id)):
                return self._render("That link was not live.")
            self.shares.revoke(share_id)
            return self.redirect(self.request.path)
        raise tornado.web.HTTPError(400, f"unknown action {action!r}")

    def _render(self, notice: str | None) -> None:
        rows = []
        for d in self.registry.demos():
            started = datetime.datetime.fromtimestamp(d.started).astimezone()
            rows.append({"demo": d, "started": started.strftime("%Y-%m-%d %H:%M:%S %Z"),
                         "page": f"{self.base_url}nbdemo/{d.demo_id}/",
                         "shares": [share_json(s, self.origin, self.base_url)
                                    for s in self.shares.of_demo(d.demo_id)]})
        self.set_header("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                        "frame-ancestors 'self'")
        self.set_header("Cache-Control", "no-store")
        self.finish(TEMPLATE.generate(rows=rows, notice=notice, xsrf=self.xsrf_form_html(),
                                      expires=_when))


def _when(t: float) -> str:
    return datetime.datetime.fromtimestamp(t).astimezone().strftime("%Y-%m-%d %H:%M %Z")


class DemosHandler(_Owner):
    """GET: the running demos as JSON."""

    @tornado.web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"demos": [
            {"id": d.demo_id, "title": d.title, "notebook": d.notebook, "kernel_id": d.kernel_id,
             "started": d.started, "page": f"{self.base_url}nbdemo/{d.demo_id}/",
             "shares": [share_json(s, self.origin, self.base_url)
                        for s in self.shares.of_demo(d.demo_id)]}
            for d in self.registry.demos()]}))


class SharesHandler(_Owner):
    """POST: a new share link of one demo; DELETE: revoke one (or all) of its links."""

    @tornado.web.authenticated
    def post(self, demo_id: str, share_id: str | None = None) -> None:
        demo = self.registry.find(demo_id)
        if demo is None or share_id:
            raise tornado.web.HTTPError(404)
        try:
            body = json.loads(self.request.body or b"{}")
            share = self.shares.create(demo.demo_id, demo.kernel_id, body.get("expires"))
        except ValueError as e:
            raise tornado.web.HTTPError(400, str(e)) from None
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(share_json(share, self.origin, self.base_url)))

    @tornado.web.authenticated
    def delete(self, demo_id: str, share_id: str | None = None) -> None:
        if share_id:
            ok = any(s.share_id == share_id for s in self.shares.of_demo(demo_id))
            revoked = int(ok and self.shares.revoke(share_id))
        else:
            revoked = self.shares.revoke_demo(demo_id)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"revoked": revoked}))


class KernelSharesHandler(tornado.web.RequestHandler):
    """A kernel asks for (POST ``{"demo_id", "expires"}``) or revokes (DELETE
    ``?demo_id=``) share links of one of its own demos."""

    def initialize(self, registry: Registry, shares: Shares, public_url: str) -> None:
        self.registry = registry
        self.shares = shares
        self.public_url = public_url

    def check_xsrf_cookie(self) -> None:
        # the credential is the Authorization header, which no other site's
        # page can send here; no cookie is read
        return None

    def prepare(self) -> None:
        scheme, _, rest = self.request.headers.get("Authorization", "").partition(" ")
        kernel_id, _, secret = rest.partition(" ")
        data = None
        if scheme == "nbdemo-kernel" and kernel_id and secret:
            data = self.registry.check_kernel(kernel_id, secret)
        if data is None:
            raise tornado.web.HTTPError(403)
        self.kernel_id = kernel_id

    def _demo(self, demo_id: str):
        demo = self.registry.find(demo_id)
        if demo is None or demo.kernel_id != self.kernel_id:
            raise tornado.web.HTTPError(404, "no such demo in this kernel")
        return demo

    def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "body is not JSON") from None
        demo = self._demo(str(body.get("demo_id")))
        try:
            share = self.shares.create(demo.demo_id, demo.kernel_id, body.get("expires"))
        except ValueError as e:
            raise tornado.web.HTTPError(400, str(e)) from None
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"share_id": share.share_id, "expires": share.expires,
                                "path": share.path(), "url": self.public_url + share.path()}))

    def delete(self) -> None:
        demo_id = self.get_query_argument("demo_id", "")
        if self.registry.find(demo_id) is not None:
            self._demo(demo_id)
        # a demo that just closed may already be unregistered: its links still end
        revoked = self.shares.revoke_demo(demo_id) if self._owned(demo_id) else 0
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"revoked": revoked}))

    def _owned(self, demo_id: str) -> bool:
        return all(s.kernel_id == self.kernel_id for s in self.shares.of_demo(demo_id))
