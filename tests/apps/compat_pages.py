"""A multipage demo in Gradio's style (tests/test_compat_pages_browser.py): a main
page with a Navbar, a page whose load listener reads the URL's query, and a
page left out of the navigation bar."""

from __future__ import annotations

import nbdemo as gr


def build() -> gr.Blocks:
    with gr.Blocks(title="Pages") as demo:
        gr.Navbar([("Docs", "https://www.gradio.app/docs")], main_page_name="Dashboard")
        gr.Markdown("# Dashboard")
        visits = gr.Textbox(label="Main loads")
        demo.load(lambda: "main page loaded", None, visits)
    with demo.route("Report", "/report"):
        gr.Markdown("# Report")
        city = gr.Textbox(label="City")

        def from_query(request: gr.Request):
            return request.query_params.get("city", "none")

        demo.load(from_query, None, city)
    with demo.route("Hidden page", show_in_navbar=False):
        gr.Markdown("# Hidden")
    return demo


if __name__ == "__main__":
    build().launch()
