// The text of the run status display (src/status.js): queue position, elapsed
// time, and Gradio's ProgressUnit as a fraction and a label.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmtSeconds, queueText, elapsedText, unitFraction, unitText } from "../src/status.js";

test("seconds: tenths under a minute, then minutes and hours", () => {
  assert.equal(fmtSeconds(0), "0.0s");
  assert.equal(fmtSeconds(1.25), "1.3s");
  assert.equal(fmtSeconds(59.9), "59.9s");
  assert.equal(fmtSeconds(59.96), "1m 0s");
  assert.equal(fmtSeconds(75), "1m 15s");
  assert.equal(fmtSeconds(3720), "1h 2m");
  assert.equal(fmtSeconds(-0.2), "0.0s");
});

test("queue: rank + 1 of the queue size, then the ETA when known", () => {
  assert.equal(queueText({ rank: 1, queue_size: 5, eta: 1.3 }), "queue: 2/5 | 1.3s");
  assert.equal(queueText({ rank: 0, queue_size: 1, eta: null }), "queue: 1/1");
  assert.equal(queueText({ rank: 3, queue_size: null, eta: null }), "queue: 4");
  assert.equal(queueText({ rank: null, queue_size: null, eta: 90 }), "queue | 1m 30s");
  assert.equal(queueText({}), "queue");
});

test("elapsed: alone, or against the expected total", () => {
  assert.equal(elapsedText(0.42), "0.4s");
  assert.equal(elapsedText(0.42, 1.3), "0.4/1.3s");
  assert.equal(elapsedText(2, null), "2.0s");
  assert.equal(elapsedText(2, 0), "2.0s");
  assert.equal(elapsedText(65, 120), "1m 5s / 2m 0s");
  // past the estimate the estimate goes: "2.5/1.3s" would read as a mistake
  assert.equal(elapsedText(2.5, 1.3), "2.5s");
});

test("a unit's fraction: progress, else index of length, clamped; null when unknown", () => {
  assert.equal(unitFraction({ progress: 0.3 }), 0.3);
  assert.equal(unitFraction({ index: 3, length: 10, progress: null }), 0.3);
  assert.equal(unitFraction({ index: 12, length: 10 }), 1);
  assert.equal(unitFraction({ progress: -1 }), 0);
  assert.equal(unitFraction({ index: 3, length: null, progress: null }), null);
  assert.equal(unitFraction({ index: 0, length: 0 }), null);
  assert.equal(unitFraction(null), null);
});

test("a unit's text: desc then index/length (with a unit other than steps) or a percentage", () => {
  assert.equal(unitText({ desc: "Loading", index: 3, length: 10, unit: "steps", progress: null }), "Loading 3/10");
  assert.equal(unitText({ desc: "Loading", index: null, length: null, unit: "steps", progress: 0.3 }), "Loading 30%");
  assert.equal(unitText({ desc: null, index: 4, length: 8, unit: "files", progress: 0.5 }), "4/8 files");
  assert.equal(unitText({ desc: "Reading", index: 12, length: null, unit: "it", progress: null }), "Reading 12 it");
  assert.equal(unitText({ desc: "Thinking", index: null, length: null, unit: "steps", progress: null }), "Thinking");
  assert.equal(unitText({ desc: "", progress: 0.999 }), "100%");
});
