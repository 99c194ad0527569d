import { h, emit, watch, frame } from "../util.js";

// Translucent, so they read on light and dark themes alike.
const PALETTE = ["rgba(234, 88, 12, .28)", "rgba(22, 163, 74, .28)", "rgba(37, 99, 235, .28)",
  "rgba(219, 39, 119, .28)", "rgba(147, 51, 234, .28)", "rgba(202, 138, 4, .32)",
  "rgba(8, 145, 178, .28)", "rgba(100, 116, 139, .3)"];

/** Background for a label: color_map, else the palette by first appearance; scores shade red/blue. */
export function colorFor(label, colorMap, order) {
  if (typeof label === "number") {
    const a = Math.min(1, Math.abs(label)) * 0.6;
    return label >= 0 ? `rgba(239, 68, 68, ${a})` : `rgba(59, 130, 246, ${a})`;
  }
  if (colorMap && colorMap[label]) return colorMap[label];
  let i = order.indexOf(label);
  if (i < 0) { order.push(label); i = order.length - 1; }
  return PALETTE[i % PALETTE.length];
}

/** HighlightedText: labelled spans. Every piece of text goes in with textContent. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "highlightedtext", { signal, labelFor: false });
  const text = h("div", { class: "nbd-hl-text" });
  if (f.labelText()) text.setAttribute("aria-labelledby", `${f.id}-label`);
  const legend = h("div", { class: "nbd-hl-legend", "aria-label": "Legend" });
  f.body.append(legend, text);
  const build = () => {
    const value = model.get("value") || [];
    const colorMap = model.get("color_map") || {};
    const inline = model.get("show_inline_category") !== false;
    const order = [];
    const spans = value.map((p, i) => {
      const label = p.class_or_confidence;
      if (label === null || label === undefined) return h("span", { class: "nbd-hl-plain" }, p.token);
      const mark = h("mark", { class: "nbd-hl-span", "data-label": String(label), tabindex: "0",
        title: typeof label === "number" ? `score ${label}` : String(label) });
      mark.style.backgroundColor = colorFor(label, colorMap, order);
      mark.append(document.createTextNode(p.token));
      if (inline && typeof label === "string") mark.append(h("span", { class: "nbd-hl-cat" }, label));
      const pick = () => emit(model, "select", { index: i, value: [p.token, label], selected: true });
      mark.addEventListener("click", pick);
      mark.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
      return mark;
    });
    text.replaceChildren(...spans);
    if (!value.length) text.append(h("span", { class: "nbd-hl-empty" }, ""));
    const labels = [...new Set(value.map((p) => p.class_or_confidence).filter((l) => typeof l === "string"))];
    legend.hidden = !model.get("show_legend") || !labels.length;
    legend.replaceChildren(...labels.map((l) => {
      const sw = h("span", { class: "nbd-hl-swatch", "aria-hidden": "true" });
      sw.style.backgroundColor = colorFor(l, colorMap, order);
      return h("span", { class: "nbd-hl-legend-item", "data-label": l }, sw, l);
    }));
  };
  build();
  watch(model, ["value", "color_map", "show_legend", "show_inline_category"], build, signal);
}
