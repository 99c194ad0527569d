"""Interface: additional inputs, examples from a folder, the same component as
input and output, cached examples and flagging (unit tests, and
tests/apps/compat_interface.py in Chromium: a second start serves the cache
without calling fn; a flag writes the CSV row and copies the images)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import start_script
from PIL import Image

import nbdemo as gr

APPS = Path(__file__).parent / "apps"
T = 30_000


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_additional_inputs_go_in_an_accordion_after_the_inputs(in_tmp):
    demo = gr.Interface(lambda a, k: a * int(k), "text", "text",
                        additional_inputs=[gr.Slider(1, 3, value=2, label="k")],
                        additional_inputs_accordion="More", flagging_mode="never")
    acc = next(b for b in demo.walk() if isinstance(b, gr.Accordion))
    assert acc.props["label"] == "More" and acc.props["open"] is False
    assert [c.label for c in acc.children] == ["k"]
    assert [c.label for c in demo.dependency.inputs] == ["a", "k"]


def test_same_component_as_input_and_output(in_tmp):
    box = gr.Textbox(label="text")
    demo = gr.Interface(str.upper, box, box, flagging_mode="never")
    assert [c for c in demo.components() if c is box] == [box]
    assert demo.dependency.inputs == demo.dependency.outputs == [box]


def test_examples_from_a_folder(in_tmp):
    folder = in_tmp / "ex"
    folder.mkdir()
    (folder / "b.txt").write_text("B")
    (folder / "a.txt").write_text("A")
    demo = gr.Interface(lambda f: f, gr.File(), "text", examples="ex", flagging_mode="never")
    assert demo.examples.examples == [["ex/a.txt"], ["ex/b.txt"]]
    (folder / "log.csv").write_text("name,count\nAda,3\nBob,4\n")
    two = gr.Interface(lambda n, c: n * int(c), ["text", "number"], "text", examples="ex",
                       flagging_mode="never")
    assert two.examples.examples == [["Ada", "3"], ["Bob", "4"]]
    with pytest.raises(ValueError, match="not a folder"):
        gr.Examples("nope", [gr.Textbox()])


def test_cache_examples_lazy_and_eager(in_tmp):
    calls = []

    def double(x):
        calls.append(x)
        return x * 2

    with gr.Blocks():
        a, b = gr.Number(label="a"), gr.Number(label="b")
        lazy = gr.Examples([[1], [2]], a, b, fn=double, cache_examples="lazy")
    assert calls == [] and lazy.cache.outputs_for(1) == [4.0] and calls == [2.0]
    assert lazy.cache.outputs_for(1) == [4.0] and calls == [2.0]  # from the cache
    with gr.Blocks():
        a, b = gr.Number(label="a"), gr.Number(label="b")
        eager = gr.Examples([[1], [2]], a, b, fn=double, cache_examples=True)
    # same fn, rows and outputs: the same cache, so only row 0 is computed
    assert eager.cache.folder == lazy.cache.folder
    deadline = time.monotonic() + 30
    while not eager.cache.get(0)[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calls == [2.0, 1.0] and eager.cache.get(0) == (True, [2.0])
    with pytest.raises(ValueError, match="needs fn and outputs"):
        gr.Examples([[1]], gr.Number(), cache_examples=True)
    with pytest.raises(ValueError, match="cache_mode"):
        gr.Examples([[1]], gr.Number(), gr.Number(), fn=double, cache_examples=True, cache_mode="soon")


def test_flagging_modes_and_csvlogger(in_tmp):
    demo = gr.Interface(str.upper, "text", "text")  # Gradio's default: manual
    assert demo.flagging_mode == "manual"
    assert [c.value for c in demo.components() if isinstance(c, gr.Button)][-1] == "Flag"
    never = gr.Interface(str.upper, "text", "text", flagging_mode="never")
    assert "Flag" not in [c.value for c in never.components() if isinstance(c, gr.Button)]
    opts = gr.Interface(str.upper, "text", "text", flagging_options=["good", ("Bad!", "bad")])
    assert [c.value for c in opts.components() if isinstance(c, gr.Button)][-2:] == ["Flag as good", "Bad!"]
    with pytest.raises(ValueError, match="flagging_mode"):
        gr.Interface(str.upper, "text", "text", flagging_mode="sometimes")
    log = gr.CSVLogger(verbose=False)
    img = in_tmp / "x.png"
    Image.new("RGB", (2, 2), "red").save(img)
    log.setup([gr.Textbox(label="name"), gr.Image(label="pic")], in_tmp / "flags")
    assert log.flag(["Ada", {"path": str(img)}], flag_option="good") == 1
    assert log.flag(["Bob", None]) == 2
    rows = list(csv.reader((in_tmp / "flags" / "dataset1.csv").open()))
    assert rows[0] == ["name", "pic", "flag", "username", "timestamp"]
    assert rows[1][0] == "Ada" and rows[1][2] == "good" and rows[2][1] == ""
    assert (in_tmp / "flags" / rows[1][1]).read_bytes() == img.read_bytes()


def _start(tmp_path: Path):
    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_interface\ncompat_interface.build().launch(server_port=PORT)\n")
    return start_script(code, tmp_path)


def _calls(tmp_path: Path) -> int:
    f = tmp_path / "calls.txt"
    return len(f.read_text().splitlines()) if f.exists() else 0


@pytest.mark.browser
def test_cached_examples_survive_a_restart_and_flagging_saves_images(page, tmp_path):
    from playwright.sync_api import expect

    Image.fromarray(np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 10).save(tmp_path / "example.png")
    proc, _ = _start(tmp_path)
    deadline = time.monotonic() + 60  # the first start caches the example in the background
    while not list(tmp_path.glob(".gradio/cached_examples/*/0.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.stop()
    assert _calls(tmp_path) == 1
    proc, url = _start(tmp_path)  # a second start: the cache answers, fn is not called
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        page.locator(".nbd-sample").first.click()
        result = page.get_by_role("img", name="Result")
        expect(result).to_be_visible(timeout=T)
        expect(page.get_by_role("img", name="Image")).to_be_visible()
        page.get_by_text("Options", exact=True).click()  # the additional inputs' accordion
        expect(page.get_by_role("slider", name="Turns")).to_have_value("2")
        expect(page.get_by_role("checkbox", name="Mirror")).to_be_checked()
        assert _calls(tmp_path) == 0 + 1  # still the first start's one call
        # flag the shown example: a CSV row, images copied next to it
        page.get_by_role("button", name="Flag as good").click()
        dataset = tmp_path / ".gradio" / "flagged" / "dataset1.csv"
        deadline = time.monotonic() + 30
        while not dataset.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        rows = list(csv.reader(dataset.open()))
        assert rows[0] == ["Image", "Turns", "Mirror", "Result", "flag", "username", "timestamp"]
        image, turns, mirror, out, flag = rows[1][:5]
        assert (float(turns), mirror, flag) == (2, "True", "good")
        flipped = np.asarray(Image.open(dataset.parent / out))
        original = np.asarray(Image.open(dataset.parent / image))
        # the output went through the Image's (lossy WebP) encoding: equal up to rounding
        diff = np.abs(flipped.astype(int) - np.rot90(original, 2)[:, ::-1].astype(int))
        assert flipped.shape == (2, 3, 3) and diff.max() <= 8, diff
        assert page.js_errors == []
    finally:
        proc.stop()
