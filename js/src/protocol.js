// Wire message kinds; the Python side names the same ones in nbdemo/protocol.py.
export const SET = "set";
export const EVENT = "event";
export const RUNTIME = "runtime";
export const HELLO = "hello";
export const UPDATE = "update";
export const STATUS = "status";
export const ERROR = "error";
export const DELTA = "delta";
export const RESYNC = "resync";
export const CANCEL = "cancel";
export const LOG = "log";
// server → page in reload mode (nbdemo app.py): {type, error}; see nbdemo/protocol.py
export const RELOAD = "reload";
// server → page: what a gr.render run made for this session, {type, id, layout, components}
export const RENDER = "render";
// inline only (a component's comm): files as widget buffers
export const UPLOAD = "upload";
export const UPLOADED = "uploaded";
export const UPLOAD_ERROR = "upload-error";
export const FETCH = "fetch";
export const FILE = "file";
// inline only: a module the runtime loads on first use (the 3D viewer), by name
export const MODULE = "module";
/** Run statuses that end a run (the others: "queued", "processing", "generating"). */
export const FINAL = ["complete", "error", "cancelled"];
/** Levels of a "log" message (gr.Info, gr.Warning, gr.Success). */
export const LOG_LEVELS = ["info", "warning", "success"];
export const DELTA_KEY = "__delta__";

// ---- deltas (see nbdemo/protocol.py) ------------------------------------------
// A streamed value arrives as ops applied in order to the value the page has:
//   ["+", path, text, at]  the string at path (`at` characters long) gets text appended
//   ["=", path, value]     the item at path becomes value (a list index may be its length: push)
// Untouched parts keep their identity, so a renderer can redraw only what changed.

/** Whether a prop value from the server is a delta ({"__delta__": ops}). */
export const isDelta = (v) => v !== null && typeof v === "object" && !Array.isArray(v)
  && Object.keys(v).length === 1 && Array.isArray(v[DELTA_KEY]);

function setIn(value, path, i, fn) {
  if (i === path.length) return fn(value);
  const key = path[i];
  if (Array.isArray(value) && Number.isInteger(key)) {
    if (key < 0 || key > value.length || (key === value.length && i !== path.length - 1)) throw new Error("delta does not fit");
    const out = value.slice();
    out[key] = setIn(key === value.length ? undefined : value[key], path, i + 1, fn);
    return out;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof key === "string") {
    if (!(key in value) && i !== path.length - 1) throw new Error("delta does not fit");
    return { ...value, [key]: setIn(value[key], path, i + 1, fn) };
  }
  throw new Error("delta does not fit");
}

/** `value` with `ops` applied (a new value). Throws when the ops do not fit it. */
export function applyDelta(value, ops) {
  for (const op of ops) {
    const [kind, path] = op;
    if (kind === "+") {
      value = setIn(value, path, 0, (s) => {
        if (typeof s !== "string" || s.length !== op[3]) throw new Error("delta does not fit");
        return s + op[2];
      });
    } else if (kind === "=") {
      value = setIn(value, path, 0, () => op[2]);
    } else {
      throw new Error(`unknown delta op ${kind}`);
    }
  }
  return value;
}

// ---- stream frames (see nbdemo/protocol.py) -------------------------------------------
// A webcam frame or a chunk of microphone audio goes up as bytes beside a small
// header {type: "stream", id, event: "stream", seq, mime}: inline as the custom
// message's one buffer; standalone as one binary WebSocket message laid out as
// 4 bytes (the header's length, big-endian), the header as UTF-8 JSON, the bytes.
export const STREAM = "stream";

/** One binary WebSocket message: header length, header JSON, then `bytes`. */
export function packFrame(header, bytes) {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const body = bytes instanceof ArrayBuffer ? new Uint8Array(bytes)
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint8Array(4 + head.length + body.length);
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  out.set(body, 4 + head.length);
  return out.buffer;
}
