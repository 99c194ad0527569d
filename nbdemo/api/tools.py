"""A demo's public endpoints as MCP tools: names, descriptions, input schemas
and the conversion of tool arguments to API inputs. Pure data, no MCP SDK:
:mod:`nbdemo.api.mcp` serves what this module describes.

Where the pieces come from (as in Gradio's MCP server, so an MCP client
configured for a Gradio app sees the same tools):

- one tool per *public* endpoint (see :mod:`nbdemo.api.describe`);
  ``api_name=False``, ``api_visibility="private"`` or ``"undocumented"``
  endpoints are not tools; a function decorated with ``gr.mcp.resource`` or
  ``gr.mcp.prompt`` (:mod:`nbdemo.mcp`) is a resource or a prompt instead,
  and ``gr.mcp.tool(name=, description=)`` overrides what follows;
- the tool's **name** is the function's name (``fn.__name__``), with every
  character other than ``A-Z a-z 0-9`` replaced by ``_``, cut to 120
  characters and made unique with ``_1``, ``_2`` …. nbdemo differs from
  Gradio for a function without a name of its own (a lambda, a
  ``functools.partial``): Gradio names that tool ``_lambda_`` or
  ``partial``; nbdemo uses the endpoint's ``api_name``, which the demo's
  author chose;
- the **description** is the docstring's text before its ``Args:`` /
  ``Parameters:`` / ``Arguments:`` / ``Returns:`` section, followed by the
  ``Returns:`` section (a listener's ``api_description=`` replaces the
  docstring's text; ``api_description=False`` leaves it empty);
- the **input schema** is a JSON-schema object with one property per API
  parameter (the names and types ``/gradio_api/info`` gives), described by
  the docstring's ``Args:`` entry for it, with its default; parameters
  without a default are ``required``. A file parameter's schema is a
  string: a ``data:`` URL (base64) or the URL of a file this server served
  (see :func:`files_in`).
"""

from __future__ import annotations

import base64
import binascii
import inspect
import mimetypes
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from ..mcp import MARK
from . import describe

#: What a file parameter's schema says (its ``format``), for the model that fills it in.
FILE_FORMAT = ("a file: a data: URL with base64 content (data:image/png;base64,...), or the "
               "URL of a file this server returned")

_SECTION = re.compile(r"^(Args|Arguments|Parameters|Returns|Yields|Raises|Examples?|Notes?)\s*:\s*$")
_PARAM_SECTIONS = {"Args", "Arguments", "Parameters"}


@dataclass
class Docstring:
    """A function's docstring, Google style, as the tool description uses it."""

    #: the text before the first section, its lines joined with spaces
    summary: str = ""
    #: parameter name → its description (continuation lines joined)
    params: dict[str, str] = field(default_factory=dict)
    #: the lines of the ``Returns:`` section, stripped
    returns: list[str] = field(default_factory=list)


def parse_docstring(fn: Any) -> Docstring:
    """``fn``'s docstring split into summary, ``Args:`` entries and ``Returns:``
    lines. An ``Args:`` entry is ``name: text`` or ``name (type): text``; lines
    indented deeper than the entry continue it. Sections other than these
    (``Raises:``, ``Examples:`` …) end the previous one and are left out."""
    doc = inspect.getdoc(fn) if fn is not None else None
    out = Docstring()
    if not doc:
        return out
    summary: list[str] = []
    section = None
    current: str | None = None
    indent = 0
    for raw in doc.splitlines():
        line = raw.strip()
        head = _SECTION.match(line)
        if head and len(raw) - len(raw.lstrip()) == 0:
            section, current = head.group(1), None
            continue
        if section is None:
            if line:
                summary.append(line)
        elif section in _PARAM_SECTIONS:
            if not line:
                continue
            depth = len(raw) - len(raw.lstrip())
            m = re.match(r"^\*{0,2}([A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*:\s*(.*)$", line)
            if m and (current is None or depth <= indent):
                current, indent = m.group(1), depth
                out.params[current] = m.group(3).strip()
            elif current is not None:
                out.params[current] = (out.params[current] + " " + line).strip()
        elif section == "Returns" and line:
            out.returns.append(line)
    out.summary = " ".join(summary)
    return out


def tool_name(ep: describe.Endpoint, given: str | None = None) -> str:
    """The tool's name before it is made unique (see the module docstring);
    ``given``: the name ``gr.mcp.tool(name=)`` or ``gr.mcp.prompt(name=)`` chose."""
    fn = ep.dep.fn
    name = given if isinstance(given, str) and given else getattr(fn, "__name__", None)
    if not isinstance(name, str) or not name or name == "<lambda>":
        name = ep.api_name or "predict"
    return re.sub(r"[^a-zA-Z0-9]", "_", name)[:120]


def _is_file_schema(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    meta = node.get("properties", {}).get("meta") if isinstance(node.get("properties"), dict) else None
    return node.get("title") == "FileData" or (
        isinstance(meta, dict) and isinstance(meta.get("default"), dict)
        and meta["default"].get("_type") == "gradio.FileData")


def _mcp_schema(node: Any) -> Any:
    """A parameter's API schema with every FileData replaced by a string (a URL)."""
    if _is_file_schema(node):
        return {"type": "string", "format": FILE_FORMAT}
    if isinstance(node, dict):
        return {k: _mcp_schema(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mcp_schema(v) for v in node]
    return node


@dataclass
class Tool:
    """One public endpoint as the MCP server shows it: a tool, or (marked with
    ``gr.mcp.resource`` / ``gr.mcp.prompt``) a resource or a prompt."""

    name: str
    description: str
    #: JSON schema of the tool's arguments (an object)
    input_schema: dict
    endpoint: describe.Endpoint
    #: the endpoint's API parameters (:func:`describe.parameters_of`)
    params: list[dict]
    #: whether any parameter takes a file
    takes_files: bool
    #: "tool", "resource" or "prompt"
    kind: str = "tool"
    #: what the function's ``gr.mcp`` decorator said (see :mod:`nbdemo.mcp`), or {}
    mark: dict = field(default_factory=dict)
    #: the parameter descriptions from the docstring's ``Args:``, by name
    param_docs: dict = field(default_factory=dict)


def mark_of(fn: Any) -> dict:
    """What ``gr.mcp.tool/resource/prompt`` said about ``fn`` ({} when undecorated)."""
    mark = getattr(fn, MARK, None)
    return mark if isinstance(mark, dict) else {}


def _describe(ep: describe.Endpoint, doc: Docstring, takes_files: bool, mark: dict) -> str:
    given = ep.dep.api_description
    if isinstance(mark.get("description"), str):
        given = mark["description"]
    if given is False:
        return ""
    text = given if isinstance(given, str) else doc.summary
    if doc.returns and not isinstance(given, str):
        text = (text.rstrip(".") + ". " if text else "") + "Returns: " + " ".join(doc.returns)
    if takes_files and mark.get("kind", "tool") == "tool":
        text = (text.rstrip() + " " if text else "") + (
            "File inputs take a data: URL (base64) or the URL of a file this server returned.")
    return text


def entries(app) -> list[Tool]:
    """Every public endpoint of ``app`` (an engine ``App``) as the MCP server
    shows it, in endpoint order, names unique across tools, resources and
    prompts. Cached on the app until it gains listeners, as
    :func:`describe.endpoints` is."""
    key = len(app.dependencies)
    cached = getattr(app, "_mcp_tools", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    out: list[Tool] = []
    used: set[str] = set()
    for ep in describe.endpoints(app):
        if ep.visibility != "public":
            continue
        mark = mark_of(ep.dep.fn)
        base = name = tool_name(ep, mark.get("name"))
        n = 0
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        doc = parse_docstring(ep.dep.fn)
        params = describe.parameters_of(ep)
        props: dict[str, dict] = {}
        required = []
        takes_files = False
        for p in params:
            schema = _mcp_schema(p["type"])
            takes_files = takes_files or schema != p["type"]
            prop = dict(schema)
            text = doc.params.get(p["parameter_name"])
            if text:
                prop["description"] = text
            elif p["label"] and not p["label"].startswith("parameter_") and p["component"] != "Api" \
                    and p["label"].strip().lower() != p["parameter_name"].lower():  # says more than the name
                prop["description"] = f"{p['label']} ({p['component']})"
            if p["parameter_has_default"]:
                prop["default"] = p["parameter_default"]
            else:
                required.append(p["parameter_name"])
            props[p["parameter_name"]] = prop
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
        out.append(Tool(name, _describe(ep, doc, takes_files, mark), schema, ep, params,
                        takes_files, mark.get("kind", "tool"), mark, doc.params))
    app._mcp_tools = (key, out)
    return out


def tools(app) -> list[Tool]:
    """The tools of ``app``: its public endpoints but those served as resources or prompts."""
    return [t for t in entries(app) if t.kind == "tool"]


def find(app, name: str, kind: str = "tool") -> Tool | None:
    """The tool (or prompt, with ``kind="prompt"``) named ``name``, or None."""
    for t in entries(app):
        if t.name == name and t.kind == kind:
            return t
    return None


def resource_for(app, uri: str) -> tuple[Tool, dict[str, str]] | None:
    """The resource serving ``uri`` and the arguments its URI template takes
    from it (``{"name": "Ada"}`` for ``greeting://{name}`` and
    ``greeting://Ada``; a part matches up to the next "/"), or None."""
    for t in entries(app):
        if t.kind != "resource":
            continue
        template = t.mark["uri_template"]
        pattern = re.sub(r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        m = re.fullmatch(pattern, uri)
        if m is not None:
            return t, m.groupdict()
    return None


# -- arguments ---------------------------------------------------------------------------

def decode_data_url(url: str) -> tuple[bytes, str]:
    """``(content, mime_type)`` of a ``data:`` URL. Raises ``ValueError`` when
    it is not one (or its base64 is broken)."""
    head, sep, body = url.partition(",")
    if not sep or not head.startswith("data:"):
        raise ValueError("not a data: URL (expected data:<type>;base64,<content>)")
    parts = head[5:].split(";")
    mime = parts[0] or "text/plain"
    try:
        data = base64.b64decode(body, validate=True) if "base64" in parts[1:] \
            else unquote_to_bytes(body)
    except (binascii.Error, ValueError) as e:
        raise ValueError(f"the data: URL's base64 content is broken ({e})") from None
    return data, mime


def files_in(value: Any, schema: Any, store_bytes, carry=None) -> Any:
    """``value`` (a tool argument) with each string where ``schema`` (the
    parameter's API schema) has a FileData turned into a Gradio FileData the
    API session resolves: a ``data:`` URL is stored first with
    ``store_bytes(content, name, mime_type)`` (which returns its API path);
    any other string (a file URL of this server, an ``/upload`` path) becomes
    ``carry(string)`` when ``carry`` is given (the door makes a file of an
    earlier call usable by this one), else passes on as it is, and the API
    session refuses what it does not know."""
    def again(v: Any, sub: Any) -> Any:
        return files_in(v, sub, store_bytes, carry)

    if _is_file_schema(schema):
        if isinstance(value, str):
            path = value
            if "://" in value and (describe.API_PREFIX + "/file=") not in value:
                raise ValueError("nbdemo does not download files from other servers: pass the "
                                 "file's content as a data: URL (data:<type>;base64,<content>)")
            if value.startswith("data:"):
                data, mime = decode_data_url(value)
                ext = mimetypes.guess_extension(mime) or ""
                path = store_bytes(data, "file" + ext, mime)
            elif carry is not None:
                path = carry(value)
            return {"path": path, "meta": {"_type": "gradio.FileData"}}
        return value
    if isinstance(schema, dict) and isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [again(v, schema["items"]) for v in value]
    if isinstance(schema, dict) and isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        return {k: again(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(schema, dict) and "anyOf" in schema and isinstance(value, str):
        for option in schema["anyOf"]:
            if _is_file_schema(option):
                return again(value, option)
    return value


def arguments(tool: Tool, args: dict, store_bytes, carry=None) -> list:
    """The positional API data (one value per parameter) of a tool call's
    ``args``. Raises ``ValueError`` naming an unknown or missing parameter or
    a bad file."""
    known = {p["parameter_name"] for p in tool.params}
    unknown = [k for k in args if k not in known]
    if unknown:
        raise ValueError(f"unknown argument {unknown[0]!r:.80}; {tool.name} takes: "
                         f"{', '.join(sorted(known)) or 'no arguments'}")
    data = []
    for p in tool.params:
        name = p["parameter_name"]
        if name in args:
            try:
                data.append(files_in(args[name], p["type"], store_bytes, carry))
            except ValueError as e:
                raise ValueError(f"{name}: {e}") from None
        elif p["parameter_has_default"]:
            data.append(p["parameter_default"])
        else:
            raise ValueError(f"{name}: missing (this argument has no default)")
    return data
