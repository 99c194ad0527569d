import { h, emit, setValue, watch, editable, frame } from "../util.js";

const PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#b279a2"];

/**
 * Dialogue: one row per turn, a speaker and a line of text. Editable: pick
 * the speaker, type the line (tags are offered as suggestions), add and
 * remove turns; Enter (or Submit) sends "submit". Read-only: a transcript
 * with a coloured badge per speaker.
 */
export function render({ model, el, signal }) {
  const f = frame(model, el, "dialogue", { signal, labelFor: false });
  const list = h("div", { class: "nbd-dialogue-lines", role: "list", style: { display: "flex", flexDirection: "column", gap: "6px" } });
  const tagsId = `${f.id}-tags`;
  const tagList = h("datalist", { id: tagsId });
  const add = h("button", { type: "button", class: "nbd-chat-tool", "aria-label": "Add a line" }, "+ Line");
  const submit = h("button", { type: "button", class: "nbd-button nbd-primary nbd-size-sm" }, "Submit");
  submit.style.flex = "0 0 auto";
  submit.style.width = "auto";
  add.style.whiteSpace = "nowrap";
  const bar = h("div", { style: { display: "flex", gap: "6px", justifyContent: "space-between", marginTop: "6px" } }, add, submit);
  f.body.append(tagList, list, bar);
  const lines = () => (model.get("value") || []).map((l) => ({ speaker: l.speaker ?? "", text: l.text ?? "" }));
  const commit = (next) => { setValue(model, next); emit(model, "input"); emit(model, "change"); };
  const colorOf = (speaker) => {
    const map = model.get("color_map") || {};
    const speakers = model.get("speakers") || [];
    const i = Math.max(0, speakers.indexOf(speaker));
    return map[speaker] || PALETTE[i % PALETTE.length];
  };
  add.addEventListener("click", () => {
    const speakers = model.get("speakers") || [];
    const cur = lines();
    const last = cur[cur.length - 1]?.speaker;
    const nextSpeaker = speakers.length ? speakers[(Math.max(0, speakers.indexOf(last)) + (cur.length ? 1 : 0)) % speakers.length] : "";
    commit([...cur, { speaker: nextSpeaker, text: "" }]);
    build();
    list.querySelector(".nbd-dialogue-row:last-child input")?.focus();
  });
  submit.addEventListener("click", () => emit(model, "submit"));
  const build = () => {
    const on = editable(model);
    const speakers = model.get("speakers") || [];
    tagList.replaceChildren(...(model.get("tags") || []).map((t) => h("option", { value: t })));
    add.hidden = !on;
    const sb = model.get("submit_btn");
    submit.hidden = !on || !sb;
    submit.textContent = typeof sb === "string" && sb ? sb : "Submit";
    const cur = lines();
    list.replaceChildren(...cur.map((line, i) => {
      const row = h("div", { class: "nbd-dialogue-row", role: "listitem", style: { display: "flex", gap: "6px", alignItems: "center" } });
      if (!on) {
        row.append(h("span", { class: "nbd-dialogue-speaker", style: { background: colorOf(line.speaker), color: "#fff",
          borderRadius: "999px", padding: "1px 8px", fontSize: "12px", whiteSpace: "nowrap" } }, line.speaker),
        h("span", { class: "nbd-dialogue-text" }, line.text));
        return row;
      }
      const who = speakers.length
        ? h("select", { class: "nbd-input", "aria-label": `Speaker of line ${i + 1}`, style: { flex: "0 0 auto", width: "auto" } },
          ...speakers.map((s) => h("option", { value: s, selected: s === line.speaker }, s)))
        : h("input", { class: "nbd-input", "aria-label": `Speaker of line ${i + 1}`, value: line.speaker, style: { flex: "0 0 8em" } });
      const text = h("input", { class: "nbd-input", "aria-label": `Line ${i + 1}`, list: tagsId, style: { flex: "1 1 auto" },
        placeholder: model.get("placeholder") || "" });
      text.value = line.text;
      const remove = h("button", { type: "button", class: "nbd-chat-tool", "aria-label": `Remove line ${i + 1}` }, "×");
      const change = () => { const next = lines(); next[i] = { speaker: who.value, text: text.value }; commit(next); };
      who.addEventListener("change", change);
      text.addEventListener("input", change);
      text.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); emit(model, "submit"); } });
      remove.addEventListener("click", () => { const next = lines(); next.splice(i, 1); commit(next); build(); });
      row.append(who, text, remove);
      return row;
    }));
  };
  build();
  // the page's own edits already show; rebuild for values from the server and prop changes
  watch(model, "value", () => { if (!list.contains(document.activeElement)) build(); }, signal);
  watch(model, ["speakers", "tags", "color_map", "interactive", "_editable", "submit_btn", "placeholder"], build, signal);
}
