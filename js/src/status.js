// A run's lifecycle on the page (see "status" and "log" in nbdemo/protocol.py),
// shared by both front doors through the demo root (layout.js):
//   queued → processing → generating* → complete | error | cancelled
// Each run shows on its target blocks: an overlay with the queue position or
// the elapsed time and one progress bar per ProgressUnit ("full"), a small
// chip only ("minimal"), or nothing ("hidden"). A run whose outputs are not on
// screen (none, State, a closed tab) shows in a dock at the root's corner.
// Toasts (errors, gr.Info/Warning/Success) live here too.
import { h } from "./util.js";
import { FINAL } from "./protocol.js";

// ---- text (pure) -----------------------------------------------------------------------

/** 1.25 → "1.3s", 75 → "1m 15s", 3720 → "1h 2m". */
export function fmtSeconds(s) {
  if (s < 59.95) return `${Math.max(0, s).toFixed(1)}s`;
  const t = Math.round(s);
  if (t < 3600) return `${Math.floor(t / 60)}m ${t % 60}s`;
  return `${Math.floor(t / 3600)}h ${Math.floor((t % 3600) / 60)}m`;
}

const num = (v) => typeof v === "number" && Number.isFinite(v);

/** A queued run: "queue: 2/5 | 1.3s" (rank 0 is next; the ETA when known). */
export function queueText({ rank, queue_size: size, eta } = {}) {
  let text = "queue";
  if (num(rank)) text += `: ${rank + 1}${num(size) ? `/${size}` : ""}`;
  if (num(eta)) text += ` | ${fmtSeconds(eta)}`;
  return text;
}

/** Seconds a run has processed: "0.4s", or "0.4/1.3s" against its expected total (until it is over). */
export function elapsedText(elapsed, total = null) {
  if (!num(total) || total <= 0 || elapsed >= total) return fmtSeconds(elapsed);
  if (elapsed < 59.95 && total < 59.95) return `${Math.max(0, elapsed).toFixed(1)}/${total.toFixed(1)}s`;
  return `${fmtSeconds(elapsed)} / ${fmtSeconds(total)}`;
}

/** A ProgressUnit's fraction done (0..1), or null when unknown (a bar of unknown length). */
export function unitFraction(u) {
  if (!u) return null;
  let f = null;
  if (num(u.progress)) f = u.progress;
  else if (num(u.index) && num(u.length) && u.length > 0) f = u.index / u.length;
  return f === null ? null : Math.min(1, Math.max(0, f));
}

/** A ProgressUnit as text: "Loading 3/10", "Loading 30%", "12 files". */
export function unitText(u) {
  if (!u) return "";
  const unit = u.unit && u.unit !== "steps" ? ` ${u.unit}` : "";
  let count = "";
  if (num(u.index) && num(u.length)) count = `${u.index}/${u.length}${unit}`;
  else if (num(u.progress)) count = `${Math.round(unitFraction(u) * 100)}%`;
  else if (num(u.index)) count = `${u.index}${unit}`;
  return [u.desc, count].filter(Boolean).join(" ");
}

// ---- toasts ----------------------------------------------------------------------------

const TITLES = { error: "Error", warning: "Warning", info: "Info", success: "Success" };
const MAX_TOASTS = 8;

/**
 * A toast in `root`'s stack (an aria-live region): kind error (role=alert),
 * warning, info or success. `duration`: seconds on screen; null keeps it
 * until closed; 0 shows nothing (Gradio's `duration=0`).
 */
export function toast(root, { title, message, kind = "error", duration = 10 }) {
  if (duration === 0) return null;
  if (!TITLES[kind]) kind = "info";
  let stack = root.querySelector(":scope > .nbd-toasts");
  if (!stack) {
    stack = h("div", { class: "nbd-toasts", "aria-live": "polite", "aria-relevant": "additions" });
    root.append(stack);
  }
  const timed = num(duration) && duration > 0;
  const close = h("button", { type: "button", class: "nbd-toast-close", "aria-label": "Close" }, "×");
  const t = h("div", { class: `nbd-toast nbd-toast-${kind}`, role: kind === "error" ? "alert" : null },
    h("strong", { class: "nbd-toast-title" }, title || TITLES[kind]),
    message ? h("div", { class: "nbd-toast-msg" }, message) : null, close,
    timed ? h("div", { class: "nbd-toast-timer", style: { animationDuration: `${duration}s` } }) : null);
  close.addEventListener("click", () => t.remove());
  stack.append(t);
  // a gr.Info in a loop must not bury the page: drop the oldest, errors last
  while (stack.children.length > MAX_TOASTS) {
    (stack.querySelector(":scope > .nbd-toast:not(.nbd-toast-error)") || stack.firstElementChild).remove();
  }
  if (timed) setTimeout(() => t.remove(), duration * 1000);
  return t;
}

// ---- the status display ----------------------------------------------------------------

const shown = (b) => b.isConnected && !b.hidden && b.getClientRects().length > 0;

/**
 * The status display of one demo root. `blockOf(id)` gives a component's
 * `.nbd-block` (or undefined). `update(msg)` takes a "status" message;
 * `rebind()` moves the display onto new blocks after the layout is rebuilt;
 * `dispose()` stops every timer (the view is gone).
 */
export function statusTracker(root, blockOf) {
  const runs = new Map();
  let dock = null;

  const ensureDock = () => {
    if (!dock) dock = h("div", { class: "nbd-status-dock" });
    if (dock.parentNode !== root) root.append(dock);
    return dock;
  };

  const makeView = (box) => {
    const v = {
      box,
      text: h("span", { class: "nbd-status-text", "aria-hidden": "true" }),
      sr: h("span", { class: "nbd-sr" }),
      bars: h("div", { class: "nbd-status-bars" }),
    };
    v.el = h("div", { class: "nbd-status", role: "status" },
      h("div", { class: "nbd-status-chip" }, h("span", { class: "nbd-status-spin", "aria-hidden": "true" }), v.text),
      v.sr, v.bars);
    return v;
  };

  const timeText = (run) => {
    if (run.status === "queued") return queueText(run);
    const elapsed = (performance.now() - run.start) / 1000;
    const total = run.etaEnd === null ? null : (run.etaEnd - run.start) / 1000;
    return elapsedText(elapsed, total);
  };

  const srText = (run) => {
    if (run.status === "queued") return queueText(run);
    if (run.progress?.length) return run.progress.map(unitText).join("; ");
    return run.generating ? "Generating" : "Processing";
  };

  const paintBars = (v, run) => {
    const units = run.progress || [];
    while (v.bars.children.length > units.length) v.bars.lastChild.remove();
    units.forEach((u, i) => {
      let row = v.bars.children[i];
      if (!row) {
        row = h("div", { class: "nbd-status-unit" },
          h("div", { class: "nbd-status-desc", "aria-hidden": "true" }), // read through the bar and `sr`
          h("div", { class: "nbd-status-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" },
            h("div", { class: "nbd-status-fill" })));
        v.bars.append(row);
      }
      const [desc, bar] = row.children;
      const f = unitFraction(u);
      const text = unitText(u);
      desc.textContent = text;
      bar.setAttribute("aria-valuetext", text || (f === null ? "working" : `${Math.round(f * 100)}%`));
      if (f === null) {
        bar.removeAttribute("aria-valuenow");
        bar.firstChild.style.width = "";
      } else {
        bar.setAttribute("aria-valuenow", String(Math.round(f * 100)));
        bar.firstChild.style.width = `${(f * 100).toFixed(1)}%`;
      }
    });
  };

  // The chip's text; minimal views put the innermost bar's text there too.
  const paintTime = (run) => {
    const t = timeText(run);
    const last = run.progress?.length ? unitText(run.progress[run.progress.length - 1]) : "";
    for (const v of run.views) {
      const text = v.variant === "minimal" && last && run.status !== "queued" ? `${last} | ${t}` : t;
      if (v.text.textContent !== text) v.text.textContent = text;
      // a component's first render replaces its children: put the overlay back
      if (v.el.parentNode !== v.box) v.box.append(v.el);
    }
  };

  const paint = (run) => {
    if (run.mode === "hidden") return;
    if (!run.views.length) {
      const blocks = run.targets.map(blockOf).filter(Boolean);
      run.blocks = blocks;
      const boxes = blocks.filter(shown);
      run.views = (boxes.length ? boxes : [ensureDock()]).map(makeView);
    }
    for (const b of run.blocks) {
      b.classList.add("nbd-pending", `nbd-progress-${run.mode}`);
      b.classList.toggle("nbd-generating", run.generating);
    }
    const sr = srText(run);
    for (const v of run.views) {
      // Gradio's Chatbot shows its progress minimal: its typing dots say the rest
      const full = run.mode === "full" && !run.generating && !v.box.classList.contains("nbd-chatbot");
      v.variant = full ? "full" : "minimal";
      v.el.className = `nbd-status nbd-status-${v.variant}`;
      v.el.dataset.status = run.status;
      if (v.sr.textContent !== sr) v.sr.textContent = sr;
      if (full) paintBars(v, run); else v.bars.replaceChildren();
    }
    paintTime(run);
    if (run.status !== "queued" && !run.timer) run.timer = setInterval(() => paintTime(run), 100);
  };

  const unpaint = (run) => {
    clearInterval(run.timer);
    run.timer = null;
    for (const v of run.views) v.el.remove();
    run.views = [];
    for (const b of run.blocks) b.classList.remove("nbd-pending", "nbd-generating", `nbd-progress-${run.mode}`);
    if (dock && !dock.children.length) dock.remove();
  };

  const update = (msg) => {
    const id = msg.event_id;
    let run = runs.get(id);
    if (FINAL.includes(msg.status)) {
      if (run) {
        runs.delete(id);
        unpaint(run);
      } else {
        for (const b of (msg.targets || []).map(blockOf).filter(Boolean)) {
          b.classList.remove("nbd-pending", "nbd-generating", `nbd-progress-${msg.show_progress || "full"}`);
        }
      }
      // another run still going on the same blocks shows again
      for (const other of runs.values()) paint(other);
      return;
    }
    if (!run) {
      run = { targets: msg.targets || [], mode: msg.show_progress || "full", status: null, rank: null,
        queue_size: null, eta: null, etaEnd: null, start: null, progress: null, generating: false,
        views: [], blocks: [], timer: null };
      runs.set(id, run);
    }
    const now = performance.now();
    // "pending": the status of engines before "queued"/"processing" existed
    const status = msg.status === "pending" ? "processing" : msg.status;
    if (status === "queued") {
      Object.assign(run, { rank: msg.rank ?? null, queue_size: msg.queue_size ?? null, eta: msg.eta ?? null });
    } else if (run.start === null) {
      run.start = now;
    }
    if (num(msg.eta)) run.etaEnd = now + msg.eta * 1000;
    if (status === "processing" && "progress" in msg) run.progress = msg.progress || null;
    if (status === "generating") run.generating = true;
    if (status === "queued" || status === "processing" || status === "generating") run.status = status;
    paint(run);
  };

  const rebind = () => {
    for (const run of runs.values()) { unpaint(run); run.blocks = []; }
    for (const run of runs.values()) paint(run);
  };

  const dispose = () => {
    for (const run of runs.values()) clearInterval(run.timer);
    runs.clear();
  };

  return { update, rebind, dispose, runs };
}
