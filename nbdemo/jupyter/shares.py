"""Share links: capability tokens for one demo, signed by this Jupyter server.

A share link is ``<base_url>nbdemo/share/<demo_id>/<token>/`` with
``token = <share_id>.<expires>.<signature>``: ``share_id`` is 96 random bits,
``expires`` a Unix time in seconds, and the signature is HMAC-SHA256 over
``demo_id``, ``share_id`` and ``expires`` with a secret made when the server
starts and kept only in its memory (so a token names its demo: the same token
under another demo's id does not verify). Signatures are compared in
constant time (:func:`hmac.compare_digest`).

A verified token also has to be *live*: the server remembers the shares it
issued, and revoking one forgets it (a token that verifies was issued here, so
one that is not live was revoked, and its page can say so). When the
Jupyter server restarts, its secret and its shares are gone with it, and so is
every kernel it ran.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

#: Seconds a share link stays valid unless asked otherwise (72 hours, as Gradio's links).
DEFAULT_EXPIRES = 72 * 3600

#: The longest lifetime a link may be given (30 days), in seconds.
MAX_EXPIRES = 30 * 24 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class Share:
    """One share link of one demo."""

    share_id: str
    demo_id: str
    kernel_id: str
    expires: int
    token: str
    created: float

    def path(self) -> str:
        """The link's path below the server's base_url, with a trailing slash."""
        return f"nbdemo/share/{self.demo_id}/{self.token}/"


class Refused(Exception):
    """A token that opens nothing; ``str(e)`` is the sentence shown to the visitor
    and ``status`` the HTTP status of the page."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status = status
        self.title = title


class Shares:
    """The share links issued by one Jupyter server (kept in its memory)."""

    def __init__(self, secret: bytes | None = None):
        self._secret = secret or secrets.token_bytes(32)
        self._live: dict[str, Share] = {}

    def _sign(self, demo_id: str, share_id: str, expires: int) -> str:
        msg = f"{demo_id}\n{share_id}\n{expires}".encode()
        return _b64(hmac.new(self._secret, msg, hashlib.sha256).digest())

    def create(self, demo_id: str, kernel_id: str, expires_in: float | None = None) -> Share:
        """A new link to ``demo_id``, valid for ``expires_in`` seconds (default 72 h).

        Raises ``ValueError`` if ``expires_in`` is not a number in (0, 30 days].
        """
        if expires_in is None:
            expires_in = DEFAULT_EXPIRES
        if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)) \
                or not 0 < expires_in <= MAX_EXPIRES:
            raise ValueError(f"share_expires must be seconds in (0, {MAX_EXPIRES}], "
                             f"got {expires_in!r}")
        self._forget_expired()
        share_id = _b64(secrets.token_bytes(12))
        expires = int(time.time() + expires_in)
        token = f"{share_id}.{expires}.{self._sign(demo_id, share_id, expires)}"
        share = Share(share_id, demo_id, kernel_id, expires, token, time.time())
        self._live[share_id] = share
        return share

    def verify(self, demo_id: str, token: str) -> Share:
        """The live share ``token`` grants for ``demo_id``.

        Raises :class:`Refused` (with the visitor's explanation) if the token is
        malformed, altered, made for another demo, expired or revoked.
        """
        parts = token.split(".")
        invalid = Refused(403, "This share link is not valid",
                          "The link is incomplete or was changed, or it belongs to another demo. "
                          "Ask the demo's owner for a new link.")
        if len(parts) != 3 or not parts[1].isdigit():
            raise invalid
        share_id, expires_s, signature = parts
        expected = self._sign(demo_id, share_id, int(expires_s))
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise invalid
        expires = int(expires_s)
        if expires <= time.time():
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(expires))
            raise Refused(410, "This share link has expired",
                          f"It was valid until {when}. Ask the demo's owner for a new link.")
        share = self._live.get(share_id)
        if share is None or share.demo_id != demo_id:
            raise Refused(410, "This share link was revoked",
                          "Its owner turned it off. Ask them for a new link.")
        return share

    def revoke(self, share_id: str) -> bool:
        """Turn one link off; False if it was not live."""
        return self._live.pop(share_id, None) is not None

    def revoke_demo(self, demo_id: str) -> int:
        """Turn off every link of ``demo_id``; returns how many were live."""
        ids = [s.share_id for s in self._live.values() if s.demo_id == demo_id]
        for share_id in ids:
            self.revoke(share_id)
        return len(ids)

    def of_demo(self, demo_id: str) -> list[Share]:
        """The live, unexpired links of ``demo_id``, oldest first."""
        self._forget_expired()
        return sorted((s for s in self._live.values() if s.demo_id == demo_id),
                      key=lambda s: s.created)

    def _forget_expired(self) -> None:
        now = time.time()
        for share_id in [k for k, s in self._live.items() if s.expires <= now]:
            del self._live[share_id]
