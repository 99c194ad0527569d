import { h, emit, watch, commonProps, editable } from "../util.js";

export function render({ model, el, signal }) {
  el.classList.add("nbd-comp", "nbd-button-wrap");
  const btn = h("button", { type: "button", class: "nbd-button" });
  el.replaceChildren(btn);
  const apply = () => {
    btn.textContent = model.get("value") ?? "";
    btn.className = `nbd-button nbd-${model.get("variant") || "secondary"} nbd-size-${model.get("size") || "lg"}`;
    btn.disabled = model.get("interactive") === false;
    commonProps(model, el);
  };
  apply();
  btn.addEventListener("click", () => {
    const link = model.get("link");
    if (link) window.open(link, "_blank", "noopener");
    emit(model, "click");
  });
  watch(model, ["value", "variant", "size", "interactive", "visible", "elem_id", "elem_classes", "scale", "min_width"], apply, signal);
  void editable;
}
