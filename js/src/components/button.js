import { h, emit, watch, commonProps, editable, copyText, reportError } from "../util.js";

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
    if (model.get("_kind") === "deeplinkbutton") copyDeepLink(model, el, btn);
  });
  watch(model, ["value", "variant", "size", "interactive", "visible", "elem_id", "elem_classes", "scale", "min_width"], apply, signal);
  void editable;
}

/** gr.DeepLinkButton: copy a link to this page with the session's values (the page host makes it). */
async function copyDeepLink(model, el, btn) {
  if (!model.nbdemoDeepLink) {
    reportError(el, "A deep link points to the demo's page: open it with demo.launch() (inline there is no page URL)");
    return;
  }
  try {
    const url = await model.nbdemoDeepLink();
    if (!(await copyText(url))) throw new Error("the clipboard refused the link");
    btn.dataset.link = url;
    btn.textContent = model.get("copied_value") || "Link Copied!";
    setTimeout(() => { btn.textContent = model.get("value") ?? ""; }, 1500);
  } catch (e) {
    reportError(el, `Could not make a deep link: ${e.message || e}`);
  }
}
