import nbdemo as gr


def shout(text: str) -> str:
    return text.upper()


def describe(size: int, color: str, extras: list[str]) -> dict:
    return {"size": size, "color": color, "extras": extras}


with gr.Blocks(title="Blocks layout") as demo:
    gr.Markdown("## Blocks layout\nRows, columns and tabs, each with its own events.")
    with gr.Tabs():
        with gr.Tab("Shout"):
            with gr.Row():
                with gr.Column(scale=2):
                    text = gr.Textbox(label="Text", placeholder="Type and press Enter")
                    shout_btn = gr.Button("Shout", variant="primary")
                with gr.Column(scale=1):
                    loud = gr.Textbox(label="Loud")
            shout_btn.click(shout, text, loud)
            text.submit(shout, text, loud)
        with gr.Tab("Order"):
            with gr.Row():
                size = gr.Slider(1, 10, value=3, step=1, label="Size")
                color = gr.Dropdown(["red", "green", "blue"], value="green", label="Color")
            extras = gr.CheckboxGroup(["cheese", "sauce", "herbs"], label="Extras")
            with gr.Accordion("Summary", open=True):
                summary = gr.JSON(label="Order")
            gr.on([size.change, color.change, extras.change], describe, [size, color, extras], summary)

if __name__ == "__main__":
    demo.launch()
