"""gr.I18n in Gradio's style (tests/test_compat_i18n_browser.py): labels, a value,
choices and a function's output in the visitor's language."""

from __future__ import annotations

import nbdemo as gr

i18n = gr.I18n(
    en={"title": "Welcome", "name": "Your name", "default": "Ada", "go": "Greet", "out": "Greeting",
        "hi": "Hello", "formal": "Formal", "casual": "Casual", "style": "Style"},
    fr={"title": "Bienvenue", "name": "Votre nom", "default": "Adèle", "go": "Saluer", "out": "Salutation",
        "hi": "Bonjour", "formal": "Soutenu", "casual": "Familier", "style": "Ton"},
)


def build() -> gr.Blocks:
    with gr.Blocks(title="I18n") as demo:
        gr.Markdown(i18n("title"))
        name = gr.Textbox(i18n("default"), label=i18n("name"))
        style = gr.Radio([(i18n("formal"), "formal"), (i18n("casual"), "casual")], value="formal",
                         label=i18n("style"))
        out = gr.Textbox(label=i18n("out"))
        gr.Button(i18n("go")).click(lambda n, s: f"{n} ({s})", [name, style], out)
        gr.Button("Reset").click(lambda: i18n("hi"), None, out)
    return demo


if __name__ == "__main__":
    build().launch(i18n=i18n)
