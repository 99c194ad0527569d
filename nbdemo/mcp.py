"""``gr.mcp``: how a function shows on the demo's MCP server (Gradio's
``gr.mcp.tool``, ``gr.mcp.resource`` and ``gr.mcp.prompt`` decorators).

A function becomes an endpoint as usual (a listener, ``gr.api``, an
``Interface``); with ``launch(mcp_server=True)`` every public endpoint is an
MCP *tool* (see :mod:`nbdemo.api.tools`). These decorators change that for
one function: rename or re-describe its tool, or serve it as an MCP
*resource* or *prompt* instead. They only mark the function (it is returned
unchanged, still callable and still an API endpoint) and import nothing, so
they work without the MCP SDK installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["tool", "resource", "prompt"]

#: the attribute the marks are kept in (read by :mod:`nbdemo.api.tools`)
MARK = "_nbdemo_mcp"


def _mark(**spec: Any) -> Callable[[Callable], Callable]:
    def decorate(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(f"gr.mcp.{spec['kind']} decorates a function, not {type(fn).__name__}")
        setattr(fn, MARK, spec)
        return fn

    return decorate


def tool(name: str | None = None, description: str | None = None, structured_output: bool = False,
         _meta: dict[str, Any] | None = None) -> Callable[[Callable], Callable]:
    """Serve the function as a tool (the default for every public endpoint) with
    this ``name`` (instead of the function's name; characters other than
    letters, digits and ``_`` become ``_``) and ``description`` (instead of
    the docstring's text; the ``Args:`` still describe the parameters).
    ``structured_output=True``: a call's result also carries
    ``structuredContent`` ``{"result": value}`` (the output's API value; a list
    of them for several outputs). ``_meta``: the tool's ``_meta`` in the list,
    and each result's."""
    return _mark(kind="tool", name=name, description=description,
                 structured_output=bool(structured_output), meta=_meta)


def resource(uri_template: str, description: str | None = None,
             mime_type: str | None = None) -> Callable[[Callable], Callable]:
    """Serve the function as an MCP resource at ``uri_template`` (e.g.
    ``"config://app"``, or ``"greeting://{name}"``: a resource template whose
    ``{name}`` parts are passed to the parameters of those names) instead of a
    tool. Its first output is the content: text for a ``mime_type`` of
    ``text/*`` (the default, ``text/plain``); for another type, a file output's
    bytes, or a string taken as base64 (as in Gradio). ``description``
    replaces the docstring's text."""
    if not isinstance(uri_template, str) or not uri_template:
        raise TypeError("gr.mcp.resource needs a URI template, e.g. 'config://app'")
    return _mark(kind="resource", uri_template=uri_template, description=description,
                 mime_type=mime_type or "text/plain")


def prompt(name: str | None = None, description: str | None = None) -> Callable[[Callable], Callable]:
    """Serve the function as an MCP prompt instead of a tool: ``prompts/get``
    calls it with the prompt's arguments (its parameters) and returns its first
    output, as text, as one user message. ``name`` and ``description`` replace
    the function's name and docstring text."""
    return _mark(kind="prompt", name=name, description=description)


mcp = sys.modules[__name__]  # gr.mcp (nbdemo's lazy names look the module up by this)
