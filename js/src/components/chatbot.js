import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, emit, setValue, watch, editable, frame, fileUrl, reportError, copyText } from "../util.js";
import { humanSize } from "./file.js";
import { extractMath } from "./mathtext.js";

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
  const { text: source, formulas } = extractMath(text, model.get("latex_delimiters"));
  const html = marked.parse(source, { breaks: model.get("line_breaks") !== false, gfm: true, async: false });
  box.innerHTML = model.get("sanitize_html") === false ? html : purify(html);
  if (formulas.length) {
    import("./math.js").then((m) => m.fill(box, formulas), (e) => console.warn("nbdemo: LaTeX could not load", e));
  }
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


/** Chatbot: the conversation as a log of messages, each labelled by its role. */
/** A thumb icon (drawn, so no emoji font is needed); `down` turns it over. */
function thumb(down) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "14", height: "14", "aria-hidden": "true" })) svg.setAttribute(k, v);
  if (down) svg.style.transform = "rotate(180deg)";
  const path = document.createElementNS(ns, "path");
  for (const [k, v] of Object.entries({ d: "M7 10v11H3V10h4zm2 11h8.3a2 2 0 0 0 2-1.6l1.2-6A2 2 0 0 0 18.5 11H14V6a2 2 0 0 0-2-2l-3 6v11z",
    fill: "none", stroke: "currentColor", "stroke-width": "1.8", "stroke-linejoin": "round" })) path.setAttribute(k, v);
  svg.append(path);
  return svg;
}

export function render({ model, el, signal }) {
  const f = frame(model, el, "chatbot", { signal, labelFor: false });
  const log = h("div", { class: "nbd-chat-log", role: "log", "aria-live": "polite", tabindex: "0" });
  const placeholder = h("div", { class: "nbd-chat-placeholder nbd-prose" });
  const typing = h("div", { class: "nbd-chat-typing", "aria-hidden": "true" }, h("span"), h("span"), h("span"));
  const clear = h("button", { type: "button", class: "nbd-chat-tool nbd-chat-clear", title: "Clear conversation",
    "aria-label": "Clear conversation" }, "Clear");
  const copyAll = h("button", { type: "button", class: "nbd-chat-tool nbd-chat-copy-all", title: "Copy conversation",
    "aria-label": "Copy conversation" }, "Copy all");
  copyAll.addEventListener("click", async () => {
    const text = (model.get("value") || []).map((m) => `${m.role}: ${typeof m.content === "string" ? m.content : m.content?.file?.orig_name || ""}`).join("\n\n");
    if (await copyText(text)) emit(model, "copy", { value: text });
  });
  const tools = h("div", { class: "nbd-chat-tools" }, copyAll, clear);
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
        if (await copyText(text)) {
          btn.textContent = "Copied"; setTimeout(() => { btn.textContent = "Copy"; }, 1200);
          emit(model, "copy", { value: text });
        }
      });
      item.append(btn);
    }
    const avatar = (model.get("avatars") || [])[role === "user" ? 0 : role === "assistant" ? 1 : 2];
    if (avatar) {
      const img = h("img", { class: "nbd-avatar", alt: "", "aria-hidden": "true", style: { position: "absolute", top: "0",
        width: "30px", height: "30px", borderRadius: "50%", objectFit: "cover", [role === "user" ? "right" : "left"]: "-36px" } });
      fileUrl(model, avatar).then((u) => { if (u) img.src = u; }, () => img.remove());
      item.style[role === "user" ? "marginRight" : "marginLeft"] = "36px";
      item.append(img);
    }
    // the buttons sit under the message, outside it (not part of its text)
    item.nbdActions = messageActions(msg, i, role, body, item);
    item.addEventListener("click", (e) => {
      if (e.target.closest("a, button, summary, audio, video")) return;
      emit(model, "select", { index: i, value: msg.content, selected: true });
    });
    return item;
  };

  // Buttons under a message: like/dislike (assistant), retry and undo (the
  // last response), edit (editable="user"|"all"). Each shows only when a
  // listener wants its event (edit: when editable allows it).
  const listens = (ev) => (model.get("_events") || []).includes(ev);
  const lastUser = (upto) => {
    const value = model.get("value") || [];
    for (let k = upto; k >= 0; k--) if (value[k]?.role === "user") return k;
    return -1;
  };
  const messageActions = (msg, i, role, body, item) => {
    const value = model.get("value") || [];
    const buttons = [];
    const tool = (label, aria, onclick, extra = {}) => {
      const b = h("button", { type: "button", class: "nbd-chat-tool", "aria-label": aria, title: aria, ...extra }, label);
      b.addEventListener("click", (e) => { e.stopPropagation(); onclick(b); });
      buttons.push(b);
      return b;
    };
    const isLast = i === value.length - 1 && role === "assistant";
    if (isLast && (listens("retry") || listens("undo"))) {
      // read at click time: an edit may have changed the question since
      const data = () => { const u = lastUser(i); return { index: u, value: u >= 0 ? (model.get("value") || [])[u].content : null }; };
      if (listens("retry") && lastUser(i) >= 0) tool("Retry", "Retry", () => emit(model, "retry", data()));
      if (listens("undo") && lastUser(i) >= 0) tool("Undo", "Undo", () => emit(model, "undo", data()));
    }
    if (role === "assistant" && listens("like")) {
      const chosen = (model.get("feedback_value") || [])[i];
      const group = [];
      for (const opt of model.get("feedback_options") || []) {
        const label = opt === "Like" ? thumb(false) : opt === "Dislike" ? thumb(true) : opt;
        const b = tool(label, opt, (btn) => {
          const on = btn.getAttribute("aria-pressed") !== "true";
          for (const g of group) g.setAttribute("aria-pressed", "false");
          btn.setAttribute("aria-pressed", String(on));
          const liked = opt === "Like" ? true : opt === "Dislike" ? false : opt;
          emit(model, "like", { index: i, value: msg.content, liked: on ? liked : null });
        }, { "aria-pressed": String(chosen === opt) });
        group.push(b);
      }
    }
    const ed = model.get("editable");
    if (typeof msg.content === "string" && (ed === "all" || (ed === "user" && role === "user")) && editable(model)) {
      tool("Edit", "Edit message", () => {
        const area = h("textarea", { class: "nbd-input nbd-chat-edit", rows: "3", "aria-label": "Edited message" });
        area.value = msg.content;
        const done = (save) => {
          if (save && area.value !== msg.content) {
            const next = (model.get("value") || []).map((m, k) => (k === i ? { ...m, content: area.value } : m));
            setValue(model, next);
            apply();
            emit(model, "edit", { index: i, value: area.value, previous_value: msg.content });
            emit(model, "change");
          } else {
            rebuild();
          }
        };
        const bar = h("div", { class: "nbd-msg-actions", style: { display: "flex", gap: "4px", justifyContent: "flex-end" } },
          h("button", { type: "button", class: "nbd-chat-tool", onclick: () => done(false) }, "Cancel"),
          h("button", { type: "button", class: "nbd-chat-tool", onclick: () => done(true) }, "Save"));
        body.replaceChildren(area, bar);
        area.focus();
      });
    }
    if (!buttons.length) return null;
    return h("div", { class: "nbd-msg-actions", role: "group", "aria-label": `${ROLE_NAMES[role]} message actions`,
      style: { display: "flex", gap: "4px", marginTop: "-4px", alignSelf: role === "user" ? "flex-end" : "flex-start" } }, ...buttons);
  };

  // Example messages, offered while the chat is empty
  const exampleBox = h("div", { class: "nbd-chat-examples", role: "group", "aria-label": "Examples",
    style: { display: "flex", flexWrap: "wrap", gap: "8px", padding: "8px" } });
  const showExamples = (empty) => {
    const examples = model.get("examples") || [];
    exampleBox.hidden = !(empty && examples.length);
    if (exampleBox.hidden) return;
    exampleBox.replaceChildren(...examples.map((ex, i) => {
      const names = (ex.files || []).map((f) => f.orig_name).join(", ");
      const b = h("button", { type: "button", class: "nbd-chat-tool nbd-chat-example", style: { padding: "6px 10px",
        display: "flex", gap: "6px", alignItems: "center" } }, ex.display_text || ex.text || names || `Example ${i + 1}`);
      if (ex.icon) {
        const img = h("img", { alt: "", width: "20", height: "20", style: { borderRadius: "4px" } });
        fileUrl(model, ex.icon).then((u) => { if (u) img.src = u; }, () => img.remove());
        b.prepend(img);
      }
      b.addEventListener("click", () => emit(model, "example_select", { index: i, value: ex, selected: true }));
      return b;
    }));
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
      // the last response carries retry/undo: its position is part of its look
      const key = `${keyOf(msg)}${i === value.length - 1 ? "#last" : ""}`;
      if (old && old.msg === msg && old.key === key) { next.push(old); return; }
      if (old && old.key === key) { next.push({ ...old, msg }); return; }
      const item = messageEl(msg, i, old);
      if (old) { old.el.nbdActions?.remove(); old.el.replaceWith(item); } else log.insertBefore(item, typing);
      if (item.nbdActions) item.after(item.nbdActions);
      next.push({ msg, key, el: item });
    });
    for (const old of rendered.slice(value.length)) { old.el.nbdActions?.remove(); old.el.remove(); }
    rendered = next;
    const empty = value.length === 0;
    showExamples(empty);
    const ph = model.get("placeholder");
    placeholder.hidden = !(empty && ph);
    if (empty && ph) renderText(model, placeholder, ph);
    log.classList.toggle("nbd-last-user", !empty && value[value.length - 1].role === "user");
    // the bar stays while editable (no jump when the first message arrives)
    const copying = !!model.get("show_copy_all_button");
    tools.hidden = !editable(model) && !copying;
    clear.hidden = !editable(model);
    copyAll.hidden = !copying;
    clear.style.visibility = empty ? "hidden" : "";
    copyAll.style.visibility = empty ? "hidden" : "";
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
    for (const r of rendered) { r.el.nbdActions?.remove(); r.el.remove(); }
    rendered = [];
    apply();
  };

  log.append(placeholder, exampleBox, typing);
  layout();
  apply();
  watch(model, "value", apply, signal);
  watch(model, ["interactive", "_editable", "placeholder", "show_copy_all_button", "examples"], apply, signal);
  watch(model, ["height", "max_height", "rtl", "chat_layout", "label"], layout, signal);
  watch(model, ["sanitize_html", "render_markdown", "line_breaks", "show_copy_button", "_events", "editable", "avatars", "latex_delimiters",
    "feedback_options", "feedback_value"], rebuild, signal);
}
