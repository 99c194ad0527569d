// Pure data shaping for the native plots (LinePlot, ScatterPlot, BarPlot): the
// wire PlotData ({columns, data, datatypes}) and the plot's props in, uPlot's
// aligned arrays out. No DOM, so node --test runs it.

const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000 };

/** "10m", "1h", "2d", "30s" → milliseconds; a number → itself; else null. */
export function binSize(xBin, xType) {
  if (xBin === null || xBin === undefined || xBin === "") return null;
  if (typeof xBin === "number") return xBin > 0 ? xBin : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(String(xBin));
  if (!m) return null;
  const n = Number(m[1]);
  return xType === "temporal" ? n * UNIT_MS[m[2] || "s"] : n;
}

const AGG = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  median: (v) => { const s = [...v].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2; },
  min: (v) => Math.min(...v),
  max: (v) => Math.max(...v),
  count: (v) => v.length,
};

/**
 * Shape a plot: returns {xType, xs, categories, series: [{name, values, rows}], rows}
 * where xs are the x positions (numbers; indices 0..n-1 for string x), each
 * series' values align with xs (null where the series has no point) and
 * rows[i] are the source rows behind xs[i] (for tooltips).
 */
export function shape(value, props) {
  const cols = value?.columns || [];
  const data = value?.data || [];
  const types = value?.datatypes || {};
  const xi = cols.indexOf(props.x ?? cols[0]);
  const yi = cols.indexOf(props.y ?? cols[1]);
  const ci = props.color ? cols.indexOf(props.color) : -1;
  const xType = types[cols[xi]] || "quantitative";
  const empty = { xType, xs: [], categories: null, series: [], rows: [] };
  if (xi < 0 || yi < 0) return empty;
  const names = [];
  const seen = new Set();
  for (const r of data) {
    const name = ci >= 0 ? String(r[ci]) : (props.y ?? cols[yi]);
    if (!seen.has(name)) { seen.add(name); names.push(name); }
  }
  const nominal = xType === "nominal";
  const bin = nominal ? null : binSize(props.x_bin, xType);
  const aggregate = props.y_aggregate || (bin !== null || nominal ? "sum" : null);
  const keyOf = (r) => {
    const x = r[xi];
    if (nominal) return String(x);
    if (x === null || x === undefined) return null;
    return bin ? Math.floor(x / bin) * bin : x;
  };
  if (aggregate) {
    // one point per (x key, series): the aggregate of its y values
    const groups = new Map(); // key → Map(series → {ys, rows})
    for (const r of data) {
      const k = keyOf(r);
      if (k === null) continue;
      const s = ci >= 0 ? String(r[ci]) : names[0];
      if (!groups.has(k)) groups.set(k, new Map());
      const g = groups.get(k);
      if (!g.has(s)) g.set(s, { ys: [], rows: [] });
      const y = r[yi];
      if (typeof y === "number" && Number.isFinite(y)) g.get(s).ys.push(y);
      else if (aggregate === "count") g.get(s).ys.push(0);
      g.get(s).rows.push(r);
    }
    let keys = [...groups.keys()];
    if (nominal) keys = sortCategories(keys, props.sort, (k) => total(groups.get(k)));
    else keys.sort((a, b) => a - b);
    const series = names.map((name) => ({ name, values: keys.map((k) => {
      const g = groups.get(k).get(name);
      return g && g.ys.length ? AGG[aggregate](g.ys) : null;
    }) }));
    const rows = keys.map((k) => [...groups.get(k).values()].flatMap((g) => g.rows));
    return { xType, xs: nominal ? keys.map((_, i) => i) : keys, categories: nominal ? keys : null, series, rows };
    function total(g) { let t = 0; for (const v of g.values()) t += AGG[aggregate](v.ys.length ? v.ys : [0]); return t; }
  }
  // raw points, sorted by x; rows sharing an x share a position unless one series repeats
  const sorted = data.filter((r) => typeof r[xi] === "number").sort((a, b) => a[xi] - b[xi]);
  const xs = [];
  const rows = [];
  const values = names.map(() => []);
  let i = 0;
  while (i < sorted.length) {
    const x = sorted[i][xi];
    let j = i;
    while (j < sorted.length && sorted[j][xi] === x) j++;
    const bySeries = names.map(() => []);
    for (let k = i; k < j; k++) bySeries[ci >= 0 ? names.indexOf(String(sorted[k][ci])) : 0].push(sorted[k]);
    const depth = Math.max(...bySeries.map((b) => b.length));
    for (let d = 0; d < depth; d++) {
      xs.push(x);
      rows.push(bySeries.map((b) => b[d]).filter(Boolean));
      bySeries.forEach((b, s) => {
        const y = b[d]?.[yi];
        values[s].push(typeof y === "number" ? y : null);
      });
    }
    i = j;
  }
  return { xType, xs, categories: null, series: names.map((name, s) => ({ name, values: values[s] })), rows };
}

/** Order string categories by Gradio's sort: "x", "-x", "y", "-y" or an explicit list. */
export function sortCategories(keys, sort, totalOf) {
  if (Array.isArray(sort)) {
    const order = sort.map(String);
    const rank = (k) => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
    return [...keys].sort((a, b) => rank(a) - rank(b));
  }
  if (sort === "x") return [...keys].sort((a, b) => a.localeCompare(b));
  if (sort === "-x") return [...keys].sort((a, b) => b.localeCompare(a));
  if (sort === "y") return [...keys].sort((a, b) => totalOf(a) - totalOf(b));
  if (sort === "-y") return [...keys].sort((a, b) => totalOf(b) - totalOf(a));
  return keys;
}

/** Stack series for bars: each series' values become the running sum (nulls count as 0). */
export function stack(series) {
  const acc = series[0] ? series[0].values.map(() => 0) : [];
  return series.map((s) => ({ ...s, raw: s.values, values: s.values.map((v, i) => (acc[i] += v ?? 0)) }));
}

/** The categorical palette (Tableau 10, Vega-Lite's default), then color_map overrides. */
export const PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];
export function colorOf(name, i, colorMap) {
  return (colorMap && colorMap[name]) || PALETTE[i % PALETTE.length];
}

/** A tick/tooltip label for an x value. */
export function formatX(x, xType, categories) {
  if (categories) return categories[Math.round(x)] ?? "";
  if (xType === "temporal") return new Date(x).toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "");
  return formatNum(x);
}

export function formatNum(v) {
  if (v === null || v === undefined) return "";
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
