// The nbdemo runtime: every renderer, as one anywidget front-end module.
// In a notebook the stub (stub.js) loads it once per page; the standalone
// page imports it directly (page.js).
import css from "./nbdemo.css";
import { renderers } from "./components/index.js";
import { ERROR } from "./protocol.js";

export function injectCss(doc = document) {
  if (doc.querySelector("[data-nbdemo-css]")) return;
  const s = doc.createElement("style");
  s.dataset.nbdemoCss = "";
  s.textContent = css;
  doc.head.append(s);
}

export async function render(ctx) {
  const { model, el, signal } = ctx;
  injectCss();
  const kind = model.get("_kind");
  const fn = renderers[kind];
  if (!fn) {
    el.textContent = `nbdemo: no renderer for "${kind}"`;
    return;
  }
  // Errors the kernel reports on a component's own comm bubble up to the demo root.
  const onMsg = (msg) => {
    if (msg && msg.type === ERROR) el.dispatchEvent(new CustomEvent("nbd-error", { bubbles: true, detail: msg }));
  };
  if (kind !== "blocks") {
    model.on("msg:custom", onMsg);
    signal?.addEventListener("abort", () => model.off("msg:custom", onMsg));
  }
  return fn(ctx);
}

export default { render };
