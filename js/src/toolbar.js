// The inline demo's toolbar (the Jupyter door): "Open as page" and "Share".
// It shows only when the kernel serves the demo through nbdemo's
// jupyter-server extension (the root model's `_door`: the page and share
// endpoints below the server's base_url) and the notebook page names that
// base_url (JupyterLab and Notebook 7 do, in #jupyter-config-data). In VS Code,
// Colab or on a standalone page there is no toolbar.
import { h, watch } from "./util.js";

function jupyterBaseUrl(doc) {
  try {
    const url = JSON.parse(doc.getElementById("jupyter-config-data")?.textContent || "{}").baseUrl;
    return typeof url === "string" ? url.replace(/\/?$/, "/") : null;
  } catch {
    return null;
  }
}

function xsrf(doc) {
  const m = doc.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

const style = {
  bar: { display: "flex", gap: "0.5em", alignItems: "center", justifyContent: "flex-end",
    fontSize: "12px", margin: "0 0 4px", flexWrap: "wrap" },
  link: { fontSize: "12px", padding: "1px 8px", border: "1px solid var(--nbd-border, #ccc)",
    borderRadius: "4px", color: "inherit", background: "transparent", cursor: "pointer",
    textDecoration: "none", lineHeight: "1.6" },
  out: { fontSize: "12px", minWidth: "22em", flex: "0 1 36em" },
};

/** The toolbar element for the demo root `model`; hidden while there is no door. */
export function toolbar({ model, signal, doc = document }) {
  const base = jupyterBaseUrl(doc);
  const open = h("a", { class: "nbd-door-open", target: "_blank", rel: "noopener", style: style.link },
    "Open as page");
  const link = h("input", { class: "nbd-door-link", readonly: true, "aria-label": "share link",
    style: style.out, hidden: true });
  const note = h("span", { class: "nbd-door-note", role: "status" });
  const share = h("button", { class: "nbd-door-share", type: "button", style: style.link,
    title: "Make a link that opens this demo without a Jupyter login (72 h)" }, "Share");
  const bar = h("div", { class: "nbd-door", style: style.bar }, note, link, open, share);
  const update = () => {
    const door = model.get("_door") || {};
    const shown = !!(base && door.page);
    bar.style.display = shown ? "flex" : "none"; // (an inline display would beat `hidden`)
    if (shown) open.href = base + door.page;
  };
  share.addEventListener("click", async () => {
    const door = model.get("_door") || {};
    share.disabled = true;
    note.textContent = "";
    link.value = "";
    link.hidden = true;
    try {
      const r = await fetch(base + door.shares, { method: "POST", body: "{}",
        headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf(doc) } });
      if (!r.ok) throw new Error(r.status === 404 ? "this demo is no longer served" : `HTTP ${r.status}`);
      const { url } = await r.json();
      link.value = url;
      link.hidden = false;
      try {
        await navigator.clipboard.writeText(url);
        note.textContent = "Link copied";
      } catch {
        link.select();
        note.textContent = "Copy the link:";
      }
    } catch (e) {
      note.textContent = `No link: ${e.message}`;
    } finally {
      share.disabled = false;
    }
  });
  watch(model, "_door", update, signal);
  update();
  return bar;
}
