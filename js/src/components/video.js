import { h, emit, setValue, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { downloadUrl, placeholderIcon } from "./file.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);
const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

/** Video: upload (click, drag and drop) or record from the webcam; <video controls>. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "video", { signal });
  let stream = null;
  let rec = null;
  let ticker = null;
  const stopCamera = () => {
    clearInterval(ticker);
    if (rec && rec.state !== "inactive") rec.stop();
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
  };
  signal?.addEventListener("abort", stopCamera);

  const changed = (kind) => { emit(model, kind); emit(model, "input"); emit(model, "change"); };

  const accept = async (fileList, kind = "upload") => {
    const list = [...fileList].filter((x) => x && (!x.type || x.type.startsWith("video/")));
    if (!list.length) { reportError(el, "Not a video file"); return; }
    el.classList.add("nbd-uploading");
    try {
      const [fd] = await uploadFiles(model, list.slice(0, 1));
      setValue(model, fd);
      build();
      changed(kind);
    } catch (e) {
      reportError(el, e.message || String(e));
    } finally {
      el.classList.remove("nbd-uploading");
    }
  };

  const camera = async (box) => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: !!model.get("include_audio") });
    } catch (e) {
      reportError(el, `Webcam unavailable: ${e.message || e}`);
      return;
    }
    const live = h("video", { autoplay: true, playsinline: true, muted: true, class: "nbd-webcam" });
    live.srcObject = stream;
    const time = h("span", { class: "nbd-rec-time" }, "");
    const start = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm nbd-rec-btn" },
      h("span", { class: "nbd-rec-dot", "aria-hidden": "true" }), "Record");
    const cancel = h("button", { type: "button", class: "nbd-button nbd-size-sm" }, "Cancel");
    cancel.addEventListener("click", () => { stopCamera(); rec = null; build(); });
    start.addEventListener("click", () => {
      if (rec) { // stop
        start.disabled = true;
        rec.stop();
        return;
      }
      const chunks = [];
      rec = new MediaRecorder(stream);
      rec.addEventListener("dataavailable", (e) => { if (e.data?.size) chunks.push(e.data); });
      rec.addEventListener("stop", () => {
        const type = (rec.mimeType || "video/webm").split(";")[0];
        rec = null;
        stopCamera();
        accept([new File(chunks, `recording.${type.includes("mp4") ? "mp4" : "webm"}`, { type })], "stop_recording");
      });
      rec.start(250);
      emit(model, "start_recording");
      const t0 = performance.now();
      time.textContent = "0:00";
      ticker = setInterval(() => { time.textContent = clock((performance.now() - t0) / 1000); }, 250);
      start.replaceChildren("Stop");
      start.className = "nbd-button nbd-stop nbd-size-sm nbd-rec-btn";
      cancel.hidden = true;
    });
    box.replaceChildren(live, h("div", { class: "nbd-row nbd-tools" }, start, time, cancel));
  };

  const build = async () => {
    if (stream) return;
    const fd = model.get("value");
    const canEdit = editable(model);
    const sources = model.get("sources") || [];
    const box = h("div", { class: "nbd-media-box nbd-video-box" });
    box.style.height = size(model.get("height"));
    box.style.width = size(model.get("width"));
    const input = h("input", { type: "file", accept: "video/*", id: f.id, class: "nbd-file-input" });
    input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
    if (fd) {
      const player = h("video", { controls: true, playsinline: true, preload: "metadata", class: "nbd-media nbd-video-player", "aria-label": model.get("label") || "video" });
      player.loop = !!model.get("loop");
      player.addEventListener("play", () => emit(model, "play"));
      player.addEventListener("pause", () => { if (!player.ended) emit(model, "pause"); });
      player.addEventListener("ended", () => { emit(model, "stop"); emit(model, "end"); });
      player.addEventListener("error", () => {
        box.append(h("div", { class: "nbd-media-error" }, `This browser cannot play ${fd.orig_name || "this video"}; download it instead.`));
      });
      const tools = h("div", { class: "nbd-media-tools" });
      const link = model.get("show_download_button")
        ? h("a", { class: "nbd-icon-btn", download: fd.orig_name || "video", title: "Download", "aria-label": "Download video" }, "⤓") : null;
      if (link) tools.append(link);
      if (canEdit) {
        tools.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Clear", "aria-label": "Clear video",
          onclick: () => { setValue(model, null); build(); changed("clear"); } }, "×"));
        box.append(input);
      }
      box.append(player, tools);
      f.body.replaceChildren(box);
      try {
        const url = await fileUrl(model, fd);
        if (model.get("value") !== fd) return;
        player.src = url;
        if (model.get("autoplay")) { player.muted = true; player.play().catch(() => {}); }
        if (link) link.href = await downloadUrl(model, fd);
      } catch (e) {
        reportError(el, `Could not load the video: ${e.message || e}`);
      }
      return;
    }
    if (!canEdit) {
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-placeholder", "aria-hidden": "true" }, placeholderIcon("video")));
      f.body.replaceChildren(box);
      return;
    }
    box.classList.add("nbd-dropzone");
    if (sources.includes("upload")) {
      box.append(h("div", { class: "nbd-drop-hint" }, h("label", { for: f.id, class: "nbd-link" }, "Click to upload"), " or drop a video here"), input);
    }
    if (sources.includes("webcam") && navigator.mediaDevices?.getUserMedia && typeof MediaRecorder !== "undefined") {
      box.append(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-webcam-btn", onclick: () => camera(box) }, "Webcam"));
    }
    f.body.replaceChildren(box);
  };

  acceptDrops(el, model, accept, { source: "upload" });
  build();
  watch(model, ["value", "interactive", "_editable", "sources", "height", "width", "label", "show_download_button", "loop"], build, signal);
}
