// The native plots' drawing, with uPlot. The page bundle loads this module as
// a separate chunk, only when a plot is rendered (see build.mjs).
import uPlot from "uplot";
import uplotCss from "uplot/dist/uPlot.min.css";
import { h } from "../util.js";
import { shape, stack, colorOf, formatX, formatNum } from "./plotdata.js";

// The plots' own styles travel with the chunk, so pages without plots never load them.
const OWN_CSS = `
.nbd-nativeplot-box { position: relative; width: 100%; }
.nbd-nativeplot-box .u-over { cursor: crosshair; }
.nbd-plot-tip { position: absolute; z-index: 5; pointer-events: none; padding: 4px 8px; font-size: 12px;
  background: var(--nbd-bg, #fff); color: var(--nbd-text, #1f2937); border: 1px solid var(--nbd-border, #e5e7eb);
  border-radius: 6px; box-shadow: 0 2px 6px rgb(0 0 0 / 15%); white-space: nowrap; }
.nbd-nativeplot .u-legend { font-size: 12px; color: inherit; }
.nbd-nativeplot .u-select { background: rgb(127 127 127 / 20%); }
`;

let cssDone = false;
function injectCss() {
  if (cssDone) return;
  cssDone = true;
  document.head.append(h("style", { "data-nbdemo-uplot": "" }, uplotCss, OWN_CSS));
}

const lim = (v) => (Array.isArray(v) ? [v[0] ?? null, v[1] ?? null] : [null, null]);

/**
 * Draw the plot of `model` into `box`; returns {destroy}. `emit(event, data)`
 * sends select / double_click. Hover shows a tooltip (x and each series'
 * value, plus the extra columns `tooltip` asks for).
 */
export function draw(model, box, emit) {
  injectCss();
  const value = model.get("value");
  const p = {};
  for (const k of ["x", "y", "color", "x_bin", "y_aggregate", "sort", "x_lim", "y_lim", "color_map", "colors_in_legend",
    "title", "x_title", "y_title", "hover_tooltip", "height", "x_axis_labels_visible", "mark"]) p[k] = model.get(k);
  const s = shape(value, p);
  const bars = p.mark === "bar";
  const series = bars ? stack(s.series) : s.series;
  const css = getComputedStyle(box);
  const fg = css.color || "#333";
  const grid = css.getPropertyValue("--nbd-border").trim() || "#e5e7eb";
  const temporal = s.xType === "temporal";
  const n = s.xs.length;
  const [xmin, xmax] = lim(p.x_lim);
  const [ymin, ymax] = lim(p.y_lim);
  const xAxis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid },
    label: p.x_title ?? p.x ?? "", labelSize: 20, show: true };
  if (s.categories) {
    xAxis.splits = () => s.categories.map((_, i) => i);
    xAxis.values = (u, splits) => splits.map((i) => s.categories[i] ?? "");
  }
  if (p.x_axis_labels_visible === false) xAxis.values = (u, splits) => splits.map(() => "");
  const yAxis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: p.y_title ?? p.y ?? "", labelSize: 20 };
  const paths = bars ? uPlot.paths.bars({ size: [0.7, 80], align: 0 }) : undefined;
  const uSeries = [{ label: p.x_title ?? p.x ?? "x", value: (u, v) => (v === null ? "" : formatX(v, s.xType, s.categories)) }];
  // bars: the full stack first, so each series' bar shows above the ones below it
  const order = bars ? [...series.keys()].reverse() : [...series.keys()];
  for (const i of order) {
    const sr = series[i];
    const color = colorOf(sr.name, i, p.color_map);
    uSeries.push({
      label: sr.name, stroke: color, width: bars ? 0 : 2, fill: bars ? color : undefined,
      spanGaps: true, paths,
      points: { show: p.mark === "point" || (p.mark === "line" && n < 40), size: p.mark === "point" ? 7 : 5, fill: color, stroke: color },
      ...(p.mark === "point" ? { paths: () => null } : {}),
      value: (u, v, si, idx) => formatNum(idx === null || idx === undefined ? v : (sr.raw ?? sr.values)[idx]),
    });
  }
  const data = [s.xs, ...order.map((i) => series[i].values)];
  const tip = h("div", { class: "nbd-plot-tip", role: "tooltip", hidden: true });
  const width = Math.max(200, box.clientWidth || 480);
  const opts = {
    width, height: p.height || 300, ms: temporal ? 1 : 1e-3,
    // pandas' naive datetimes arrive as if UTC: show them as written, not shifted to the browser's zone
    tzDate: (ts) => uPlot.tzDate(new Date(ts), "UTC"),
    scales: {
      x: { time: temporal, range: (u, lo, hi) => {
        if (s.categories) return [xmin ?? -0.5, xmax ?? Math.max(0.5, n - 0.5)];
        if (lo === hi) { lo -= 1; hi += 1; }
        return [xmin ?? lo, xmax ?? hi];
      } },
      y: { range: (u, lo, hi) => {
        const [a, b] = uPlot.rangeNum(bars ? Math.min(0, lo ?? 0) : lo ?? 0, hi ?? 1, 0.1, true);
        return [ymin ?? a, ymax ?? b];
      } },
    },
    axes: [xAxis, yAxis],
    series: uSeries,
    legend: { show: !!p.color, live: false },
    cursor: { drag: { x: !s.categories, y: false, setScale: false }, points: { size: 8 } },
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 3) return;
        const a = u.posToVal(u.select.left, "x");
        const b = u.posToVal(u.select.left + u.select.width, "x");
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        emit("select", { index: [a, b], value: [a, b], selected: true });
      }],
      setCursor: [(u) => showTip(u)],
    },
  };
  const showTip = (u) => {
    const idx = u.cursor.idx;
    if (idx === null || idx === undefined || p.hover_tooltip === "none") { tip.hidden = true; return; }
    const lines = [`${p.x_title ?? p.x ?? "x"}: ${formatX(s.xs[idx], s.xType, s.categories)}`];
    for (const i of order) {
      const v = (series[i].raw ?? series[i].values)[idx];
      if (v !== null && v !== undefined) lines.push(`${series[i].name}: ${formatNum(v)}`);
    }
    const extra = p.hover_tooltip === "all" ? value.columns : Array.isArray(p.hover_tooltip) ? p.hover_tooltip : [];
    const row = s.rows[idx]?.[0];
    for (const c of extra) {
      const ci = value.columns.indexOf(c);
      if (ci >= 0 && row && c !== p.x && c !== p.y) lines.push(`${c}: ${row[ci]}`);
    }
    tip.replaceChildren(...lines.map((l) => h("div", {}, l)));
    tip.hidden = false;
    const left = u.valToPos(s.xs[idx], "x");
    tip.style.left = `${Math.min(left + 12, u.over.clientWidth - 120)}px`;
    tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
  };
  const u = new uPlot(opts, data, box);
  u.over.append(tip);
  u.over.addEventListener("mouseleave", () => { tip.hidden = true; });
  u.over.addEventListener("dblclick", () => emit("double_click", null));
  if (s.categories) {
    u.over.addEventListener("click", () => {
      const i = u.cursor.idx;
      if (i !== null && i !== undefined) emit("select", { index: i, value: s.categories[i], selected: true });
    });
  }
  const legendNames = p.colors_in_legend;
  if (Array.isArray(legendNames)) {
    u.root.querySelectorAll(".u-legend .u-series").forEach((row, k) => {
      if (k > 0) row.hidden = !legendNames.includes(uSeries[k].label);
    });
  }
  const ro = new ResizeObserver(() => {
    const w = Math.max(200, box.clientWidth);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: p.height || 300 });
  });
  ro.observe(box);
  return { u, destroy() { ro.disconnect(); u.destroy(); } };
}

/** The chart as a PNG blob (the "export" button). */
export function exportPng(chart) {
  return new Promise((resolve) => chart.u.ctx.canvas.toBlob(resolve, "image/png"));
}
