"""The share-link proxy (nbdemo.jupyter.proxy.ShareProxy) against an upstream
app on a real Unix socket: any path, method and body under the demo passes
through, and a Server-Sent Events stream reaches the client event by event,
never buffered. (The HTTP API's routes stream this way; this upstream stands
in for them so the proxy is tested on its own.)"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import threading

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from conftest import free_port

from nbdemo.jupyter.proxy import ShareProxy, Upstream
from nbdemo.jupyter.registry import KERNEL_FILE, Registry
from nbdemo.jupyter.shares import Shares

DEMO_ID, KERNEL_ID = "00112233445566aa", "kernel-a"


class Events(tornado.web.RequestHandler):
    """GET: an event, then another once the test says so."""

    def initialize(self, gate: asyncio.Event) -> None:
        self.gate = gate

    async def get(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.write("data: one\n\n")
        await self.flush()
        await self.gate.wait()
        self.write("data: two\n\n")


class Echo(tornado.web.RequestHandler):
    def post(self, rest: str) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"path": self.request.path, "query": self.request.query,
                                "body": self.request.body.decode(),
                                "host": self.request.headers.get("Host"),
                                "cookie": self.request.headers.get("Cookie"),
                                "prefix": self.request.headers.get("X-Forwarded-Prefix")}))

    get = head = post

    def put(self, rest: str) -> None:
        self.set_status(201)
        self.set_header("Location", "/elsewhere")
        self.finish()


@pytest.fixture
def proxied(tmp_path):
    """(base URL of a share link, the upstream's gate) on a loop in a thread."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    sock = str(runtime / "demo.sock")
    (runtime / KERNEL_FILE.format(kernel_id=KERNEL_ID)).write_text(json.dumps({
        "kernel_id": KERNEL_ID, "pid": os.getpid(), "secret": "s",
        "demos": {DEMO_ID: {"title": "t", "started": 0, "socket": sock}}}))
    registry = Registry(runtime, lambda: [KERNEL_ID])
    shares = Shares()
    token = shares.create(DEMO_ID, KERNEL_ID).token
    port = free_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        gate = asyncio.Event()
        up = tornado.web.Application([(r"/events", Events, {"gate": gate}), (r"/(.*)", Echo)])
        upstream_server = tornado.httpserver.HTTPServer(up)
        upstream_server.add_socket(tornado.netutil.bind_unix_socket(sock, mode=0o600))
        front = tornado.web.Application([
            (r"/nbdemo/share/([0-9a-f]{16})/([A-Za-z0-9_.-]+)(?:/(.*))?", ShareProxy,
             {"upstream": Upstream(registry), "registry": registry, "shares": shares,
              "base_url": "/"})], xsrf_cookies=True)
        front_server = tornado.httpserver.HTTPServer(front)
        front_server.listen(port, "127.0.0.1")
        state.update(gate=gate, servers=(upstream_server, front_server))
        ready.set()
        loop.run_forever()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    ready.wait()
    yield f"/nbdemo/share/{DEMO_ID}/{token}/", port, lambda: loop.call_soon_threadsafe(state["gate"].set)
    for s in state["servers"]:
        loop.call_soon_threadsafe(s.stop)
    loop.call_soon_threadsafe(loop.stop)
    t.join(5)


def request(port: int, method: str, path: str, body: bytes | None = None, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    return conn, conn.getresponse()


def test_events_stream_through_one_by_one(proxied):
    prefix, port, release = proxied
    conn, r = request(port, "GET", prefix + "events")
    try:
        assert r.status == 200 and r.getheader("Content-Type") == "text/event-stream"
        assert r.readline() == b"data: one\n"  # arrives while the upstream still holds "two"
        assert r.readline() == b"\n"
        release()
        assert r.read().replace(b"\r\n", b"\n").endswith(b"data: two\n\n")
    finally:
        conn.close()


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
def test_any_path_and_method_passes_through(proxied, method):
    prefix, port, _ = proxied
    body = b'{"data": [1]}' if method == "POST" else None
    conn, r = request(port, method, prefix + "gradio_api/call/pr%C3%A9dict?x=1", body,
                      Cookie="username-x=secret; _xsrf=abc", Host=f"127.0.0.1:{port}")
    try:
        assert r.status == 200
        if method == "HEAD":
            return
        seen = json.loads(r.read())
        assert seen["path"] == "/gradio_api/call/pr%C3%A9dict" and seen["query"] == "x=1"
        assert seen["body"] == (body or b"").decode()
        assert seen["host"] == "localhost" and seen["cookie"] is None  # no Jupyter credentials
        assert seen["prefix"] == prefix
    finally:
        conn.close()


def test_redirects_stay_under_the_link(proxied):
    prefix, port, _ = proxied
    conn, r = request(port, "PUT", prefix + "x", b"")
    try:
        assert r.status == 201 and r.getheader("Location") == prefix + "elsewhere"
    finally:
        conn.close()


def test_a_closed_demo_says_so(proxied, tmp_path):
    prefix, port, _ = proxied
    (tmp_path / "runtime" / "demo.sock").unlink()
    conn, r = request(port, "GET", prefix + "config")
    try:
        assert r.status == 502 and b"no longer running" in r.read()
    finally:
        conn.close()
