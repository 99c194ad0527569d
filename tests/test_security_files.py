"""Files (issue 9, findings 7-11) against a real server: output paths follow
Gradio's rules (working directory, temp directory, allowed_paths,
set_static_paths; blocked_paths; symlinks resolved first), so /etc/passwd is
refused and a Hugging Face cache file (a relative symlink into blobs/) is
served; an uploaded HTML file passed through a function is never framed with
script; sanitize_html=False still drops <meta refresh>/<base>; a page closing
mid-upload gets no 500; GET /static/%00 gets 404; SIGTERM removes session
files as Ctrl+C does."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, Proc, free_port, wait_http
from wsclient import TIMEOUT, Client, http_get, updates_of

import nbdemo as gr
from nbdemo import files

ENV = {**os.environ, "PYTHONUNBUFFERED": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def path_demo():
    """Interface(lambda p: p, "text", "file"): a user types a path."""
    demo = gr.Interface(lambda p: p, "text", "file")
    return demo, demo.input_components[0], demo.output_components[0], demo.submit_btn


def ask(srv, comps, path: str) -> tuple[list[dict], dict | None]:
    inp, out, btn = comps
    cl = Client(srv.port)
    try:
        cl.set(inp, path)
        msgs = cl.fire(btn)
        value = updates_of(msgs).get(out._id, {}).get("value")
        body = None
        if value and value.get("url"):
            status, _, data = http_get(srv.port, value["url"])
            body = {"status": status, "data": data}
        return msgs, body
    finally:
        cl.close()


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A working directory, a temp directory and a folder outside both."""
    cwd, tmp, outside = tmp_path / "cwd", tmp_path / "tmp", tmp_path / "outside"
    for d in (cwd, tmp, outside):
        d.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(files, "_static_paths", [])
    return cwd, tmp, outside


@pytest.mark.parametrize("path", ["/etc/passwd", "/proc/self/environ", "/etc/../etc/passwd"])
def test_system_files_are_refused(serve, path):
    demo, *comps = path_demo()
    srv = serve(demo)
    msgs, body = ask(srv, comps, path)
    assert msgs[-1]["status"] == "error", msgs
    assert "outside the working directory" in msgs[-1]["message"]
    assert body is None
    assert b"root:" not in json.dumps(msgs).encode()


def test_working_dir_temp_dir_allowed_and_blocked_paths(serve, places):
    cwd, tmp, outside = places
    (cwd / "in-cwd.txt").write_text("CWD")
    (tmp / "in-tmp.txt").write_text("TMP")
    (outside / "out.txt").write_text("OUT")
    (cwd / ".env").write_text("SECRET=1")
    (cwd / "secret").mkdir()
    (cwd / "secret" / "key.txt").write_text("KEY")
    demo, *comps = path_demo()
    srv = serve(demo)
    for path, content in ((cwd / "in-cwd.txt", b"CWD"), (tmp / "in-tmp.txt", b"TMP")):
        msgs, body = ask(srv, comps, str(path))
        assert msgs[-1]["status"] == "complete", msgs
        assert body == {"status": 200, "data": content}
    for path in (outside / "out.txt", cwd / ".env"):
        msgs, body = ask(srv, comps, str(path))
        assert msgs[-1]["status"] == "error" and body is None, msgs
    srv.stop()
    # launch(allowed_paths=, blocked_paths=) as Gradio: the demo's own lists
    demo.allowed_paths, demo.blocked_paths = [str(outside)], [str(cwd / "secret")]
    srv = serve(demo)
    msgs, body = ask(srv, comps, str(outside / "out.txt"))
    assert body == {"status": 200, "data": b"OUT"}, msgs
    msgs, body = ask(srv, comps, str(cwd / "secret" / "key.txt"))
    assert msgs[-1]["status"] == "error" and "blocked_paths" in msgs[-1]["message"], msgs


def test_set_static_paths_allows_a_folder(serve, places):
    cwd, tmp, outside = places
    (outside / "static.txt").write_text("STATIC")
    demo, *comps = path_demo()
    srv = serve(demo)
    assert ask(srv, comps, str(outside / "static.txt"))[0][-1]["status"] == "error"
    gr.set_static_paths([outside])
    msgs, body = ask(srv, comps, str(outside / "static.txt"))
    assert body == {"status": 200, "data": b"STATIC"}, msgs


def test_launch_takes_allowed_paths(places):
    cwd, tmp, outside = places
    (outside / "out.txt").write_text("OUT")
    demo, inp, out, btn = path_demo()
    port = free_port()
    demo.launch(prevent_thread_lock=True, quiet=True, server_port=port, allowed_paths=[str(outside)])
    try:
        cl = Client(port)
        cl.set(inp, str(outside / "out.txt"))
        msgs = cl.fire(btn)
        cl.close()
        assert msgs[-1]["status"] == "complete", msgs
    finally:
        demo.close()


def hf_cache(root: Path, absolute: bool = False) -> Path:
    """models--org--name/{blobs/<sha>, snapshots/<rev>/config.json -> ../../blobs/<sha>}."""
    repo = root / "hub" / "models--org--name"
    (repo / "blobs").mkdir(parents=True)
    (repo / "snapshots" / "abc123").mkdir(parents=True)
    blob = repo / "blobs" / "5f1e0c"
    blob.write_text('{"model": "tiny"}')
    link = repo / "snapshots" / "abc123" / "config.json"
    link.symlink_to(blob if absolute else Path("../../blobs/5f1e0c"))
    return link


@pytest.mark.parametrize("absolute", [False, True])
def test_a_symlinked_hf_cache_output_is_served(serve, places, absolute):
    cwd, tmp, outside = places
    link = hf_cache(tmp, absolute)
    demo, *comps = path_demo()
    srv = serve(demo)
    msgs, body = ask(srv, comps, str(link))
    assert msgs[-1]["status"] == "complete", msgs
    assert body == {"status": 200, "data": b'{"model": "tiny"}'}
    assert updates_of(msgs)[comps[1]._id]["value"]["orig_name"] == "config.json"


def test_a_symlink_out_of_the_allowed_places_is_refused(serve, places):
    cwd, tmp, outside = places
    (cwd / "innocent.txt").symlink_to("/etc/passwd")
    demo, *comps = path_demo()
    srv = serve(demo)
    msgs, body = ask(srv, comps, str(cwd / "innocent.txt"))
    assert msgs[-1]["status"] == "error" and body is None, msgs


# -- uploads ---------------------------------------------------------------------------------------

def post(port: int, path: str, body: bytes, headers: dict) -> tuple[int, dict, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


@pytest.mark.parametrize("name,mime", [("evil.html", "text/html"), ("evil.svg", "image/svg+xml")])
def test_an_upload_passed_through_a_function_is_never_framed_with_script(serve, name, mime):
    with gr.Blocks() as demo:
        inp = gr.File(label="In")
        out = gr.File(label="Out")
        btn = gr.Button("Go")
        btn.click(lambda p: p, inp, out)
    srv = serve(demo)
    cl = Client(srv.port)
    try:
        status, _, body = post(srv.port, f"/upload?session_hash={cl.hello['session_hash']}",
                               b"<script>alert(document.domain)</script>",
                               {"X-File-Name": quote(name), "Content-Type": mime})
        assert status == 200, body
        cl.set(inp, json.loads(body))
        msgs = cl.fire(btn)
        produced = updates_of(msgs)[out._id]["value"]
        assert produced["id"] != json.loads(body)["id"]  # a new entry, made by the function
        status, headers, _ = http_get(srv.port, produced["url"] + "?frame=1")
        assert status == 200
        assert "allow-scripts" not in headers["content-security-policy"]
        assert headers["content-disposition"].startswith("attachment")
    finally:
        cl.close()


def test_a_page_closing_mid_upload_gets_no_500(serve):
    with gr.Blocks() as demo:
        gr.File()
    srv = serve(demo)
    cl = Client(srv.port)
    h = cl.hello["session_hash"]
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
    try:
        s.sendall(f"POST /upload?session_hash={h} HTTP/1.1\r\nHost: localhost\r\n"
                  "Content-Length: 200000\r\nX-File-Name: a.txt\r\n\r\n".encode() + b"x" * 100_000)
        store = srv.app.nbdemo_mounts[0].by_hash[h].files
        deadline = time.monotonic() + TIMEOUT
        while store._dir is None or not any(store.dir.iterdir()):  # the upload has begun
            assert time.monotonic() < deadline
            time.sleep(0.02)
        cl.close()  # the page goes away: its session and its files end
        while not store.closed:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        s.sendall(b"y" * 100_000)
        head = s.recv(200)
        assert head.startswith(b"HTTP/1.1 410"), head
    finally:
        s.close()
    # and a socket that drops mid-body leaves no file behind
    cl2 = Client(srv.port)
    h2 = cl2.hello["session_hash"]
    with socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT) as s2:
        s2.sendall(f"POST /upload?session_hash={h2} HTTP/1.1\r\nHost: localhost\r\n"
                   "Content-Length: 200000\r\nX-File-Name: b.txt\r\n\r\n".encode() + b"x" * 1000)
    store2 = srv.app.nbdemo_mounts[0].by_hash[h2].files
    deadline = time.monotonic() + TIMEOUT
    while store2._dir is not None and any(store2.dir.iterdir()):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    cl2.close()


@pytest.mark.parametrize("path", ["/static/%00", "/static/a%00b.js", "/static/%00/../x"])
def test_nul_in_a_static_path_is_404(serve, path):
    with gr.Blocks() as demo:
        gr.Textbox()
    srv = serve(demo)
    assert http_get(srv.port, path)[0] in (400, 404)


def test_sanitize_html_false_still_drops_navigation():
    raw = ('<b>ok</b><meta http-equiv="refresh" content="0;url=https://evil.test">'
           '<BASE href="https://evil.test/"><me<meta>ta http-equiv=refresh content=0>')
    assert gr.HTML(raw, sanitize_html=False).value == "<b>ok</b>"
    assert gr.Markdown(raw, sanitize_html=False).value == "<b>ok</b>"
    assert gr.HTML(raw).value == raw  # sanitized by DOMPurify in the page


@pytest.mark.browser
def test_sanitize_html_false_meta_refresh_stays_on_the_page(serve, page):
    from playwright.sync_api import expect

    with gr.Blocks() as demo:
        btn = gr.Button("Show")
        out = gr.HTML(sanitize_html=False)
        btn.click(lambda: '<p id="shown">shown</p><meta http-equiv="refresh" content="0;url=about:blank">',
                  None, out)
    srv = serve(demo)
    url = f"http://127.0.0.1:{srv.port}/"
    page.goto(url)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=10_000)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#shown")).to_be_visible(timeout=10_000)
    page.wait_for_timeout(500)  # a refresh of 0 s would have fired by now
    assert page.url == url


# -- SIGTERM ---------------------------------------------------------------------------------------

SIGTERM_APP = textwrap.dedent("""
    import nbdemo as gr
    with gr.Blocks() as demo:
        f = gr.File(label="F")
        img = gr.Textbox(value="x")
    demo.launch(server_port=PORT, quiet=True)
""")


def test_sigterm_removes_session_uploads_as_ctrl_c_does(tmp_path):
    port = free_port()
    temp = tmp_path / "temp"
    temp.mkdir()
    (tmp_path / "app.py").write_text(SIGTERM_APP.replace("PORT", str(port)))
    proc = Proc([sys.executable, str(tmp_path / "app.py")], env={**ENV, "TMPDIR": str(temp)},
                cwd=tmp_path, log=tmp_path / "server.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc.proc)
        cl = Client(port)
        status, _, body = post(port, f"/upload?session_hash={cl.hello['session_hash']}", b"data",
                               {"X-File-Name": "up.txt", "Content-Type": "text/plain"})
        assert status == 200, body
        assert [p.name for p in temp.iterdir() if p.name.startswith("nbdemo-session-")]
        os.killpg(proc.proc.pid, signal.SIGTERM)  # as docker stop / systemd do
        proc.proc.wait(TIMEOUT)
        cl.close()
    finally:
        proc.stop()
    left = [p.name for p in temp.iterdir() if p.name.startswith("nbdemo-")]
    assert left == [], (left, proc.log()[-2000:])
    assert "Traceback" not in proc.log()
