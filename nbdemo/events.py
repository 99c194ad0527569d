"""Event listeners, dependencies, ``update()``/``skip()`` and event data.

``btn.click(fn, inputs, outputs)`` records a :class:`Dependency` on the
demo's root :class:`~nbdemo.Blocks`; the engine runs it when the trigger fires
in either front door. Nothing here knows about transports.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from . import context
from .block import Block

if TYPE_CHECKING:
    from .blocks import Blocks

ShowProgress = Literal["full", "minimal", "hidden"]
TriggerMode = Literal["once", "multiple", "always_last"]

#: Events whose default ``trigger_mode`` is "always_last": a burst of changes
#: runs the function for the first and the last value only. Gradio does this
#: for "change" and "key_up" and uses "once" for "input" and "release";
#: nbdemo deliberately treats those two as continuous as well, because "once"
#: drops the last keystrokes of fast typing (or the final slider position),
#: leaving an output that does not match its input.
_CONTINUOUS = {"change", "key_up", "input", "release"}


class EventData:
    """What the front-end sent with an event; add a parameter annotated with
    this class (or a subclass) to ``fn`` to receive it.

    ``target`` is the component that fired; ``_data`` the raw payload. The
    payload's keys are also attributes (``evt.key`` for a custom event fired
    with ``trigger('keypress', {key: e.key})``), as in Gradio 6; a key it does
    not have raises ``AttributeError``.
    """

    def __init__(self, target: Block | None, data: Any):
        self.target = target
        self._data = data

    def __getattr__(self, name: str) -> Any:
        data = self.__dict__.get("_data")
        if not name.startswith("_") and isinstance(data, dict) and name in data:
            return data[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r} (the event sent "
                             f"{sorted(data) if isinstance(data, dict) else 'no data'})")


class SelectData(EventData):
    """Payload of ``.select``: ``index`` (int, or [row, col] for tables),
    ``value`` (the selected value) and ``selected`` (bool)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.index = data.get("index")
        self.value = data.get("value")
        self.selected = bool(data.get("selected", True))


class KeyUpData(EventData):
    """Payload of ``.key_up``: ``key`` (str) and ``input_value`` (str)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.key = data.get("key")
        self.input_value = data.get("input_value")


class LikeData(EventData):
    """Payload of ``Chatbot.like``: ``index`` (the message's index), ``value``
    (its content) and ``liked`` (True for like, False for dislike, or the
    chosen ``feedback_options`` label other than "Like"/"Dislike")."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.index = data.get("index")
        self.value = data.get("value")
        self.liked = data.get("liked", True)


class RetryData(EventData):
    """Payload of ``Chatbot.retry``: ``index`` of the user message to answer
    again (the conversation before it is ``history[:index]``) and ``value``,
    that message's content."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.index = data.get("index")
        self.value = data.get("value")


class UndoData(RetryData):
    """Payload of ``Chatbot.undo``: ``index`` of the last user message (keep
    ``history[:index]``) and ``value``, its content (to put back in the box)."""


class EditData(EventData):
    """Payload of ``Chatbot.edit``: ``index`` of the edited message, ``value``
    (the new text) and ``previous_value`` (the text before the edit)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.index = data.get("index")
        self.value = data.get("value")
        self.previous_value = data.get("previous_value")


class FileInfo:
    """A file named by an event (Gradio's ``FileData`` there): ``path`` (``str``,
    the file in this session's store, or None if it is gone), ``orig_name``,
    ``size`` (bytes) and ``mime_type``. ``url`` is None: nbdemo's file URLs
    belong to the page's session, not to the function."""

    def __init__(self, fd: Any):
        from . import files

        fd = fd if isinstance(fd, dict) else {}
        found = files.lookup(fd["id"]) if files.is_file_data(fd) else None
        self.path = str(found[1].path) if found else None
        self.orig_name = fd.get("orig_name")
        self.size = fd.get("size")
        self.mime_type = fd.get("mime_type")
        self.url = None

    def __repr__(self) -> str:
        return f"FileInfo(orig_name={self.orig_name!r}, path={self.path!r})"


class DeletedFileData(EventData):
    """Payload of ``File.delete`` (the user removed one of several files):
    ``file``, a :class:`FileInfo` (``.path``, ``.orig_name``, ``.size``)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        self.file = FileInfo(data.get("file") if isinstance(data, dict) else None)


class DownloadData(DeletedFileData):
    """Payload of ``File.download`` (the user clicked a file's download link):
    ``file``, a :class:`FileInfo`."""


class CopyData(EventData):
    """Payload of ``Chatbot.copy``: ``value``, the copied text."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        self.value = data.get("value") if isinstance(data, dict) else None


class Request:
    """The request behind an event, for a parameter annotated ``gr.Request``
    (Gradio's name; placed at that parameter, wherever it stands).

    - ``headers``: the page's (or API client's) HTTP request headers, a
      mapping with case-insensitive keys (empty inline in a notebook);
    - ``client.host``, ``client.port``: the peer's address (None inline);
    - ``query_params``: the page URL's query parameters (``dict[str, str]``);
    - ``session_hash``: the session's id; ``username``: the logged-in user
      (None without auth); ``path``: the request's URL path.
    """

    def __init__(self, headers: dict[str, str] | None = None, client_host: str | None = None,
                 client_port: int | None = None, query_params: dict[str, str] | None = None,
                 session_hash: str | None = None, username: str | None = None,
                 path: str = "/"):
        self.headers = _Headers(headers or {})
        self.client = _Client(client_host, client_port)
        self.query_params = dict(query_params or {})
        self.session_hash = session_hash
        self.username = username
        self.path = path

    def __repr__(self) -> str:
        return f"Request(session_hash={self.session_hash!r}, client={self.client.host!r})"


class _Headers(dict):
    """Header names compare case-insensitively (stored lower-case)."""

    def __init__(self, items: dict[str, str]):
        super().__init__((k.lower(), v) for k, v in items.items())

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


@dataclass(frozen=True)
class _Client:
    host: str | None
    port: int | None


def update(**props: Any) -> dict:
    """Return this from ``fn`` to change an output's properties, not only its value.

    ``update(value=..., visible=False, interactive=True, label="…",
    choices=[...])``: any property the output component has. Unknown
    property names raise ``ValueError`` when the update is applied, naming the
    component and the property. Properties left out keep their current values.
    """
    return {"__type__": "update", **props}


def skip() -> dict:
    """Return this (for one output, or as the whole result) to leave outputs unchanged."""
    return {"__type__": "update"}


def validate(is_valid: bool, message: str) -> dict:
    """Return from a listener's ``validator=`` (one per input, or one): whether
    the value is valid and the message to show when not (Gradio's ``gr.validate``)."""
    return {"__type__": "validate", "is_valid": bool(is_valid), "message": message}


def is_update(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


@dataclass(eq=False)
class Dependency:
    """One event listener: triggers → fn(inputs) → outputs.

    Returned by every listener (``btn.click(...)``); chain with
    :meth:`then`, :meth:`success` and :meth:`failure`.
    """

    root: Blocks
    triggers: list[tuple[Block, str]]
    fn: Callable | None
    inputs: list[Block]
    outputs: list[Block]
    inputs_as_dict: bool = False
    api_name: str | None | Literal[False] = None
    show_progress: ShowProgress = "full"
    queue: bool = True
    concurrency_limit: int | None | Literal["default"] = "default"
    concurrency_id: str | None = None
    trigger_mode: TriggerMode = "once"
    preprocess: bool = True
    postprocess: bool = True
    scroll_to_output: bool = False
    show_api: bool = True
    #: Gradio 6: "public" (listed and callable by the HTTP API), "undocumented"
    #: (callable, not listed) or "private" (neither); None: from api_name/show_api
    api_visibility: Literal["public", "private", "undocumented"] | None = None
    #: the endpoint's description in the API docs (default: the docstring's first
    #: paragraph); False hides it
    api_description: str | None | Literal[False] = None
    after: Dependency | None = None
    after_when: Literal["always", "success", "failure"] = "always"
    #: group waiting runs (across sessions) into one call of lists
    batch: bool = False
    max_batch_size: int = 4
    #: seconds a run may take before it is stopped with an error; for a
    #: ``.stream()`` listener, seconds a stream lasts (as in Gradio)
    time_limit: float | None = None
    #: ``.stream()`` listeners: seconds between the frames (or audio chunks)
    #: the page captures and sends (Gradio's default, 0.5)
    stream_every: float = 0.5
    extra: dict = field(default_factory=dict)

    def then(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event finishes, whether it succeeded or not."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="always", **kwargs)

    def success(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event finishes without an error."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="success", **kwargs)

    def failure(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event raised an error."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="failure", **kwargs)

    @property
    def streams(self) -> bool:
        """Whether this is a ``.stream()`` listener (frames from a webcam or microphone)."""
        return any(e == "stream" for _, e in self.triggers)

    @property
    def fn_index(self) -> int:
        return self.root.dependencies.index(self)

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", None)
        return f"Dependency(fn={name}, triggers={[(b._id, e) for b, e in self.triggers]})"


def _as_list(blocks) -> tuple[list, bool]:
    if blocks is None:
        return [], False
    if isinstance(blocks, (set, frozenset)):
        return sorted(blocks, key=lambda b: b._id), True
    if isinstance(blocks, Sequence) and not isinstance(blocks, (str, bytes)):
        return list(blocks), False
    return [blocks], False


def _root_of(block: Block) -> Blocks | None:
    from .blocks import Blocks

    node = block
    found = None
    while node is not None:
        if isinstance(node, Blocks):
            found = node
        node = node.parent
    return found


_PACKAGE = __file__.rsplit("/", 1)[0]


def _outside() -> int:
    """The ``stacklevel`` of the first frame outside nbdemo (the author's line),
    for warnings raised while a listener is added through any of its wrappers."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def _register(root: Blocks | None, triggers: list[tuple[Block, str]], fn, inputs, outputs, *,
              after: Dependency | None = None, after_when: str = "always",
              trigger_mode: TriggerMode | None = None, **kwargs: Any) -> Dependency:
    from .block import Block

    if fn is not None and not callable(fn):
        raise TypeError(f"fn must be a callable or None, got {type(fn).__name__}")
    ins, as_dict = _as_list(inputs)
    outs, _ = _as_list(outputs)
    for b in ins + outs:
        if not isinstance(b, Block):
            raise TypeError(f"inputs and outputs must be nbdemo components, got {b!r}")
    root = context.root() or root
    if root is None:
        for b, _ in triggers:
            root = _root_of(b)
            if root is not None:
                break
    if root is None:
        raise RuntimeError("Event listeners must be added inside `with nbdemo.Blocks():`, "
                           "or on components already rendered in a Blocks.")
    # Gradio's `js`: a JavaScript function (a string) the page runs first, with the
    # inputs' values; its result is fn's inputs, or the outputs when fn is None.
    # js=True asks Gradio to run fn itself in the browser (transpiled): not here.
    js = kwargs.pop("js", None)
    if js is True:
        warnings.warn("nbdemo does not run Python functions in the browser (js=True): fn runs "
                      "on the server", UserWarning, stacklevel=_outside())
    elif js not in (None, False) and not (isinstance(js, str) and js.strip()):
        raise TypeError(f"js= takes a JavaScript function as a string, got {js!r:.60}")
    cancels = kwargs.pop("cancels", None)
    every = kwargs.pop("every", None)
    if every is not None:
        triggers = [*triggers, every_trigger(every)]
    streams = any(e == "stream" for _, e in triggers)
    stream_every = kwargs.pop("stream_every", None)
    if stream_every is not None:
        if isinstance(stream_every, bool) or not isinstance(stream_every, (int, float)) \
                or not stream_every > 0:
            raise ValueError(f"stream_every= takes a number of seconds > 0, got {stream_every!r}")
        if streams:
            kwargs["stream_every"] = float(stream_every)
        elif stream_every != 0.5:  # Gradio's default, passed on by wrappers such as Interface
            warnings.warn("stream_every= applies to .stream() listeners only; it has no effect here",
                          UserWarning, stacklevel=_outside())
    vis = kwargs.get("api_visibility")
    if vis is not None and vis not in ("public", "private", "undocumented"):
        raise ValueError(f"api_visibility must be 'public', 'private' or 'undocumented', got {vis!r}")
    validator = kwargs.pop("validator", None)
    if validator is not None and not callable(validator):
        raise TypeError(f"validator= takes a function of the inputs, got {validator!r:.60}")
    progress_on, _ = _as_list(kwargs.pop("show_progress_on", None))
    for b in progress_on:
        if not isinstance(b, Block):
            raise TypeError(f"show_progress_on= takes components, got {b!r:.60}")
    # key=: names the listener across runs of a gr.render (see nbdemo.engine.rendering)
    listener_key = kwargs.pop("key", None)
    show = kwargs.get("show_progress")
    if show is None:  # Gradio: a Timer's ticks show no progress unless asked
        ticks = bool(triggers) and all(e == "tick" for _, e in triggers)
        # Gradio: a stream's frames show a minimal indicator
        kwargs["show_progress"] = "hidden" if ticks else "minimal" if streams else "full"
    elif show is True:
        kwargs["show_progress"] = "full"
    elif show is False:
        kwargs["show_progress"] = "hidden"
    elif show not in ("full", "minimal", "hidden"):
        raise ValueError(f"show_progress must be 'full', 'minimal' or 'hidden', got {show!r}")
    if trigger_mode is None:
        continuous = streams or any(e in _CONTINUOUS for _, e in triggers)
        trigger_mode = "always_last" if continuous else "once"
    elif trigger_mode not in ("once", "multiple", "always_last"):
        raise ValueError(f"trigger_mode must be 'once', 'multiple' or 'always_last', got {trigger_mode!r}")
    elif trigger_mode == "multiple" and streams:
        # one run per frame, however slow fn is, would queue frames without end
        warnings.warn("trigger_mode='multiple' on a .stream() listener would queue every frame; "
                      "nbdemo uses 'always_last' (frames that arrive while fn runs replace "
                      "one another)", UserWarning, stacklevel=_outside())
        trigger_mode = "always_last"
    known = Dependency.__dataclass_fields__
    unknown = [k for k in kwargs if k not in known or k in ("root", "triggers", "fn", "extra")]
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r} for an event listener")
    dep = Dependency(root=root, triggers=triggers, fn=fn, inputs=ins, outputs=outs,
                     inputs_as_dict=as_dict, after=after, after_when=after_when,
                     trigger_mode=trigger_mode, **kwargs)
    if isinstance(js, str) and js.strip():
        dep.extra["js"] = js.strip()
    if validator is not None:
        dep.extra["validator"] = validator
    if progress_on:  # the progress shows over these instead of the outputs
        dep.extra["show_progress_on"] = [b._id for b in progress_on]
    page = root.__dict__.get("_open_page")  # added inside `with demo.route(...)`
    if page is not None:
        dep.extra["page"] = page.path
    if cancels:
        cancels = list(cancels) if isinstance(cancels, (list, tuple, set, frozenset)) else [cancels]
        for c in cancels:
            if not isinstance(c, Dependency):
                raise TypeError(f"cancels= takes the values listeners return (btn.click(...)), got {c!r}")
        dep.extra["cancels"] = cancels
    if listener_key is not None:
        dep.extra["key"] = listener_key
    context.listeners_of(root).append(dep)
    for block, event in triggers:
        events = getattr(block, "_events", None)
        if events is not None and event not in events:
            block._events = [*events, event]
        if event == "stream" and hasattr(block, "_stream"):
            block._stream = _stream_props(block._stream, dep)
    return dep


def _stream_props(old: dict | None, dep: Dependency) -> dict:
    """What the page needs to stream a component: the shortest ``stream_every``
    of its stream listeners and the longest ``time_limit`` (None: no limit)."""
    if not old:
        return {"every": dep.stream_every, "time_limit": dep.time_limit}
    limits = [old["time_limit"], dep.time_limit]
    return {"every": min(old["every"], dep.stream_every),
            "time_limit": None if None in limits else max(limits)}


def every_trigger(every: Any) -> tuple[Block, str]:
    """``every=``'s trigger: a ``gr.Timer``'s ``tick`` (Gradio 6 takes a Timer,
    so buttons can start, stop or retime it), or a hidden :class:`Every` clock
    for a number of seconds. Anything else raises ``ValueError``."""
    if getattr(every, "_kind", None) == "timer" and hasattr(every, "tick"):
        return every, "tick"
    return Every(every), "tick"


class Every(Block):
    """The hidden timer behind ``every=`` (on a listener, or on a component
    whose ``value`` is a callable): the engine fires its ``tick`` every
    ``value`` seconds in each open session. Not shown on the page."""

    _kind = "timer"

    def __init__(self, seconds: float):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
            raise ValueError(f"every= takes a gr.Timer or a number of seconds > 0, got {seconds!r}")
        self.value = float(seconds)
        self.active = True
        self._init_block(render=False)


class EventListener:
    """Descriptor that gives a component its ``.click(...)``, ``.change(...)``, … methods."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.doc = doc

    def __set_name__(self, owner, attr):
        self.name = self.name or attr

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return BoundEvent(obj, self.name, self.doc)


#: ``fn``'s default in listeners: called without a function, a listener is a
#: decorator (``@btn.click(inputs=..., outputs=...)``), as in Gradio. An
#: explicit ``fn=None`` still means "no Python function" (e.g. only ``cancels``).
_DECORATOR: Any = "decorator"


def _decorator_or_register(fn, register: Callable[[Callable | None], Dependency]):
    if isinstance(fn, str) and fn == _DECORATOR:
        def decorate(func: Callable) -> Callable:
            register(func)
            return func
        return decorate
    return register(fn)


class NotSupportedEvent(EventListener):
    """A Gradio event nbdemo has no front-end for yet (``Image.stream``): adding
    a listener raises ``NotImplementedError`` naming it, so a demo that needs
    it fails at once instead of building a page where nothing happens."""

    def __init__(self, name: str, what: str):
        super().__init__(name, f"Not supported by nbdemo yet: {what}.")
        self.what = what

    def __get__(self, obj, owner=None):
        if obj is None:
            return self

        def refuse(*args: Any, **kwargs: Any):
            raise NotImplementedError(f"{type(obj).__name__}.{self.name}: nbdemo does not support "
                                      f"{self.what} yet")
        return refuse


class BoundEvent:
    """``component.click``: call it to add a listener; pass it to :func:`on`."""

    def __init__(self, block: Block, event: str, doc: str = ""):
        self.block = block
        self.event_name = event
        self.__doc__ = doc or f"Add a listener for the '{event}' event."

    def __call__(self, fn: Callable | None = _DECORATOR, inputs=None, outputs=None, *,
                 api_name: str | None | Literal[False] = None,
                 show_progress: ShowProgress | None = None, queue: bool = True,
                 concurrency_limit: int | None | Literal["default"] = "default",
                 concurrency_id: str | None = None, trigger_mode: TriggerMode | None = None,
                 preprocess: bool = True, postprocess: bool = True,
                 scroll_to_output: bool = False, show_api: bool = True,
                 **kwargs: Any) -> Dependency:
        """Run ``fn(*inputs)`` when this event fires and write its result to ``outputs``.

        ``inputs``: a component, a list (fn gets one positional argument per
        component) or a set (fn gets one dict ``{component: value}``).
        ``fn`` may return a value, a tuple (one per output), a dict
        ``{component: value}``, ``update(...)`` or ``skip()``, and may be sync,
        async or a generator (each yield updates the outputs).
        ``concurrency_limit``: how many runs of this listener at once across
        all sessions; "default" uses ``Blocks.queue(default_concurrency_limit=)``,
        which is ``None`` (no limit). Gradio's default is 1; nbdemo differs so
        that one visitor's slow call never blocks the others unless you ask.
        ``trigger_mode``: "once" (ignore triggers while running; default for
        click/submit), "always_last" (default for change/input), "multiple".
        ``cancels``: listeners (what ``.click(...)`` etc. returned) whose runs in
        this session stop when this event fires; a stopped run has status
        "cancelled" and keeps what it already wrote (e.g. a partial stream).
        ``show_progress``: "full" (queue position, elapsed time and progress
        bars over the outputs), "minimal" (a small indicator) or "hidden";
        default "full", and "hidden" for a Timer's ``tick``.
        ``queue=False``: skip the queue (no concurrency limit, never waits).
        ``batch=True``: ``fn`` receives one list per input and returns one
        list per output (``[outputs]`` for one output); runs waiting at the
        same time, from any session, are grouped, at most ``max_batch_size``.
        ``every``: also run every ``every`` seconds (or on each tick of a
        ``gr.Timer``) while the session is open.
        ``js``: a JavaScript function, as a string (``"(a, b) => a + b"``), that
        the page runs first with the inputs' values (in a notebook and in the
        standalone page, where it is served as a same-origin script): its
        result is ``fn``'s inputs (an array for several), or, with ``fn=None``,
        the outputs' new values. API calls skip it, as in Gradio.
        ``time_limit``: seconds a run may take; a longer one is stopped with
        an error (Gradio applies it to streaming events only; nbdemo to every
        run). On ``.stream()``: seconds a stream lasts, as in Gradio; the page
        then stops capturing and the server takes no more of its frames.
        ``stream_every`` (``.stream()`` only, default 0.5): seconds between
        the frames or audio chunks the page sends (at least 0.02: the page
        sends at most 50 a second, under the server's message rate limit). A frame that arrives while
        ``fn`` still runs on an earlier one waits; a newer one replaces it
        (it is dropped), so a slow ``fn`` never makes frames queue up
        (``trigger_mode`` "always_last", the default for streams). An error
        in ``fn`` ends the stream, as in Gradio: one error is shown and the
        page stops capturing until the user starts again.
        ``validator``: a function of the same inputs run first; when what it
        returns holds a ``gr.validate(False, message)`` (one, or one per input)
        ``fn`` does not run and the messages show as one error (Gradio also
        marks each input; nbdemo shows the messages in the error only).
        ``show_progress_on``: components (one or a list) to show the progress
        over instead of the outputs.
        ``key``: in a ``gr.render`` function, names this listener across the
        render's runs (it keeps its fn_index, so a run of it still going
        counts for ``trigger_mode`` after a re-render); elsewhere it does nothing.
        Called without ``fn`` it is a decorator:
        ``@btn.click(inputs=x, outputs=y)`` above ``def f(x): ...`` adds the
        listener and leaves ``f`` as it is.
        """
        return _decorator_or_register(fn, lambda f: _register(
            None, [(self.block, self.event_name)], f, inputs, outputs,
            api_name=api_name, show_progress=show_progress, queue=queue,
            concurrency_limit=concurrency_limit, concurrency_id=concurrency_id,
            trigger_mode=trigger_mode, preprocess=preprocess,
            postprocess=postprocess, scroll_to_output=scroll_to_output,
            show_api=show_api, **kwargs))


def on(triggers: BoundEvent | Sequence[BoundEvent] | None = None, fn: Callable | None = _DECORATOR,
       inputs=None, outputs=None, **kwargs: Any) -> Dependency:
    """Run ``fn`` when any of ``triggers`` fires (e.g. ``[name.submit, btn.click]``).

    ``triggers=None`` (the default) runs ``fn`` when the demo loads and
    whenever one of ``inputs`` changes (Gradio's "live" mode). Other arguments
    are those of any listener; without ``fn`` it is a decorator
    (``@gr.on(inputs=[a, b], outputs=c)``).
    """
    return _decorator_or_register(fn, lambda f: _on(triggers, f, inputs, outputs, **kwargs))


def _on(triggers, fn, inputs, outputs, **kwargs: Any) -> Dependency:
    if triggers is None:
        ins, _ = _as_list(inputs)
        pairs = [(b, "change") for b in ins if hasattr(b, "_events")]
        root = context.root()
        if root is not None:
            pairs.insert(0, (root, "load"))
    else:
        items = triggers if isinstance(triggers, Sequence) else [triggers]
        pairs = []
        for t in items:
            if not isinstance(t, BoundEvent):
                raise TypeError(f"triggers must be listeners such as btn.click, got {t!r}")
            pairs.append((t.block, t.event_name))
    return _register(None, pairs, fn, inputs, outputs, **kwargs)
