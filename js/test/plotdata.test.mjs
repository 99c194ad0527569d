// Native plots' data shaping (js/src/components/plotdata.js): binning,
// aggregation, series split by colour, category sorting, bar stacking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { binSize, shape, sortCategories, stack, formatX } from "../src/components/plotdata.js";

const H = 3600000;

test("binSize: durations for datetime x, numbers for numeric x", () => {
  assert.equal(binSize("1h", "temporal"), H);
  assert.equal(binSize("15m", "temporal"), 15 * 60000);
  assert.equal(binSize("2d", "temporal"), 2 * 24 * H);
  assert.equal(binSize(5, "quantitative"), 5);
  assert.equal(binSize("10", "quantitative"), 10);
  assert.equal(binSize(null, "temporal"), null);
  assert.equal(binSize("soon", "temporal"), null);
});

test("shape: raw points sorted by x, one series per colour value, shared x positions", () => {
  const value = { columns: ["x", "y", "c"], data: [[2, 20, "a"], [1, 10, "a"], [1, 11, "b"]],
    datatypes: { x: "quantitative", y: "quantitative", c: "nominal" } };
  const s = shape(value, { x: "x", y: "y", color: "c" });
  assert.deepEqual(s.xs, [1, 2]);
  assert.deepEqual(s.series.map((r) => [r.name, r.values]), [["a", [10, 20]], ["b", [11, null]]]);
});

test("shape: a series repeating an x gets its own position (scatter)", () => {
  const value = { columns: ["x", "y"], data: [[1, 1], [1, 2], [3, 3]], datatypes: {} };
  const s = shape(value, { x: "x", y: "y" });
  assert.deepEqual(s.xs, [1, 1, 3]);
  assert.deepEqual(s.series[0].values, [1, 2, 3]);
});

test("shape: x_bin on datetime x aggregates per bin and series", () => {
  const data = [[0, 1, "a"], [10 * 60000, 3, "a"], [H + 5, 5, "a"], [20 * 60000, 7, "b"]];
  const value = { columns: ["t", "v", "c"], data, datatypes: { t: "temporal", v: "quantitative", c: "nominal" } };
  const sum = shape(value, { x: "t", y: "v", color: "c", x_bin: "1h" });
  assert.deepEqual(sum.xs, [0, H]);
  assert.deepEqual(sum.series.map((r) => r.values), [[4, 5], [7, null]]);
  const mean = shape(value, { x: "t", y: "v", color: "c", x_bin: "1h", y_aggregate: "mean" });
  assert.deepEqual(mean.series[0].values, [2, 5]);
  const count = shape(value, { x: "t", y: "v", x_bin: "1h", y_aggregate: "count" });
  assert.deepEqual(count.series[0].values, [3, 1]);
});

test("shape: string x becomes categories, summed by default, sorted as asked", () => {
  const value = { columns: ["k", "v"], data: [["b", 1], ["a", 5], ["b", 2], ["c", 4]], datatypes: { k: "nominal", v: "quantitative" } };
  const s = shape(value, { x: "k", y: "v" });
  assert.deepEqual(s.categories, ["b", "a", "c"]);
  assert.deepEqual(s.xs, [0, 1, 2]);
  assert.deepEqual(s.series[0].values, [3, 5, 4]);
  assert.deepEqual(shape(value, { x: "k", y: "v", sort: "-y" }).categories, ["a", "c", "b"]);
  assert.deepEqual(shape(value, { x: "k", y: "v", sort: "x" }).categories, ["a", "b", "c"]);
  assert.deepEqual(shape(value, { x: "k", y: "v", y_aggregate: "max", sort: "y" }).series[0].values, [2, 4, 5]);
});

test("sortCategories: an explicit order puts unknown categories last", () => {
  assert.deepEqual(sortCategories(["a", "b", "c"], ["c", "a"], () => 0), ["c", "a", "b"]);
});

test("stack: running sums, raw values kept for tooltips", () => {
  const st = stack([{ name: "a", values: [1, null] }, { name: "b", values: [2, 3] }]);
  assert.deepEqual(st.map((s) => s.values), [[1, 0], [3, 3]]);
  assert.deepEqual(st[1].raw, [2, 3]);
});

test("formatX: categories by index, datetimes as UTC text", () => {
  assert.equal(formatX(1, "nominal", ["x", "y"]), "y");
  assert.equal(formatX(Date.UTC(2024, 2, 1, 14), "temporal", null), "2024-03-01 14:00:00");
  assert.equal(formatX(0.1 + 0.2, "quantitative", null), "0.3");
});
