// Pure helpers of the data renderers: cell parsing and column types (Dataframe),
// hex normalisation (ColorPicker), label colours (HighlightedText).
import { test } from "node:test";
import assert from "node:assert/strict";
import { columnTypes, parseCell, cellText } from "../src/components/dataframe.js";
import { normalizeHex } from "../src/components/colorpicker.js";
import { colorFor } from "../src/components/highlightedtext.js";

test("columnTypes: the datatype prop wins, else inferred from the cells", () => {
  const data = [[1, "a", true, null], [2.5, 3, false, ""]];
  assert.deepEqual(columnTypes(null, ["n", "s", "b", "e"], data), ["auto-number", "str", "auto-bool", "auto"]);
  assert.deepEqual(columnTypes("markdown", ["x", "y"], []), ["markdown", "markdown"]);
  assert.deepEqual(columnTypes(["number", null], ["x", "y"], [[1, 2]]), ["number", "auto-number"]);
});

test("parseCell: numbers parse (commas allowed), empty is null, text in a number column is refused", () => {
  assert.equal(parseCell(" 1,250.5 ", "number"), 1250.5);
  assert.equal(parseCell("", "auto-number"), null);
  assert.equal(parseCell("warm", "number"), undefined);
  assert.equal(parseCell("warm", "auto-number"), undefined);
  assert.equal(parseCell("Infinity", "number"), undefined);
  assert.equal(parseCell("12", "str"), "12");
  assert.equal(parseCell("12", "auto"), "12");
});

test("cellText: null is empty, floats lose binary noise", () => {
  assert.equal(cellText(null), "");
  assert.equal(cellText(0.1 + 0.2), "0.3");
  assert.equal(cellText(7), "7");
  assert.equal(cellText(false), "false");
});

test("normalizeHex", () => {
  assert.equal(normalizeHex("#ABC"), "#aabbcc");
  assert.equal(normalizeHex("3b82f6"), "#3b82f6");
  assert.equal(normalizeHex(" #FF8800 "), "#ff8800");
  for (const bad of ["blue", "#12", "#1234567", "", null, "#ff8800;x"]) assert.equal(normalizeHex(bad), null);
});

test("colorFor: color_map, then a palette by first appearance; scores shade by sign", () => {
  const order = [];
  assert.equal(colorFor("PER", { PER: "#fde68a" }, order), "#fde68a");
  const a = colorFor("LOC", {}, order);
  const b = colorFor("ORG", {}, order);
  assert.notEqual(a, b);
  assert.equal(colorFor("LOC", {}, order), a);
  assert.match(colorFor(0.5, {}, order), /^rgba\(239, 68, 68/);
  assert.match(colorFor(-1, {}, order), /^rgba\(59, 130, 246, 0.6\)/);
});
