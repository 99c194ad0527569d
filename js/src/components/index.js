import * as textbox from "./textbox.js";
import * as number from "./number.js";
import * as slider from "./slider.js";
import * as choice from "./choice.js";
import * as button from "./button.js";
import * as display from "./display.js";
import * as image from "./image.js";
import * as sketchpad from "./sketchpad.js";
import * as gallery from "./gallery.js";
import * as file from "./file.js";
import * as audio from "./audio.js";
import * as video from "./video.js";
import * as dataframe from "./dataframe.js";
import * as plot from "./plot.js";
import * as highlightedtext from "./highlightedtext.js";
import * as code from "./code.js";
import * as colorpicker from "./colorpicker.js";
import * as chatbot from "./chatbot.js";
import * as multimodal from "./multimodal.js";
import * as timer from "./timer.js";
import * as nativeplot from "./nativeplot.js";
import * as datetime from "./datetime.js";
import { render as blocks } from "../layout.js";

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
  markdown: display.markdown,
  html: display.html,
  json: display.json,
  label: display.label,
  state: display.state,
  dataset: display.dataset,
  image: image.render,
  sketchpad: sketchpad.render,
  gallery: gallery.render,
  file: file.file,
  uploadbutton: file.uploadbutton,
  downloadbutton: file.downloadbutton,
  audio: audio.render,
  video: video.render,
  dataframe: dataframe.render,
  plot: plot.render,
  highlightedtext: highlightedtext.render,
  code: code.render,
  colorpicker: colorpicker.render,
  chatbot: chatbot.render,
  multimodaltextbox: multimodal.render,
  timer: timer.render,
  nativeplot: nativeplot.render,
  datetime: datetime.render,
  blocks,
};
