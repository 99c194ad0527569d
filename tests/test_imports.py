"""What each import loads, each in a fresh interpreter (DESIGN: the engine
imports neither tornado nor ipywidgets; nbdemo.jupyter, loaded by every
Jupyter server, imports no widget code), and the lazy public API."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

WIDGETS = ("ipywidgets", "anywidget", "IPython")
HEAVY = ("numpy", "PIL", "pandas", "matplotlib", "tornado")


def loaded_by(code: str) -> set[str]:
    """Top-level names of the modules that ``code`` loads in a fresh interpreter
    (beyond what the interpreter itself starts with)."""
    script = ("import sys, json; before = set(sys.modules)\n" + code +
              "\nprint(json.dumps(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_import_nbdemo_loads_nothing_heavy():
    found = tops(loaded_by("import nbdemo"))
    assert not found & {*HEAVY, *WIDGETS}, found
    # the package itself is a table of names: no submodule loads until a name is used
    assert {m for m in loaded_by("import nbdemo") if m.startswith("nbdemo")} == {"nbdemo"}


def test_the_whole_public_api_loads_no_media_library_nor_tornado():
    found = tops(loaded_by("from nbdemo import *"))
    assert not found & set(HEAVY), found


@pytest.mark.parametrize("module", ["nbdemo.jupyter", "nbdemo.protocol"])
def test_jupyter_extension_and_protocol_load_no_widget_code(module):
    found = tops(loaded_by(f"import {module}"))
    assert not found & {*WIDGETS, "tornado", "traitlets"}, found


def test_protocol_imports_nothing_of_nbdemo_nor_anything_else():
    # what keeps it fast: the module itself and, where nothing imported it at
    # start-up already (a fresh venv), the standard library's typing
    loaded = loaded_by("import nbdemo.protocol")
    assert {m for m in loaded if m.startswith("nbdemo")} == {"nbdemo", "nbdemo.protocol"}
    assert {m.split(".")[0] for m in loaded if not m.startswith("nbdemo")} <= set(sys.stdlib_module_names)


def test_engine_imports_neither_tornado_nor_widgets():
    found = tops(loaded_by("import nbdemo.engine"))
    assert not found & {"tornado", "ipywidgets", "anywidget"}, found


def test_jupyter_server_finds_the_extension_without_loading_it():
    code = "import nbdemo, sys; print(nbdemo._jupyter_server_extension_points())"
    found = loaded_by(code)
    assert {m for m in found if m.startswith("nbdemo")} == {"nbdemo"}


def test_public_names_load_on_first_use():
    import nbdemo as gr

    assert gr.Text is gr.Textbox and gr.DataFrame is gr.Dataframe
    for name in gr.__all__:
        assert getattr(gr, name) is not None, name
    assert set(gr.__all__) <= set(dir(gr))
    assert {"__version__", "_jupyter_server_extension_points"} <= set(dir(gr))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        gr.Nope  # noqa: B018


def test_star_import_gives_every_public_name():
    names: dict = {}
    exec("from nbdemo import *", names)
    import nbdemo as gr

    assert set(gr.__all__) <= set(names)
    assert names["Text"] is names["Textbox"]


def test_a_widget_name_brings_the_notebook_door():
    # components never import the notebook door; the public API plugs it in
    # when a name loads the widgets, so a component shown on its own renders
    code = ("import sys\n"
            "import nbdemo as gr\n"
            "gr.Blocks, gr.Row, gr.on\n"
            "assert 'nbdemo.components.base' not in sys.modules, 'Blocks alone loads no widget'\n"
            "assert 'nbdemo.notebook' not in sys.modules\n"
            "gr.Textbox\n"
            "Widget = sys.modules['nbdemo.components.base'].Widget\n"
            "assert Widget.front_door is sys.modules['nbdemo.notebook.comm'].on_msg\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_components_import_no_front_door():
    # arrows point components → events → engine ← front doors
    found = loaded_by("import nbdemo.components")
    doors = {m for m in found if m.startswith(("nbdemo.notebook", "nbdemo.server", "nbdemo.jupyter"))}
    assert not doors, doors
