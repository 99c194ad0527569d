// gr.Timer: nothing to see. The engine ticks it server-side; its block takes
// no space (a hidden block is out of the flex layout, gap included).
export function render({ el }) {
  el.hidden = true;
  el.classList.add("nbd-timer");
}
