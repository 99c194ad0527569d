// The nbdemo runtime: every renderer, as one anywidget front-end module.
// In a notebook the stub (stub.js) loads it once per page; the standalone
// page imports it directly (page.js).
import css from "./nbdemo.css";
import { renderers } from "./components/index.js";
import { ERROR, DELTA, RESYNC, applyDelta } from "./protocol.js";
import { register } from "./appjs.js";

// Inline, streamed values arrive as {"type": "delta"} custom messages on the
// component's comm (the kernel sets the trait without syncing it). Every view
// of a model hears the message, so each delta is applied once per model: the
// last seq applied is kept per widget manager and component id.
const applied = new WeakMap();
function applyModelDelta(model, msg) {
  const key = model.widget_manager || model;
  if (!applied.has(key)) applied.set(key, new Map());
  const seen = applied.get(key);
  const id = model.get("_nbd_id");
  if ((seen.get(id) || 0) >= msg.seq) return;
  seen.set(id, msg.seq);
  const prop = msg.prop || "value";
  try {
    model.set(prop, applyDelta(model.get(prop), msg.ops));
  } catch (e) {
    // the page's value is not the delta's base (an edit crossed it): ask for the whole value
    model.send({ type: RESYNC, prop });
  }
}

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
    else if (msg && msg.type === DELTA) applyModelDelta(model, msg);
  };
  if (kind !== "blocks") {
    register(model);
    model.on("msg:custom", onMsg);
    signal?.addEventListener("abort", () => model.off("msg:custom", onMsg));
  }
  return fn(ctx);
}

export default { render };
