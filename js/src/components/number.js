import { h, emit, setValue, watch, editable, frame, nameControl } from "../util.js";

export function render({ model, el, signal }) {
  const f = frame(model, el, "number", { signal });
  const input = h("input", { type: "number", class: "nbd-input", id: f.id });
  f.body.append(input);
  const apply = () => {
    const v = model.get("value");
    const shown = v === null || v === undefined ? "" : String(v);
    if (document.activeElement !== input || Number(input.value) !== v) input.value = shown;
    for (const k of ["minimum", "maximum"]) {
      const x = model.get(k);
      const attr = k === "minimum" ? "min" : "max";
      if (x === null || x === undefined) input.removeAttribute(attr); else input.setAttribute(attr, x);
    }
    input.step = model.get("step") || "any";
    input.placeholder = model.get("placeholder") || "";
    input.disabled = !editable(model);
    nameControl(input, model);
  };
  apply();
  const read = () => (input.value === "" ? null : Number(input.value));
  input.addEventListener("input", () => {
    const v = read();
    if (v !== null && Number.isNaN(v)) return;
    setValue(model, v);
    emit(model, "input");
    emit(model, "change");
  });
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); emit(model, "submit"); } });
  input.addEventListener("focus", () => emit(model, "focus"));
  input.addEventListener("blur", () => emit(model, "blur"));
  watch(model, ["value", "minimum", "maximum", "step", "placeholder", "interactive", "_editable", "label", "show_label"], apply, signal);
}
