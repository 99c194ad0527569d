"""Files against a real server (nbdemo.server.Server on 127.0.0.1, a free port,
real HTTP and WebSocket connections): per-session temp directories removed
when the session ends and swept after a TTL; only this session's uploads and
the app's own files are served, whatever path a client sends; max_file_size
refuses a too-big upload before its body is read; uploads only from the page's
origin and into a live session; HTML/SVG never render on the app's origin.
The inline front door's max_file_size is checked through the widget's message
handler, as the notebook calls it."""

from __future__ import annotations

import http.client
import json
import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from wsclient import TIMEOUT, Client, http_get, updates_of  # noqa: F401

import nbdemo as gr
from nbdemo import files, notebook
from nbdemo.files import FileStore


def wait_until(pred, timeout: float = 10.0) -> bool:
    """Poll ``pred`` (a hang guard, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def post(port: int, path: str, body: bytes, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("POST", path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def upload(port: int, session_hash: str, data: bytes, name: str, mime: str = "text/plain",
           **headers) -> dict:
    status, _, body = post(port, f"/upload?session_hash={session_hash}", data,
                           {"X-File-Name": quote(name), "Content-Type": mime, **headers})
    assert status == 200, body
    return json.loads(body)


def session_of(srv, client: Client):
    """The server-side session of ``client`` (the server runs in this process)."""
    return srv.app.nbdemo_mounts[0].by_hash[client.hello["session_hash"]]


def _files_demo(tmp_path: Path, **blocks_kw):
    """A File input; the click writes a new file (in tmp_path) and returns it with the upload."""
    app_file = tmp_path / "app-readme.txt"
    app_file.write_text("APP-FILE-CONTENT")

    def produce(path):
        out = tmp_path / f"produced-{os.urandom(4).hex()}.txt"
        out.write_text("PRODUCED:" + Path(path).read_text())
        return [path, str(out)]

    with gr.Blocks(**blocks_kw) as demo:
        inp = gr.File(label="In")
        out = gr.File(label="Out", file_count="multiple")
        gr.DownloadButton("App file", value=str(app_file))
        btn = gr.Button("Go")
        btn.click(produce, inp, out)
    return demo, inp, out, btn


@pytest.fixture
def files_app(serve, tmp_path):  # noqa: F811
    demo, inp, out, btn = _files_demo(tmp_path)
    return serve(demo, max_file_size=1000), inp, out, btn


# -- per-session temp directories ---------------------------------------------------------------------


def test_session_files_live_in_its_dir_and_go_when_the_socket_closes(files_app, clients):  # noqa: F811
    srv, inp, out, btn = files_app
    cl = clients(srv.port)
    fd = upload(srv.port, cl.hello["session_hash"], b"hello", "in.txt")
    cl.set(inp, fd)
    msgs = cl.fire(btn)
    assert msgs[-1]["status"] == "complete", msgs
    produced = updates_of(msgs)[out._id]["value"]
    assert [f["orig_name"] for f in produced] == ["in.txt", produced[1]["orig_name"]]
    store = session_of(srv, cl).files
    folder = store.dir
    paths = [store.get(f["id"]).path for f in [fd, *produced]]
    for p in paths:
        assert p.is_file() and folder in p.parents  # uploads and outputs: this session's dir
    assert paths[2].read_text() == "PRODUCED:hello"
    for f in produced:
        assert http_get(srv.port, f["url"])[0] == 200
    cl.close()
    assert wait_until(lambda: not folder.exists()), f"{folder} still exists after the session ended"
    for f in [fd, *produced]:
        status, _, body = http_get(srv.port, f["url"])
        assert status == 404 and b"hello" not in body


def test_every_session_has_its_own_dir(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    a, b = clients(srv.port), clients(srv.port)
    upload(srv.port, a.hello["session_hash"], b"a", "a.txt")
    upload(srv.port, b.hello["session_hash"], b"b", "b.txt")
    da, db = session_of(srv, a).files.dir, session_of(srv, b).files.dir
    assert da != db and da.is_dir() and db.is_dir()
    assert oct(da.stat().st_mode & 0o777) == "0o700"  # mkdtemp: only the server's user


def test_sweep_removes_files_older_than_the_ttl():
    store = FileStore()
    try:
        old, new = store.add_bytes(b"old", "old.txt"), store.add_bytes(b"new", "new.txt")
        old_path, new_path = store.get(old["id"]).path, store.get(new["id"]).path
        store.entries[old["id"]].created -= 1000
        assert store.sweep(500) == 1
        assert store.get(old["id"]) is None and not old_path.parent.exists()
        assert store.get(new["id"]) is not None and new_path.read_bytes() == b"new"
        assert store.sweep(500) == 0
    finally:
        store.close()
    assert not store.dir.exists()


def test_server_sweep_follows_delete_cache(serve, clients, tmp_path):  # noqa: F811
    demo, *_ = _files_demo(tmp_path, delete_cache=(1, 500))
    srv = serve(demo)
    cl = clients(srv.port)
    old = upload(srv.port, cl.hello["session_hash"], b"OLD-CONTENT", "old.txt")
    new = upload(srv.port, cl.hello["session_hash"], b"NEW-CONTENT", "new.txt")
    session_of(srv, cl).files.entries[old["id"]].created -= 1000
    srv.loop.call_soon_threadsafe(srv._sweep)  # what the server's periodic callback runs
    assert wait_until(lambda: session_of(srv, cl).files.get(old["id"]) is None)
    status, _, body = http_get(srv.port, old["url"])
    assert status == 404 and b"OLD-CONTENT" not in body
    assert http_get(srv.port, new["url"])[2] == b"NEW-CONTENT"


# -- only this session's files, whatever the path -------------------------------------------------------

MARKS = (b"SECRET-OF-A", b"SECRET-OF-B", b"OUTSIDE-SECRET")


def test_no_path_reaches_another_sessions_or_any_other_file(files_app, clients, tmp_path):  # noqa: F811
    srv, *_ = files_app
    a, b = clients(srv.port), clients(srv.port)
    ha, hb = a.hello["session_hash"], b.hello["session_hash"]
    fa = upload(srv.port, ha, MARKS[0], "a.txt")
    fb = upload(srv.port, hb, MARKS[1], "b.txt")
    ida, idb = fa["id"], fb["id"]
    # a secret outside every store, and symlinks to it inside A's session dir
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(MARKS[2])
    adir = session_of(srv, a).files.dir
    (adir / "evil").symlink_to(outside, target_is_directory=True)
    (adir / "evilfile").symlink_to(outside / "secret.txt")
    (adir / ida / "link.txt").symlink_to(outside / "secret.txt")
    secret_abs = str(outside / "secret.txt")

    attempts = [
        f"/file/{hb}/{ida}/a.txt",                     # A's file under B's session
        f"/file/{ha}/{idb}/b.txt",                     # B's file under A's session
        f"/file/app/{ida}/a.txt",                      # a session file as an app file
        f"/file/{ha}/evil/secret.txt",                 # a symlinked folder in A's dir
        f"/file/{ha}/evilfile/secret.txt",             # a symlinked file in A's dir
        f"/file/{ha}/{ida}/link.txt",                  # a symlink next to A's own file
        f"/file/{ha}/{ida}/../../evil/secret.txt",
        f"/file/{ha}/../{hb}/{idb}/b.txt",
        f"/file/{ha}/{ida}/..%2f..%2fevil%2fsecret.txt",
        f"/file/{ha}/{ida}/%2e%2e%2f%2e%2e%2fevilfile",
        f"/file/{ha}/%2e%2e/evil/secret.txt",
        f"/file/{ha}/{ida}/%252e%252e%252f%252e%252e%252fevilfile",   # double-encoded
        f"/file/{ha}/%252e%252e%252f{idb}/b.txt",
        f"/file/{ha}/{ida}/..%5c..%5cevilfile",         # backslashes
        f"/file/{ha}/{ida}/a.txt%00.png",
        f"/file/{ha}/{ida}/{quote(secret_abs, safe='')}",
        f"/file/{ha}/{ida}/{secret_abs}",                # absolute paths
        f"/file/{ha}/{secret_abs}",
        f"/file/{ha}/{quote(secret_abs, safe='')}/x",
        f"/file//{secret_abs}",
        f"/file/{ha}//{ida}/a.txt",
        f"//{secret_abs}",
        f"/file/{ha}/{ida}",                           # no name
        f"/file/{ha.upper()}/{ida}/a.txt",             # hashes are exact
        f"/file/{ha}/{ida.swapcase()}/a.txt",          # ids are exact
        f"/file/{ha}/{ida}/b.txt",                     # the name must be the file's own
    ]
    for path in attempts:
        status, _, body = http_get(srv.port, path)
        assert status in (400, 403, 404), (path, status, body[:80])
        for mark in MARKS:
            assert mark not in body, (path, mark)
    # what is allowed: each session its own file, by its exact URL; HEAD too
    assert http_get(srv.port, fa["url"])[2] == MARKS[0]
    assert http_get(srv.port, fb["url"])[2] == MARKS[1]


def test_app_files_are_served_to_everyone_but_only_theirs(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    config = json.loads(http_get(srv.port, "/page_config")[2])
    (app_fd,) = [c["props"]["value"] for c in config["components"].values()
                 if c["kind"] == "downloadbutton"]
    assert app_fd["url"].startswith("/file/app/")
    assert http_get(srv.port, app_fd["url"])[2] == b"APP-FILE-CONTENT"
    cl = clients(srv.port)
    # the app's file id under a session is not the app's file
    assert http_get(srv.port, f"/file/{cl.hello['session_hash']}/{app_fd['id']}/app-readme.txt")[0] == 404


# -- uploads ------------------------------------------------------------------------------------------


def test_too_big_upload_is_refused_before_its_body_is_read(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    store = session_of(srv, cl).files
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
    try:
        conn.putrequest("POST", f"/upload?session_hash={cl.hello['session_hash']}")
        conn.putheader("Content-Length", str(10**9))
        conn.putheader("X-File-Name", "huge.bin")
        conn.endheaders()  # headers only: not one byte of the body is sent
        r = conn.getresponse()
        status, body = r.status, json.loads(r.read())
    finally:
        conn.close()
    assert status == 413
    assert body["error"] == "File too large: 1.0 GB; the limit is 1.0 KB"
    assert store.entries == {} and list(store.dir.iterdir()) == []


def test_too_big_chunked_upload_is_refused(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    store = session_of(srv, cl).files
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
    try:
        conn.putrequest("POST", f"/upload?session_hash={cl.hello['session_hash']}")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.putheader("X-File-Name", "stream.bin")
        conn.endheaders()
        for _ in range(3):  # 3 x 600 bytes, over the 1000-byte limit; no Content-Length
            conn.send(b"258\r\n" + b"x" * 600 + b"\r\n")
        conn.send(b"0\r\n\r\n")
        r = conn.getresponse()
        status, body = r.status, r.read()
    finally:
        conn.close()
    assert status == 413, body
    assert json.loads(body)["error"].startswith("File too large")
    assert wait_until(lambda: list(store.dir.iterdir()) == [])
    assert store.entries == {}


def test_an_upload_at_the_limit_is_accepted(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    fd = upload(srv.port, cl.hello["session_hash"], b"y" * 1000, "exact.bin")
    assert fd["size"] == 1000 and http_get(srv.port, fd["url"])[2] == b"y" * 1000
    status, _, body = post(srv.port, f"/upload?session_hash={cl.hello['session_hash']}", b"y" * 1001,
                           {"X-File-Name": "over.bin"})
    assert status == 413 and b"File too large" in body


def test_upload_from_another_origin_is_refused(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    h = cl.hello["session_hash"]
    for origin in ("http://evil.example", f"http://127.0.0.1:{srv.port + 1}", "null"):
        status, _, body = post(srv.port, f"/upload?session_hash={h}", b"x",
                               {"Origin": origin, "X-File-Name": "x.txt"})
        assert status == 403 and b"own page" in body, origin
    assert session_of(srv, cl).files.entries == {}
    status, _, _ = post(srv.port, f"/upload?session_hash={h}", b"x",
                        {"Origin": f"http://127.0.0.1:{srv.port}", "X-File-Name": "x.txt"})
    assert status == 200


@pytest.mark.parametrize("query", ["?session_hash=0123456789abcdef0123456789abcdef", "?session_hash=", ""])
def test_upload_to_an_unknown_session_is_404(files_app, query):
    srv, *_ = files_app
    status, _, body = post(srv.port, f"/upload{query}", b"x", {"X-File-Name": "x.txt"})
    assert status == 404 and b"no such session" in body


def test_upload_names_cannot_escape_the_store(files_app, clients):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    store = session_of(srv, cl).files
    for name in ("../../escape.txt", "/etc/cron.d/x", "..\\..\\win.txt", ".hidden", "a\x00b\nc.txt", ""):
        fd = upload(srv.port, cl.hello["session_hash"], b"z", name)
        path = store.get(fd["id"]).path
        assert path.parent.parent == store.dir and "/" not in fd["orig_name"]
        assert not fd["orig_name"].startswith(".") and "\x00" not in fd["orig_name"]


@pytest.mark.parametrize("name,mime", [
    ("page.html", "text/html"), ("drawing.svg", "image/svg+xml"),
    ("innocent.txt", "text/html; charset=utf-8"), ("x.xhtml", "application/xhtml+xml"),
    ("script.js", "text/javascript"), ("PAGE.HTM", "TEXT/HTML"),
])
def test_active_content_is_served_as_a_sandboxed_attachment(files_app, clients, name, mime):  # noqa: F811
    srv, *_ = files_app
    cl = clients(srv.port)
    data = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(1)</script></svg>"
    fd = upload(srv.port, cl.hello["session_hash"], data, name, mime)
    status, headers, body = http_get(srv.port, fd["url"])
    assert status == 200 and body == data
    assert headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in headers["content-security-policy"].split(";")[0]
    assert "script-src" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


# -- inline: max_file_size on the widget comm ----------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    log: dict[str, list] = {}

    def send(self, content, buffers=None):
        log.setdefault(self.model_id, []).append(content)

    monkeypatch.setattr(gr.Component, "send", send, raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", send, raising=False)
    return log


def chunk(comp, ref: str, seq: int, data: bytes, size: int, last: bool) -> None:
    comp._on_front_msg(comp, {"type": "upload", "ref": ref, "seq": seq, "last": last, "name": "big.bin",
                              "mime": "application/octet-stream", "size": size}, [data])


def test_inline_max_file_size_refuses_the_first_chunk(sent):
    demo = gr.Interface(lambda f: f, gr.File(), gr.File())
    demo.max_file_size = files.parse_size("1kb")
    view = notebook.view_for(demo)
    (inp,) = demo.input_components
    store = view.session.files
    chunk(inp, "r1", 0, b"x" * 1000, size=5000, last=False)
    (msg,) = [m for m in sent[inp.model_id] if m.get("ref") == "r1"]
    assert msg["type"] == "upload-error"
    assert msg["message"] == "File too large: 5.0 KB; the limit is 1.0 KB"
    chunk(inp, "r1", 1, b"x" * 4000, size=5000, last=True)  # the rest is ignored
    assert [m["type"] for m in sent[inp.model_id] if m.get("ref") == "r1"] == ["upload-error"]
    assert store.entries == {}
    # a file within the limit still goes up
    chunk(inp, "r2", 0, b"ok", size=2, last=True)
    (ok,) = [m for m in sent[inp.model_id] if m.get("ref") == "r2"]
    assert ok["type"] == "uploaded" and ok["file"]["size"] == 2
    view.close()


def test_inline_max_file_size_holds_when_the_declared_size_lies(sent):
    demo = gr.Interface(lambda f: f, gr.File(), gr.File())
    demo.max_file_size = 1000
    view = notebook.view_for(demo)
    (inp,) = demo.input_components
    store = view.session.files
    chunk(inp, "r1", 0, b"x" * 600, size=10, last=False)
    chunk(inp, "r1", 1, b"x" * 600, size=10, last=True)
    msgs = [m for m in sent[inp.model_id] if m.get("ref") == "r1"]
    assert [m["type"] for m in msgs] == ["upload-error"] and "File too large" in msgs[0]["message"]
    assert store.entries == {} and (store._dir is None or list(store.dir.iterdir()) == [])
    view.close()
