import { h, emit, setValue, watch, editable, frame, nameControl, copyText } from "../util.js";

export function render({ model, el, signal }) {
  const f = frame(model, el, "textbox", { signal });
  let input;
  const build = () => {
    const lines = model.get("lines") || 1;
    const maxLines = model.get("max_lines");
    const multi = lines > 1 || (maxLines !== null && maxLines !== undefined && maxLines > 1);
    const type = model.get("type") || "text";
    input = multi
      ? h("textarea", { rows: lines, class: "nbd-input" })
      : h("input", { type: type === "text" ? "text" : type, class: "nbd-input" });
    input.id = f.id;
    if (multi && maxLines) input.style.maxHeight = `calc(${maxLines} * 1.5em + 1em)`;
    input.placeholder = model.get("placeholder") || "";
    if (model.get("max_length")) input.maxLength = model.get("max_length");
    if (model.get("rtl")) input.dir = "rtl";
    if (model.get("text_align")) input.style.textAlign = model.get("text_align");
    input.value = model.get("value") ?? "";
    input.disabled = !editable(model);
    nameControl(input, model);
    input.addEventListener("input", () => {
      setValue(model, input.value);
      emit(model, "input");
      emit(model, "change");
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.isComposing && (!multi || (e.shiftKey === false && lines === 1))) {
        if (!multi) {
          e.preventDefault();
          emit(model, "submit");
        }
      }
    });
    input.addEventListener("focus", () => emit(model, "focus"));
    input.addEventListener("blur", () => emit(model, "blur"));
    input.addEventListener("select", () => {
      const v = input.value.slice(input.selectionStart, input.selectionEnd);
      emit(model, "select", { index: [input.selectionStart, input.selectionEnd], value: v, selected: true });
    });
    const children = [input];
    if (model.get("show_copy_button")) {
      children.push(h("button", { class: "nbd-copy", type: "button", "aria-label": "Copy",
        onclick: async () => {
          const text = input.value;
          if (await copyText(text)) emit(model, "copy", { value: text });
        } }, "Copy"));
    }
    f.body.replaceChildren(...children);
    if (model.get("autofocus")) queueMicrotask(() => input.focus());
  };
  build();
  watch(model, "value", () => {
    const v = model.get("value") ?? "";
    if (input.value !== v) input.value = v;
  }, signal);
  watch(model, ["lines", "max_lines", "type", "placeholder", "max_length", "interactive", "_editable", "label", "show_label", "rtl", "text_align", "show_copy_button"], build, signal);
}
