"""Server limits with safe defaults (issue 9, findings 3-6 and 12), against real
servers and real sockets: header and body timeouts (slow-header sockets are
closed and the service comes back, with RLIMIT_NOFILE lowered in the server's
own process, and EMFILE logged once a second, not a traceback per accept);
message size by kind; JSON depth; memory of values per session; sessions per
client; messages per second ("slow down"); State never resynced to a page."""

from __future__ import annotations

import json
import os
import socket
import sys
import textwrap
import time

import pytest
import websocket
from conftest import ROOT, Proc, free_port, wait_http
from wsclient import TIMEOUT, Client, updates_of

import nbdemo as gr


def echo_demo():
    with gr.Blocks() as demo:
        a = gr.Textbox(label="A")
        b = gr.Textbox(label="B")
        out = gr.Textbox(label="Out")
        btn = gr.Button("Echo")
        btn.click(lambda x: x, a, out)
        state = gr.State(object())  # not JSON: must never reach a page
        inc = gr.Button("Touch")
        inc.click(lambda s: s, state, state)
    return demo, dict(a=a, b=b, out=out, btn=btn, state=state, inc=inc)


def errors_until_quiet(cl: Client, n: int) -> list[dict]:
    return [cl.recv() for _ in range(n)]


def echo_ok(cl: Client, c: dict, text: str = "still here") -> bool:
    cl.set(c["a"], text)
    msgs = cl.fire(c["btn"])
    return msgs[-1]["status"] == "complete" and updates_of(msgs)[c["out"]._id]["value"] == text


@pytest.fixture
def echo(serve):
    demo, c = echo_demo()
    return serve(demo), c


# -- JSON depth and size -------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [65, 978, 100_000])
def test_deeply_nested_json_gets_an_error_reply_and_the_session_lives(echo, clients, depth):
    srv, c = echo
    cl = clients(srv.port)
    cl.send("[" * depth + "]" * depth)
    reply = cl.recv()
    assert reply["type"] == "error" and "nested too deeply" in reply["message"], reply
    deep = "[" * depth + "1" + "]" * depth
    cl.send(f'{{"type": "set", "id": {c["a"]._id}, "value": {deep}}}')
    reply = cl.recv()
    assert reply["type"] == "error" and "nested too deeply" in reply["message"], reply
    assert echo_ok(cl, c)


def test_a_14_mb_set_is_refused_and_other_sessions_stay_fast(echo, clients):
    srv, c = echo
    big, other = clients(srv.port), clients(srv.port)
    huge = json.dumps({"type": "set", "id": c["a"]._id, "value": "x" * (14 * 1024 * 1024)})
    timings = []
    for _ in range(3):
        big.send(huge)
        t0 = time.perf_counter()
        assert echo_ok(other, c, "fast?")
        timings.append((time.perf_counter() - t0) * 1000)
        reply = big.recv()
        assert reply["type"] == "error" and "too large" in reply["message"], reply
    print(f"\nanother session's echo while 14 MB sets arrive: {', '.join(f'{t:.1f}' for t in timings)} ms")
    assert echo_ok(big, c)  # the sender's session lives too


def test_a_large_control_message_is_refused(echo, clients):
    srv, c = echo
    cl = clients(srv.port)
    cl.send({"type": "cancel", "event_id": "x" * 100_000})
    reply = cl.recv()
    assert reply["type"] == "error" and "too large" in reply["message"], reply
    assert echo_ok(cl, c)


def test_value_memory_per_session_is_capped(serve, clients):
    demo, c = echo_demo()
    srv = serve(demo, limits={"session_memory": 300_000})
    cl = clients(srv.port)
    cl.set(c["a"], "a" * 200_000)
    cl.set(c["a"], "a" * 200_000)  # replaces A's value: no more held
    cl.set(c["b"], "b" * 200_000)
    reply = cl.recv()
    assert reply["type"] == "error" and "holds too much data" in reply["message"], reply
    assert echo_ok(cl, c, "small")
    other = clients(srv.port)  # per session: another page may hold its own
    other.set(c["b"], "b" * 200_000)
    assert echo_ok(other, c, "fine")


def test_value_memory_in_total_is_capped(serve, clients):
    demo, c = echo_demo()
    srv = serve(demo, limits={"total_memory": 300_000})
    one, two = clients(srv.port), clients(srv.port)
    one.set(c["b"], "b" * 200_000)
    assert echo_ok(one, c, "ok")
    two.set(c["b"], "b" * 200_000)
    reply = two.recv()
    assert reply["type"] == "error" and "from all pages" in reply["message"], reply
    one.close()  # its values are released with it (when the server sees the close)
    deadline = time.monotonic() + TIMEOUT
    while srv.security.memory.used > 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    two.set(c["b"], "b" * 200_000)
    assert echo_ok(two, c, "after")


# -- sessions and rate ----------------------------------------------------------------------------

def test_sessions_per_client_are_capped(serve, clients):
    demo, c = echo_demo()
    srv = serve(demo, limits={"sessions_per_client": 3})
    opened = [clients(srv.port) for _ in range(3)]
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(f"ws://127.0.0.1:{srv.port}/ws", timeout=TIMEOUT)
    assert info.value.status_code == 429
    opened[0].close()
    deadline = time.monotonic() + TIMEOUT
    while True:  # the closed one's slot frees when the server sees the close
        try:
            again = clients(srv.port)
            break
        except websocket.WebSocketBadStatusException:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert echo_ok(again, c)


def test_too_many_messages_per_second_get_slow_down(serve, clients):
    demo, c = echo_demo()
    srv = serve(demo, limits={"messages_per_second": 5, "message_burst": 10})
    cl = clients(srv.port)
    for i in range(40):
        cl.set(c["a"], f"v{i}")
    replies = []
    cl.ws.settimeout(2)
    try:
        while True:
            replies.append(cl.recv())
    except websocket.WebSocketTimeoutException:
        pass
    cl.ws.settimeout(TIMEOUT)
    slow = [r for r in replies if r["type"] == "error" and "slow down" in r["message"]]
    assert slow, replies
    time.sleep(1)  # let the bucket refill (a wait, not a timing assertion)
    assert echo_ok(cl, c)


# -- State stays on the server (finding 3) -------------------------------------------------------

def test_resync_of_a_state_holding_a_non_json_object_is_refused(echo, clients):
    srv, c = echo
    cl = clients(srv.port)
    assert cl.fire(c["inc"])[-1]["status"] == "complete"
    cl.send({"type": "resync", "id": c["state"]._id})
    reply = cl.recv()
    assert reply["type"] == "error", reply
    assert "object at 0x" not in json.dumps(reply)
    assert echo_ok(cl, c)


# -- timeouts and file descriptors, in a server process of its own -------------------------------

SLOW_APP = textwrap.dedent("""
    import resource, logging
    resource.setrlimit(resource.RLIMIT_NOFILE, (200, 200))
    logging.basicConfig(level=logging.WARNING)
    import nbdemo as gr
    demo = gr.Interface(lambda s: s, "text", "text")
    demo.launch(server_port=PORT, quiet=True, limits={"header_timeout": 3, "body_timeout": 3})
""")


#: the server subprocess imports this checkout's nbdemo, wherever it runs
ENV = {**os.environ, "PYTHONUNBUFFERED": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def test_slow_header_sockets_are_closed_and_service_comes_back(tmp_path):
    port = free_port()
    (tmp_path / "app.py").write_text(SLOW_APP.replace("PORT", str(port)))
    proc = Proc([sys.executable, str(tmp_path / "app.py")], env=ENV, cwd=tmp_path,
                log=tmp_path / "server.log")
    slow: list[socket.socket] = []
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc.proc)
        t0 = time.monotonic()
        for _ in range(400):  # more than the server's 200 descriptors
            s = socket.socket()
            s.settimeout(TIMEOUT)
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # never finished
            except OSError:
                s.close()
                continue
            slow.append(s)
        # the server closes the slow sockets after header_timeout, then serves again
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as ok:
                    ok.sendall(b"GET /config HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    head = ok.recv(64)
                if head.startswith(b"HTTP/1.1 200"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, proc.log()[-2000:]
            time.sleep(0.2)
        elapsed = time.monotonic() - t0
        closed = 0
        for s in slow[:50]:
            try:
                s.settimeout(TIMEOUT)
                closed += s.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == 50  # each was closed by the server
        log = proc.log()
        warned = log.count("out of file descriptors")
        print(f"\nservice back after {elapsed:.1f} s; {warned} EMFILE log lines; log {len(log)} bytes")
        assert "Traceback" not in log, log[-3000:]
        assert warned <= elapsed + 2  # at most one line a second
    finally:
        for s in slow:
            s.close()
        proc.stop()


def test_a_slow_body_is_cut_off(tmp_path):
    port = free_port()
    (tmp_path / "app.py").write_text(SLOW_APP.replace("PORT", str(port)))
    proc = Proc([sys.executable, str(tmp_path / "app.py")], env=ENV, cwd=tmp_path,
                log=tmp_path / "server.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc.proc)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Length: 100000\r\n\r\n" + b"x" * 10)
            data = b""
            while True:  # read until the server closes (after its answer, or at the timeout)
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        assert b"500" not in data.split(b"\r\n", 1)[0]
        assert "Traceback" not in proc.log()
    finally:
        proc.stop()
