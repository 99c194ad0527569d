import { h, emit, setValue, watch, editable, frame, fileUrl, uploadFiles, reportError, acceptDrops } from "../util.js";


const size = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : v);

/**
 * ImageSlider: the second image over the first, clipped at the divider; a
 * range input (keyboard and pointer) moves it. When editable, a click or a
 * drop on the empty frame uploads the first image.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "imageslider", { signal, labelFor: false });
  const before = h("img", { class: "nbd-slider-before", alt: "", style: { display: "block", width: "100%", objectFit: "contain" } });
  const after = h("img", { class: "nbd-slider-after", alt: "", style: { position: "absolute", inset: "0", width: "100%",
    height: "100%", objectFit: "contain" } });
  const line = h("div", { class: "nbd-slider-line", "aria-hidden": "true", style: { position: "absolute", top: "0", bottom: "0",
    width: "2px", background: "var(--nbd-accent, #ea580c)", pointerEvents: "none" } });
  const range = h("input", { type: "range", min: "0", max: "100", step: "0.1", class: "nbd-slider-range",
    "aria-label": `${model.get("label") || "Image slider"} divider`, style: { position: "absolute", inset: "0", width: "100%",
      height: "100%", opacity: "0", cursor: "ew-resize", margin: "0" } });
  const stage = h("div", { class: "nbd-slider-stage", style: { position: "relative", overflow: "hidden" } }, before, after, line, range);
  const empty = h("button", { type: "button", class: "nbd-upload-zone", style: { width: "100%", minHeight: "160px" } }, "Drop an image here or click to upload");
  const picker = h("input", { type: "file", accept: "image/*", hidden: true });
  f.body.append(stage, empty, picker);
  const place = (pos) => {
    after.style.clipPath = `inset(0 0 0 ${pos}%)`;
    line.style.left = `calc(${pos}% - 1px)`;
    range.value = String(pos);
  };
  range.addEventListener("input", () => place(Number(range.value)));
  const upload = async (list) => {
    try {
      const [fd] = await uploadFiles(model, [...list].slice(0, 1));
      setValue(model, [fd, (model.get("value") || [])[1] ?? null]);
      emit(model, "upload");
      emit(model, "change");
    } catch (e) {
      reportError(el, `Upload failed: ${e.message || e}`);
    }
  };
  empty.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => { if (picker.files?.length) upload(picker.files); picker.value = ""; });
  acceptDrops(empty, model, upload);
  let gen = 0;
  const apply = async () => {
    const mine = ++gen;
    const [a, b] = model.get("value") || [null, null];
    stage.style.maxHeight = size(model.get("max_height"));
    stage.style.height = size(model.get("height"));
    stage.style.width = size(model.get("width"));
    const has = !!(a || b);
    stage.hidden = !has;
    empty.hidden = has || !editable(model);
    place(model.get("slider_position") ?? 50);
    if (!has) return;
    try {
      const [ua, ub] = await Promise.all([a ? fileUrl(model, a) : null, b ? fileUrl(model, b) : null]);
      if (mine !== gen) return;
      const name = model.get("label") || "Image";
      before.src = ua || ub || "";
      before.alt = `${name}: first image`;
      after.src = ub || "";
      after.hidden = !ub;
      after.alt = `${name}: second image`;
    } catch (e) {
      reportError(el, `Could not load the images: ${e.message || e}`);
    }
  };
  apply();
  watch(model, ["value", "slider_position", "height", "width", "max_height", "interactive", "_editable"], apply, signal);
}
