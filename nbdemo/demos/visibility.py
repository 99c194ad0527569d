import nbdemo as gr


def toggle(show: bool):
    return gr.update(visible=show), gr.update(interactive=show, label="Extra (editable)" if show else "Extra (read-only)")


def choose(kind: str):
    if kind == "short":
        return gr.update(lines=1, visible=True, placeholder="A few words")
    if kind == "long":
        return gr.update(lines=6, visible=True, placeholder="Tell us more")
    return gr.update(visible=False)


with gr.Blocks(title="Show and hide with update()") as demo:
    gr.Markdown("## update()\nFunctions return `gr.update(...)` to change any property, not only the value.")
    show = gr.Checkbox(label="Show details", value=True)
    details = gr.Textbox(label="Details", value="Visible while the box is checked")
    extra = gr.Textbox(label="Extra")
    show.change(toggle, show, [details, extra])
    kind = gr.Radio(["short", "long", "none"], value="short", label="Answer length")
    answer = gr.Textbox(label="Answer", placeholder="A few words")
    kind.change(choose, kind, answer)

if __name__ == "__main__":
    demo.launch()
