import { h, watch, frame, emit, reportError } from "../util.js";

const PROPS = ["value", "x", "y", "color", "x_bin", "y_aggregate", "sort", "x_lim", "y_lim", "color_map", "colors_in_legend",
  "title", "x_title", "y_title", "hover_tooltip", "height", "x_axis_labels_visible", "caption", "buttons", "mark"];

/**
 * LinePlot / ScatterPlot / BarPlot. This module is small and in every bundle;
 * the drawing (uPlot and ./chart.js) is imported on first use, which the page
 * build turns into a separate chunk, so pages without plots never load it.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "nativeplot", { signal, labelFor: false });
  const title = h("div", { class: "nbd-plot-title", style: { fontWeight: "600", textAlign: "center" } });
  const tools = h("div", { class: "nbd-plot-tools", style: { display: "flex", justifyContent: "flex-end", gap: "4px" } });
  const box = h("div", { class: "nbd-plot-box nbd-nativeplot-box" });
  const caption = h("div", { class: "nbd-plot-caption", style: { fontSize: "0.85em", opacity: "0.8" } });
  f.body.append(title, tools, box, caption);
  let chart = null;
  let gen = 0;
  const build = async () => {
    const mine = ++gen;
    title.textContent = model.get("title") ?? "";
    title.hidden = !model.get("title");
    caption.textContent = model.get("caption") ?? "";
    caption.hidden = !model.get("caption");
    const v = model.get("value");
    chart?.destroy();
    chart = null;
    if (!v || !v.data || !v.data.length) {
      box.classList.add("nbd-empty");
      box.style.height = `${model.get("height") || 300}px`;
      box.replaceChildren(h("div", { class: "nbd-placeholder" }, "No data"));
      tools.replaceChildren();
      return;
    }
    let mod;
    try {
      mod = await import("./chart.js");
    } catch (e) {
      reportError(el, `Could not load the chart library: ${e.message || e}`);
      return;
    }
    if (mine !== gen || signal?.aborted) return;
    box.classList.remove("nbd-empty");
    box.style.height = "";
    box.replaceChildren();
    chart = mod.draw(model, box, (event, data) => emit(model, event, data));
    const buttons = model.get("buttons") || [];
    tools.replaceChildren(...buttons.map((b) => b === "export"
      ? h("button", { type: "button", class: "nbd-icon-btn", "aria-label": "Export as PNG", onclick: async () => {
        const blob = await mod.exportPng(chart);
        const a = h("a", { href: URL.createObjectURL(blob), download: `${model.get("label") || "plot"}.png` });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      } }, "⤓")
      : h("button", { type: "button", class: "nbd-icon-btn", "aria-label": "Fullscreen",
        onclick: () => (document.fullscreenElement ? document.exitFullscreen() : el.requestFullscreen?.()) }, "⛶")));
  };
  build();
  watch(model, PROPS, build, signal);
  signal?.addEventListener("abort", () => chart?.destroy());
}
