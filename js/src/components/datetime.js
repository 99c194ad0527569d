import { h, emit, setValue, watch, editable, frame, nameControl } from "../util.js";

/** "2024-05-01 10:00:00" ↔ the value of <input type=datetime-local> ("2024-05-01T10:00:00"). */
export const toPicker = (v, withTime) => {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?/.exec(v || "");
  if (!m) return "";
  return withTime ? `${m[1]}T${m[2] || "00:00:00"}` : m[1];
};
export const fromPicker = (v, withTime) => {
  if (!v) return "";
  if (!withTime) return v.slice(0, 10);
  const [d, t = "00:00"] = v.split("T");
  return `${d} ${t.length === 5 ? `${t}:00` : t}`;
};

/**
 * DateTime: a text box (it takes "now - 1h" as well as dates) and the
 * browser's date picker beside it. Enter submits.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "datetime", { signal });
  const input = h("input", { type: "text", class: "nbd-input", id: f.id, autocomplete: "off" });
  const picker = h("input", { type: "datetime-local", class: "nbd-datetime-picker", "aria-label": "Pick a date", step: "1" });
  const row = h("div", { class: "nbd-datetime-row", style: { display: "flex", gap: "6px" } }, input, picker);
  input.style.flex = "1 1 10em";
  input.style.minWidth = "0";
  picker.style.flex = "0 1 auto";
  picker.style.minWidth = "0";
  f.body.append(row);
  const commit = (text) => {
    setValue(model, text);
    emit(model, "input");
    emit(model, "change");
  };
  input.addEventListener("change", () => commit(input.value));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      if (input.value !== (model.get("value") ?? "")) commit(input.value);
      emit(model, "submit");
    }
  });
  input.addEventListener("focus", () => emit(model, "focus"));
  input.addEventListener("blur", () => emit(model, "blur"));
  picker.addEventListener("change", () => {
    const text = fromPicker(picker.value, model.get("include_time") !== false);
    input.value = text;
    commit(text);
  });
  const sync = () => {
    const withTime = model.get("include_time") !== false;
    picker.type = withTime ? "datetime-local" : "date";
    input.placeholder = withTime ? "YYYY-MM-DD HH:MM:SS" : "YYYY-MM-DD";
    const v = model.get("value") ?? "";
    if (input.value !== v) input.value = v;
    picker.value = toPicker(v, withTime);
    const on = editable(model);
    input.disabled = !on;
    picker.disabled = !on;
    nameControl(input, model);
  };
  sync();
  watch(model, ["value", "include_time", "interactive", "_editable", "label", "show_label"], sync, signal);
}
