"""Interface and Examples: the one-function demo, built on Blocks."""

from __future__ import annotations

import csv
import inspect
import logging
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from . import _args
from .blocks import Blocks
from .caching import ExampleCache, cache_mode_of
from .components import (
    Button,
    ClearButton,
    Component,
    Dataset,
    DeepLinkButton,
    Markdown,
    State,
    from_shortcut,
)
from .events import on
from .flagging import CSVLogger, FlaggingCallback
from .layout import Accordion, Column, Row

log = logging.getLogger("nbdemo")


def _listify(x) -> list:
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


class Examples:
    """A clickable table of example inputs; clicking a row fills ``inputs``.

    ``examples``: a list of rows (one value per input; a bare value for a
    single input; values past the last input are ignored, as in Gradio, so
    rows of a flagging log with outputs work), or a folder (a ``str``/``Path``): with a ``log.csv``
    (a header row, then one row per example; file names relative to the
    folder), else one example per file for a single input.
    ``fn``/``outputs``/``run_on_click``: also run ``fn`` on the filled inputs.

    ``cache_examples``: True stores each row's outputs (computed in a
    background thread as the demo is built, under ``.gradio/cached_examples``,
    see :mod:`nbdemo.caching`); "lazy" computes a row on its first click.
    Clicking a cached row fills the inputs and the outputs without calling
    ``fn``, and a second start of the app reads the cache. ``cache_mode``
    ("eager" or "lazy") is the other spelling of the same choice. Caching
    needs ``fn`` and ``outputs`` (``ValueError`` otherwise).

    Gradio's ``preprocess``, ``postprocess``, ``api_name``, ``api_visibility``,
    ``api_description``, ``batch``, ``example_labels``, ``visible`` and
    ``preload`` are not supported yet: each warns (one ``UserWarning`` naming
    them) and is ignored; other names raise ``TypeError``.
    """

    def __init__(self, examples: Sequence | str | os.PathLike, inputs, outputs=None,
                 fn: Callable | None = None, label: str | None = "Examples",
                 examples_per_page: int = 10, run_on_click: bool = False,
                 cache_examples: bool | Literal["lazy"] | None = None,
                 cache_mode: Literal["eager", "lazy"] | None = None,
                 elem_id: str | None = None, **kw: Any) -> None:
        _args.check("Examples", kw, _EXAMPLES_NOT_YET)
        self.inputs = _listify(inputs)
        self.outputs = _listify(outputs)
        if isinstance(examples, (str, os.PathLike)):
            examples = _examples_from_folder(Path(examples), len(self.inputs))
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in examples]
        # Gradio ignores values past the inputs (a row read from a flagging log
        # also holds outputs and a timestamp); fewer values than inputs is an error
        rows = [row[:len(self.inputs)] for row in rows]
        for i, row in enumerate(rows):
            if len(row) != len(self.inputs):
                raise ValueError(f"Examples: row {i} has {len(row)} values for {len(self.inputs)} inputs")
        self.examples = rows
        self.dataset = Dataset(components=self.inputs, samples=rows, label=label,
                               samples_per_page=examples_per_page, type="tuple", elem_id=elem_id)
        mode = cache_mode_of(cache_examples, cache_mode)
        self.cache = None
        n = len(self.inputs)
        if mode is None:
            dep = self.dataset.click(lambda picked: picked[1][0] if n == 1 else tuple(picked[1]),
                                     self.dataset, self.inputs, show_progress="hidden",
                                     api_name=False, trigger_mode="always_last")
            if run_on_click and fn is not None:
                dep.then(fn, self.inputs, self.outputs)
            return
        if fn is None or not self.outputs:
            raise ValueError("cache_examples needs fn and outputs (the values it caches)")
        self.cache = ExampleCache(fn, rows, self.outputs, self.inputs)

        def show(picked):
            i, row = picked
            return (*row, *self.cache.outputs_for(i))

        self.dataset.click(show, self.dataset, self.inputs + self.outputs, api_name=False,
                           trigger_mode="always_last")
        if mode == "eager":
            threading.Thread(target=self._fill, name="nbdemo-cache-examples", daemon=True).start()

    def _fill(self) -> None:
        try:
            self.cache.fill()
        except Exception:  # noqa: BLE001 - the click computes the row again and shows the error
            log.exception("nbdemo: caching the examples failed; rows are computed when clicked")


def _examples_from_folder(folder: Path, n_inputs: int) -> list[list]:
    """Gradio's ``examples="folder"``: rows of ``log.csv``, else one file per example."""
    if not folder.is_dir():
        raise ValueError(f"Examples: {folder} is not a folder")
    log_csv = folder / "log.csv"
    if log_csv.exists():
        with log_csv.open(newline="") as f:
            rows = list(csv.reader(f))[1:]
        out = []
        for row in rows:
            out.append([str(folder / v) if v and (folder / v).is_file() else v for v in row[:n_inputs]])
        return out
    if n_inputs != 1:
        raise ValueError(f"Examples: {folder} has no log.csv, so it gives one file per example, "
                         f"which fits one input, not {n_inputs}")
    return [[str(p)] for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]


class Interface(Blocks):
    """A demo of one function: ``Interface(fn, inputs, outputs)``.

    ``inputs``/``outputs``: components, string shortcuts ("text", "number",
    "slider", "checkbox", "checkboxgroup", "radio", "dropdown", "markdown",
    "html", "json", "label", "state", "textarea"), or lists of them; None for
    none. Input labels default to ``fn``'s parameter names, the output label
    to "output" ("output 0", … for several). ``examples``: rows of input
    values shown as a clickable table. ``live``: run on every input change
    instead of on Submit; with a ``streaming=True`` webcam Image or
    microphone Audio input, run on each streamed frame (``stream_every``
    seconds apart, for ``time_limit`` seconds: 30 unless given, as in Gradio). ``submit_btn``/``clear_btn``: button text, or None
    to hide (``clear_btn``). ``flagging_mode``: "manual" (Gradio's default:
    a Flag button under the outputs, one per ``flagging_options`` entry),
    "auto" (every successful submission) or "never"; rows go to
    ``flagging_dir`` (default ``.gradio/flagged``) through
    ``flagging_callback`` (default :class:`~nbdemo.CSVLogger`).
    ``title``, ``description`` (Markdown above), ``article`` (Markdown below).
    ``additional_inputs``: more inputs, shown in a closed accordion
    (``additional_inputs_accordion``: its label, or an ``Accordion``); ``fn``
    receives them after ``inputs``. ``examples`` may be a folder (see
    :class:`Examples`); ``cache_examples``/``cache_mode`` cache their outputs.
    A component may be both an input and an output (it shows once).
    ``deep_link``: True (or the button's text, or a ``gr.DeepLinkButton``)
    adds a button under the outputs that copies a link to the page with its
    current values (Gradio adds one on Spaces by default; nbdemo only when asked).
    ``validator``: checks the inputs before ``fn`` (see the listeners' ``validator=``).

    Not supported yet (one ``UserWarning`` names them; they are ignored):
    ``example_labels``, ``preload_example``, ``flagging_callback``,
    ``allow_duplication``, ``js``, ``head``. Any other unknown name raises
    ``TypeError``.
    """

    def __init__(self, fn: Callable, inputs=None, outputs=None, examples: Sequence | None = None,
                 *, title: str | None = None, description: str | None = None,
                 article: str | None = None, live: bool = False,
                 submit_btn: str | Button = "Submit", stop_btn: str | Button = "Stop",
                 clear_btn: str | Button | None = "Clear", flagging_mode: Literal["never", "auto", "manual"] | None = None,
                 allow_flagging: Any = None, api_name: str | None | Literal[False] = None,
                 api_visibility: Literal["public", "private", "undocumented"] | None = None,
                 api_description: str | None | Literal[False] = None, show_api: bool = True,
                 concurrency_limit: int | None | Literal["default"] = "default",
                 show_progress: Literal["full", "minimal", "hidden"] = "full",
                 examples_per_page: int = 10, cache_examples: bool | None = None,
                 theme: Any = None, css: str | None = None, fill_height: bool = False,
                 flagging_options: Any = None, flagging_dir: Any = None,
                 batch: bool = False, max_batch_size: int = 4, time_limit: float | None = None,
                 stream_every: float | None = None, concurrency_id: str | None = None,
                 delete_cache: Any = None, fill_width: bool = False,
                 additional_inputs=None, additional_inputs_accordion: str | Accordion | None = None,
                 cache_mode: Literal["eager", "lazy"] | None = None,
                 flagging_callback: FlaggingCallback | None = None,
                 deep_link: str | DeepLinkButton | bool | None = None,
                 validator: Callable | None = None, **kw: Any) -> None:
        _args.check("Interface", kw, _NOT_YET)
        super().__init__(theme=theme, title=title or "nbdemo", css=css, fill_height=fill_height,
                         fill_width=fill_width, delete_cache=delete_cache, mode="interface")
        self.fn = fn
        self.live = live
        self.flagging_mode = _flagging_mode(flagging_mode, allow_flagging)
        flag_options = _flag_options(flagging_options)
        callback = flagging_callback or CSVLogger()
        if not isinstance(callback, FlaggingCallback):
            raise TypeError(f"flagging_callback takes a gr.CSVLogger (or another FlaggingCallback), "
                            f"got {type(callback).__name__}")
        self.flagging_callback = callback
        main_ins = [from_shortcut(c, render=False) for c in _listify(inputs)]
        extra_ins = [from_shortcut(c, render=False) for c in _listify(additional_inputs)]
        ins = main_ins + extra_ins
        outs = [from_shortcut(c, render=False) for c in _listify(outputs)]
        params = _param_names(fn)
        for i, comp in enumerate(ins):
            if comp.label is None and not isinstance(comp, State):
                comp.label = params[i] if i < len(params) else f"input {i}"
        for i, comp in enumerate(outs):
            if comp.label is None and not isinstance(comp, State):
                comp.label = "output" if len(outs) == 1 else f"output {i}"
        # Gradio: an Interface's outputs are read-only unless asked otherwise (the
        # Flag button reads them, which would otherwise make them editable)
        for comp in outs:
            if comp.interactive is None and all(comp is not c for c in ins):
                comp.interactive = False
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
                    for c in main_ins:
                        c.render()
                    if extra_ins:
                        accordion = additional_inputs_accordion
                        if not isinstance(accordion, Accordion):
                            accordion = Accordion(accordion or "Additional Inputs", open=False,
                                                  render=False)
                        accordion.render()
                        with accordion:
                            for c in extra_ins:
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
                        if c not in ins:  # the same component as input and output shows once
                            c.render()
                    flag_buttons = []
                    if self.flagging_mode == "manual":
                        with Row():
                            for label, value in flag_options:
                                flag_buttons.append((Button(label, variant="secondary"), value))
                    if isinstance(deep_link, DeepLinkButton):
                        deep_link.render()
                    elif deep_link:
                        DeepLinkButton(deep_link) if isinstance(deep_link, str) else DeepLinkButton()
            if examples:
                if isinstance(examples, (str, os.PathLike)):
                    examples = _examples_from_folder(Path(examples), len(main_ins))
                rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in examples]
                # rows may leave out the additional inputs (Gradio fills in their values)
                with_extra = bool(rows) and all(len(r) == len(ins) for r in rows)
                self.examples = Examples(rows, ins if with_extra else main_ins,
                                         outputs=outs if cache_examples or cache_mode else None,
                                         fn=(fn if with_extra else _with_defaults(fn, extra_ins))
                                         if cache_examples or cache_mode else None,
                                         examples_per_page=examples_per_page,
                                         cache_examples=cache_examples, cache_mode=cache_mode)
            if article:
                Markdown(article, elem_classes=["nbd-article"])
            opts = dict(api_name=api_name, api_visibility=api_visibility,
                        api_description=api_description, show_api=show_api,
                        concurrency_limit=concurrency_limit,
                        concurrency_id=concurrency_id, show_progress=show_progress,
                        batch=batch, max_batch_size=max_batch_size, time_limit=time_limit,
                        stream_every=stream_every, validator=validator)
            if live or not ins:
                # Gradio: a live Interface streams its streaming inputs (webcam,
                # microphone) with .stream(), for 30 s unless time_limit says otherwise
                streamed = live and any(getattr(c, "streaming", False) and hasattr(c, "stream")
                                        for c in ins)
                triggers = [c.stream if getattr(c, "streaming", False) and hasattr(c, "stream")
                            else c.change for c in ins if hasattr(c, "change") and not isinstance(c, State)]
                if not ins:
                    submit = Button(submit_btn, variant="primary")
                    triggers = [submit.click]
                if streamed:
                    opts.update(show_progress="hidden", time_limit=30 if time_limit is None else time_limit)
                self.dependency = on(triggers, fn, ins, outs, trigger_mode="always_last" if live else None, **opts)
            else:
                if any(getattr(c, "streaming", False) and hasattr(c, "stream") for c in ins):
                    warnings.warn("Interface: streaming inputs stream only when live=True; without "
                                  "it they are captured once and sent on Submit", UserWarning,
                                  stacklevel=2)
                triggers = [submit.click] + [c.submit for c in ins if hasattr(c, "submit")]
                self.dependency = on(triggers, fn, ins, outs, **opts)
            if clear is not None:
                clear.add(list(dict.fromkeys(ins + visible_outs)))
            if self.flagging_mode != "never":
                flagged = list(dict.fromkeys(c for c in ins + outs if not isinstance(c, State)))
                callback.setup(flagged, flagging_dir or ".gradio/flagged")
                for button, value in flag_buttons:
                    button.click(_flagger(callback, value), flagged, None,
                                 api_name=False, show_api=False, show_progress="hidden")
                if self.flagging_mode == "auto":
                    self.dependency.success(_flagger(callback, ""), flagged, None,
                                            api_name=False, show_api=False, show_progress="hidden")
        self.submit_btn = submit
        self.clear_btn = clear
        #: Gradio's name for the examples block
        self.examples_handler = getattr(self, "examples", None)


#: Gradio's Interface arguments nbdemo does not support yet: they warn, naming
#: themselves, instead of being dropped in silence.
_NOT_YET = {"example_labels", "preload_example", "analytics_enabled",
            "allow_duplication", "js", "head"}


#: Gradio's Examples arguments nbdemo does not support yet.
_EXAMPLES_NOT_YET = {"preprocess", "postprocess", "api_name", "api_visibility", "api_description",
                     "batch", "example_labels", "visible", "preload"}


def _flagging_mode(mode: Any, allow_flagging: Any) -> str:
    """Gradio's flagging_mode (or its old name allow_flagging); default
    ``GRADIO_FLAGGING_MODE`` or "manual", as in Gradio."""
    mode = mode if mode is not None else allow_flagging
    if mode is None:
        mode = os.environ.get("GRADIO_FLAGGING_MODE", "manual")
    if mode not in ("never", "auto", "manual"):
        raise ValueError(f"flagging_mode must be 'never', 'auto' or 'manual', got {mode!r}")
    return mode


def _flag_options(options: Any) -> list[tuple[str, str]]:
    """(button label, saved value) pairs: one "Flag" button, or one per option."""
    if not options:
        return [("Flag", "")]
    out = []
    for o in options:
        if isinstance(o, str):
            out.append((f"Flag as {o}", o))
        elif isinstance(o, (tuple, list)) and len(o) == 2:
            out.append((str(o[0]), str(o[1])))
        else:
            raise ValueError(f"flagging_options takes strings or (label, value) pairs, got {o!r}")
    return out


def _flagger(callback: FlaggingCallback, option: str) -> Callable:
    def flag(*values):
        callback.flag(list(values), flag_option=option)
    return flag


def _with_defaults(fn: Callable, extra: list) -> Callable:
    """``fn`` for example rows that leave out the additional inputs: their
    initial values fill in (what Gradio does for such rows)."""
    def call(*values):
        return fn(*values, *(c.preprocess(c.value) for c in extra))
    call.__name__ = getattr(fn, "__name__", "fn")
    call.__qualname__ = getattr(fn, "__qualname__", "fn")
    call.__module__ = getattr(fn, "__module__", "")
    return call

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
