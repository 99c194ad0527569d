"""Multipage demos (Blocks.route): pages, their load listeners, their URLs
and the navigation bar; in Chromium with tests/apps/compat_pages.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import start_script

import nbdemo as gr

APPS = Path(__file__).parent / "apps"
T = 30_000


def test_route_adds_pages_whose_blocks_and_loads_are_theirs():
    import sys

    sys.path.insert(0, str(APPS))
    import compat_pages

    demo = compat_pages.build()
    assert [(p.path, p.name, p.show_in_navbar) for p in demo.pages()] == [
        ("report", "Report", True), ("hidden-page", "Hidden page", False)]
    main = demo.layout_tree(lambda c: c._id)
    report = demo.layout_tree(lambda c: c._id, "report")
    assert len(main["children"]) == 3 and len(report["children"]) == 2
    loads = [d for d in demo.dependencies if d.triggers == [(demo, "load")]]
    assert [d.extra.get("page", "") for d in loads] == ["", "report"]
    with pytest.raises(ValueError, match="outside the with Blocks"), gr.Blocks() as inner:
        inner.route("x")
    with pytest.raises(ValueError, match="already used"):
        demo.route("Again", "report")
    with pytest.raises(ValueError, match="bad page path"):
        demo.route("Bad", "a/b c")


@pytest.mark.browser
def test_pages_in_the_browser(page, tmp_path):
    from playwright.sync_api import expect

    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\n"
            "import compat_pages\ncompat_pages.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        expect(page.get_by_label("Main loads", exact=True)).to_have_value("main page loaded", timeout=T)
        nav = page.get_by_role("navigation", name="Pages")
        expect(nav.get_by_role("link")).to_have_text(["Dashboard", "Report", "Docs"])
        expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
        nav.get_by_role("link", name="Report").click()
        page.wait_for_url(f"{url}report/")
        page.goto(f"{url}report/?city=Lima")  # the page's own load listener reads the query
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
        expect(page.get_by_label("City", exact=True)).to_have_value("Lima", timeout=T)
        expect(page.get_by_label("Main loads", exact=True)).to_have_count(0)  # not this page's
        expect(page.get_by_role("heading", name="Report")).to_be_visible()
        # the app's Navbar (on the main page) names the main page here too; the hidden page is not listed
        nav = page.get_by_role("navigation", name="Pages")
        expect(nav.get_by_role("link")).to_have_text(["Dashboard", "Report", "Docs"])
        expect(nav.get_by_role("link", name="Report")).to_have_attribute("aria-current", "page")
        page.goto(f"{url}hidden-page/")
        expect(page.get_by_role("heading", name="Hidden")).to_be_visible(timeout=T)
        assert page.request.get(f"{url}no-such-page/").status == 404
        assert page.js_errors == []
    finally:
        proc.stop()
