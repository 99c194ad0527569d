import nbdemo as gr


def greet(name: str) -> str:
    return f"Hello, {name}!"


demo = gr.Interface(greet, "text", "text", title="Hello, world")

if __name__ == "__main__":
    demo.launch()
