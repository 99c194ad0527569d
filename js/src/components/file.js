import { h, emit, setValue, watch, editable, frame, commonProps, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";

// ---- helpers shared by File, UploadButton, DownloadButton (and the media renderers) ----

/** "12.3 KB": the same units as nbdemo.files.human_size. */
export function humanSize(n) {
  if (n === null || n === undefined) return "";
  const units = ["bytes", "KB", "MB", "GB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return i === 0 ? `${n} bytes` : `${n.toFixed(1)} ${units[i]}`;
}

const CATEGORIES = ["image", "video", "audio", "text"];

/** The <input accept> for a file_types list: ".png", "image" → "image/*", MIME patterns as is. */
export function acceptFor(types) {
  if (!types || !types.length || types.some((t) => t === "file" || t === "*")) return null;
  return types.map((t) => (CATEGORIES.includes(t) ? `${t}/*` : t)).join(",");
}

/** Whether a browser File matches file_types (the server checks again). */
export function allowedType(file, types) {
  if (!types || !types.length) return true;
  const name = (file.name || "").toLowerCase();
  const mime = (file.type || "").toLowerCase();
  return types.some((t) => {
    if (t === "file" || t === "*" || t === "*/*") return true;
    if (t.startsWith(".")) return name.endsWith(t);
    if (CATEGORIES.includes(t)) return mime.startsWith(`${t}/`);
    if (t.endsWith("/*")) return mime.startsWith(t.slice(0, -1));
    return mime === t;
  });
}

/** A URL that downloads `fd` under its original name (standalone: ?download=1 → attachment). */
export async function downloadUrl(model, fd) {
  const url = await fileUrl(model, fd);
  if (fd.url && url === fd.url) return `${url}${url.includes("?") ? "&" : "?"}download=1`;
  return url;
}

/** Start the download of `fd` as a person clicking a link would. */
export async function download(model, fd) {
  const a = h("a", { href: await downloadUrl(model, fd), download: fd.orig_name || "download", hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

// Placeholder icons as inline SVG (emoji need a font the machine may lack).
const ICONS = {
  file: "M6 2h8l6 6v14H6z M14 2v6h6",
  audio: "M9 18V5l11-2v13 M9 18a3 3 0 1 1-6 0a3 3 0 0 1 6 0z M20 16a3 3 0 1 1-6 0a3 3 0 0 1 6 0z",
  video: "M3 5h13v14H3z M16 10l5-3v10l-5-3",
  image: "M3 4h18v16H3z M3 16l5-5 4 4 3-3 6 6 M15 9.5a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0",
};

/** A 40px outline icon ("file", "audio", "video", "image") for empty boxes: SVG, so it
 * shows the same everywhere (an emoji is a box where no emoji font is installed). */
export function placeholderIcon(kind) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "40", height: "40", fill: "none",
    stroke: "currentColor", "stroke-width": "1.5", "stroke-linejoin": "round", "aria-hidden": "true", class: "nbd-placeholder-icon" })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[kind] || ICONS.file);
  svg.append(path);
  return svg;
}

const asList = (v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Keep the files allowed by file_types; report the others. Returns the kept ones. */
function filterTypes(el, model, list) {
  const types = model.get("file_types");
  const ok = list.filter((f) => allowedType(f, types));
  const bad = list.filter((f) => !ok.includes(f));
  if (bad.length) reportError(el, `${bad.map((f) => f.name).join(", ")}: not an allowed file type; allowed: ${types.join(", ")}`);
  return ok;
}

function configureInput(input, model) {
  const count = model.get("file_count");
  input.accept = acceptFor(model.get("file_types")) || "";
  input.multiple = count !== "single";
  if (count === "directory") input.setAttribute("webkitdirectory", "");
  else input.removeAttribute("webkitdirectory");
}

/** Upload `list` and set the component's value (one FileData, or a list for multiple/directory). */
async function uploadInto(model, list) {
  const single = model.get("file_count") === "single";
  const fds = await uploadFiles(model, single ? list.slice(0, 1) : list);
  setValue(model, single ? fds[0] : fds);
  return fds;
}

// ---- File ------------------------------------------------------------------------------

/** File: a dropzone (input) or a list of files with names, sizes and download links. */
export function file({ model, el, signal }) {
  const f = frame(model, el, "file", { signal });

  const accept = async (fileList) => {
    const list = filterTypes(el, model, [...fileList]);
    if (!list.length) return;
    el.classList.add("nbd-uploading");
    try {
      await uploadInto(model, list);
      build();
      emit(model, "upload");
      emit(model, "input");
      emit(model, "change");
    } catch (e) {
      reportError(el, e.message || String(e));
    } finally {
      el.classList.remove("nbd-uploading");
    }
  };

  const clear = () => {
    setValue(model, null);
    build();
    emit(model, "clear");
    emit(model, "input");
    emit(model, "change");
  };

  const build = () => {
    const value = model.get("value");
    const fds = asList(value);
    const canEdit = editable(model);
    const box = h("div", { class: "nbd-file-box" });
    const height = model.get("height");
    if (height !== null && height !== undefined) box.style.maxHeight = typeof height === "number" ? `${height}px` : height;
    const input = h("input", { type: "file", id: f.id, class: "nbd-file-input" });
    configureInput(input, model);
    input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
    if (fds.length) {
      const rows = fds.map((fd, index) => {
        const link = h("a", { class: "nbd-file-name", download: fd.orig_name || "file", title: `Download ${fd.orig_name || "file"}` }, fd.orig_name || "file");
        link.addEventListener("click", () => emit(model, "download", { file: fd }));
        const row = h("li", { class: "nbd-file-row", "data-index": index }, link, h("span", { class: "nbd-file-size" }, humanSize(fd.size)));
        if (canEdit && Array.isArray(value)) {
          // one file of several: remove just it (Gradio's "delete" event)
          row.append(h("button", { type: "button", class: "nbd-icon-btn nbd-file-delete", title: `Remove ${fd.orig_name || "file"}`,
            "aria-label": `Remove ${fd.orig_name || "file"}`, onclick: (e) => {
              e.stopPropagation();
              const rest = fds.filter((_, i) => i !== index);
              setValue(model, rest.length ? rest : null);
              build();
              emit(model, "delete", { file: fd });
              emit(model, "input");
              emit(model, "change");
            } }, "×"));
        }
        row.addEventListener("click", (e) => {
          if (e.target === link || e.target.closest?.(".nbd-file-delete")) return;
          emit(model, "select", { index, value: fd.orig_name, selected: true });
        });
        downloadUrl(model, fd).then((url) => { link.href = url; })
          .catch((e) => reportError(el, `Could not load ${fd.orig_name}: ${e.message || e}`));
        return row;
      });
      box.append(h("ul", { class: "nbd-file-list", "aria-label": model.get("label") || "files" }, rows));
      if (canEdit) {
        box.classList.add("nbd-editable");
        box.append(h("div", { class: "nbd-media-tools" },
          h("label", { for: f.id, class: "nbd-icon-btn", title: "Upload other files" }, "⤒"),
          h("button", { type: "button", class: "nbd-icon-btn", title: "Clear", "aria-label": "Clear files", onclick: clear }, "×")));
        box.append(input);
      }
      f.body.replaceChildren(box);
      return;
    }
    if (!canEdit) {
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-placeholder", "aria-hidden": "true" }, placeholderIcon("file")));
      f.body.replaceChildren(box);
      return;
    }
    box.classList.add("nbd-dropzone");
    const what = model.get("file_count") === "directory" ? "a folder" : model.get("file_count") === "multiple" ? "files" : "a file";
    box.append(h("div", { class: "nbd-drop-hint" }, h("label", { for: f.id, class: "nbd-link" }, "Click to upload"), ` or drop ${what} here`));
    const types = model.get("file_types");
    if (types?.length) box.append(h("div", { class: "nbd-file-types" }, `Allowed: ${types.join(", ")}`));
    box.append(input);
    f.body.replaceChildren(box);
  };

  acceptDrops(el, model, accept);
  build();
  watch(model, ["value", "interactive", "_editable", "file_count", "file_types", "height", "label"], build, signal);
}

// ---- UploadButton ----------------------------------------------------------------------

/** UploadButton: a button that opens the file dialog, uploads, then fires "upload". */
export function uploadbutton({ model, el, signal }) {
  el.classList.add("nbd-comp", "nbd-button-wrap", "nbd-uploadbutton");
  const input = h("input", { type: "file", class: "nbd-file-input", tabindex: "-1" });
  const btn = h("button", { type: "button", class: "nbd-button" });
  el.replaceChildren(btn, input);
  let busy = false;
  const apply = () => {
    const text = model.get("label") || "Upload a File";
    btn.textContent = busy ? "Uploading…" : text;
    btn.className = `nbd-button nbd-${model.get("variant") || "secondary"} nbd-size-${model.get("size") || "lg"}`;
    btn.disabled = busy || model.get("interactive") === false;
    input.setAttribute("aria-label", text);
    configureInput(input, model);
    commonProps(model, el);
  };
  btn.addEventListener("click", () => {
    emit(model, "click");
    input.click();
  });
  input.addEventListener("change", async () => {
    const list = filterTypes(el, model, [...input.files]);
    input.value = "";
    if (!list.length) return;
    busy = true;
    apply();
    try {
      await uploadInto(model, list);
      emit(model, "upload");
    } catch (e) {
      reportError(el, e.message || String(e));
    } finally {
      busy = false;
      apply();
    }
  });
  apply();
  watch(model, ["label", "variant", "size", "interactive", "file_count", "file_types", "visible", "elem_id", "elem_classes", "scale", "min_width"], apply, signal);
}

// ---- DownloadButton --------------------------------------------------------------------

/** DownloadButton: a click saves `value` under its original name (and fires "click"). */
export function downloadbutton({ model, el, signal }) {
  el.classList.add("nbd-comp", "nbd-button-wrap", "nbd-downloadbutton");
  const btn = h("button", { type: "button", class: "nbd-button" });
  el.replaceChildren(btn);
  const apply = () => {
    const fd = model.get("value");
    btn.textContent = model.get("label") || "Download";
    btn.className = `nbd-button nbd-${model.get("variant") || "secondary"} nbd-size-${model.get("size") || "lg"}`;
    btn.disabled = model.get("interactive") === false;
    btn.title = fd ? `Download ${fd.orig_name} (${humanSize(fd.size)})` : "Nothing to download yet";
    btn.dataset.file = fd?.orig_name || "";
    commonProps(model, el);
  };
  btn.addEventListener("click", async () => {
    emit(model, "click");
    const fd = model.get("value");
    if (!fd) return;
    try {
      await download(model, fd);
    } catch (e) {
      reportError(el, `Could not download ${fd.orig_name}: ${e.message || e}`);
    }
  });
  apply();
  watch(model, ["value", "label", "variant", "size", "interactive", "visible", "elem_id", "elem_classes", "scale", "min_width"], apply, signal);
}
