import nbdemo as gr


def increment(count: int, history: list):
    count += 1
    history = history + [count]
    return count, history, f"Clicked {count} time(s) in this session"


with gr.Blocks(title="Per-session counter (State)") as demo:
    gr.Markdown("## State\nEach browser session has its own count.")
    count = gr.State(0)
    history = gr.State(list)  # a callable: a fresh list per session
    btn = gr.Button("Increment", variant="primary")
    out = gr.Textbox(label="Count", value="Not clicked yet")
    btn.click(increment, [count, history], [count, history, out])

if __name__ == "__main__":
    demo.launch()
