"""Host and Origin (issue 9, finding 2: DNS rebinding), against a real server on
127.0.0.1 and in Chromium with evil.test resolved to 127.0.0.1: a
loopback-bound server answers only to loopback Host names and to
``allowed_hosts``; the WebSocket and state-changing requests check Origin."""

from __future__ import annotations

import http.client

import pytest
import websocket
from wsclient import TIMEOUT

import nbdemo as gr
from nbdemo.server.security import Security


def http_get(port: int, path: str, headers: dict) -> tuple[int, dict, bytes]:
    """GET with exactly the Host header given (http.client would add its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.putrequest("GET", path, skip_host="Host" in headers, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def small_demo():
    with gr.Blocks(title="Hosts") as demo:
        t = gr.Textbox(label="T")
        b = gr.Button("Go")
        b.click(lambda s: s.upper(), t, t)
    return demo


@pytest.fixture
def srv(serve):
    return serve(small_demo())


@pytest.mark.parametrize("host", ["localhost:{p}", "127.0.0.1:{p}", "[::1]:{p}", "app.localhost:{p}",
                                  "LOCALHOST:{p}", "localhost"])
def test_loopback_host_names_are_served(srv, host):
    assert http_get(srv.port, "/", {"Host": host.format(p=srv.port)})[0] == 200


@pytest.mark.parametrize("host", ["evil.test:{p}", "evil.test", "127.0.0.1.evil.test:{p}",
                                  "localhost.evil.test:{p}", "10.0.0.1:{p}", "", "[::1"])
def test_other_host_names_get_403(srv, host):
    for path in ("/", "/config", "/static/nbdemo.css", "/ws"):
        status, _, body = http_get(srv.port, path, {"Host": host.format(p=srv.port)})
        assert status in (400, 403), (path, host, status)
        assert b"layout" not in body


def test_dns_rebinding_websocket_is_refused(srv):
    host = f"evil.test:{srv.port}"
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(f"ws://127.0.0.1:{srv.port}/ws", timeout=TIMEOUT,
                                    host=host, origin=f"http://{host}")
    assert info.value.status_code == 403


def test_allowed_hosts_adds_names(serve):
    srv = serve(small_demo(), allowed_hosts=["myapp.test", "*.corp.test"])
    assert http_get(srv.port, "/", {"Host": f"myapp.test:{srv.port}"})[0] == 200
    assert http_get(srv.port, "/", {"Host": f"a.corp.test:{srv.port}"})[0] == 200
    assert http_get(srv.port, "/", {"Host": f"evil.test:{srv.port}"})[0] == 403
    ws = websocket.create_connection(f"ws://127.0.0.1:{srv.port}/ws", timeout=TIMEOUT,
                                     host=f"myapp.test:{srv.port}", origin=f"http://myapp.test:{srv.port}")
    ws.close()


def test_a_server_bound_to_another_address_takes_any_host_unless_told():
    assert Security(bind="0.0.0.0").host_allowed("demo.example.com")
    assert not Security(bind="0.0.0.0", allowed_hosts=["a.test"]).host_allowed("b.test")
    assert not Security(bind="127.0.0.1").host_allowed("demo.example.com")
    assert not Security(bind="::1").host_allowed("evil.test:80")


def test_state_changing_requests_check_origin(srv):
    for origin, expected in ((f"http://evil.test:{srv.port}", 403), ("null", 403)):
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
        conn.request("POST", "/upload?session_hash=x", body=b"x", headers={"Origin": origin})
        assert conn.getresponse().status == expected, origin
        conn.close()


@pytest.mark.browser
def test_dns_rebinding_in_chromium(srv, browser, artifacts):
    """Chromium resolves evil.test to 127.0.0.1 (as after a rebinding): the page
    gets a 403 and no WebSocket opens; the same server by its own name works."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    rebound = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.test 127.0.0.1"])
    try:
        pg = rebound.new_page()
        sockets: list[str] = []
        pg.on("websocket", lambda ws: sockets.append(ws.url))
        resp = pg.goto(f"http://evil.test:{srv.port}/")
        assert resp.status == 403
        assert "not allowed" in pg.content()
        pg.screenshot(path=str(artifacts / "test_dns_rebinding_in_chromium.png"))
        # the same browser, the server's own name: the demo connects
        pg.goto(f"http://localhost:{srv.port}/")
        pg.wait_for_selector("body[data-nbdemo-connected]", timeout=10_000)
        assert [u for u in sockets if "evil.test" in u] == []
        assert any("localhost" in u for u in sockets)
    finally:
        rebound.close()
