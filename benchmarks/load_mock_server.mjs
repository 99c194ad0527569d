// A trivial server for bench_load.py's client ceiling: it speaks just enough of both
// protocols (nbdemo's page WebSocket, Gradio's queue/join + SSE) to answer every event at
// once, doing no other work, so what limits the rate is the load client.
//
//   node load_mock_server.mjs PORT echo|counter
//
// nbdemo side, at /ws (component ids: input 1, button 2, output 3): "hello" on connect;
// "set" stores the input; "event" replies status "processing", an "update" of the output
// (echo: the input; counter: the session's count + 1) and status "complete", as nbdemo does.
// Gradio side, under /gradio_api: POST queue/join -> {event_id}; GET queue/data streams
// estimation, process_starts, process_completed (output.data: echo [input]; counter
// [null, count]) and close_stream, then ends; GET heartbeat/<hash> stays open.
// The WebSocket framing is hand-written (Node has no WebSocket server built in): unfragmented
// text frames, masked from the client, as every browser and undici send them.

import { createHash } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2]);
const scenario = process.argv[3] || "echo";
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// ---------------------------------------------------------------- WebSocket

function frame(text) {
  const payload = Buffer.from(text);
  const n = payload.length;
  let head;
  if (n < 126) {
    head = Buffer.from([0x81, n]);
  } else if (n < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x81;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

let nextEvent = 0;

function wsSession(socket) {
  const state = { input: "", count: 0 };
  let buf = Buffer.alloc(0);
  const send = (obj) => socket.write(frame(JSON.stringify(obj)));
  send({ type: "hello", session_hash: Math.random().toString(16).slice(2) });
  socket.on("data", (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0] & 0x0f;
      let n = buf[1] & 0x7f;
      let off = 2;
      if (n === 126) {
        if (buf.length < 4) return;
        n = buf.readUInt16BE(2);
        off = 4;
      } else if (n === 127) {
        if (buf.length < 10) return;
        n = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      const masked = buf[1] & 0x80;
      const maskAt = off;
      if (masked) off += 4;
      if (buf.length < off + n) return;
      const payload = Buffer.from(buf.subarray(off, off + n));
      if (masked) for (let i = 0; i < n; i++) payload[i] ^= buf[maskAt + (i & 3)];
      buf = buf.subarray(off + n);
      if (op === 0x8) {
        socket.end(Buffer.from([0x88, 0]));
        return;
      }
      if (op === 0x9) {
        socket.write(Buffer.concat([Buffer.from([0x8a, payload.length]), payload]));
        continue;
      }
      if (op !== 0x1) continue;
      const msg = JSON.parse(payload.toString());
      if (msg.type === "set") {
        state.input = msg.value;
      } else if (msg.type === "event") {
        const event_id = `e${nextEvent++}`;
        const value = scenario === "echo" ? state.input : `${++state.count}`;
        const st = { type: "status", event_id, fn_index: 0, targets: [3], show_progress: "full" };
        send({ ...st, status: "processing" });
        send({ type: "update", updates: [[3, { value }]] });
        send({ ...st, status: "complete", time: 0 });
      }
    }
  });
  socket.on("error", () => {});
}

// ---------------------------------------------------------------- Gradio's queue

const gsessions = new Map(); // session_hash -> {count, pending: [messages]}

function gsession(hash) {
  let s = gsessions.get(hash);
  if (!s) gsessions.set(hash, (s = { count: 0, pending: [] }));
  return s;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (req.method === "POST" && url.pathname === "/gradio_api/queue/join") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const b = JSON.parse(body);
      const s = gsession(b.session_hash);
      const event_id = `e${nextEvent++}`;
      const data = scenario === "echo" ? [b.data[0]] : [null, `${++s.count}`];
      s.pending.push(
        { msg: "estimation", event_id, rank: 0, queue_size: 1, rank_eta: null },
        { msg: "process_starts", event_id, eta: null },
        { msg: "process_completed", event_id, output: { data, is_generating: false }, success: true },
        { msg: "close_stream", event_id: null },
      );
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ event_id }));
    });
    return;
  }
  if (req.method === "GET" && url.pathname === "/gradio_api/queue/data") {
    const s = gsession(url.searchParams.get("session_hash"));
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(s.pending.map((m) => `data: ${JSON.stringify(m)}\n\n`).join(""));
    s.pending = [];
    return;
  }
  if (req.method === "GET" && url.pathname.startsWith("/gradio_api/heartbeat/")) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: ALIVE\n\n");
    return;
  }
  res.writeHead(url.pathname === "/" ? 200 : 404);
  res.end("load_mock_server");
});

server.keepAliveTimeout = 60000;
server.on("upgrade", (req, socket) => {
  if (!req.url.startsWith("/ws")) {
    socket.destroy();
    return;
  }
  const accept = createHash("sha1").update(req.headers["sec-websocket-key"] + GUID).digest("base64");
  socket.setNoDelay(true);
  socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
  wsSession(socket);
});
server.listen(port, "127.0.0.1", () => process.stderr.write(`load_mock_server on 127.0.0.1:${port}\n`));
