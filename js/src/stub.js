// The `_esm` of every nbdemo widget: a few hundred bytes. It asks the kernel
// for the shared runtime once per page (keyed by the runtime's hash) instead
// of shipping the whole bundle with each widget.
/* global __RUNTIME_KEY__ */
const KEY = `__nbdemo_runtime_${__RUNTIME_KEY__}`;

function load(model) {
  let p = globalThis[KEY];
  if (p) return p;
  p = new Promise((resolve, reject) => {
    const onMsg = (msg) => {
      if (!msg || msg.type !== "runtime") return;
      clearTimeout(timer);
      model.off("msg:custom", onMsg);
      const url = URL.createObjectURL(new Blob([msg.code], { type: "text/javascript" }));
      import(/* webpackIgnore: true */ url).then((m) => { URL.revokeObjectURL(url); resolve(m); }, reject);
    };
    const timer = setTimeout(() => {
      model.off("msg:custom", onMsg);
      reject(new Error("nbdemo: the kernel did not send the runtime (is it busy or gone?)"));
    }, 60000);
    model.on("msg:custom", onMsg);
    model.send({ type: "runtime" });
  });
  globalThis[KEY] = p;
  p.catch(() => { if (globalThis[KEY] === p) delete globalThis[KEY]; });
  return p;
}

export default {
  async render(ctx) {
    try {
      const runtime = await load(ctx.model);
      return await runtime.render(ctx);
    } catch (e) {
      ctx.el.textContent = String(e && e.message ? e.message : e);
    }
  },
};
