"""ChatInterface: a chat demo of one function, built on Blocks."""

from __future__ import annotations

import inspect
import json
import logging
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

from .blocks import Blocks
from .caching import ExampleCache, cache_mode_of
from .components import Button, Dataset, Markdown, State, from_shortcut
from .components.base import Component
from .components.chatbot import Chatbot, ChatMessage
from .components.multimodal import MultimodalTextbox
from .components.textbox import Textbox
from .events import Dependency, EditData, LikeData, RetryData, UndoData, on, skip, update
from .flagging import CSVLogger
from .layout import Accordion, Row

log = logging.getLogger("nbdemo")

#: Gradio 4 arguments that Gradio 5 removed; accepted and ignored.
_GRADIO4_ONLY = ("retry_btn", "undo_btn", "clear_btn", "show_copy_button")


def _listify(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def reply_messages(reply: Any) -> list:
    """What the chat function returned (or yielded so far) → messages to show.

    A ``str`` (Markdown), a file (``(path,)``, ``{"path": ...}``, a
    ``pathlib.Path``) or a component (``Image``, ``Audio``, ``File``…) is one
    assistant message; a message dict or :class:`ChatMessage` is shown as
    given (role "assistant" when a dict has none); a list holds several.
    ``None`` adds nothing.
    """
    if reply is None:
        return []
    if isinstance(reply, ChatMessage):
        return [reply]
    if isinstance(reply, dict) and "content" in reply:
        return [{"role": "assistant", **reply}]
    if isinstance(reply, list):
        out = []
        for item in reply:
            out.extend(reply_messages(item))
        return out
    if isinstance(reply, (int, float)) and not isinstance(reply, bool):
        reply = str(reply)
    return [{"role": "assistant", "content": reply}]


class ChatInterface(Blocks):
    """A chat demo: ``ChatInterface(fn)`` where ``fn(message, history, *additional_inputs)``.

    ``message``: the ``str`` the user sent, or with ``multimodal=True``
    ``{"text": str, "files": [str paths]}``. ``history``: the conversation
    before this message, in the Chatbot's ``type`` ("messages": a list of
    ``{"role", "content"}`` dicts, the default; "tuples": ``[user, bot]``
    pairs). ``fn`` returns the reply: a ``str`` (Markdown), a file or
    component (``gr.Image(...)``), a message dict / :class:`ChatMessage`, or a
    list of those. When ``fn`` is a generator (sync or async), each ``yield``
    is the reply *so far* (the whole partial text, as in Gradio) and the page
    shows it growing; only the new characters travel (see
    :mod:`nbdemo.protocol`).

    The history lives in the Chatbot's value, per session: every visitor of a
    standalone page has their own conversation; inline there is one.

    ``chatbot``/``textbox``: your own ``Chatbot`` / ``Textbox`` or
    ``MultimodalTextbox`` to use. ``additional_inputs``: more components (or
    shortcuts) passed after ``history``, shown in an accordion
    (``additional_inputs_accordion``: its label or an ``Accordion``).
    ``examples``: messages (or rows ``[message, *additional values]``) shown
    as a clickable table; a click sends the example at once
    (``run_examples_on_click``, default True) or only fills the box.
    ``example_labels``: text shown instead of the examples.
    ``submit_btn``/``stop_btn``: True, a label, a ``Button`` or False. The
    Stop button replaces Submit while a generator streams; clicking it stops
    the run (``cancels=``): the partial reply stays. ``autofocus``: focus the
    message box on load. ``concurrency_limit``, ``show_progress`` (default
    "minimal") and ``api_name`` ("chat") apply to the chat function.

    Differences from Gradio, on purpose: the message box stays usable while
    a reply streams, and sending a new message stops that reply (keeping what
    it said) before answering the new one, instead of disabling the box;
    Gradio 4's ``retry_btn``/``undo_btn``/``clear_btn`` are accepted and
    ignored (Gradio 5 removed them; the Chatbot has its own clear button);
    ``cache_examples`` (True or "lazy", and ``cache_mode``): a click on an
    example shows its question and a reply cached on disk (computed with an
    empty history; see :mod:`nbdemo.caching`) without calling ``fn``.
    ``save_history`` warns and keeps only the current conversation.

    The Chatbot's Retry and Undo buttons (under the last reply) answer the
    last question again or take it back into the box (``type="messages"``).
    ``editable=True``: the user's messages can be edited, and an edit answers
    the edited question again. ``additional_outputs``: components ``fn``
    also fills: it returns (or yields) ``(reply, *values)``.
    ``flagging_mode="manual"``: like/dislike buttons (or ``flagging_options``
    labels) on replies save the conversation to ``flagging_dir`` as a CSV row
    (see :class:`~nbdemo.CSVLogger`).
    """

    def __init__(self, fn: Callable, *, multimodal: bool = False,
                 type: Literal["messages", "tuples"] | None = None,
                 chatbot: Chatbot | None = None, textbox: Textbox | MultimodalTextbox | None = None,
                 additional_inputs: Any = None, additional_inputs_accordion: str | Accordion | None = None,
                 additional_outputs: Any = None, editable: bool = False,
                 examples: Sequence | None = None, example_labels: Sequence[str] | None = None,
                 example_icons: Any = None, run_examples_on_click: bool = True,
                 cache_examples: bool | None = None, cache_mode: Any = None,
                 title: str | None = None, description: str | None = None, theme: Any = None,
                 flagging_mode: str | None = None, flagging_options: Any = None,
                 flagging_dir: Any = None, css: str | None = None, css_paths: Any = None,
                 js: Any = None, head: Any = None, head_paths: Any = None,
                 analytics_enabled: bool | None = None, autofocus: bool = True,
                 autoscroll: bool = True, submit_btn: bool | str | Button | None = True,
                 stop_btn: bool | str | Button | None = True,
                 concurrency_limit: int | None | Literal["default"] = "default",
                 delete_cache: Any = None, show_progress: Literal["full", "minimal", "hidden"] = "minimal",
                 fill_height: bool = True, fill_width: bool = False, api_name: str | None = "chat",
                 save_history: bool = False, examples_per_page: int = 10, **kw: Any) -> None:
        for name in _GRADIO4_ONLY:
            kw.pop(name, None)
        #: Gradio 6's validator=: checks a typed message (and the history) before fn sees it
        self._validator = kw.pop("validator", None)
        if kw:
            raise TypeError(f"ChatInterface got unexpected arguments: {', '.join(sorted(kw))}")
        if save_history:
            warnings.warn("ChatInterface(save_history=True): nbdemo does not keep past "
                          "conversations in the browser yet; only the current one is shown",
                          UserWarning, stacklevel=2)
        if flagging_mode not in (None, "never", "manual"):
            raise ValueError(f"ChatInterface: flagging_mode is 'never' or 'manual', got {flagging_mode!r}")
        if not callable(fn):
            raise TypeError(f"fn must be a callable, got {fn!r}")
        super().__init__(theme=theme, title=title or "nbdemo", css=css, fill_height=fill_height,
                         fill_width=fill_width, mode="chat_interface", delete_cache=delete_cache)
        self.fn = fn
        self.multimodal = multimodal
        self.is_generator = inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn)
        self.additional_inputs = [from_shortcut(c, render=False) for c in _listify(additional_inputs)]
        self.additional_outputs = [from_shortcut(c, render=False) for c in _listify(additional_outputs)]
        self.editable = editable
        self._cancelable: list[Dependency] = []
        self._starts: list[Dependency] = []
        self.examples_dataset: Dataset | None = None
        with self:
            if title:
                Markdown(f"# {title}", elem_classes=["nbd-title"])
            if description:
                Markdown(description, elem_classes=["nbd-description"])
            if chatbot is None:
                chatbot = Chatbot(type=type or "messages", label="Chatbot", autoscroll=autoscroll,
                                  placeholder=None, elem_classes=["nbd-chat-log-block"],
                                  editable="user" if editable else None)
            else:
                chatbot.render()
                if editable and chatbot.editable is None:
                    chatbot.editable = "user"
                if type is not None and chatbot.type != type:
                    # Gradio warns and follows the chatbot; so does nbdemo
                    type = chatbot.type
            self.chatbot = chatbot
            #: Gradio's output for setting the conversation (``radio.change(fill, radio,
            #: chat.chatbot_value)``); in nbdemo the Chatbot's value is the conversation
            self.chatbot_value = chatbot
            self.type = chatbot.type
            with Row(elem_classes=["nbd-chat-input"]):
                if textbox is None:
                    if multimodal:
                        textbox = MultimodalTextbox(label="Message", show_label=False, scale=7,
                                                    placeholder="Type a message or attach files…",
                                                    autofocus=autofocus, submit_btn=False)
                    else:
                        textbox = Textbox(label="Message", show_label=False, scale=7, lines=1,
                                          placeholder="Type a message…", autofocus=autofocus)
                else:
                    textbox.render()
                self.textbox = textbox
                self.submit_btn = _button(submit_btn, "Submit", "primary", visible=True)
                self.stop_btn = _button(stop_btn, "Stop", "stop", visible=False) if self.is_generator else None
            self.saved_input = State()
            if examples:
                self._examples(examples, example_labels, examples_per_page, run_examples_on_click,
                               cache_mode_of(cache_examples, cache_mode))
            if self.additional_inputs:
                self._render_additional(additional_inputs_accordion)
            self._wire_events(api_name, concurrency_limit, show_progress)
            if flagging_mode == "manual":
                self._flagging(flagging_options, flagging_dir)

    # -- layout -----------------------------------------------------------------------------
    def _render_additional(self, accordion: str | Accordion | None) -> None:
        todo = [c for c in self.additional_inputs if c.parent is None]
        if not todo:
            return
        if isinstance(accordion, Accordion):
            accordion.render()
            box = accordion
        else:
            box = Accordion(accordion or "Additional Inputs", open=False)
        with box:
            for c in todo:
                c.render()

    def _examples(self, examples: Sequence, labels, per_page: int, run: bool,
                  cache: str | None = None) -> None:
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in examples]
        width = max(len(r) for r in rows)
        if width > 1 + len(self.additional_inputs):
            raise ValueError(f"ChatInterface: an example row has {width} values; there are "
                             f"{1 + len(self.additional_inputs)} inputs (the message and "
                             "additional_inputs)")
        comps = [self.textbox, *self.additional_inputs[:width - 1]]
        rows = [r + [None] * (width - len(r)) for r in rows]
        ds = Dataset(components=comps, samples=rows, label="Examples", samples_per_page=per_page,
                     type="values", elem_classes=["nbd-chat-examples"])
        if labels is not None:
            labels = list(labels)
            ds.headers = [""]
            ds.samples = [[labels[i] if i < len(labels) else _example_text(r[0])] for i, r in enumerate(rows)]
        elif self.multimodal:
            ds.samples = [[_example_text(r[0]), *s[1:]] for r, s in zip(rows, ds.samples)]
        n = len(comps)
        self.examples_dataset = ds
        self.examples_cache = None
        if cache is not None:
            self._cached_examples(ds, rows, cache)
            self._example_fill = None
            return
        fill = ds.click(lambda row: row[0] if n == 1 else tuple(row), ds, comps,
                        show_progress="hidden", api_name=False, trigger_mode="always_last")
        self._example_fill = fill if run else None

    def _cached_examples(self, ds: Dataset, rows: list[list], mode: str) -> None:
        """``cache_examples``: a click shows the example's question and its cached
        reply (see :mod:`nbdemo.caching`) without calling ``fn``."""
        def reply(message, *extra):
            return self.fn(message, [], *extra)

        reply.__module__ = getattr(self.fn, "__module__", "")
        reply.__qualname__ = f"{getattr(self.fn, '__qualname__', 'fn')}.chat"
        extra = self.additional_inputs[:len(rows[0]) - 1]
        cache = ExampleCache(reply, rows, [self.chatbot], [self.textbox, *extra])
        self.examples_cache = cache

        def show(picked):
            i, row = picked
            user = _pairs_to_messages([[row[0], None]]) if not isinstance(row[0], dict) else \
                [{"role": "user", "content": row[0].get("text") or ""}]
            return user + reply_messages(cache.outputs_for(i)[0])

        ds.type = "tuple"
        ds.click(show, ds, [self.chatbot], api_name=False, trigger_mode="always_last")
        if mode == "eager":
            threading.Thread(target=_fill_quietly, args=(cache,), daemon=True,
                             name="nbdemo-cache-chat-examples").start()

    # -- events -----------------------------------------------------------------------------
    def _wire_events(self, api_name, concurrency_limit, show_progress) -> None:
        triggers = [self.textbox.submit]
        if self.submit_btn is not None:
            triggers.append(self.submit_btn.click)
        start = on(triggers, self._prepare, [self.textbox, self.chatbot], self._prepare_outputs(),
                   show_progress="hidden", api_name=False, validator=self._validator)
        self._chain(start, api_name, concurrency_limit, show_progress)
        fill = getattr(self, "_example_fill", None)
        if fill is not None:
            start2 = fill.then(self._prepare, [self.textbox, self.chatbot], self._prepare_outputs(),
                               show_progress="hidden", api_name=False)
            self._chain(start2, False, concurrency_limit, show_progress)
        if self.type == "messages":
            undo = self.chatbot.undo(self._undo, [self.chatbot], [self.chatbot, self.textbox],
                                     show_progress="hidden", api_name=False)
            retry = self.chatbot.retry(self._retry, [self.chatbot], self._prepare_outputs(),
                                       show_progress="hidden", api_name=False)
            self._chain(retry, False, concurrency_limit, show_progress)
            if self.editable:
                edit = self.chatbot.edit(self._edited, [self.chatbot], self._prepare_outputs(),
                                         show_progress="hidden", api_name=False)
                self._chain(edit, False, concurrency_limit, show_progress)
            self._cancelable.append(undo)
        # a new message stops a reply still streaming (its partial text stays)
        replies = [d for d in self._cancelable if d not in self._starts]
        for s in self._starts:
            s.extra["cancels"] = list(replies)
        buttons = self._buttons()
        if self.stop_btn is not None:
            self.stop_btn.click(self._idle, None, buttons, cancels=list(self._cancelable),
                                show_progress="hidden", api_name=False)
        self.chatbot.clear(self._idle if buttons else None, None, buttons,
                           cancels=list(self._cancelable), show_progress="hidden", api_name=False)

    def _api_endpoint(self, api_name, concurrency_limit) -> None:
        """The HTTP API's ``/chat`` (Gradio's): ``(message, *additional_inputs)``
        → the reply's text (streamed for a generator). Each API session keeps
        its own history (a State), so successive calls of one client continue
        the conversation. It has no trigger on the page."""
        from .components.state import State
        from .components.textbox import Textbox
        from .events import _register

        history = State([])
        reply_box = Textbox(label="Reply", render=False)
        fn = self._split_fn()

        def text(reply):
            reply = reply.reply if isinstance(reply, _Extra) else reply
            msgs = reply_messages(reply)
            parts = [m.get("content") for m in msgs if isinstance(m, dict)]
            return "\n".join(p if isinstance(p, str) else json.dumps(p, default=str) for p in parts)

        def turn(message, past, answer):
            user = message.get("text", "") if isinstance(message, dict) else message
            return past + [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]

        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            def chat(message, past, *extra):
                answer = ""
                gen = fn(message, list(past), *extra)
                if inspect.isasyncgen(gen):
                    raise TypeError("an async generator chat function has no /chat API endpoint yet")
                for reply in gen:
                    answer = text(reply)
                    yield answer, past
                yield answer, turn(message, past, answer)
        else:
            def chat(message, past, *extra):
                answer = text(fn(message, list(past), *extra))
                return answer, turn(message, past, answer)

        chat.__name__ = "chat"
        chat.__doc__ = self.fn.__doc__
        _register(self, [], chat, [self.textbox, history, *self.additional_inputs], [reply_box, history],
                  api_name=api_name, concurrency_limit=concurrency_limit, show_progress="hidden")

    def _chain(self, start: Dependency, api_name, concurrency_limit, show_progress) -> None:
        if api_name is not False and not getattr(self, "_api_done", False):
            self._api_done = True
            self._api_endpoint(api_name or "chat", concurrency_limit)
        respond = start.success(self._respond_fn(), [self.saved_input, *self.additional_inputs],
                                [self.chatbot, *self.additional_outputs], api_name=False,
                                show_progress=show_progress, concurrency_limit=concurrency_limit)
        buttons = self._buttons()
        if buttons:
            respond.then(self._idle, None, buttons, show_progress="hidden", api_name=False)
        self._starts.append(start)
        self._cancelable += [start, respond]

    def _buttons(self) -> list[Button]:
        if self.stop_btn is None:
            return []
        return [b for b in (self.submit_btn, self.stop_btn) if b is not None]

    def _prepare_outputs(self) -> list[Component]:
        return [self.saved_input, self.textbox, self.chatbot, *self._buttons()]

    def _streaming(self, on_: bool) -> tuple:
        """Button updates: Stop in Submit's place while a reply streams."""
        if self.stop_btn is None:
            return ()
        ups = []
        if self.submit_btn is not None:
            ups.append(update(visible=not on_))
        ups.append(update(visible=on_))
        return tuple(ups)

    def _idle(self):
        ups = self._streaming(False)
        return ups[0] if len(ups) == 1 else ups

    def _prepare(self, message: Any, history: list):
        """Show the user's message at once and keep it (with the history before it) for fn.
        An empty message changes nothing and the reply step does nothing."""
        nothing = (None, *([skip()] * (len(self._prepare_outputs()) - 1)))
        if self.multimodal:
            message = message if isinstance(message, dict) else {"text": str(message or ""), "files": []}
            if not message.get("text") and not message.get("files"):
                return nothing
            user = [{"role": "user", "content": {"path": p}} for p in message.get("files", [])]
            if message.get("text"):
                user.append({"role": "user", "content": message["text"]})
        else:
            message = "" if message is None else str(message)
            if not message.strip():
                return nothing
            user = [{"role": "user", "content": message}]
        shown = list(history or []) if self.type == "messages" else _pairs_to_messages(history)
        base = shown + user
        saved = {"message": message, "history": history or [], "base": base}
        return (saved, self.textbox.clear_value(), base, *self._streaming(True))

    def _undo(self, history: list, data: UndoData):
        """Undo: the conversation before the last question; the question back in the box."""
        if data.index is None or data.index < 0:
            return skip(), skip()
        text = data.value
        if self.multimodal:
            text = {"text": text if isinstance(text, str) else "", "files": []}
        return history[:data.index], text

    def _retry(self, history: list, data: RetryData):
        return self._again(history, data.index, data.value)

    def _edited(self, history: list, data: EditData):
        return self._again(history, data.index, data.value)

    def _again(self, history: list, index: int | None, message: Any):
        """Retry (or an edited question): answer the question at ``index``
        again, forgetting what came after it."""
        if index is None or index < 0 or not isinstance(message, str):
            return (None, *([skip()] * (len(self._prepare_outputs()) - 1)))
        before = list(history[:index])
        base = before + [{"role": "user", "content": message}]
        sent = {"text": message, "files": []} if self.multimodal else message
        saved = {"message": sent, "history": before, "base": base}
        return (saved, skip(), base, *self._streaming(True))

    def _flagging(self, options: Any, folder: Any) -> None:
        """Gradio's ChatInterface flagging: a like/dislike (or a ``flagging_options``
        label) saves the conversation, the message and the choice as a CSV row."""
        logger = CSVLogger(verbose=False)
        if options:
            self.chatbot.feedback_options = [str(o) for o in options]
        message = Textbox(label="message", render=False)
        logger.setup([self.chatbot, message], folder or ".gradio/flagged")
        self.flagging_callback = logger

        def flag(history: list, data: LikeData) -> None:
            logger.flag([history, str(data.value)], flag_option=str(data.liked))

        self.chatbot.like(flag, [self.chatbot], None, show_progress="hidden", api_name=False)

    def _respond_fn(self) -> Callable:
        fn = self._split_fn()

        def out(saved, reply):
            if isinstance(reply, _Extra):
                return (saved["base"] + reply_messages(reply.reply), *reply.values)
            return saved["base"] + reply_messages(reply)

        # ``saved`` is None after an empty message: then there is nothing to answer
        if inspect.isasyncgenfunction(fn):
            async def respond(saved, *extra):
                if saved is not None:
                    async for reply in fn(saved["message"], saved["history"], *extra):
                        yield out(saved, reply)
        elif inspect.isgeneratorfunction(fn):
            def respond(saved, *extra):
                if saved is not None:
                    for reply in fn(saved["message"], saved["history"], *extra):
                        yield out(saved, reply)
        elif inspect.iscoroutinefunction(fn):
            async def respond(saved, *extra):
                if saved is None:
                    return skip()
                return out(saved, await fn(saved["message"], saved["history"], *extra))
        else:
            def respond(saved, *extra):
                if saved is None:
                    return skip()
                return out(saved, fn(saved["message"], saved["history"], *extra))
        respond.__name__ = getattr(self.fn, "__name__", "respond")
        return respond

    def _split_fn(self) -> Callable:
        """``fn``, or with ``additional_outputs`` a wrapper whose replies are
        ``_Extra`` (reply, values for the additional outputs)."""
        fn, n = self.fn, len(self.additional_outputs)
        if not n:
            return fn

        def split(result):
            if not isinstance(result, (tuple, list)) or len(result) != n + 1:
                raise ValueError(f"ChatInterface: with {n} additional_outputs, fn returns "
                                 f"(reply, {', '.join(['value'] * n)})")
            return _Extra(result[0], tuple(result[1:]))

        if inspect.isasyncgenfunction(fn):
            async def wrapped(*a):
                async for r in fn(*a):
                    yield split(r)
        elif inspect.isgeneratorfunction(fn):
            def wrapped(*a):
                for r in fn(*a):
                    yield split(r)
        elif inspect.iscoroutinefunction(fn):
            async def wrapped(*a):
                return split(await fn(*a))
        else:
            def wrapped(*a):
                return split(fn(*a))
        return wrapped


def _fill_quietly(cache: ExampleCache) -> None:
    try:
        cache.fill()
    except Exception:  # noqa: BLE001 - a click computes the row again and shows the error
        log.exception("nbdemo: caching the chat examples failed; rows are computed when clicked")


class _Extra:
    """A reply with the values for ``additional_outputs``."""

    def __init__(self, reply: Any, values: tuple):
        self.reply, self.values = reply, values


def _button(spec: bool | str | Button | None, text: str, variant: str, visible: bool) -> Button | None:
    if spec is None or spec is False:
        return None
    if isinstance(spec, Button):
        spec.render()
        spec.visible = visible
        return spec
    label = text if spec is True else str(spec)
    return Button(label, variant=variant, scale=0, min_width=90, visible=visible, size="md")


def _pairs_to_messages(pairs: list | None) -> list[dict]:
    out: list[dict] = []
    for user, bot in pairs or []:
        for role, content in (("user", user), ("assistant", bot)):
            if content is None:
                continue
            if isinstance(content, tuple):
                content = {"path": content[0], "alt_text": content[1] if len(content) > 1 else None}
            out.append({"role": role, "content": content})
    return out


def _example_text(value: Any) -> str:
    if isinstance(value, dict):
        text = str(value.get("text") or "")
        n = len(value.get("files") or [])
        return f"{text} 📎{n}" if n else text
    return "" if value is None else str(value)


__all__ = ["ChatInterface"]
