"""A browser session of the standalone server: one per page WebSocket."""

from __future__ import annotations

import json
import logging
from typing import Any

from ..engine import Session

log = logging.getLogger("nbdemo")


class ServerSession(Session):
    """Values and State of one page; messages go out on its WebSocket."""

    def __init__(self, engine, send):
        super().__init__(engine)
        self._send = send

    def emit(self, msg: dict) -> None:
        if self.closed:
            return
        try:
            self._send(json.dumps(msg, separators=(",", ":"), allow_nan=False))
        except ValueError:
            log.exception("nbdemo: a message could not be encoded as JSON")
            self._send(json.dumps({"type": "error", "message": "the server produced a value "
                                   "that cannot be sent to the page (not JSON: NaN, inf or an object)"}))
        except Exception:  # the socket closed under us: the session is over
            self.closed = True

    def set_from_client(self, comp_id: Any, value: Any) -> None:
        comp = self.engine.app.fresh().component(comp_id)
        if comp.interactive is False:
            raise ValueError(f"{type(comp).__name__} (id {comp_id}) is not interactive")
        self.values[comp._id] = comp.validate_wire(value)
