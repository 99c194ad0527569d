"""The login and logout routes (``launch(auth=)``), at ``<prefix>login`` and
``<prefix>logout`` of every demo, and at ``/login``, ``/logout``.

``POST login`` takes a form (``username``, ``password``), as Gradio's route
does, so ``gradio_client.Client(url, auth=(user, password))`` logs in: the
reply is ``{"success": true}`` with the session cookie, or 401. The login page
posts the same form with a ``next`` field, and is redirected there (or shown
the form again with the error). Every URL here is relative to the route, so
the pages work below a proxy's prefix (the Jupyter door).
"""

from __future__ import annotations

import json

from .handlers import BaseHandler
from .security import Throttled, security_of


def _local(url: str | None) -> str:
    """``url`` if it is the page beside the login route (``./`` with a query),
    else ``./``: a login never sends the browser to another site or path."""
    if url and url.startswith("./") and "/" not in url[2:].split("?", 1)[0] and "\\" not in url:
        return url
    return "./"


class LoginHandler(BaseHandler):
    """GET: the login form; POST: check the pair and set the session cookie."""

    public = True

    def initialize(self, title: str = "nbdemo", static_url: str = "/static/") -> None:
        self.title = title
        self.static_url_prefix = static_url

    def _form(self, status: int = 200, error: str | None = None, username: str = "") -> None:
        auth = security_of(self).auth
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.render("login.html", title=self.title, static=self.static_url_prefix,
                    message=auth.message if auth else None, error=error, username=username,
                    action="login", next_url=_local(self.get_argument("next", "")))

    def prepare(self) -> None:
        if self.request.path.endswith("/"):  # .../login/: relative URLs below need .../login
            self.redirect("../login" + ("?" + self.request.query if self.request.query else ""))

    def get(self) -> None:
        if security_of(self) is None or security_of(self).auth is None:
            self.redirect("./")
            return
        self._form()

    async def post(self) -> None:
        sec = security_of(self)
        if sec is None or sec.auth is None:
            self.redirect("./")
            return
        username = self.get_body_argument("username", "").strip()
        password = self.get_body_argument("password", "")
        page = self.get_body_argument("next", None)
        try:
            token = await sec.auth.login(username, password, self.request.remote_ip or "")
        except Throttled as e:
            self.set_header("Retry-After", str(max(1, round(e.retry_after))))
            if page is not None:
                return self._form(429, str(e), username)
            self.set_status(429)
            return self.finish({"error": str(e), "detail": str(e)})
        if token is None:
            if page is not None:
                return self._form(401, "Incorrect username or password.", username)
            self.set_status(401)
            return self.finish({"error": "Incorrect credentials.", "detail": "Incorrect credentials."})
        sec.auth.set_cookie(self, token)
        if page is not None:
            self.redirect(_local(page))
        else:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"success": True}))


class LogoutHandler(BaseHandler):
    """GET/POST: forget this browser's login and go back to the login page."""

    public = True

    def _logout(self) -> None:
        sec = security_of(self)
        if sec is not None and sec.auth is not None:
            sec.auth.logout(sec.auth.token_of(self))
            self.clear_cookie(sec.auth.cookie_name, path="/")
        self.redirect("./")

    def get(self) -> None:
        self._logout()

    def post(self) -> None:
        self._logout()
