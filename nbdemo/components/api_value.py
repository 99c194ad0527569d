"""``Api``: the stand-in component of one parameter or return value of a
``gr.api`` endpoint (an endpoint with no UI, typed by the function's hints)."""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import traitlets as t

from .base import Component

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def json_schema(hint: Any) -> dict:
    """A JSON schema of a type hint: ``str``, ``int``, ``float``, ``bool``,
    ``None``, ``list[T]``/``set[T]``/``tuple[...]``, ``dict[str, T]``,
    ``Literal[...]``, ``Optional``/``Union``/``A | B``, ``Any`` ({}).
    A hint it does not know (a class) is described as ``{}`` (any JSON value)."""
    if hint is Any:
        return {}
    if hint is None:
        hint = type(None)
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [json_schema(a) for a in args]}
    if hint in (list, set, frozenset) or origin in (list, set, frozenset):
        return {"type": "array", "items": json_schema(args[0])} if args else {"type": "array"}
    if hint is tuple or origin is tuple:
        if not args:
            return {"type": "array"}
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": json_schema(args[0])}
        return {"type": "array", "prefixItems": [json_schema(a) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if hint is dict or origin is dict:
        if len(args) == 2:
            return {"type": "object", "additionalProperties": json_schema(args[1])}
        return {"type": "object"}
    return {}


def python_type_name(hint: Any) -> str:
    """How a hint reads in the API docs (``list[int]``, ``str | None``)."""
    if hint is type(None):
        return "None"
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "")


def _matches(value: Any, schema: dict) -> bool:
    if not schema:
        return True
    if "anyOf" in schema:
        return any(_matches(value, s) for s in schema["anyOf"])
    if "enum" in schema:
        return value in schema["enum"]
    kind = schema.get("type")
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "array":
        if not isinstance(value, list):
            return False
        if "prefixItems" in schema:
            return len(value) == len(schema["prefixItems"]) and all(
                _matches(v, s) for v, s in zip(value, schema["prefixItems"]))
        return all(_matches(v, schema.get("items", {})) for v in value)
    if kind == "object":
        return isinstance(value, dict) and all(
            _matches(v, schema.get("additionalProperties", {})) for v in value.values())
    return True


class Api(Component):
    """One parameter or return value of a ``gr.api`` endpoint (Gradio's
    ``gradio.components.api_component.Api``). Never shown: the endpoint has no UI.

    ``value``: the parameter's default (None when it has none). ``hint``: the
    Python type hint; the API describes the value with its JSON schema
    (:func:`json_schema`). Values sent by a client are checked against that
    schema (a wrong type is a 422 naming the parameter); ``fn`` receives the
    JSON value as is (a ``tuple`` hint receives a list). What ``fn`` returns must
    be JSON (a tuple becomes a list); anything else is an error of the run.
    """

    _kind = t.Unicode("api").tag(sync=True)

    def __init__(self, value: Any = None, hint: Any = Any, label: str | None = None,
                 *, has_default: bool = False) -> None:
        self.hint = hint
        self.has_default = has_default
        self.schema = json_schema(hint)
        super().__init__(value, label=label, visible=False, render=False)

    def api_info(self) -> dict:
        return self.schema

    def validate_wire(self, payload: Any) -> Any:
        if not _matches(payload, self.schema):
            raise ValueError(f"expected {python_type_name(self.hint)}, got {payload!r:.80}")
        return payload

    def postprocess(self, value: Any) -> Any:
        if isinstance(value, tuple):
            value = list(value)
        try:
            json.dumps(value)
        except (TypeError, ValueError) as e:
            raise TypeError(f"gr.api: the function returned {type(value).__name__}, which JSON "
                            f"cannot carry ({e})") from None
        return value
