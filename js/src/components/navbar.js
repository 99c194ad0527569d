import { h, watch, commonProps } from "../util.js";

/** Navbar: the demo's main page and the app's links, as a navigation landmark. */
export function render({ model, el, signal }) {
  el.classList.add("nbd-comp", "nbd-navbar");
  const nav = h("nav", { "aria-label": "Pages", style: { display: "flex", flexWrap: "wrap", gap: "4px 16px",
    padding: "6px 2px", borderBottom: "1px solid var(--nbd-border, #e5e7eb)" } });
  el.replaceChildren(nav);
  const apply = () => {
    commonProps(model, el);
    const links = [];
    const main = model.get("main_page_name");
    if (main !== false && main !== null && main !== undefined) {
      links.push(h("a", { href: "./", "aria-current": "page", style: { fontWeight: "600" } }, String(main)));
    }
    for (const [label, url] of model.get("value") || []) {
      const external = /^[a-z][a-z0-9+.-]*:/i.test(url);
      links.push(h("a", { href: url, target: external ? "_blank" : null, rel: external ? "noopener noreferrer" : null }, label));
    }
    nav.replaceChildren(...links);
  };
  apply();
  watch(model, ["value", "main_page_name", "visible", "elem_id", "elem_classes"], apply, signal);
}
