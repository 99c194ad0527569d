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
 * `onTimeLeft(seconds)`, with a time limit: once a second. Returns {stop}.
 */
export function startStream(model, el, capture, { mime, onEnd, onTimeLeft }) {
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
  // with a time limit, the seconds left, once a second
  const started = performance.now();
  const showLeft = () => onTimeLeft?.(Math.max(0, Math.ceil(cfg.time_limit - (performance.now() - started) / 1000)));
  const clock = cfg.time_limit && onTimeLeft ? setInterval(showLeft, 1000) : null;
  if (clock) showLeft();
  function stop(why = "user") {
    if (stopped) return;
    stopped = true;
    model.off("change:_stream", onConfig);
    clearInterval(timer);
    clearTimeout(limit);
    clearInterval(clock);
    onEnd?.(why);
  }
  tick();
  return { stop };
}
