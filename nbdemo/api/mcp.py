"""The MCP door: a demo's public endpoints as tools of an MCP server
(``launch(mcp_server=True)``), served with the official ``mcp`` SDK
(``pip install "nbdemo[mcp]"``) on the demo's own server and port.

Paths are Gradio's, below the demo's root (see :class:`nbdemo.api.asgi.McpHandler`):
``gradio_api/mcp/`` (streamable HTTP; also ``gradio_api/mcp`` and
``gradio_api/mcp/http/``), ``gradio_api/mcp/sse`` (the older SSE transport)
and ``gradio_api/mcp/schema`` (the tools as JSON). The SDK's transports are
ASGI apps; :mod:`nbdemo.api.asgi` runs them inside tornado handlers on the
server's loop, so the page's login, Host and Origin checks cover MCP too
(the SDK's own DNS-rebinding check is off: nbdemo's Host check, which knows
``allowed_hosts`` and the Jupyter door, does that job).

What a tool is (name, description, schema) is in :mod:`nbdemo.api.tools`.
Functions decorated with ``gr.mcp.resource`` / ``gr.mcp.prompt``
(:mod:`nbdemo.mcp`) are served as resources (``resources/list``,
``resources/templates/list``, ``resources/read``) and prompts
(``prompts/list``, ``prompts/get``) instead; their errors are JSON-RPC errors.
A tool call is an HTTP API call (:meth:`Engine.call`): same queue,
concurrency limits and input checks. Each call runs in an API session of its
own, so ``gr.State`` inputs start from their initial value every call (as in
Gradio's MCP server); the session is kept (600 s idle) only when the call
returned files, so their URLs stay valid.

Results: one content block per output (``gr.State`` outputs left out):

- an image file: the image itself (MCP image content, base64, its MIME
  type) followed by a text block ``Image URL: <url>``;
- any other file: a text block with its URL (``…/gradio_api/file=…``);
- a string: as it is; any other value: as JSON text (Gradio uses Python's
  ``str()``; JSON is what a model or a program can read back).

Errors are tool results with ``isError`` set, whose text is the message:
``gr.Error`` gives ``"<title>: <message>"`` (``"Error: …"`` by default);
any other exception gives ``"Error"`` unless the demo was launched with
``show_error=True``, as on the page; a bad argument names it; a full queue
says so. An unknown tool name is a JSON-RPC error (invalid params).

Progress: when the client sends a progress token, each ``gr.Progress``
update becomes a ``notifications/progress`` (``progress`` counts updates;
``total`` and ``message`` come from the innermost bar). A client that
cancels the request cancels the run.

File inputs take a ``data:`` URL (base64, stored as an upload of this
server) or the URL of a file this server returned. Unlike Gradio, nbdemo
does not download other URLs (nothing is fetched on a client's behalf; see
the HTTP API), and there is no ``upload_file_to_gradio`` helper tool.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json

import anyio
from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.sse import SseServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.exceptions import MCPError

from .. import __version__, files
from ..engine.run import RunError
from ..server.handlers import MAX_MESSAGE, public_base, request_of
from . import tools as T
from .describe import API_PREFIX
from .session import _is_gradio_file, parse_file_ref

#: where the MCP routes live below a demo's root, as in Gradio
MCP_PATH = API_PREFIX + "/mcp"


def door_of(mount) -> McpDoor:
    """The MCP server of ``mount`` (a ``nbdemo.server.handlers.Mount``), made on first use."""
    door = getattr(mount, "mcp", None)
    if door is None:
        door = mount.mcp = McpDoor(mount)
    return door


class McpDoor:
    """One demo's MCP server: the SDK's low-level ``Server`` with nbdemo's
    ``tools/list`` and ``tools/call``, its streamable-HTTP session manager and
    its SSE transport. Started on the first request, on the serving loop;
    :meth:`close` stops it."""

    def __init__(self, mount):
        self.mount = mount
        title = getattr(mount.blocks, "title", None)
        self.server = Server(str(title or "nbdemo"), version=__version__,
                             on_list_tools=self._list_tools, on_call_tool=self._call_tool,
                             on_list_resources=self._list_resources,
                             on_list_resource_templates=self._list_resource_templates,
                             on_read_resource=self._read_resource,
                             on_list_prompts=self._list_prompts, on_get_prompt=self._get_prompt)
        # a request's arguments (data: URLs included) up to the API's message limit
        self.manager = StreamableHTTPSessionManager(app=self.server, security_settings=None,
                                                    max_request_body_size=MAX_MESSAGE)
        self.sse = SseServerTransport("/messages/", security_settings=None,
                                      max_request_body_size=MAX_MESSAGE)
        self._task: asyncio.Task | None = None
        #: the cancel scopes of the MCP requests being answered (SSE streams included)
        self._open: set[anyio.CancelScope] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self._stop = asyncio.Event()
        self._ready = asyncio.Event()

    @property
    def hub(self):
        return self.mount.api  # made with the API routes (nbdemo.api.routes)

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is None:
            async def run() -> None:
                async with self.manager.run():
                    self._ready.set()
                    await self._stop.wait()

            self._task = asyncio.get_running_loop().create_task(run())
            self._task.add_done_callback(lambda _t: self._ready.set())
        await self._ready.wait()
        if self._task.done() and self._task.exception() is not None:
            raise self._task.exception()

    async def close(self) -> None:
        """End every MCP session and stop the session manager."""
        task, self._task = self._task, None
        self._closed = True
        if task is None:
            return
        # end open requests and streams here, while the loop runs (a task cut off by the
        # loop's end leaves the SDK's async generators half-closed)
        for scope in list(self._open):
            scope.cancel()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._idle.wait(), 2)
        self._stop.set()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        # sse_starlette (the SDK's SSE responses) leaves a task per loop that polls for
        # uvicorn's shutdown every 0.5 s; end it with the server (it restarts when needed)
        watchers = [t for t in asyncio.all_tasks() if _is_sse_watcher(t.get_coro())]
        for t in watchers:
            t.cancel()
        if watchers:
            await asyncio.wait(watchers, timeout=1)

    # -- HTTP ------------------------------------------------------------------------------
    async def serve(self, handler, route: str | None) -> None:
        """Answer ``handler``'s request for ``gradio_api/mcp/<route>``."""
        route = (route or "").strip("/")
        if route == "schema" and handler.request.method == "GET":
            return self._schema(handler)
        if route not in ("", "http", "sse", "messages"):
            return handler.fail(404, f"no MCP route {handler.request.path[:120]}: the MCP server is "
                                     f"at {MCP_PATH}/ (streamable HTTP) and {MCP_PATH}/sse")
        if self._closed:
            return handler.fail(503, "the server is shutting down")
        await self.start()
        base = public_base(handler.request, self.mount.prefix)
        # the path of gradio_api/mcp as the client sees it (behind the Jupyter door's proxy too)
        root = "/" + base.split("://", 1)[-1].split("/", 1)[-1] + MCP_PATH.lstrip("/")
        scope = handler.scope(root_path=root, nbdemo={"base": base, "request": handler.request,
                                                      "user": handler.current_user})
        if route == "sse":
            if handler.request.method != "GET":
                return handler.fail(405, "the SSE transport's stream is a GET")
            app = self._sse_app
        elif route == "messages":
            app = self.sse.handle_post_message
        else:
            app = self.manager.handle_request
        with anyio.CancelScope() as cancel:
            self._open.add(cancel)
            self._idle.clear()
            try:
                await handler.serve_asgi(app, scope)
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                # the MCP session ended (client DELETE, idle) while this request was in
                # flight: the SDK answered it already and then fails to pass the error on
                if not handler._finished:
                    handler.fail(404, "the MCP session has ended")
            finally:
                self._open.discard(cancel)
                if not self._open:
                    self._idle.set()

    async def _sse_app(self, scope, receive, send) -> None:
        with contextlib.suppress(ValueError):  # a refused request was answered already
            async with self.sse.connect_sse(scope, receive, send) as (read, write):
                await self.server.run(read, write, self.server.create_initialization_options())

    def _schema(self, handler) -> None:
        app = self.mount.engine.app.fresh()
        handler.set_header("Content-Type", "application/json")
        handler.finish(json.dumps([
            {"name": t.name, "description": t.description, "inputSchema": t.input_schema,
             "meta": {"endpoint_name": "/" + t.endpoint.api_name, "file_data_present": t.takes_files,
                      "mcp_type": t.kind}}
            for t in T.entries(app)]))

    # -- tools ----------------------------------------------------------------------------
    async def _list_tools(self, ctx, params) -> types.ListToolsResult:
        app = self.mount.engine.app.fresh()
        return types.ListToolsResult(tools=[
            types.Tool(name=t.name, description=t.description, input_schema=t.input_schema,
                       meta=t.mark.get("meta"))
            for t in T.tools(app)])

    async def _call_tool(self, ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        app = self.mount.engine.app.fresh()
        tool = T.find(app, params.name)
        if tool is None:
            names = [t.name for t in T.tools(app)]
            raise MCPError(types.INVALID_PARAMS, f"unknown tool {params.name[:80]!r}; this demo has: "
                                                 f"{', '.join(names) or 'none'}")
        try:
            async with self._running(ctx, tool, params.arguments or {}) as (session, output):
                content = self._content(session, tool, output)
                values = [session.files_out(v) for c, v in zip(tool.endpoint.dep.outputs, output)
                          if c._kind != "state"]
        except _Failed as e:
            return types.CallToolResult(content=[types.TextContent(text=str(e))], is_error=True)
        structured = None
        if tool.mark.get("structured_output"):
            structured = {"result": values[0] if len(values) == 1 else values}
        return types.CallToolResult(content=content, structured_content=structured,
                                    meta=tool.mark.get("meta"))

    # -- resources and prompts (gr.mcp.resource, gr.mcp.prompt) -----------------------
    async def _list_resources(self, ctx, params) -> types.ListResourcesResult:
        app = self.mount.engine.app.fresh()
        return types.ListResourcesResult(resources=[
            types.Resource(uri=t.mark["uri_template"], name=t.name, description=t.description,
                           mime_type=t.mark["mime_type"])
            for t in T.entries(app) if t.kind == "resource" and "{" not in t.mark["uri_template"]])

    async def _list_resource_templates(self, ctx, params) -> types.ListResourceTemplatesResult:
        app = self.mount.engine.app.fresh()
        return types.ListResourceTemplatesResult(resource_templates=[
            types.ResourceTemplate(uri_template=t.mark["uri_template"], name=t.name,
                                   description=t.description, mime_type=t.mark["mime_type"])
            for t in T.entries(app) if t.kind == "resource" and "{" in t.mark["uri_template"]])

    async def _read_resource(self, ctx, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        found = T.resource_for(self.mount.engine.app.fresh(), params.uri)
        if found is None:
            raise MCPError(types.INVALID_PARAMS, f"no resource {params.uri[:200]!r} in this demo")
        resource, args = found
        mime = resource.mark["mime_type"]
        try:
            async with self._running(ctx, resource, args) as (session, output):
                value = output[0] if output else None
                if mime.startswith("text/"):
                    text = value if isinstance(value, str) else json.dumps(session.files_out(value))
                    contents = types.TextResourceContents(uri=params.uri, mime_type=mime, text=text)
                else:
                    contents = types.BlobResourceContents(uri=params.uri, mime_type=mime,
                                                          blob=self._blob(session, value))
        except _Failed as e:
            raise MCPError(types.INTERNAL_ERROR, str(e)) from None
        return types.ReadResourceResult(contents=[contents])

    async def _list_prompts(self, ctx, params) -> types.ListPromptsResult:
        app = self.mount.engine.app.fresh()
        return types.ListPromptsResult(prompts=[
            types.Prompt(name=t.name, description=t.description, arguments=[
                types.PromptArgument(name=p["parameter_name"], description=t.param_docs.get(
                    p["parameter_name"]) or None, required=not p["parameter_has_default"])
                for p in t.params])
            for t in T.entries(app) if t.kind == "prompt"])

    async def _get_prompt(self, ctx, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        prompt = T.find(self.mount.engine.app.fresh(), params.name, kind="prompt")
        if prompt is None:
            raise MCPError(types.INVALID_PARAMS, f"no prompt {params.name[:80]!r} in this demo")
        try:
            async with self._running(ctx, prompt, dict(params.arguments or {})) as (session, output):
                value = output[0] if output else None
                text = value if isinstance(value, str) else json.dumps(session.files_out(value))
        except _Failed as e:
            raise MCPError(types.INVALID_PARAMS if e.bad_input else types.INTERNAL_ERROR,
                           str(e)) from None
        return types.GetPromptResult(description=prompt.description or None, messages=[
            types.PromptMessage(role="user", content=types.TextContent(text=text))])

    # -- one run -------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _running(self, ctx, tool: T.Tool, args: dict):
        """Run ``tool``'s endpoint with ``args`` (by parameter name) in an API
        session of its own; yields ``(session, outputs)`` once the run
        completed. Raises :class:`_Failed` for a bad argument, a full queue, an
        error or a cancelled run. The session ends afterwards unless the
        outputs hold files (their URLs stay valid while it lives)."""
        engine = self.mount.engine
        hub = self.hub
        info = getattr(getattr(ctx, "request", None), "scope", {}).get("nbdemo", {})
        session = hub.session(None)
        session.base = info.get("base", session.base)
        if info.get("request") is not None:
            session.request = request_of(info["request"], session.session_hash)
            session.request.username = info.get("user")
        kept = False
        try:
            try:
                data = T.arguments(tool, args, self._store_bytes, self._carry)
                inputs = session.inputs(tool.endpoint, data, tool.params)
            except ValueError as e:  # InputError too: a bad argument, named
                raise _Failed(str(e), bad_input=True) from None
            refused = engine.refuses(tool.endpoint.fn_index)
            if refused:
                raise _Failed(f"Queue is full: {refused}")
            run = engine.call(session, tool.endpoint.fn_index, inputs)
            try:
                output = await self._follow(ctx, run)
            except asyncio.CancelledError:  # the client cancelled the request, or left
                engine.cancel_run(session, run.event_id)
                raise
            if run.status == "error":
                message = run.message or "Error"
                raise _Failed(f"{run.title}: {message}" if run.title and run.message else message)
            if run.status == "cancelled":
                raise _Failed("Cancelled")
            output = output or []
            kept = any(files.contains_file(v) for v in output)
            yield session, output
        finally:
            if not kept:
                hub.end(session)

    async def _follow(self, ctx, run) -> list | None:
        """Wait for ``run`` to end (its status says how) and return its output,
        sending its progress to the client when the request has a progress token."""
        meta = (ctx.params or {}).get("_meta") if isinstance(ctx.params, dict) else None
        token = meta.get("progressToken") if isinstance(meta, dict) else None
        if isinstance(token, bool) or not isinstance(token, (str, int)):
            token = None
        updates: asyncio.Queue = asyncio.Queue()
        if token is not None:
            run.observers.append(lambda msg: updates.put_nowait(msg) if msg.get("progress") else None)
        ended = asyncio.ensure_future(_ended(run))
        got: asyncio.Future | None = None
        step = 0
        try:
            while True:
                got = asyncio.ensure_future(updates.get())
                done, _ = await asyncio.wait({ended, got}, return_when=asyncio.FIRST_COMPLETED)
                if got not in done:
                    return run.output
                step += 1
                unit = got.result()["progress"][-1]
                total = unit.get("length")
                text = unit.get("desc") or "Progress"
                if unit.get("index") is not None:
                    text += f": {unit['index']}" + (f" of {total}" if total else "")
                elif unit.get("progress") is not None:
                    text += f": {round(unit['progress'] * 100)}%"
                await ctx.session.send_progress_notification(
                    token, step, message=text, related_request_id=ctx.request_id)
        finally:
            for waiting in (ended, got):
                if waiting is not None and not waiting.done():
                    waiting.cancel()

    def _store_bytes(self, data: bytes, name: str, mime: str) -> str:
        limit = self.mount.max_file_size
        if limit is not None and len(data) > limit:
            raise ValueError(f"file too large ({files.human_size(len(data))}; the limit is "
                             f"{files.human_size(limit)})")
        fd = self.hub.uploads.add_bytes(data, name, mime)
        self.hub.uploads.get(fd["id"]).uploaded = True
        return f"upload/{fd['id']}/{fd['orig_name']}"

    def _carry(self, ref: str) -> str:
        """A file URL (or API path) of another API session's output, as an upload
        this call's session may use; any other reference unchanged.

        Each tool call has a session of its own, so a model that passes the
        image one call returned to the next call hands over another session's
        file. Its URL is a capability already (``gradio_api/file=`` serves it to
        whoever has it), so accepting it as an input gives nothing more away."""
        parsed = parse_file_ref(ref)
        if parsed is None or parsed[0] in ("app", "upload"):
            return ref
        owner = self.hub.sessions.get(parsed[0])
        entry = owner.files.get(parsed[1]) if owner is not None else None
        if entry is None or not entry.path.is_file():
            return ref
        fd = self.hub.uploads.add_path(entry.path, entry.orig_name, entry.mime_type)
        self.hub.uploads.get(fd["id"]).uploaded = True
        return f"upload/{fd['id']}/{fd['orig_name']}"

    def _content(self, session, tool: T.Tool, output: list) -> list:
        out: list = []
        for comp, value in zip(tool.endpoint.dep.outputs, output):
            if comp._kind == "state":
                continue
            if isinstance(value, dict) and "id" in value and files.contains_file(value):
                out += self._file_content(session, value)
                continue
            value = session.files_out(value)
            out.append(types.TextContent(text=value if isinstance(value, str)
                                         else json.dumps(value, default=str)))
        return out

    def _file_content(self, session, fd: dict) -> list:
        shown = session.files_out(fd)
        url = shown.get("url") or shown.get("path") if _is_gradio_file(shown) else str(shown)
        mime = fd.get("mime_type") or ""
        entry = session.files.get(fd["id"]) or files.app_store().get(fd["id"])
        if mime.startswith("image/") and entry is not None and entry.path.is_file():
            data = base64.b64encode(entry.path.read_bytes()).decode("ascii")
            return [types.ImageContent(data=data, mime_type=mime),
                    types.TextContent(text=f"Image URL: {url}")]
        return [types.TextContent(text=str(url))]

    def _blob(self, session, value) -> str:
        """A binary resource's content as base64: a file output's bytes, or a string
        the function returned (taken to be base64 already, as in Gradio)."""
        if isinstance(value, dict) and "id" in value and files.contains_file(value):
            entry = session.files.get(value["id"]) or files.app_store().get(value["id"])
            if entry is not None and entry.path.is_file():
                return base64.b64encode(entry.path.read_bytes()).decode("ascii")
        if isinstance(value, str):
            return value
        raise _Failed("a resource of a binary type returns a file or a base64 string")


async def _ended(run) -> None:
    """Wait until ``run`` has ended, however it ended."""
    with contextlib.suppress(RunError, asyncio.CancelledError):
        await run.result()


def _is_sse_watcher(coro) -> bool:
    code = getattr(coro, "cr_code", None)
    return code is not None and code.co_name == "_shutdown_watcher" \
        and "sse_starlette" in code.co_filename


class _Failed(Exception):
    """A call that did not complete: its message is what the client is told."""

    def __init__(self, message: str, bad_input: bool = False):
        super().__init__(message)
        self.bad_input = bad_input
