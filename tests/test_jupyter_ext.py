"""nbdemo's jupyter-server extension: enabled on install, and kernel
WebSockets get TCP_NODELAY while still working with a real kernel."""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid

import pytest
import websocket
from conftest import Proc, free_port, jupyter_env, wait_http

from nbdemo.jupyter import with_nodelay


class FakeHandler:
    ws_connection = object()

    def __init__(self):
        self.nodelay = None

    def set_nodelay(self, value):
        self.nodelay = value


class Base:
    def __init__(self, handler):
        self.websocket_handler = handler
        self.connected = False

    def connect(self):
        self.connected = True
        return "future"


def test_with_nodelay_sets_nodelay_then_connects():
    cls = with_nodelay(Base)
    assert issubclass(cls, Base) and with_nodelay(cls) is cls
    conn = cls(FakeHandler())
    assert conn.connect() == "future"
    assert conn.connected and conn.websocket_handler.nodelay is True


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory):
    """A real `jupyter server`, user config isolated; the env's config (where
    the install put nbdemo.json) stays visible, as for a user."""
    tmp = tmp_path_factory.mktemp("jserver")
    env = jupyter_env(tmp)
    port, token = free_port(), "t0ken"
    proc = Proc([sys.executable, "-m", "jupyter", "server", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", f"--IdentityProvider.token={token}", "--allow-root",
                 f"--ServerApp.root_dir={tmp}", "--ServerApp.port_retries=0"],
                env=env, cwd=tmp, log=tmp / "server.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(f"{url}api/status?token={token}", timeout=60, proc=proc.proc)
        yield proc, url, token
    finally:
        proc.stop()


def test_extension_is_enabled_on_install(jupyter_server):
    proc, _, _ = jupyter_server
    assert "nbdemo: TCP_NODELAY on kernel WebSockets" in proc.log()


def test_kernel_websocket_still_works(jupyter_server):
    _, url, token = jupyter_server
    req = urllib.request.Request(f"{url}api/kernels?token={token}", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    kernel = json.loads(urllib.request.urlopen(req, timeout=60).read())
    ws = websocket.create_connection(
        f"{url.replace('http', 'ws')}api/kernels/{kernel['id']}/channels?token={token}",
        timeout=60)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"channel": "shell", "content": {}, "metadata": {}, "parent_header": {},
                            "header": {"msg_id": msg_id, "msg_type": "kernel_info_request",
                                       "username": "t", "session": uuid.uuid4().hex,
                                       "version": "5.3", "date": ""}}))
        while True:
            reply = json.loads(ws.recv())
            if reply.get("parent_header", {}).get("msg_id") == msg_id and reply["channel"] == "shell":
                break
        assert reply["header"]["msg_type"] == "kernel_info_reply"
        assert reply["content"]["status"] == "ok"
    finally:
        ws.close()
        urllib.request.urlopen(urllib.request.Request(
            f"{url}api/kernels/{kernel['id']}?token={token}", method="DELETE"), timeout=30)
