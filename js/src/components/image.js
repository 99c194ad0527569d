import { h, emit, setValue, watch, editable, frame, fileUrl, forgetUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { placeholderIcon } from "./file.js";
import { streams, startStream } from "../stream.js";

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

  // ---- .stream(): a live webcam whose frames go to the listener -------------------
  let live = null;
  const canvas = document.createElement("canvas");
  // a frame as JPEG bytes, flipped left-right when mirrored (as Gradio captures it)
  const grab = (video, mirror) => new Promise((resolve) => {
    const w = video.videoWidth;
    const ht = video.videoHeight;
    if (!w || !ht) { resolve(null); return; }
    canvas.width = w;
    canvas.height = ht;
    const g = canvas.getContext("2d");
    g.setTransform(mirror ? -1 : 1, 0, 0, 1, mirror ? w : 0, 0);
    g.drawImage(video, 0, 0, w, ht);
    canvas.toBlob((b) => resolve(b ? b.arrayBuffer() : null), "image/jpeg", 0.8);
  });
  const stopLive = (why) => {
    if (!live) return;
    const l = live;
    live = null;
    if (liveResult) liveResult.hidden = true;
    l.video.classList.remove("nbd-behind");
    l.video.hidden = true;
    if (liveIdle) liveIdle[0].hidden = false;
    l.streamer?.stop();
    stopCamera();
    l.video.srcObject = null;
    l.btn.textContent = "Start streaming";
    l.btn.classList.replace("nbd-stop", "nbd-primary");
    l.status.textContent = why === "time" ? "Time limit reached" : why === "error" ? "Stopped: the function failed" : "";
    el.classList.remove("nbd-streaming");
  };
  signal?.addEventListener("abort", () => stopLive("user"));
  const liveView = (box) => {
    const mirror = (model.get("webcam_options") || {}).mirror !== false;
    const video = h("video", { autoplay: true, playsinline: true, muted: true, class: `nbd-webcam${mirror ? " nbd-mirror" : ""}` });
    video.muted = true;
    const btn = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm nbd-stream-btn" }, "Start streaming");
    const status = h("span", { class: "nbd-stream-status", role: "status" });
    btn.addEventListener("click", async () => {
      if (live) { stopLive("user"); return; }
      btn.disabled = true;
      try {
        const constraints = (model.get("webcam_options") || {}).constraints;
        stream = await navigator.mediaDevices.getUserMedia({ video: constraints || true, audio: false });
      } catch (e) {
        reportError(el, `Webcam unavailable: ${e.message || e}`);
        return;
      } finally {
        btn.disabled = false;
      }
      video.srcObject = stream;
      video.hidden = false;
      liveIdle[0].hidden = true;
      await video.play().catch(() => {});
      live = { video, btn, status };
      btn.textContent = "Stop";
      btn.classList.replace("nbd-primary", "nbd-stop");
      status.textContent = "";
      el.classList.add("nbd-streaming");
      live.streamer = startStream(model, el, () => grab(video, mirror), { mime: "image/jpeg", onEnd: stopLive,
        onTimeLeft: (s) => { status.textContent = `${s} s left`; } });
    });
    // when the stream's fn writes back to this same Image (a detector drawing on
    // the frame), its results are shown here in place of the camera's preview
    const result = h("img", { class: "nbd-media nbd-stream-result", alt: model.get("label") || "image", hidden: true });
    result.addEventListener("load", () => {
      if (!live) return;
      result.hidden = false;
      video.classList.add("nbd-behind");
      el.dataset.nbdFrames = String(++loaded);
    });
    liveResult = result;
    // until Start: a placeholder, not a black video
    const idle = h("div", { class: "nbd-placeholder nbd-camera-off" }, placeholderIcon("video"));
    video.hidden = true;
    liveIdle = [idle, video];
    box.classList.add("nbd-live");
    box.append(idle, video, result, h("div", { class: "nbd-row nbd-tools" }, btn, status));
    f.body.replaceChildren(box);
  };
  let liveResult = null;
  let liveIdle = null;
  let liveFd = null;

  // the image shown now: a new value (a streamed output's next frame) replaces
  // its src in place, so frames follow one another without a blank in between
  let shown = null;
  let loaded = 0;
  const showValue = async () => {
    const fd = model.get("value");
    if (live) {  // a result of the stream's fn for this same Image
      if (!fd || !liveResult) return;
      try {
        const url = await fileUrl(model, fd);
        if (model.get("value") !== fd || !live) return;
        liveResult.src = url;
        if (liveFd && liveFd.id !== fd.id) forgetUrl(liveFd);
        liveFd = fd;
      } catch (e) {
        reportError(el, `Could not load the image: ${e.message || e}`);
      }
      return;
    }
    if (!shown || !fd || !shown.box.isConnected || shown.canEdit !== editable(model)) { build(); return; }
    const before = shown.fd;
    shown.fd = fd;
    try {
      const url = await fileUrl(model, fd);
      if (model.get("value") !== fd) return;
      shown.img.src = url;
      if (shown.link) shown.link.href = url;
      if (before && before.id !== fd.id) forgetUrl(before);
    } catch (e) {
      reportError(el, `Could not load the image: ${e.message || e}`);
    }
  };

  const build = async () => {
    if (live) return;
    shown = null;
    const fd = model.get("value");
    const canEdit = editable(model);
    const sources = model.get("sources") || [];
    const box = h("div", { class: "nbd-media-box" });
    box.style.height = size(model.get("height"));
    box.style.width = size(model.get("width"));
    if (canEdit && streams(model) && sources.includes("webcam")) {
      if (navigator.mediaDevices?.getUserMedia) { liveView(box); return; }
      // browsers offer cameras only to secure pages (https, or localhost)
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-drop-hint", role: "note" }, "Streaming needs the camera, which this browser offers only on https:// or localhost pages."));
      f.body.replaceChildren(box);
      return;
    }
    const input = h("input", { type: "file", accept: "image/*", id: f.id, class: "nbd-file-input" });
    input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
    if (fd) {
      const img = h("img", { class: "nbd-media", alt: model.get("label") || "image" });
      img.addEventListener("load", () => { el.dataset.nbdFrames = String(++loaded); });
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
      shown = { box, img, link: tools.querySelector("a"), canEdit, fd };
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
  watch(model, ["value"], showValue, signal);
  watch(model, ["interactive", "_editable", "sources", "height", "width", "show_download_button", "label", "_events", "_stream", "webcam_options", "placeholder"], build, signal);
}
