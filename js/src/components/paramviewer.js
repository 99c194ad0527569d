import { h, watch, frame } from "../util.js";

/** ParamViewer: one disclosure per parameter (name and type; description and default inside). */
export function render({ model, el, signal }) {
  const f = frame(model, el, "paramviewer", { signal, labelFor: false });
  const head = h("div", { class: "nbd-paramviewer-header", style: { fontWeight: "600", marginBottom: "4px" } });
  const list = h("div", { class: "nbd-paramviewer-list" });
  f.body.append(head, list);
  const mono = { fontFamily: "var(--nbd-mono, monospace)" };
  const apply = () => {
    head.textContent = model.get("header") ?? "";
    head.hidden = !model.get("header");
    list.replaceChildren(...Object.entries(model.get("value") || {}).map(([name, p]) => h("details",
      { class: "nbd-param", style: { borderTop: "1px solid var(--nbd-border, #e5e7eb)", padding: "4px 0" } },
      h("summary", {}, h("code", { style: { ...mono, fontWeight: "600" } }, name),
        p.type ? h("code", { style: { ...mono, opacity: "0.75" } }, `: ${p.type}`) : null,
        p.default !== null && p.default !== undefined ? h("code", { style: { ...mono, opacity: "0.75" } }, ` = ${p.default}`) : null),
      h("div", { style: { padding: "4px 0 4px 16px" } }, p.description || ""))));
  };
  apply();
  watch(model, ["value", "header"], apply, signal);
}
