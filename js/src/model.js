// The anywidget model interface (get/set/on/off/save_changes/send) for the
// standalone page, backed by the page's connection. No imports: testable in node.
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
  }
  get(key) { return this.state[key]; }
  set(key, value) {
    const old = this.state[key];
    this.state[key] = value;
    if (old !== value) this.trigger(`change:${key}`, this, value);
  }
  save_changes() { /* values travel as explicit "set" messages (see util.setValue) */ }
  send(content) { this.conn.send({ ...content, id: this.id }); }
  /** Props from the server: set without echoing them back. */
  applyFromServer(props) { for (const [k, v] of Object.entries(props)) this.set(k, v); }
}
