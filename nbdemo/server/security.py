"""What keeps a served demo safe by default: login (``launch(auth=)``), Host
and Origin checks, and limits (timeouts, message sizes, JSON depth, memory
of values, sessions per client, messages per second).

Every request of the standalone server passes :func:`guard` (called from the
``prepare`` of every handler: ``BaseHandler``, ``SocketHandler``,
``FileHandler``, ``StaticHandler``), so a new route that subclasses
``BaseHandler`` inherits it. :class:`Auth` is usable on its own by another
front door (the Jupyter door's share links): ``auth.user_of(handler)`` reads
a login cookie, ``auth.login(...)`` checks a password with throttling.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import inspect
import ipaddress
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

import tornado.escape
import tornado.web

log = logging.getLogger("nbdemo")

__all__ = ["Limits", "Auth", "Security", "Throttled", "guard", "parse_message", "RateLimit",
           "ValueBudget", "accept_connections"]


@dataclass
class Limits:
    """Limits of the standalone server, with safe defaults. Give another value
    with ``launch(limits={"header_timeout": 10})`` (or ``Limits(...)``).

    - ``header_timeout`` (seconds, 30): time a connection may take to send a
      request's headers, and stay idle between requests; then it is closed.
    - ``body_timeout`` (seconds, 600): time to receive a request's body (an
      upload); raise it for very large uploads over slow links.
    - ``max_message`` (bytes, 16 MiB): the largest WebSocket frame; a bigger
      one closes the socket (code 1009).
    - ``max_value_message`` (bytes, 4 MiB): the largest ``set``/``event``
      message (it carries a value); a bigger one is refused with an error
      reply and the session stays open.
    - ``max_control_message`` (bytes, 64 KiB): the largest message of any
      other kind (cancel, resync, …), refused the same way.
    - ``max_json_depth`` (64): the deepest nesting of lists/objects in a
      message; deeper ones are refused.
    - ``session_memory`` (bytes, 64 MiB): the JSON values one session may hold
      (the sum of the sizes of the values it sent, one per component);
      ``total_memory`` (bytes, 1 GiB): the same over all sessions.
    - ``sessions_per_client`` (256): open page sessions from one IP address
      (behind a reverse proxy every visitor shares the proxy's address).
    - ``messages_per_second`` (100) with bursts of ``message_burst`` (200):
      messages one session may send; beyond it a message is refused with a
      "slow down" error.
    - ``login_attempts`` (5) failed logins per ``login_window`` (60 s), per
      client and per user name, before logins from that client or for that
      name are refused for ``login_lockout`` (60 s).
    """

    header_timeout: float = 30.0
    body_timeout: float = 600.0
    max_message: int = 16 * 1024 * 1024
    max_value_message: int = 4 * 1024 * 1024
    max_control_message: int = 64 * 1024
    max_json_depth: int = 64
    session_memory: int = 64 * 1024 * 1024
    total_memory: int = 1024 * 1024 * 1024
    sessions_per_client: int = 256
    messages_per_second: float = 100.0
    message_burst: int = 200
    login_attempts: int = 5
    login_window: float = 60.0
    login_lockout: float = 60.0

    @classmethod
    def of(cls, value: Limits | dict | None) -> Limits:
        """``value`` as Limits: None gives the defaults; a dict overrides them.
        Raises ``TypeError`` for an unknown name."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            known = {f.name for f in fields(cls)}
            for name in value:
                if name not in known:
                    raise TypeError(f"limits: unknown limit {name!r} (known: {', '.join(sorted(known))})")
            return cls(**value)
        raise TypeError(f"limits must be a dict or nbdemo.server.security.Limits, got {value!r}")


# -- login ------------------------------------------------------------------------------

class Throttled(Exception):
    """Too many failed logins; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: float):
        super().__init__(f"Too many failed attempts; try again in {max(1, round(retry_after))} s.")
        self.retry_after = retry_after


class Throttle:
    """Failed attempts per key (a client address, a user name) in a sliding
    window; a key with ``attempts`` failures is locked for ``lockout`` s."""

    def __init__(self, attempts: int, window: float, lockout: float):
        self.attempts, self.window, self.lockout = attempts, window, lockout
        self._fails: dict[str, list[float]] = {}
        self._locked: dict[str, float] = {}

    def check(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            until = self._locked.get(key)
            if until is not None:
                if until > now:
                    raise Throttled(until - now)
                del self._locked[key]

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        if len(self._fails) > 100_000:  # bounded memory under a spray of names
            self._fails.clear()
        if len(self._locked) > 100_000:
            self._locked = {k: t for k, t in self._locked.items() if t > now}
        for key in keys:
            recent = [t for t in self._fails.get(key, ()) if now - t < self.window] + [now]
            if len(recent) >= self.attempts:
                self._locked[key] = now + self.lockout
                recent = []
            self._fails[key] = recent

    def succeed(self, *keys: str) -> None:
        for key in keys:
            self._fails.pop(key, None)


class Auth:
    """Gradio's ``launch(auth=)``: a ``(user, password)`` pair, a list of
    pairs, or a function ``(user, password) -> bool`` (sync or async).

    Passwords are compared in constant time (``hmac.compare_digest``); failed
    attempts are throttled per client and per user name (see :class:`Limits`).
    A successful login gets a random token, kept in memory and sent as a
    signed, HttpOnly, SameSite=Lax cookie; logout forgets it. Raises
    ``TypeError`` for an ``auth`` of another shape.
    """

    def __init__(self, auth: Any, message: str | None = None, limits: Limits | None = None):
        if callable(auth):
            self._fn: Callable | None = auth
            self._users: dict[str, str] = {}
        else:
            pairs = [auth] if isinstance(auth, tuple) else list(auth)
            if not pairs or not all(isinstance(p, (tuple, list)) and len(p) == 2
                                    and all(isinstance(x, str) for x in p) for p in pairs):
                raise TypeError("auth must be (username, password), a list of such pairs, or "
                                f"a function (username, password) -> bool; got {auth!r}")
            self._fn = None
            self._users = {u: p for u, p in pairs}
        self.message = message
        limits = limits or Limits()
        self.throttle = Throttle(limits.login_attempts, limits.login_window, limits.login_lockout)
        self.tokens: dict[str, str] = {}
        self.cookie_name = f"{AUTH_COOKIE_PREFIX}{secrets.token_hex(4)}"

    async def check(self, username: str, password: str) -> bool:
        """Whether the pair is valid (no throttling here)."""
        if self._fn is not None:
            ok = self._fn(username, password)
            if inspect.isawaitable(ok):
                ok = await ok
            return bool(ok)
        expected = self._users.get(username)
        # compare against something even for an unknown name: same time either way
        good = hmac.compare_digest((expected or secrets.token_hex(16)).encode(), password.encode())
        return good and expected is not None

    async def login(self, username: str, password: str, client: str) -> str | None:
        """A new session token for a valid pair, None for a wrong one. Raises
        :class:`Throttled` while ``client`` or ``username`` is locked out."""
        keys = (f"client:{client}", f"user:{username}")
        self.throttle.check(*keys)
        if not await self.check(username, password):
            self.throttle.fail(*keys)
            return None
        self.throttle.succeed(*keys)
        token = secrets.token_urlsafe(32)
        self.tokens[token] = username
        return token

    def logout(self, token: str | None) -> None:
        self.tokens.pop(token or "", None)

    def token_of(self, handler: tornado.web.RequestHandler) -> str | None:
        raw = handler.get_signed_cookie(self.cookie_name, max_age_days=31)
        return raw.decode() if raw else None

    def user_of(self, handler: tornado.web.RequestHandler) -> str | None:
        """The logged-in user of a request (its signed cookie), or None."""
        token = self.token_of(handler)
        return self.tokens.get(token) if token else None

    def set_cookie(self, handler: tornado.web.RequestHandler, token: str) -> None:
        handler.set_signed_cookie(self.cookie_name, token, expires_days=None, httponly=True,
                                  samesite="Lax", path="/",
                                  secure=handler.request.protocol == "https")


# -- the per-server settings and the check every request passes -------------------------

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """Whether a bind address (or Host name) is this machine only."""
    host = host.strip("[]").lower()
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Security:
    """One server's auth, Host rule and limits (``app.settings["nbdemo_security"]``).

    ``bind``: the address the server listens on; when it is a loopback
    address, only loopback Host names (localhost, 127.0.0.1, [::1],
    \\*.localhost) and ``allowed_hosts`` are accepted: a web page on another
    site whose name resolves to 127.0.0.1 (DNS rebinding) gets a 403. A
    server bound to another address accepts any Host unless
    ``allowed_hosts`` is given.

    ``owner_secret``: for a server behind a proxy that did its own login (the
    Jupyter door: Jupyter's login for the notebook's owner), a request whose
    ``X-Nbdemo-Owner`` header holds this secret needs no ``auth`` login;
    other requests (share-link visitors) do. The proxy must remove the
    header from what visitors send.
    """

    def __init__(self, *, auth: Auth | None = None, bind: str = "127.0.0.1",
                 allowed_hosts: Iterable[str] | None = None, limits: Limits | None = None,
                 owner_secret: str | None = None):
        self.auth = auth
        #: a request with this value in ``OWNER_HEADER`` needs no login
        self.owner_secret = owner_secret
        self.limits = limits or Limits()
        self.allowed_hosts = {h.lower().strip("[]") for h in (allowed_hosts or ())}
        self.check_host = is_loopback(bind) or bool(self.allowed_hosts)
        self.memory = ValueBudget(self.limits.total_memory)
        #: open page sessions per client address
        self.sessions_of: dict[str, int] = {}

    def host_allowed(self, host_header: str) -> bool:
        if not self.check_host:
            return True
        try:
            name = (urlsplit("//" + host_header).hostname or "").lower()
        except ValueError:
            return False
        if name in self.allowed_hosts or any(h.startswith("*.") and name.endswith(h[1:])
                                             for h in self.allowed_hosts):
            return True
        return is_loopback(name) and (name in LOOPBACK_NAMES or name.endswith(".localhost")
                                      or _is_ip(name))


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def security_of(handler: tornado.web.RequestHandler) -> Security | None:
    return handler.application.settings.get("nbdemo_security")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

#: The header by which a trusted proxy says "the owner, already logged in" (see Security).
OWNER_HEADER = "X-Nbdemo-Owner"

#: Login cookies are named with this prefix (a proxy passes these upstream for visitors).
AUTH_COOKIE_PREFIX = "nbdemo-auth-"

#: Paths (after a mount's prefix) that need no login: the login form itself.
OPEN_PATHS = ("login", "logout")


def same_origin(handler: tornado.web.RequestHandler) -> bool:
    """No Origin header (not a browser), or one whose host:port is the request's Host."""
    origin = handler.request.headers.get("Origin")
    if origin is None:
        return True
    try:
        return urlsplit(origin).netloc.lower() == handler.request.host.lower()
    except ValueError:
        return False


def guard(handler: tornado.web.RequestHandler, public: bool = False) -> bool:
    """Check a request before its handler runs: Host name, Origin of a
    state-changing request, and login. Returns False when it answered the
    request itself (403, 401, or a redirect to the login page).
    ``public``: the route needs no login (the JS bundle, the login form)."""
    done = getattr(handler, "_nbdemo_guard", None)
    if done is not None:  # already checked (a subclass's prepare called super's)
        return done
    handler._nbdemo_guard = ok = _guard(handler, public)
    return ok


def _guard(handler: tornado.web.RequestHandler, public: bool) -> bool:
    sec = security_of(handler)
    if sec is None:
        return True
    request = handler.request
    if not sec.host_allowed(request.host):
        _refuse(handler, 403, f"Host {request.host!r} is not allowed: this server answers only "
                              "to localhost names (see launch(allowed_hosts=))")
        return False
    if request.method not in SAFE_METHODS and not same_origin(handler):
        _refuse(handler, 403, "requests must come from the demo's own page (cross-origin)")
        return False
    if sec.auth is None or public:
        return True
    owner = request.headers.get(OWNER_HEADER)
    if owner and sec.owner_secret and hmac.compare_digest(owner.encode(), sec.owner_secret.encode()):
        return True
    user = sec.auth.user_of(handler)
    if user is not None:
        handler.nbdemo_user = user
        return True
    if request.method == "GET" and "text/html" in request.headers.get("Accept", "") \
            and request.headers.get("Upgrade", "").lower() != "websocket":
        handler.redirect(login_redirect(request.path, request.query))
        return False
    _refuse(handler, 401, "Not authenticated", auth_message=sec.auth.message)
    return False


def login_redirect(path: str, query: str = "") -> str:
    """Where a page request without a login goes: the ``login`` route beside
    the page, named relative to it (so it works below any proxy prefix, such
    as the Jupyter door's), with the page (``./`` and its query) as ``next``."""
    page = "./" + ("?" + query if query else "")
    login = "login" if path.endswith("/") else path.rsplit("/", 1)[0] + "/login"
    return login + "?next=" + tornado.escape.url_escape(page)


def _refuse(handler: tornado.web.RequestHandler, status: int, message: str, **extra: Any) -> None:
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "application/json")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(json.dumps({"error": message, "detail": message, **extra}))


def user_of(handler: tornado.web.RequestHandler) -> str | None:
    """The user ``guard`` found logged in for this request (None without auth)."""
    return getattr(handler, "nbdemo_user", None)


# -- messages from a page -----------------------------------------------------------------

class MessageError(ValueError):
    """A page message refused by a limit; its text goes back as an error reply."""


def parse_message(raw: str, limits: Limits) -> Any:
    """Parse a page's JSON message under the size and depth limits.

    Raises :class:`MessageError` (a ``ValueError``) with a message for the page.
    """
    if len(raw) > limits.max_value_message:
        raise MessageError(f"message too large ({len(raw):,} bytes; the limit is "
                           f"{limits.max_value_message:,})")
    # bracket count is cheap (C); a full depth walk only when it could matter
    deep = raw.count("[") + raw.count("{") > limits.max_json_depth
    try:
        msg = json.loads(raw)
    except RecursionError:
        raise MessageError(f"message nested too deeply (limit {limits.max_json_depth})") from None
    except ValueError as e:
        raise MessageError(f"message is not JSON: {e}") from None
    if deep and not _depth_ok(msg, limits.max_json_depth):
        raise MessageError(f"message nested too deeply (limit {limits.max_json_depth})")
    kind = msg.get("type") if isinstance(msg, dict) else None
    if kind not in ("set", "event") and len(raw) > limits.max_control_message:
        raise MessageError(f"{kind or 'this'} message too large ({len(raw):,} bytes; "
                           f"the limit is {limits.max_control_message:,})")
    return msg


def _depth_ok(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            if d > limit:
                return False
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return True


class RateLimit:
    """A token bucket: ``rate`` messages per second, bursts of ``burst``."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.last = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class ValueBudget:
    """Bytes of values held, for one session (per key) under a shared total."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0


class SessionValues:
    """The sizes of the values one session sent (one per component id),
    counted against the session's and the server's limits."""

    def __init__(self, limits: Limits, total: ValueBudget):
        self.limit, self.total = limits.session_memory, total
        self.sizes: dict[Any, int] = {}
        self.used = 0

    def hold(self, key: Any, size: int) -> Callable[[], None]:
        """Account ``size`` bytes for ``key`` (replacing its last size); returns
        a function that undoes it (the value was refused after all). Raises
        :class:`MessageError` when this session or the server would exceed its limit."""
        if not isinstance(key, (int, str)) or isinstance(key, bool):
            key = None
        before = self.sizes.get(key, 0)
        delta = size - before
        if delta > 0 and self.used + delta > self.limit:
            raise MessageError(f"this page holds too much data ({(self.used + delta) / 2**20:.1f} MiB;"
                               f" the limit per session is {self.limit / 2**20:.0f} MiB)")
        if delta > 0 and self.total.used + delta > self.total.limit:
            raise MessageError("the server holds too much data from all pages; try again later")
        self.sizes[key] = size
        self.used += delta
        self.total.used += delta

        def undo() -> None:
            self.sizes[key] = before
            self.used -= delta
            self.total.used -= delta
        return undo

    def release(self) -> None:
        self.total.used -= self.used
        self.used = 0
        self.sizes.clear()


# -- accepting connections --------------------------------------------------------------

def accept_connections(sock: socket.socket, handle: Callable[[socket.socket, Any], None],
                       loop: asyncio.AbstractEventLoop, pause: float = 0.5) -> Callable[[], None]:
    """Accept connections on ``sock`` in ``loop`` (asyncio) and pass each
    to ``handle(conn, address)``. Out of file descriptors (EMFILE/ENFILE),
    accepting pauses for ``pause`` seconds and a warning is logged at most
    once a second (tornado's own loop logs a traceback per attempt). Returns
    a function that stops accepting."""
    state = {"logged": 0.0, "dropped": 0, "stopped": False}

    def ready() -> None:
        for _ in range(128):
            try:
                conn, address = sock.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as e:
                if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    state["dropped"] += 1
                    now = time.monotonic()
                    if now - state["logged"] >= 1.0:
                        state["logged"] = now
                        log.warning("nbdemo: out of file descriptors (%s); not accepting new "
                                    "connections for %.1f s", errno.errorcode.get(e.errno, e.errno),
                                    pause)
                    loop.remove_reader(sock.fileno())
                    loop.call_later(pause, resume)
                    return
                raise
            conn.setblocking(False)
            handle(conn, address)

    def resume() -> None:
        if not state["stopped"]:
            loop.add_reader(sock.fileno(), ready)

    def stop() -> None:
        state["stopped"] = True
        loop.remove_reader(sock.fileno())

    sock.setblocking(False)
    loop.add_reader(sock.fileno(), ready)
    return stop

