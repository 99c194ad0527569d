"""Data explorer: upload a CSV, filter it with pandas, download the rows, plot a column.

The table is editable: editing a cell fires its change event, which updates
the summary, the plot and the file behind the download button.
"""

from __future__ import annotations

import atexit
import random
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

import nbdemo as gr

#: CSV files this demo writes (downloads, the sample), removed when the process exits.
OUT = Path(tempfile.mkdtemp(prefix="nbdemo-data-explorer-"))
atexit.register(shutil.rmtree, OUT, ignore_errors=True)


def _out(name: str) -> Path:
    folder = OUT / uuid.uuid4().hex
    folder.mkdir()
    return folder / name


def sample_csv() -> str:
    """Write 50 rows of made-up weather measurements; the path of the CSV."""
    rng = random.Random(7)
    sites = ["north", "south", "east", "west", "harbour"]
    rows = []
    for i in range(50):
        rows.append({"id": i + 1, "site": sites[i % 5],
                     "date": (pd.Timestamp("2024-03-01") + pd.Timedelta(days=i // 5 * 3 + i % 3)).date().isoformat(),
                     "temperature_c": round(8 + 0.35 * (i // 5) + rng.gauss(0, 2.2), 1),
                     "humidity_pct": round(min(99, max(30, rng.gauss(68, 10))), 1),
                     "wind_kmh": round(abs(rng.gauss(14, 6)), 1)})
    path = _out("sample.csv")
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Numeric columns, measurements (floats) first."""
    nums = [str(c) for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])]
    return sorted(nums, key=lambda c: not pd.api.types.is_float_dtype(df[c]))


def load(path: str | None, text: str):
    """A CSV path → the DataFrame kept in State, the column choices, the
    Minimum (the column's smallest value) and the rows."""
    if path is None:
        return None, gr.update(choices=[], value=None), None, None
    try:
        df = pd.read_csv(path)
    except Exception as e:
        raise gr.Error(f"Could not read {Path(path).name} as CSV: {e}") from None
    cols = numeric_columns(df)
    column = cols[0] if cols else None
    minimum, rows = on_column(df, column, text)
    return df, gr.update(choices=cols, value=column), minimum, rows


def filter_rows(df: pd.DataFrame | None, column: str | None, minimum: float, text: str):
    """Rows where ``column >= minimum`` and some text column contains ``text`` (any case)."""
    if df is None:
        return None
    out = df
    if column in out.columns and minimum is not None and pd.api.types.is_numeric_dtype(out[column]):
        out = out[out[column] >= minimum]
    text = (text or "").strip().lower()
    if text:
        strings = out.select_dtypes(exclude="number").astype(str)
        mask = strings.apply(lambda s: s.str.lower().str.contains(text, regex=False)).any(axis=1)
        out = out[mask]
    return out.reset_index(drop=True)


def on_column(df: pd.DataFrame | None, column: str | None, text: str):
    """A new column: Minimum starts at the column's smallest value (every row kept)."""
    if df is None or column not in df.columns:
        return None, filter_rows(df, None, None, text)
    lo = float(df[column].min())
    return lo, filter_rows(df, column, lo, text)


def summarize(rows: pd.DataFrame, column: str | None):
    """The (edited or filtered) table → a summary, a histogram and a CSV to download."""
    if rows is None or not len(rows.columns):
        return "", None, gr.update(value=None)
    path = _out("filtered.csv")
    rows.to_csv(path, index=False)
    text = f"**{len(rows)} rows**"
    fig = None
    if column in rows.columns:
        values = pd.to_numeric(rows[column], errors="coerce").dropna()
        if len(values):
            text += (f" · {column}: mean {values.mean():.2f}, min {values.min():g}, "
                     f"max {values.max():g}")
        fig = Figure(figsize=(6, 3), layout="constrained")
        ax = fig.add_subplot()
        ax.hist(values, bins=min(20, max(5, len(values) // 3)), color="#ea580c", edgecolor="white")
        ax.set_xlabel(column)
        ax.set_ylabel("rows")
        ax.set_title(f"{column} ({len(values)} rows)")
    return text, fig, gr.update(value=str(path))


with gr.Blocks(title="Data explorer") as demo:
    gr.Markdown("# Data explorer\nUpload a CSV file (or use the sample), pick a numeric column "
                "and a minimum, search the text columns. Edit a cell to see the summary and the "
                "plot follow; download the rows you kept.")
    data = gr.State(None)
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            file = gr.File(label="CSV file", file_types=[".csv"])
            sample = gr.Button("Use sample data", size="sm")
            # allow_custom_value: the choices come from the upload (a per-session update)
            column = gr.Dropdown(label="Column", choices=[], value=None, allow_custom_value=True)
            minimum = gr.Number(label="Minimum", info="Keep rows where the column is at least this")
            search = gr.Textbox(label="Rows containing", placeholder="e.g. north")
        with gr.Column(scale=3):
            table = gr.Dataframe(label="Rows", interactive=True, max_height=420,
                                 row_count=(0, "dynamic"), col_count=(0, "fixed"))
            summary = gr.Markdown()
            download = gr.DownloadButton("Download CSV", size="md")
            plot = gr.Plot(label="Histogram")

    # One run per user action: what the user changes uses .input (functions
    # setting Column or Minimum start nothing more), and everything below the
    # table follows the table's .change (filters and edits alike).
    sample.click(sample_csv, None, file)
    file.change(load, [file, search], [data, column, minimum, table])
    column.input(on_column, [data, column, search], [minimum, table])
    minimum.input(filter_rows, [data, column, minimum, search], table)
    search.input(filter_rows, [data, column, minimum, search], table)
    table.change(summarize, [table, column], [summary, plot, download])

if __name__ == "__main__":
    demo.launch()
