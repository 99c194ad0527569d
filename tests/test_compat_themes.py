"""Themes (nbdemo.themes, Gradio's gr.themes): hues, sizes, fonts and .set()
become CSS variables; a themed demo's page shows the theme's colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_builtin_themes_and_names():
    for name in ("base", "soft", "glass", "monochrome", "citrus", "ocean", "origin"):
        theme = gr.themes.resolve(name)
        assert isinstance(theme, gr.themes.Base) and theme.name == name
        assert "--nbd-accent" in theme.to_css()
    # "default" (and None, "light", "dark") keep nbdemo's own look, which follows JupyterLab
    assert gr.themes.resolve("default") is None and gr.themes.resolve(None) is None
    assert gr.themes.resolve("light") is None
    assert gr.themes.resolve(gr.themes.Default()).name == "default"
    assert isinstance(gr.themes.resolve(gr.themes.Ocean), gr.themes.Ocean)
    with pytest.raises(ValueError, match="unknown theme 'gradio/seafoam'.*does not load"):
        gr.themes.resolve("gradio/seafoam")
    with pytest.raises(NotImplementedError, match="Hub"):
        gr.Theme.from_hub("gradio/seafoam")
    with pytest.raises(ValueError, match="unknown colour 'teal-ish'"):
        gr.themes.Base(primary_hue="teal-ish")


def test_hues_sizes_fonts_become_variables():
    theme = gr.themes.Base(primary_hue="emerald", neutral_hue=gr.themes.colors.slate,
                           radius_size="lg", text_size=gr.themes.sizes.text_lg,
                           font=[gr.themes.LocalFont("Inter"), "sans-serif"])
    light, dark = theme.variables(), theme.variables(dark=True)
    assert light["--nbd-accent"] == gr.themes.colors.emerald.c600 == "#059669"
    assert dark["--nbd-accent"] == "#10b981"
    assert light["--nbd-panel"] == "#f8fafc" and dark["--nbd-bg"] == gr.themes.colors.slate.c950
    assert light["--nbd-radius"] == "12px" and light["font-size"] == "16px"
    assert light["--nbd-font"] == "'Inter', sans-serif"


def test_set_resolves_references_and_warns_on_unknown_names():
    theme = gr.themes.Soft().set(button_primary_background_fill="*primary_800",
                                 body_background_fill_dark="#000000", block_radius="*radius_xxl")
    assert theme.variables()["--nbd-accent"] == gr.themes.colors.indigo.c800
    assert theme.variables(dark=True)["--nbd-bg"] == "#000000"
    assert theme.variables()["--nbd-radius"] == "22px"
    with pytest.warns(UserWarning, match="no counterpart for theme variables shadow_drop"):
        gr.themes.Default().set(shadow_drop="none")
    with pytest.warns(UserWarning, match="does not load Google Fonts"):
        gr.themes.GoogleFont("Quicksand")


def test_blocks_and_launch_take_a_theme():
    with gr.Blocks(theme="soft", css=".x { color: red }") as demo:
        gr.Textbox()
    assert demo.css.startswith("/* nbdemo theme */") and demo.css.endswith(".x { color: red }")
    assert gr.themes.colors.indigo.c600 in demo.css
    demo._style("launch", theme=gr.themes.Citrus())  # what launch(theme=) does
    assert gr.themes.colors.indigo.c600 not in demo.css and gr.themes.colors.amber.c600 in demo.css
    assert demo.css.count("/* nbdemo theme */") == 1 and demo.css.endswith(".x { color: red }")
    assert demo.theme == "default"


def test_gradio_module_layout():
    """Gradio's own theme code imports these submodules."""
    from nbdemo.themes.base import Base
    from nbdemo.themes.utils import colors, fonts, sizes

    assert Base is gr.themes.Base and colors.emerald.c50 == "#ecfdf5"
    assert sizes.radius_md.lg == "8px" and fonts.LocalFont("x").name == "x"


@pytest.mark.browser
def test_soft_theme_changes_computed_colours(page, tmp_path):
    def primary_bg(expr: str) -> str:
        sub = tmp_path / expr
        sub.mkdir()
        code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
                f"import compat_themes\ncompat_themes.{expr}.launch(server_port=PORT)\n")
        proc, url = start_script(code, sub)
        try:
            page.goto(url)
            page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
            button = page.get_by_role("button", name="Order")
            page.get_by_label("Name").fill("tea")
            button.click()
            from playwright.sync_api import expect

            expect(page.get_by_label("Receipt")).to_have_value("2 x tea", timeout=T)
            return button.evaluate("b => getComputedStyle(b).backgroundColor") + " | " + \
                page.get_by_label("Name").evaluate("e => getComputedStyle(e).fontFamily")
        finally:
            proc.stop()

    themed, plain = primary_bg("demo"), primary_bg("plain")
    # emerald-700 (#047857) from .set(button_primary_background_fill="*primary_700")
    assert themed.startswith("rgb(4, 120, 87)"), themed
    assert re.search(r"Verdana", themed), themed
    assert not plain.startswith("rgb(4, 120, 87)") and "Verdana" not in plain, plain
    assert page.js_errors == []


