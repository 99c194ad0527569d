"""launch(auth=) against a real server (issue 9, finding 1's auth): the page,
/config, the WebSocket, uploads and files need a login; POST login sets a
signed HttpOnly SameSite cookie (form fields as gradio_client sends them);
wrong passwords are refused and throttled per client and per user name;
functions see gr.Request.username; logout forgets the login. The flow is also
driven in headless Chromium, and with the real gradio_client's ``auth=``."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest
import websocket
from wsclient import TIMEOUT, Client, http_get, updates_of

import nbdemo as gr
from nbdemo.server.security import Auth


def whoami_demo():
    def who(text: str, request: gr.Request) -> str:
        return f"{request.username}:{text}"

    with gr.Blocks(title="Private") as demo:
        inp = gr.Textbox(label="In")
        out = gr.Textbox(label="Out")
        btn = gr.Button("Who")
        btn.click(who, inp, out)
    return demo, inp, out, btn


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def login(port: int, user: str, password: str, prefix: str = "/") -> tuple[int, dict, bytes]:
    form = urllib.parse.urlencode({"username": user, "password": password}).encode()
    return request(port, "POST", f"{prefix}login", form,
                   {"Content-Type": "application/x-www-form-urlencoded"})


def cookie_of(headers: dict) -> str:
    return headers["set-cookie"].split(";", 1)[0]


@pytest.fixture
def private(serve):
    demo, inp, out, btn = whoami_demo()
    srv = serve(demo, auth=("admin", "s3cret"), auth_message="Ask Ann for the password")
    return srv, inp, out, btn


def test_everything_needs_a_login(private):
    srv, *_ = private
    port = srv.port
    status, headers, _ = http_get(port, "/", {"Accept": "text/html"})
    assert status == 302 and headers["location"] == "login?next=.%2F"  # relative: works below a proxy
    status, _, body = http_get(port, "/config")
    assert status == 401 and json.loads(body)["auth_message"] == "Ask Ann for the password"
    assert b"layout" not in body
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=TIMEOUT)
    assert info.value.status_code == 401
    assert request(port, "POST", "/upload?session_hash=x", b"data")[0] == 401
    assert http_get(port, "/file/app/abc/x.txt")[0] == 401
    # the login form and the page's static bundle need none
    status, _, body = http_get(port, "/login")
    assert status == 200 and b'name="password"' in body and b"Ask Ann" in body
    assert http_get(port, "/static/nbdemo.css")[0] == 200


def test_login_sets_a_signed_httponly_samesite_cookie_and_opens_everything(private):
    srv, inp, out, btn = private
    port = srv.port
    status, headers, body = login(port, "admin", "s3cret")
    assert status == 200 and json.loads(body) == {"success": True}
    raw = headers["set-cookie"]
    assert "HttpOnly" in raw and "SameSite=Lax" in raw and "Path=/" in raw
    cookie = cookie_of(headers)
    name, value = cookie.split("=", 1)
    assert value.count("|") >= 4  # tornado's signed value (version|key|timestamp|name|value|sig)
    assert http_get(port, "/config", {"Cookie": cookie})[0] == 200
    assert http_get(port, "/", {"Cookie": cookie, "Accept": "text/html"})[0] == 200
    # a tampered cookie is no login
    forged = name + "=" + value[:-2] + ("00" if not value.endswith("00") else "11")
    assert http_get(port, "/config", {"Cookie": forged})[0] == 401
    cl = Client(port, cookie=cookie)
    try:
        cl.set(inp, "hi")
        msgs = cl.fire(btn)
        assert msgs[-1]["status"] == "complete", msgs
        assert updates_of(msgs)[out._id]["value"] == "admin:hi"  # gr.Request.username
    finally:
        cl.close()


def test_wrong_password_and_unknown_user_are_refused_then_throttled(private):
    srv, *_ = private
    port = srv.port
    assert login(port, "admin", "wrong")[0] == 401
    assert login(port, "nobody", "s3cret")[0] == 401
    for _ in range(3):
        assert login(port, "admin", "wrong")[0] == 401
    status, headers, body = login(port, "admin", "s3cret")  # right, but this client is locked
    assert status == 429 and "retry-after" in headers and b"Too many failed attempts" in body


def test_logout_forgets_the_login(private):
    srv, *_ = private
    port = srv.port
    cookie = cookie_of(login(port, "admin", "s3cret")[1])
    assert http_get(port, "/config", {"Cookie": cookie})[0] == 200
    status, headers, _ = http_get(port, "/logout", {"Cookie": cookie})
    assert status == 302
    assert http_get(port, "/config", {"Cookie": cookie})[0] == 401  # the token is gone server-side


@pytest.mark.parametrize("auth", [
    [("ann", "one"), ("bob", "two")],
    lambda u, p: (u, p) in {("ann", "one"), ("bob", "two")},
])
def test_list_and_function_auth(serve, auth):
    demo, *_ = whoami_demo()
    srv = serve(demo, auth=auth)
    assert login(srv.port, "bob", "two")[0] == 200
    assert login(srv.port, "ann", "one")[0] == 200
    assert login(srv.port, "ann", "two")[0] == 401


def test_async_auth_function(serve):
    async def check(user, password):
        return user == "ann" and password == "pw"

    demo, *_ = whoami_demo()
    srv = serve(demo, auth=check)
    assert login(srv.port, "ann", "pw")[0] == 200
    assert login(srv.port, "ann", "no")[0] == 401


def test_auth_of_another_shape_is_a_type_error():
    with pytest.raises(TypeError, match="auth must be"):
        Auth("admin:s3cret")
    with pytest.raises(TypeError, match="auth must be"):
        Auth([("a", "b", "c")])


def test_login_next_never_leaves_the_site(private):
    srv, *_ = private
    form = urllib.parse.urlencode({"username": "admin", "password": "s3cret",
                                   "next": "//evil.test/"}).encode()
    status, headers, _ = request(srv.port, "POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302 and headers["location"] == "./"


def test_gradio_client_auth_logs_in(private):
    gradio_client = pytest.importorskip("gradio_client")
    srv, *_ = private
    url = f"http://127.0.0.1:{srv.port}/"
    with pytest.raises(gradio_client.exceptions.AuthenticationError):
        gradio_client.Client(url, auth=("admin", "wrong"), verbose=False)
    client = gradio_client.Client(url, auth=("admin", "s3cret"), verbose=False)
    assert client.predict("hi", api_name="/who") == "admin:hi"


def test_login_helper_for_other_doors_is_throttled():
    import asyncio

    from nbdemo.server.security import Limits, Throttled

    auth = Auth(("u", "p"), limits=Limits(login_attempts=2))

    async def run():
        assert await auth.login("u", "x", "1.2.3.4") is None
        assert await auth.login("u", "x", "5.6.7.8") is None  # per user name: locked now
        with pytest.raises(Throttled):
            await auth.login("u", "p", "9.9.9.9")
        token = await auth.login("v", "x", "9.9.9.9")
        assert token is None

    asyncio.run(run())


# -- in Chromium -----------------------------------------------------------------------------------

@pytest.mark.browser
def test_auth_flow_in_chromium(private, page):
    from playwright.sync_api import expect

    srv, *_ = private
    base = f"http://127.0.0.1:{srv.port}/"
    page.goto(base)
    expect(page.get_by_label("Password")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Ask Ann for the password")).to_be_visible()
    assert "/login" in page.url
    # wrong password: the form again, with the error
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("nope")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password.", timeout=10_000)
    # right password: the demo, connected, and its function sees the user
    page.get_by_label("Password").fill("s3cret")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=10_000)
    assert page.url == base
    cookies = {c["name"]: c for c in page.context.cookies()}
    (auth_cookie,) = [c for n, c in cookies.items() if n.startswith("nbdemo-auth-")]
    assert auth_cookie["httpOnly"] and auth_cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # HttpOnly: not readable by script
    page.get_by_label("In", exact=True).fill("hello")
    page.get_by_role("button", name="Who").click()
    expect(page.get_by_label("Out", exact=True)).to_have_value("admin:hello", timeout=10_000)
    # logout: back to the login form; the page is closed again
    page.goto(base + "logout")
    expect(page.get_by_label("Password")).to_be_visible(timeout=10_000)
    page.goto(base)
    expect(page.get_by_label("Password")).to_be_visible(timeout=10_000)
    # throttling: after repeated failures even the right password waits
    for _ in range(5):
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill("bad")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_be_visible(timeout=10_000)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("s3cret")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts", timeout=10_000)
    assert not page.js_errors, page.js_errors


def test_a_trusted_proxy_header_lets_the_owner_in_and_only_with_the_secret(serve):
    """The Jupyter door's case: the owner passed Jupyter's login at the proxy,
    which adds X-Nbdemo-Owner; visitors (share links) meet auth."""
    demo, inp, out, btn = whoami_demo()
    srv = serve(demo, auth=("admin", "s3cret"), owner_secret="proxy-secret-123")
    assert http_get(srv.port, "/config", {"X-Nbdemo-Owner": "proxy-secret-123"})[0] == 200
    assert http_get(srv.port, "/config", {"X-Nbdemo-Owner": "guess"})[0] == 401
    assert http_get(srv.port, "/config")[0] == 401
    cl = Client(srv.port, header={"X-Nbdemo-Owner": "proxy-secret-123"})
    try:
        cl.set(inp, "x")
        assert updates_of(cl.fire(btn))[out._id]["value"] == "None:x"  # no user name
    finally:
        cl.close()
