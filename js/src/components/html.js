// HTML: a plain (sanitized) HTML string, or Gradio 6's templated HTML, whose
// templates and js_on_load come as a small ES module of the author's code
// (nbdemo/components/html.py): the page imports it from its own server
// (script-src 'self', no eval), the notebook from a blob: URL.
import DOMPurify from "dompurify";
import { h, emit, setValue, watch, frame, uploadFiles, fileUrl, reportError, uid, importScript } from "../util.js";
import { handlebars } from "./handlebars.js";

const purify = (html) => DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });

// ---- patching the DOM in place (listeners js_on_load attached stay) ------------------------

function patchNode(cur, next) {
  if (cur.nodeType !== next.nodeType || cur.nodeName !== next.nodeName) {
    cur.replaceWith(next.cloneNode(true));
    return;
  }
  if (cur.nodeType === Node.TEXT_NODE || cur.nodeType === Node.COMMENT_NODE) {
    if (cur.nodeValue !== next.nodeValue) cur.nodeValue = next.nodeValue;
    return;
  }
  if (cur.nodeType !== Node.ELEMENT_NODE) return;
  for (const a of [...cur.attributes]) if (!next.hasAttribute(a.name)) cur.removeAttribute(a.name);
  for (const a of [...next.attributes]) {
    if (cur.getAttribute(a.name) !== a.value) cur.setAttribute(a.name, a.value);
    if (a.name === "value" && "value" in cur) cur.value = a.value;
  }
  patchChildren(cur, next);
}

export function patchChildren(target, source) {
  const have = [...target.childNodes];
  const want = [...source.childNodes];
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    if (!have[i]) target.append(want[i].cloneNode(true));
    else if (!want[i]) have[i].remove();
    else patchNode(have[i], want[i]);
  }
}

// ---- the component --------------------------------------------------------------------------

export function render({ model, el, signal }) {
  const f = frame(model, el, "html", { signal, labelFor: false });
  const box = h("div", { class: "nbd-html" });
  f.body.append(box);
  box.addEventListener("click", () => emit(model, "click"));
  if (!model.get("_js_module")) {
    const apply = () => {
      const src = model.get("value") ?? "";
      box.innerHTML = model.get("sanitize_html") === false ? src : purify(String(src));
    };
    apply();
    watch(model, ["value", "sanitize_html"], apply, signal);
    return undefined;
  }
  return templated(model, el, box, signal);
}

async function templated(model, el, box, signal) {
  let mod;
  try {
    mod = await importScript(model, model.get("_js_module"));
  } catch (e) {
    reportError(el, `HTML: its template code did not load: ${e.message || e}`);
    return;
  }
  if (signal?.aborted) return;
  const scope = uid("nbd-html");
  box.dataset.nbdHtml = scope;
  // components made inside `with gr.HTML(...)`: the layout built them for @children
  const slotted = el.closest("[data-nbd-id]")?.nbdChildren || null;
  const before = h("div", { class: "nbd-html-part" });
  const after = h("div", { class: "nbd-html-part" });
  if (slotted) box.append(before, slotted, after);
  const style = h("style");
  el.append(style);
  // what the templates see: value, label and the extra props; js_on_load may set them
  const state = { ...(model.get("html_props") || {}), value: model.get("value"), label: model.get("label") };
  const watchers = [];
  const paint = (changed) => {
    let html;
    let css;
    try {
      html = handlebars(mod.template(state), state);
      css = handlebars(mod.css(state), state);
    } catch (e) {
      reportError(el, `HTML template: ${e.message || e}`);
      return;
    }
    const clean = (text) => {
      const next = document.createElement("div");
      next.innerHTML = model.get("sanitize_html") === false ? text : purify(text);
      return next;
    };
    if (slotted && html.includes("@children")) {
      // the template around the children, patched on each side; the children stay
      const at = html.indexOf("@children");
      patchChildren(before, clean(html.slice(0, at)));
      patchChildren(after, clean(html.slice(at + "@children".length)));
    } else {
      patchChildren(slotted ? before : box, clean(html));
    }
    // scoped: the rules nest in this component's root (rules outside a block style the root)
    style.textContent = css.trim() ? `[data-nbd-html="${scope}"] { ${css} }` : "";
    if (changed) for (const w of watchers) if (w.names.some((n) => changed.includes(n))) {
      try { w.callback(); } catch (e) { console.error("nbdemo: HTML watch callback:", e); }
    }
  };
  const props = new Proxy(state, {
    set(target, key, v) {
      target[key] = v;
      if (key === "value") {
        setValue(model, v);
        emit(model, "change");
      }
      paint(null);
      return true;
    },
  });
  paint(null);
  const trigger = (name, data = null) => emit(model, String(name), data);
  const server = new Proxy({}, {
    get: (_, name) => async () => { throw new Error(`server.${String(name)}: nbdemo does not support gr.HTML server_functions yet`); },
  });
  const upload = async (file) => {
    const [fd] = await uploadFiles(model, [file]);
    return { ...fd, url: await fileUrl(model, fd) };
  };
  const watchFn = (names, callback) => watchers.push({ names: Array.isArray(names) ? names : [names], callback });
  watch(model, ["value", "label", "html_props", "sanitize_html"], () => {
    const before = { ...state };
    Object.assign(state, model.get("html_props") || {}, { value: model.get("value"), label: model.get("label") });
    const changed = Object.keys(state).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(state[k]));
    paint(changed);
  }, signal);
  try {
    mod.onload(box, trigger, props, server, upload, watchFn);
  } catch (e) {
    reportError(el, `HTML js_on_load: ${e.message || e}`);
  }
}
