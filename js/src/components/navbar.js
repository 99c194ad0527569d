import { h, watch, commonProps } from "../util.js";

/**
 * The links of a multipage demo (Blocks.route): its main page named `main`
 * (none when false), then each page shown in the navbar; `page` is the current
 * one (aria-current), `root` the app's URL from here ("./" or "../").
 */
export function pageLinks({ pages = [], page = "", root = "./", main = "Home" }) {
  const links = [];
  const link = (name, href, current) => h("a", { href, "aria-current": current ? "page" : null,
    style: current ? { fontWeight: "600" } : null }, name);
  if (main !== false && main !== null && main !== undefined) links.push(link(String(main), root, !page));
  for (const [path, name, shown] of pages) if (shown) links.push(link(name, `${root}${path}/`, path === page));
  return links;
}

/** Navbar: the demo's pages and the app's links, as a navigation landmark. */
export function render({ model, el, signal }) {
  el.classList.add("nbd-comp", "nbd-navbar");
  const nav = h("nav", { "aria-label": "Pages", style: { display: "flex", flexWrap: "wrap", gap: "4px 16px",
    padding: "6px 2px", borderBottom: "1px solid var(--nbd-border, #e5e7eb)" } });
  el.replaceChildren(nav);
  const apply = () => {
    commonProps(model, el);
    const page = model.get("_page") || "";
    const root = page ? "../" : "./";
    const links = pageLinks({ pages: model.get("_pages") || [], page, root, main: model.get("main_page_name") });
    for (const [label, url] of model.get("value") || []) {
      const external = /^[a-z][a-z0-9+.-]*:/i.test(url);
      // a path of this app is relative to the app, from any of its pages
      const href = external || url.startsWith("/") ? url : `${root}${url}`;
      links.push(h("a", { href, target: external ? "_blank" : null, rel: external ? "noopener noreferrer" : null }, label));
    }
    nav.replaceChildren(...links);
  };
  apply();
  watch(model, ["value", "main_page_name", "visible", "elem_id", "elem_classes"], apply, signal);
}
