"""HTML: markup shown in the page, or Gradio 6's templated HTML component.

Two forms, one class:

- ``gr.HTML("<h1>Hi</h1>")``: the value is an HTML string, sanitized with
  DOMPurify in the page unless ``sanitize_html=False``.
- ``gr.HTML(value, html_template=..., css_template=..., js_on_load=...,
  **props)`` (Gradio 6): the value may be any JSON value, and the page renders
  the template with ``value``, ``label`` and the extra keyword ``props``
  (``max_stars=10``) in scope. The author's JavaScript (the templates and
  ``js_on_load``) is compiled into one small ES module per component
  (:meth:`HTML.script`), which the standalone page loads from its own
  server (``<prefix>component_js/<id>.js``: a same-origin script, so the
  page's Content-Security-Policy stays ``script-src 'self'``, with no
  ``eval``) and the notebook imports from a ``blob:`` URL.
"""

from __future__ import annotations

import re
from typing import Any

import traitlets as t

from .. import _args, context
from ..events import BoundEvent, EventListener
from .display import _Display, strip_navigation

#: What Gradio 6's templates are when none is given.
_DEFAULT_TEMPLATE = "${value}"
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_RESERVED = frozenset("""
break case catch class const continue debugger default delete do else enum export extends false
finally for function if implements import in instanceof interface let new null package private
protected public return static super switch this throw true try typeof var void while with yield
await arguments eval props element trigger server upload watch
""".split())
#: Gradio's own HTML arguments nbdemo does not support yet: they warn, by name
_HTML_NOT_YET = ("apply_default_css", "min_height", "max_height", "container", "padding",
                 "autoscroll", "buttons", "head", "server_functions", "preserved_by_key")


class HTML(_Display):
    """HTML shown in the page.

    ``gr.HTML("<b>hi</b>")``: ``value`` is an HTML string, sanitized with
    DOMPurify (no script, no event handler attributes); ``sanitize_html=False``
    opts out (``<meta>`` and ``<base>`` tags are still removed: a value must
    not navigate the page away or re-base its links). ``fn`` receives and
    returns a ``str``.

    Templated (Gradio 6): ``html_template`` is a JavaScript template string
    (``"<h2>${value.length} items</h2>"``) that may also use Handlebars blocks
    (``{{value}}`` escaped, ``{{{value}}}`` raw, ``{{#each value}}…{{this}}…
    {{@index}}…{{/each}}``, ``{{#if x}}…{{else}}…{{/if}}``, ``{{#unless x}}``).
    In scope: ``value`` (any JSON value: what ``fn`` receives and returns),
    ``label`` and every extra keyword argument (``max_stars=10`` is
    ``max_stars``; a Python function changes them by returning
    ``gr.HTML(max_stars=5)`` or ``gr.update(max_stars=5)``). Extra names must be
    JavaScript identifiers (``ValueError`` otherwise), and are fixed when the
    demo is built. ``css_template``: CSS, templated the same way and scoped to
    this component (nested in its root's selector). ``js_on_load``: JavaScript
    run once the component is in the page, with ``element`` (its root),
    ``trigger(name, data)`` (fires event ``name``; ``fn`` gets ``data``'s keys
    as attributes of ``gr.EventData``), ``props`` (read and set ``value`` and
    the other props: setting one renders the template again; setting
    ``props.value`` also makes it the component's value and fires "change"),
    ``upload(file)`` (uploads a ``File``; resolves to its FileData with a
    ``url``) and ``watch(names, callback)`` (called after a render caused by
    a change from Python). A custom event is any name quoted in
    ``js_on_load`` (``trigger('submit')`` gives ``html.submit(fn, ...)``), as
    in Gradio. The rendered template is sanitized like a plain value unless
    ``sanitize_html=False``, and re-rendering patches the DOM in place, so
    listeners ``js_on_load`` attached stay.

    nbdemo differs from Gradio in three ways: the template string is
    evaluated before the Handlebars blocks (Gradio expands Handlebars first,
    then evaluates the result as a template string, which needs ``eval``;
    the results differ only when a value itself contains ``${`` or ``{{``);
    and ``server`` in ``js_on_load`` has no functions (``server_functions``
    warns: not supported yet, a call rejects with an error saying so).

    ``with gr.HTML(html_template="<h2>Form</h2> @children <button>…"):``
    places the components made inside at ``@children`` (which must stand
    between tags, not inside one; without it, ``with`` raises ``ValueError``).
    Events: change, click, and the custom ones.
    """

    _kind = t.Unicode("html").tag(sync=True)
    CLEAR_VALUE = ""
    value = t.Any("", allow_none=True).tag(sync=True)
    sanitize_html = t.Bool(True).tag(sync=True)
    html_template = t.Unicode(_DEFAULT_TEMPLATE).tag(sync=True)
    css_template = t.Unicode("").tag(sync=True)
    js_on_load = t.Unicode(None, allow_none=True).tag(sync=True)
    #: the extra keyword props of a templated HTML (Gradio's ``props``)
    html_props = t.Dict().tag(sync=True)
    #: the compiled ES module of the author's templates and js_on_load (None: plain HTML)
    _js_module = t.Unicode(None, allow_none=True).tag(sync=True)
    click = EventListener("click", "Fires when the HTML is clicked.")

    def __init__(self, value: Any = "", *, sanitize_html: bool = True,
                 html_template: str = _DEFAULT_TEMPLATE, css_template: str = "",
                 js_on_load: str | None = None, **kw: Any) -> None:
        own = set(self.trait_names()) | {"render", "key", "every", "inputs"}
        props = {k: kw.pop(k) for k in list(kw) if k not in own and k not in _HTML_NOT_YET}
        not_yet = {k: kw.pop(k) for k in list(kw) if k in _HTML_NOT_YET}
        if not_yet:
            _args.check("HTML", not_yet, _args.GRADIO_COMPONENT_ARGS, stacklevel=3)
        for name in props:
            if not _IDENT.fullmatch(name) or name in _RESERVED or name in ("value", "label"):
                raise ValueError(f"HTML: {name!r} cannot be a template prop (a JavaScript "
                                 "identifier that is not a reserved word, value or label)")
        kw.setdefault("show_label", False)
        self.children: list = []  # blocks inside ``with gr.HTML(...):``, shown at @children
        super().__init__(value, sanitize_html=sanitize_html, html_template=html_template,
                         css_template=css_template, js_on_load=js_on_load, html_props=props, **kw)
        if props:  # gr.HTML(size=40) returned by fn updates these props
            self._init_kwargs = {**self._init_kwargs, **props}
        self._js_module = self.script()

    @property
    def templated(self) -> bool:
        return (self.html_template != _DEFAULT_TEMPLATE or bool(self.css_template)
                or bool(self.js_on_load))

    def script(self) -> str | None:
        """The ES module the page runs for a templated HTML (None for plain
        HTML): ``template(props)`` and ``css(props)`` return strings,
        ``onload(element, trigger, props, server, upload, watch)`` runs
        ``js_on_load``. Only the author's code is code; values reach it as data."""
        if not self.templated:
            return None
        names = ", ".join(["value", "label", *self.html_props])
        scope = f"const {{ {names} }} = props;"
        return (
            "// nbdemo: the templates and js_on_load of a gr.HTML, as its author wrote them\n"
            f"export function template(props) {{ {scope} return `{self.html_template}`; }}\n"
            f"export function css(props) {{ {scope} return `{self.css_template}`; }}\n"
            "export function onload(element, trigger, props, server, upload, watch) {\n"
            f"{self.js_on_load or ''}\n}}\n")

    def adapt_update(self, props: dict) -> dict:
        """An update's props as traits: names that are not traits are template
        props, merged into this session's ``html_props`` (``base``)."""
        extra = {k: v for k, v in props.items() if k not in self.prop_names()}
        if not extra:
            return props
        out = {k: v for k, v in props.items() if k in self.prop_names()}
        out["html_props"] = {**self.html_props, **out.get("html_props", {}), **extra}
        return out

    def postprocess(self, value: Any) -> Any:
        if self.templated:
            return value  # any JSON value; the template decides how it shows
        text = "" if value is None else str(value)
        return text if self.sanitize_html else strip_navigation(text)

    def validate_wire(self, payload: Any) -> Any:
        if not self.templated and not isinstance(payload, str):
            raise ValueError(f"HTML (id {self._id}): expected a string, got {type(payload).__name__}")
        return payload

    # -- children: ``with gr.HTML(html_template="... @children ..."):`` --------------
    def __enter__(self) -> HTML:
        if "@children" not in self.html_template:
            raise ValueError("with gr.HTML(...): the html_template needs an @children where "
                             "the components inside go")
        context.stack().append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        stack = context.stack()
        if stack and stack[-1] is self:
            stack.pop()

    def add_child(self, child) -> None:
        if child.parent is not None and child in child.parent.children:
            child.parent.children.remove(child)
        child.parent = self
        self.children.append(child)

    def walk(self):
        """Yield the blocks placed inside this HTML (``@children``), depth first."""
        for child in self.children:
            yield child
            if hasattr(child, "walk"):
                yield from child.walk()

    def layout(self, ref) -> dict:
        node = super().layout(ref)
        if self.children:
            node["children"] = [c.layout(ref) for c in self.children]
        return node

    def __getattr__(self, name: str) -> Any:
        # Gradio 6: an event name quoted in js_on_load is a listener method
        if not name.startswith("_"):
            js = self.__dict__.get("_trait_values", {}).get("js_on_load") or ""
            if re.search(rf"""['"`]{re.escape(name)}['"`]""", js):
                return BoundEvent(self, name, f"Fires when js_on_load calls trigger('{name}').")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}"
                             + ("; a custom event must be named (in quotes) in js_on_load"
                                if not name.startswith("_") else ""))
