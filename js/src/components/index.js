import * as textbox from "./textbox.js";
import * as number from "./number.js";
import * as slider from "./slider.js";
import * as choice from "./choice.js";
import * as button from "./button.js";
import * as display from "./display.js";
import * as html from "./html.js";
import * as image from "./image.js";
import * as file from "./file.js";
import * as plot from "./plot.js";
import * as chatbot from "./chatbot.js";
import * as multimodal from "./multimodal.js";
import * as timer from "./timer.js";
import * as nativeplot from "./nativeplot.js";
import { render as blocks } from "../layout.js";

/**
 * A renderer whose module loads on first use. The page build makes each such
 * module a chunk of its own (see build.mjs), so a page fetches only the
 * renderers it shows; the notebook runtime is one file and has them inline.
 */
const lazy = (load) => async (ctx) => {
  const mod = await load();
  if (ctx.signal?.aborted) return undefined;
  return mod.render(ctx);
};

/** Renderer per `_kind` (the Python component's `_kind` trait). */
export const renderers = {
  textbox: textbox.render,
  number: number.render,
  slider: slider.render,
  checkbox: choice.checkbox,
  checkboxgroup: choice.checkboxgroup,
  radio: choice.radio,
  dropdown: choice.dropdown,
  button: button.render,
  deeplinkbutton: button.render,
  markdown: display.markdown,
  html: html.render,
  json: display.json,
  label: display.label,
  state: display.state,
  dataset: display.dataset,
  image: image.render,
  sketchpad: lazy(() => import("./sketchpad.js")),
  gallery: lazy(() => import("./gallery.js")),
  file: file.file,
  uploadbutton: file.uploadbutton,
  downloadbutton: file.downloadbutton,
  audio: lazy(() => import("./audio.js")),
  video: lazy(() => import("./video.js")),
  dataframe: lazy(() => import("./dataframe.js")),
  plot: plot.render,
  highlightedtext: lazy(() => import("./highlightedtext.js")),
  code: lazy(() => import("./code.js")),
  colorpicker: lazy(() => import("./colorpicker.js")),
  chatbot: chatbot.render,
  multimodaltextbox: multimodal.render,
  timer: timer.render,
  nativeplot: nativeplot.render,
  datetime: lazy(() => import("./datetime.js")),
  model3d: lazy(() => import("./model3d.js")),
  imageslider: lazy(() => import("./imageslider.js")),
  navbar: lazy(() => import("./navbar.js")),
  dialogue: lazy(() => import("./dialogue.js")),
  paramviewer: lazy(() => import("./paramviewer.js")),
  annotatedimage: lazy(() => import("./annotatedimage.js")),
  blocks,
};
