// A component's .stream(): capture a frame every `stream_every` seconds and
// send it as bytes ({type: "stream"} + one buffer), until Stop or `time_limit`.
// A tick finds the previous capture still encoding, or the page's socket with
// a backlog: that frame is skipped, never queued (the server drops frames that
// arrive while fn is busy the same way). Counters for tests and benchmarks sit
// on the component's element: data-nbd-frames-sent, data-nbd-frames-skipped.
import { STREAM } from "./protocol.js";

/** Bytes waiting on the socket beyond which a tick skips its frame. */
const BACKLOG = 1 << 20;

/** Whether `model` has a .stream() listener (the server sets `_stream` then). */
export function streams(model) {
  return (model.get("_events") || []).includes("stream") && !!model.get("_stream");
}

/**
 * Start streaming: `capture()` resolves to an ArrayBuffer (or null: no frame
 * yet) of type `mime`. `onEnd(why)` runs once, with "user" (stop() called),
 * "time" (the time limit) or "error" (the server ended it: fn failed).
 * Returns {stop}.
 */
export function startStream(model, el, capture, { mime, onEnd }) {
  const cfg = model.get("_stream") || {};
  // at most 50 frames a second: under the server's default message rate limit (100/s)
  const every = Math.max(0.02, Number(cfg.every) || 0.5) * 1000;
  let seq = 0;
  let busy = false;
  let stopped = false;
  let sent = 0;
  let skipped = 0;
  const tick = async () => {
    if (stopped) return;
    if (busy || (model.backlog?.() || 0) > BACKLOG) {
      el.dataset.nbdFramesSkipped = String(++skipped);
      return;
    }
    busy = true;
    try {
      const bytes = await capture();
      if (bytes && !stopped) {
        model.send({ type: STREAM, event: "stream", seq: seq++, mime }, undefined, [bytes]);
        el.dataset.nbdFramesSent = String(++sent);
      }
    } catch (e) {
      console.warn("nbdemo: a stream frame could not be captured", e);
    } finally {
      busy = false;
    }
  };
  // the server ends a stream whose function failed: it marks `_stream` stopped
  const onConfig = () => { if (model.get("_stream")?.stopped) stop("error"); };
  model.on("change:_stream", onConfig);
  const timer = setInterval(tick, every);
  const limit = cfg.time_limit ? setTimeout(() => stop("time"), cfg.time_limit * 1000) : null;
  function stop(why = "user") {
    if (stopped) return;
    stopped = true;
    model.off("change:_stream", onConfig);
    clearInterval(timer);
    clearTimeout(limit);
    onEnd?.(why);
  }
  tick();
  return { stop };
}
