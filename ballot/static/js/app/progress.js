// The status line and the step list shared by the counting committee's device pages
// (key ceremony, decryption).

/** Return status(text, tone): show a message in `box` (hidden when empty). */
export function statusLine(box) {
  return (text, tone = "") => {
    box.hidden = !text;
    box.textContent = text || "";
    box.className = `status-box ${tone}`;
  };
}

/** Return step(name, phase, detail): mark a step of `list` active, done or failed. */
export function stepList(list) {
  return (name, phase, detail) => {
    const li = list.querySelector(`[data-step="${name}"]`);
    li.classList.remove("active", "done", "failed");
    if (phase) li.classList.add(phase);
    if (detail !== undefined) li.querySelector("[data-detail]").textContent = detail;
    if (phase === "active") li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  };
}
