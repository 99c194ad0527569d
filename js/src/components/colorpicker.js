import { h, emit, setValue, watch, editable, frame } from "../util.js";

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#abc", "abc", "#AABBCC" → "#aabbcc"; null when it is not a hex colour. */
export function normalizeHex(text) {
  const m = HEX.exec(String(text ?? "").trim());
  if (!m) return null;
  const d = m[1].toLowerCase();
  return `#${d.length === 3 ? [...d].map((c) => c + c).join("") : d}`;
}

/** ColorPicker: <input type=color> (bound to the label) and a hex field. */
export function render({ model, el, signal }) {
  const f = frame(model, el, "colorpicker", { signal });
  const swatch = h("input", { type: "color", id: f.id, class: "nbd-color-swatch" });
  const hex = h("input", { type: "text", class: "nbd-input nbd-color-hex", spellcheck: "false",
    maxlength: "7", placeholder: "#rrggbb", autocomplete: "off" });
  const row = h("div", { class: "nbd-color-row" }, swatch, hex);
  f.body.append(row);
  const apply = () => {
    const v = model.get("value");
    swatch.value = v || "#000000";
    if (document.activeElement !== hex || normalizeHex(hex.value) !== v) hex.value = v || "";
    hex.removeAttribute("aria-invalid");
    swatch.disabled = hex.disabled = !editable(model);
    const name = model.get("label") || "Colour";
    if (model.get("show_label") === false) swatch.setAttribute("aria-label", name);
    else swatch.removeAttribute("aria-label");
    hex.setAttribute("aria-label", `${name} (hex)`);
  };
  const set = (v) => {
    if (v === model.get("value")) return;
    setValue(model, v);
    emit(model, "input");
    emit(model, "change");
  };
  swatch.addEventListener("input", () => { hex.value = swatch.value; set(normalizeHex(swatch.value)); });
  const commitHex = () => {
    const v = normalizeHex(hex.value);
    if (v === null && hex.value.trim() !== "") { hex.setAttribute("aria-invalid", "true"); return false; }
    hex.removeAttribute("aria-invalid");
    set(v);
    if (v) swatch.value = v;
    return true;
  };
  hex.addEventListener("change", commitHex);
  hex.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); if (commitHex()) emit(model, "submit"); }
  });
  swatch.addEventListener("keydown", (e) => { if (e.key === "Enter") emit(model, "submit"); });
  // focus/blur of the whole control (moving between its two parts is neither)
  row.addEventListener("focusin", (e) => { if (!row.contains(e.relatedTarget)) emit(model, "focus"); });
  row.addEventListener("focusout", (e) => { if (!row.contains(e.relatedTarget)) emit(model, "blur"); });
  apply();
  watch(model, ["value", "interactive", "_editable", "label", "show_label"], apply, signal);
}
