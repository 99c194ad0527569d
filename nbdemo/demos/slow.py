import time

import nbdemo as gr


def slow(seconds: float) -> str:
    time.sleep(seconds)
    return f"Done after {seconds:g} s"


demo = gr.Interface(
    slow,
    gr.Slider(0, 10, value=5, step=0.5, label="seconds"),
    gr.Textbox(label="result"),
    title="A slow function",
    description="Runs off the kernel's shell thread: other cells keep running meanwhile.",
)

if __name__ == "__main__":
    demo.launch()
