// The load generator of bench_load.py (Node >= 18, no packages).
//
//   node load_client.mjs '<spec as JSON>'
//
// spec: {protocol: "nbdemo" | "gradio", base: "http://127.0.0.1:PORT/", scenario: "echo" | "counter",
//        sessions, events, timeout_ms, max_seconds,
//        nbdemo: {input, button, output}            // component ids (input: echo only)
//        gradio: {api_prefix, fn_index, trigger_id, inputs: [ids], input_index, output_index,
//                 heartbeat: bool}}
//
// `sessions` page sessions run concurrently; each sends `events` events one after the other
// (send, wait until that run has ended, send the next). It speaks each server's browser
// protocol:
//  - nbdemo: one WebSocket per session at <base>ws; waits for "hello"; an event is
//    {"type":"set"} of the input (echo only) + {"type":"event","event":"click"} on the button,
//    two WebSocket messages as the page sends them; its end is the first "status" message with
//    a final status ("complete" | "error" | "cancelled"); the output comes in "update" messages.
//  - gradio: what Gradio's page does (protocol sse_v3): POST <api>/queue/join {data,
//    event_data, fn_index, trigger_id, session_hash} -> {event_id}, then GET
//    <api>/queue/data?session_hash= (SSE) until "process_completed" for that event; the server
//    then sends "close_stream" and ends the response, which is read to its end (the
//    keep-alive connection is reused) before the next event. With `heartbeat` (Gradio's config
//    says connect_heartbeat, as it does for a demo with State) each session also holds
//    GET <api>/heartbeat/<session_hash> open for its whole life, as the page does.
//
// Transports are lean on purpose, so that the client is not what is measured: a minimal
// RFC 6455 client on a raw TCP socket (TCP_NODELAY; masked frames, as every browser sends)
// instead of undici's WebSocket, and node:http with a keep-alive agent instead of fetch
// (undici's fetch + web streams cost ~2 ms of CPU per event here: the client alone topped out
// near 450 events/s).
//
// Latency of an event: from just before its first message is sent until its end arrives.
// The clock of the run starts when every session is connected (connecting is timed
// separately) and stops when the last session is done. Writes one JSON object to stdout;
// progress goes to stderr every 2 s.

import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

const spec = JSON.parse(process.argv[2]);
const S = spec.sessions;
const E = spec.events;
const TIMEOUT = spec.timeout_ms ?? 30000;
const FINAL = new Set(["complete", "error", "cancelled"]);
const base = new URL(spec.base.endsWith("/") ? spec.base : spec.base + "/");

// per event: latency in ms, NaN when it never ended (lost or not sent)
const lat = new Float64Array(S * E).fill(NaN);
const endAt = new Float64Array(S * E).fill(NaN); // ms since run start, for the timeline
// lost: sent, no end within timeout_ms (or the connection dropped); not_sent: never sent, because
// the session ended early (a lost event ends its session) or max_seconds stopped the run
const counts = { sent: 0, ended: 0, lost: 0, not_sent: 0, stopped_early: 0, wrong: 0, refused: 0, error_status: 0 };
const examples = { wrong: [], lost: [], errors: [] };
const finals = []; // counter: each session's last output value
let runStart = 0;

function note(kind, what) {
  if (examples[kind].length < 10) examples[kind].push(what);
}

function expectedValue(session, i) {
  // echo: distinct per event, and never a prefix of the next one (so nbdemo sends whole values)
  return spec.scenario === "echo" ? `s${session}:e${i};` : `${i + 1}`;
}

// ---------------------------------------------------------------- a minimal WebSocket client

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// masking keys: 4 bytes at a time from a random pool (one randomBytes call per 16k frames)
let maskPool = randomBytes(65536);
let maskAt = 0;
function nextMask(buf, at) {
  if (maskAt + 4 > maskPool.length) {
    maskPool = randomBytes(65536);
    maskAt = 0;
  }
  maskPool.copy(buf, at, maskAt, maskAt + 4);
  maskAt += 4;
}

function maskedFrame(opcode, payload) {
  const n = payload.length;
  const extra = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const buf = Buffer.allocUnsafe(2 + extra + 4 + n);
  buf[0] = 0x80 | opcode;
  if (n < 126) {
    buf[1] = 0x80 | n;
  } else if (n < 65536) {
    buf[1] = 0x80 | 126;
    buf.writeUInt16BE(n, 2);
  } else {
    buf[1] = 0x80 | 127;
    buf.writeBigUInt64BE(BigInt(n), 2);
  }
  const m = 2 + extra;
  nextMask(buf, m);
  for (let i = 0; i < n; i++) buf[m + 4 + i] = payload[i] ^ buf[m + (i & 3)];
  return buf;
}

class RawWebSocket {
  // onmessage(text), onclose(); open() resolves after the 101 response
  constructor(url) {
    this.url = new URL(url);
    this.onmessage = null;
    this.onclose = null;
    this.closed = false;
    this.buf = null;
    this.parts = [];
  }

  open() {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString("base64");
      const accept = createHash("sha1").update(key + WS_GUID).digest("base64");
      const sock = (this.sock = net.connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true }));
      let head = "";
      let upgraded = false;
      sock.on("connect", () => {
        sock.write(`GET ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nUpgrade: websocket\r\n`
          + `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`
          + `Origin: http://${this.url.host}\r\n\r\n`);
      });
      sock.on("data", (chunk) => {
        if (upgraded) return this.feed(chunk);
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(accept)) {
          reject(new Error(`WebSocket upgrade refused: ${head.split("\r\n")[0]}`));
          sock.destroy();
          return;
        }
        upgraded = true;
        resolve();
        const rest = Buffer.from(head.slice(end + 4), "latin1");
        if (rest.length) this.feed(rest);
      });
      sock.on("error", (e) => {
        if (!upgraded) reject(e);
      });
      sock.on("close", () => {
        this.closed = true;
        if (!upgraded) reject(new Error("connection closed before the upgrade"));
        this.onclose?.();
      });
    });
  }

  feed(chunk) {
    let buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) break;
      const fin = buf[0] & 0x80;
      const op = buf[0] & 0x0f;
      let n = buf[1] & 0x7f;
      let off = 2;
      if (n === 126) {
        if (buf.length < 4) break;
        n = buf.readUInt16BE(2);
        off = 4;
      } else if (n === 127) {
        if (buf.length < 10) break;
        n = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf[1] & 0x80) {
        this.sock.destroy(new Error("masked frame from the server"));
        return;
      }
      if (buf.length < off + n) break;
      const payload = buf.subarray(off, off + n);
      buf = buf.subarray(off + n);
      if (op === 0x9) {
        this.sock.write(maskedFrame(0xa, payload)); // pong (tornado pings every 20 s)
      } else if (op === 0x8) {
        this.close();
      } else if (op === 0x1 || op === 0x0) {
        if (fin && op === 0x1) {
          this.onmessage?.(payload.toString("utf8"));
        } else {
          this.parts.push(Buffer.from(payload));
          if (fin) {
            const text = Buffer.concat(this.parts).toString("utf8");
            this.parts = [];
            this.onmessage?.(text);
          }
        }
      }
    }
    this.buf = buf.length ? Buffer.from(buf) : null;
  }

  send(...texts) {
    // several messages, one write (the page's set + event leave back to back)
    const frames = texts.map((t) => maskedFrame(0x1, Buffer.from(t)));
    this.sock.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.sock.end(maskedFrame(0x8, Buffer.from([0x03, 0xe8])));
    } catch {}
  }
}

// ---------------------------------------------------------------- nbdemo

function applyDelta(value, ops) {
  // only what a Textbox can get: appends and replacements at the root
  for (const op of ops) {
    if (op[0] === "+" && op[1].length === 0 && typeof value === "string" && value.length === op[3]) {
      value += op[2];
    } else if (op[0] === "=" && op[1].length === 0) {
      value = op[2];
    } else {
      throw new Error(`delta op not handled by the load client: ${JSON.stringify(op)}`);
    }
  }
  return value;
}

class NbdemoSession {
  constructor(idx) {
    this.idx = idx;
    this.ids = spec.nbdemo;
    this.value = undefined; // the output's value as the page would hold it
    this.sawOutput = false;
    this.waiter = null; // resolve(status) of the event in flight
  }

  async connect() {
    const ws = (this.ws = new RawWebSocket(new URL("ws", base).href));
    let hello;
    const gotHello = new Promise((resolve) => (hello = resolve));
    ws.onmessage = (text) => {
      const data = JSON.parse(text); // one message, or an array of them (one server loop turn)
      for (const msg of Array.isArray(data) ? data : [data]) {
        if (hello && msg.type === "hello") {
          hello();
          hello = null;
        } else {
          this.onMessage(msg);
        }
      }
    };
    ws.onclose = () => this.waiter?.("closed");
    await ws.open();
    let timer;
    await Promise.race([gotHello, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`session ${this.idx}: no hello in ${TIMEOUT} ms`)), TIMEOUT);
    })]);
    clearTimeout(timer);
  }

  onMessage(msg) {
    if (msg.type === "update") {
      for (const [id, props] of msg.updates) {
        if (id === this.ids.output && "value" in props) {
          let v = props.value;
          if (v && typeof v === "object" && "__delta__" in v) v = applyDelta(this.value, v.__delta__);
          this.value = v;
          this.sawOutput = true;
        }
      }
    } else if (msg.type === "status") {
      if (FINAL.has(msg.status) && this.waiter) {
        if (msg.status !== "complete") note("errors", { session: this.idx, status: msg.status, message: msg.message });
        this.waiter(msg.status);
      }
    } else if (msg.type === "error") {
      note("errors", { session: this.idx, error: msg.message });
    }
  }

  async run() {
    const ws = this.ws;
    const ids = this.ids;
    const echo = spec.scenario === "echo";
    const click = JSON.stringify({ type: "event", id: ids.button, event: "click" });
    for (let i = 0; i < E; i++) {
      if (this.stopped) {
        counts.not_sent += E - i;
        counts.stopped_early += E - i;
        return;
      }
      if (ws.closed) {
        counts.not_sent += E - i;
        note("lost", { session: this.idx, event: i, why: "socket closed" });
        return;
      }
      const k = this.idx * E + i;
      const expected = expectedValue(this.idx, i);
      this.sawOutput = false;
      const done = new Promise((resolve) => (this.waiter = resolve));
      const timer = setTimeout(() => this.waiter?.("timeout"), TIMEOUT);
      const t0 = performance.now();
      if (echo) ws.send(JSON.stringify({ type: "set", id: ids.input, value: expected }), click);
      else ws.send(click);
      counts.sent++;
      const status = await done;
      const t1 = performance.now();
      clearTimeout(timer);
      this.waiter = null;
      if (status === "timeout" || status === "closed") {
        counts.lost++;
        counts.not_sent += E - i - 1;
        note("lost", { session: this.idx, event: i, why: status });
        ws.close();
        return; // what arrives late would be taken for the next event's: the session ends here
      }
      counts.ended++;
      lat[k] = t1 - t0;
      endAt[k] = t1 - runStart;
      if (status !== "complete") {
        counts.error_status++;
        counts.wrong++;
      } else if (!this.sawOutput || this.value !== expected) {
        counts.wrong++;
        note("wrong", { session: this.idx, event: i, expected, got: this.sawOutput ? this.value : "(no update before the end)" });
      }
    }
    if (spec.scenario === "counter") finals.push(this.value);
  }

  stop() {
    this.stopped = true; // the event in flight still ends (or times out)
  }

  close() {
    this.ws?.close();
  }
}

// ---------------------------------------------------------------- gradio

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, noDelay: true });

// One HTTP request; onChunk(text) gets the body as it arrives (SSE). Resolves
// {status, body} when the response ends; rejects on a socket error or `timeoutMs`.
function request(method, url, { body, onChunk, timeoutMs, signal } = {}) {
  return new Promise((resolve, reject) => {
    const headers = body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {};
    const req = http.request(url, { method, agent, headers }, (res) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk) => (onChunk ? onChunk(chunk) : (text += chunk)));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, body: text });
      });
      res.on("error", reject);
    });
    const timer = timeoutMs ? setTimeout(() => req.destroy(new Error("timeout")), timeoutMs) : null;
    if (signal) signal.stop = () => req.destroy(new Error("closed by the client"));
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}

// SSE "data:" lines of a stream, given chunk by chunk
function sseParser(onData) {
  let buf = "";
  return (chunk) => {
    buf += chunk;
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      for (const line of block.split("\n")) {
        if (line.startsWith("data:")) onData(line.slice(5).trimStart());
      }
    }
  };
}

class GradioSession {
  constructor(idx) {
    this.idx = idx;
    this.g = spec.gradio;
    this.api = new URL(this.g.api_prefix.replace(/^\/|\/$/g, "") + "/", base).href;
    this.hash = randomBytes(5).toString("hex") + idx.toString(36);
    this.heartbeat = null;
    this.value = undefined;
  }

  connect() {
    if (!this.g.heartbeat) return Promise.resolve();
    // the page holds this open for the life of the session; the server forgets the
    // session's State when it closes
    return new Promise((resolve, reject) => {
      this.heartbeat = {};
      let first = true;
      request("GET", `${this.api}heartbeat/${this.hash}`, {
        signal: this.heartbeat,
        onChunk: sseParser(() => {
          if (first) resolve();
          first = false;
        }),
      }).then(
        (r) => first && reject(new Error(`heartbeat: HTTP ${r.status}`)),
        (e) => first && reject(e),
      );
    });
  }

  async event(expected) {
    const g = this.g;
    const data = g.inputs.map((_, j) => (j === g.input_index ? expected : null)); // State: null, as the page sends
    const body = JSON.stringify({
      data, event_data: null, fn_index: g.fn_index, trigger_id: g.trigger_id, session_hash: this.hash,
    });
    const deadline = performance.now() + TIMEOUT;
    try {
      const join = await request("POST", `${this.api}queue/join`, { body, timeoutMs: TIMEOUT });
      if (join.status !== 200) return { end: "refused", detail: `HTTP ${join.status}: ${join.body.slice(0, 200)}` };
      const eventId = JSON.parse(join.body).event_id;
      let result = null;
      const left = Math.max(1, deadline - performance.now());
      const stream = await request("GET", `${this.api}queue/data?session_hash=${this.hash}`, {
        timeoutMs: left,
        onChunk: sseParser((line) => {
          const msg = JSON.parse(line);
          if (msg.msg === "process_completed" && msg.event_id === eventId) {
            result = { end: msg.success ? "complete" : "error", t1: performance.now(), msg };
          } else if (msg.msg === "unexpected_error" && !result) {
            result = { end: "error", t1: performance.now(), msg };
          }
        }),
      });
      if (stream.status !== 200) return { end: "refused", detail: `queue/data HTTP ${stream.status}` };
      return result ?? { end: "closed", detail: "stream ended without process_completed" };
    } catch (e) {
      return { end: e.message === "timeout" ? "timeout" : "closed", detail: String(e) };
    }
  }

  async run() {
    for (let i = 0; i < E; i++) {
      if (this.stopped) {
        counts.not_sent += E - i;
        counts.stopped_early += E - i;
        return;
      }
      const k = this.idx * E + i;
      const expected = expectedValue(this.idx, i);
      const t0 = performance.now();
      counts.sent++;
      const r = await this.event(expected);
      if (r.end === "refused") {
        counts.refused++;
        counts.lost++;
        note("errors", { session: this.idx, event: i, refused: r.detail });
        continue; // the page would let the user click again
      }
      if (r.end === "timeout" || r.end === "closed") {
        counts.lost++;
        counts.not_sent += E - i - 1;
        note("lost", { session: this.idx, event: i, why: r.end, detail: r.detail });
        return;
      }
      counts.ended++;
      lat[k] = r.t1 - t0;
      endAt[k] = r.t1 - runStart;
      if (r.end !== "complete") {
        counts.error_status++;
        counts.wrong++;
        note("errors", { session: this.idx, event: i, msg: JSON.stringify(r.msg).slice(0, 300) });
        continue;
      }
      this.value = r.msg.output?.data?.[this.g.output_index];
      if (this.value !== expected) {
        counts.wrong++;
        note("wrong", { session: this.idx, event: i, expected, got: this.value });
      }
    }
    if (spec.scenario === "counter") finals.push(this.value);
  }

  stop() {
    this.stopped = true; // the event in flight still ends (or times out)
  }

  close() {
    this.heartbeat?.stop?.();
  }
}

// ---------------------------------------------------------------- run

function progress(msg) {
  process.stderr.write(`[load_client] ${msg}\n`);
}

async function main() {
  const Session = spec.protocol === "nbdemo" ? NbdemoSession : GradioSession;
  const sessions = Array.from({ length: S }, (_, i) => new Session(i));
  const c0 = performance.now();
  const connected = await Promise.allSettled(sessions.map((s) => s.connect()));
  const connectMs = performance.now() - c0;
  const failed = connected.filter((r) => r.status === "rejected");
  for (const r of failed.slice(0, 5)) note("errors", { connect: String(r.reason) });
  const live = sessions.filter((_, i) => connected[i].status === "fulfilled");
  counts.not_sent += failed.length * E;
  progress(`${live.length}/${S} sessions connected in ${connectMs.toFixed(0)} ms`);

  const cpu0 = process.cpuUsage();
  runStart = performance.now();
  const total = S * E;
  const ticker = setInterval(() => {
    const t = (performance.now() - runStart) / 1000;
    progress(`${t.toFixed(0)} s: ${counts.ended}/${total} ended, ${counts.lost} lost, ${counts.wrong} wrong`);
  }, 2000);
  const stopAt = setTimeout(() => {
    progress(`max_seconds (${spec.max_seconds}) reached: no new events, waiting for those in flight`);
    for (const s of sessions) s.stop();
  }, (spec.max_seconds ?? 600) * 1000);
  await Promise.all(live.map((s) => s.run()));
  const wallMs = performance.now() - runStart;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(ticker);
  clearTimeout(stopAt);
  for (const s of sessions) s.close();

  // events that ended, per second of the run
  const perSecond = new Array(Math.ceil(wallMs / 1000) || 1).fill(0);
  for (const t of endAt) if (!Number.isNaN(t)) perSecond[Math.min(perSecond.length - 1, Math.floor(t / 1000))]++;
  const out = {
    protocol: spec.protocol, scenario: spec.scenario, sessions: S, events: E,
    sessions_connected: live.length, connect_ms: connectMs, wall_ms: wallMs, ...counts,
    client_cpu_s: (cpu.user + cpu.system) / 1e6,
    client_cpu_pct: (100 * (cpu.user + cpu.system)) / 1000 / wallMs,
    // ms per event, session-major (session i's events are i*E .. i*E+E-1); null = no end
    latencies_ms: Array.from(lat, (x) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000)),
    ended_per_second: perSecond,
    counter_finals: spec.scenario === "counter" ? finals : undefined,
    examples,
    node: process.version,
  };
  // exit only once the (large) line is written: a pipe takes 64 KiB at a time
  await new Promise((resolve) => process.stdout.write(JSON.stringify(out) + "\n", resolve));
}

main().then(
  () => process.exit(0),
  (e) => {
    progress(`failed: ${e.stack || e}`);
    process.exit(1);
  },
);
