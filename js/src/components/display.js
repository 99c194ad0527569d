import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, emit, watch, frame, copyText } from "../util.js";
import { SET } from "../protocol.js";

const purify = (html) => DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });

export function markdown({ model, el, signal }) {
  const f = frame(model, el, "markdown", { signal, labelFor: false });
  const box = h("div", { class: "nbd-prose" });
  const copy = h("button", { class: "nbd-copy nbd-md-copy", type: "button", "aria-label": "Copy" }, "Copy");
  copy.addEventListener("click", async () => {
    const text = model.get("value") ?? "";
    if (await copyText(text)) emit(model, "copy", { value: text });
  });
  f.body.append(copy, box);
  const apply = () => {
    copy.hidden = !model.get("show_copy_button");
    const src = model.get("value") ?? "";
    const html = marked.parse(src, { breaks: !!model.get("line_breaks"), gfm: true, async: false });
    box.innerHTML = model.get("sanitize_html") === false ? html : purify(html);
    box.dir = model.get("rtl") ? "rtl" : "";
    const height = model.get("height");
    box.style.maxHeight = height === null || height === undefined || height === "" ? "" : typeof height === "number" || /^\d+$/.test(height) ? `${height}px` : height;
    box.style.overflowY = box.style.maxHeight ? "auto" : "";
    if (model.get("header_links")) {
      for (const hd of box.querySelectorAll("h1,h2,h3,h4,h5,h6")) {
        hd.id = hd.textContent.trim().toLowerCase().replace(/[^\w]+/g, "-");
      }
    }
  };
  apply();
  watch(model, ["value", "sanitize_html", "line_breaks", "rtl", "header_links", "height", "show_copy_button"], apply, signal);
}

/** JSON text whose list items are labelled with their index ("0: ..."), for show_indices. */
function indexed(v, pad = "") {
  const inner = `${pad}  `;
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    return `[\n${v.map((x, i) => `${inner}${i}: ${indexed(x, inner)}`).join(",\n")}\n${pad}]`;
  }
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    if (!keys.length) return "{}";
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${indexed(v[k], inner)}`).join(",\n")}\n${pad}}`;
  }
  return JSON.stringify(v);
}

export function json({ model, el, signal }) {
  const f = frame(model, el, "json", { signal, labelFor: false });
  const pre = h("pre", { class: "nbd-json", tabindex: "0" });
  if (f.labelText()) pre.setAttribute("aria-labelledby", `${f.id}-label`);
  f.body.append(pre);
  const apply = () => {
    const v = model.get("value");
    pre.textContent = v === null || v === undefined ? "" : model.get("show_indices") ? indexed(v) : JSON.stringify(v, null, 2);
    const height = model.get("height");
    pre.style.maxHeight = height ? (/^\d+$/.test(height) ? `${height}px` : height) : "";
  };
  apply();
  watch(model, ["value", "height", "show_indices"], apply, signal);
}

export function label({ model, el, signal }) {
  const f = frame(model, el, "label", { signal, labelFor: false });
  const out = h("div", { class: "nbd-label-out", role: "status" });
  if (f.labelText()) out.setAttribute("aria-labelledby", `${f.id}-label`);
  f.body.append(out);
  const apply = () => {
    const v = model.get("value");
    const nodes = [];
    if (v && v.label !== null && v.label !== undefined && model.get("show_heading") !== false) {
      nodes.push(h("div", { class: "nbd-label-heading" }, String(v.label)));
    }
    for (const [i, c] of (v?.confidences || []).entries()) {
      const pct = Math.max(0, Math.min(1, Number(c.confidence))) * 100;
      const bar = h("div", { class: "nbd-bar-fill", style: { width: `${pct}%` } });
      if (model.get("color")) bar.style.background = model.get("color");
      nodes.push(h("button", { type: "button", class: "nbd-confidence", "data-label": c.label,
        onclick: () => emit(model, "select", { index: i, value: c.label, selected: true }) },
        h("div", { class: "nbd-bar" }, bar),
        h("span", { class: "nbd-conf-label" }, c.label),
        h("span", { class: "nbd-conf-value" }, `${Math.round(pct)}%`)));
    }
    out.replaceChildren(...nodes);
  };
  apply();
  watch(model, ["value", "show_heading", "color"], apply, signal);
}

export function state({ el }) {
  el.hidden = true;
  el.classList.add("nbd-state");
}

export function dataset({ model, el, signal }) {
  const f = frame(model, el, "dataset", { signal, labelFor: false });
  let page = 0;
  const apply = () => {
    const samples = model.get("samples") || [];
    const headers = model.get("headers") || [];
    const per = model.get("samples_per_page") || 10;
    const pages = Math.max(1, Math.ceil(samples.length / per));
    page = Math.min(page, pages - 1);
    const showHead = headers.some((x) => x);
    const table = h("table", { class: "nbd-dataset-table" });
    if (f.labelText()) table.setAttribute("aria-labelledby", `${f.id}-label`);
    if (showHead) table.append(h("thead", {}, h("tr", {}, ...headers.map((x) => h("th", { scope: "col" }, x)))));
    const body = h("tbody");
    samples.slice(page * per, page * per + per).forEach((row, j) => {
      const i = page * per + j;
      const tr = h("tr", { class: "nbd-sample", tabindex: "0", "data-index": i });
      const pick = () => {
        model.set("value", i);
        model.send({ type: SET, value: i });
        emit(model, "click");
        emit(model, "select", { index: i, value: samples[i], selected: true });
      };
      tr.addEventListener("click", pick);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
      for (const cell of row) tr.append(h("td", {}, String(cell ?? "")));
      body.append(tr);
    });
    table.append(body);
    const nav = pages > 1
      ? h("div", { class: "nbd-pages" }, ...Array.from({ length: pages }, (_, p) =>
          h("button", { type: "button", class: p === page ? "nbd-page-btn nbd-active" : "nbd-page-btn",
            onclick: () => { page = p; apply(); } }, String(p + 1))))
      : null;
    f.body.replaceChildren(table, ...(nav ? [nav] : []));
  };
  apply();
  watch(model, ["samples", "headers", "samples_per_page"], apply, signal);
}
