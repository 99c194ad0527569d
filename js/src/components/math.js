// LaTeX in chat messages, with KaTeX rendering to MathML (the browser draws
// it: no fonts or stylesheet to load). Loaded on first use: the page build
// makes this module (and KaTeX) a chunk of its own.
import katex from "katex";
import DOMPurify from "dompurify";

/** Fill the `.nbd-math` placeholders of `box` with the rendered `formulas` [{tex, display}]. */
export function fill(box, formulas) {
  for (const span of box.querySelectorAll("span.nbd-math[data-nbd-math]")) {
    const f = formulas[Number(span.dataset.nbdMath)];
    if (!f) continue;
    const html = katex.renderToString(f.tex, { displayMode: f.display, output: "mathml", throwOnError: false });
    span.innerHTML = DOMPurify.sanitize(html, { USE_PROFILES: { html: true, mathMl: true } });
    if (f.display) span.style.display = "block";
  }
}
