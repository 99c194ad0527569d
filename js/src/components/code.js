import { h, emit, setValue, watch, editable, frame } from "../util.js";

const INDENT = "    ";

/**
 * Code: a monospace textarea (editable) or <pre> (read-only) with a line-number
 * gutter. Tab indents inside the editor; Esc then Tab moves focus on.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "code", { signal });
  let control;
  let gutter;
  const numbers = (text) => {
    if (!gutter) return;
    const n = Math.max(1, text.split("\n").length);
    if (gutter.childElementCount === n) return;
    gutter.textContent = Array.from({ length: n }, (_, i) => i + 1).join("\n");
  };
  const build = () => {
    const value = model.get("value") ?? "";
    const lines = Math.max(1, model.get("lines") || 5);
    const maxLines = model.get("max_lines");
    const wrap = !!model.get("wrap_lines");
    const lang = model.get("language");
    const box = h("div", { class: `nbd-code-box${wrap ? " nbd-code-wrap" : ""}` });
    gutter = model.get("show_line_numbers") !== false ? h("pre", { class: "nbd-code-gutter", "aria-hidden": "true" }) : null;
    if (editable(model)) {
      control = h("textarea", { class: "nbd-code-input", id: f.id, rows: lines, spellcheck: "false",
        autocapitalize: "off", autocomplete: "off", wrap: wrap ? "soft" : "off", "data-language": lang || null });
      control.value = value;
      let escaped = false;
      control.addEventListener("input", () => {
        setValue(model, control.value);
        numbers(control.value);
        emit(model, "input");
        emit(model, "change");
      });
      control.addEventListener("keydown", (e) => {
        if (e.key === "Escape") { escaped = true; return; }
        if (e.key === "Tab" && !escaped && !e.ctrlKey && !e.altKey && !e.metaKey) {
          e.preventDefault();
          const { selectionStart: s, selectionEnd: end, value: v } = control;
          if (e.shiftKey) {
            const lineStart = v.lastIndexOf("\n", s - 1) + 1;
            const strip = v.slice(lineStart, lineStart + INDENT.length).match(/^ */)[0].length;
            if (strip) control.setRangeText("", lineStart, lineStart + strip, "end");
          } else {
            control.setRangeText(INDENT, s, end, "end");
          }
          control.dispatchEvent(new Event("input"));
          return;
        }
        escaped = false;
      });
      control.addEventListener("scroll", () => { if (gutter) gutter.scrollTop = control.scrollTop; });
      control.addEventListener("focus", () => emit(model, "focus"));
      control.addEventListener("blur", () => emit(model, "blur"));
    } else {
      control = h("pre", { class: "nbd-code-view", id: f.id, tabindex: "0", "data-language": lang || null },
        h("code", {}, value));
      if (f.labelText()) control.setAttribute("aria-labelledby", `${f.id}-label`);
      control.addEventListener("scroll", () => { if (gutter) gutter.scrollTop = control.scrollTop; });
    }
    const lh = 1.5;
    control.style.minHeight = `calc(${lines} * ${lh}em + 16px)`;
    if (maxLines) control.style.maxHeight = `calc(${maxLines} * ${lh}em + 16px)`;
    if (gutter) { gutter.style.maxHeight = control.style.maxHeight; box.append(gutter); }
    box.append(control);
    const tools = h("div", { class: "nbd-code-tools" });
    if (lang) tools.append(h("span", { class: "nbd-code-lang" }, lang));
    tools.append(h("button", { type: "button", class: "nbd-icon-btn", title: "Copy", "aria-label": "Copy code",
      onclick: () => navigator.clipboard?.writeText(model.get("value") ?? "") }, "Copy"));
    f.body.replaceChildren(h("div", { class: "nbd-code" }, box, tools));
    numbers(value);
  };
  build();
  watch(model, "value", () => {
    const v = model.get("value") ?? "";
    if (control.tagName === "TEXTAREA") { if (control.value !== v) control.value = v; }
    else control.firstChild.textContent = v;
    numbers(v);
  }, signal);
  watch(model, ["language", "lines", "max_lines", "wrap_lines", "show_line_numbers", "interactive", "_editable", "label", "show_label"], build, signal);
}
