import { h, emit, setValue, watch, editable, frame, nameControl, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";
import { acceptFor, allowedType, humanSize } from "./file.js";
import { fileIcon } from "./chatbot.js";

const SVG = "http://www.w3.org/2000/svg";
function clipIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "nbd-clip-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M10.5 4.5 5.8 9.2a1.4 1.4 0 0 0 2 2l5-5a2.8 2.8 0 0 0-4-4l-5 5a4.2 4.2 0 0 0 6 6l4.2-4.2");
  svg.append(path);
  return svg;
}

const empty = () => ({ text: "", files: [] });

/** MultimodalTextbox: text plus attached files; Enter (or the send button) submits. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "multimodaltextbox", { signal });
  const chips = h("ul", { class: "nbd-mm-files", "aria-label": "Attached files" });
  const input = h("input", { type: "file", class: "nbd-file-input", tabindex: "-1", "aria-hidden": "true" });
  const attach = h("button", { type: "button", class: "nbd-icon-btn nbd-mm-attach", title: "Attach files",
    "aria-label": "Attach files" }, clipIcon());
  const text = h("textarea", { class: "nbd-input nbd-mm-text", id: f.id, rows: 1 });
  const send = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm nbd-mm-send" });
  const row = h("div", { class: "nbd-mm-row" }, attach, text, send, input);
  const box = h("div", { class: "nbd-mm-box" }, chips, row);
  f.body.append(box);
  let uploading = 0;

  const current = () => {
    const v = model.get("value");
    return v && typeof v === "object" ? { text: v.text ?? "", files: Array.isArray(v.files) ? v.files : [] } : empty();
  };
  const changed = (...events) => { for (const e of [...events, "input", "change"]) emit(model, e); };

  const grow = () => {
    const maxLines = model.get("max_lines") || 20;
    text.style.height = "auto";
    const line = parseFloat(getComputedStyle(text).lineHeight) || 21;
    text.style.height = `${Math.min(text.scrollHeight + 2, maxLines * line + 16)}px`;
  };

  const accept = async (fileList) => {
    if (!editable(model)) return;
    const types = model.get("file_types");
    let list = [...fileList];
    const bad = list.filter((x) => !allowedType(x, types));
    if (bad.length) reportError(el, `${bad.map((x) => x.name).join(", ")}: not an allowed file type; allowed: ${types.join(", ")}`);
    list = list.filter((x) => allowedType(x, types));
    if (!list.length) return;
    const single = model.get("file_count") === "single";
    if (single) list = list.slice(0, 1);
    uploading++;
    el.classList.add("nbd-uploading");
    updateSend();
    try {
      const fds = await uploadFiles(model, list);
      const cur = current();
      setValue(model, { text: cur.text, files: single ? fds : [...cur.files, ...fds] });
      drawFiles();
      changed("upload");
    } catch (e) {
      reportError(el, e.message || String(e));
    } finally {
      uploading--;
      el.classList.toggle("nbd-uploading", uploading > 0);
      updateSend();
    }
  };

  const submit = () => {
    if (uploading || !editable(model)) return;
    emit(model, "submit");
  };

  const drawFiles = () => {
    const list = current().files;
    chips.hidden = list.length === 0;
    chips.replaceChildren(...list.map((fd, i) => {
      const name = fd.orig_name || "file";
      const chip = h("li", { class: "nbd-mm-file", title: name });
      if (String(fd.mime_type || "").startsWith("image/")) {
        const img = h("img", { class: "nbd-mm-thumb", alt: "" });
        fileUrl(model, fd).then((u) => { if (u) img.src = u; }, () => {});
        chip.append(img);
      } else {
        chip.append(fileIcon());
      }
      chip.append(h("span", { class: "nbd-mm-name" }, name),
        h("span", { class: "nbd-mm-size" }, humanSize(fd.size)));
      if (editable(model)) {
        chip.append(h("button", { type: "button", class: "nbd-mm-remove", "aria-label": `Remove ${name}`, title: "Remove",
          onclick: () => {
            const cur = current();
            setValue(model, { text: cur.text, files: cur.files.filter((_, j) => j !== i) });
            drawFiles();
            changed();
          } }, "×"));
      }
      return chip;
    }));
  };

  const updateSend = () => {
    send.disabled = uploading > 0 || !editable(model);
  };

  const build = () => {
    const canEdit = editable(model);
    text.disabled = !canEdit;
    text.placeholder = model.get("placeholder") || "";
    text.rows = model.get("lines") || 1;
    text.dir = model.get("rtl") ? "rtl" : "";
    nameControl(text, model);
    if (!model.get("show_label") || !model.get("label")) text.setAttribute("aria-label", model.get("label") || "Message");
    const canUpload = canEdit && (model.get("sources") || ["upload"]).includes("upload");
    attach.hidden = !canUpload;
    input.accept = acceptFor(model.get("file_types")) || "";
    input.multiple = model.get("file_count") !== "single";
    if (model.get("file_count") === "directory") input.setAttribute("webkitdirectory", ""); else input.removeAttribute("webkitdirectory");
    const sb = model.get("submit_btn");
    send.hidden = sb === false || sb === null;
    send.textContent = typeof sb === "string" ? sb : "Send";
    updateSend();
    drawFiles();
    const v = current().text;
    if (text.value !== v) { text.value = v; grow(); }
  };

  text.addEventListener("input", () => {
    setValue(model, { text: text.value, files: current().files });
    grow();
    changed();
  });
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  text.addEventListener("focus", () => emit(model, "focus"));
  text.addEventListener("blur", () => emit(model, "blur"));
  text.addEventListener("paste", (e) => {
    const list = [...(e.clipboardData?.files || [])];
    if (list.length) { e.preventDefault(); accept(list); }
  });
  attach.addEventListener("click", () => input.click());
  input.addEventListener("change", () => { if (input.files.length) accept(input.files); input.value = ""; });
  send.addEventListener("click", submit);
  acceptDrops(el, model, accept);

  build();
  if (model.get("autofocus")) queueMicrotask(() => text.focus({ preventScroll: true }));
  watch(model, "value", () => {
    const v = current().text;
    if (text.value !== v) { text.value = v; grow(); }
    drawFiles();
  }, signal);
  watch(model, ["placeholder", "lines", "max_lines", "file_types", "file_count", "interactive", "_editable",
    "submit_btn", "rtl", "label", "show_label", "sources"], build, signal);
}
