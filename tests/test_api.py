"""The HTTP API against real nbdemo servers, with the real gradio_client and curl."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Literal

import pytest

gradio_client = pytest.importorskip("gradio_client")
from conftest import ROOT  # noqa: E402
from gradio_client import Client, handle_file  # noqa: E402

import nbdemo as gr  # noqa: E402
from nbdemo.api.describe import API_PREFIX  # noqa: E402
from nbdemo.api.samples import sample_path  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "apps"))
from api_apps import build  # noqa: E402


@pytest.fixture(scope="module")
def served():
    demo = build()
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    yield demo, url
    demo.close()


def post(url: str, body: bytes | dict, headers: dict | None = None) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def sse(url: str) -> list[tuple[str, object]]:
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.headers["Content-Type"].startswith("text/event-stream")
        text = r.read().decode()
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_view_api_lists_public_endpoints_with_parameter_names(served):
    _, url = served
    info = Client(url, verbose=False).view_api(print_info=False, return_format="dict")
    named = info["named_endpoints"]
    assert {"/greet", "/count", "/stream", "/boom", "/flip", "/slow", "/progress_steps"} <= set(named)
    assert "/shout" not in named and "/secret" not in named  # undocumented, private
    greet = named["/greet"]
    assert [p["parameter_name"] for p in greet["parameters"]] == ["name", "n", "choice", "drop"]
    assert greet["parameters"][2]["type"] == {"type": "string", "enum": ["a", "b"]}
    assert greet["parameters"][0]["parameter_default"] == "World"
    assert greet["description"] == "Greets someone."
    assert named["/count"]["parameters"] == []  # State is not a parameter


def test_predict_text_number_radio_dropdown(served):
    _, url = served
    c = Client(url, verbose=False)
    assert c.predict("Al", 2, "b", "y", api_name="/greet") == "Hello Al 2 b y"
    assert c.predict(name="Bo", api_name="/greet") == "Hello Bo 3 a x"  # defaults fill the rest


def test_state_is_per_client_session(served):
    _, url = served
    c1 = Client(url, verbose=False)
    assert c1.predict(api_name="/count") == 1
    assert c1.predict(api_name="/count") == 2
    assert Client(url, verbose=False).predict(api_name="/count") == 1


def test_submit_streams_intermediate_outputs(served):
    _, url = served
    job = Client(url, verbose=False).submit("abcd", api_name="/stream")
    assert job.result(timeout=30) == "abcd"
    assert job.outputs() == ["a", "ab", "abc", "abcd"]


def test_image_in_and_out_with_handle_file(served, tmp_path):
    from PIL import Image

    _, url = served
    src = tmp_path / "in.png"
    im = Image.new("RGB", (16, 8), (255, 0, 0))
    im.paste((0, 0, 255), (0, 0, 8, 8))  # left half blue
    im.save(src)
    out = Client(url, verbose=False, download_files=str(tmp_path / "dl")).predict(
        handle_file(str(src)), api_name="/flip")
    with Image.open(out) as im:
        assert im.size == (16, 8)
        r, _, b = im.convert("RGB").getpixel((14, 4))
        assert b > 200 and r < 60  # flipped left-right (the output is lossy WebP)


def test_gr_error_reaches_the_client_and_other_errors_stay_hidden(served):
    _, url = served
    c = Client(url, verbose=False)
    with pytest.raises(Exception, match="bad thing: x"):
        c.predict("x", api_name="/boom")
    with pytest.raises(Exception) as e:
        c.predict("x", api_name="/crash")
    assert "secret internals" not in str(e.value)
    assert c.predict("ok", 1, "a", "x", api_name="/greet") == "Hello ok 1 a x"  # session goes on


def test_job_cancel_stops_the_run(served):
    demo, url = served
    c = Client(url, verbose=False)
    job = c.submit(30, api_name="/slow")
    deadline = time.monotonic() + 20
    while job.status().code.name not in ("PROCESSING",) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.cancel()
    hub = demo._server.app.nbdemo_mounts[0].api
    deadline = time.monotonic() + 20
    while any(not call.run.done() for s in hub.sessions.values() for call in s.calls.values()) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert c.predict(0.01, api_name="/slow") == "slept 0.01"  # the slot was released


def test_progress_reaches_the_stream(served):
    """gr.Progress updates of an API call travel in its stream (``event: progress``
    on /call; the queue/data stream carries them as ``progress`` messages)."""
    _, url = served
    api = url + API_PREFIX.lstrip("/")
    status, body = post(f"{api}/call/progress_steps", {"data": [5]})
    assert status == 200
    events = sse(f"{api}/call/progress_steps/{body['event_id']}")
    progress = [data for kind, data in events if kind == "progress"]
    assert progress and progress[0][0]["desc"] == "step" and progress[0][0]["length"] == 5
    assert events[-1] == ("complete", ["did 5"])


def test_join_of_a_fast_run_answers_after_its_result_is_on_the_open_stream(served):
    """gradio_client looks for a call's messages once its join returns, then every
    50 ms: with the session's queue/data stream open, nbdemo answers the join of a
    fast run only once its process_completed has been written to that stream."""
    _, url = served
    cfg = json.loads(urllib.request.urlopen(url + "config", timeout=30).read())
    fn = {d["api_name"]: d["id"] for d in cfg["dependencies"]}
    h = "join_order_test"
    # a slow call keeps the session's stream open (no close_stream while a call runs)
    status, slow_call = post(url + "gradio_api/queue/join",
                             {"data": [30], "fn_index": fn["slow"], "session_hash": h})
    assert status == 200
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(f"GET /gradio_api/queue/data?session_hash={h} HTTP/1.1\r\n"
                     f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
        seen = b""
        while b"process_starts" not in seen:
            seen += sock.recv(65536)
        status, fast = post(url + "gradio_api/queue/join",
                            {"data": ["Al", 1, "a", "x"], "fn_index": fn["greet"], "session_hash": h})
        assert status == 200
        sock.setblocking(False)  # on loopback, what the server wrote is already here
        got = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                got += chunk
        except BlockingIOError:
            pass
        done = [json.loads(line[5:]) for line in got.decode().split("\n") if line.startswith("data:")]
        assert {"msg": "process_completed", "event_id": fast["event_id"]}.items() <= \
            next(m for m in done if m.get("event_id") == fast["event_id"]
                 and m["msg"] == "process_completed").items()
    finally:
        sock.close()
        post(url + "gradio_api/cancel", {"event_id": slow_call["event_id"], "session_hash": h})


def test_gr_api_endpoints_are_typed_by_their_hints():
    """gr.api(fn): an endpoint with no UI, its parameters and returns from fn's hints."""
    def slice_list(lst: list[int], start: int, end: int = 2) -> list[int]:
        """Slices a list."""
        return lst[start:end]

    def case(text: str, mode: Literal["up", "down"] = "up") -> tuple[str, int]:
        return (text.upper() if mode == "up" else text.lower()), len(text)

    with gr.Blocks() as demo:
        gr.Markdown("API only")
        gr.api(slice_list)

        @gr.api(api_name="twice")
        def double(x: float | None) -> float:
            return (x or 0) * 2

        gr.api(case, api_visibility="undocumented")
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        c = Client(url, verbose=False)
        named = c.view_api(print_info=False, return_format="dict")["named_endpoints"]
        assert set(named) == {"/slice_list", "/twice"}  # /case is undocumented
        params = named["/slice_list"]["parameters"]
        assert [(p["parameter_name"], p["python_type"]["type"], p["parameter_has_default"]) for p in params] \
            == [("lst", "list[int]", False), ("start", "int", False), ("end", "int", True)]
        assert params[0]["type"] == {"type": "array", "items": {"type": "integer"}}
        assert named["/slice_list"]["description"] == "Slices a list."
        assert c.predict([1, 2, 3, 4], 1, api_name="/slice_list") == [2]
        assert c.predict(lst=[1, 2, 3, 4], start=1, end=4, api_name="/slice_list") == [2, 3, 4]
        assert c.predict(2.5, api_name="/twice") == 5.0
        assert list(c.predict("Hey", "down", api_name="/case")) == ["hey", 3]
        with pytest.raises(Exception, match="lst: expected list"):
            c.predict("x", 1, api_name="/slice_list")
        status, body = post(url + "gradio_api/call/case", {"data": ["a", "sideways"]})
        assert status == 422 and "mode" in body["error"], body
        # the page is unchanged: no node for the endpoint's stand-in components
        page = json.loads(urllib.request.urlopen(url + "page_config", timeout=30).read())
        assert [c["kind"] for c in page["components"].values()] == ["markdown"]
    finally:
        demo.close()
    with gr.Blocks(), pytest.raises(TypeError, match="'b' of _untyped\\(\\) has no type hint"):
        gr.api(_untyped)


def _untyped(a: int, b):  # the missing hint of b is the point
    return a


def test_queue_full_is_refused():
    release = threading.Event()

    def hold(x):
        release.wait(20)
        return x

    with gr.Blocks() as demo:
        t = gr.Textbox()
        gr.Button().click(hold, t, t, concurrency_limit=1)
    demo.queue(max_size=1)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        c = Client(url, verbose=False)
        first = c.submit("1", api_name="/hold")
        second = c.submit("2", api_name="/hold")
        deadline = time.monotonic() + 30
        while demo.engine.queue.waiting() < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert demo.engine.queue.waiting() == 1  # "2" waits behind "1"
        with pytest.raises(Exception, match="(?i)queue is full"):
            c.predict("3", api_name="/hold")
        release.set()
        assert first.result(timeout=20) == "1" and second.result(timeout=20) == "2"
    finally:
        release.set()
        demo.close()


def test_chat_interface_endpoint():
    def reply(message, history):
        return f"echo: {message} ({len(history)})"

    demo = gr.ChatInterface(reply)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        c = Client(url, verbose=False)
        assert "/chat" in c.view_api(print_info=False, return_format="dict")["named_endpoints"]
        result = c.predict("hi", api_name="/chat")
        assert "echo: hi" in json.dumps(result)
    finally:
        demo.close()


# -- raw HTTP: the curl recipe, errors ---------------------------------------------------

def test_call_then_sse_stream(served):
    _, url = served
    api = url + API_PREFIX.lstrip("/")
    status, body = post(f"{api}/call/stream", {"data": ["xyz"]})
    assert status == 200
    events = sse(f"{api}/call/stream/{body['event_id']}")
    assert events[-1] == ("complete", ["xyz"])
    assert [e for e in events if e[0] == "generating"] == [("generating", ["x"]), ("generating", ["xy"]),
                                                           ("generating", ["xyz"])]
    status, body = post(f"{api}/call/boom", {"data": ["q"]})
    assert sse(f"{api}/call/boom/{body['event_id']}")[-1][1]["error"] == "bad thing: q"
    status, body = post(f"{api}/call/v2/greet", {"name": "V2"})
    assert sse(f"{api}/call/greet/{body['event_id']}")[-1] == ("complete", ["Hello V2 3 a x"])


def test_bad_requests_get_clear_errors(served):
    _, url = served
    api = url + API_PREFIX.lstrip("/")
    status, body = post(f"{api}/call/nope", {"data": []})
    assert status == 404 and "/greet" in body["error"]
    status, body = post(f"{api}/call/greet", b"{not json")
    assert status == 422 and "JSON" in body["error"]
    status, body = post(f"{api}/call/greet", {"data": ["a", 1, "zzz", "x"]})
    assert status == 422 and body["error"].startswith("choice:")
    status, body = post(f"{api}/call/greet", {"data": ["a", "not a number", "a", "x"]})
    assert status == 422 and body["error"].startswith("n:")
    status, body = post(f"{api}/call/greet", {"data": [1, 2, 3, 4, 5, 6]})
    assert status == 422 and "expected 4" in body["error"]
    status, body = post(f"{api}/call/secret", {"data": ["x"]})
    assert status == 404  # private
    status, body = post(f"{api}/call/greet", {"data": []}, {"Origin": "http://evil.test"})
    assert status == 403
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{api}/call/greet/{'0' * 32}", timeout=10)
    assert e.value.code == 404
    # a file of another session is refused, by name of the parameter
    status, body = post(f"{api}/call/flip", {"data": [{"path": "someone/abc/x.png",
                                                       "meta": {"_type": "gradio.FileData"}}]})
    assert status == 422 and body["error"].startswith("img:")
    c = Client(url, verbose=False)
    assert c.predict("still", 1, "a", "x", api_name="/greet") == "Hello still 1 a x"


def test_sse_client_leaving_mid_stream_cancels_its_run(served):
    demo, url = served
    api = url + API_PREFIX.lstrip("/")
    status, body = post(f"{api}/call/slow", {"data": [30]})
    hub = demo._server.app.nbdemo_mounts[0].api
    call = hub.call(body["event_id"])
    assert call is not None
    r = urllib.request.urlopen(f"{api}/call/slow/{body['event_id']}", timeout=10)
    r.close()  # the client leaves mid-stream (the run takes 30 s)
    deadline = time.monotonic() + 20
    while not call.run.done() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert call.run.status == "cancelled"

def test_readme_curl_recipe(tmp_path):
    """The README's curl recipe, run by bash with a real curl against the
    README's demo (its URL swapped for this server's); httpx stands in when
    curl is missing."""
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Call a demo as an API", 1)[1].split("\n## ", 1)[0]
    (recipe,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    demo = gr.Interface(lambda name: "Hello " + name + "!", "text", "text", api_name="greet")
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        recipe = recipe.replace("http://127.0.0.1:7860/", url)
        if shutil.which("curl"):
            out = subprocess.run(["bash", "-c", recipe], capture_output=True, text=True, timeout=60)
            assert "event: complete" in out.stdout and '"Hello World!"' in out.stdout, out
        else:  # pragma: no cover - curl is on CI machines
            import httpx

            eid = httpx.post(f"{url}gradio_api/call/greet", json={"data": ["World"]}).json()["event_id"]
            assert "Hello World!" in httpx.get(f"{url}gradio_api/call/greet/{eid}").text
    finally:
        demo.close()


def test_info_curl_snippet_runs(served):
    demo, url = served
    info = json.loads(urllib.request.urlopen(url + "gradio_api/info", timeout=10).read())
    snippet = info["named_endpoints"]["/greet"]["code_snippets"]["bash"]
    if shutil.which("curl"):
        out = subprocess.run(["bash", "-c", snippet], capture_output=True, text=True, timeout=60)
        assert "event: complete" in out.stdout and "Hello World 3 a x" in out.stdout, out


def test_python_snippets_run_as_pasted(served):
    _, url = served
    info = json.loads(urllib.request.urlopen(url + "gradio_api/info", timeout=10).read())
    for name in ("/greet", "/flip"):
        code = info["named_endpoints"][name]["code_snippets"]["python"]
        out = subprocess.run(["python", "-c", code], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, (name, code, out.stderr[-2000:])
    assert sample_path("image").startswith("app/")


def test_config_is_what_gradio_client_reads(served):
    _, url = served
    cfg = json.loads(urllib.request.urlopen(url + "config", timeout=10).read())
    assert cfg["api_prefix"] == "/gradio_api" and cfg["protocol"] == "sse_v3"
    ids = {c["id"] for c in cfg["components"]}
    for dep in cfg["dependencies"]:
        assert set(dep["inputs"]) | set(dep["outputs"]) <= ids
    assert [d["id"] for d in cfg["dependencies"]] == list(range(len(cfg["dependencies"])))


@pytest.mark.browser
def test_use_via_api_page_snippets_copy_and_run(served, page):
    """The footer link opens the API page; each Python snippet, copied out of
    the page with its Copy button, runs as pasted."""
    _, url = served
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(url)
    page.get_by_role("link", name="Use via API").click()
    page.wait_for_selector(".nbd-api-endpoint")
    assert page.locator('[data-endpoint="/greet"]').count() == 1
    assert page.locator('[data-endpoint="/secret"]').count() == 0
    for name in ("/greet", "/count"):
        box = page.locator(f'[data-endpoint="{name}"] [data-lang="python"]')
        box.get_by_role("button", name="Copy").click()
        code = page.evaluate("navigator.clipboard.readText()")
        assert code == box.locator("code").text_content()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, (name, code, out.stderr[-2000:])
    curl = page.locator('[data-endpoint="/greet"] [data-lang="bash"] code').text_content()
    if shutil.which("curl"):
        out = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, timeout=60)
        assert "Hello World 3 a x" in out.stdout
    assert page.js_errors == []


def test_show_api_false_hides_the_link_and_page():
    with gr.Blocks() as demo:
        t = gr.Textbox()
        gr.Button().click(lambda x: x, t, t)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_api=False)
    try:
        html = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "Use via API" not in html
        assert "nbd-api-endpoint" not in urllib.request.urlopen(url + "?view=api", timeout=10).read().decode()
        # the API itself still answers (as in Gradio, show_api is about the docs)
        assert Client(url, verbose=False).predict("z", api_name="/lambda") == "z"
    finally:
        demo.close()


def test_gradio_client_against_every_gallery_demo(gallery):
    """`nbdemo demo`'s gallery: every demo answers view_api(), and one endpoint
    of each is called with the example inputs its /info gives."""
    from nbdemo.demos import DEMOS

    failures = []
    for name in DEMOS:
        url = f"{gallery}{name}/"
        c = Client(url, verbose=False, download_files=False)
        named = c.view_api(print_info=False, return_format="dict")["named_endpoints"]
        assert named, f"{name}: no public endpoint"
        info = json.loads(urllib.request.urlopen(url + "gradio_api/info", timeout=30).read())
        api_name, ep = sorted(info["named_endpoints"].items())[0]
        kwargs = {p["parameter_name"]: (handle_file(p["example_input"]["path"])
                                        if isinstance(p["example_input"], dict) and "path" in p["example_input"]
                                        else p["example_input"])
                  for p in ep["parameters"]}
        try:
            c.predict(api_name=api_name, **kwargs)
        except Exception as e:  # collected, so one run names every demo that fails
            failures.append(f"{name} {api_name}: {type(e).__name__}: {e}")
        finally:
            c.close()
    assert not failures, "\n".join(failures)


def test_interface_endpoint_is_named_after_its_function_and_takes_api_options():
    """Gradio 6: an Interface's endpoint is named after fn; api_visibility,
    api_description and show_api work as on listeners."""
    from nbdemo.api import describe

    def greet(name):
        """Says hello."""
        return "Hi " + name

    def names(demo):
        return {e.api_name: e.visibility for e in describe.endpoints(demo.engine.app) if e.api_name}

    assert names(gr.Interface(greet, "text", "text")) == {"greet": "public"}
    assert names(gr.Interface(greet, "text", "text", api_visibility="private")) == {}
    assert names(gr.Interface(greet, "text", "text", show_api=False)) == {"greet": "undocumented"}
    custom = gr.Interface(greet, "text", "text", api_name="hey", api_description="Custom words")
    assert describe.info(custom.engine.app)["named_endpoints"]["/hey"]["description"] == "Custom words"
