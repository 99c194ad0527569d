import nbdemo as gr


def calculator(a: float, operation: str, b: float) -> float:
    if operation == "add":
        return a + b
    if operation == "subtract":
        return a - b
    if operation == "multiply":
        return a * b
    if b == 0:
        raise gr.Error("Cannot divide by zero!")
    return a / b


demo = gr.Interface(
    calculator,
    [gr.Number(label="a"), gr.Radio(["add", "subtract", "multiply", "divide"], value="add", label="operation"), gr.Number(label="b")],
    gr.Number(label="result"),
    examples=[[45, "add", 3], [3.14, "divide", 2], [144, "multiply", 2.5], [0, "subtract", 1.2]],
    title="Calculator",
    description="Pick an operation; dividing by zero shows an error.",
)

if __name__ == "__main__":
    demo.launch()
