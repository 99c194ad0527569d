"""``gr.api``: an API endpoint (and MCP tool) from a typed function, with no UI."""

from __future__ import annotations

import inspect
import typing
import warnings
from collections.abc import Callable
from typing import Any, Literal

from .events import _DECORATOR, Dependency, _decorator_or_register, _register

_SPECIAL = ("Request", "Progress", "EventData", "OAuthProfile", "OAuthToken")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _typed(fn: Callable) -> tuple[list, list]:
    """(parameter Api components, return Api components) of ``fn`` from its hints."""
    from .components.api_value import Api

    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # some hint does not resolve: resolve them one by one below
        hints = {}
    sig = inspect.signature(fn)

    def resolved(name: str, hint: Any) -> Any:
        if not isinstance(hint, str):
            return hint
        try:
            return eval(hint, getattr(fn, "__globals__", {}))  # what get_type_hints does, per hint
        except Exception:
            warnings.warn(f"gr.api: the type hint {hint!r} of {name!r} in {fn.__name__}() does not "
                          "resolve (a name defined inside a function?); the API describes it as "
                          "any JSON value", UserWarning, stacklevel=4)
            return Any

    inputs = []
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"gr.api: {fn.__name__}() takes *{p.name}: an endpoint needs named, typed parameters")
        hint = resolved(p.name, hints.get(p.name, p.annotation))
        if any(s in str(getattr(hint, "__name__", hint)) for s in _SPECIAL) \
                or type(p.default).__name__ == "Progress":
            continue  # filled by nbdemo (gr.Request, gr.Progress), not a parameter
        if hint is inspect.Parameter.empty:
            raise TypeError(f"gr.api: parameter {p.name!r} of {fn.__name__}() has no type hint; "
                            "an endpoint is typed by its function's hints (e.g. `x: int`)")
        has_default = p.default is not inspect.Parameter.empty
        inputs.append(Api(p.default if has_default else None, hint, _ordinal(len(inputs) + 1),
                          has_default=has_default))
    ret = hints.get("return", sig.return_annotation)
    ret = Any if ret is inspect.Signature.empty else resolved("return", ret)
    parts = typing.get_args(ret) if typing.get_origin(ret) is tuple and ... not in typing.get_args(ret) \
        else (ret,)
    outputs = [Api(None, h, _ordinal(i + 1)) for i, h in enumerate(parts or (Any,))]
    return inputs, outputs


def api(fn: Callable | None = _DECORATOR, *, api_name: str | None | Literal[False] = None,
        api_description: str | None | Literal[False] = None, queue: bool = True,
        batch: bool = False, max_batch_size: int = 4,
        concurrency_limit: int | None | Literal["default"] = "default",
        concurrency_id: str | None = None,
        api_visibility: Literal["public", "private", "undocumented"] = "public",
        time_limit: float | None = None, stream_every: float | None = None) -> Dependency | Callable:
    """Gradio's ``gr.api``: make ``fn`` an endpoint of the demo's HTTP API (and
    an MCP tool when the MCP server is on) without any component or UI.

    Call it inside ``with gr.Blocks():``, or use it as a decorator
    (``@gr.api`` or ``@gr.api(api_name="add")``). Every parameter of ``fn``
    needs a type hint: the hints give the endpoint's JSON schema
    (``int`` → integer, ``list[str]`` → array of strings, ``Literal["a", "b"]``
    → enum, ``X | None`` → anyOf …; see
    :func:`nbdemo.components.api_value.json_schema`); parameters with defaults
    are optional. The return hint gives the returned value(s): ``tuple[A, B]``
    means two return values. ``gr.Request`` and ``gr.Progress`` parameters are
    filled by nbdemo, as in listeners.

    Clients send JSON; a value of the wrong type is refused with a 422 naming
    the parameter, and ``fn`` receives JSON values as they are (a list for a
    ``tuple`` hint). What ``fn`` returns must be JSON. ``api_name`` defaults to
    the function's name; ``api_visibility``, ``queue``, ``concurrency_limit``,
    ``concurrency_id``, ``batch``/``max_batch_size`` and ``time_limit`` mean
    what they mean on listeners. ``stream_every`` concerns Gradio's streaming
    inputs, which an endpoint without components has none of: it is accepted
    and has no effect.

    Raises ``TypeError`` for a parameter without a type hint or a ``*args``
    parameter, and ``RuntimeError`` outside a Blocks.
    """
    del stream_every  # no streamed inputs without components (see the docstring)

    def register(f: Callable) -> Dependency:
        inputs, outputs = _typed(f)
        return _register(None, [], f, inputs, outputs, api_name=api_name,
                         api_description=api_description, queue=queue, batch=batch,
                         max_batch_size=max_batch_size, concurrency_limit=concurrency_limit,
                         concurrency_id=concurrency_id, api_visibility=api_visibility,
                         time_limit=time_limit, show_progress="hidden")

    return _decorator_or_register(fn, register)
