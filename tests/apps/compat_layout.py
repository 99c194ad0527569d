"""Layout events in Gradio's style (tests/test_compat.py): Tab.select,
Tabs.change and Accordion expand/collapse, plus a Walkthrough."""

from __future__ import annotations

import nbdemo as gr


def build() -> gr.Blocks:
    with gr.Blocks(title="Layout events") as demo:
        log = gr.Textbox(label="Log")
        with gr.Tabs() as tabs:
            with gr.Tab("Inbox") as inbox:
                gr.Markdown("Nothing new")
            with gr.Tab("Sent") as sent:
                gr.Markdown("Two messages")
        with gr.Accordion("Details", open=False) as details:
            gr.Markdown("More")
        changes = gr.State(0)
        count = gr.Number(label="Tab changes")

        @inbox.select(inputs=log, outputs=log)
        @sent.select(inputs=log, outputs=log)
        def picked(text: str, evt: gr.SelectData):
            return f"{text} {evt.index}:{evt.value}".strip()

        @tabs.change(inputs=changes, outputs=[changes, count])
        def changed(n: int):
            return n + 1, n + 1

        details.expand(lambda text: f"{text} open".strip(), log, log)
        details.collapse(lambda text: f"{text} closed".strip(), log, log)
    return demo


if __name__ == "__main__":
    build().launch()
