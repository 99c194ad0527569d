// Model3D: the File renderer (label, download link, upload) with a 3D view of
// the model above it. The viewer (three.js, static/viewer3d.js) loads on first
// use: the page imports it by URL; the notebook runtime, which runs from a
// blob: URL and cannot import by a relative URL, gets its source from the
// kernel ("module" message, as the stub gets the runtime).
import { file } from "./file.js";
import { h, fileUrl, watch, reportError } from "../util.js";
import { MODULE } from "../protocol.js";

const VIEWER = "viewer3d";
let viewerModule = null;

function loadViewer(model) {
  if (viewerModule) return viewerModule;
  if (!import.meta.url.startsWith("blob:")) {
    viewerModule = import(/* webpackIgnore: true */ new URL(`${VIEWER}.js`, import.meta.url).href);
  } else {
    viewerModule = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { model.off("msg:custom", on); reject(new Error("the kernel did not send the 3D viewer")); }, 60000);
      const on = (msg) => {
        if (!msg || msg.type !== MODULE || msg.name !== VIEWER) return;
        clearTimeout(timer);
        model.off("msg:custom", on);
        if (msg.error) { reject(new Error(msg.error)); return; }
        const url = URL.createObjectURL(new Blob([msg.code], { type: "text/javascript" }));
        import(/* webpackIgnore: true */ url).then((m) => { URL.revokeObjectURL(url); resolve(m); }, reject);
      };
      model.on("msg:custom", on);
      model.send({ type: MODULE, name: VIEWER });
    });
  }
  viewerModule.catch(() => { viewerModule = null; });
  return viewerModule;
}

const PROPS = ["value", "clear_color", "camera_position", "zoom_speed", "pan_speed", "display_mode", "height"];

export function render(ctx) {
  const { model, el, signal } = ctx;
  file(ctx);
  el.classList.add("nbd-model3d");
  const box = h("div", { class: "nbd-model3d-view", role: "img" });
  let view = null;
  let gen = 0;
  const place = () => {
    const files = el.querySelector(".nbd-file-box");
    if (files && box.nextSibling !== files) files.before(box);
  };
  const build = async () => {
    const mine = ++gen;
    view?.dispose();
    view = null;
    place();
    const fd = model.get("value");
    if (!fd) { box.hidden = true; box.replaceChildren(); return; }
    const name = fd.orig_name || "model";
    const ext = name.includes(".") ? name.split(".").pop().toLowerCase() : "";
    const height = model.get("height");
    box.hidden = false;
    box.style.height = typeof height === "number" ? `${height}px` : height || "320px";
    box.setAttribute("aria-label", `3D view of ${name}`);
    box.replaceChildren(h("div", { class: "nbd-placeholder" }, "Loading the 3D viewer…"));
    try {
      const [mod, url] = await Promise.all([loadViewer(model), fileUrl(model, fd)]);
      if (mine !== gen || signal?.aborted) return;
      if (!mod.FORMATS.includes(ext)) {
        box.replaceChildren(h("div", { class: "nbd-placeholder" }, `No 3D preview for .${ext} files: download it below`));
        return;
      }
      const shown = await mod.show(box, url, ext, {
        clearColor: model.get("clear_color"), cameraPosition: model.get("camera_position"),
        zoomSpeed: model.get("zoom_speed"), panSpeed: model.get("pan_speed"), displayMode: model.get("display_mode"),
      });
      if (mine !== gen || signal?.aborted) { shown.dispose(); return; }
      view = shown;
      box.append(h("button", { type: "button", class: "nbd-icon-btn nbd-model3d-reset", title: "Reset the view",
        "aria-label": "Reset the view", onclick: () => view?.reset() }, "⟲"));
      el.dataset.rendered = name;
    } catch (e) {
      if (mine !== gen) return;
      box.replaceChildren(h("div", { class: "nbd-placeholder" }, `Could not show ${name} in 3D`));
      reportError(el, `Could not show the 3D model ${name}: ${e.message || e}`);
    }
  };
  build();
  watch(model, PROPS, build, signal);
  signal?.addEventListener("abort", () => view?.dispose());
}
