import { h, emit, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { SET } from "../protocol.js";
import { placeholderIcon } from "./file.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);
const BREAKPOINTS = [576, 768, 992, 1200, 1400];
const GAP = 8;

/** A FileData as the kernel accepts it back: no bytes, no URL. */
const bare = (fd) => fd && { _file: true, id: fd.id, orig_name: fd.orig_name, mime_type: fd.mime_type, size: fd.size };

/** Gallery: a grid of images with captions; click to select and preview; upload when interactive. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "gallery", { signal, labelFor: false });
  let selected = model.get("selected_index") ?? null;
  let open = false;

  const items = () => model.get("value") || [];
  const name = () => model.get("label") || "Gallery";
  const columns = () => {
    const c = model.get("columns");
    if (!Array.isArray(c)) return Math.max(1, c || 2);
    if (!c.length) return 2;
    const w = el.clientWidth || window.innerWidth;
    const i = BREAKPOINTS.findIndex((b) => w < b);
    return Math.max(1, c[Math.min(i === -1 ? BREAKPOINTS.length : i, c.length - 1)]);
  };
  const itemName = (it, i) => it.caption || `${name()} image ${i + 1}`;

  const setItems = (list) => {
    model.set("value", list);
    model.send({ type: SET, value: list && list.map((it) => ({ image: bare(it.image), caption: it.caption ?? null })) });
  };
  const withUrl = (img, fd, link) => {
    fileUrl(model, fd).then((url) => {
      img.src = url;
      if (link) link.href = url;
    }).catch((e) => reportError(el, `Could not load an image: ${e.message || e}`));
  };

  const select = (i, { preview = true } = {}) => {
    const list = items();
    if (i < 0 || i >= list.length) return;
    selected = i;
    const it = list[i];
    emit(model, "select", { index: i, value: { image: bare(it.image), caption: it.caption ?? null }, selected: true });
    if (preview && model.get("allow_preview") && !open) {
      open = true;
      emit(model, "preview_open");
    }
    build();
  };
  const close = () => {
    if (!open) return;
    open = false;
    emit(model, "preview_close");
    build();
  };

  const accept = async (fileList) => {
    const list = [...fileList].filter((x) => x && (!x.type || x.type.startsWith("image/")));
    if (!list.length) { reportError(el, "Not an image file"); return; }
    el.classList.add("nbd-uploading");
    try {
      const fds = await uploadFiles(model, list);
      setItems([...items(), ...fds.map((fd) => ({ image: fd, caption: null }))]);
      build();
      emit(model, "upload");
      emit(model, "change");
    } catch (e) {
      reportError(el, e.message || String(e));
    } finally {
      el.classList.remove("nbd-uploading");
    }
  };

  const previewView = (list) => {
    const i = Math.min(selected ?? 0, list.length - 1);
    const it = list[i];
    const big = h("img", { class: "nbd-gallery-big", alt: itemName(it, i) });
    big.style.objectFit = "contain";
    const tools = h("div", { class: "nbd-media-tools" });
    let link = null;
    if (model.get("show_download_button")) {
      link = h("a", { class: "nbd-icon-btn", download: it.image?.orig_name || "image", title: "Download",
        "aria-label": `Download ${itemName(it, i)}` }, "⤓");
      tools.append(link);
    }
    tools.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Close preview", "aria-label": "Close preview",
      onclick: close }, "×"));
    withUrl(big, it.image, link);
    const nav = (d) => h("button", { type: "button", class: `nbd-icon-btn nbd-gallery-nav nbd-gallery-${d < 0 ? "prev" : "next"}`,
      "aria-label": d < 0 ? "Previous image" : "Next image", onclick: () => select((i + d + list.length) % list.length) },
    d < 0 ? "‹" : "›");
    const strip = h("div", { class: "nbd-gallery-strip" }, ...list.map((x, j) => {
      const t = h("button", { type: "button", class: `nbd-gallery-thumb${j === i ? " nbd-selected" : ""}`,
        "aria-label": itemName(x, j), "aria-current": j === i ? "true" : null, onclick: () => select(j) });
      const img = h("img", { alt: "" });
      withUrl(img, x.image);
      t.append(img);
      return t;
    }));
    const view = h("div", { class: "nbd-gallery-preview", role: "group", "aria-label": `${name()} preview`, tabindex: "0" },
      h("div", { class: "nbd-gallery-stage" }, big, list.length > 1 ? nav(-1) : null, list.length > 1 ? nav(1) : null, tools),
      it.caption ? h("div", { class: "nbd-gallery-caption nbd-gallery-big-caption" }, it.caption) : null,
      list.length > 1 ? strip : null);
    view.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); }
      else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.preventDefault();
        e.stopPropagation();
        select((i + (e.key === "ArrowLeft" ? -1 : 1) + list.length) % list.length);
        el.querySelector(".nbd-gallery-preview")?.focus();
      }
    });
    return view;
  };

  const gridView = (list) => {
    const cols = columns();
    const grid = h("div", { class: "nbd-gallery-grid", role: "list", "aria-label": name() });
    grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    const fit = model.get("object_fit") || "cover";
    list.forEach((it, i) => {
      const img = h("img", { alt: it.caption || "" });
      img.style.objectFit = fit;
      withUrl(img, it.image);
      const btn = h("button", { type: "button", class: `nbd-gallery-item${i === selected ? " nbd-selected" : ""}`,
        "aria-label": itemName(it, i), onclick: () => select(i) }, img,
      it.caption ? h("span", { class: "nbd-gallery-caption" }, it.caption) : null);
      grid.append(h("div", { role: "listitem", class: "nbd-gallery-cell" }, btn));
    });
    const height = model.get("height");
    if (height !== null && height !== undefined) grid.style.height = size(height);
    else fitRows(grid, cols);
    return grid;
  };
  /** With `rows` (and no height): show that many rows of square tiles, scroll beyond. */
  const fitRows = (grid, cols) => {
    const rows = model.get("rows");
    if (!rows || !el.clientWidth) return;
    const tile = (el.clientWidth - GAP * (cols - 1)) / cols;
    grid.style.maxHeight = `${Math.round(rows * tile + (rows - 1) * GAP)}px`;
  };

  const build = () => {
    const list = items();
    const canEdit = editable(model);
    const parts = [];
    if (open && list.length) parts.push(previewView(list));
    else open = false;
    if (list.length && !open) parts.push(gridView(list));
    if (canEdit) {
      const input = h("input", { type: "file", accept: "image/*", multiple: true, id: `${f.id}-file`, class: "nbd-file-input",
        "aria-label": `Upload images to ${name()}` });
      input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
      const bar = h("div", { class: "nbd-gallery-bar" }, h("label", { for: `${f.id}-file`, class: "nbd-link" },
        list.length ? "Add images" : "Click to upload"), list.length ? null : " or drop images here", input);
      if (list.length) {
        bar.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Clear", "aria-label": `Clear ${name()}`,
          onclick: () => { selected = null; open = false; setItems(null); build(); emit(model, "change"); } }, "×"));
      }
      parts.push(list.length ? bar : h("div", { class: "nbd-media-box nbd-dropzone" }, bar));
    } else if (!list.length) {
      parts.push(h("div", { class: "nbd-media-box nbd-empty" }, h("div", { class: "nbd-placeholder", "aria-hidden": "true" }, placeholderIcon("image"))));
    }
    f.body.replaceChildren(...parts);
  };

  acceptDrops(el, model, accept);

  open = !!model.get("preview") && !!model.get("allow_preview");
  build();
  let lastCols = columns();
  const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => {
    const c = columns();
    if (c !== lastCols) { lastCols = c; if (!open) build(); return; }
    const grid = el.querySelector(".nbd-gallery-grid");
    if (grid && (model.get("height") === null || model.get("height") === undefined)) fitRows(grid, c);
  });
  ro?.observe(el);
  signal?.addEventListener("abort", () => ro?.disconnect());
  watch(model, ["value"], () => {
    const n = items().length;
    if (selected !== null && selected >= n) selected = n ? n - 1 : null;
    build();
  }, signal);
  watch(model, ["selected_index"], () => {
    const i = model.get("selected_index");
    selected = i ?? null;
    open = i !== null && i !== undefined && !!model.get("allow_preview");
    build();
  }, signal);
  watch(model, ["preview"], () => { open = !!model.get("preview") && !!model.get("allow_preview"); build(); }, signal);
  watch(model, ["columns", "rows", "height", "object_fit", "allow_preview", "show_download_button", "interactive", "_editable", "label"],
    build, signal);
}
