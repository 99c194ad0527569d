// The anywidget model interface (get/set/on/off/save_changes/send) for the
// standalone page, backed by the page's connection. Imports only the wire
// protocol (no DOM): testable in node.
import { isDelta, applyDelta, DELTA_KEY, RESYNC } from "./protocol.js";

export class Emitter {
  constructor() { this.handlers = new Map(); }
  on(name, cb) {
    for (const n of name.split(" ")) {
      if (!this.handlers.has(n)) this.handlers.set(n, new Set());
      this.handlers.get(n).add(cb);
    }
  }
  off(name, cb) {
    if (!name) { this.handlers.clear(); return; }
    for (const n of name.split(" ")) {
      if (cb) this.handlers.get(n)?.delete(cb); else this.handlers.delete(n);
    }
  }
  trigger(name, ...args) { for (const cb of [...(this.handlers.get(name) || [])]) cb(...args); }
}

/** A component model backed by the page's WebSocket connection. */
export class PageModel extends Emitter {
  constructor(id, state, conn) {
    super();
    this.id = id;
    this.state = { ...state };
    this.conn = conn;
    // props whose value is the one the server last sent (deltas apply to those only)
    this.synced = new Set();
  }
  get(key) { return this.state[key]; }
  /** A change made on the page (a renderer): later deltas from the server do not apply. */
  set(key, value) {
    this.synced.delete(key);
    this._set(key, value);
  }
  _set(key, value) {
    const old = this.state[key];
    this.state[key] = value;
    if (old !== value) this.trigger(`change:${key}`, this, value);
  }
  save_changes() { /* values travel as explicit "set" messages (see util.setValue) */ }
  /** Send to the server as this component; the root's layout names a layout block with `id`. */
  send(content, callbacks, buffers) { this.conn.send({ id: this.id, ...content }, buffers); }
  /** Bytes the page's socket still has to send (see stream.js). */
  backlog() { return this.conn.backlog?.() || 0; }
  /**
   * Props from the server: set without echoing them back. A delta applies to
   * the value the server last sent; if the page changed the value since, it
   * is skipped (the server, told of the change, sends the whole value next).
   */
  applyFromServer(props) {
    for (const [k, v] of Object.entries(props)) {
      if (isDelta(v)) {
        if (!this.synced.has(k)) continue;
        let next;
        try {
          next = applyDelta(this.state[k], v[DELTA_KEY]);
        } catch (e) {
          // should not happen (the socket keeps order): ask for the whole value
          console.warn(`nbdemo: a delta for ${k} of component ${this.id} did not fit; resyncing`, e);
          this.synced.delete(k);
          this.send({ type: RESYNC, prop: k });
          continue;
        }
        this._set(k, next);
      } else {
        this._set(k, v);
      }
      this.synced.add(k);
    }
  }
}
