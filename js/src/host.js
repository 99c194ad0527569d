// The standalone page host: gives each component the anywidget model
// interface (get/set/on/off/save_changes/send) over one WebSocket, and a
// host whose getWidget() mounts components, so the notebook's renderers run
// unchanged.
import { render, injectCss } from "./runtime.js";
import { toast } from "./layout.js";
import { HELLO, UPDATE, STATUS, ERROR, LOG, RELOAD, RENDER, SET, packFrame } from "./protocol.js";
import { editable } from "./util.js";
import { PageModel } from "./model.js";
import { pageLinks } from "./components/navbar.js";

class Connection {
  constructor(url, onMessage, onLost) {
    this.queue = [];
    this.ws = new WebSocket(url);
    this.ws.addEventListener("open", () => { for (const m of this.queue.splice(0)) this.ws.send(m); });
    // a frame holds one message or an array of them (one turn of the server's loop)
    this.ws.addEventListener("message", (e) => {
      const data = JSON.parse(e.data);
      if (Array.isArray(data)) for (const m of data) onMessage(m); else onMessage(data);
    });
    this.ws.addEventListener("close", () => onLost());
  }
  close() { this.queue = []; this.ws.close(1000, "reload"); }
  /** Send `msg`; with `buffers` (a stream frame) as one binary message. */
  send(msg, buffers) {
    const data = buffers?.length ? packFrame(msg, buffers[0]) : JSON.stringify(msg);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.queue.push(data);
  }
  /** Bytes sent but not yet on the wire (a stream skips frames while this is large). */
  backlog() { return this.ws.bufferedAmount; }
}

function pickTheme(configured) {
  const q = new URLSearchParams(location.search).get("__theme");
  if (q === "dark" || q === "light") return q;
  if (configured === "dark" || configured === "light") return configured;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export async function start(doc = document) {
  const body = doc.body;
  const configEl = doc.getElementById("nbdemo-config");
  const applyTheme = (theme) => { body.classList.toggle("nbd-dark", theme === "dark"); body.classList.toggle("nbd-light", theme !== "dark"); };
  if (!configEl) { injectCss(doc); applyTheme(pickTheme(null)); return; }
  let config = JSON.parse(configEl.textContent);
  applyTheme(pickTheme(config.theme));
  if (!new URLSearchParams(location.search).get("__theme")) {
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => { if (config.theme === "default") applyTheme(pickTheme(config.theme)); });
  }
  const rootEl = doc.getElementById("nbdemo-root");
  // the app's URL: a page of a multipage demo (Blocks.route) is one folder below it
  const base = new URL(config.root || "./", location.origin + location.pathname.replace(/\/?$/, "/")).pathname;
  let demo = null;
  let reloads = 0;
  // Reload mode (nbdemo app.py): the server says the demo changed; fetch its new
  // config and render it in place of the old one, one reload at a time.
  let pending = Promise.resolve();
  const onReload = (msg) => {
    pending = pending.then(async () => {
      if (msg.error) { showReloadError(doc, rootEl, msg.error); return; }
      const r = await fetch(`${base}page_config?page=${encodeURIComponent(config.page || "")}`, { cache: "no-store" });
      if (!r.ok) throw new Error(`nbdemo: config after reload: HTTP ${r.status}`);
      const next = await r.json();
      const keep = demo.typedValues();
      demo.close();
      config = next;
      applyTheme(pickTheme(config.theme));
      if (config.title) doc.title = config.title;
      demo = await mountDemo(doc, rootEl, config, base, onReload, keep);
      body.dataset.nbdemoReloads = String(++reloads);
    }).catch((e) => console.error(e));
  };
  demo = await mountDemo(doc, rootEl, config, base, onReload, new Map());
}

/** Keys naming a config's components across reloads (component ids change): the
 * component's key or elem_id, else its kind, label and rank among its namesakes. */
function componentKeys(config) {
  const keys = new Map();
  const seen = new Map();
  for (const [id, c] of Object.entries(config.components)) {
    const p = c.props || {};
    let key = p.key != null ? `key:${p.key}` : p.elem_id ? `#${p.elem_id}` : `${c.kind}|${p.label ?? ""}`;
    const n = seen.get(key) || 0;
    seen.set(key, n + 1);
    keys.set(Number(id), `${key}|${n}`);
  }
  return keys;
}

/** A multipage demo without a gr.Navbar on this page: a bar with its pages, as Gradio shows. */
function showPages(doc, rootEl, config) {
  doc.getElementById("nbdemo-pages")?.remove();
  if (!config.pages?.length) return;
  const ids = [];
  const walk = (n) => { if (n.type === "component") ids.push(n.id); (n.children || []).forEach(walk); };
  walk(config.layout || {});
  if (ids.some((id) => config.components[id]?.kind === "navbar")) return;
  // a gr.Navbar on another page names the main page and adds its links here too (app-wide, as in Gradio)
  const app = Object.values(config.components).find((c) => c.kind === "navbar")?.props;
  if (app?.visible === false) return;
  const nav = doc.createElement("nav");
  nav.id = "nbdemo-pages";
  nav.className = "nbd-pages-nav";
  nav.setAttribute("aria-label", "Pages");
  const root = config.root || "./";
  nav.append(...pageLinks({ pages: config.pages, page: config.page, root, main: app ? app.main_page_name : "Home" }));
  for (const [label, url] of app?.value || []) {
    const external = /^[a-z][a-z0-9+.-]*:/i.test(url);
    const a = doc.createElement("a");
    a.href = external || url.startsWith("/") ? url : `${root}${url}`;
    if (external) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    a.textContent = label;
    nav.append(a);
  }
  rootEl.before(nav);
}

/** A short hash of `text` (FNV-1a), so a changed module gets a new URL after a reload. */
function hashOf(text) {
  let x = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 0x01000193);
  return (x >>> 0).toString(36);
}

const plain = (v) => v === null || ["string", "number", "boolean"].includes(typeof v)
  || (Array.isArray(v) && v.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x)));

function showReloadError(doc, rootEl, text) {
  let box = doc.getElementById("nbdemo-reload-error");
  if (!text) { box?.remove(); return; }
  if (!box) {
    box = doc.createElement("div");
    box.id = "nbdemo-reload-error";
    box.className = "nbd-reload-error";
    box.setAttribute("role", "alert");
    const title = doc.createElement("strong");
    title.textContent = "Reload failed: still showing the last working demo. Fix the file and save.";
    box.append(title, doc.createElement("pre"));
    rootEl.before(box);
  }
  box.querySelector("pre").textContent = text;
}

/** gr.BrowserState ids → localStorage keys (default: one per page path and id). */
function browserStateKeys(config) {
  const keys = new Map();
  for (const [id, key] of Object.entries(config.browser_state || {})) {
    keys.set(Number(id), key || `nbdemo:${location.pathname}:${id}`);
  }
  return keys;
}

/** localStorage may be off (privacy settings, sandboxed frames): then nothing is kept. */
function storage(op) {
  try { return op(); } catch { return null; }
}

/** Render `config` into `rootEl` with its own session (WebSocket); `keep`: key →
 * value typed before a reload, given back to the components that still exist. */
async function mountDemo(doc, rootEl, config, base, onReload, keep) {
  const body = doc.body;
  const models = new Map();
  let root;
  let closing = false;
  delete body.dataset.nbdemoReady;
  delete body.dataset.nbdemoConnected;
  showReloadError(doc, rootEl, config.reload_error);
  const query = new URLSearchParams(location.search);
  if (config.page) query.set("__page", config.page); // the server runs this page's load listeners
  // gr.BrowserState: what this browser kept goes with the connection, so the
  // load listeners already see it; the server checks each value's signature
  const stored = browserStateKeys(config);
  const kept = {};
  for (const [id, key] of stored) {
    const value = storage(() => localStorage.getItem(key));
    if (value && value.length <= 4200) kept[id] = value; // a signature and at most 4096 characters of JSON
  }
  if (Object.keys(kept).length) query.set("__browser_state", JSON.stringify(kept));
  const search = query.toString() ? `?${query}` : "";
  const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${base}ws${search}`;
  showPages(doc, rootEl, config);
  const conn = new Connection(wsUrl, (msg) => {
    if (msg.type === HELLO) {
      body.dataset.sessionHash = msg.session_hash;
      body.dataset.nbdemoConnected = "1";
    } else if (msg.type === UPDATE) {
      const layout = [];
      for (const [id, props] of msg.updates) {
        if (stored.has(id) && "_stored" in props) { // a gr.BrowserState's new value, signed
          storage(() => localStorage.setItem(stored.get(id), props._stored));
          continue;
        }
        const m = models.get(id);
        if (m) m.applyFromServer(props); else layout.push([id, props]);
      }
      // ids without a model are layout blocks (a Column's visible, a Tabs' selected): the root lays them out
      if (layout.length) root.trigger("msg:custom", { type: UPDATE, updates: layout }, []);
    } else if (msg.type === STATUS || msg.type === ERROR || msg.type === LOG) {
      root.trigger("msg:custom", msg, []);
    } else if (msg.type === RELOAD) {
      onReload(msg);
    } else if (msg.type === RENDER) {
      onRender(msg);
    }
  }, () => {
    if (closing) return;
    delete body.dataset.nbdemoConnected;
    toast(rootEl, { title: "Connection lost", message: "Reload the page to start a new session." });
  });
  // Files go up over HTTP (the server enforces max_file_size before reading the body).
  const upload = async (file) => {
    const hash = body.dataset.sessionHash;
    if (!hash) throw new Error("Not connected yet; try again in a moment.");
    const r = await fetch(`${base}upload?session_hash=${encodeURIComponent(hash)}`, {
      method: "POST", body: file,
      headers: { "X-File-Name": encodeURIComponent(file.name || "upload"), "Content-Type": file.type || "application/octet-stream" },
    });
    const reply = await r.json().catch(() => ({ error: `upload failed (HTTP ${r.status})` }));
    if (!r.ok) throw new Error(reply.error || `upload failed (HTTP ${r.status})`);
    return reply;
  };
  const makeModel = (id, c) => {
    const props = { ...c.props, _kind: c.kind, _max_file_size: config.max_file_size };
    const m = new PageModel(id, props, conn);
    m.nbdemoUpload = upload;
    // gr.DeepLinkButton: the server keeps this session's values; the link opens them
    m.nbdemoDeepLink = async () => {
      const r = await fetch(`${base}deep_link?session_hash=${encodeURIComponent(body.dataset.sessionHash || "")}`);
      if (!r.ok) throw new Error(`the server kept no snapshot (HTTP ${r.status})`);
      const url = new URL(location.href);
      url.searchParams.set("deep_link", (await r.text()).trim());
      return url.toString();
    };
    // author code (a templated gr.HTML) comes from this server: script-src 'self', no eval
    if (props._js_module) m.nbdemoScriptUrl = `${base}component_js/${id}.js?v=${hashOf(props._js_module)}`;
    models.set(id, m);
    return m;
  };
  const keys = componentKeys(config);
  for (const [id, c] of Object.entries(config.components)) {
    const m = makeModel(Number(id), c);
    const key = keys.get(Number(id));
    if (keep.has(key) && editable(m)) {
      m.state.value = keep.get(key);
      conn.send({ type: SET, id: Number(id), value: keep.get(key) });  // the new session has it too
    }
  }
  // gr.render: a run's components replace those of the render's previous run;
  // one the previous run had too (the server kept its id: key=) keeps its model,
  // and what the server left out of its props (what it preserves) stays as is
  const rendered = new Map();  // render id → ids of the components its last run showed
  const onRender = (msg) => {
    const before = rendered.get(msg.id) || new Set();
    const now = new Set();
    const kept = [];
    for (const [sid, c] of Object.entries(msg.components || {})) {
      const id = Number(sid);
      const m = before.has(id) ? models.get(id) : null;
      now.add(id);
      if (m && m.get("_kind") === c.kind) {
        m.applyFromServer(c.props);
        kept.push(id);
      } else {
        makeModel(id, c);
      }
    }
    for (const id of before) if (!now.has(id)) models.delete(id);
    rendered.set(msg.id, now);
    root.trigger("msg:custom", { type: RENDER, id: msg.id, layout: msg.layout, kept }, []);
  };
  root = new PageModel(0, { _kind: "blocks", _layout: config.layout, css: config.css,
    theme: "default", fill_height: config.fill_height, title: config.title,
    _js_module: config.js_module ?? null, _js_listeners: config.js_listeners || [] }, conn);
  // the app's own js= comes from this server: script-src 'self', no eval
  if (config.js_module) root.nbdemoScriptUrl = `${base}app_js.js?v=${hashOf(config.js_module)}`;
  const controller = new AbortController();
  const host = {
    async getWidget(ref) {
      const model = models.get(Number(String(ref).replace(/^c:/, "")));
      if (!model) throw new Error(`nbdemo: unknown widget ${ref}`);
      return { model, render: ({ el, signal }) => render({ model, el, signal: signal || controller.signal, host }) };
    },
  };
  await render({ model: root, el: rootEl, host, signal: controller.signal });
  body.dataset.nbdemoReady = "1";
  window.nbdemo = { models, root, conn };
  return {
    /** key → value of the editable components whose value the user changed */
    typedValues() {
      const out = new Map();
      for (const [id, m] of models) {
        if (!keys.has(id)) continue;  // a render's component: not in the config
        const initial = config.components[id]?.props?.value;
        const v = m.get("value");
        if (editable(m) && plain(v) && JSON.stringify(v) !== JSON.stringify(initial ?? null)) out.set(keys.get(id), v);
      }
      return out;
    },
    close() {
      closing = true;
      controller.abort();
      conn.close();
      rootEl.replaceChildren();
    },
  };
}
