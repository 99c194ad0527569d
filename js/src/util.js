// Helpers shared by component renderers. Renderers only use the anywidget
// model interface (get/set/on/off/send), so the notebook and the page host
// run the same code.
import { SET, EVENT } from "./protocol.js";

let counter = 0;
export const uid = (p = "nbd") => `${p}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

/** h("div", {class: "x", onclick: f}, child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Tell the Python side about a trigger, if some listener wants it. */
export function emit(model, event, data = null) {
  const events = model.get("_events") || [];
  if (events.includes(event)) model.send({ type: EVENT, event, data });
}

/** The user changed the value: update the model locally and tell Python. */
export function setValue(model, value) {
  model.set("value", value);
  model.send({ type: SET, value });
}

/** Subscribe to model changes; removed when `signal` aborts. */
export function watch(model, names, cb, signal) {
  const list = Array.isArray(names) ? names : [names];
  const fn = () => cb();
  for (const n of list) model.on(`change:${n}`, fn);
  signal?.addEventListener("abort", () => { for (const n of list) model.off(`change:${n}`, fn); });
}

export function editable(model) {
  const i = model.get("interactive");
  return i === null || i === undefined ? model.get("_editable") !== false : !!i;
}

/**
 * The frame every form component shares: a wrapper with its label (bound to
 * the control with for=/id, or aria-label when hidden), info text, and the
 * common props (visible, elem_id, elem_classes, scale, min_width).
 */
export function frame(model, el, kind, { signal, labelFor = true } = {}) {
  const id = uid(kind);
  el.classList.add("nbd-comp", `nbd-${kind}`);
  const label = h("label", { class: "nbd-label", for: labelFor ? id : null, id: `${id}-label` });
  const info = h("div", { class: "nbd-info" });
  const body = h("div", { class: "nbd-body" });
  el.replaceChildren(label, info, body);
  const apply = () => {
    const text = model.get("label");
    label.textContent = text ?? "";
    label.hidden = !text || model.get("show_label") === false;
    info.textContent = model.get("info") ?? "";
    info.hidden = !model.get("info");
    commonProps(model, el);
  };
  apply();
  watch(model, ["label", "show_label", "info", "visible", "elem_id", "elem_classes", "scale", "min_width"], apply, signal);
  return { id, label, info, body, labelText: () => model.get("label") || "" };
}

let lastClasses = new WeakMap();
export function commonProps(model, el) {
  el.hidden = model.get("visible") === false;
  const elemId = model.get("elem_id");
  if (elemId) el.id = elemId; else el.removeAttribute("id");
  const old = lastClasses.get(el) || [];
  for (const c of old) el.classList.remove(c);
  const classes = model.get("elem_classes") || [];
  for (const c of classes) el.classList.add(c);
  lastClasses.set(el, classes);
  const scale = model.get("scale");
  el.style.flexGrow = scale === null || scale === undefined ? "" : String(scale);
  const mw = model.get("min_width");
  el.style.minWidth = mw ? `min(${mw}px, 100%)` : "";
}

/** Name a control for assistive tech even when its visible label is hidden. */
export function nameControl(control, model) {
  const text = model.get("label");
  if (text && model.get("show_label") === false) control.setAttribute("aria-label", text);
  else control.removeAttribute("aria-label");
}
