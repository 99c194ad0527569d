import time

import nbdemo as gr


def slow(seconds: float, progress=gr.Progress()) -> str:
    steps = max(1, int(seconds * 10))
    for _ in progress.tqdm(range(steps), desc="Working"):
        time.sleep(seconds / steps)
    return f"Done after {seconds:g} s"


demo = gr.Interface(
    slow,
    gr.Slider(0, 10, value=5, step=0.5, label="seconds"),
    gr.Textbox(label="result"),
    title="A slow function",
    description="Runs off the kernel's shell thread: other cells keep running meanwhile. "
                "`gr.Progress` shows how far it got and the elapsed time.",
)

if __name__ == "__main__":
    demo.launch()
