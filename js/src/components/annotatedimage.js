import { h, watch, frame, fileUrl, emit, reportError } from "../util.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);

/**
 * AnnotatedImage: the image, each mask as a coloured PNG over it and each box
 * as an outlined rectangle (placed in percent of the image's size), and a
 * legend; pointing at a legend entry highlights its annotations, a click on
 * a box or an entry sends "select" (masks, drawn below the boxes, let clicks through).
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "annotatedimage", { signal, labelFor: false });
  const img = h("img", { alt: "", style: { display: "block", maxWidth: "100%" } });
  const stage = h("div", { style: { position: "relative", display: "inline-block", lineHeight: "0" } }, img);
  const legend = h("div", { class: "nbd-annotated-legend", role: "group", "aria-label": "Labels",
    style: { display: "flex", flexWrap: "wrap", gap: "6px", marginTop: "6px" } });
  f.body.append(stage, legend);
  let gen = 0;
  const apply = async () => {
    const mine = ++gen;
    const v = model.get("value");
    stage.replaceChildren(img);
    legend.replaceChildren();
    if (!v || !v.image) { img.removeAttribute("src"); stage.hidden = true; return; }
    stage.hidden = false;
    img.style.height = size(model.get("height"));
    img.style.width = size(model.get("width"));
    img.alt = model.get("label") || "Annotated image";
    try {
      img.src = await fileUrl(model, v.image);
      await img.decode().catch(() => {});
    } catch (e) {
      reportError(el, `Could not load the image: ${e.message || e}`);
      return;
    }
    if (mine !== gen) return;
    const W = img.naturalWidth || 1;
    const H = img.naturalHeight || 1;
    const layers = [];
    (v.annotations || []).forEach((a, i) => {
      const select = () => emit(model, "select", { index: i, value: a.label, selected: true });
      let layer;
      if (a.box) {
        const [x1, y1, x2, y2] = a.box;
        layer = h("div", { class: "nbd-annotation", title: a.label, style: { position: "absolute", left: `${(x1 / W) * 100}%`,
          top: `${(y1 / H) * 100}%`, width: `${((x2 - x1) / W) * 100}%`, height: `${((y2 - y1) / H) * 100}%`,
          border: `2px solid ${a.color}`, boxSizing: "border-box", cursor: "pointer" } });
      } else if (a.mask) {
        // a mask covers the whole image: it lets clicks through to the boxes (its legend entry selects it)
        layer = h("img", { class: "nbd-annotation", alt: a.label, title: a.label, style: { position: "absolute", inset: "0",
          width: "100%", height: "100%", opacity: "0.5", pointerEvents: "none" } });
        fileUrl(model, a.mask).then((u) => { if (u) layer.src = u; }, () => layer.remove());
      } else return;
      layer.dataset.label = a.label;
      layer.addEventListener("click", select);
      layers.push(layer);
      if (a.mask) stage.insertBefore(layer, stage.children[1] || null); else stage.append(layer);
    });
    if (model.get("show_legend") === false) return;
    const seen = new Map();
    (v.annotations || []).forEach((a, i) => { if (!seen.has(a.label)) seen.set(a.label, { color: a.color, index: i }); });
    for (const [label, { color, index }] of seen) {
      const focus = (on) => { for (const l of layers) l.style.opacity = on && l.dataset.label !== label ? "0.15" : l.tagName === "IMG" ? "0.5" : "1"; };
      legend.append(h("button", { type: "button", class: "nbd-chat-tool", style: { borderColor: color, color: "inherit" },
        onmouseenter: () => focus(true), onmouseleave: () => focus(false), onfocus: () => focus(true), onblur: () => focus(false),
        onclick: () => emit(model, "select", { index, value: label, selected: true }) },
      h("span", { "aria-hidden": "true", style: { display: "inline-block", width: "10px", height: "10px", background: color,
        marginRight: "6px", borderRadius: "2px" } }), label));
    }
  };
  apply();
  watch(model, ["value", "show_legend", "height", "width", "label"], apply, signal);
}
