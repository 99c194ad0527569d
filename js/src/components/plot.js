import { h, watch, frame, fileUrl, reportError } from "../util.js";

/** A small line-chart icon for the empty plot (drawn, so no font is needed). */
function chartIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "44", height: "44", class: "nbd-placeholder", "aria-hidden": "true" })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, "path");
  for (const [k, v] of Object.entries({ d: "M3 3v18h18M7 15l4-4 3 3 6-7", fill: "none", stroke: "currentColor", "stroke-width": "1.6", "stroke-linecap": "round", "stroke-linejoin": "round" })) path.setAttribute(k, v);
  svg.append(path);
  return svg;
}

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);

/**
 * Plot: a matplotlib figure arrives as an image file (SVG or PNG) and is shown
 * as an <img>, which never runs script. A plotly figure arrives as an HTML
 * file and is shown in <iframe sandbox="allow-scripts">: its script runs in
 * an opaque origin that cannot reach this page (standalone the server serves
 * it with ?frame=1; inline it is a blob URL of the bytes).
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "plot", { signal, labelFor: false });
  const box = h("div", { class: "nbd-plot-box" });
  if (f.labelText()) box.setAttribute("aria-labelledby", `${f.id}-label`);
  f.body.append(box);
  const build = async () => {
    const v = model.get("value");
    box.style.height = size(model.get("height"));
    if (!v || !v.plot) {
      box.classList.add("nbd-empty");
      box.replaceChildren(chartIcon());
      return;
    }
    box.classList.remove("nbd-empty");
    let url;
    try {
      url = await fileUrl(model, v.plot);
    } catch (e) {
      reportError(el, `Could not load the plot: ${e.message || e}`);
      return;
    }
    if (model.get("value") !== v) return; // a newer plot arrived meanwhile
    const name = model.get("label") || "Plot";
    if (v.type === "plotly") {
      const src = v.plot.url ? `${url}${url.includes("?") ? "&" : "?"}frame=1` : url;
      box.replaceChildren(h("iframe", { class: "nbd-plot-frame", sandbox: "allow-scripts", src, title: name,
        referrerpolicy: "no-referrer" }));
    } else {
      box.replaceChildren(h("img", { class: "nbd-plot-img", src: url, alt: name }));
    }
  };
  build();
  watch(model, ["value", "height", "label"], build, signal);
}
