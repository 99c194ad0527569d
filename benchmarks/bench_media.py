"""Measure binary data end to end: a 4-megapixel image round trip in both front
doors, and the page weight of the gallery (`nbdemo demo`).

    python benchmarks/bench_media.py            # standalone + inline (JupyterLab)
    python benchmarks/bench_media.py --no-inline

For each front door, a 2448 x 1632 (4.0 MP) RGB PNG is uploaded into an
`Image` input (Playwright's set_input_files on the labelled input), then the
demo's Submit runs `255 - image` and returns it as PNG. Figures:

- upload: from set_input_files until the input shows the uploaded image;
- round trip: measured in the page, from the click (dispatched from JS) until
  the output <img> has decoded a new image of the right size (naturalWidth);
  this includes preprocess (PNG decode to numpy), the function, postprocess
  (PNG encode), the transfer to the page and the browser's decode.

Prints a table and writes benchmarks/results_media.json. A measurement, not a
test: no thresholds, not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_hello import (  # noqa: E402
    PageWeight,
    environment,
    log,
    median,
    start_jupyter_lab,
    wait_kernel_idle,
)
from conftest import CHROMIUM, CHROMIUM_ARGS, Proc, free_port, wait_http  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
W, H = 2448, 1632  # 3.995 megapixels

APP = '''import sys
import nbdemo as gr

def invert(image):
    return 255 - image

demo = gr.Interface(invert, gr.Image(label="Input image"), gr.Image(label="Output image", format="png"))
'''

# In the page: click Submit, wait until the output <img> shows a new, decoded image of width W.
ROUND_TRIP_JS = """async ([scope, width, timeoutMs]) => {
  const root = scope || document;
  const out = () => [...root.querySelectorAll('img.nbd-media')].find((i) => i.alt === 'Output image');
  const before = out()?.src || null;
  const btn = [...root.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Submit');
  const t0 = performance.now();
  btn.click();
  while (performance.now() - t0 < timeoutMs) {
    const img = out();
    if (img && img.src && img.src !== before && img.complete && img.naturalWidth === width) {
      return performance.now() - t0;
    }
    await new Promise((r) => requestAnimationFrame(r));
  }
  return null;
}"""


def make_image(path: Path, seed: int) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:H, 0:W]
    base = np.dstack([(x * 255 // W), (y * 255 // H), ((x + y) * 255 // (W + H))]).astype(np.int16)
    img = (base + rng.integers(-12, 12, size=(H, W, 3))).clip(0, 255).astype(np.uint8)
    Image.fromarray(img).save(path, compress_level=1)


def round_trips(page, scope_selector: str | None, images: list[Path]) -> tuple[list[float], list[float]]:
    """(upload seconds, round-trip milliseconds) per image."""
    scope = page.locator(scope_selector).first if scope_selector else page
    uploads, trips = [], []
    for img in images:
        t0 = time.perf_counter()
        scope.get_by_label("Input image").set_input_files(str(img))
        scope.locator("img.nbd-media[alt='Input image']").wait_for(state="visible", timeout=60000)
        uploads.append(time.perf_counter() - t0)
        handle = scope.element_handle() if scope_selector else None
        ms = page.evaluate(ROUND_TRIP_JS, [handle, W, 60000])
        if ms is None:
            raise RuntimeError("the output image did not arrive")
        trips.append(ms)
        # clear the input so the next upload is a fresh one
        scope.get_by_role("button", name="Clear image").first.click()
    return uploads, trips


def bench_standalone(browser, tmp: Path, images: list[Path]) -> dict:
    script = tmp / "app.py"
    port = free_port()
    script.write_text(APP + f"\ndemo.launch(server_port={port}, quiet=True)\n")
    proc = Proc([sys.executable, str(script)], cwd=tmp, log=tmp / "standalone.log")
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url, proc=proc.proc)
        ctx = browser.new_context(viewport={"width": 1300, "height": 1000})
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-ready][data-nbdemo-connected]")
        uploads, trips = round_trips(page, None, images)
        page.screenshot(path=str(tmp / "standalone.png"))
        ctx.close()
    finally:
        proc.stop()
    return {"upload_s": uploads, "round_trip_ms": trips}


def bench_inline(browser, tmp: Path, images: list[Path]) -> dict:
    import nbformat

    jtmp = tmp / "jlab"
    jtmp.mkdir()
    proc, url, token, root = start_jupyter_lab(jtmp)
    try:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(APP + "demo")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        nbformat.write(nb, str(root / "bench_media.ipynb"))
        ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = ctx.new_page()
        page.goto(f"{url}lab/tree/bench_media.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=90000)
        wait_kernel_idle(url, token)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.locator(".nbd-app[data-nbdemo-ready]").first.wait_for(state="visible", timeout=90000)
        uploads, trips = round_trips(page, ".nbd-app[data-nbdemo-ready]", images)
        page.screenshot(path=str(tmp / "inline.png"))
        ctx.close()
    finally:
        proc.stop()
    return {"upload_s": uploads, "round_trip_ms": trips}


def bench_gallery_weight(browser, tmp: Path) -> dict:
    from nbdemo.demos import DEMOS

    port = free_port()
    proc = Proc([sys.executable, "-m", "nbdemo", "demo", "--port", str(port)], cwd=tmp,
                log=tmp / "gallery.log")
    out = {}
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url, proc=proc.proc)
        for name, path in [("index", "")] + [(n, f"{n}/") for n in DEMOS]:
            ctx = browser.new_context()  # empty cache: a first visit
            page = ctx.new_page()
            weight = PageWeight(page)
            page.goto(url + path)
            if path:
                page.wait_for_selector("body[data-nbdemo-ready]", timeout=30000)
            page.wait_for_load_state("networkidle")
            r = weight.result()
            out[name] = {"requests": r["requests"], "body_bytes_wire": r["body_bytes_wire"],
                         "body_bytes_decoded": r["body_bytes_decoded"]}
            ctx.close()
    finally:
        proc.stop()
    return out


def table(res: dict) -> str:
    lines = [f"{'4-megapixel image (' + str(W) + 'x' + str(H) + ' PNG)':<52}{'median':>10}{'all':>28}",
             "-" * 90]
    for door in ("standalone", "inline"):
        if door not in res:
            continue
        r = res[door]
        ups = [u * 1000 for u in r["upload_s"]]
        lines.append(f"{door + ': upload -> input shown':<52}{median(ups):>8.0f} ms"
                     f"{', '.join(f'{u:.0f}' for u in ups):>28}")
        lines.append(f"{door + ': click -> output decoded (round trip)':<52}{median(r['round_trip_ms']):>8.0f} ms"
                     f"{', '.join(f'{t:.0f}' for t in r['round_trip_ms']):>28}")
    lines += ["", f"{'gallery page (first visit, empty cache)':<40}{'requests':>10}{'on the wire':>14}{'decoded':>12}",
              "-" * 76]
    for name, g in res.get("gallery", {}).items():
        lines.append(f"{name:<40}{g['requests']:>10}{g['body_bytes_wire'] / 1024:>11.1f} KiB"
                     f"{g['body_bytes_decoded'] / 1024:>9.1f} KiB")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="round trips per front door (default 3)")
    ap.add_argument("--no-inline", action="store_true", help="skip JupyterLab")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results_media.json"))
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    res: dict = {"environment": environment(), "megapixels": W * H / 1e6}
    with tempfile.TemporaryDirectory(prefix="nbdemo-bench-media-") as d:
        tmp = Path(d)
        images = []
        for i in range(args.runs):
            images.append(tmp / f"big{i}.png")
            make_image(images[-1], i)
        log(f"{args.runs} test images of {W}x{H}, {images[0].stat().st_size / 1e6:.1f} MB each")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            log("standalone")
            res["standalone"] = bench_standalone(browser, tmp, images)
            if not args.no_inline:
                log("inline (JupyterLab)")
                res["inline"] = bench_inline(browser, tmp, images)
            log("gallery page weight")
            res["gallery"] = bench_gallery_weight(browser, tmp)
            browser.close()
    print(table(res))
    Path(args.json).write_text(json.dumps(res, indent=2))
    print(f"\nraw samples: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
