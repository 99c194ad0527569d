"""A chat in Gradio's style with like, retry, undo, edit and copy
(tests/test_compat_chat.py). The bot answers "<n>: <MESSAGE>" where n counts
its answers, so a retry visibly produces a new answer."""

from __future__ import annotations

import itertools
from pathlib import Path

import nbdemo as gr

_answers = itertools.count(1)


def answer(message: str, history: list) -> list:
    return history + [{"role": "user", "content": message},
                      {"role": "assistant", "content": f"{next(_answers)}: {message.upper()}"}]


def build() -> gr.Blocks:
    with gr.Blocks(title="Chat") as demo:
        bot_png = Path(__file__).parent / "bot.png"
        chatbot = gr.Chatbot(label="Bot", editable="user", buttons=["copy_all"],
                             avatar_images=(None, bot_png),
                             examples=[{"text": "hello", "display_text": "Say hello"},
                                       {"text": "a picture", "files": [bot_png], "icon": bot_png}])
        prompt = gr.Textbox(label="Message")
        feedback = gr.Textbox(label="Feedback")
        gr.Chatbot([{"role": "assistant", "content": r"Area $$\pi r^2$$ for radius $r_1$, cost $5"}],
                   label="Formulas", latex_delimiters=[{"left": "$$", "right": "$$", "display": True},
                                                       {"left": "$", "right": "$", "display": False}])

        prompt.submit(answer, [prompt, chatbot], chatbot).then(lambda: "", None, prompt)

        @chatbot.example_select(inputs=chatbot, outputs=chatbot)
        def example(history: list, evt: gr.SelectData):
            files = [{"role": "user", "content": f} for f in evt.value["files"]]
            return answer(evt.value["text"], history + files)

        @chatbot.like(outputs=feedback)
        def liked(data: gr.LikeData):
            return f"{'up' if data.liked else 'down'} {data.index}: {data.value}"

        @chatbot.retry(inputs=chatbot, outputs=chatbot)
        def again(history: list, data: gr.RetryData):
            return answer(data.value, history[:data.index])

        @chatbot.undo(inputs=chatbot, outputs=[chatbot, prompt])
        def take_back(history: list, data: gr.UndoData):
            return history[:data.index], data.value

        @chatbot.edit(outputs=feedback)
        def edited(data: gr.EditData):
            return f"edit {data.index}: {data.previous_value} -> {data.value}"
    return demo


demo = build()

if __name__ == "__main__":
    demo.launch()
