// The page host's model must behave like anywidget's: get/set/on/off and
// send, with change events only on real changes and the component id added.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PageModel } from "../src/model.js";

function fakeConn() {
  const sent = [];
  return { sent, send: (m) => sent.push(m) };
}

test("set fires change:<key> once per real change", () => {
  const m = new PageModel(7, { value: "a" }, fakeConn());
  const seen = [];
  const cb = (_model, v) => seen.push(v);
  m.on("change:value", cb);
  m.set("value", "b");
  m.set("value", "b");
  m.off("change:value", cb);
  m.set("value", "c");
  assert.deepEqual(seen, ["b"]);
  assert.equal(m.get("value"), "c");
});

test("send carries the component id; save_changes sends nothing", () => {
  const conn = fakeConn();
  const m = new PageModel(3, {}, conn);
  m.set("value", 1);
  m.save_changes();
  m.send({ type: "event", event: "click", data: null });
  assert.deepEqual(conn.sent, [{ type: "event", event: "click", data: null, id: 3 }]);
});

test("server props apply without echoing back", () => {
  const conn = fakeConn();
  const m = new PageModel(1, { visible: true }, conn);
  let changes = 0;
  m.on("change:visible", () => changes++);
  m.applyFromServer({ visible: false, label: "x" });
  assert.equal(m.get("visible"), false);
  assert.equal(m.get("label"), "x");
  assert.equal(changes, 1);
  assert.deepEqual(conn.sent, []);
});

test("msg:custom handlers receive content", () => {
  const m = new PageModel(0, {}, fakeConn());
  const got = [];
  m.on("msg:custom", (msg) => got.push(msg.type));
  m.trigger("msg:custom", { type: "status" }, []);
  assert.deepEqual(got, ["status"]);
});
