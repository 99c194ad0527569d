"""The Jupyter door against a real `jupyter server` (extension enabled by the
installed config), a real kernel, and real Chromium: the index, the owner's
page through the proxy, share links for visitors without a Jupyter login, and
what such a link must never open. Run at "/" and at JupyterHub's
"/user/alice/" prefix."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import tornado.httputil
import tornado.web
import websocket
from conftest import ROOT, Proc, free_port, jupyter_env, wait_http
from wsclient import frame_messages

import nbdemo as gr

TOKEN = "door-test-token"

DEMO = '''
import os
import time
import nbdemo as gr

with gr.Blocks(title="Door hello") as hello:
    name = gr.Textbox(label="Name")
    greeting = gr.Textbox(label="Greeting")
    count = gr.State(0)
    go = gr.Button("Greet")

    def greet(n, c):
        return f"Hello {n} #{c + 1}", c + 1

    go.click(greet, [name, count], [greeting, count])
    slow = gr.Button("Slow")
    slow_out = gr.Textbox(label="Slow result")

    def wait_for(path):
        # runs until the test creates ``path``: "slow" without a timing assumption
        deadline = time.monotonic() + 120
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.02)
        return f"done {os.path.basename(path)}"

    slow.click(wait_for, name, slow_out)
    locked = gr.Button("Locked")
    locked_out = gr.Textbox(label="Locked result")
    # one run at a time, whoever starts it: the notebook inline or a page visitor
    locked.click(wait_for, name, locked_out, concurrency_limit=1)
    who = gr.Button("Who")

    def client_host(request: gr.Request):
        return request.client.host

    who.click(client_host, None, greeting)

with gr.Blocks(title="Door other") as other:
    gr.Markdown("the other demo")
'''


class Kernel:
    """A notebook session's kernel, driven over jupyter-server's REST and WebSocket API."""

    def __init__(self, url: str, path: str = "door.ipynb"):
        self.url = url
        body = json.dumps({"path": path, "type": "notebook", "name": path,
                           "kernel": {"name": "python3"}}).encode()
        self.session = call(url, "api/sessions", "POST", body)
        self.kernel_id = self.session["kernel"]["id"]
        self.ws = websocket.create_connection(
            f"{url.replace('http', 'ws', 1)}api/kernels/{self.kernel_id}/channels?token={TOKEN}",
            timeout=120)
        self.sid = uuid.uuid4().hex

    def run(self, code: str) -> str:
        """Execute ``code``; its stdout, or RuntimeError with the traceback."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "channel": "shell", "metadata": {}, "parent_header": {},
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t",
                       "session": self.sid, "version": "5.3", "date": ""}}))
        out, err, replied, idle = [], None, False, False
        while not (replied and idle):
            m = json.loads(self.ws.recv())
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = m["header"]["msg_type"]
            if kind == "stream":
                out.append(m["content"]["text"])
            elif kind == "error":
                err = "\n".join(m["content"]["traceback"])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        if err:
            raise RuntimeError(err)
        return "".join(out)

    def comm(self, comm_id: str, content: dict) -> None:
        """Send a widget's custom message, as the notebook's front-end does."""
        self.ws.send(json.dumps({
            "channel": "shell", "metadata": {}, "parent_header": {}, "buffers": [],
            "content": {"comm_id": comm_id, "data": {"method": "custom", "content": content}},
            "header": {"msg_id": uuid.uuid4().hex, "msg_type": "comm_msg", "username": "t",
                       "session": self.sid, "version": "5.3", "date": ""}}))

    def widget_messages(self, until) -> list[dict]:
        """Custom messages the kernel sends to widgets, until ``until(msg)``."""
        seen = []
        deadline = time.monotonic() + 120  # a hang guard, not a timing check
        while True:
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching widget message in 120 s; saw {seen[-5:]}")
            m = json.loads(self.ws.recv())
            if m["header"]["msg_type"] != "comm_msg":
                continue
            data = m["content"].get("data", {})
            if data.get("method") == "custom":
                seen.append(data["content"])
                if until(data["content"]):
                    return seen

    def value(self, expr: str):
        return json.loads(self.run(f"import json as _j; print(_j.dumps({expr}))"))

    def close(self) -> None:
        self.ws.close()
        call(self.url, f"api/sessions/{self.session['id']}", "DELETE")


def call(url: str, path: str, method: str = "GET", body: bytes | None = None):
    sep = "&" if "?" in path else "?"
    req = urllib.request.Request(f"{url}{path}{sep}token={TOKEN}", data=body, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


def fetch(url: str, **headers) -> tuple[int, str, dict]:
    """GET without following redirects: (status, body, headers)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


class Door:
    def __init__(self, proc, url, base, root, kernel):
        self.proc, self.url, self.base, self.root, self.kernel = proc, url, base, root, kernel


@pytest.fixture(scope="module", params=["/", "/user/alice/"], ids=["root", "hub-prefix"])
def door(request, tmp_path_factory):
    """`jupyter server` at base_url, and a kernel showing two demos (hello and other)."""
    base = request.param
    tmp = tmp_path_factory.mktemp("door")
    env = jupyter_env(tmp)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    port = free_port()
    args = [sys.executable, "-m", "jupyter", "server", "--no-browser", "--ip=127.0.0.1",
            f"--port={port}", f"--IdentityProvider.token={TOKEN}", "--allow-root",
            f"--ServerApp.root_dir={tmp}", "--ServerApp.port_retries=0"]
    if base != "/":
        args.append(f"--ServerApp.base_url={base}")
    proc = Proc(args, env=env, cwd=tmp, log=tmp / "server.log")
    url = f"http://127.0.0.1:{port}{base}"
    kernel = None
    try:
        wait_http(f"{url}api/status?token={TOKEN}", timeout=60, proc=proc.proc)
        kernel = Kernel(url)
        kernel.run(DEMO + "\n_ = hello.launch()\ndisplay(other)\n")
        yield Door(proc, url, base, tmp, kernel)
    finally:
        if kernel is not None:
            kernel.close()
        proc.stop()


def demos(door) -> dict[str, dict]:
    return {d["title"]: d for d in call(door.url, "nbdemo/api/demos")["demos"]}


def share(door, expires: float | None = None) -> str:
    arg = "" if expires is None else f", share_expires={expires}"
    out = door.kernel.run(f"_, _, link = hello.launch(share=True{arg})\nprint('LINK', link)")
    return re.search(r"LINK (\S+)", out).group(1)


def test_the_extension_registers_the_door(door):
    assert "nbdemo: running demos at" in door.proc.log()


def test_index_needs_login_and_lists_the_kernels_demos(door):
    status, _, headers = fetch(f"{door.url}nbdemo/")
    assert status == 302 and "/login" in headers["Location"]
    status, html, _ = fetch(f"{door.url}nbdemo/?token={TOKEN}")
    assert status == 200
    assert "Door hello" in html and "Door other" in html and "door.ipynb" in html
    assert door.kernel.kernel_id[:8] in html
    found = demos(door)
    assert set(found) == {"Door hello", "Door other"}
    hello = found["Door hello"]
    assert hello["kernel_id"] == door.kernel.kernel_id and hello["notebook"] == "door.ipynb"
    assert hello["page"] == f"{door.base}nbdemo/{hello['id']}/"


def test_the_kernel_reports_its_page_and_registration(door):
    hello = demos(door)["Door hello"]
    local = door.kernel.value("hello.local_url")
    assert local == f"{door.url}nbdemo/{hello['id']}/"
    reg = json.loads((door.root / "runtime" / f"nbdemo-kernel-{door.kernel.kernel_id}.json").read_text())
    sock = reg["demos"][hello["id"]]["socket"]
    assert oct(os.stat(sock).st_mode & 0o777) == "0o600"
    assert oct(os.stat(door.root / "runtime" / f"nbdemo-kernel-{door.kernel.kernel_id}.json").st_mode
               & 0o777) == "0o600"


def test_owner_page_needs_jupyter_login(door):
    hello = demos(door)["Door hello"]
    page = f"{door.url}nbdemo/{hello['id']}/"
    status, _, headers = fetch(page)
    assert status == 302 and "/login" in headers["Location"]
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        websocket.create_connection(page.replace("http", "ws", 1) + "ws", timeout=10)
    assert e.value.status_code == 403
    status, html, _ = fetch(f"{page}?token={TOKEN}")
    assert status == 200 and "<title>Door hello</title>" in html and 'src="static/page.js"' in html


def page_session(base: str, **kw) -> websocket.WebSocket:
    ws = websocket.create_connection(base.replace("http", "ws", 1) + "ws", timeout=30, **kw)
    assert frame_messages(ws.recv())[0]["type"] == "hello"
    return ws


def ids_of(base: str) -> dict[str, int]:
    status, body, _ = fetch(base + "page_config")
    assert status == 200, body
    return {c["props"].get("label") or c["props"].get("value"): int(i)
            for i, c in json.loads(body)["components"].items()}


def click(ws, ids, name: str, text: str, button: str = "Greet") -> list[dict]:
    ws.send(json.dumps({"type": "set", "id": ids["Name"], "value": text}))
    ws.send(json.dumps({"type": "event", "id": ids[button], "event": "click"}))
    out = []
    while True:
        for m in frame_messages(ws.recv()):
            out.append(m)
            if m["type"] == "status" and m["status"] in ("complete", "error", "cancelled"):
                return out


def greeting(msgs, ids) -> str | None:
    for m in msgs:
        for cid, props in m.get("updates", []) if m["type"] == "update" else []:
            if cid == ids["Greeting"]:
                return props["value"]
    return None


def test_share_link_serves_one_demo_to_visitors_with_their_own_state(door):
    link = share(door)
    assert link.startswith(f"{door.url}nbdemo/share/")
    assert door.kernel.value("hello.share_url") == link
    ids = ids_of(link)
    a, b = page_session(link), page_session(link)
    try:
        assert greeting(click(a, ids, "Name", "Ann"), ids) == "Hello Ann #1"
        assert greeting(click(a, ids, "Name", "Ann"), ids) == "Hello Ann #2"
        assert greeting(click(b, ids, "Name", "Bob"), ids) == "Hello Bob #1"
    finally:
        a.close()
        b.close()
    # a browser on another site cannot drive it
    with pytest.raises(websocket.WebSocketBadStatusException):
        page_session(link, origin="http://evil.example")


def test_share_link_opens_nothing_else_of_the_server(door):
    link = share(door)
    for path in ("api/contents", "api/kernels", "api/sessions", "lab", "terminals", "tree",
                 "api/terminals", "nbdemo/", "nbdemo/api/demos", "files/door.ipynb"):
        status, body, _ = fetch(f"{door.url}{path}", Referer=link)
        assert status in (302, 403, 404), (path, status)
        assert door.kernel.kernel_id not in body and "door.ipynb" not in body, path
    # paths that climb out of the link stay under it (or are normalised away by the server)
    for rest in ("../../", "../../../api/contents", "%2e%2e/%2e%2e/api/kernels"):
        status, body, _ = fetch(link + rest)
        assert door.kernel.kernel_id not in body, rest
    hello = demos(door)["Door hello"]
    status, _, _ = fetch(f"{door.url}nbdemo/{hello['id']}/")
    assert status == 302  # the owner's page still asks for login


def test_refused_links_explain_themselves(door):
    found = demos(door)
    link = share(door)
    token = link.rstrip("/").rsplit("/", 1)[1]
    altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    status, html, _ = fetch(altered)
    assert status == 403 and "This share link is not valid" in html
    other = link.replace(found["Door hello"]["id"], found["Door other"]["id"])
    status, html, _ = fetch(other)
    assert status == 403 and "not valid" in html
    status, html, _ = fetch(f"{door.url}nbdemo/share/{found['Door other']['id']}/{token}/config")
    assert status == 403
    assert int(door.kernel.run("print(hello.revoke_share())")) >= 1
    status, html, _ = fetch(link)
    assert status == 410 and "revoked" in html


def test_expired_link(door):
    link = share(door, expires=1)
    door.kernel.run("import time; time.sleep(1.5)")
    status, html, _ = fetch(link)
    assert status == 410 and "expired" in html


def test_a_slow_visitor_run_does_not_block_the_kernel(door, tmp_path):
    link = share(door)
    ids = ids_of(link)
    ws = page_session(link)
    release = tmp_path / "release-1"
    done = threading.Event()
    try:
        ws.send(json.dumps({"type": "set", "id": ids["Name"], "value": str(release)}))
        ws.send(json.dumps({"type": "event", "id": ids["Slow"], "event": "click"}))

        def wait() -> None:
            while not done.is_set():
                for m in frame_messages(ws.recv()):
                    if m["type"] == "status" and m["status"] == "complete":
                        done.set()

        t = threading.Thread(target=wait, daemon=True)
        t.start()
        # the notebook executes cells while the visitor's run is still going
        assert door.kernel.run("print(6 * 7)").strip() == "42"
        assert not done.is_set()
        release.touch()
        t.join(60)
        assert done.is_set()
    finally:
        ws.close()


def test_closed_and_restarted_demos_say_they_are_gone(door):
    kernel = Kernel(door.url, "gone.ipynb")
    try:
        kernel.run(DEMO.replace("Door hello", "Door gone").replace("Door other", "Door gone 2")
                   + "\n_, _, link = hello.launch(share=True)\nprint('LINK', link)")
        link = re.search(r"LINK (\S+)", kernel.run("print('LINK', hello.share_url)")).group(1)
        assert fetch(link)[0] == 200
        kernel.run("other.close()")
        assert "Door gone 2" not in {d["title"] for d in call(door.url, "nbdemo/api/demos")["demos"]}
        call(door.url, f"api/kernels/{kernel.kernel_id}/restart", "POST", b"{}")
        status, html, _ = fetch(link)
        assert status == 502 and "no longer running" in html and "restarted" in html
        assert "Door gone" not in {d["title"] for d in call(door.url, "nbdemo/api/demos")["demos"]}
    finally:
        kernel.close()


def test_concurrency_limit_holds_across_the_notebook_and_visitors(door, tmp_path):
    """A visitor's run holds the listener's only slot: the notebook's inline
    click on it waits in the queue, and runs when the visitor's ends."""
    link = share(door)
    ids = ids_of(link)
    first, second = tmp_path / "release-visitor", tmp_path / "release-inline"
    second.touch()  # the inline run would end at once, if it could start
    ws = page_session(link)
    try:
        ws.send(json.dumps({"type": "set", "id": ids["Name"], "value": str(first)}))
        ws.send(json.dumps({"type": "event", "id": ids["Locked"], "event": "click"}))
        while not any(m["type"] == "status" and m["status"] == "processing"
                      for m in frame_messages(ws.recv())):
            pass
        name_id, locked_id = door.kernel.value("[name.model_id, locked.model_id]")
        door.kernel.comm(name_id, {"type": "set", "value": str(second)})
        door.kernel.comm(locked_id, {"type": "event", "event": "click"})
        inline = door.kernel.widget_messages(
            lambda m: m.get("type") == "status" and m.get("status") == "queued")
        assert not [m for m in inline if m.get("status") in ("processing", "complete")]
        first.touch()
        inline = door.kernel.widget_messages(
            lambda m: m.get("type") == "status" and m.get("status") == "complete")
        while not any(m["type"] == "status" and m["status"] == "complete"
                      for m in frame_messages(ws.recv())):
            pass
        assert door.kernel.value("locked_out.value") == "done release-inline"
    finally:
        ws.close()


def post(url: str, body: bytes, **headers) -> tuple[int, str]:
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_uploads_and_files_go_through_a_share_link(door):
    link = share(door)
    ws = page_session(link)
    ws.close()
    ws = websocket.create_connection(link.replace("http", "ws", 1) + "ws", timeout=30)
    try:
        session_hash = frame_messages(ws.recv())[0]["session_hash"]
        data = b"col\n" + b"x" * 200_000
        status, body = post(f"{link}upload?session_hash={session_hash}", data,
                            **{"X-File-Name": "d%C3%A4ta.csv", "Content-Type": "text/csv"})
        assert status == 200, body
        fd = json.loads(body)
        assert fd["orig_name"] == "däta.csv" and fd["url"].startswith("./file/")
        file_url = urllib.parse.urljoin(link, fd["url"])
        assert file_url.startswith(link)
        status, text, headers = fetch(file_url)
        assert status == 200 and text.encode() == data
        assert headers["Content-Security-Policy"].startswith("sandbox")
        # another site's page cannot upload with the visitor's browser
        status, _ = post(f"{link}upload?session_hash={session_hash}", b"x",
                         Origin="http://evil.example")
        assert status == 403
        # a file URL under another (valid) link of the same demo is the same file;
        # under a broken token it is refused
        broken = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
        assert fetch(urllib.parse.urljoin(broken, fd["url"]))[0] == 403
    finally:
        ws.close()


def _api_routes() -> bool:
    """Whether the standalone app has the HTTP API's routes yet (nbdemo/api/)."""
    from nbdemo.server import make_app

    with gr.Blocks() as demo:
        gr.Textbox()
    req = tornado.httputil.HTTPServerRequest(
        start_line=tornado.httputil.RequestStartLine("GET", "/gradio_api/info", "HTTP/1.1"),
        headers=tornado.httputil.HTTPHeaders({"Host": "localhost"}))
    return make_app({"/": demo}).find_handler(req).handler_class is not tornado.web.ErrorHandler


def test_gradio_client_works_through_a_share_link(door, monkeypatch):
    from gradio_client import Client

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = door.kernel.run(
        "shout = gr.Interface(lambda s: s.upper() + '!', 'text', 'text', title='Door API')\n"
        "_, _, api_link = shout.launch(share=True)\nprint('LINK', api_link)")
    link = re.search(r"LINK (\S+)", out).group(1)
    client = Client(link, verbose=False, analytics_enabled=False)
    assert client.predict("hi", api_name="/lambda") == "HI!"  # Gradio 6: named after fn
    door.kernel.run("shout.close()")


def test_a_killed_kernels_links_and_leftovers(door):
    """A kernel killed outright (no atexit): its links say the demo is gone, and
    when Jupyter restarts it (same kernel id) its old registration and sockets go."""
    kernel = Kernel(door.url, "killed.ipynb")
    runtime = door.root / "runtime"
    reg_path = runtime / f"nbdemo-kernel-{kernel.kernel_id}.json"
    try:
        out = kernel.run(DEMO.replace("Door hello", "Door killed") + "\n_, _, link = hello.launch(share=True)"
                         "\nprint('LINK', link)")
        link = re.search(r"LINK (\S+)", out).group(1)
        old = json.loads(reg_path.read_text())
        sockets = [d["socket"] for d in old["demos"].values()]
        assert sockets and all(os.path.exists(s) for s in sockets)
        os.kill(old["pid"], signal.SIGKILL)
        status, html, _ = fetch(link)
        assert status == 502 and "no longer running" in html
        # Jupyter's restarter brings the kernel back under the same id
        deadline = time.monotonic() + 240  # a hang guard for a loaded machine, not a timing check
        while True:
            # a request sent while the kernel is down is lost: ask again on a fresh
            # connection after 10 s without its reply
            kernel.ws.settimeout(10)
            try:
                if kernel.run("import os; print(os.getpid())").strip() != str(old["pid"]):
                    break
            except (RuntimeError, websocket.WebSocketException):
                kernel.ws.close()
                kernel.ws = websocket.create_connection(
                    f"{door.url.replace('http', 'ws', 1)}api/kernels/{kernel.kernel_id}/channels"
                    f"?token={TOKEN}", timeout=10)
            assert time.monotonic() < deadline, "the kernel did not come back"
            time.sleep(0.5)
        kernel.ws.settimeout(120)
        kernel.run(DEMO.replace("Door hello", "Door reborn") + "\nhello.launch()")
        new = json.loads(reg_path.read_text())
        assert [d["title"] for d in new["demos"].values()] == ["Door reborn"]
        assert not [s for s in sockets if os.path.exists(s)]
        assert fetch(link)[0] == 502
    finally:
        kernel.close()


def test_visitors_are_seen_with_their_own_address(door):
    link = share(door)
    ids = ids_of(link)
    ws = page_session(link, header=["X-Forwarded-For: 6.6.6.6", "X-Real-Ip: 6.6.6.6"])
    try:
        msgs = click(ws, ids, "Name", "", button="Who")
        assert msgs[-1]["status"] == "complete", msgs
        assert greeting(msgs, ids) == "127.0.0.1"  # not the socket's, nor what the client claims
    finally:
        ws.close()


def test_launch_auth_asks_share_visitors_to_log_in_not_the_owner(door):
    out = door.kernel.run(
        "locked_demo = gr.Interface(lambda s: s, 'text', 'text', title='Door auth')\n"
        "_, page, link = locked_demo.launch(share=True, auth=('ann', 'pw'))\nprint('URLS', page, link)")
    page, link = out.split("URLS ", 1)[1].split()
    try:
        status, html, _ = fetch(f"{page}?token={TOKEN}")  # Jupyter's login is enough
        assert status == 200 and "<title>Door auth</title>" in html
        status, html, headers = fetch(link)  # a visitor must log in to the demo
        assert status in (302, 401, 403) and "<title>Door auth</title>" not in html
        status, html, headers = fetch(link + "?token=" + TOKEN, **{"X-Nbdemo-Owner": "guess"})
        assert "<title>Door auth</title>" not in html  # neither a Jupyter token nor a claim opens it
        body = urllib.parse.urlencode({"username": "ann", "password": "pw", "next": "./"}).encode()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPCookieProcessor())
        req = urllib.request.Request(link + "login", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with opener.open(req, timeout=30) as r:  # follows the redirect to the page, with the cookie
            assert r.status == 200 and "<title>Door auth</title>" in r.read().decode()
    finally:
        door.kernel.run("locked_demo.close()")
