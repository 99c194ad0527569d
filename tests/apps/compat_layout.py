"""Layout in Gradio's style (tests/test_compat.py): Tab.select, Tabs.change
and Accordion expand/collapse, and functions that update layout blocks
(a Column's visibility, the open tab, an accordion's state)."""

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

        with gr.Column(visible=False) as extra:
            gr.Markdown("Extra settings")
        show = gr.Checkbox(label="Show extra")
        show.change(lambda on: gr.Column(visible=on), show, extra)
        to_sent = gr.Button("Go to Sent")
        # functions update layout blocks too: the open tab and the accordion
        to_sent.click(lambda: (gr.Tabs(selected=1), gr.update(open=True)), None, [tabs, details])
    return demo


if __name__ == "__main__":
    build().launch()
