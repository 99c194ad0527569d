"""No silently ignored argument (issue 9, finding 1): every public callable of
nbdemo that takes ``**kwargs`` refuses a name it does not know (TypeError) and
warns, naming them, for Gradio's names it does not support yet. The walk
covers every public name of ``nbdemo`` (classes: ``__init__`` and public
methods defined by nbdemo), so a new ``**kw`` that swallows fails here."""

from __future__ import annotations

import inspect
import warnings

import pytest
from conftest import free_port

import nbdemo as gr

BOGUS = "nbdemo_bogus_argument"

#: Callables whose **kwargs are not a swallow, and why.
NOT_SWALLOWS = {
    # gr.update(**props) carries any property of the output; an unknown one
    # raises ValueError when the update is applied (tests/test_components.py)
    "update",
    # gr.Cache.set(key, **data) stores the keyword data (tests/test_memo.py)
    "Cache.set",
    # gr.HTML(**props): Gradio 6's template props, each in the template's scope
    # (html_props; tests/test_compat_html_browser.py)
    "HTML.__init__",
}


def _required(name: str):
    """Positional arguments for the public callables that need some."""
    text = lambda: gr.Textbox(render=False)  # noqa: E731
    return {
        "Interface.__init__": lambda: ((lambda x: x, "text", "text"), {}),
        "TabbedInterface.__init__": lambda: (([gr.Interface(lambda x: x, "text", "text")],), {}),
        "ChatInterface.__init__": lambda: ((lambda m, h: m,), {}),
        "Examples.__init__": lambda: (([["a"]], text()), {}),
        "on": lambda: (([],), {"fn": lambda: None}),
        "load": lambda: (("org/model",), {}),  # kwargs go to src; the Hub is refused
        "Workflow.__init__": lambda: ((), {"bind": [lambda text: text]}),
    }.get(name, lambda: ((), {}))()


def _public_kwargs_callables():
    found = []
    for name in sorted(gr._LAZY):
        obj = getattr(gr, name)
        if inspect.isclass(obj):
            for attr, member in inspect.getmembers_static(obj):
                if (attr == "__init__" or not attr.startswith("_")) and callable(member):
                    found.append((f"{name}.{attr}", obj, attr, member))
        elif callable(obj):
            found.append((name, None, None, obj))
    out = []
    for label, cls, attr, fn in found:
        if not (getattr(fn, "__module__", "") or "").startswith("nbdemo"):
            continue  # traitlets/ipywidgets plumbing of the widget classes
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            continue
        if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
            out.append((label, cls, attr, fn))
    return out


CALLABLES = _public_kwargs_callables()


def test_the_walk_finds_the_kwargs_of_the_public_api():
    labels = {c[0] for c in CALLABLES}
    for expected in ("Blocks.launch", "Blocks.queue", "Interface.__init__", "TabbedInterface.__init__",
                     "Examples.__init__", "Textbox.__init__", "Row.__init__"):
        assert expected in labels, expected


def _call(label, cls, attr, fn, **kw):
    args, kwargs = _required(label)
    with gr.Blocks():
        if cls is None:
            return fn(*args, **kwargs, **kw)
        if attr == "__init__":
            return cls(*args, **kwargs, **kw)
        owner = cls(*_required(f"{cls.__name__}.__init__")[0], **_required(f"{cls.__name__}.__init__")[1])
        return getattr(owner, attr)(*args, **kwargs, **kw)


@pytest.mark.parametrize("label,cls,attr,fn", CALLABLES, ids=[c[0] for c in CALLABLES])
def test_an_unknown_keyword_argument_raises_type_error(label, cls, attr, fn):
    if label in NOT_SWALLOWS or label.split(".")[0] in NOT_SWALLOWS:
        pytest.skip("documented in NOT_SWALLOWS")
    try:
        _call(label, cls, attr, fn, **{BOGUS: 1})
    except TypeError as e:
        assert BOGUS in str(e)
    except NotImplementedError:
        pass  # refuses every call (a Gradio feature nbdemo does not have): nothing is swallowed
    else:
        pytest.fail(f"{label} accepted {BOGUS}= silently")


def _in_blocks(build):
    with gr.Blocks():
        return build()


@pytest.mark.parametrize("call,names", [
    (lambda: gr.Textbox(autofocus=True, container=False), ["container"]),
    (lambda: gr.Row(render_children=True), ["render_children"]),
    (lambda: gr.Interface(lambda x: x, "text", "text", allow_duplication=True, example_labels=["a"]),
     ["allow_duplication", "example_labels"]),
    (lambda: gr.TabbedInterface([gr.Interface(lambda x: x, "text", "text")], analytics_enabled=False),
     ["analytics_enabled"]),
    (lambda: _in_blocks(lambda: gr.Examples([["a"]], gr.Textbox(), example_labels=["A"])),
     ["example_labels"]),
    (lambda: gr.Blocks(head="<script></script>"), ["head"]),
    (lambda: gr.Blocks().launch(ssl_keyfile="k", ssr_mode=True, server_port=-1), ["ssl_keyfile", "ssr_mode"]),
])
def test_a_gradio_argument_not_supported_yet_warns_once_naming_it(call, names):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except (OSError, OverflowError, ValueError):
            pass  # launch() on port -1: the warning came first
    ours = [w for w in caught if issubclass(w.category, UserWarning) and "does not support" in str(w.message)]
    assert len(ours) == 1, [str(w.message) for w in caught]
    for name in names:
        assert f"{name}=" in str(ours[0].message)


def test_gradio6_launch_style_arguments_work_as_in_blocks(tmp_path):
    css_file = tmp_path / "extra.css"
    css_file.write_text(".from-file { color: red }")
    demo = gr.Blocks()
    with demo:
        gr.Textbox()
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, theme="dark", css=".x { }",
                            css_paths=[css_file], server_port=free_port())
    try:
        assert demo.theme == "dark"
        assert ".x { }" in demo.css and ".from-file" in demo.css
        import json
        import urllib.request

        with urllib.request.urlopen(url + "page_config", timeout=10) as r:
            cfg = json.loads(r.read())
        assert cfg["theme"] == "dark" and ".from-file" in cfg["css"]
    finally:
        demo.close()


def test_launch_signature_names_the_security_options():
    params = inspect.signature(gr.Blocks.launch).parameters
    for name in ("auth", "auth_message", "allowed_paths", "blocked_paths", "share", "show_api",
                 "footer_links", "theme", "css", "css_paths", "js", "head", "head_paths",
                 "allowed_hosts", "limits"):
        assert name in params, name
