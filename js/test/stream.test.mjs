// The binary frame a page sends for a .stream() (see nbdemo/protocol.py pack_frame).
import { test } from "node:test";
import assert from "node:assert/strict";
import { packFrame } from "../src/protocol.js";

test("packFrame: header length (big-endian), header JSON, then the bytes", () => {
  const header = { type: "stream", id: 7, event: "stream", seq: 3, mime: "image/jpeg" };
  const bytes = new Uint8Array([0xff, 0xd8, 1, 2, 3]);
  const out = new Uint8Array(packFrame(header, bytes));
  const n = new DataView(out.buffer).getUint32(0);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.slice(4, 4 + n))), header);
  assert.deepEqual([...out.slice(4 + n)], [...bytes]);
  // an ArrayBuffer, and a view into a larger buffer, carry exactly their bytes
  assert.deepEqual([...new Uint8Array(packFrame(header, bytes.buffer)).slice(4 + n)], [...bytes]);
  const view = new Uint8Array([9, 9, 0xff, 0xd8, 9]).subarray(2, 4);
  assert.deepEqual([...new Uint8Array(packFrame(header, view)).slice(4 + n)], [0xff, 0xd8]);
});
