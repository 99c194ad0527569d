// Listeners' js= across widgets. Each component's events go through `emit`
// (util.js), which hands them to `model.nbdemoEmit`, set here for every
// component: the demo root (layout.js) registers a runner for the components
// whose events have js= listeners. Components and the root meet by component
// id within one scope: the notebook's widget manager (one kernel), or the page.
import { EVENT } from "./protocol.js";

const scopes = new WeakMap();
const pageScope = { models: new Map(), runners: new Map() };

export function scopeOf(model) {
  const manager = model.widget_manager;
  if (!manager) return pageScope;
  if (!scopes.has(manager)) scopes.set(manager, { models: new Map(), runners: new Map() });
  return scopes.get(manager);
}

/** A component is shown: its events go through the runner of its id, if any. */
export function register(model) {
  const scope = scopeOf(model);
  const id = model.get("_nbd_id");
  scope.models.set(id, model);
  model.nbdemoEmit = (m, event, data) => {
    const run = scope.runners.get(id);
    if (run) return run(m, event, data);
    if ((m.get("_events") || []).includes(event)) m.send({ type: EVENT, event, data });
    return undefined;
  };
}
