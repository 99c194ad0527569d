// Helpers shared by component renderers. Renderers only use the anywidget
// model interface (get/set/on/off/send), so the notebook and the page host
// run the same code.
import { SET, EVENT, UPLOAD, UPLOADED, FETCH, FILE } from "./protocol.js";

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
  // the demo root runs listeners' js= first, when the app has any (layout.js)
  if (model.nbdemoEmit) return model.nbdemoEmit(model, event, data);
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

// ---- files -----------------------------------------------------------------
// A FileData ({_file, id, orig_name, mime_type, size}) has a `url` in the
// standalone page and its bytes as `data` (a widget buffer) in a notebook.
// Files the page has neither for (initial values inline) are fetched once by
// id over the widget's comm. Object URLs are cached per id.
const urlCache = new Map();
const pendingFetch = new Map();

function blobUrl(id, data, mime) {
  if (urlCache.has(id)) return urlCache.get(id);
  const url = URL.createObjectURL(new Blob([data], { type: mime || "application/octet-stream" }));
  urlCache.set(id, url);
  return url;
}

/** Let go of the object URL made for `fd` (a streamed frame that was replaced). */
export function forgetUrl(fd) {
  const url = fd && urlCache.get(fd.id);
  if (!url) return;
  urlCache.delete(fd.id);
  if (url.startsWith("blob:")) URL.revokeObjectURL(url);
}

/** The URL to show or download a FileData (a promise). */
export async function fileUrl(model, fd) {
  if (!fd) return null;
  if (fd.url) return fd.url;
  if (fd.data) return blobUrl(fd.id, fd.data, fd.mime_type);
  if (urlCache.has(fd.id)) return urlCache.get(fd.id);
  if (!pendingFetch.has(fd.id)) {
    pendingFetch.set(fd.id, new Promise((resolve, reject) => {
      const on = (msg, buffers) => {
        if (!msg || msg.type !== FILE || msg.id !== fd.id) return;
        model.off("msg:custom", on);
        pendingFetch.delete(fd.id);
        if (msg.error || !buffers?.length) reject(new Error(msg.error || "no data"));
        else resolve(blobUrl(fd.id, buffers[0], fd.mime_type));
      };
      model.on("msg:custom", on);
      model.send({ type: FETCH, id: fd.id });
    }));
  }
  return pendingFetch.get(fd.id);
}

const CHUNK = 4 * 1024 * 1024; // jupyter-server closes kernel WebSockets on messages over 10 MiB

/**
 * Upload browser File/Blob objects; resolves to their FileData, in order.
 * Standalone: the page model uploads over HTTP (model.nbdemoUpload).
 * Notebook: chunks as widget buffers on the component's comm.
 */
export async function uploadFiles(model, list, maxSize = model.get("_max_file_size")) {
  const out = [];
  for (const file of list) {
    if (maxSize && file.size > maxSize) {
      throw new Error(`File too large: ${file.name || "file"} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${(maxSize / 1e6).toFixed(1)} MB`);
    }
    let fd;
    if (model.nbdemoUpload) fd = await model.nbdemoUpload(file);
    else fd = await uploadByComm(model, file);
    if (!fd.url && !fd.data) urlCache.set(fd.id, URL.createObjectURL(file));
    out.push(fd);
  }
  return out;
}

function uploadByComm(model, file) {
  const ref = uid("up");
  return new Promise((resolve, reject) => {
    let refused = false;
    const on = (msg) => {
      if (!msg || msg.ref !== ref) return;
      model.off("msg:custom", on);
      if (msg.type === UPLOADED) resolve(msg.file);
      else { refused = true; reject(new Error(msg.message || "upload refused")); }
    };
    model.on("msg:custom", on);
    (async () => {
      const n = Math.max(1, Math.ceil(file.size / CHUNK));
      for (let seq = 0; seq < n && !refused; seq++) {
        const part = await file.slice(seq * CHUNK, (seq + 1) * CHUNK).arrayBuffer();
        model.send({ type: UPLOAD, ref, seq, last: seq === n - 1, name: file.name || "upload",
          mime: file.type || "", size: file.size }, undefined, [part]);
      }
    })().catch(reject);
  });
}

/** Show an error on the page (the demo root turns it into a toast). */
export function reportError(el, message) {
  el.dispatchEvent(new CustomEvent("nbd-error", { bubbles: true, detail: { message } }));
}

/**
 * Files dropped on `el` go to `accept(FileList)` while the component is
 * editable (and, with `source`, while that source is among its `sources`).
 */
export function acceptDrops(el, model, accept, { source = null } = {}) {
  const allowed = () => editable(model) && (!source || (model.get("sources") || []).includes(source));
  el.addEventListener("dragover", (e) => { if (allowed()) { e.preventDefault(); el.classList.add("nbd-dragging"); } });
  el.addEventListener("dragleave", () => el.classList.remove("nbd-dragging"));
  el.addEventListener("drop", (e) => {
    el.classList.remove("nbd-dragging");
    if (!allowed() || !e.dataTransfer?.files?.length) return;
    e.preventDefault();
    accept(e.dataTransfer.files);
  });
}

/** Put `text` on the clipboard; true when it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // no clipboard API (an insecure origin): the old way
    const ta = h("textarea", { style: { position: "fixed", opacity: "0" } });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    return ok;
  }
}

/** Import an ES module of the app's own code: from its same-origin URL in the page
 * (`model.nbdemoScriptUrl`, under script-src 'self'), else from `source` as a blob: URL. */
export async function importScript(model, source) {
  if (model.nbdemoScriptUrl) return import(/* @vite-ignore */ model.nbdemoScriptUrl);
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    return await import(/* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
}
