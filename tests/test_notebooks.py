"""Every notebook in notebooks/ runs headless with nbclient, without a cell error.

A fast check of the kernel side only; tests/test_notebook_browser.py is what
proves the demos work in a real JupyterLab.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path: Path, tmp_path: Path, monkeypatch):
    # keep the kernel's IPython profile out of the user's home
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()

    errors = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out.get("text", "")
                if "Traceback" in text or "Error" in text:
                    errors.append(f"cell {i} wrote to stderr: {text[:300]}")
    assert errors == [], "\n".join(errors)
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def test_quickstart_shows_every_demo_as_a_widget(tmp_path: Path, monkeypatch):
    path = next((p for p in NOTEBOOKS if p.name == "quickstart.ipynb"), None)
    if path is None:
        pytest.skip("no quickstart.ipynb")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    widget_cells = [c for c in nb.cells if c.cell_type == "code"
                    and any(WIDGET in o.get("data", {}) for o in c.get("outputs", []))]
    assert len(widget_cells) == 6
    # a demo cell shows the demo and nothing else (launch() inline returns a silent tuple)
    for c in widget_cells:
        assert len(c.outputs) == 1, c.outputs
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
    assert "hello input: ''" in text
