"""A WebSocket client that speaks nbdemo's page protocol, and raw HTTP GETs,
for tests against a real server (fixtures `serve` and `clients` in conftest.py)."""

from __future__ import annotations

import http.client
import json

import websocket

TIMEOUT = 10  # seconds; a hang guard on every socket read


class Client:
    """One page session: a WebSocket to ``<base>ws`` that speaks nbdemo's protocol."""

    def __init__(self, port: int, prefix: str = "/", **kw):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{prefix}ws", timeout=TIMEOUT, **kw)
        self.pending: list[dict] = []
        self.hello = self.recv()

    def send(self, msg) -> None:
        self.ws.send(msg if isinstance(msg, str) else json.dumps(msg))

    def recv(self) -> dict:
        """The next message (a frame may carry several, as a JSON array)."""
        if not self.pending:
            self.pending = frame_messages(self.ws.recv())
        return self.pending.pop(0)

    def set(self, comp, value) -> None:
        self.send({"type": "set", "id": comp._id, "value": value})

    def fire(self, comp, event: str = "click") -> list[dict]:
        """Fire ``event`` and return the messages up to its final status."""
        self.send({"type": "event", "id": comp._id, "event": event})
        return self.until_final()

    def until_final(self) -> list[dict]:
        out = []
        while True:
            msg = self.recv()
            out.append(msg)
            if msg["type"] == "status" and msg["status"] in ("complete", "error", "cancelled"):
                return out
            assert msg["type"] in ("status", "update"), msg

    def close(self) -> None:
        self.ws.close()


def frame_messages(raw: str | bytes) -> list[dict]:
    """The messages of one server frame: one object, or an array of them."""
    data = json.loads(raw)
    return data if isinstance(data, list) else [data]


def updates_of(messages: list[dict]) -> dict[int, dict]:
    """{component id: props} merged over the update messages."""
    merged: dict[int, dict] = {}
    for m in messages:
        if m["type"] == "update":
            for cid, props in m["updates"]:
                merged.setdefault(cid, {}).update(props)
    return merged


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET ``path`` exactly as given (no client-side normalisation of ``..``)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()
