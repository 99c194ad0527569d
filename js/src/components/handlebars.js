// The Handlebars blocks of a gr.HTML template (a subset), interpreted: no code
// is generated, so the page needs no eval.

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "`": "&#x60;", "=": "&#x3D;" };
const escape = (v) => (v === null || v === undefined ? "" : String(v).replace(/[&<>"'`=]/g, (c) => ESC[c]));

/** Parse `{{…}}` tags into a tree: text, {var, raw}, {block: each|if|unless, arg, body, alt}. */
function parse(src) {
  const re = /\{\{(\{?)\s*([#/]?)([^}]*?)\s*\}?\}\}/g;
  const root = { body: [] };
  const stack = [root];
  let at = 0;
  let m;
  while ((m = re.exec(src))) {
    const top = stack[stack.length - 1];
    const into = top.inAlt ? top.alt : top.body;
    if (m.index > at) into.push(src.slice(at, m.index));
    at = re.lastIndex;
    const [, triple, sigil, expr] = m;
    if (sigil === "#") {
      const [name, ...rest] = expr.trim().split(/\s+/);
      const node = { block: name, arg: rest.join(" "), body: [], alt: [], inAlt: false };
      into.push(node);
      stack.push(node);
    } else if (sigil === "/") {
      if (stack.length > 1) stack.pop();
    } else if (expr.trim() === "else" && stack.length > 1) {
      top.inAlt = true;
    } else {
      into.push({ path: expr.trim(), raw: !!triple });
    }
  }
  const top = stack[stack.length - 1];
  (top.inAlt ? top.alt : top.body).push(src.slice(at));
  return root.body;
}

function lookup(path, ctx, data, root) {
  if (path === "this" || path === ".") return ctx;
  if (path.startsWith("@")) return data[path.slice(1)];
  let parts = path.split(".");
  let cur;
  if (parts[0] === "this") { cur = ctx; parts = parts.slice(1); }
  else if (parts[0] === "@root") { cur = root; parts = parts.slice(1); }
  else cur = ctx !== null && typeof ctx === "object" && parts[0] in ctx ? ctx : root;
  for (const p of parts) cur = cur === null || cur === undefined ? undefined : cur[p];
  return cur;
}

const truthy = (v) => !(v === false || v === null || v === undefined || v === "" || v === 0 || (Array.isArray(v) && !v.length));

function run(nodes, ctx, data, root) {
  let out = "";
  for (const n of nodes) {
    if (typeof n === "string") out += n;
    else if (n.path !== undefined) {
      const v = lookup(n.path, ctx, data, root);
      out += n.raw ? (v ?? "") : escape(v);
    } else if (n.block === "each") {
      const list = lookup(n.arg, ctx, data, root);
      const entries = Array.isArray(list) ? list.map((v, i) => [i, v]) : list && typeof list === "object" ? Object.entries(list) : [];
      if (!entries.length) out += run(n.alt, ctx, data, root);
      entries.forEach(([key, v], i) => {
        out += run(n.body, v, { ...data, index: i, key, first: i === 0, last: i === entries.length - 1 }, root);
      });
    } else if (n.block === "if" || n.block === "unless") {
      const yes = truthy(lookup(n.arg, ctx, data, root)) === (n.block === "if");
      out += run(yes ? n.body : n.alt, ctx, data, root);
    } else if (n.block === "with") {
      out += run(n.body, lookup(n.arg, ctx, data, root), data, root);
    } else {
      throw new Error(`Handlebars block {{#${n.block}}} is not supported by nbdemo`);
    }
  }
  return out;
}

/** Expand the Handlebars blocks of `src` with `props` as the context. */
export function handlebars(src, props) {
  if (!src.includes("{{")) return src;
  return run(parse(src), props, {}, props);
}
