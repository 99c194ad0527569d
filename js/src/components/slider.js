import { h, emit, setValue, watch, editable, frame, nameControl } from "../util.js";

export function render({ model, el, signal }) {
  const f = frame(model, el, "slider", { signal });
  const range = h("input", { type: "range", class: "nbd-range", id: f.id });
  const num = h("input", { type: "number", class: "nbd-input nbd-slider-number" });
  const reset = h("button", { type: "button", class: "nbd-reset", title: "Reset", "aria-label": "Reset" }, "↺");
  const initial = model.get("value");
  f.body.append(h("div", { class: "nbd-slider-row" }, range, num, reset));
  const apply = () => {
    for (const input of [range, num]) {
      input.min = model.get("minimum");
      input.max = model.get("maximum");
      input.step = model.get("step") || "any";
      input.disabled = !editable(model);
    }
    const v = String(model.get("value"));
    if (range.value !== v) range.value = v;
    if (document.activeElement !== num) num.value = v;
    reset.hidden = !model.get("show_reset_button") || !editable(model);
    nameControl(range, model);
    num.setAttribute("aria-label", `${f.labelText() || "value"} number`);
  };
  apply();
  const change = (v) => {
    if (Number.isNaN(v)) return;
    setValue(model, v);
    apply();
    emit(model, "input");
    emit(model, "change");
  };
  range.addEventListener("input", () => change(Number(range.value)));
  num.addEventListener("input", () => { if (num.value !== "") change(Number(num.value)); });
  range.addEventListener("change", () => emit(model, "release"));
  num.addEventListener("change", () => emit(model, "release"));
  reset.addEventListener("click", () => { change(initial); emit(model, "release"); });
  watch(model, ["value", "minimum", "maximum", "step", "interactive", "_editable", "label", "show_label", "show_reset_button"], apply, signal);
}
