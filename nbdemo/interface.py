"""Interface and Examples: the one-function demo, built on Blocks."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, Literal

from . import _args
from .blocks import Blocks
from .components import Button, ClearButton, Component, Dataset, Markdown, State, from_shortcut
from .events import on
from .layout import Column, Row


def _listify(x) -> list:
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


class Examples:
    """A clickable table of example inputs; clicking a row fills ``inputs``.

    ``examples``: a list of rows (one value per input; a bare value for a
    single input). ``fn``/``outputs``/``run_on_click``: also run ``fn`` on the
    filled inputs. ``cache_examples`` is accepted and not supported (nbdemo
    never runs functions at start-up), so it must be falsy. Gradio's
    ``preprocess``, ``postprocess``, ``api_name``, ``api_visibility``,
    ``api_description``, ``batch``, ``example_labels``, ``visible``,
    ``preload`` and ``cache_mode`` are not supported yet: each warns (one
    ``UserWarning`` naming them) and is ignored; other names raise ``TypeError``.
    """

    def __init__(self, examples: Sequence, inputs, outputs=None, fn: Callable | None = None,
                 label: str | None = "Examples", examples_per_page: int = 10,
                 run_on_click: bool = False, cache_examples: bool | None = None,
                 elem_id: str | None = None, **kw: Any) -> None:
        _args.check("Examples", kw, _EXAMPLES_NOT_YET)
        if cache_examples:
            raise NotImplementedError("cache_examples is not supported by nbdemo")
        self.inputs = _listify(inputs)
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in examples]
        for i, row in enumerate(rows):
            if len(row) != len(self.inputs):
                raise ValueError(f"Examples: row {i} has {len(row)} values for {len(self.inputs)} inputs")
        self.dataset = Dataset(components=self.inputs, samples=rows, label=label,
                               samples_per_page=examples_per_page, type="values", elem_id=elem_id)
        n = len(self.inputs)
        dep = self.dataset.click(lambda row: row[0] if n == 1 else tuple(row), self.dataset,
                                 self.inputs, show_progress="hidden", api_name=False,
                                 trigger_mode="always_last")
        if run_on_click and fn is not None:
            dep.then(fn, self.inputs, outputs)


class Interface(Blocks):
    """A demo of one function: ``Interface(fn, inputs, outputs)``.

    ``inputs``/``outputs``: components, string shortcuts ("text", "number",
    "slider", "checkbox", "checkboxgroup", "radio", "dropdown", "markdown",
    "html", "json", "label", "state", "textarea"), or lists of them; None for
    none. Input labels default to ``fn``'s parameter names, the output label
    to "output" ("output 0", … for several). ``examples``: rows of input
    values shown as a clickable table. ``live``: run on every input change
    instead of on Submit. ``submit_btn``/``clear_btn``: button text, or None
    to hide (``clear_btn``). ``flagging_mode``: only "never" is honoured (the
    default here; Gradio's "manual" flagging is not built yet).
    ``title``, ``description`` (Markdown above), ``article`` (Markdown below).

    Not supported yet (one ``UserWarning`` names them; they are ignored):
    ``additional_inputs``, ``additional_inputs_accordion``, ``example_labels``,
    ``cache_mode``, ``preload_example``, ``flagging_callback``,
    ``api_visibility``, ``api_description``, ``allow_duplication``,
    ``deep_link``, ``validator``, ``js``, ``head``, ``show_api``. Any other
    unknown name raises ``TypeError``.
    """

    def __init__(self, fn: Callable, inputs=None, outputs=None, examples: Sequence | None = None,
                 *, title: str | None = None, description: str | None = None,
                 article: str | None = None, live: bool = False,
                 submit_btn: str | Button = "Submit", stop_btn: str | Button = "Stop",
                 clear_btn: str | Button | None = "Clear", flagging_mode: Literal["never", "auto", "manual"] | None = None,
                 allow_flagging: Any = None, api_name: str | None = "predict",
                 concurrency_limit: int | None | Literal["default"] = "default",
                 show_progress: Literal["full", "minimal", "hidden"] = "full",
                 examples_per_page: int = 10, cache_examples: bool | None = None,
                 theme: Any = None, css: str | None = None, fill_height: bool = False,
                 flagging_options: Any = None, flagging_dir: Any = None,
                 batch: bool = False, max_batch_size: int = 4, time_limit: float | None = None,
                 stream_every: float | None = None, concurrency_id: str | None = None,
                 delete_cache: Any = None, fill_width: bool = False, **kw: Any) -> None:
        _args.check("Interface", kw, _NOT_YET)
        super().__init__(theme=theme, title=title or "nbdemo", css=css, fill_height=fill_height,
                         fill_width=fill_width, delete_cache=delete_cache, mode="interface")
        self.fn = fn
        self.live = live
        self.flagging_mode = flagging_mode or "never"
        ins = [from_shortcut(c, render=False) for c in _listify(inputs)]
        outs = [from_shortcut(c, render=False) for c in _listify(outputs)]
        params = _param_names(fn)
        for i, comp in enumerate(ins):
            if comp.label is None and not isinstance(comp, State):
                comp.label = params[i] if i < len(params) else f"input {i}"
        for i, comp in enumerate(outs):
            if comp.label is None and not isinstance(comp, State):
                comp.label = "output" if len(outs) == 1 else f"output {i}"
        self.input_components = ins
        self.output_components = outs
        visible_outs = [c for c in outs if not isinstance(c, State)]
        with self:
            if title:
                Markdown(f"# {title}", elem_classes=["nbd-title"])
            if description:
                Markdown(description, elem_classes=["nbd-description"])
            with Row(equal_height=False):
                with Column(variant="panel"):
                    for c in ins:
                        c.render()
                    with Row():
                        clear = None
                        if clear_btn is not None and ins:
                            clear = clear_btn if isinstance(clear_btn, Button) else ClearButton(value=clear_btn)
                            clear.render()
                        submit = None
                        if not live and ins:
                            submit = submit_btn if isinstance(submit_btn, Button) else Button(submit_btn, variant="primary")
                            submit.render()
                with Column(variant="panel"):
                    for c in outs:
                        c.render()
            if examples:
                self.examples = Examples(examples, ins, examples_per_page=examples_per_page,
                                         cache_examples=cache_examples)
            if article:
                Markdown(article, elem_classes=["nbd-article"])
            opts = dict(api_name=api_name, concurrency_limit=concurrency_limit,
                        concurrency_id=concurrency_id, show_progress=show_progress,
                        batch=batch, max_batch_size=max_batch_size, time_limit=time_limit,
                        stream_every=stream_every)
            if live or not ins:
                triggers = [c.change for c in ins if hasattr(c, "change") and not isinstance(c, State)]
                if not ins:
                    submit = Button(submit_btn, variant="primary")
                    triggers = [submit.click]
                self.dependency = on(triggers, fn, ins, outs, trigger_mode="always_last" if live else None, **opts)
            else:
                triggers = [submit.click] + [c.submit for c in ins if hasattr(c, "submit")]
                self.dependency = on(triggers, fn, ins, outs, **opts)
            if clear is not None:
                clear.add([c for c in ins + visible_outs])
        self.submit_btn = submit
        self.clear_btn = clear


#: Gradio's Interface arguments nbdemo does not support yet: they warn, naming
#: themselves, instead of being dropped in silence.
_NOT_YET = {"additional_inputs", "additional_inputs_accordion", "example_labels",
            "cache_mode", "preload_example", "flagging_callback", "analytics_enabled",
            "api_visibility", "api_description", "allow_duplication", "deep_link", "validator",
            "js", "head", "show_api"}


#: Gradio's Examples arguments nbdemo does not support yet.
_EXAMPLES_NOT_YET = {"preprocess", "postprocess", "api_name", "api_visibility", "api_description",
                     "batch", "example_labels", "visible", "preload", "cache_mode"}

#: Gradio's TabbedInterface arguments nbdemo does not support yet (js/head: Gradio 5).
_TABBED_NOT_YET = {"analytics_enabled", "js", "head"}


def _param_names(fn: Callable) -> list[str]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]


class TabbedInterface(Blocks):
    """Several demos as tabs: ``TabbedInterface([demo1, demo2], ["One", "Two"])``.

    ``analytics_enabled``, ``js`` and ``head`` are not supported yet (one
    ``UserWarning`` names them); other unknown names raise ``TypeError``.
    """

    def __init__(self, interface_list: Sequence[Blocks], tab_names: Sequence[str] | None = None,
                 title: str | None = None, theme: Any = None, css: str | None = None, **kw: Any):
        from .layout import Tab, Tabs

        _args.check("TabbedInterface", kw, _TABBED_NOT_YET)

        super().__init__(title=title or "nbdemo", theme=theme, css=css)
        names = list(tab_names or [d.title or f"Tab {i + 1}" for i, d in enumerate(interface_list)])
        with self:
            if title:
                Markdown(f"# {title}")
            with Tabs():
                for name, demo in zip(names, interface_list):
                    with Tab(name):
                        demo.render()


__all__ = ["Interface", "Examples", "TabbedInterface", "Component"]
