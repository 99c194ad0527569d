"""FileExplorer, BrowserState, DuplicateButton and the playable_video
shortcut; tests/apps/compat_misc.py in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr
from nbdemo.components import from_shortcut

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_file_explorer_types(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "sub" / "c.log").write_text("c")
    many = gr.FileExplorer(root_dir=tmp_path, ignore_glob="*.log")
    assert [c[0] for c in many.choices] == ["a.txt", "sub/b.txt"]
    assert many.preprocess(["sub/b.txt"]) == [str(tmp_path / "sub" / "b.txt")]
    assert many.postprocess(str(tmp_path / "a.txt")) == ["a.txt"]
    one = gr.FileExplorer("*.txt", root_dir=tmp_path, file_count="single")
    assert one.preprocess(["a.txt"]) == str(tmp_path / "a.txt") and one.preprocess([]) is None
    with pytest.raises(ValueError, match="not a folder"):
        gr.FileExplorer(root_dir=tmp_path / "nope")
    with pytest.raises(ValueError, match="file_count"):
        gr.FileExplorer(root_dir=tmp_path, file_count="directory")


def test_browser_state_duplicate_button_and_shortcut(monkeypatch):
    s = gr.BrowserState([1], storage_key="k")  # kept in the browser: tests/test_browser_state.py
    assert s.storage_key == "k" and s._kind == "state"
    monkeypatch.delenv("SPACE_ID", raising=False)
    assert gr.DuplicateButton().visible is False
    monkeypatch.setenv("SPACE_ID", "me/app")
    b = gr.DuplicateButton()
    assert b.visible is True and b.link == "https://huggingface.co/spaces/me/app?duplicate=true"
    assert from_shortcut("playable_video").format == "mp4"


@pytest.mark.browser
def test_misc_components_in_the_browser(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_misc\ncompat_misc.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        expect(page.get_by_role("spinbutton", name="Visits")).to_have_value("1", timeout=T)
        page.get_by_role("checkbox", name="compat_misc.py").check()
        expect(page.locator(".nbd-json, [aria-label='Sizes']").first).to_contain_text(
            "compat_misc.py", timeout=T)
        expect(page.get_by_role("button", name="Duplicate Space")).to_have_count(0)
        pages = page.get_by_role("navigation", name="Pages")
        expect(pages.get_by_role("link", name="Docs")).to_have_attribute("target", "_blank")
        expect(pages.get_by_role("link", name="Misc")).to_have_attribute("aria-current", "page")
        page.get_by_role("button", name="Hide navigation").click()
        expect(pages).to_be_hidden(timeout=T)
        # the slider's two images load; moving the divider reveals more of the second
        after = page.get_by_role("img", name="Compare: second image")
        expect(after).to_be_visible(timeout=T)
        page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=after.element_handle())
        expect(after).to_have_attribute("style", re.compile(r"inset\(0px 0px 0px 30%\)"))
        page.get_by_text("turns", exact=True).click()  # a ParamViewer parameter opens
        expect(page.get_by_text("Quarter turns")).to_be_visible()
        notes = page.locator("#long-notes .nbd-prose")  # Markdown(height=60): scrolls
        expect(notes).to_have_css("max-height", "60px")
        expect(notes).to_have_css("overflow-y", "auto")
        divider = page.get_by_role("slider", name="Compare divider")
        divider.focus()
        page.keyboard.press("Home")
        expect(after).to_have_attribute("style", re.compile(r"inset\(0px 0px 0px 0%\)"))
        assert page.js_errors == []
    finally:
        proc.stop()


def test_gradio_names_textarea_json_options_and_deleted_file_data():
    assert gr.TextArea().lines == 7 and gr.TextArea(lines=3).lines == 3
    assert gr.Json is gr.JSON
    assert gr.WaveformOptions(waveform_color="red").waveform_color == "red"
    assert gr.WebcamOptions().mirror is True
    gone = gr.DeletedFileData(None, {"file": {"orig_name": "x.txt", "size": 3}}).file
    assert (gone.orig_name, gone.size, gone.path) == ("x.txt", 3, None)  # not a file of this session
    demo = gr.Interface(str.upper, "text", "text", examples=[["a"]], flagging_mode="never")
    assert demo.examples_handler is demo.examples
    chat = gr.ChatInterface(lambda m, h: m, validator=lambda m: gr.validate(bool(m.strip()), "Say something"))
    assert any("validator" in d.extra for d in chat.dependencies)  # runs before the message goes in


def test_image_slider_types(tmp_path):
    import numpy as np
    from PIL import Image as PILImage

    a = np.zeros((4, 5, 3), dtype=np.uint8)
    b = np.full((4, 5, 3), 200, dtype=np.uint8)
    s = gr.ImageSlider((a, b), format="png")
    assert [fd["orig_name"].endswith(".png") for fd in s.value] == [True, True]
    got = s.preprocess(s.value)
    assert isinstance(got, tuple) and got[0].shape == (4, 5, 3) and int(got[1][0, 0, 0]) == 200
    pil = gr.ImageSlider(type="pil", format="png").preprocess(s.value)
    assert isinstance(pil[0], PILImage.Image) and pil[0].size == (5, 4)
    path = gr.ImageSlider(type="filepath").preprocess([s.value[0], None])
    assert isinstance(path[0], str) and path[1] is None
    assert gr.ImageSlider().postprocess(None) is None
    with pytest.raises(TypeError, match="pair"):
        s.postprocess(a)
    with pytest.raises(ValueError, match="slider_position"):
        gr.ImageSlider(slider_position=120)
    with pytest.raises(ValueError, match=r"expected \[image, image\]"):
        s.validate_wire({"_file": True})


def test_gradio6_buttons_map_to_each_components_buttons():
    assert gr.Textbox(buttons=["copy"]).show_copy_button is True
    assert gr.Textbox().show_copy_button is False
    audio = gr.Audio(buttons=["download"])
    assert audio.show_download_button is True
    with pytest.warns(UserWarning, match=r"Image\(buttons=...\): nbdemo has no 'fullscreen' button"):
        image = gr.Image(buttons=["fullscreen"])
    assert image.show_download_button is False  # not listed: hidden, as in Gradio 6
    assert gr.Image().show_download_button is True
    with pytest.warns(UserWarning, match="gr.Button"):
        gr.Textbox(buttons=[gr.Button("x", render=False)])


def test_navbar_value_and_updates():
    nav = gr.Navbar([("Docs", "https://example.com/docs"), ("Stats", "stats")], main_page_name="Demo")
    assert nav.value == [["Docs", "https://example.com/docs"], ["Stats", "stats"]]
    assert gr.Navbar(visible=False)._init_kwargs == {"visible": False}
    assert gr.Navbar(main_page_name=False).main_page_name is False
    with pytest.raises(ValueError, match="pair"):
        gr.Navbar([("only label",)])
    with pytest.raises(ValueError, match="set by the app"):
        nav.validate_wire([])


def test_dialogue_types():
    lines = [{"speaker": "A", "text": "hi"}, {"speaker": "B", "text": "yo"}]
    text = gr.Dialogue(lines, speakers=["A", "B"])
    assert text.value == lines and text.preprocess(text.value) == "[A] hi\n[B] yo"
    as_list = gr.Dialogue(type="list", speakers=["A", "B"])
    assert as_list.preprocess(lines) == lines
    assert as_list.postprocess("[B] hey\nno speaker") == [{"speaker": "B", "text": "hey"},
                                                          {"speaker": "A", "text": "no speaker"}]
    custom = gr.Dialogue(formatter=lambda s, t: f"{s}: {t}", separator=" | ")
    assert custom.preprocess(lines) == "A: hi | B: yo"
    assert gr.Dialogue().preprocess([{"speaker": "A", "text": ""}]) == ""
    with pytest.raises(ValueError, match="each line"):
        gr.Dialogue([{"who": "A"}])
    with pytest.raises(ValueError, match="list of lines"):
        text.validate_wire("[A] hi")


@pytest.mark.browser
def test_dialogue_in_the_browser(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_dialogue\ncompat_dialogue.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        page.get_by_role("button", name="Add a line").click()
        page.get_by_label("Line 3", exact=True).fill("Bye")
        expect(page.get_by_label("Speaker of line 3")).to_have_value("Host")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_role("textbox", name="Formatted")).to_have_value(
            "[Host] Welcome!\n[Guest] Thanks (laughs)\n[Host] Bye", timeout=T)
        transcript = page.locator(".nbd-dialogue").filter(has_text="Transcript")
        expect(transcript.locator(".nbd-dialogue-speaker")).to_have_count(3, timeout=T)
        expect(transcript).to_contain_text("Bye")
        assert page.js_errors == []
    finally:
        proc.stop()


def test_new_components_describe_their_api_values():
    from nbdemo.api.describe import schema

    assert schema(gr.DateTime())["type"] == "string"
    assert schema(gr.BarPlot())["properties"]["columns"] == {"type": "array", "items": {"type": "string"}}
    assert schema(gr.ImageSlider())["maxItems"] == 2
    assert schema(gr.Dialogue())["items"]["properties"]["speaker"] == {"type": "string"}
    assert schema(gr.Textbox()) == {"type": "string"}  # the others: as before


def test_param_viewer_value():
    pv = gr.ParamViewer({"n": {"type": "int", "default": 0}, "x": {}})
    assert pv.value == {"n": {"type": "int", "description": None, "default": "0"},
                        "x": {"type": None, "description": None, "default": None}}
    with pytest.raises(ValueError, match="maps to a dict"):
        gr.ParamViewer({"n": "int"})


def test_annotated_image_value():
    import numpy as np

    image = np.zeros((20, 30, 3), dtype=np.uint8)
    mask = np.zeros((20, 30))
    mask[5:10, 5:10] = 1
    a = gr.AnnotatedImage((image, [((1, 2, 10, 12), "box"), (mask, "blob"), ((0, 0, 1, 1), "box")]),
                          color_map={"box": "red"})
    notes = a.value["annotations"]
    assert [(n["label"], n["color"]) for n in notes] == [("box", "red"), ("blob", "#f58518"), ("box", "red")]
    assert notes[0]["box"] == [1.0, 2.0, 10.0, 12.0] and notes[1]["mask"]["orig_name"].endswith(".png")
    with pytest.raises(ValueError, match="a mask of 3x2 for an image of 30x20"):
        gr.AnnotatedImage((image, [(np.zeros((2, 3)), "bad")]))
    with pytest.raises(ValueError, match=r"return \(image"):
        gr.AnnotatedImage(image)


@pytest.mark.browser
def test_annotated_image_in_the_browser(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_annotated\ncompat_annotated.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        stage = page.locator(".nbd-annotatedimage")
        expect(stage.locator(".nbd-annotation")).to_have_count(2, timeout=T)
        expect(stage.locator("div.nbd-annotation")).to_have_css("border-top-color", "rgb(37, 99, 235)")
        stage.locator("div.nbd-annotation").click()
        expect(page.get_by_role("textbox", name="Chosen")).to_have_value("0:door", timeout=T)
        page.get_by_role("group", name="Labels").get_by_role("button", name="window").click()
        expect(page.get_by_role("textbox", name="Chosen")).to_have_value("1:window", timeout=T)
        assert page.js_errors == []
    finally:
        proc.stop()
