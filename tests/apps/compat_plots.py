"""A dashboard in Gradio's style: native plots of a DataFrame, a DateTime range,
brush-select to zoom and double-click to reset (tests/test_plots.py).

Written for nbdemo's tests (not copied from Gradio's demos): temperatures of
three cities, one reading an hour for two days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import nbdemo as gr

START = pd.Timestamp("2024-03-01 00:00:00")


def readings() -> pd.DataFrame:
    hours = pd.date_range(START, periods=48, freq="h")
    rng = np.random.default_rng(7)
    frames = []
    for i, city in enumerate(["Oslo", "Lima", "Pune"]):
        temp = 5 + 10 * i + 4 * np.sin(np.arange(48) / 24 * 2 * np.pi) + rng.normal(0, 0.5, 48)
        frames.append(pd.DataFrame({"time": hours, "temp": temp.round(2), "city": city,
                                    "rain": rng.integers(0, 5, 48)}))
    return pd.concat(frames, ignore_index=True)


DF = readings()


def build() -> gr.Blocks:
    with gr.Blocks(title="Weather") as demo:
        with gr.Row():
            start = gr.DateTime("2024-03-01 00:00:00", label="Start")
            end = gr.DateTime("2024-03-03 00:00:00", label="End")
            city = gr.Dropdown(["All", "Oslo", "Lima", "Pune"], value="All", label="City")
        line = gr.LinePlot(DF, x="time", y="temp", color="city", title="Temperature",
                           label="Temperature", buttons=["export"], tooltip=["rain"])
        with gr.Row():
            bars = gr.BarPlot(DF, x="city", y="rain", y_aggregate="sum", sort="-y",
                              label="Rain by city")
            scatter = gr.ScatterPlot(DF, x="temp", y="rain", color="city", label="Rain vs temp")
        selected = gr.Textbox(label="Selection")

        def window(start: float, end: float, city: str):
            df = DF if city == "All" else DF[DF["city"] == city]
            return gr.LinePlot(value=df, x_lim=[start * 1000, end * 1000])

        gr.on([start.change, end.change, city.change], window, [start, end, city], line)

        @line.select(outputs=[selected, line])
        def zoom(sel: gr.SelectData):
            lo, hi = sel.index
            span = pd.to_datetime([lo, hi], unit="ms")
            return f"{span[0]:%d %H:%M} to {span[1]:%d %H:%M}", gr.LinePlot(x_lim=[lo, hi])

        line.double_click(lambda: ("reset", gr.LinePlot(x_lim=None)), None, [selected, line])

        @bars.select(outputs=selected)
        def bar(sel: gr.SelectData):
            return f"bar {sel.value}"

        @scatter.select(outputs=selected)
        def points(sel: gr.SelectData):
            return f"temp {sel.index[0]:.1f} to {sel.index[1]:.1f}"
    return demo


def without_plots() -> gr.Blocks:
    """The same page furniture without a plot (the chart chunk must not load)."""
    with gr.Blocks(title="No plots") as demo:
        when = gr.DateTime("2024-03-01 00:00:00", label="When")
        out = gr.Textbox(label="Echo")
        when.change(lambda v: str(v), when, out)
    return demo


demo = build()

if __name__ == "__main__":
    demo.launch()
