"""Gradio 6 events that fire from the page (tests/apps/compat_events.py in
Chromium): Markdown.copy and Textbox.copy, Dropdown.key_up (KeyUpData),
Dataframe.edit (EditData), File.delete (DeletedFileData) and File.download,
ImageEditor.apply and its Eraser, a DeepLinkButton, and Audio.pause_recording
(with a fake microphone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_script

APPS = Path(__file__).parent / "apps"
T = 30_000
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def events_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("events")
    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_events\ncompat_events.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp, port=free_port())
    try:
        yield url
    finally:
        proc.stop()


def block(root, label: str):
    return root.locator(f".nbd-comp:has(> .nbd-label:text-is('{label}'))")


def test_copy_key_up_edit_delete_download_and_apply(page, events_url, tmp_path):
    from playwright.sync_api import expect

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(events_url)
    page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
    copied = page.get_by_label("Copied", exact=True)

    page.locator(".nbd-md-copy").click()  # Markdown(buttons=["copy"]) copies its source
    expect(copied).to_have_value("Some **notes** to copy", timeout=T)
    block(page, "Quote").get_by_role("button", name="Copy").click()
    expect(copied).to_have_value("A quote to copy", timeout=T)
    assert page.evaluate("navigator.clipboard.readText()") == "A quote to copy"

    city = page.get_by_label("City", exact=True)
    city.press_sequentially("Ber")
    expect(page.get_by_label("Typed", exact=True)).to_have_value("r|Ber|Ber", timeout=T)

    cell = page.get_by_label("row 2, column s", exact=True)
    cell.fill("z")
    cell.press("Enter")
    expect(page.get_by_label("Edited", exact=True)).to_have_value("[1, 1] 'b'->'z'", timeout=T)

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name)
    docs = block(page, "Docs")
    docs.locator("input[type=file]").set_input_files([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    expect(docs.locator(".nbd-file-row")).to_have_count(2, timeout=T)
    with page.expect_download() as got:
        docs.get_by_role("link", name="b.txt").click()
    assert got.value.suggested_filename == "b.txt"
    expect(page.get_by_label("Downloaded", exact=True)).to_have_value("b.txt", timeout=T)
    docs.get_by_role("button", name="Remove a.txt").click()
    expect(docs.locator(".nbd-file-row")).to_have_count(1)
    # fn got the removed file (still on the server) and the files left
    expect(page.get_by_label("Deleted", exact=True)).to_have_value("a.txt existed=True kept=b.txt",
                                                                    timeout=T)

    canvas = block(page, "Canvas").locator("canvas")

    def stroke():
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + 20)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 20, steps=8)
        page.mouse.up()

    centre = "c => Array.from(c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data)"
    stroke()
    expect(page.get_by_label("Applied", exact=True)).to_have_value("1", timeout=T)
    assert canvas.evaluate(centre)[:3] == [0, 0, 0]  # black ink in the middle of the stroke
    block(page, "Canvas").get_by_role("button", name="Eraser").click()  # gr.Eraser: the same path, erased
    expect(block(page, "Canvas").get_by_role("button", name="Eraser")).to_have_attribute("aria-pressed", "true")
    stroke()
    expect(page.get_by_label("Applied", exact=True)).to_have_value("2", timeout=T)
    assert canvas.evaluate(centre)[:3] == [255, 255, 255]  # the canvas colour is back

    cities = block(page, "Cities")  # Dataframe(show_search="search"): the rows shown, not the value
    rows = cities.locator("tbody tr:has(td[role=gridcell])")
    expect(rows).to_have_count(3)
    cities.get_by_role("searchbox", name="Search the table").fill("LI")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_role("textbox")).to_have_value("Lima")
    cities.get_by_role("searchbox", name="Search the table").fill("")
    expect(rows).to_have_count(3)

    photo = block(page, "Photo")  # Image(placeholder=): its text, "# " as a heading
    expect(photo.locator(".nbd-placeholder-title")).to_have_text("Drop a cat")
    expect(photo.locator(".nbd-drop-hint")).to_contain_text("or click to pick one")
    expect(block(page, "Indexed").locator("pre")).to_have_text(  # JSON(show_indices=True)
        '[\n  0: "a",\n  1: {\n    "b": [\n      0: 1\n    ]\n  }\n]')
    assert page.js_errors == []


def test_deep_link_button_opens_the_page_as_it_was(page, events_url):
    from playwright.sync_api import expect

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(events_url)
    page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
    page.get_by_label("Note", exact=True).fill("remember me")
    page.get_by_label("Note", exact=True).press("Enter")
    expect(page.get_by_label("Shown", exact=True)).to_have_value("saw remember me", timeout=T)
    button = page.get_by_role("button", name="Share via Link")
    button.click()
    expect(page.get_by_role("button", name="Link Copied!")).to_be_visible(timeout=T)
    link = page.evaluate("navigator.clipboard.readText()")
    assert "?deep_link=" in link and link.startswith(events_url)
    page.goto(link)  # a new session, with the values the first one had
    page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
    expect(page.get_by_label("Note", exact=True)).to_have_value("remember me")
    expect(page.get_by_label("Shown", exact=True)).to_have_value("saw remember me")
    page.get_by_role("button", name="Echo note").click()  # the server's session has it too
    expect(page.get_by_label("Shown", exact=True)).to_have_value("echo remember me", timeout=T)
    assert page.request.get(f"{events_url}deep_link?session_hash=nope").status == 404
    assert page.js_errors == []


def test_pause_recording_with_a_fake_microphone(browser, events_url, artifacts):
    from playwright.sync_api import expect

    b = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream",
                                                          "--use-fake-device-for-media-stream"])
    try:
        ctx = b.new_context(viewport={"width": 1200, "height": 900}, permissions=["microphone"])
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(events_url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        mic = block(page, "Mic")
        mic.scroll_into_view_if_needed()
        mic.get_by_role("button", name="Record").click()
        expect(mic.locator(".nbd-rec-time")).to_have_text(re.compile(r"0:0[1-9]"), timeout=T)
        mic.get_by_role("button", name="Pause").click()
        expect(page.get_by_label("Pauses", exact=True)).to_have_value("1", timeout=T)
        mic.get_by_role("button", name="Resume").click()  # resuming fires nothing
        mic.get_by_role("button", name="Pause").click()
        expect(page.get_by_label("Pauses", exact=True)).to_have_value("2", timeout=T)
        mic.get_by_role("button", name="Stop").click()
        expect(mic).to_contain_text("recording.wav", timeout=T)
        page.screenshot(path=str(artifacts / "test_pause_recording_with_a_fake_microphone.png"), full_page=True)
        assert errors == []
    finally:
        b.close()
