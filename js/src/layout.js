// The demo root: lays out the tree of rows/columns/tabs/… and mounts each
// component widget through the host (anywidget's host.getWidget in a
// notebook, the page host standalone). Shows runs' status and toasts
// (status.js), for both front doors.
import { h, watch, emit, setValue, importScript } from "./util.js";
import { scopeOf } from "./appjs.js";
import { STATUS, ERROR, LOG, LOG_LEVELS, EVENT, UPDATE, RENDER } from "./protocol.js";
import { statusTracker, toast } from "./status.js";
import { toolbar } from "./toolbar.js";

export { toast };

function common(box, p) {
  box.hidden = p.visible === false;
  if (p.elem_id) box.id = p.elem_id;
  for (const c of p.elem_classes || []) box.classList.add(c);
}

/** A layout block's event (Tab.select, Accordion.expand, …), sent when some listener wants it. */
function fire(ctx, node, event, data) {
  if ((node.props?._events || []).includes(event)) ctx.send({ type: EVENT, id: node.id, event, data });
}

function buildNode(n, ctx) {
  const p = n.props || {};
  let box;
  const kids = (into) => { for (const c of n.children || []) into.append(buildNode(c, ctx)); };
  switch (n.type) {
    case "component": {
      ctx.made?.push(n.id);
      const kept = ctx.reuse?.get(n.id);  // a re-render kept it (key=): same box, same view
      if (kept) { ctx.blocks.set(n.id, kept); return kept; }
      box = h("div", { class: "nbd-block", "data-nbd-id": n.id });
      // blocks inside a component (gr.HTML's @children): laid out here, placed by its renderer
      if (n.children?.length) {
        box.nbdChildren = h("div", { class: "nbd-children" });
        kids(box.nbdChildren);
      }
      ctx.blocks.set(n.id, box);
      ctx.jobs.push(ctx.mount(n.ref, box, n.id));
      return box;
    }
    case "row":
      box = h("div", { class: `nbd-row nbd-variant-${p.variant || "default"}${p.equal_height ? " nbd-equal" : ""}` });
      if (p.height) box.style.height = typeof p.height === "number" ? `${p.height}px` : p.height;
      kids(box);
      break;
    case "group":
      box = h("div", { class: "nbd-group" });
      kids(box);
      break;
    case "tabs": {
      box = h("div", { class: "nbd-tabs" });
      const list = h("div", { class: "nbd-tablist", role: "tablist" });
      box.append(list);
      const tabs = (n.children || []).filter((c) => c.type === "tab");
      let sel = 0;
      if (typeof p.selected === "number") sel = p.selected;
      else if (p.selected !== null && p.selected !== undefined) sel = Math.max(0, tabs.findIndex((t) => t.props?.tab_id === p.selected));
      const buttons = [];
      const panels = [];
      let current = -1;
      const select = (i, byUser = false) => {
        buttons.forEach((b, j) => { b.setAttribute("aria-selected", String(i === j)); b.tabIndex = i === j ? 0 : -1; });
        panels.forEach((pn, j) => { pn.hidden = i !== j; });
        if (byUser && i !== current) {
          const data = { index: i, value: tabs[i].props?.label ?? "", selected: true };
          fire(ctx, tabs[i], "select", data);
          fire(ctx, n, "select", data);
          fire(ctx, n, "change", null);
        }
        current = i;
      };
      ctx.nodes.set(n.id, (q) => {
        if (q.selected === undefined || q.selected === null) return;
        const k = typeof q.selected === "number" ? q.selected : tabs.findIndex((t) => t.props?.tab_id === q.selected);
        if (k >= 0 && k < tabs.length) select(k);
      });
      tabs.forEach((t, i) => {
        const tp = t.props || {};
        const id = `nbd-tab-${t.id}`;
        const b = h("button", { type: "button", role: "tab", id, class: "nbd-tab", "aria-controls": `${id}-panel`,
          disabled: tp.interactive === false, onclick: () => select(i, true) }, tp.label || `Tab ${i + 1}`);
        b.hidden = tp.visible === false;
        b.addEventListener("keydown", (e) => {
          const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
          if (d) { const k = (i + d + tabs.length) % tabs.length; select(k, true); buttons[k].focus(); }
        });
        const panel = h("div", { role: "tabpanel", id: `${id}-panel`, class: "nbd-tabpanel nbd-column", "aria-labelledby": id });
        for (const c of t.children || []) panel.append(buildNode(c, ctx));
        buttons.push(b);
        panels.push(panel);
        ctx.nodes.set(t.id, (q) => {
          if (q.visible !== undefined) b.hidden = q.visible === false;
          if (q.label !== undefined) b.textContent = q.label || `Tab ${i + 1}`;
          if (q.interactive !== undefined) b.disabled = q.interactive === false;
          if (q.visible === false && current === i) {
            const k = buttons.findIndex((x) => !x.hidden);
            if (k >= 0) select(k);
          }
        });
        list.append(b);
        box.append(panel);
      });
      select(Math.min(sel, Math.max(0, tabs.length - 1)));
      break;
    }
    case "accordion": {
      box = h("details", { class: "nbd-accordion", open: p.open !== false });
      const summary = h("summary", { class: "nbd-accordion-label" }, p.label || "");
      const details = box;
      // after the browser toggles it: expand or collapse, as the user left it
      summary.addEventListener("click", () => setTimeout(() => fire(ctx, n, details.open ? "expand" : "collapse", null)));
      box.append(summary);
      ctx.nodes.set(n.id, (q) => {
        if (q.open !== undefined) details.open = !!q.open;
        if (q.label !== undefined) summary.textContent = q.label || "";
      });
      const inner = h("div", { class: "nbd-column nbd-accordion-body" });
      kids(inner);
      box.append(inner);
      break;
    }
    case "sidebar": {
      box = h("aside", { class: `nbd-sidebar nbd-sidebar-${p.position || "left"}`, "aria-label": p.label || "Sidebar" });
      const inner = h("div", { class: "nbd-column nbd-sidebar-body" });
      const toggle = h("button", { type: "button", class: "nbd-sidebar-toggle", "aria-expanded": String(p.open !== false),
        "aria-label": "Toggle sidebar" }, "☰");
      const setOpen = (o) => { box.classList.toggle("nbd-closed", !o); toggle.setAttribute("aria-expanded", String(o)); };
      toggle.addEventListener("click", () => setOpen(box.classList.contains("nbd-closed")));
      if (p.width) inner.style.width = typeof p.width === "number" ? `${p.width}px` : p.width;
      kids(inner);
      box.append(toggle, inner);
      setOpen(p.open !== false);
      ctx.nodes.set(n.id, (q) => { if (q.open !== undefined) setOpen(!!q.open); });
      break;
    }
    case "tab":
    case "column":
    default:
      box = h("div", { class: `nbd-column nbd-variant-${p.variant || "default"}` });
      if (p.scale !== undefined && p.scale !== null) box.style.flexGrow = String(p.scale);
      if (p.min_width) box.style.minWidth = `min(${p.min_width}px, 100%)`;
      kids(box);
  }
  common(box, p);
  ctx.made?.push(n.id);
  if (n.render) ctx.renders.set(n.id, box);  // a gr.render's place: filled by "render" messages
  const own = ctx.nodes.get(n.id);
  // what a function changed for this session (gr.Column(visible=False), gr.Tabs(selected=1), …)
  ctx.nodes.set(n.id, (q) => {
    if (q.visible !== undefined) box.hidden = q.visible === false;
    own?.(q);
  });
  return box;
}

export async function render({ model, el, host, signal }) {
  el.classList.add("nbd-app");
  // In JupyterLab and Notebook 7, keys pressed on a focused slider, radio,
  // checkbox, select or tab run notebook shortcuts instead (the arrows move the
  // cell selection, "d d" deletes the cell). Lumino skips elements marked
  // data-lm-suppress-shortcuts. Text fields are left alone: JupyterLab already
  // exempts them, and app shortcuts such as Ctrl+S keep working there.
  el.addEventListener("focusin", (e) => {
    const t = e.target;
    if (t instanceof Element && !t.matches(":read-write")) t.setAttribute("data-lm-suppress-shortcuts", "");
  });
  const style = h("style");
  const applyTheme = () => {
    const theme = model.get("theme");
    el.classList.toggle("nbd-dark", theme === "dark");
    el.classList.toggle("nbd-light", theme === "light");
    el.classList.toggle("nbd-fill", !!model.get("fill_height"));
    style.textContent = model.get("css") || "";
  };
  const ctx = {
    send: (msg) => model.send(msg),
    nodes: new Map(), // layout block id → apply(props)
    blocks: new Map(),
    renders: new Map(), // gr.render id → its Column/Row box
    inside: new Map(), // gr.render id → ids of the blocks its last run built
    aborts: new Map(), // component id → AbortController (components a render built)
    jobs: [],
    made: null, // while a render's part is built: the ids built
    reuse: null, // while a render's part is built: kept component id → its box
    mount: async (ref, box, id) => {
      let own = signal;
      if (ctx.made) { // built by a render: ended when a later run drops it
        const ac = new AbortController();
        ctx.aborts.set(id, ac);
        own = signal ? AbortSignal.any([signal, ac.signal]) : ac.signal;
      }
      const child = await host.getWidget(ref);
      await child.render({ el: box, signal: own });
    },
  };
  const scope = scopeOf(model); // the components' models, by id (appjs.js)
  // The app's own JavaScript (Blocks js=, listeners' js=): Python sent it as an
  // ES module (Blocks.script); listeners with js= run it before the event goes out.
  const jsListeners = model.get("_js_listeners") || [];
  let appModule = null;
  const moduleReady = model.get("_js_module")
    ? importScript(model, model.get("_js_module")).then((m) => { appModule = m; return m; },
      (e) => { toast(el, { title: "Error", message: `The demo's JavaScript did not load: ${e.message || e}` }); return null; })
    : Promise.resolve(null);
  let chain = Promise.resolve();
  const jsRunner = jsListeners.length ? (m, event, data) => {
    const id = m.get("_nbd_id");
    const mine = jsListeners.filter((l) => l.triggers.some(([t, e]) => t === id && e === event));
    const wanted = (m.get("_events") || []).includes(event);
    if (!mine.length) {
      if (wanted) m.send({ type: EVENT, event, data });
      return;
    }
    // in order: a later event waits for this one's js
    chain = chain.then(async () => {
      await moduleReady;
      const jsInputs = {};
      for (const l of mine) {
        const fn = appModule?.listeners?.[l.fn_index];
        if (!fn) continue;
        let out;
        try {
          out = await fn(...l.inputs.map((i) => scope.models.get(i)?.get("value") ?? null));
        } catch (e) {
          toast(el, { title: "Error", message: `js= of a listener: ${e.message || e}` });
          continue;
        }
        if (out === undefined) out = [];
        // as in Gradio: one input (or output) takes a non-array result as its value
        const one = l.fn ? l.inputs.length === 1 : l.outputs.length === 1;
        const values = one && !Array.isArray(out) ? [out] : out;
        if (l.fn) {
          jsInputs[l.fn_index] = values;
        } else {
          l.outputs.forEach((oid, k) => {
            const om = scope.models.get(oid);
            if (!om || k >= values.length) return;
            setValue(om, values[k]);
            emit(om, "change");
          });
        }
      }
      if (wanted) m.send(Object.keys(jsInputs).length ? { type: EVENT, event, data, js_inputs: jsInputs } : { type: EVENT, event, data });
    });
  } : null;
  if (jsRunner) {
    for (const l of jsListeners) for (const [id] of l.triggers) scope.runners.set(id, jsRunner);
    signal?.addEventListener("abort", () => {
      for (const l of jsListeners) for (const [id] of l.triggers) if (scope.runners.get(id) === jsRunner) scope.runners.delete(id);
    });
  }
  let tree;
  const bar = toolbar({ model, signal });
  const build = () => {
    for (const ac of ctx.aborts.values()) ac.abort();
    ctx.blocks = new Map();
    ctx.nodes = new Map();
    ctx.renders = new Map();
    ctx.inside = new Map();
    ctx.aborts = new Map();
    ctx.jobs = [];
    tree = buildNode(model.get("_layout") || { type: "column", children: [] }, ctx);
    tree.classList.add("nbd-root-column");
    el.replaceChildren(style, bar, tree);
    applyTheme();
    const jobs = ctx.jobs;
    built = new Map();
    jobs.push(applyRenders());
    return Promise.all(jobs);
  };
  // gr.render ("render" messages standalone, the _renders trait inline): the
  // render's Column/Row gets the run's children. Components the previous run also built
  // and the server kept (key=) keep their box and view (focus, what was typed);
  // the others' views end.
  const rerender = (msg) => {
    const box = ctx.renders.get(msg.id);
    if (!box) return null;
    const kept = new Set(msg.kept || []);
    const reuse = new Map();
    for (const id of ctx.inside.get(msg.id) || []) {
      if (kept.has(id) && ctx.blocks.has(id)) { reuse.set(id, ctx.blocks.get(id)); continue; }
      ctx.aborts.get(id)?.abort();
      ctx.aborts.delete(id);
      ctx.blocks.delete(id);
      ctx.nodes.delete(id);
    }
    const made = [];
    Object.assign(ctx, { made, reuse, jobs: [] });
    const children = (msg.layout?.children || []).map((c) => buildNode(c, ctx));
    const jobs = ctx.jobs;
    Object.assign(ctx, { made: null, reuse: null, jobs: [] });
    box.replaceChildren(...children);
    ctx.inside.set(msg.id, made);
    tracker.rebind();
    return Promise.all(jobs);
  };
  // a run's status shows over its components, and a render's over its place
  const tracker = statusTracker(el, (id) => ctx.blocks.get(id) || ctx.renders.get(id));
  // Inline, the root's _renders trait holds each render's last layout (id →
  // node): a view builds the renders that changed since it last looked.
  let built = new Map(); // render id → the JSON of the layout this view built
  const applyRenders = () => {
    const jobs = [];
    for (const [id, layout] of Object.entries(model.get("_renders") || {})) {
      const text = JSON.stringify(layout);
      if (built.get(id) === text) continue;
      built.set(id, text);
      jobs.push(rerender({ id: Number(id), layout }));
    }
    return Promise.all(jobs);
  };
  const onMsg = (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === UPDATE) {
      for (const [id, props] of msg.updates || []) ctx.nodes.get(id)?.(props);
    } else if (msg.type === RENDER) {
      rerender(msg)?.catch((e) => console.error("nbdemo: rendering", e));
    } else if (msg.type === STATUS) {
      tracker.update(msg);
      if (msg.status === "error") toast(el, { title: msg.title || "Error", message: msg.message, duration: msg.duration });
    } else if (msg.type === LOG) {
      const kind = LOG_LEVELS.includes(msg.level) ? msg.level : "info";
      toast(el, { kind, title: msg.title, message: msg.message, duration: msg.duration });
    } else if (msg.type === ERROR) {
      toast(el, { title: "Error", message: msg.message });
    }
  };
  model.on("msg:custom", onMsg);
  const onChildError = (e) => toast(el, { title: "Error", message: e.detail?.message });
  el.addEventListener("nbd-error", onChildError);
  watch(model, ["theme", "css", "fill_height"], applyTheme, signal);
  watch(model, "_layout", () => { const done = build(); tracker.rebind(); return done; }, signal);
  watch(model, "_renders", () => applyRenders().catch((e) => console.error("nbdemo: rendering", e)), signal);
  signal?.addEventListener("abort", () => { model.off("msg:custom", onMsg); tracker.dispose(); });
  await build();
  // Blocks(js=) / launch(js=): once the demo shows
  moduleReady.then((m) => m?.load?.()).catch((e) => toast(el, { title: "Error", message: `js= of the demo: ${e.message || e}` }));
  el.dataset.nbdemoReady = "1";
}
