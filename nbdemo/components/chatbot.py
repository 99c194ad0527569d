"""Chatbot: a conversation shown as messages (Markdown, images, audio, video, files).

The wire value is a list of message dicts::

    {"role": "user" | "assistant" | "system",
     "content": str                                  # Markdown
              | {"file": FileData, "alt_text": str | None},
     "metadata": {"title": str, "status": "pending" | "done", ...}}  # optional

A file travels as a FileData (see :mod:`nbdemo.files`): the page shows it
from the session's files by id, never from a path the page names.
"""

from __future__ import annotations

import os
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener, _outside
from .base import Component

ROLES = ("user", "assistant", "system")
#: metadata keys kept on the wire (Gradio's MetadataDict), with their types
_METADATA = {"title": str, "status": str, "id": (str, int), "parent_id": (str, int),
             "log": str, "duration": (int, float)}


@dataclass
class ChatMessage:
    """One message, as Gradio's ``gr.ChatMessage``: ``role``, ``content``
    (Markdown ``str``, a file as ``(path,)`` / ``{"path": ...}``, or an
    ``Image``/``Audio``/``Video``/``File`` component) and optional
    ``metadata`` (``{"title": "Using a tool", "status": "pending"|"done"}``
    shows the message as a collapsible "thought")."""

    content: Any
    role: Literal["user", "assistant", "system"] = "assistant"
    metadata: dict = field(default_factory=dict)
    options: list = field(default_factory=list)


class MessageDict(TypedDict, total=False):
    """A message as a dict (Gradio's ``gradio.components.chatbot.MessageDict``,
    for type hints): ``role`` and ``content`` always, ``metadata`` and
    ``options`` optional; see :class:`ChatMessage` for what each holds."""

    content: Any
    role: Literal["user", "assistant", "system"]
    metadata: dict
    options: list


#: Gradio's class for one message (``gradio.components.chatbot.Message``, for
#: type hints such as ``list[MessageDict | Message]``). Gradio's is its wire
#: model (content as a list of typed parts); nbdemo has one message class,
#: :class:`ChatMessage`, which a Chatbot takes wherever it takes a dict.
Message = ChatMessage


# -- files in messages -----------------------------------------------------------------------

#: per file store: (path, size, mtime) → FileData, so a history re-sent on
#: every streamed token does not copy its files again
_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _file_data(path: str | os.PathLike, label: str) -> dict:
    """The FileData of an app's file, stored once per session store."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise Error(f"{label}: no such file: {path}") from None
    if not p.is_file():
        raise Error(f"{label}: not a file: {path}")
    store = files.current()
    key = (os.path.realpath(p), st.st_size, st.st_mtime_ns)
    cache = _known.setdefault(store, {})
    fd = cache.get(key)
    if fd is not None and files.lookup(fd["id"]) is not None:
        return fd
    fd = _stored(key[0], (store, files.app_store())) or store.add_path(p)
    cache[key] = fd
    return fd


def _stored(real: str, stores) -> dict | None:
    """The FileData of a file already in one of ``stores`` (a history that came
    back to ``fn`` through preprocess names files of the session by path)."""
    for store in stores:
        if store._dir is None or not real.startswith(os.path.realpath(store._dir)):
            continue
        for file_id, entry in list(store.entries.items()):
            if os.path.realpath(entry.path) == real:
                return entry.file_data(file_id)
    return None


def _component_value(comp: Component) -> Any:
    """The wire value of a component placed in a message (its value, then its comm closed)."""
    value = comp.value
    comp.close()  # only its value is shown; it needs no widget of its own
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _content(value: Any, label: str) -> str | dict:
    """What a function put as a message's content → wire content."""
    if isinstance(value, str):
        return value  # always Markdown: a str naming a file is never opened
    if isinstance(value, Component):
        value = _component_value(value)
    if isinstance(value, tuple):
        # Gradio's (path,) or (path, alt_text)
        if not value or len(value) > 2:
            raise Error(f"{label}: a file in a message is (path,) or (path, alt_text), got {value!r:.80}")
        alt = value[1] if len(value) == 2 else None
        return {"file": _file_data(value[0], label), "alt_text": alt}
    if isinstance(value, os.PathLike):
        return {"file": _file_data(value, label), "alt_text": None}
    if isinstance(value, dict):
        if files.is_file_data(value):
            return {"file": _check_known(value, label), "alt_text": None}
        if "file" in value and files.is_file_data(value["file"]):
            return {"file": _check_known(value["file"], label), "alt_text": value.get("alt_text")}
        if "path" in value:
            if not isinstance(value["path"], (str, os.PathLike)):
                raise Error(f"{label}: that file is gone (expired or removed)")
            return {"file": _file_data(value["path"], label), "alt_text": value.get("alt_text")}
        raise Error(f"{label}: a dict in a message must be a file ({{'path': ...}}), got keys {list(value)}")
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    raise Error(f"{label}: cannot show a {type(value).__name__} in a message; "
                "give a str (Markdown), a (path,) tuple, {'path': ...} or an Image/Audio/Video/File")


def _check_known(fd: dict, label: str) -> dict:
    out = {k: fd[k] for k in ("_file", "id", "orig_name", "mime_type", "size") if k in fd}
    if files.lookup(fd["id"]) is None:
        raise Error(f"{label}: that file is not part of this session")
    return out


def _metadata(meta: Any) -> dict:
    if not meta:
        return {}
    if not isinstance(meta, dict):
        raise Error(f"Chatbot: metadata must be a dict, got {type(meta).__name__}")
    return {k: v for k, v in meta.items() if k in _METADATA and isinstance(v, _METADATA[k])
            and not isinstance(v, bool)}


def _message(role: Any, content: Any, metadata: Any, label: str) -> dict:
    if role not in ROLES:
        raise Error(f"{label}: a message's role is 'user', 'assistant' or 'system', got {role!r:.40}")
    msg = {"role": role, "content": _content(content, label)}
    meta = _metadata(metadata)
    if meta:
        msg["metadata"] = meta
    return msg


def to_messages(value: Any, label: str = "Chatbot") -> list[dict]:
    """Messages (dicts or ChatMessage) and/or (user, bot) pairs → wire messages."""
    if value is None:
        return []
    if isinstance(value, (dict, ChatMessage)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise Error(f"{label}: expected a list of messages, got {type(value).__name__}")
    out: list[dict] = []
    for item in value:
        if isinstance(item, ChatMessage):
            out.append(_message(item.role, item.content, item.metadata, label))
        elif isinstance(item, dict):
            if "role" not in item or "content" not in item:
                raise Error(f"{label}: a message dict needs 'role' and 'content', got keys {list(item)}")
            out.append(_message(item["role"], item["content"], item.get("metadata"), label))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            user, bot = item
            if user is not None:
                out.append(_message("user", user, None, label))
            if bot is not None:
                out.append(_message("assistant", bot, None, label))
        else:
            raise Error(f"{label}: each item is a message dict or a (user, bot) pair, got {item!r:.80}")
    return out


def _fn_content(content: Any) -> Any:
    """Wire content → what ``fn`` receives: the Markdown str, or {"path", ...} for a file."""
    if isinstance(content, dict) and files.is_file_data(content.get("file")):
        fd = content["file"]
        try:
            path = str(files.resolve(fd))
        except ValueError:
            path = None
        return {"path": path, "orig_name": fd.get("orig_name"), "mime_type": fd.get("mime_type"),
                "alt_text": content.get("alt_text")}
    return content


class Chatbot(Component):
    """A conversation: user and assistant messages, Markdown and media.

    Value (what ``fn`` returns, or ``value=``), by ``type``:

    - "messages" (default): a list of ``{"role": "user"|"assistant"|"system",
      "content": ..., "metadata": {...}}`` dicts or :class:`ChatMessage`.
    - "tuples": a list of ``(user, bot)`` pairs, either side ``None``.

    Both forms are accepted whatever ``type`` says (Gradio raises for the
    other form; nbdemo converts it, see DESIGN principle 4). ``content`` is a
    Markdown ``str`` (rendered with marked and sanitized with DOMPurify unless
    ``sanitize_html=False``), or a file: ``(path,)`` / ``(path, alt_text)``,
    a ``pathlib.Path``, ``{"path": str, "alt_text": str}``, or an
    ``Image``/``Audio``/``Video``/``File`` component whose value is shown
    (images, audio and video play inline; other files are download links).
    A plain ``str`` is always Markdown, never opened as a path, so a chat
    that echoes user text cannot be made to serve a file of the server.
    ``metadata={"title": ...}`` shows the message as a collapsible "thought"
    (open while ``"status": "pending"``).

    As an input ``fn`` receives a list in ``type``'s form: message dicts whose
    file contents are ``{"path": str, "orig_name": str, "mime_type": str,
    "alt_text": str | None}``, or pairs whose files are ``(path,)`` tuples.

    ``height`` (px or CSS size, default 400), ``placeholder`` (Markdown shown
    while empty), ``show_copy_button`` (a copy button on each message),
    ``render_markdown``, ``line_breaks`` (single newlines break lines; default
    True as in Gradio), ``rtl``, ``layout`` ("bubble" or "panel"; the prop is
    named ``chat_layout``, since ``layout`` is the component's layout method),
    ``autoscroll`` (follow new messages while scrolled to the bottom).
    ``avatar_images``: ``(user, assistant)`` image paths (either None), shown
    beside the messages; a URL is not fetched (nbdemo makes no requests to
    other hosts) and warns. ``latex_delimiters``: the pairs that mark LaTeX,
    ``[{"left": "$", "right": "$", "display": False}, ...]`` (default
    Gradio's: ``$$ … $$`` as a displayed formula; ``[]`` for none); formulas
    are drawn as MathML by KaTeX, loaded by the page only for a message that
    has one.
    ``editable``: "user" or "all" adds an Edit button to those messages
    (``edit`` event). ``feedback_options``: the labels of the ``like``
    buttons (default "Like", "Dislike": thumbs up and down; others show as
    text buttons and arrive as ``LikeData.liked``); ``feedback_value``: per
    message, the option shown as chosen. ``buttons``: Gradio 6's ["copy",
    "copy_all"]. ``examples``: messages offered while the chat is empty, each
    ``{"text": str, "display_text": str, "files": [path], "icon": path}``
    (all optional); a click fires ``example_select`` with the example as
    ``SelectData.value`` (its files as file dicts a message can show).
    Errors: a role other than user/assistant/system, a missing file or an
    unshowable content raise :class:`~nbdemo.Error` naming the problem.
    Events: change, select (``SelectData.index`` is the message index,
    ``.value`` its content), clear (the clear button, shown when editable),
    like (:class:`~nbdemo.LikeData`), retry and undo (buttons under the last
    response, shown when a listener is set; :class:`~nbdemo.RetryData`,
    :class:`~nbdemo.UndoData`: the index and content of the last user
    message), edit (:class:`~nbdemo.EditData`; the page also sends the edited
    conversation as the value) and copy (:class:`~nbdemo.CopyData`).
    """

    _kind = t.Unicode("chatbot").tag(sync=True)
    CLEAR_VALUE: list = []
    value = t.List().tag(sync=True)
    type = t.Enum(["messages", "tuples"], "messages").tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=400, allow_none=True).tag(sync=True)
    max_height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)
    show_copy_button = t.Bool(False).tag(sync=True)
    sanitize_html = t.Bool(True).tag(sync=True)
    render_markdown = t.Bool(True).tag(sync=True)
    line_breaks = t.Bool(True).tag(sync=True)
    rtl = t.Bool(False).tag(sync=True)
    #: Gradio's ``layout`` argument (``layout`` itself names the layout-tree method)
    chat_layout = t.Enum(["bubble", "panel"], "bubble").tag(sync=True)
    autoscroll = t.Bool(True).tag(sync=True)

    change = EventListener("change", "Fires when the conversation changes.")
    select = EventListener("select", "Fires when the user clicks a message; SelectData.index is its index.")
    clear = EventListener("clear", "Fires when the user clears the conversation.")
    like = EventListener("like", "Fires when the user likes or dislikes a response (gr.LikeData); "
                                 "the thumbs show when a listener is set.")
    retry = EventListener("retry", "Fires on the Retry button under the last response (gr.RetryData).")
    undo = EventListener("undo", "Fires on the Undo button under the last response (gr.UndoData).")
    edit = EventListener("edit", "Fires when the user edits a message (gr.EditData); needs editable=.")
    copy = EventListener("copy", "Fires when the user copies a message (gr.CopyData).")
    example_select = EventListener("example_select", "Fires when the user clicks one of the "
                                   "examples (shown while the chat is empty); SelectData.value is it.")
    #: example messages shown while the chat is empty: {text, display_text, files, icon}
    examples = t.List(t.Dict(), allow_none=True).tag(sync=True)
    #: None, "user" (the user's messages can be edited) or "all"
    editable = t.Enum(["user", "all"], None, allow_none=True).tag(sync=True)
    feedback_options = t.List(t.Unicode(), ["Like", "Dislike"]).tag(sync=True)
    #: per message, the feedback shown as chosen (None: none)
    feedback_value = t.List(None, allow_none=True).tag(sync=True)
    show_copy_all_button = t.Bool(False).tag(sync=True)
    #: [{"left": "$$", "right": "$$", "display": True}, ...]: what marks LaTeX in messages
    latex_delimiters = t.List(t.Dict()).tag(sync=True)
    #: [user, assistant] avatar images as FileData (or None), from ``avatar_images``
    avatars = t.List([None, None]).tag(sync=True)

    def __init__(self, value: Any = None, *, type: Literal["messages", "tuples"] = "messages",
                 height: int | str | None = 400, max_height: int | str | None = None,
                 placeholder: str | None = None, show_copy_button: bool = False,
                 sanitize_html: bool = True, render_markdown: bool = True,
                 line_breaks: bool = True, rtl: bool = False,
                 layout: Literal["bubble", "panel"] | None = None, autoscroll: bool = True,
                 avatar_images: Any = None, latex_delimiters: Any = None,
                 editable: Literal["user", "all"] | None = None,
                 feedback_options: list[str] | tuple[str, ...] | None = ("Like", "Dislike"),
                 feedback_value: list | None = None, buttons: list[str] | None = None,
                 show_copy_all_button: bool = False, examples: list[dict] | None = None,
                 **kw: Any) -> None:
        kw.setdefault("label", "Chatbot")
        for b in buttons or []:  # Gradio 6
            if b == "copy":
                show_copy_button = True
            elif b == "copy_all":
                show_copy_all_button = True
            else:
                warnings.warn(f"Chatbot(buttons=[{b!r}]): nbdemo shows 'copy' and 'copy_all' only",
                              UserWarning, stacklevel=2)
        if editable not in (None, "user", "all"):
            raise ValueError(f"Chatbot: editable is None, 'user' or 'all', got {editable!r}")
        self.avatar_images = avatar_images
        kw["avatars"] = _avatars(avatar_images)
        kw["examples"] = [_example(e) for e in examples or []]
        if latex_delimiters is None:
            latex_delimiters = [{"left": "$$", "right": "$$", "display": True}]
        kw["latex_delimiters"] = [_delimiter(d) for d in latex_delimiters]
        super().__init__(value, type=type, height=height, max_height=max_height,
                         placeholder=placeholder, show_copy_button=show_copy_button,
                         sanitize_html=sanitize_html, render_markdown=render_markdown,
                         line_breaks=line_breaks, rtl=rtl, chat_layout=layout or "bubble",
                         autoscroll=autoscroll, editable=editable,
                         feedback_options=list(feedback_options or ()),
                         feedback_value=feedback_value, show_copy_all_button=show_copy_all_button,
                         **kw)

    # -- values ---------------------------------------------------------------------------
    def postprocess(self, value: Any) -> list[dict]:
        return to_messages(value, self.label or "Chatbot")

    def preprocess(self, payload: Any) -> list:
        messages = [self._fn_message(m) for m in (payload or [])]
        if self.type == "tuples":
            return _as_pairs(messages)
        return messages

    @staticmethod
    def _fn_message(m: dict) -> dict:
        out = {"role": m["role"], "content": _fn_content(m["content"])}
        if m.get("metadata"):
            out["metadata"] = dict(m["metadata"])
        return out

    def clear_value(self) -> list:
        return []

    def validate_wire(self, payload: Any) -> list[dict]:
        """A conversation sent by the page: message dicts with Markdown strings or
        files of this session only (never a path). Raises ``ValueError``."""
        what = f"Chatbot (id {self._id})"
        if payload is None:
            return []
        if not isinstance(payload, list) or len(payload) > 100_000:
            raise ValueError(f"{what}: expected a list of messages, got {str(payload)[:80]!r}")
        out = []
        for m in payload:
            if not isinstance(m, dict) or m.get("role") not in ROLES:
                raise ValueError(f"{what}: each message is {{'role': 'user'|'assistant'|'system', "
                                 f"'content': ...}}, got {str(m)[:80]!r}")
            content = m.get("content")
            if isinstance(content, dict):
                fd = files.check_file_data(content.get("file"), what)
                alt = content.get("alt_text")
                content = {"file": fd, "alt_text": alt if isinstance(alt, str) else None}
            elif not isinstance(content, str):
                raise ValueError(f"{what}: a message's content is a str or a file, got {str(content)[:80]!r}")
            msg = {"role": m["role"], "content": content}
            meta = m.get("metadata")
            if isinstance(meta, dict):
                meta = {k: v for k, v in meta.items() if k in _METADATA
                        and isinstance(v, _METADATA[k]) and not isinstance(v, bool)}
                if meta:
                    msg["metadata"] = meta
            out.append(msg)
        return out

    def example_value(self) -> Any:
        return [{"role": "user", "content": "Hello!"}, {"role": "assistant", "content": "Hi there!"}]


def _delimiter(d: Any) -> dict:
    if not (isinstance(d, dict) and isinstance(d.get("left"), str) and d["left"]
            and isinstance(d.get("right"), str) and d["right"]):
        raise ValueError(f"Chatbot: a latex delimiter is {{'left': str, 'right': str, "
                         f"'display': bool}}, got {d!r}")
    return {"left": d["left"], "right": d["right"], "display": bool(d.get("display", False))}


def _example(example: Any) -> dict:
    """An example message → its wire form (files as FileData of the app)."""
    if isinstance(example, str):
        example = {"text": example}
    if not isinstance(example, dict):
        raise ValueError(f"Chatbot: an example is a dict {{'text', 'display_text', 'files', 'icon'}}, "
                         f"got {example!r}")
    unknown = set(example) - {"text", "display_text", "files", "icon"}
    if unknown:
        raise ValueError(f"Chatbot: unknown example keys {sorted(unknown)}")
    paths = example.get("files") or []
    stored = [_example_file(p, "file") for p in paths]
    return {"text": example.get("text"), "display_text": example.get("display_text"),
            "files": [fd for fd in stored if fd is not None],
            "icon": _example_file(example["icon"], "icon") if example.get("icon") else None}


def _example_file(path: Any, what: str) -> dict | None:
    """An example's file as a FileData of the app; a missing file (or a URL:
    nbdemo makes no requests to other hosts) warns, naming it, and is left
    out (Gradio builds such an example too, with a broken link)."""
    if files.is_remote_url(path) or not Path(path).is_file():
        why = "is on another host (nbdemo makes no requests to other hosts)" \
            if files.is_remote_url(path) else "does not exist"
        warnings.warn(f"Chatbot: example {what} {path} {why}; left out", UserWarning,
                      stacklevel=_outside())
        return None
    return files.app_store().add_path(path)


def _avatars(images: Any) -> list:
    """``avatar_images`` → two FileData of the app's files (or None)."""
    if images is None:
        return [None, None]
    if not isinstance(images, (list, tuple)) or len(images) != 2:
        raise ValueError(f"Chatbot: avatar_images is a (user, assistant) pair, got {images!r}")
    out = []
    for image in images:
        if image is None:
            out.append(None)
        elif isinstance(image, str) and image.startswith(("http://", "https://")):
            warnings.warn(f"Chatbot: avatar image {image} is not shown: nbdemo makes no requests "
                          "to other hosts; give a local file", UserWarning, stacklevel=4)
            out.append(None)
        else:
            out.append(files.app_store().add_path(image))
    return out


def _as_pairs(messages: list[dict]) -> list[list]:
    """Messages → Gradio's (user, bot) pairs; files become ``(path,)`` tuples and
    system messages, having no place in a pair, are left out."""
    pairs: list[list] = []
    for m in messages:
        content = m["content"]
        if isinstance(content, dict):
            content = (content["path"],) if content.get("alt_text") is None else (content["path"], content["alt_text"])
        if m["role"] == "user":
            pairs.append([content, None])
        elif m["role"] == "assistant":
            if pairs and pairs[-1][1] is None and pairs[-1][0] is not None:
                pairs[-1][1] = content
            else:
                pairs.append([None, content])
    return pairs
