import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, emit, setValue, watch, editable, frame, uid } from "../util.js";

/** Rows shown at once; larger tables are paged, so the DOM stays small. */
export const PAGE_SIZE = 100;

const css = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? `${v}px` : String(v));
const purify = (html) => DOMPurify.sanitize(html, { ADD_ATTR: ["target"] });

/** Per-column datatype: the `datatype` prop, or inferred from the cells when it is null. */
export function columnTypes(datatype, headers, data) {
  return headers.map((_, j) => {
    const d = Array.isArray(datatype) ? datatype[j] : datatype;
    if (d) return d;
    let kind = null;
    for (const row of data) {
      const v = row[j];
      if (v === null || v === undefined || v === "") continue;
      const k = typeof v === "number" ? "number" : typeof v === "boolean" ? "bool" : "str";
      if (kind && kind !== k) return "str";
      kind = k;
    }
    return kind === "number" ? "auto-number" : kind === "bool" ? "auto-bool" : "auto";
  });
}

/** What the user typed → the cell value for the column's type; `undefined` when invalid. */
export function parseCell(text, type) {
  if (type === "number" || type === "auto-number") {
    const s = text.trim().replace(/,/g, "");
    if (s === "") return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  return text;
}

export function cellText(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e10) / 1e10);
  return String(v);
}

function compare(a, b) {
  const na = a === null || a === undefined || a === "";
  const nb = b === null || b === undefined || b === "";
  if (na || nb) return na && nb ? 0 : na ? 1 : -1; // empty cells last
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * Dataframe: a table. Editable cells are <input>s labelled "row R, column C"
 * inside role=gridcell cells; read-only cells are text. Large tables are paged
 * (PAGE_SIZE rows at a time). Sorting by a header changes the view only.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "dataframe", { signal, labelFor: false });
  const gridId = uid("grid");
  let page = 0;
  let sort = null; // {col, dir: 1 | -1}
  let local = null; // the value this renderer last set (no rebuild for our own edits)
  let active = null; // {row, col} of the focused cell, restored after a rebuild
  let query = ""; // show_search: rows shown contain this text (the view only, like sorting)
  const search = h("input", { type: "search", class: "nbd-input nbd-df-search", placeholder: "Search…", "aria-label": "Search the table" });
  search.addEventListener("input", () => { query = search.value.trim().toLowerCase(); page = 0; build(); });

  const value = () => model.get("value") || { headers: [], data: [] };

  const commit = (next) => {
    local = next;
    setValue(model, next);
    emit(model, "input");
    emit(model, "change");
  };

  const setCell = (r, c, v) => {
    const cur = value();
    if (cur.data[r]?.[c] === v) return;
    const data = cur.data.slice();
    data[r] = data[r].slice();
    const previous = cur.data[r]?.[c] ?? null;
    data[r][c] = v;
    commit({ headers: cur.headers, data });
    emit(model, "edit", { index: [r, c], value: v, previous_value: previous });
  };

  const select = (r, c) => {
    const cur = value();
    emit(model, "select", { index: [r, c], value: cur.data[r]?.[c] ?? null, selected: true,
      row_value: cur.data[r] ?? null, col_value: cur.data.map((row) => row[c]) });
  };

  const order = () => {
    const data = value().data;
    const searching = query && (model.get("show_search") || "none") !== "none";
    const idx = data.map((_, i) => i)
      .filter((i) => !searching || data[i].some((v) => cellText(v).toLowerCase().includes(query)));
    if (sort) idx.sort((a, b) => sort.dir * compare(data[a][sort.col], data[b][sort.col]) || a - b);
    return idx;
  };

  const focusCell = (r, c) => {
    const pos = order().indexOf(r);
    if (pos < 0) return;
    const want = Math.floor(pos / PAGE_SIZE);
    if (want !== page) { page = want; build(); }
    const td = el.querySelector(`td[data-row="${r}"][data-col="${c}"]`);
    (td?.querySelector(".nbd-df-rich:not([hidden]), .nbd-df-edit:not([hidden])") || td)?.focus();
  };

  const build = () => {
    const { headers, data } = value();
    const types = columnTypes(model.get("datatype"), headers, data);
    const canEdit = editable(model);
    const [, rowMode] = model.get("row_count") || [1, "dynamic"];
    const [, colMode] = model.get("col_count") || [3, "dynamic"];
    const widths = model.get("column_widths") || [];
    const rowNumbers = !!model.get("show_row_numbers");
    const idx = order();
    const pages = Math.max(1, Math.ceil(idx.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = idx.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const hadFocus = el.contains(document.activeElement) && active;

    const table = h("table", { class: "nbd-df-table", role: "grid", id: gridId,
      "aria-rowcount": data.length + 1, "aria-colcount": headers.length,
      "aria-readonly": canEdit ? null : "true" });
    if (f.labelText()) table.setAttribute("aria-labelledby", `${f.id}-label`);
    else table.setAttribute("aria-label", "Table");

    const headRow = h("tr", { "aria-rowindex": 1 });
    if (rowNumbers) headRow.append(h("th", { class: "nbd-df-rownum", scope: "col", "aria-label": "Row number" }, "#"));
    headers.forEach((name, j) => {
      const dir = sort && sort.col === j ? sort.dir : 0;
      const th = h("th", { scope: "col", role: "columnheader", "aria-colindex": j + 1,
        "aria-sort": dir === 1 ? "ascending" : dir === -1 ? "descending" : "none",
        class: types[j].endsWith("number") ? "nbd-df-num" : null });
      if (widths[j] !== undefined) th.style.width = css(widths[j]);
      th.append(h("button", { type: "button", class: "nbd-df-sort", title: `Sort by ${name}`,
        onclick: () => {
          sort = !sort || sort.col !== j ? { col: j, dir: 1 } : sort.dir === 1 ? { col: j, dir: -1 } : null;
          page = 0;
          build();
        } }, h("span", {}, name), h("span", { class: "nbd-df-arrow", "aria-hidden": "true" }, dir === 1 ? "▲" : dir === -1 ? "▼" : "")));
      headRow.append(th);
    });
    // editable inputs are sized to the longest text in their column on this page
    const chars = headers.map((name, c) => Math.min(40, Math.max(4, name.length,
      ...shown.map((r) => cellText(data[r]?.[c]).length))));
    const tbody = h("tbody");
    for (const r of shown) {
      const row = data[r] || [];
      const tr = h("tr", { "aria-rowindex": r + 2 });
      if (rowNumbers) tr.append(h("th", { scope: "row", class: "nbd-df-rownum" }, String(r + 1)));
      headers.forEach((name, c) => tr.append(renderCell(r, c, row[c], name, types[c], canEdit, chars[c])));
      tbody.append(tr);
    }
    if (!data.length) {
      tbody.append(h("tr", {}, h("td", { class: "nbd-df-empty", colspan: Math.max(1, headers.length + (rowNumbers ? 1 : 0)) }, "No rows")));
    }
    table.append(h("thead", {}, headRow), tbody);

    const scroller = h("div", { class: "nbd-df-scroll", tabindex: canEdit ? null : "0" }, table);
    scroller.style.maxHeight = css(model.get("max_height"));
    el.classList.toggle("nbd-df-wrap", !!model.get("wrap"));

    const foot = h("div", { class: "nbd-df-foot" });
    const summary = h("span", { class: "nbd-df-count", role: "status" },
      `${data.length} ${data.length === 1 ? "row" : "rows"} × ${headers.length} ${headers.length === 1 ? "column" : "columns"}`);
    foot.append(summary);
    if (canEdit && rowMode === "dynamic") {
      foot.append(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-df-add", onclick: addRow }, "+ Add row"));
    }
    if (canEdit && colMode === "dynamic") {
      foot.append(h("button", { type: "button", class: "nbd-button nbd-size-sm nbd-df-add", onclick: addColumn }, "+ Add column"));
    }
    if (pages > 1) {
      const go = (p) => { page = p; build(); };
      foot.append(h("nav", { class: "nbd-df-pager", "aria-label": "Table pages" },
        h("button", { type: "button", class: "nbd-page-btn", disabled: page === 0, "aria-label": "Previous page", onclick: () => go(page - 1) }, "‹"),
        h("span", {}, `Rows ${page * PAGE_SIZE + 1}–${Math.min(idx.length, (page + 1) * PAGE_SIZE)} of ${idx.length}`),
        h("button", { type: "button", class: "nbd-page-btn", disabled: page >= pages - 1, "aria-label": "Next page", onclick: () => go(page + 1) }, "›")));
    }
    const searchable = (model.get("show_search") || "none") !== "none";
    f.body.replaceChildren(...(searchable ? [search] : []), scroller, foot);
    if (hadFocus) focusCell(active.row, active.col);
  };

  const renderCell = (r, c, v, name, type, canEdit, size) => {
    const td = h("td", { role: "gridcell", "data-row": r, "data-col": c, "aria-colindex": c + 1 });
    const label = `row ${r + 1}, column ${name}`;
    const kind = type.replace(/^auto-?/, "") || "str";
    if (kind === "number") td.classList.add("nbd-df-num");
    const rich = type === "markdown" || type === "html";
    const show = (target) => {
      if (type === "markdown") target.innerHTML = purify(marked.parse(cellText(v), { async: false, gfm: true }));
      else if (type === "html") target.innerHTML = purify(cellText(v));
      else target.textContent = kind === "bool" && typeof v === "boolean" ? (v ? "✓" : "✗") : cellText(v);
      if (!rich) td.title = cellText(v);
    };
    if (!canEdit) {
      show(td);
      td.tabIndex = -1;
      td.addEventListener("click", () => { active = { row: r, col: c }; select(r, c); });
      return td;
    }
    td.addEventListener("focusin", () => { active = { row: r, col: c }; });
    if (kind === "bool") {
      const box = h("input", { type: "checkbox", class: "nbd-df-edit", "aria-label": label });
      box.checked = v === true || v === "true";
      box.addEventListener("change", () => setCell(r, c, box.checked));
      box.addEventListener("focus", () => select(r, c));
      box.addEventListener("keydown", (e) => moveKey(e, r, c));
      td.append(box);
      return td;
    }
    const input = h("input", { type: "text", class: "nbd-df-edit", "aria-label": label, spellcheck: "false",
      inputmode: kind === "number" ? "decimal" : null, size: size + 2 });
    input.value = cellText(v);
    const save = () => {
      const parsed = parseCell(input.value, type);
      if (parsed === undefined) {
        input.setAttribute("aria-invalid", "true");
        input.title = "Not a number";
        return false;
      }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("title");
      if (parsed !== (value().data[r]?.[c] ?? null) && !(parsed === "" && (v === null || v === undefined))) {
        setCell(r, c, parsed);
      }
      return true;
    };
    input.addEventListener("change", save);
    input.addEventListener("focus", () => select(r, c));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { input.value = cellText(value().data[r]?.[c]); input.removeAttribute("aria-invalid"); return; }
      if (e.key === "Enter") {
        e.preventDefault();
        if (!save()) return;
        if (rich) { input.blur(); view.focus(); } // back to the rendered cell
        else step(r, c, e.shiftKey ? -1 : 1);
        return;
      }
      moveKey(e, r, c);
    });
    let view = null;
    if (rich) {
      // Markdown/HTML cells show rendered (sanitized); click, Enter or F2 edits the source.
      view = h("div", { class: "nbd-df-rich", tabindex: "0", role: "button", "aria-label": `${label}: edit` });
      show(view);
      input.hidden = true;
      const edit = () => { view.hidden = true; input.hidden = false; input.focus(); };
      view.addEventListener("click", edit);
      view.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === "F2") { e.preventDefault(); edit(); } });
      input.addEventListener("blur", () => {
        save();
        v = value().data[r]?.[c];
        show(view);
        input.hidden = true;
        view.hidden = false;
      });
      td.append(view, input);
      return td;
    }
    td.append(input);
    return td;
  };

  /** Up/Down move between rows of the same column (in view order). */
  const moveKey = (e, r, c) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      e.target.dispatchEvent(new Event("change"));
      step(r, c, e.key === "ArrowDown" ? 1 : -1);
    }
  };
  const step = (r, c, d) => {
    const idx = order();
    const next = idx[idx.indexOf(r) + d];
    if (next !== undefined) focusCell(next, c);
  };

  const blank = (type) => (type === "bool" ? false : type.endsWith("number") ? null : "");
  const addRow = () => {
    const { headers, data } = value();
    const types = columnTypes(model.get("datatype"), headers, data);
    const next = { headers, data: [...data, types.map(blank)] };
    commit(next);
    sort = null;
    page = Math.floor((next.data.length - 1) / PAGE_SIZE);
    active = { row: next.data.length - 1, col: 0 };
    build();
    focusCell(next.data.length - 1, 0);
  };
  const addColumn = () => {
    const { headers, data } = value();
    let n = headers.length + 1;
    while (headers.includes(String(n))) n++;
    commit({ headers: [...headers, String(n)], data: data.map((row) => [...row, ""]) });
    build();
  };

  build();
  watch(model, "value", () => {
    if (model.get("value") === local) return; // our own edit: the DOM already shows it
    local = null;
    build();
  }, signal);
  watch(model, ["datatype", "interactive", "_editable", "row_count", "col_count", "max_height", "wrap", "show_search",
    "column_widths", "show_row_numbers", "label"], build, signal);
}
