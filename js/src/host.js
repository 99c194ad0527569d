// The standalone page host: gives each component the anywidget model
// interface (get/set/on/off/save_changes/send) over one WebSocket, and a
// host whose getWidget() mounts components, so the notebook's renderers run
// unchanged.
import { render, injectCss } from "./runtime.js";
import { toast } from "./layout.js";
import { HELLO, UPDATE, STATUS, ERROR, LOG } from "./protocol.js";
import { PageModel } from "./model.js";

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
  send(msg) {
    const text = JSON.stringify(msg);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.queue.push(text);
  }
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
  const config = JSON.parse(configEl.textContent);
  applyTheme(pickTheme(config.theme));
  if (!new URLSearchParams(location.search).get("__theme") && config.theme === "default") {
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(pickTheme(config.theme)));
  }
  const rootEl = doc.getElementById("nbdemo-root");
  const models = new Map();
  let root;
  const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${location.pathname.replace(/\/?$/, "/")}ws${location.search}`;
  const conn = new Connection(wsUrl, (msg) => {
    if (msg.type === HELLO) {
      body.dataset.sessionHash = msg.session_hash;
      body.dataset.nbdemoConnected = "1";
    } else if (msg.type === UPDATE) {
      for (const [id, props] of msg.updates) models.get(id)?.applyFromServer(props);
    } else if (msg.type === STATUS || msg.type === ERROR || msg.type === LOG) {
      root.trigger("msg:custom", msg, []);
    }
  }, () => {
    delete body.dataset.nbdemoConnected;
    toast(rootEl, { title: "Connection lost", message: "Reload the page to start a new session." });
  });
  const base = location.pathname.replace(/\/?$/, "/");
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
  for (const [id, c] of Object.entries(config.components)) {
    const m = new PageModel(Number(id), { ...c.props, _kind: c.kind, _max_file_size: config.max_file_size }, conn);
    m.nbdemoUpload = upload;
    models.set(Number(id), m);
  }
  root = new PageModel(0, { _kind: "blocks", _layout: config.layout, css: config.css,
    theme: "default", fill_height: config.fill_height, title: config.title }, conn);
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
}


