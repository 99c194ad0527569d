// Streamed deltas (see nbdemo/protocol.py): applyDelta, and the page model
// applying them only to the value the server last sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyDelta, isDelta } from "../src/protocol.js";
import { PageModel } from "../src/model.js";

function fakeConn() {
  const sent = [];
  return { sent, send: (m) => sent.push(m) };
}

test("append to a string, push to a list, set a key", () => {
  assert.equal(applyDelta("Hel", [["+", [], "lo", 3]]), "Hello");
  const chat = [{ role: "user", content: "hi" }];
  const grown = applyDelta(chat, [["=", [1], { role: "assistant", content: "He" }]]);
  assert.deepEqual(grown, [{ role: "user", content: "hi" }, { role: "assistant", content: "He" }]);
  const more = applyDelta(grown, [["+", [1, "content"], "llo", 2]]);
  assert.equal(more[1].content, "Hello");
  // untouched parts keep their identity (a renderer redraws only what changed)
  assert.equal(more[0], grown[0]);
  assert.notEqual(more, grown);
  assert.equal(grown[1].content, "He"); // the old value is not changed
  assert.deepEqual(applyDelta({ a: 1 }, [["=", ["b"], [2]]]), { a: 1, b: [2] });
});

test("a delta for another base throws", () => {
  assert.throws(() => applyDelta("Help", [["+", [], "!", 5]]), /does not fit/);
  assert.throws(() => applyDelta([], [["=", [2], "x"]]), /does not fit/);
  assert.throws(() => applyDelta({}, [["+", ["k"], "x", 0]]), /does not fit/);
  assert.throws(() => applyDelta("x", [["?", [], 1]]), /unknown delta op/);
});

test("isDelta tells a delta from a value", () => {
  assert.ok(isDelta({ __delta__: [] }));
  assert.ok(!isDelta({ __delta__: [], other: 1 }));
  assert.ok(!isDelta("text"));
  assert.ok(!isDelta(null));
  assert.ok(!isDelta([{ __delta__: [] }]));
});

test("the page model applies deltas to the value the server sent", () => {
  const conn = fakeConn();
  const m = new PageModel(5, { value: "" }, conn);
  const seen = [];
  m.on("change:value", (_m, v) => seen.push(v));
  m.applyFromServer({ value: "ab" });
  m.applyFromServer({ value: { __delta__: [["+", [], "cd", 2]] } });
  assert.equal(m.get("value"), "abcd");
  assert.deepEqual(seen, ["ab", "abcd"]);
  assert.deepEqual(conn.sent, []);
});

test("after an edit on the page, deltas are skipped until a whole value", () => {
  const conn = fakeConn();
  const m = new PageModel(5, { value: "" }, conn);
  m.applyFromServer({ value: "ab" });
  m.set("value", "typed"); // the user edits (util.setValue also sends "set")
  m.applyFromServer({ value: { __delta__: [["+", [], "cd", 2]] } });
  assert.equal(m.get("value"), "typed");
  m.applyFromServer({ value: "whole" });
  m.applyFromServer({ value: { __delta__: [["+", [], "!", 5]] } });
  assert.equal(m.get("value"), "whole!");
});

test("a delta that does not fit asks the server for the whole value", () => {
  const conn = fakeConn();
  const m = new PageModel(9, { value: "" }, conn);
  const warn = console.warn;
  console.warn = () => {};
  try {
    m.applyFromServer({ value: "abc" });
    m.applyFromServer({ value: { __delta__: [["+", [], "x", 7]] } });
  } finally {
    console.warn = warn;
  }
  assert.equal(m.get("value"), "abc");
  assert.deepEqual(conn.sent, [{ type: "resync", prop: "value", id: 9 }]);
});
