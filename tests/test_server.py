"""Server tests: a real nbdemo.server.Server on 127.0.0.1 and a free port,
driven over real HTTP and WebSocket connections (``websocket-client``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest
import websocket
from conftest import Proc, free_port, wait_http
from wsclient import TIMEOUT, Client, frame_messages, http_get, updates_of  # noqa: F401

import nbdemo as gr
from nbdemo.engine.session import PROCESSING_GRACE
from nbdemo.server import Server


def assert_port_free(port: int) -> None:
    """Nothing listens on ``port`` and a new server can bind it (with SO_REUSEADDR,
    as every server does: closed connections may leave TIME_WAIT entries)."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT).close()
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()


def _main_demo():
    def greet(name, count):
        return f"Hello {name}!", count + 1, count + 1

    def boom():
        raise RuntimeError("secret detail")

    def stream(n):
        for i in range(int(n)):
            yield str(i)

    with gr.Blocks(title="Main") as demo:
        name = gr.Textbox(label="Name")
        num = gr.Number(3, label="N")
        radio = gr.Radio(["a", "b"], label="R")
        check = gr.Checkbox(label="C")
        group = gr.CheckboxGroup(["x", "y"], label="G")
        frozen = gr.Textbox("fixed", interactive=False)
        count = gr.State(0)
        out = gr.Textbox(label="Out")
        shown = gr.Number(label="Count")
        btn = gr.Button("Greet")
        bad = gr.Button("Boom")
        gen = gr.Button("Stream")
        btn.click(greet, [name, count], [out, count, shown])
        bad.click(boom, None, out)
        gen.click(stream, num, out)
    return demo, dict(name=name, num=num, radio=radio, check=check, group=group, frozen=frozen,
                      count=count, out=out, shown=shown, btn=btn, bad=bad, gen=gen)


@pytest.fixture
def main(serve):
    demo, c = _main_demo()
    srv = serve(demo)
    return srv, c


# -- hello, set, event -----------------------------------------------------------------------------------


def test_hello_carries_a_session_hash(main, clients):
    srv, _ = main
    a, b = clients(srv.port), clients(srv.port)
    assert a.hello["type"] == "hello"
    h = a.hello["session_hash"]
    assert isinstance(h, str) and len(h) >= 16 and int(h, 16) >= 0
    assert b.hello["session_hash"] != h


def test_set_then_event_gives_update_and_complete(main, clients):
    srv, c = main
    cl = clients(srv.port)
    cl.set(c["name"], "Ada")
    msgs = cl.fire(c["btn"])
    # a run this fast ends before its "processing" would be sent (PROCESSING_GRACE)
    assert [m["status"] for m in msgs if m["type"] == "status"] == ["complete"]
    ups = updates_of(msgs)
    assert ups[c["out"]._id] == {"value": "Hello Ada!"}
    assert ups[c["shown"]._id] == {"value": 1.0}
    assert c["count"]._id not in ups  # State never goes to the page
    final = msgs[-1]
    assert final["fn_index"] == 0 and final["targets"] == [c["out"]._id, c["count"]._id, c["shown"]._id]


def test_event_message_may_carry_the_value(serve, clients):
    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        box.submit(lambda x: x * 2, box, out)
    cl = clients(serve(demo).port)
    cl.send({"type": "event", "id": box._id, "event": "submit", "value": "ab"})
    msgs = cl.until_final()
    assert msgs[-1]["status"] == "complete"
    assert updates_of(msgs)[out._id] == {"value": "abab"}


def test_generator_streams_updates_over_the_socket(main, clients):
    srv, c = main
    cl = clients(srv.port)
    msgs = cl.fire(c["gen"])
    values = [m["updates"][0][1]["value"] for m in msgs if m["type"] == "update"]
    assert values == ["0", "1", "2"]
    assert msgs[-1]["status"] == "complete"


# -- bad input ------------------------------------------------------------------------------------------

BAD_MESSAGES = {
    "not json": lambda c: "this is not json",
    "truncated json": lambda c: '{"type": "set"',
    "json list": lambda c: [1, 2],
    "json string": lambda c: json.dumps("set"),
    "json null": lambda c: "null",
    "json number": lambda c: "5",
    "unknown type": lambda c: {"type": "explode"},
    "no type": lambda c: {"id": c["name"]._id},
    "unknown id": lambda c: {"type": "set", "id": 10**9, "value": "x"},
    "str id": lambda c: {"type": "set", "id": str(c["name"]._id), "value": "x"},
    "float id": lambda c: {"type": "set", "id": c["name"]._id + 0.5, "value": "x"},
    "bool id": lambda c: {"type": "event", "id": True, "event": "click"},
    "missing id": lambda c: {"type": "event", "event": "click"},
    "unknown event": lambda c: {"type": "event", "id": c["btn"]._id, "event": "explode"},
    "event not a str": lambda c: {"type": "event", "id": c["btn"]._id, "event": ["click"]},
    "event without listener": lambda c: {"type": "event", "id": c["name"]._id, "event": "submit"},
    "dict for textbox": lambda c: {"type": "set", "id": c["name"]._id, "value": {"a": 1}},
    "int for textbox": lambda c: {"type": "set", "id": c["name"]._id, "value": 5},
    "str for number": lambda c: {"type": "set", "id": c["num"]._id, "value": "five"},
    "huge int for number": lambda c: f'{{"type": "set", "id": {c["num"]._id}, "value": 1{"0" * 400}}}',
    "dict for radio": lambda c: {"type": "set", "id": c["radio"]._id, "value": {"a": 1}},
    "str for checkbox": lambda c: {"type": "set", "id": c["check"]._id, "value": "yes"},
    "str for checkboxgroup": lambda c: {"type": "set", "id": c["group"]._id, "value": "x"},
    "set state": lambda c: {"type": "set", "id": c["count"]._id, "value": 100},
    "set non-interactive": lambda c: {"type": "set", "id": c["frozen"]._id, "value": "changed"},
    "bad value in event": lambda c: {"type": "event", "id": c["btn"]._id, "event": "click", "value": {"x": 1}},
}


@pytest.mark.parametrize("case", list(BAD_MESSAGES))
def test_bad_message_gets_an_error_reply_and_socket_keeps_working(main, clients, case):
    srv, c = main
    cl = clients(srv.port)
    cl.send(BAD_MESSAGES[case](c))
    reply = cl.recv()
    assert reply["type"] == "error", reply
    assert isinstance(reply["message"], str) and reply["message"]
    # the same socket still works, and nothing of the bad message was stored
    cl.set(c["name"], "ok")
    msgs = cl.fire(c["btn"])
    assert msgs[-1]["status"] == "complete"
    assert updates_of(msgs)[c["out"]._id] == {"value": "Hello ok!"}
    assert updates_of(msgs)[c["shown"]._id] == {"value": 1.0}  # State untouched by "set state"


def test_binary_frame_gets_an_error_reply(main, clients):
    srv, c = main
    cl = clients(srv.port)
    cl.ws.send_binary(b"\x00\x01\x02")
    reply = cl.recv()
    assert reply["type"] == "error" and "binary" in reply["message"]
    assert cl.fire(c["btn"])[-1]["status"] == "complete"


def test_error_messages_name_the_problem(main, clients):
    srv, c = main
    cl = clients(srv.port)
    cl.send({"type": "set", "id": c["num"]._id, "value": "five"})
    assert "Number" in cl.recv()["message"]
    cl.send({"type": "event", "id": c["btn"]._id, "event": "explode"})
    assert "explode" in cl.recv()["message"]
    cl.send({"type": "set", "id": 10**9, "value": 1})
    assert "no component with id" in cl.recv()["message"]


def test_valid_values_of_every_input_kind_are_accepted(main, clients):
    srv, c = main
    cl = clients(srv.port)
    for comp, value in [("name", "x"), ("num", 2), ("radio", "b"), ("check", True), ("group", ["x", "y"])]:
        cl.set(c[comp], value)
    # no error reply came: the next messages are the event's own
    msgs = cl.fire(c["btn"])
    assert [m["type"] for m in msgs] == ["update", "status"] and msgs[-1]["status"] == "complete"


def test_a_run_longer_than_the_grace_reports_processing_first(clients):
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: time.sleep(PROCESSING_GRACE * 4) or "late", None, out)
    srv = Server({"/": demo}, port=0, quiet=True).start()
    try:
        cl = clients(srv.port)
        msgs = cl.fire(btn)
        assert [m.get("status", m["type"]) for m in msgs] == ["processing", "update", "complete"]
        assert msgs[0]["event_id"] == msgs[-1]["event_id"]
    finally:
        srv.stop()


def test_non_interactive_value_is_not_changed(main, clients):
    srv, c = main
    cl = clients(srv.port)
    cl.send({"type": "set", "id": c["frozen"]._id, "value": "changed"})
    assert "not interactive" in cl.recv()["message"]


# -- origin ----------------------------------------------------------------------------------------------


def test_websocket_from_a_foreign_origin_is_rejected(main):
    srv, _ = main
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(f"ws://127.0.0.1:{srv.port}/ws", timeout=TIMEOUT,
                                    origin="http://evil.example")
    assert info.value.status_code == 403


def test_websocket_from_the_same_origin_is_accepted(main, clients):
    srv, _ = main
    cl = clients(srv.port, origin=f"http://127.0.0.1:{srv.port}")
    assert cl.hello["type"] == "hello"


# -- sessions ---------------------------------------------------------------------------------------------


def test_sessions_do_not_see_each_others_values_or_state(main, clients):
    srv, c = main
    a, b = clients(srv.port), clients(srv.port)
    a.set(c["name"], "Alice")
    b.set(c["name"], "Bob")
    for _ in range(3):
        msgs = a.fire(c["btn"])
    assert updates_of(msgs)[c["out"]._id] == {"value": "Hello Alice!"}
    assert updates_of(msgs)[c["shown"]._id] == {"value": 3.0}
    msgs = b.fire(c["btn"])
    assert updates_of(msgs)[c["out"]._id] == {"value": "Hello Bob!"}
    assert updates_of(msgs)[c["shown"]._id] == {"value": 1.0}
    # a new session starts from the initial values
    fresh = clients(srv.port)
    msgs = fresh.fire(c["btn"])
    assert updates_of(msgs)[c["out"]._id] == {"value": "Hello !"}
    assert updates_of(msgs)[c["shown"]._id] == {"value": 1.0}
    assert c["name"].value == ""  # the component's own value never changes


def test_function_error_gives_error_status_and_server_keeps_serving(main, clients):
    srv, c = main
    cl = clients(srv.port)
    msgs = cl.fire(c["bad"])
    assert msgs[-1]["status"] == "error"
    assert msgs[-1]["message"] is None  # no show_error: nothing of the exception leaks
    assert "secret detail" not in json.dumps(msgs)
    assert cl.fire(c["btn"])[-1]["status"] == "complete"
    assert clients(srv.port).fire(c["btn"])[-1]["status"] == "complete"
    status, _, _ = http_get(srv.port, "/")
    assert status == 200


def test_show_error_sends_the_exception_text(serve, clients):
    demo, c = _main_demo()
    srv = serve(demo, show_error=True)
    msgs = clients(srv.port).fire(c["bad"])
    assert msgs[-1]["message"] == "RuntimeError: secret detail"


def test_stop_closes_open_sockets(serve):
    demo, c = _main_demo()
    srv = serve(demo)
    cl = Client(srv.port)
    try:
        srv.stop()
        opcode, frame = cl.ws.recv_data_frame(True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(frame.data[:2], "big") == 1001  # "going away"
    finally:
        cl.close()


# -- HTTP routes -------------------------------------------------------------------------------------------


def test_config_is_json(main):
    srv, c = main
    status, headers, body = http_get(srv.port, "/page_config")
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    cfg = json.loads(body)
    assert cfg["title"] == "Main"
    assert cfg["components"][str(c["name"]._id)]["kind"] == "textbox"
    assert cfg["components"][str(c["name"]._id)]["props"]["label"] == "Name"
    assert str(c["count"]._id) not in cfg["components"]  # State stays on the server
    assert cfg["layout"]["children"]


def test_page_has_security_headers_and_embedded_config(main):
    srv, _ = main
    status, headers, body = http_get(srv.port, "/")
    assert status == 200
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert b'id="nbdemo-config"' in body
    assert b"/static/page.js" in body


def test_page_config_cannot_close_its_script_element(serve):
    with gr.Blocks(title="</title><script>alert(1)</script>") as demo:
        gr.Markdown("</script><script>alert(2)</script>")
    srv = serve(demo)
    status, _, body = http_get(srv.port, "/")
    assert status == 200
    assert b"<script>alert" not in body
    config = json.loads(body.split(b'id="nbdemo-config">')[1].split(b"</script>")[0])
    [md] = config["components"].values()
    assert md["props"]["value"] == "</script><script>alert(2)</script>"  # intact, as data


def test_static_serves_page_js(main):
    srv, _ = main
    status, headers, body = http_get(srv.port, "/static/page.js")
    assert status == 200
    assert "javascript" in headers["content-type"]
    assert headers["x-content-type-options"] == "nosniff"
    assert len(body) > 1000


TRAVERSALS = [
    "/static/../server/handlers.py",
    "/static/../../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/..%2fserver%2fhandlers.py",
    "/static/%2e%2e/server/handlers.py",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%252f..%252fpyproject.toml",
    "/static/%252e%252e/server/handlers.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/" + os.path.abspath("pyproject.toml"),
    "/static/..\\..\\pyproject.toml",
    "/static/....//....//pyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_path_traversal_is_refused(main, path):
    srv, _ = main
    status, _, body = http_get(srv.port, path)
    assert status in (400, 403, 404), (path, status)
    for secret in (b"[project]", b"class SocketHandler", b"root:x:0:0", b"import tornado"):
        assert secret not in body


def test_several_demos_are_listed_and_each_has_its_own_socket(serve):
    d1, c1 = _main_demo()
    with gr.Blocks(title="Second") as d2:
        t = gr.Textbox()
        b = gr.Button()
        b.click(lambda x: x[::-1], t, t)
    srv = serve({"/one/": d1, "/two/": d2})
    status, _, body = http_get(srv.port, "/")
    assert status == 200 and b'href="one/"' in body and b'href="two/"' in body
    status, headers, _ = http_get(srv.port, "/two")
    assert status in (301, 302) and headers["location"] == "/two/"
    assert http_get(srv.port, "/two/")[0] == 200
    assert json.loads(http_get(srv.port, "/two/page_config")[2])["title"] == "Second"
    cl = Client(srv.port, prefix="/two/")
    try:
        cl.set(t, "abc")
        assert updates_of(cl.fire(b))[t._id] == {"value": "cba"}
        # a component of the other demo is unknown on this socket
        cl.send({"type": "set", "id": c1["name"]._id, "value": "x"})
        assert cl.recv()["type"] == "error"
    finally:
        cl.close()


# -- ports ------------------------------------------------------------------------------------------------


@pytest.fixture
def taken_port():
    """A port held by a listening socket on 127.0.0.1 for the test."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield s.getsockname()[1]
    s.close()


def _tiny_demo():
    with gr.Blocks() as demo:
        gr.Markdown("tiny")
    return demo


def test_explicit_taken_port_raises(taken_port):
    with pytest.raises(OSError):
        Server({"/": _tiny_demo()}, host="127.0.0.1", port=taken_port, quiet=True).start()


def test_launch_on_taken_port_raises(taken_port):
    demo = _tiny_demo()
    with pytest.raises(OSError):
        demo.launch(server_port=taken_port, prevent_thread_lock=True, quiet=True)
    assert demo._server is None


def test_default_port_scans_to_the_next_free_one(taken_port, monkeypatch, serve):
    monkeypatch.setenv("NBDEMO_SERVER_PORT", str(taken_port))
    srv = serve(_tiny_demo(), port=None)
    assert taken_port < srv.port < taken_port + 100
    assert http_get(srv.port, "/")[0] == 200


def test_launch_and_close_frees_the_port():
    demo = _tiny_demo()
    port = free_port()
    server, url, share = demo.launch(server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        assert share is None
        assert http_get(port, "/")[0] == 200
    finally:
        demo.close()
    assert_port_free(port)
    # and the demo can be launched again on it
    demo.launch(server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        assert http_get(port, "/")[0] == 200
    finally:
        demo.close()


# -- nbdemo run ------------------------------------------------------------------------------------------

APP = textwrap.dedent("""
    import nbdemo as gr

    def shout(text):
        return text.upper()

    with gr.Blocks(title="Script app") as demo:
        inp = gr.Textbox(label="Script input")
        out = gr.Textbox(label="Script output")
        btn = gr.Button("Shout")
        btn.click(shout, inp, out)
""")


def test_nbdemo_run_serves_the_scripts_demo(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(APP)
    port = free_port()
    proc = Proc([sys.executable, "-m", "nbdemo", "run", str(app), "--port", str(port)],
                env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=tmp_path, log=tmp_path / "run.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/config", proc=proc.proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/page_config", timeout=TIMEOUT) as r:
            cfg = json.loads(r.read())
        assert cfg["title"] == "Script app"
        by_label = {c["props"]["label"] or c["props"]["value"]: int(i)
                    for i, c in cfg["components"].items()}
        cl = websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=TIMEOUT)
        try:
            assert frame_messages(cl.recv())[0]["type"] == "hello"
            cl.send(json.dumps({"type": "set", "id": by_label["Script input"], "value": "hey"}))
            cl.send(json.dumps({"type": "event", "id": by_label["Shout"], "event": "click"}))
            got = []
            while not got or got[-1].get("status") not in ("complete", "error"):
                got.extend(frame_messages(cl.recv()))
        finally:
            cl.close()
        assert got[-1]["status"] == "complete"
        assert updates_of(got)[by_label["Script output"]] == {"value": "HEY"}
        assert "Running on local URL" in proc.log() and str(port) in proc.log()
    finally:
        proc.stop()
    assert proc.proc.returncode is not None
    assert_port_free(port)


def test_nbdemo_run_reports_a_missing_demo(tmp_path):
    app = tmp_path / "nodemo.py"
    # one Blocks under another name is served (reload mode's rule); two are ambiguous
    app.write_text("import nbdemo as gr\nwith gr.Blocks() as app_demo:\n    gr.Markdown('x')\n"
                   "with gr.Blocks() as other:\n    gr.Markdown('y')\n")
    out = subprocess.run([sys.executable, "-m", "nbdemo", "run", str(app), "--port", str(free_port())],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert out.returncode == 1
    assert "app_demo" in out.stderr and "--demo-name" in out.stderr
    out = subprocess.run([sys.executable, "-m", "nbdemo", "run", str(tmp_path / "missing.py")],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert out.returncode == 2 and "no such file" in out.stderr


def test_a_value_that_is_not_json_gives_an_error_not_silence(serve, clients):
    with gr.Blocks() as demo:
        btn = gr.Button("go")
        out = gr.JSON()
        btn.click(lambda: {"x": float("nan"), "y": object()}, None, out)
        lab = gr.Label()
        btn2 = gr.Button("label")
        btn2.click(lambda: {"cat": float("nan")}, None, lab)
    cl = clients(serve(demo, show_error=True).port)
    msgs = cl.fire(btn)
    assert msgs[-1]["status"] == "complete"
    assert updates_of(msgs)[out._id]["value"]["x"] is None  # NaN shown as null
    msgs = cl.fire(btn2)
    assert msgs[-1]["status"] == "error" and "not a finite number" in msgs[-1]["message"]
    assert cl.fire(btn)[-1]["status"] == "complete"


@pytest.mark.parametrize("value", [True, float("nan")])
def test_number_rejects_bool_and_nan_from_the_page(main, clients, value):
    srv, c = main
    cl = clients(srv.port)
    cl.send({"type": "set", "id": c["num"]._id, "value": value})
    reply = cl.recv()
    assert reply["type"] == "error" and "finite number" in reply["message"]
    assert cl.fire(c["btn"])[-1]["status"] == "complete"


def test_props_a_function_changed_hold_for_that_session_only(serve, clients):
    with gr.Blocks() as demo:
        dd = gr.Dropdown([], label="Column")
        sl = gr.Slider(0, 10, label="Min")
        load = gr.Button("load")
        check = gr.Button("check")
        out = gr.JSON()
        load.click(lambda: (gr.update(choices=["a", "b"], value="a"), gr.update(maximum=100)),
                   None, [dd, sl])
        check.click(lambda d, s: {"d": d, "s": s}, [dd, sl], out)
    port = serve(demo).port
    one, two = clients(port), clients(port)
    assert one.fire(load)[-1]["status"] == "complete"
    one.set(dd, "b")
    one.set(sl, 50)
    msgs = one.fire(check)
    assert msgs[-1]["status"] == "complete", msgs[-1]
    assert updates_of(msgs)[out._id]["value"] == {"d": "b", "s": 50}
    # the other session still has the initial choices and range
    two.set(dd, "b")
    assert two.fire(check)[-1]["status"] == "error"
    two.set(dd, None)
    two.set(sl, 50)
    assert two.fire(check)[-1]["status"] == "error"


def test_resync_never_sends_a_state_value(main, clients):
    srv, c = main
    cl = clients(srv.port)
    cl.fire(c["btn"])  # the session's State now holds a value
    cl.send({"type": "resync", "id": c["count"]._id})
    reply = cl.recv()
    assert reply["type"] == "error" and "no component" in reply["message"]
    assert cl.fire(c["btn"])[-1]["status"] == "complete"  # the session goes on
