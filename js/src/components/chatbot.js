import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, emit, setValue, watch, editable, frame, fileUrl, reportError } from "../util.js";
import { humanSize } from "./file.js";

const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" || /^\d+$/.test(v) ? `${v}px` : v);
const ROLE_NAMES = { user: "User", assistant: "Assistant", system: "System" };

const SVG = "http://www.w3.org/2000/svg";
/** A small document icon (an SVG, so it shows without an emoji font). */
export function fileIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "nbd-file-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M4 1.5h5l3 3v10H4z M9 1.5v3h3");
  svg.append(path);
  return svg;
}

const purify = (html) => DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });

/** Markdown → HTML (sanitized unless sanitize_html is false) into `box`. */
function renderText(model, box, text) {
  if (model.get("render_markdown") === false) {
    box.classList.add("nbd-chat-plain");
    box.textContent = text;
    return;
  }
  const html = marked.parse(text, { breaks: model.get("line_breaks") !== false, gfm: true, async: false });
  box.innerHTML = model.get("sanitize_html") === false ? html : purify(html);
  for (const a of box.querySelectorAll("a[href]")) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
}

/** A file message: image, audio and video inline; anything else as a download link. */
function renderFile(model, el, box, content, onSize) {
  const fd = content.file || {};
  const mime = String(fd.mime_type || "");
  const name = fd.orig_name || "file";
  const alt = content.alt_text || name;
  let media;
  let setUrl;
  if (mime.startsWith("image/")) {
    media = h("img", { class: "nbd-chat-media nbd-chat-image", alt });
    setUrl = (u) => { media.src = u; };
  } else if (mime.startsWith("audio/")) {
    media = h("audio", { class: "nbd-chat-media nbd-chat-audio", controls: true, preload: "metadata", "aria-label": alt });
    setUrl = (u) => { media.src = u; };
  } else if (mime.startsWith("video/")) {
    media = h("video", { class: "nbd-chat-media nbd-chat-video", controls: true, preload: "metadata", "aria-label": alt });
    setUrl = (u) => { media.src = u; };
  } else {
    media = h("a", { class: "nbd-chat-file", download: name }, fileIcon(), name,
      fd.size !== undefined ? h("span", { class: "nbd-chat-file-size" }, ` (${humanSize(fd.size)})`) : null);
    setUrl = (u) => { media.href = u; };
  }
  media.addEventListener("load", onSize);
  media.addEventListener("loadedmetadata", onSize);
  box.append(media);
  fileUrl(model, fd).then((u) => u && setUrl(u), (e) => reportError(el, `Could not load ${name}: ${e.message || e}`));
}

async function copyText(text) {
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

/** Chatbot: the conversation as a log of messages, each labelled by its role. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "chatbot", { signal, labelFor: false });
  const log = h("div", { class: "nbd-chat-log", role: "log", "aria-live": "polite", tabindex: "0" });
  const placeholder = h("div", { class: "nbd-chat-placeholder nbd-prose" });
  const typing = h("div", { class: "nbd-chat-typing", "aria-hidden": "true" }, h("span"), h("span"), h("span"));
  const clear = h("button", { type: "button", class: "nbd-chat-tool nbd-chat-clear", title: "Clear conversation",
    "aria-label": "Clear conversation" }, "Clear");
  const tools = h("div", { class: "nbd-chat-tools" }, clear);
  const wrap = h("div", { class: "nbd-chat-wrap" }, tools, log);
  f.body.append(wrap);
  let rendered = []; // [{ msg, key, el }] per message, reused while unchanged

  clear.addEventListener("click", () => {
    setValue(model, []);
    apply();
    emit(model, "clear");
    emit(model, "change");
  });

  const messageEl = (msg, i, old) => {
    const role = ROLE_NAMES[msg.role] ? msg.role : "assistant";
    const item = h("div", { class: `nbd-msg nbd-msg-${role}`, role: "article", "aria-label": `${ROLE_NAMES[role]} message`,
      "data-role": role, "data-index": i });
    const body = h("div", { class: "nbd-msg-body nbd-prose" });
    const content = msg.content;
    if (content !== null && typeof content === "object") renderFile(model, el, body, content, follow);
    else renderText(model, body, String(content ?? ""));
    const meta = msg.metadata || {};
    if (meta.title) {
      const pending = meta.status === "pending";
      const wasOpen = old?.el.querySelector(":scope > details")?.open;
      const details = h("details", { class: "nbd-thought", open: wasOpen ?? meta.status !== "done" },
        h("summary", { class: "nbd-thought-title" }, String(meta.title),
          pending ? h("span", { class: "nbd-thought-spinner", "aria-label": "in progress" }) : null,
          typeof meta.duration === "number" ? h("span", { class: "nbd-thought-time" }, ` ${meta.duration.toFixed(1)} s`) : null),
        body);
      if (meta.log) details.append(h("div", { class: "nbd-thought-log" }, String(meta.log)));
      item.append(details);
      item.classList.add("nbd-msg-thought");
    } else {
      item.append(body);
    }
    if (model.get("show_copy_button")) {
      const text = typeof content === "string" ? content : content?.file?.orig_name || "";
      const btn = h("button", { type: "button", class: "nbd-chat-tool nbd-msg-copy", title: "Copy",
        "aria-label": `Copy ${ROLE_NAMES[role].toLowerCase()} message` }, "Copy");
      btn.addEventListener("click", async (e) => {
        e.stopPropagation();
        if (await copyText(text)) { btn.textContent = "Copied"; setTimeout(() => { btn.textContent = "Copy"; }, 1200); }
      });
      item.append(btn);
    }
    item.addEventListener("click", (e) => {
      if (e.target.closest("a, button, summary, audio, video")) return;
      emit(model, "select", { index: i, value: msg.content, selected: true });
    });
    return item;
  };

  // Follow new messages while the reader is at the bottom (also when an image
  // loads and grows the log after the message was added).
  let stick = true;
  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  log.addEventListener("scroll", () => { stick = nearBottom(); });
  const follow = () => {
    if (model.get("autoscroll") !== false && stick) log.scrollTop = log.scrollHeight;
  };

  const keyOf = (msg) => JSON.stringify(msg, (k, v) => (k === "data" ? undefined : v));

  const apply = () => {
    const value = model.get("value") || [];
    const next = [];
    value.forEach((msg, i) => {
      const old = rendered[i];
      if (old && old.msg === msg) { next.push(old); return; }
      const key = keyOf(msg);
      if (old && old.key === key) { next.push({ ...old, msg }); return; }
      const item = messageEl(msg, i, old);
      if (old) old.el.replaceWith(item); else log.insertBefore(item, typing);
      next.push({ msg, key, el: item });
    });
    for (const old of rendered.slice(value.length)) old.el.remove();
    rendered = next;
    const empty = value.length === 0;
    const ph = model.get("placeholder");
    placeholder.hidden = !(empty && ph);
    if (empty && ph) renderText(model, placeholder, ph);
    log.classList.toggle("nbd-last-user", !empty && value[value.length - 1].role === "user");
    // the bar stays while editable (no jump when the first message arrives)
    tools.hidden = !editable(model);
    clear.style.visibility = empty ? "hidden" : "";
    follow();
  };

  const layout = () => {
    log.style.height = size(model.get("height"));
    log.style.maxHeight = size(model.get("max_height"));
    log.dir = model.get("rtl") ? "rtl" : "";
    log.classList.toggle("nbd-chat-panel", model.get("chat_layout") === "panel");
    log.setAttribute("aria-label", model.get("label") || "Chatbot");
  };

  const rebuild = () => {
    for (const r of rendered) r.el.remove();
    rendered = [];
    apply();
  };

  log.append(placeholder, typing);
  layout();
  apply();
  watch(model, "value", apply, signal);
  watch(model, ["interactive", "_editable", "placeholder"], apply, signal);
  watch(model, ["height", "max_height", "rtl", "chat_layout", "label"], layout, signal);
  watch(model, ["sanitize_html", "render_markdown", "line_breaks", "show_copy_button"], rebuild, signal);
}
