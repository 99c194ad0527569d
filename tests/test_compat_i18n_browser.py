"""gr.I18n (nbdemo/i18n.py): markers, the visitor's language, translation of a
page's texts, its session's values and a function's output; in Chromium with
a French browser (tests/apps/compat_i18n.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr
from nbdemo import i18n

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_markers_and_the_visitors_language():
    t = gr.I18n(en={"k": "Key"}, de={"k": "Schlüssel"}, **{"pt-BR": {"k": "Chave"}})
    marker = t("k")
    assert isinstance(marker, str) and marker.key == "k"
    assert i18n.translate({"label": marker, "choices": [[marker, "v"]]}, "de") == {
        "label": "Schlüssel", "choices": [["Schlüssel", "v"]]}
    assert i18n.translate(f"[{marker}]", "en") == "[Key]"
    assert i18n.translate(t("missing"), "en") == "missing"  # the key itself
    assert i18n.locale_for("de-CH,de;q=0.9,en;q=0.8") == "de"
    assert i18n.locale_for("pt-BR") == "pt-BR" and i18n.locale_for("pt") == "pt-BR"
    assert i18n.locale_for("ja") == "en"  # nothing asked for: English
    with pytest.warns(UserWarning, match="BCP 47"):
        gr.I18n(English={"k": "x"})
    with pytest.raises(TypeError, match="dict of str"):
        gr.I18n(en={"k": 1})
    with pytest.raises(TypeError, match="takes a gr.I18n"):
        gr.Blocks().launch(i18n={"en": {}})


@pytest.mark.browser
def test_a_french_browser_sees_french(browser, tmp_path, artifacts):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_i18n\ncompat_i18n.build().launch(server_port=PORT, i18n=compat_i18n.i18n)\n")
    proc, url = start_script(code, tmp_path)
    ctx = browser.new_context(locale="fr-FR")
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        expect(page.get_by_text("Bienvenue")).to_be_visible()
        expect(page.get_by_label("Votre nom", exact=True)).to_have_value("Adèle")
        expect(page.get_by_role("radio", name="Familier")).to_be_visible()
        page.get_by_role("button", name="Saluer").click()  # fn gets the French default value
        expect(page.get_by_label("Salutation", exact=True)).to_have_value("Adèle (formal)", timeout=T)
        page.get_by_role("button", name="Reset").click()  # fn returns i18n("hi"): translated
        expect(page.get_by_label("Salutation", exact=True)).to_have_value("Bonjour", timeout=T)
        page.screenshot(path=str(artifacts / "test_a_french_browser_sees_french.png"), full_page=True)
    finally:
        ctx.close()
        proc.stop()
