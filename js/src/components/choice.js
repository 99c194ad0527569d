import { h, emit, setValue, watch, editable, frame, nameControl, uid } from "../util.js";

export function checkbox({ model, el, signal }) {
  const f = frame(model, el, "checkbox", { signal, labelFor: false });
  const input = h("input", { type: "checkbox", id: f.id });
  const text = h("span");
  const lab = h("label", { class: "nbd-check", for: f.id }, input, text);
  f.body.append(lab);
  const apply = () => {
    input.checked = !!model.get("value");
    input.disabled = !editable(model);
    // The control's own label carries the component label (Gradio shows it beside the box).
    text.textContent = model.get("label") || "";
    f.label.hidden = true;
  };
  apply();
  input.addEventListener("change", () => {
    setValue(model, input.checked);
    emit(model, "input");
    emit(model, "change");
    emit(model, "select", { index: null, value: model.get("label"), selected: input.checked });
  });
  watch(model, ["value", "interactive", "_editable", "label"], apply, signal);
}

function group({ model, el, signal }, kind) {
  const f = frame(model, el, kind, { signal, labelFor: false });
  const fieldset = h("div", { role: kind === "radio" ? "radiogroup" : "group", class: "nbd-choices" });
  fieldset.setAttribute("aria-labelledby", `${f.id}-label`);
  f.body.append(fieldset);
  const name = uid("grp");
  const build = () => {
    // the inputs are rebuilt: keep the keyboard focus on the same choice
    const inputs = () => [...fieldset.querySelectorAll("input")];
    const focused = inputs().indexOf(document.activeElement);
    const value = model.get("value");
    const selected = kind === "radio" ? [value] : value || [];
    const items = (model.get("choices") || []).map(([label, v], i) => {
      const id = `${name}-${i}`;
      const input = h("input", { type: kind === "radio" ? "radio" : "checkbox", id, name });
      input.checked = selected.some((s) => s === v);
      input.disabled = !editable(model);
      input.addEventListener("change", () => {
        let next;
        if (kind === "radio") next = v;
        else {
          const cur = model.get("value") || [];
          next = input.checked ? [...cur.filter((x) => x !== v), v] : cur.filter((x) => x !== v);
          const order = (model.get("choices") || []).map((c) => c[1]);
          next.sort((a, b) => order.indexOf(a) - order.indexOf(b));
        }
        setValue(model, next);
        emit(model, "input");
        emit(model, "change");
        emit(model, "select", { index: i, value: v, selected: input.checked });
      });
      return h("label", { class: "nbd-check", for: id }, input, h("span", {}, label));
    });
    fieldset.replaceChildren(...items);
    if (focused >= 0) inputs()[focused]?.focus();
  };
  build();
  watch(model, ["value", "choices", "interactive", "_editable"], build, signal);
}

export const checkboxgroup = (ctx) => group(ctx, "checkboxgroup");
export const radio = (ctx) => group(ctx, "radio");

export function dropdown({ model, el, signal }) {
  const f = frame(model, el, "dropdown", { signal });
  let refocusing = false;
  const build = () => {
    const hadFocus = el.contains(document.activeElement);
    const choices = model.get("choices") || [];
    const multi = model.get("multiselect");
    const custom = model.get("allow_custom_value") && !multi;
    const value = model.get("value");
    let control;
    if (custom) {
      const listId = uid("list");
      control = h("input", { type: "text", class: "nbd-input", list: listId, id: f.id });
      const labelOf = choices.find((c) => c[1] === value);
      control.value = value === null || value === undefined ? "" : labelOf ? labelOf[0] : String(value);
      const list = h("datalist", { id: listId }, ...choices.map(([l]) => h("option", { value: l })));
      control.addEventListener("input", () => {
        const hit = choices.find((c) => c[0] === control.value);
        setValue(model, hit ? hit[1] : control.value === "" ? null : control.value);
        emit(model, "input");
        emit(model, "change");
      });
      f.body.replaceChildren(control, list);
    } else {
      control = h("select", { class: "nbd-input nbd-select", id: f.id, multiple: multi });
      if (!multi) control.append(h("option", { value: "" }, "—"));
      const selected = multi ? value || [] : [value];
      choices.forEach(([label, v], i) => {
        const opt = h("option", { value: String(i) }, label);
        opt.selected = selected.some((s) => s === v);
        control.append(opt);
      });
      if (!multi && (value === null || value === undefined)) control.value = "";
      control.addEventListener("change", () => {
        const picked = [...control.selectedOptions].filter((o) => o.value !== "").map((o) => choices[Number(o.value)][1]);
        const next = multi ? picked : picked.length ? picked[0] : null;
        setValue(model, next);
        emit(model, "input");
        emit(model, "change");
        const i = multi ? null : control.selectedIndex - 1;
        emit(model, "select", { index: i, value: multi ? next : next, selected: true });
      });
      f.body.replaceChildren(control);
    }
    control.disabled = !editable(model);
    control.addEventListener("keyup", (e) => {
      // KeyUpData: the key, and the text in the box (a <select>: the chosen option's label)
      const text = custom ? control.value : [...control.selectedOptions].map((o) => o.textContent).join(", ");
      emit(model, "key_up", { key: e.key, input_value: text });
    });
    control.addEventListener("focus", () => { if (!refocusing) emit(model, "focus"); });
    control.addEventListener("blur", () => { if (control.isConnected) emit(model, "blur"); });
    nameControl(control, model);
    if (hadFocus) {
      // the control was rebuilt under the user: keep the keyboard focus, silently
      refocusing = true;
      control.focus();
      refocusing = false;
    }
  };
  build();
  watch(model, ["value", "choices", "multiselect", "allow_custom_value", "interactive", "_editable", "label", "show_label"], () => {
    if (document.activeElement && el.contains(document.activeElement) && model.get("allow_custom_value")) return;
    build();
  }, signal);
}
