"""launch(mcp_server=True): a real nbdemo server, driven by the official MCP SDK's
own clients (streamable HTTP in both protocol eras, and SSE)."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("mcp")
np = pytest.importorskip("numpy")
from conftest import ROOT, free_port  # noqa: E402
from mcp import Client, MCPError  # noqa: E402
from mcp.client.sse import sse_client  # noqa: E402

import nbdemo as gr  # noqa: E402
from nbdemo.api import tools  # noqa: E402


def greet(name: str, excited: bool = False) -> str:
    """Greets someone.

    Args:
        name: the person's name,
            as they like to be called
        excited (bool): end with "!" instead of "."
    Returns:
        the greeting
    """
    return f"Hello {name}" + ("!" if excited else ".")


def red_square(side: float):
    """A red square image.

    Args:
        side: its side, in pixels
    """
    a = np.zeros((int(side), int(side), 3), np.uint8)
    a[..., 0] = 255
    return a


def measure(image):
    """The image's (height, width)."""
    return f"{image.shape[0]}x{image.shape[1]}"


def refuse(text: str):
    """Always refuses."""
    raise gr.Error("not today: " + text)


def count(n: float, progress=gr.Progress()):
    """Counts to n."""
    for _ in progress.tqdm(range(int(n)), desc="counting"):
        time.sleep(0.01)
    return f"counted {int(n)}"


STOPPED = threading.Event()


def endless(n: float):
    """Counts to n, slowly (a call to cancel)."""
    try:
        for i in range(int(n)):
            time.sleep(0.05)
            yield str(i)
    finally:
        STOPPED.set()


def remember(text, seen):
    seen = seen + [text]
    return ", ".join(seen), seen


def build() -> gr.Blocks:
    with gr.Blocks(title="tools") as demo:
        name, excited, out = gr.Textbox(label="Name"), gr.Checkbox(), gr.Textbox()
        side, image = gr.Number(4), gr.Image(format="png")
        picture = gr.Image(type="numpy")
        seen = gr.State([])
        go = gr.Button()
        go.click(greet, [name, excited], out)
        go.click(red_square, side, image)
        go.click(measure, picture, out)
        go.click(refuse, name, out)
        go.click(count, side, out)
        go.click(remember, [name, seen], [out, seen])
        go.click(endless, side, out)
        go.click(lambda s: s.upper(), name, out, api_name="shout")
        go.click(lambda s: s, name, out, api_name=False)
        go.click(lambda s: s[::-1], name, out, api_name="backwards", api_visibility="undocumented")

        @gr.api
        def add(a: int, b: int = 2) -> int:
            """Adds two integers."""
            return a + b

        @gr.api
        @gr.mcp.tool(name="double-it", description="Doubles a number.", structured_output=True,
                     _meta={"origin": "test"})
        def double(x: float) -> float:
            return 2 * x

        @gr.api
        @gr.mcp.resource("greeting://{who}")
        def greeting(who: str) -> str:
            """A greeting for someone."""
            return f"Hi {who}"

        @gr.api
        @gr.mcp.resource("data://blob", mime_type="application/octet-stream")
        def blob() -> str:
            return base64.b64encode(b"\x00\x01").decode()

        @gr.api
        @gr.mcp.prompt(name="review")
        def review_prompt(code: str, tone: str = "kind") -> str:
            """Asks for a code review.

            Args:
                code: the code to review
            """
            return f"Review ({tone}): {code}"
    return demo


@pytest.fixture(scope="module")
def served():
    demo = build()
    _, url, _ = demo.launch(mcp_server=True, prevent_thread_lock=True, quiet=True,
                            server_port=free_port())
    yield demo, url
    demo.close()


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def _with(url: str, fn, **kw):
    async with Client(url + "gradio_api/mcp/", **kw) as client:
        return await fn(client)


def test_tools_are_the_public_endpoints_named_and_described_from_the_function(served):
    _, url = served
    listed = {t.name: t for t in run(_with(url, lambda c: c.list_tools())).tools}
    # api_name=False and undocumented endpoints are not tools; a lambda takes its api_name
    assert set(listed) == {"greet", "red_square", "measure", "refuse", "count", "remember", "shout",
                           "add", "double_it", "endless"}  # resources and prompts are not tools
    greet_tool = listed["greet"]
    assert greet_tool.description == "Greets someone. Returns: the greeting"
    assert greet_tool.input_schema == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "default": "",
                     "description": "the person's name, as they like to be called"},
            "excited": {"type": "boolean", "default": False,
                        "description": 'end with "!" instead of "."'},
        },
    }
    assert listed["red_square"].input_schema["properties"]["side"] == {
        "type": "number", "default": 4, "description": "its side, in pixels"}
    image_param = listed["measure"].input_schema["properties"]["image"]
    assert image_param["type"] == "string" and "data: URL" in image_param["format"]
    assert listed["measure"].input_schema["required"] == ["image"]
    assert "data: URL" in listed["measure"].description
    # State is no argument
    assert list(listed["remember"].input_schema["properties"]) == ["text"]
    # gr.api: typed by the function's hints
    assert listed["add"].input_schema == {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "integer"}, "b": {"type": "integer", "default": 2}}}


def test_call_a_text_tool_in_both_protocol_eras(served):
    demo, url = served
    hub = demo._server.app.nbdemo_mounts[0].api
    before = set(hub.sessions)
    for mode in ("auto", "legacy"):  # 2026 per-request envelope; 2025 initialize + session id
        result = run(_with(url, lambda c: c.call_tool("greet", {"name": "Ada", "excited": True}),
                           mode=mode))
        assert not result.is_error
        assert [c.text for c in result.content] == ["Hello Ada!"]
    defaults = run(_with(url, lambda c: c.call_tool("greet", {"name": "Bo"})))
    assert defaults.content[0].text == "Hello Bo."
    total = run(_with(url, lambda c: c.call_tool("add", {"a": 40})))
    assert [c.text for c in total.content] == ["42"]  # a non-string value as JSON
    assert set(hub.sessions) == before  # each call's API session ended with it (no files)


def test_an_image_comes_back_as_image_content_and_a_url(served):
    _, url = served
    result = run(_with(url, lambda c: c.call_tool("red_square", {"side": 3})))
    assert not result.is_error
    image, link = result.content
    assert image.type == "image" and image.mime_type == "image/png"
    png = base64.b64decode(image.data)
    assert png.startswith(b"\x89PNG")
    assert link.type == "text" and link.text.startswith("Image URL: " + url + "gradio_api/file=")
    with urllib.request.urlopen(link.text.removeprefix("Image URL: "), timeout=30) as r:
        assert r.read() == png
    # the image goes back in as a data: URL
    back = run(_with(url, lambda c: c.call_tool(
        "measure", {"image": "data:image/png;base64," + image.data})))
    assert [c.text for c in back.content] == ["3x3"]
    # or as the URL the earlier call returned (another call's session made that file)
    chained = run(_with(url, lambda c: c.call_tool(
        "measure", {"image": link.text.removeprefix("Image URL: ")})))
    assert not chained.is_error and [c.text for c in chained.content] == ["3x3"]


def test_gr_error_and_bad_arguments_are_tool_errors_and_the_server_keeps_working(served):
    _, url = served

    async def calls(c):
        return [await c.call_tool("refuse", {"text": "x"}),
                await c.call_tool("greet", {"nom": "x"}),
                await c.call_tool("measure", {}),
                await c.call_tool("measure", {"image": "https://example.com/a.png"}),
                await c.call_tool("measure", {"image": "data:image/png;base64,@@"}),
                await c.call_tool("add", {"a": "one"}),
                await c.call_tool("greet", {"name": "still here"})]

    refused, unknown, missing, remote, broken, mistyped, fine = run(_with(url, calls))
    assert refused.is_error and refused.content[0].text == "Error: not today: x"
    assert unknown.is_error and "unknown argument 'nom'" in unknown.content[0].text
    assert missing.is_error and "image: missing" in missing.content[0].text
    assert remote.is_error and "does not download files from other servers" in remote.content[0].text
    assert broken.is_error and "base64" in broken.content[0].text
    assert mistyped.is_error and mistyped.content[0].text.startswith("a: expected int")
    assert not fine.is_error and fine.content[0].text == "Hello still here."

    async def unknown_tool(c):
        try:
            await c.call_tool("nope", {})
        except MCPError as e:  # a protocol error (invalid params), not a tool result
            return e

    error = run(_with(url, unknown_tool))
    assert error is not None and "unknown tool 'nope'; this demo has: greet" in str(error)


def test_progress_becomes_progress_notifications(served):
    _, url = served
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, message))

    result = run(_with(url, lambda c: c.call_tool("count", {"n": 3}, progress_callback=on_progress)))
    assert result.content[0].text == "counted 3"
    assert seen, "no progress notification"
    assert [p for p, _ in seen] == sorted({p for p, _ in seen})  # increasing
    assert all(re.fullmatch(r"counting: [0-3] of 3", m) for _, m in seen), seen


def test_a_request_the_client_gives_up_on_cancels_its_run(served):
    _, url = served
    STOPPED.clear()

    async def give_up(c):
        try:
            await c.call_tool("endless", {"n": 10_000}, read_timeout_seconds=0.5)
        except MCPError as e:  # the client's timeout: it sends notifications/cancelled
            return e

    assert "timed out" in str(run(_with(url, give_up)))
    assert STOPPED.wait(30), "the run went on after the client cancelled it"


def test_state_starts_fresh_each_call(served):
    _, url = served

    async def twice(c):
        return [await c.call_tool("remember", {"text": t}) for t in ("a", "b")]

    first, second = run(_with(url, twice, mode="legacy"))
    assert [first.content[0].text, second.content[0].text] == ["a", "b"]
    assert len(first.content) == 1  # the State output is no content


def test_gr_mcp_decorators_tool_resource_prompt(served):
    _, url = served

    async def session(c):
        return (await c.list_tools(), await c.call_tool("double_it", {"x": 2.5}),
                await c.list_resources(), await c.list_resource_templates(),
                await c.read_resource("greeting://Ada"), await c.read_resource("data://blob"),
                await c.list_prompts(), await c.get_prompt("review", {"code": "x = 1"}))

    tools_, doubled, resources, templates, greeting, blob, prompts, review = run(_with(url, session))
    tool = next(t for t in tools_.tools if t.name == "double_it")
    assert tool.description == "Doubles a number." and tool.meta == {"origin": "test"}
    assert doubled.content[0].text == "5.0" and doubled.structured_content == {"result": 5.0}
    assert [(r.uri, r.name, r.mime_type) for r in resources.resources] == [
        ("data://blob", "blob", "application/octet-stream")]
    assert [(t.uri_template, t.description) for t in templates.resource_templates] == [
        ("greeting://{who}", "A greeting for someone.")]
    assert greeting.contents[0].text == "Hi Ada" and greeting.contents[0].mime_type == "text/plain"
    assert base64.b64decode(blob.contents[0].blob) == b"\x00\x01"
    (prompt,) = prompts.prompts
    assert prompt.name == "review" and prompt.description == "Asks for a code review."
    assert [(a.name, a.description, a.required) for a in prompt.arguments] == [
        ("code", "the code to review", True), ("tone", None, False)]
    assert review.messages[0].role == "user" and review.messages[0].content.text == "Review (kind): x = 1"


def test_sse_transport(served):
    _, url = served

    async def session():
        async with Client(sse_client(url + "gradio_api/mcp/sse"), mode="legacy") as c:
            names = {t.name for t in (await c.list_tools()).tools}
            return names, await c.call_tool("shout", {"s": "hi"})

    names, result = run(session())
    assert "greet" in names and result.content[0].text == "HI"


def test_schema_route_and_refusals(served):
    demo, url = served
    with urllib.request.urlopen(url + "gradio_api/mcp/schema", timeout=30) as r:
        schema = json.loads(r.read())
    entry = next(t for t in schema if t["name"] == "measure")
    assert entry["meta"] == {"endpoint_name": "/measure", "file_data_present": True, "mcp_type": "tool"}
    # another site's page cannot post to the MCP server (nbdemo's Origin check)
    req = urllib.request.Request(url + "gradio_api/mcp/", data=b"{}", method="POST", headers={
        "Origin": "http://evil.example", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 403
    demo.mcp_server = False  # checked per request: a demo launched without it has no MCP routes
    try:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url + "gradio_api/mcp/schema", timeout=30)
        assert e.value.code == 404 and b"mcp_server=True" in e.value.read()
    finally:
        demo.mcp_server = True


def test_through_a_share_link_of_the_jupyter_door(tmp_path):
    """The in-kernel server (Unix socket, relative URLs) behind the Jupyter door's
    share-link proxy: all three transports, and file URLs through the link."""
    import os
    import threading

    import tornado.httpserver
    import tornado.web

    from nbdemo.jupyter.proxy import ShareProxy, Upstream
    from nbdemo.jupyter.registry import KERNEL_FILE, Registry
    from nbdemo.jupyter.shares import Shares
    from nbdemo.server import Server

    demo = build()  # a demo of its own: an engine runs on one server's loop
    demo.mcp_server = True  # what launch(mcp_server=True) sets in a kernel
    demo_id, kernel_id, sock = "00112233445566aa", "kernel-a", str(tmp_path / "demo.sock")
    (tmp_path / KERNEL_FILE.format(kernel_id=kernel_id)).write_text(json.dumps({
        "kernel_id": kernel_id, "pid": os.getpid(), "secret": "s",
        "demos": {demo_id: {"title": "t", "started": 0, "socket": sock}}}))
    registry, shares = Registry(tmp_path, lambda: [kernel_id]), Shares()
    token = shares.create(demo_id, kernel_id).token
    inner = Server({"/": demo}, unix_socket=sock, relative=True, quiet=True).start()
    port, loop, ready = free_port(), asyncio.new_event_loop(), threading.Event()
    servers = []

    def front() -> None:
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/nbdemo/share/([0-9a-f]{16})/([A-Za-z0-9_.-]+)(?:/(.*))?",
                                        ShareProxy, {"upstream": Upstream(registry), "registry": registry,
                                                     "shares": shares, "base_url": "/"})])
        servers.append(tornado.httpserver.HTTPServer(app))
        servers[0].listen(port, "127.0.0.1")
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=front, daemon=True)
    thread.start()
    ready.wait()
    link = f"http://127.0.0.1:{port}/nbdemo/share/{demo_id}/{token}/"

    async def session():
        out = []
        for mode in ("auto", "legacy"):
            async with Client(link + "gradio_api/mcp/", mode=mode) as c:
                out.append((await c.call_tool("greet", {"name": mode})).content[0].text)
        async with Client(sse_client(link + "gradio_api/mcp/sse"), mode="legacy") as c:
            out.append((await c.call_tool("greet", {"name": "sse"})).content[0].text)
            image = await c.call_tool("red_square", {"side": 2})
        return out, image

    try:
        texts, image = run(session())
        assert texts == ["Hello auto.", "Hello legacy.", "Hello sse."]
        file_url = image.content[1].text.removeprefix("Image URL: ")
        assert file_url.startswith(link + "gradio_api/file=")
        with urllib.request.urlopen(file_url, timeout=30) as r:
            assert r.read() == base64.b64decode(image.content[0].data)
    finally:
        inner.stop()
        loop.call_soon_threadsafe(servers[0].stop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_docstring_parser():
    doc = tools.parse_docstring(greet)
    assert doc.summary == "Greets someone."
    assert doc.params == {"name": "the person's name, as they like to be called",
                          "excited": 'end with "!" instead of "."'}
    assert doc.returns == ["the greeting"]
    assert tools.parse_docstring(lambda: 0) == tools.Docstring()


def test_file_arguments_nested_in_lists_and_objects():
    from nbdemo.api.describe import FILE_SCHEMA

    stored = []

    def store(data, name, mime):
        stored.append((data, name, mime))
        return f"upload/id{len(stored)}/{name}"

    multimodal = {"type": "object", "properties": {"text": {"type": "string"},
                                                   "files": {"type": "array", "items": FILE_SCHEMA}}}
    value = {"text": "hi", "files": ["data:image/png;base64," + base64.b64encode(b"png").decode(),
                                     "http://127.0.0.1:1/gradio_api/file=s/id/a.txt"]}
    assert tools.files_in(value, multimodal, store) == {"text": "hi", "files": [
        {"path": "upload/id1/file.png", "meta": {"_type": "gradio.FileData"}},
        {"path": "http://127.0.0.1:1/gradio_api/file=s/id/a.txt", "meta": {"_type": "gradio.FileData"}}]}
    assert stored == [(b"png", "file.png", "image/png")]
    # the schema a model sees: strings where the API has FileData
    assert tools._mcp_schema(multimodal)["properties"]["files"]["items"] == {
        "type": "string", "format": tools.FILE_FORMAT}


def test_mcp_server_from_the_environment(monkeypatch):
    from nbdemo.blocks import _mcp_wanted

    monkeypatch.delenv("NBDEMO_MCP_SERVER", raising=False)
    monkeypatch.setenv("GRADIO_MCP_SERVER", "True")
    assert _mcp_wanted(None) is True
    assert _mcp_wanted(False) is False
    monkeypatch.setenv("GRADIO_MCP_SERVER", "false")
    assert _mcp_wanted(None) is False


def test_without_the_mcp_package_launch_names_the_extra():
    code = ("import sys; sys.modules['mcp'] = None\n"
            "import nbdemo as gr\n"
            "try:\n"
            "    gr.Interface(str, 'text', 'text').launch(mcp_server=True, prevent_thread_lock=True)\n"
            "except ImportError as e:\n"
            "    print('ImportError:', e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert 'ImportError: launch(mcp_server=True) needs the MCP SDK: pip install "nbdemo[mcp]"' \
        in r.stdout, r.stdout + r.stderr
