import { h, emit, setValue, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { placeholderIcon } from "./file.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);

/** Image: upload (click, drag and drop), paste, webcam; shows the value. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "image", { signal });
  let stream = null;
  const stopCamera = () => { stream?.getTracks().forEach((t) => t.stop()); stream = null; };
  signal?.addEventListener("abort", stopCamera);

  const accept = async (fileList) => {
    const list = [...fileList].filter((x) => x && (!x.type || x.type.startsWith("image/")));
    if (!list.length) { reportError(el, "Not an image file"); return; }
    el.classList.add("nbd-uploading");
    try {
      const [fd] = await uploadFiles(model, list.slice(0, 1));
      setValue(model, fd);
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

  const camera = async (box) => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    } catch (e) {
      reportError(el, `Webcam unavailable: ${e.message || e}`);
      return;
    }
    const video = h("video", { autoplay: true, playsinline: true, muted: true, class: "nbd-webcam" });
    video.srcObject = stream;
    const snap = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm" }, "Capture");
    const cancel = h("button", { type: "button", class: "nbd-button nbd-size-sm" }, "Cancel");
    snap.addEventListener("click", () => {
      const c = document.createElement("canvas");
      c.width = video.videoWidth;
      c.height = video.videoHeight;
      c.getContext("2d").drawImage(video, 0, 0);
      stopCamera();
      c.toBlob((blob) => blob && accept([new File([blob], "webcam.png", { type: "image/png" })]), "image/png");
    });
    cancel.addEventListener("click", () => { stopCamera(); build(); });
    box.replaceChildren(video, h("div", { class: "nbd-row nbd-tools" }, snap, cancel));
  };

  const build = async () => {
    const fd = model.get("value");
    const canEdit = editable(model);
    const sources = model.get("sources") || [];
    const box = h("div", { class: "nbd-media-box" });
    box.style.height = size(model.get("height"));
    box.style.width = size(model.get("width"));
    const input = h("input", { type: "file", accept: "image/*", id: f.id, class: "nbd-file-input" });
    input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
    if (fd) {
      const img = h("img", { class: "nbd-media", alt: model.get("label") || "image" });
      img.addEventListener("click", (e) => {
        const r = img.getBoundingClientRect();
        const x = Math.round(((e.clientX - r.left) / r.width) * img.naturalWidth);
        const y = Math.round(((e.clientY - r.top) / r.height) * img.naturalHeight);
        emit(model, "select", { index: [x, y], value: null, selected: true });
      });
      const tools = h("div", { class: "nbd-media-tools" });
      if (model.get("show_download_button")) {
        tools.append(h("a", { class: "nbd-icon-btn", download: fd.orig_name || "image", title: "Download", "aria-label": "Download" }, "⤓"));
      }
      if (canEdit) {
        tools.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Clear", "aria-label": "Clear image",
          onclick: () => { setValue(model, null); build(); emit(model, "clear"); emit(model, "input"); emit(model, "change"); } }, "×"));
      }
      box.append(img, tools);
      if (canEdit) box.append(input);
      f.body.replaceChildren(box);
      try {
        const url = await fileUrl(model, fd);
        if (model.get("value") !== fd) return;
        img.src = url;
        const a = tools.querySelector("a");
        if (a) a.href = url;
      } catch (e) {
        reportError(el, `Could not load the image: ${e.message || e}`);
      }
      return;
    }
    if (!canEdit) {
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-placeholder", "aria-hidden": "true" }, placeholderIcon("image")));
      f.body.replaceChildren(box);
      return;
    }
    box.classList.add("nbd-dropzone");
    const hint = [];
    if (sources.includes("upload")) hint.push(h("label", { for: f.id, class: "nbd-link" }, "Click to upload"), " or drop an image here");
    if (sources.includes("clipboard")) hint.push(sources.includes("upload") ? ", or paste one" : "Paste an image");
    // placeholder= replaces the hint: its lines as text, "# " lines as a heading (Gradio's rule)
    const placeholder = model.get("placeholder");
    const custom = placeholder ? placeholder.split("\n").map((line) => (/^#+ /.test(line)
      ? h("strong", { class: "nbd-placeholder-title" }, line.replace(/^#+ /, "")) : h("span", {}, line))) : null;
    box.append(h("div", { class: "nbd-drop-hint" }, ...(custom
      ? [sources.includes("upload") ? h("label", { for: f.id, class: "nbd-link nbd-placeholder-text" }, ...custom)
        : h("span", { class: "nbd-placeholder-text" }, ...custom)]
      : hint)));
    if (sources.includes("webcam") && navigator.mediaDevices?.getUserMedia) {
      box.append(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-webcam-btn", onclick: () => camera(box) }, "Webcam"));
    }
    if (sources.includes("upload")) box.append(input);
    f.body.replaceChildren(box);
  };

  // drag and drop, paste
  acceptDrops(el, model, accept, { source: "upload" });
  el.addEventListener("paste", (e) => {
    if (!editable(model) || !(model.get("sources") || []).includes("clipboard")) return;
    const items = [...(e.clipboardData?.files || [])];
    if (items.length) { e.preventDefault(); accept(items); }
  });
  el.tabIndex = -1;
  build();
  watch(model, ["value", "interactive", "_editable", "sources", "height", "width", "show_download_button", "label", "placeholder"], build, signal);
}
