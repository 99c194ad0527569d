"""What the HTTP API says about a demo: endpoint names, ``/config`` and ``/info``.

Pure data, no tornado: the server's API routes, the "Use via API" page and
the MCP tools all read it from here, so they always agree.

Names follow Gradio (``gradio_client`` reads these documents):

- every listener with a function is an *endpoint* ``/<api_name>``;
  ``api_name=None`` (the default) takes the function's name, as in Gradio
  ("lambda" for a lambda), made unique with ``_1``, ``_2`` …;
- ``api_visibility``: "public" (listed and callable), "undocumented"
  (callable, not listed; also ``show_api=False``) or "private" (neither;
  also ``api_name=False``). Listeners without a function, and nbdemo's own
  helper listeners (a callable value's loader, ``unload``), are private.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any

#: The path prefix of the API routes, as Gradio 4+ (``config["api_prefix"]``).
API_PREFIX = "/gradio_api"

#: The Gradio version whose API documents nbdemo serves (``gradio_client`` picks
#: its protocol from ``config["version"]``); nbdemo's own is ``nbdemo_version``.
GRADIO_API_VERSION = "6.0.0"

#: SSE protocol of the queue routes (Gradio 5+): one ``queue/data`` stream per
#: session, generator outputs as diffs, ``close_stream`` when the session is idle.
PROTOCOL = "sse_v3"

FILE_SCHEMA: dict[str, Any] = {
    "title": "FileData", "type": "object",
    "properties": {
        "path": {"type": "string", "description": "a path returned by /upload, or a file URL of this server"},
        "url": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "orig_name": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "mime_type": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "is_stream": {"type": "boolean", "default": False},
        "meta": {"type": "object", "default": {"_type": "gradio.FileData"}},
    },
    "required": ["path"],
    "additional_description": "A local filepath or a file URL of this server.",
}

_FILE_KINDS = {"image", "audio", "video", "file", "uploadbutton", "downloadbutton", "model3d"}
_NO_API = {"state", "timer", "dataset"}


@dataclass
class Endpoint:
    """One listener as the API sees it."""

    fn_index: int
    #: without the leading "/"; None for a private listener
    api_name: str | None
    visibility: str  # "public" | "undocumented" | "private"
    dep: Any

    @property
    def callable(self) -> bool:
        return self.visibility != "private"


def endpoints(app) -> list[Endpoint]:
    """Every listener of ``app`` (an engine ``App``), in fn_index order, with its
    API name and visibility. Cached on the app until it gains listeners."""
    key = len(app.dependencies)
    cached = getattr(app, "_api_endpoints", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    own = set(map(id, app.root.dependencies))
    used: set[str] = set()
    out = []
    for i, dep in enumerate(app.dependencies):
        vis = getattr(dep, "api_visibility", None) or ("public" if dep.show_api else "undocumented")
        name = dep.api_name
        if dep.fn is None or name is False or id(dep) not in own \
                or any(e == "unload" for _, e in dep.triggers):
            vis, name = "private", None
        else:
            if not name:
                name = getattr(dep.fn, "__name__", None) or "predict"
            name = re.sub(r"[^A-Za-z0-9_\-]", "", str(name).strip("/").replace("<lambda>", "lambda")) or "predict"
            base, n = name, 0
            while name in used:
                n += 1
                name = f"{base}_{n}"
            used.add(name)
        if vis == "private":
            name = None
        out.append(Endpoint(i, name, vis, dep))
    app._api_endpoints = (key, out)
    return out


def find(app, api_name: str) -> Endpoint | None:
    """The callable endpoint named ``api_name`` (with or without "/")."""
    name = api_name.strip("/")
    for ep in endpoints(app):
        if ep.api_name == name and ep.callable:
            return ep
    return None


# -- components -------------------------------------------------------------------------

def gradio_type(comp) -> str:
    """The component's Gradio type name ("textbox", "image", …)."""
    return type(comp).__name__.lower()


def _choices(comp) -> list:
    return [v for _, v in (getattr(comp, "choices", None) or [])]


def schema(comp) -> dict:
    """A JSON schema of ``comp``'s API value (what ``/info`` calls ``type``)."""
    own = getattr(comp, "api_info", None)
    if callable(own):  # a component that describes its own wire value (plots, DateTime, …)
        return own()
    kind = comp._kind
    multiple = getattr(comp, "file_count", "single") in ("multiple", "directory")
    if kind in _FILE_KINDS:
        return {"type": "array", "items": FILE_SCHEMA} if multiple else FILE_SCHEMA
    if kind in ("number", "slider", "timer"):
        return {"type": "number"}
    if kind == "checkbox":
        return {"type": "boolean"}
    if kind in ("radio", "dropdown", "checkboxgroup"):
        values = _choices(comp)
        one: dict = {"type": "string", "enum": values} if values else {"type": "string"}
        if values and not all(isinstance(v, str) for v in values):
            one = {"enum": values}
        if kind == "checkboxgroup" or getattr(comp, "multiselect", False):
            return {"type": "array", "items": one}
        return one
    if kind == "gallery":
        return {"type": "array", "items": {"type": "object", "properties": {
            "image": FILE_SCHEMA, "caption": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}}
    if kind == "multimodaltextbox":
        return {"type": "object", "properties": {"text": {"type": "string"},
                                                 "files": {"type": "array", "items": FILE_SCHEMA}}}
    if kind in ("sketchpad", "imageeditor"):
        nullable = {"anyOf": [FILE_SCHEMA, {"type": "null"}]}
        return {"type": "object", "properties": {"background": nullable, "layers": {
            "type": "array", "items": FILE_SCHEMA}, "composite": nullable}}
    if kind == "chatbot":
        return {"type": "array", "items": {"type": "object", "properties": {
            "role": {"enum": ["user", "assistant"]}, "content": {}, "metadata": {"type": "object"}}}}
    if kind == "dataframe":
        return {"type": "object", "properties": {
            "headers": {"type": "array", "items": {"type": "string"}},
            "data": {"type": "array", "items": {"type": "array", "items": {}}}}}
    if kind in ("json", "label", "highlightedtext", "plot"):
        return {}
    return {"type": "string"}


def python_type(comp) -> str:
    """How ``gradio_client`` users pass or receive the value, in Python terms."""
    kind = comp._kind
    if kind == "api":  # gr.api: the function's own hint
        from ..components.api_value import python_type_name

        return python_type_name(comp.hint)
    s = schema(comp)
    if kind in _FILE_KINDS:
        return "list[filepath]" if s.get("type") == "array" else "filepath"
    if kind in ("number", "slider", "timer"):
        return "float"
    if kind == "checkbox":
        return "bool"
    if kind in ("radio", "dropdown", "checkboxgroup"):
        values = _choices(comp)
        one = f"Literal[{', '.join(repr(v) for v in values)}]" if values else "str"
        return f"list[{one}]" if s.get("type") == "array" else one
    if kind in ("textbox", "code", "colorpicker", "markdown", "html", "button"):
        return "str"
    if kind in ("gallery", "chatbot", "highlightedtext"):
        return "list"
    return "dict" if s.get("type") == "object" else "Any"


def example(comp, sample_url=None) -> Any:
    """A value that works as this input in a snippet: its initial value when it
    has one, else a typical value. ``sample_url(kind)`` gives a URL of a sample
    file this server serves (so file snippets run offline)."""
    kind = comp._kind
    if kind in _FILE_KINDS or kind in ("gallery", "multimodaltextbox", "sketchpad", "imageeditor"):
        if kind in _FILE_KINDS and sample_url is not None:
            fd = {"path": sample_url(kind), "meta": {"_type": "gradio.FileData"}}
            return [fd] if schema(comp).get("type") == "array" else fd
        if kind == "multimodaltextbox":
            return {"text": "Hello!!", "files": []}
        return None
    value = comp.value
    if value not in (None, "", []):
        return value
    if kind == "api":
        return _example_of(comp.schema)
    if kind in ("number", "slider"):
        return getattr(comp, "minimum", None) or 3
    if kind == "checkbox":
        return True
    if kind in ("radio", "dropdown", "checkboxgroup"):
        values = _choices(comp)
        if kind == "checkboxgroup" or getattr(comp, "multiselect", False):
            return values[:1]
        return values[0] if values else "Hello!!"
    if kind == "chatbot":
        return []
    if kind == "dataframe":
        return comp.value
    if kind in ("textbox", "code"):
        return "Hello!!"
    return value


def _example_of(s: dict) -> Any:
    """A typical value of a JSON schema (for gr.api parameters without a default)."""
    if "enum" in s:
        return s["enum"][0] if s["enum"] else None
    if "anyOf" in s:
        return _example_of(s["anyOf"][0])
    kind = s.get("type")
    if kind == "array":
        if "prefixItems" in s:
            return [_example_of(x) for x in s["prefixItems"]]
        return [_example_of(s.get("items", {}))]
    return {"string": "Hello!!", "integer": 3, "number": 3.0, "boolean": True, "null": None,
            "object": {}}.get(kind, "Hello!!")


# -- parameters -----------------------------------------------------------------------

_SPECIAL = ("Request", "Progress", "EventData", "SelectData", "KeyUpData", "LikeData",
            "OAuthProfile", "OAuthToken")


def _param_names(fn) -> list[str] | None:
    """The names of ``fn``'s parameters that take inputs, in order (skipping
    gr.Request/Progress/EventData ones); None when it takes ``*args``."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    names = []
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            return None
        if p.kind is p.VAR_KEYWORD or p.kind is p.KEYWORD_ONLY:
            continue
        ann = p.annotation
        ann_name = ann if isinstance(ann, str) else getattr(ann, "__name__", "")
        if any(s in str(ann_name) for s in _SPECIAL):
            continue
        if type(p.default).__name__ == "Progress":
            continue
        names.append(p.name)
    return names


def _snake(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def parameters(ep: Endpoint, sample_url=None) -> list[dict]:
    """The endpoint's API parameters (State inputs are not parameters)."""
    dep = ep.dep
    names = _param_names(dep.fn) if not dep.inputs_as_dict else None
    out, used = [], set()
    for i, comp in enumerate(dep.inputs):
        if comp._kind == "state":
            continue
        name = names[i] if names is not None and i < len(names) else None
        if not name or name in used:
            name = _snake(comp.label or "") or f"param_{i}"
            while name in used:
                name += "_"
        used.add(name)
        initial = None if comp._kind in _FILE_KINDS else comp.value
        has_default = comp.has_default if comp._kind == "api" else initial not in (None, [], {})
        out.append({
            "label": comp.label or f"parameter_{comp._id}",
            "parameter_name": name,
            "parameter_has_default": has_default,
            "parameter_default": initial if has_default else None,
            "type": schema(comp),
            "python_type": {"type": python_type(comp), "description": ""},
            "component": type(comp).__name__,
            "example_input": example(comp, sample_url),
            "_id": comp._id,
        })
    return out


def parameters_of(ep: Endpoint) -> list[dict]:
    """:func:`parameters` without examples, computed once per endpoint (the
    checks of every call use it)."""
    cached = ep.__dict__.get("_params")
    if cached is None:
        cached = ep.__dict__["_params"] = parameters(ep)
    return cached


def returns(ep: Endpoint) -> list[dict]:
    return [{"label": c.label or f"value_{c._id}", "type": schema(c),
             "python_type": {"type": python_type(c), "description": ""},
             "component": type(c).__name__}
            for c in ep.dep.outputs if c._kind != "state"]


def description(fn) -> str:
    """The first paragraph of ``fn``'s docstring (Gradio's endpoint description)."""
    doc = inspect.getdoc(fn) or ""
    return doc.split("\n\n")[0].strip()


def _described(dep) -> str:
    given = dep.api_description
    if given is False:
        return ""
    return given if isinstance(given, str) else description(dep.fn)


def info(app, sample_url=None, root: str = "") -> dict:
    """``{api_prefix}/info``: the public endpoints, as Gradio shapes it."""
    from .snippets import snippets

    named: dict[str, dict] = {}
    for ep in endpoints(app):
        if ep.visibility != "public":
            continue
        params = parameters(ep, sample_url)
        entry = {
            "parameters": [{k: v for k, v in p.items() if k != "_id"} for p in params],
            "returns": returns(ep),
            "api_visibility": "public",
            "description": _described(ep.dep),
        }
        entry["code_snippets"] = snippets(root, "/" + ep.api_name, entry["parameters"])
        named["/" + ep.api_name] = entry
    return {"named_endpoints": named, "unnamed_endpoints": {}}


# -- /config ----------------------------------------------------------------------------

def _layout(block) -> dict:
    children = getattr(block, "children", None)
    node: dict = {"id": block._id}
    if children:
        node["children"] = [_layout(c) for c in children]
    return node


def config(app, *, root: str = "", max_file_size: int | None = None,
           show_error: bool = False) -> dict:
    """``/config`` as Gradio's clients read it: version, ``api_prefix``,
    ``protocol``, components (id, type, props, api_info) and dependencies
    (id = fn_index, inputs, outputs, api_name, api_visibility)."""
    from .. import __version__
    from ..block import is_component

    blocks = app.root
    comps = []
    for b in app.blocks.values():
        if not is_component(b):
            kind = getattr(b, "kind", None)
            if kind is not None:  # a layout block: listed, as Gradio lists them (a listener
                # may write one: gr.Column(visible=...), a gr.render's place)
                comps.append({"id": b._id, "type": kind, "skip_api": True, "key": None,
                              "props": {"visible": b.props.get("visible", True), "name": kind}})
            continue
        skip = b._kind in _NO_API
        entry: dict[str, Any] = {"id": b._id, "type": gradio_type(b), "skip_api": skip, "key": None,
                                 "props": {"label": b.label, "visible": b.visible,
                                           "name": gradio_type(b)}}
        if b._kind != "state":
            entry["props"]["value"] = b.value if b._kind not in _FILE_KINDS else None
        if not skip:
            entry["api_info"] = entry["api_info_as_input"] = entry["api_info_as_output"] = schema(b)
            entry["example_inputs"] = example(b)
        comps.append(entry)
    deps = []
    for ep in endpoints(app):
        d = ep.dep
        deps.append({
            "id": ep.fn_index,
            "targets": [[b._id, e] for b, e in d.triggers],
            "inputs": [c._id for c in d.inputs],
            "outputs": [c._id for c in d.outputs],
            "backend_fn": d.fn is not None,
            "js": None,
            "queue": d.queue,
            "api_name": ep.api_name if ep.api_name is not None else False,
            "api_visibility": ep.visibility,
            "show_progress": d.show_progress,
            "batch": d.batch,
            "max_batch_size": d.max_batch_size,
            "cancels": [],
            "types": {"generator": inspect.isgeneratorfunction(d.fn) or inspect.isasyncgenfunction(d.fn),
                      "cancel": False},
            "trigger_mode": d.trigger_mode,
            "time_limit": d.time_limit,
            "connection": "sse",
        })
    return {
        "version": GRADIO_API_VERSION,
        "nbdemo_version": __version__,
        "api_prefix": API_PREFIX,
        "mode": getattr(blocks, "mode", "blocks"),
        "title": blocks.title,
        "protocol": PROTOCOL,
        "enable_queue": True,
        "connect_heartbeat": True,
        "show_error": show_error,
        "max_file_size": max_file_size,
        "root": root,
        "is_colab": False,
        "theme": getattr(blocks, "theme", "default"),
        "css": blocks.css or None,
        "fill_height": blocks.fill_height,
        "components": comps,
        "dependencies": deps,
        "layout": _layout(blocks),
        "username": None,
    }
