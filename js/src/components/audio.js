import { h, emit, setValue, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { downloadUrl, placeholderIcon } from "./file.js";
import { streams, startStream } from "../stream.js";

// ---- WAV in the browser ------------------------------------------------------------
// Python reads only WAV (the stdlib `wave` module), so the page converts what
// the browser can decode (mp3, ogg, webm, a microphone recording) to 16-bit PCM
// WAV before uploading. PCM WAV files go up untouched.

/** Sample rate of converted audio: decodeAudioData resamples to its context's rate. */
export const CONVERT_RATE = 48000;

/** Whether `blob` is already a PCM WAV (RIFF/WAVE, "fmt " first, format 1). */
export async function isPcmWav(blob) {
  if (blob.size < 44) return false;
  const v = new DataView(await blob.slice(0, 24).arrayBuffer());
  const tag = (o) => String.fromCharCode(v.getUint8(o), v.getUint8(o + 1), v.getUint8(o + 2), v.getUint8(o + 3));
  return tag(0) === "RIFF" && tag(8) === "WAVE" && tag(12) === "fmt " && v.getUint16(20, true) === 1;
}

/** An AudioBuffer (or {sampleRate, channels: Float32Array[]}) as a 16-bit PCM WAV ArrayBuffer. */
export function encodeWav(audio) {
  const chans = audio.channels || [...Array(audio.numberOfChannels)].map((_, i) => audio.getChannelData(i));
  const ch = chans.length;
  const n = chans[0]?.length || 0;
  const rate = audio.sampleRate;
  const out = new ArrayBuffer(44 + n * ch * 2);
  const v = new DataView(out);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, "RIFF"); v.setUint32(4, 36 + n * ch * 2, true); str(8, "WAVE");
  str(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, ch, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * ch * 2, true); v.setUint16(32, ch * 2, true); v.setUint16(34, 16, true);
  str(36, "data"); v.setUint32(40, n * ch * 2, true);
  let o = 44;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const s = Math.max(-1, Math.min(1, chans[c][i] || 0));
      v.setInt16(o, Math.round(s * 32767), true);
      o += 2;
    }
  }
  return out;
}

async function decode(buffer) {
  const ctx = new OfflineAudioContext(1, 1, CONVERT_RATE);
  return ctx.decodeAudioData(buffer);
}

/** `file` as a PCM WAV File: unchanged if it is one, else decoded and re-encoded. */
export async function toWav(file, name = file.name || "audio") {
  if (await isPcmWav(file)) return file;
  let audio;
  try {
    audio = await decode(await file.arrayBuffer());
  } catch (e) {
    throw new Error(`${file.name || "This file"}: the browser cannot decode it as audio`);
  }
  return new File([encodeWav(audio)], `${name.replace(/\.[^./]*$/, "") || "audio"}.wav`, { type: "audio/wav" });
}

// ---- waveform ----------------------------------------------------------------------

function drawWave(canvas, peaks, played = 0) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 600;
  const hgt = canvas.clientHeight || 56;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(hgt * dpr);
  const g = canvas.getContext("2d");
  if (!g) return;
  g.scale(dpr, dpr);
  const style = getComputedStyle(canvas);
  const accent = style.getPropertyValue("--nbd-accent").trim() || "#ea580c";
  const muted = style.getPropertyValue("--nbd-muted").trim() || "#6b7280";
  const bar = 3;
  const n = Math.max(1, Math.floor(w / bar));
  for (let i = 0; i < n; i++) {
    const p = peaks[Math.floor((i / n) * peaks.length)] || 0;
    const y = Math.max(1, p * (hgt / 2 - 2));
    g.fillStyle = i / n < played ? accent : muted;
    g.fillRect(i * bar, hgt / 2 - y, bar - 1, y * 2);
  }
}

function peaksOf(audio, count = 1000) {
  const data = audio.getChannelData(0);
  const step = Math.max(1, Math.floor(data.length / count));
  const out = [];
  for (let i = 0; i < data.length; i += step) {
    let m = 0;
    for (let j = i; j < Math.min(i + step, data.length); j++) m = Math.max(m, Math.abs(data[j]));
    out.push(m);
  }
  const top = Math.max(...out, 1e-9); // scaled to the loudest part, as waveform views do
  return out.map((p) => p / top);
}

// ---- recording -----------------------------------------------------------------------

/** Record from `stream` until stop() is called; resolves to the recorded Blob. */
function recorder(stream) {
  const chunks = [];
  const rec = new MediaRecorder(stream);
  const done = new Promise((resolve, reject) => {
    rec.addEventListener("dataavailable", (e) => { if (e.data?.size) chunks.push(e.data); });
    rec.addEventListener("stop", () => resolve(new Blob(chunks, { type: rec.mimeType || chunks[0]?.type || "" })));
    rec.addEventListener("error", (e) => reject(e.error || new Error("recording failed")));
  });
  rec.start(250);
  return {
    stop: () => { if (rec.state !== "inactive") rec.stop(); stream.getTracks().forEach((t) => t.stop()); return done; },
    pause: () => { if (rec.state === "recording") rec.pause(); },
    resume: () => { if (rec.state === "paused") rec.resume(); },
  };
}

const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

// ---- the component -------------------------------------------------------------------

/** Audio: upload (click, drag and drop) or record; <audio controls> with a waveform. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "audio", { signal });
  let recording = null;
  let ticker = null;
  const stopAll = () => { clearInterval(ticker); recording?.stop(); recording = null; };
  signal?.addEventListener("abort", stopAll);

  const changed = (kind) => { emit(model, kind); emit(model, "input"); emit(model, "change"); };

  // kind: "upload", or "stop_recording" (fired once the recording is the value)
  const accept = async (fileList, kind = "upload") => {
    const list = [...fileList];
    if (!list.length) return;
    el.classList.add("nbd-uploading");
    try {
      const wav = await toWav(list[0]);
      const [fd] = await uploadFiles(model, [wav]);
      setValue(model, fd);
      build();
      changed(kind);
    } catch (e) {
      reportError(el, e.message || String(e));
      build();
    } finally {
      el.classList.remove("nbd-uploading");
    }
  };

  const record = async (box) => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (e) {
      reportError(el, `Microphone unavailable: ${e.message || e}`);
      return;
    }
    recording = recorder(stream);
    emit(model, "start_recording");
    const started = performance.now();
    let pausedAt = null; // while paused: when the pause began
    let pausedFor = 0; // ms spent paused before
    const elapsed = () => (pausedAt ?? performance.now()) - started - pausedFor;
    const time = h("span", { class: "nbd-rec-time", "aria-live": "off" }, "0:00");
    ticker = setInterval(() => { time.textContent = clock(elapsed() / 1000); }, 250);
    const pause = h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-rec-btn nbd-rec-pause" }, "Pause");
    pause.addEventListener("click", () => {
      if (!recording) return;
      if (pausedAt === null) { // Gradio's pause_recording; resuming fires no event (as in Gradio)
        recording.pause();
        pausedAt = performance.now();
        pause.textContent = "Resume";
        emit(model, "pause_recording");
      } else {
        recording.resume();
        pausedFor += performance.now() - pausedAt;
        pausedAt = null;
        pause.textContent = "Pause";
      }
    });
    const stop = h("button", { type: "button", class: "nbd-button nbd-stop nbd-size-sm nbd-rec-btn" }, "Stop");
    stop.addEventListener("click", async () => {
      clearInterval(ticker);
      const rec = recording;
      recording = null;
      stop.disabled = true;
      const blob = await rec.stop();
      await accept([new File([blob], "recording", { type: blob.type })], "stop_recording");
    });
    box.replaceChildren(h("div", { class: "nbd-recording", role: "status" }, h("span", { class: "nbd-rec-dot", "aria-hidden": "true" }), "Recording ", time), pause, stop);
  };

  const showWave = async (canvas, player, url, fd) => {
    if (!fd.size || fd.size > 50e6 || typeof OfflineAudioContext === "undefined") { canvas.hidden = true; return; }
    try {
      const audio = await decode(await (await fetch(url)).arrayBuffer());
      if (model.get("value") !== fd) return;
      const peaks = peaksOf(audio);
      const redraw = () => drawWave(canvas, peaks, player.duration ? player.currentTime / player.duration : 0);
      redraw();
      player.addEventListener("timeupdate", redraw);
      canvas.addEventListener("click", (e) => {
        if (!player.duration) return;
        const r = canvas.getBoundingClientRect();
        player.currentTime = ((e.clientX - r.left) / r.width) * player.duration;
        redraw();
      });
    } catch {
      canvas.hidden = true; // not decodable here: the player alone
    }
  };

  // ---- .stream(): microphone chunks (16-bit PCM WAV) to the listener ---------------
  let live = null;
  const stopLive = (why) => {
    if (!live) return;
    const l = live;
    live = null;
    l.streamer?.stop();
    l.mic.getTracks().forEach((t) => t.stop());
    l.ctx.close().catch(() => {});
    l.btn.textContent = "Start streaming";
    l.btn.classList.replace("nbd-stop", "nbd-primary");
    l.status.textContent = why === "time" ? "Time limit reached" : why === "error" ? "Stopped: the function failed" : "";
    el.classList.remove("nbd-streaming");
  };
  signal?.addEventListener("abort", () => stopLive("user"));
  const liveView = (box) => {
    const btn = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm nbd-stream-btn" }, "Start streaming");
    const status = h("span", { class: "nbd-stream-status", role: "status" });
    btn.addEventListener("click", async () => {
      if (live) { stopLive("user"); return; }
      let mic;
      try {
        mic = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      } catch (e) {
        reportError(el, `Microphone unavailable: ${e.message || e}`);
        return;
      }
      const ctx = new AudioContext();
      const source = ctx.createMediaStreamSource(mic);
      // a ScriptProcessor hands over the samples on the main thread (no worklet
      // module to load, which a notebook's sandboxed output may not allow)
      const tap = ctx.createScriptProcessor(4096, 1, 1);
      let pending = [];
      tap.onaudioprocess = (e) => { if (live) pending.push(new Float32Array(e.inputBuffer.getChannelData(0))); };
      source.connect(tap);
      tap.connect(ctx.destination); // it runs only when connected; it writes silence
      live = { mic, ctx, btn, status };
      // every sample recorded goes up once: a skipped tick leaves its samples for the next
      const capture = async () => {
        if (!pending.length) return null;
        const all = new Float32Array(pending.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of pending) { all.set(p, o); o += p.length; }
        pending = [];
        return encodeWav({ sampleRate: ctx.sampleRate, channels: [all] });
      };
      btn.textContent = "Stop";
      btn.classList.replace("nbd-primary", "nbd-stop");
      status.textContent = "Streaming";
      el.classList.add("nbd-streaming");
      live.streamer = startStream(model, el, capture, { mime: "audio/wav", onEnd: stopLive,
        onTimeLeft: (s) => { status.textContent = `Streaming, ${s} s left`; } });
    });
    box.classList.add("nbd-live");
    box.append(h("div", { class: "nbd-row nbd-tools" }, btn, status));
    f.body.replaceChildren(box);
  };

  // ---- streaming output (streaming=True, autoplay=True): each new value is a
  // chunk, played right after the one before it (Web Audio), so a generator
  // that yields chunks is heard as one continuous stream
  let out = null;
  let chain = Promise.resolve();
  let queuedId = null;
  let chunks = 0;
  signal?.addEventListener("abort", () => { out?.ctx.close().catch(() => {}); out = null; });
  const playChunk = async (fd) => {
    const data = await (await fetch(await fileUrl(model, fd))).arrayBuffer();
    if (signal?.aborted) return;
    if (!out) out = { ctx: new AudioContext(), next: 0 };
    const buf = await out.ctx.decodeAudioData(data);
    const src = out.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(out.ctx.destination);
    const at = Math.max(out.ctx.currentTime + 0.05, out.next);
    src.start(at);
    out.next = at + buf.duration;
    el.dataset.nbdChunks = String(++chunks);
  };
  const streamsOut = () => model.get("streaming") && model.get("autoplay") && !editable(model);

  const build = async () => {
    if (recording || live) return;
    const next = model.get("value");
    if (next && streamsOut() && next.id !== queuedId) {
      queuedId = next.id;
      chain = chain.then(() => playChunk(next)).catch((e) => reportError(el, `Could not play the audio: ${e.message || e}`));
    }
    const fd = model.get("value");
    const canEdit = editable(model);
    const sources = model.get("sources") || [];
    const box = h("div", { class: "nbd-audio-box" });
    if (canEdit && streams(model) && sources.includes("microphone")) {
      if (navigator.mediaDevices?.getUserMedia) { liveView(box); return; }
      // browsers offer microphones only to secure pages (https, or localhost)
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-drop-hint", role: "note" }, "Streaming needs the microphone, which this browser offers only on https:// or localhost pages."));
      f.body.replaceChildren(box);
      return;
    }
    const input = h("input", { type: "file", accept: "audio/*", id: f.id, class: "nbd-file-input" });
    input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
    if (fd) {
      const player = h("audio", { controls: true, class: "nbd-audio-player", preload: "metadata", "aria-label": model.get("label") || "audio" });
      player.loop = !!model.get("loop");
      player.addEventListener("play", () => emit(model, "play"));
      player.addEventListener("pause", () => { if (!player.ended) emit(model, "pause"); });
      player.addEventListener("ended", () => emit(model, "stop"));
      const canvas = h("canvas", { class: "nbd-waveform", "aria-hidden": "true" });
      const tools = h("div", { class: "nbd-media-tools" });
      const link = model.get("show_download_button")
        ? h("a", { class: "nbd-icon-btn", download: fd.orig_name || "audio.wav", title: "Download", "aria-label": "Download audio" }, "⤓") : null;
      if (link) tools.append(link);
      if (canEdit) {
        tools.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Clear", "aria-label": "Clear audio",
          onclick: () => { setValue(model, null); build(); changed("clear"); } }, "×"));
        box.append(input);
      }
      box.append(h("div", { class: "nbd-audio-name" }, fd.orig_name || ""), player, canvas, tools);
      f.body.replaceChildren(box);
      try {
        const url = await fileUrl(model, fd);
        if (model.get("value") !== fd) return;
        player.src = url;
        if (model.get("autoplay") && !streamsOut()) player.play().catch(() => {});
        if (link) link.href = await downloadUrl(model, fd);
        showWave(canvas, player, url, fd);
      } catch (e) {
        reportError(el, `Could not load the audio: ${e.message || e}`);
      }
      return;
    }
    if (!canEdit) {
      box.classList.add("nbd-empty");
      box.append(h("div", { class: "nbd-placeholder", "aria-hidden": "true" }, placeholderIcon("audio")));
      f.body.replaceChildren(box);
      return;
    }
    box.classList.add("nbd-dropzone");
    if (sources.includes("upload")) {
      box.append(h("div", { class: "nbd-drop-hint" }, h("label", { for: f.id, class: "nbd-link" }, "Click to upload"), " or drop audio here"), input);
    }
    if (sources.includes("microphone") && navigator.mediaDevices?.getUserMedia && typeof MediaRecorder !== "undefined") {
      box.append(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-rec-btn", onclick: () => record(box) },
        h("span", { class: "nbd-rec-dot", "aria-hidden": "true" }), "Record"));
    }
    f.body.replaceChildren(box);
  };

  acceptDrops(el, model, accept, { source: "upload" });
  build();
  watch(model, ["value", "interactive", "_editable", "sources", "label", "show_download_button", "loop", "_events", "_stream", "streaming", "autoplay"], build, signal);
}
