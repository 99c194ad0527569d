"""``gr.load``: a demo made by a function, or (in Gradio) from Hugging Face.

nbdemo makes no requests to other hosts (DESIGN, principle 7), so the part of
Gradio's ``gr.load`` that downloads a model's or Space's description from the
Hugging Face Hub is refused, loudly, at the moment Gradio would first reach
the network: at once for ``gr.load("org/model")``; when the visitor submits a
token for ``accept_token=True`` (Gradio builds that form offline and loads
the model only then, so nbdemo builds the same form and shows the refusal as
the error of that submit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_HUB = ("models", "spaces", "huggingface")


def _refusal(name: str, src: str) -> str:
    what = "Space" if src == "spaces" else "model"
    return (f"gr.load({name!r}): nbdemo makes no requests to other hosts, so it cannot load the "
            f"Hugging Face {what} {name!r}; build the demo from a local function instead "
            f"(or run it with Gradio)")


def load(name: str, src: Callable[..., Any] | str | None = None, token: str | None = None,
         accept_token: bool | Any = False, provider: str | None = None, **kwargs: Any):
    """Gradio's ``gr.load(name, src=None, token=None, accept_token=False, provider=None, **kwargs)``.

    ``src`` a function: returns ``src(name, token, **kwargs)`` (a demo built
    by your code), as Gradio does. ``src`` "models", "spaces" or
    "huggingface" (or ``name`` prefixed "models/"/"spaces/"): nbdemo does not
    contact the Hugging Face Hub and raises ``NotImplementedError`` saying so;
    with ``accept_token=True`` it returns Gradio's token form, whose submit
    shows that refusal as an error (where Gradio, offline, fails too).
    ``accept_token=gr.LoginButton(...)`` (Hugging Face OAuth) and
    ``provider`` (third-party inference providers) raise ``NotImplementedError``
    too. Raises ``ValueError`` for another ``src``.
    """
    if src is None:
        prefix, _, rest = name.partition("/")
        if prefix in _HUB and rest:
            src, name = prefix, rest
        else:
            src = "models"  # Gradio's default when the name has no prefix
    if callable(src):
        return src(name, token, **kwargs)
    if src not in _HUB:
        raise ValueError(f"gr.load: src must be 'models', 'spaces', 'huggingface' or a function "
                         f"(name, token) -> demo, got {src!r}")
    if provider is not None:
        raise NotImplementedError(f"gr.load(provider={provider!r}): nbdemo makes no requests to "
                                  "other hosts, so it does not call inference providers")
    if accept_token is True:
        return _token_form(name, src)
    if accept_token:
        raise NotImplementedError("gr.load(accept_token=gr.LoginButton(...)): nbdemo has no "
                                  "Hugging Face login; " + _refusal(name, src))
    raise NotImplementedError(_refusal(name, src))


def _token_form(name: str, src: str):
    """Gradio's form for ``accept_token=True``: a password box; its submit is
    where the model would load, so that is where nbdemo's refusal shows."""
    from .blocks import Blocks
    from .components import Markdown, Textbox
    from .errors import Error
    from .layout import Accordion

    def refuse(token: str) -> None:
        raise Error(_refusal(name, src), title="Cannot load")

    with Blocks(fill_height=True, title=name) as demo:
        with Accordion("Enter your token and press enter"):
            box = Textbox(type="password", show_label=False, label="Hugging Face token")
        Markdown(f"`{name}` ({src}) loads when a token is submitted.")
        box.submit(refuse, box, None, api_name=False)
    return demo
