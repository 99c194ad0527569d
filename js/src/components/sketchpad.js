import { h, emit, setValue, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * Sketchpad / ImageEditor: a canvas drawn on with pointer events (mouse, pen,
 * touch). When a stroke ends, the whole canvas is encoded as PNG, uploaded,
 * and becomes the value (a FileData), so the kernel decodes it like an Image.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "sketchpad", { signal, labelFor: false });
  const canvas = h("canvas", { class: "nbd-canvas", role: "img" });
  const ctx = canvas.getContext("2d");
  const box = h("div", { class: "nbd-canvas-box" }, canvas);
  const tools = h("div", { class: "nbd-canvas-tools" });
  f.body.replaceChildren(box, tools);

  const brush = () => model.get("brush") || {};
  let color = brush().default_color || "#000000";
  let width = 0; // 0 until the canvas size is known ("auto")
  let mine = null; // the FileData this view made (not redrawn when it comes back)
  let seq = 0; // bumped by every stroke, clear and load: only the latest upload sets the value
  let drawing = null; // { id: pointerId, last: [x, y] }
  let erasing = false; // the Eraser tool is on
  let eraserWidth = 0; // 0: "auto"
  // what erasing brings back: the canvas colour, or the image last put on the canvas
  const under = document.createElement("canvas");
  const keepUnder = () => {
    under.width = canvas.width;
    under.height = canvas.height;
    under.getContext("2d").drawImage(canvas, 0, 0);
  };

  const autoSize = () => Math.max(2, Math.round(Math.min(canvas.width, canvas.height) / 30));
  const paintBackground = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const bg = model.get("canvas_color");
    if (bg) { ctx.fillStyle = bg; ctx.fillRect(0, 0, canvas.width, canvas.height); }
  };
  const resize = (w, hgt) => {
    canvas.width = w;
    canvas.height = hgt;
    // shown as wide as the column allows, at most `width` wide and `height` (default 480px) high
    const maxW = [size(model.get("width")), `calc(${size(model.get("height")) || "480px"} * ${w / hgt})`].filter(Boolean);
    canvas.style.maxWidth = `min(${maxW.join(", ")})`;
    paintBackground();
    keepUnder();
  };
  const blank = () => {
    const [w, hgt] = model.get("canvas_size") || [800, 800];
    resize(w, hgt);
  };

  // -- drawing -------------------------------------------------------------------
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  const lineWidth = (e) => {
    const w = erasing ? eraserWidth || autoSize() : width || autoSize();
    return e.pointerType === "pen" && e.pressure > 0 ? Math.max(1, w * Math.min(2, e.pressure * 2)) : w;
  };
  const ink = () => (erasing ? ctx.createPattern(under, "no-repeat") : color);
  const dot = ([x, y], e) => {
    ctx.fillStyle = ink();
    ctx.beginPath();
    ctx.arc(x, y, lineWidth(e) / 2, 0, Math.PI * 2);
    ctx.fill();
  };
  const line = (a, b, e) => {
    ctx.strokeStyle = ink();
    ctx.lineWidth = lineWidth(e);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
  };
  canvas.addEventListener("pointerdown", (e) => {
    if (!editable(model) || e.button !== 0 || drawing) return;
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    seq++; // an export still encoding is now stale
    drawing = { id: e.pointerId, last: point(e) };
    dot(drawing.last, e);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing || e.pointerId !== drawing.id) return;
    e.preventDefault();
    for (const ev of e.getCoalescedEvents?.() || [e]) {
      const p = point(ev);
      line(drawing.last, p, ev);
      drawing.last = p;
    }
  });
  const end = (e) => {
    if (!drawing || e.pointerId !== drawing.id) return;
    drawing = null;
    commit();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  /** Encode the canvas as PNG, upload it and make it the value (latest stroke wins). */
  const commit = async () => {
    const my = ++seq;
    el.classList.add("nbd-uploading");
    try {
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      if (!blob || my !== seq) return;
      const [fd] = await uploadFiles(model, [new File([blob], "sketch.png", { type: "image/png" })]);
      if (my !== seq) return;
      mine = fd;
      setValue(model, fd);
      emit(model, "input");
      emit(model, "change");
      emit(model, "apply"); // the stroke is saved as the value (Gradio's "apply" on save)
    } catch (err) {
      reportError(el, err.message || String(err));
    } finally {
      if (my === seq) el.classList.remove("nbd-uploading");
    }
  };

  // -- showing a value (from the kernel, or an uploaded background) ------------------
  const draw = async (url, token) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    if (token !== seq) return false;
    resize(img.naturalWidth, img.naturalHeight);
    ctx.drawImage(img, 0, 0);
    keepUnder();
    return true;
  };
  const show = async () => {
    const fd = model.get("value");
    if (fd && mine && fd.id === mine.id) return; // what this canvas already shows
    const my = ++seq;
    mine = fd;
    el.classList.remove("nbd-uploading");
    if (!fd) { blank(); return; }
    try {
      await draw(await fileUrl(model, fd), my);
    } catch (err) {
      reportError(el, `Could not load the image: ${err.message || err}`);
    }
  };

  const clear = () => {
    seq++;
    blank();
    el.classList.remove("nbd-uploading");
    if (model.get("value") === null || model.get("value") === undefined) return;
    mine = null;
    setValue(model, null);
    emit(model, "clear");
    emit(model, "input");
    emit(model, "change");
  };

  const accept = async (fileList) => {
    const file = [...fileList].find((x) => x && (!x.type || x.type.startsWith("image/")));
    if (!file) { reportError(el, "Not an image file"); return; }
    const my = ++seq;
    el.classList.add("nbd-uploading");
    const local = URL.createObjectURL(file);
    try {
      if (!(await draw(local, my))) return;
      const [fd] = await uploadFiles(model, [file]);
      if (my !== seq) return;
      mine = fd;
      setValue(model, fd);
      emit(model, "upload");
      emit(model, "input");
      emit(model, "change");
    } catch (err) {
      reportError(el, err.message || String(err));
    } finally {
      URL.revokeObjectURL(local);
      if (my === seq) el.classList.remove("nbd-uploading");
    }
  };

  const download = () => {
    canvas.toBlob((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: `${model.get("label") || "sketch"}.png` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }, "image/png");
  };

  // -- tools -------------------------------------------------------------------
  const buildTools = () => {
    const canEdit = editable(model);
    const name = model.get("label") || "Sketchpad";
    canvas.setAttribute("aria-label", name);
    canvas.classList.toggle("nbd-drawable", canEdit);
    const b = brush();
    const colors = b.colors || [];
    const items = [];
    if (canEdit) {
      if (!width) width = b.default_size === "auto" || !b.default_size ? 0 : b.default_size;
      const swatches = colors.map((c) => {
        const btn = h("button", { type: "button", class: "nbd-swatch", title: c, "aria-label": `Brush color ${c}`,
          "aria-pressed": String(c === color), style: { background: c } });
        btn.addEventListener("click", () => { color = c; erasing = false; buildTools(); });
        return btn;
      });
      if (swatches.length > 1 || b.color_mode !== "fixed") items.push(h("div", { class: "nbd-swatches" }, ...swatches));
      if (b.color_mode !== "fixed") {
        const pick = h("input", { type: "color", class: "nbd-color-input", "aria-label": "Brush color",
          value: HEX.test(color) ? color : "#000000" });
        pick.addEventListener("input", () => { color = pick.value; });
        pick.addEventListener("change", () => buildTools());
        items.push(pick);
      }
      const cap = Math.max(4, Math.round(Math.min(canvas.width, canvas.height) / 4));
      const range = h("input", { type: "range", min: 1, max: Math.max(cap, width || autoSize()), step: 1,
        value: width || autoSize(), "aria-label": "Brush size", class: "nbd-range nbd-brush-size" });
      const shown = h("span", { class: "nbd-brush-value" }, String(width || autoSize()));
      range.addEventListener("input", () => { width = Number(range.value); shown.textContent = range.value; });
      items.push(h("label", { class: "nbd-brush" }, h("span", { "aria-hidden": "true" }, "Size"), range, shown));
      const er = model.get("eraser");
      if (er) {
        if (!eraserWidth) eraserWidth = er.default_size === "auto" || !er.default_size ? 0 : er.default_size;
        const toggle = h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-canvas-btn nbd-eraser",
          "aria-pressed": String(erasing), title: "Eraser" }, "Eraser");
        toggle.addEventListener("click", () => { erasing = !erasing; buildTools(); });
        items.push(toggle);
        if (erasing) {
          const er_range = h("input", { type: "range", min: 1, max: Math.max(cap, eraserWidth || autoSize()), step: 1,
            value: eraserWidth || autoSize(), "aria-label": "Eraser size", class: "nbd-range nbd-brush-size" });
          er_range.addEventListener("input", () => { eraserWidth = Number(er_range.value); });
          items.push(er_range);
        }
      }
      const sources = model.get("sources") || [];
      if (sources.includes("upload")) {
        const input = h("input", { type: "file", accept: "image/*", id: `${f.id}-file`, class: "nbd-file-input",
          "aria-label": "Upload an image to draw on" });
        input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
        items.push(h("label", { for: `${f.id}-file`, class: "nbd-button nbd-size-sm nbd-canvas-btn" }, "Upload"), input);
      }
      items.push(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-canvas-btn", "aria-label": "Clear canvas",
        onclick: clear }, "Clear"));
    }
    if (model.get("show_download_button")) {
      items.push(h("button", { type: "button", class: "nbd-icon-btn", title: "Download", "aria-label": "Download drawing",
        onclick: download }, "⤓"));
    }
    tools.replaceChildren(...items);
    tools.hidden = !items.length;
  };

  acceptDrops(el, model, accept, { source: "upload" });
  el.addEventListener("paste", (e) => {
    if (!editable(model) || !(model.get("sources") || []).includes("clipboard")) return;
    const list = [...(e.clipboardData?.files || [])];
    if (list.length) { e.preventDefault(); accept(list); }
  });
  el.tabIndex = -1;

  blank();
  buildTools();
  show();
  watch(model, ["value"], show, signal);
  watch(model, ["canvas_size", "canvas_color"], () => { mine = null; show(); }, signal);
  watch(model, ["brush"], () => { color = brush().default_color || color; width = 0; buildTools(); }, signal);
  watch(model, ["interactive", "_editable", "label", "sources", "show_download_button"], buildTools, signal);
  watch(model, ["width", "height"], () => { mine = null; show(); }, signal);
}
