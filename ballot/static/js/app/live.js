// Live turnout: poll the vote's status and update the numbers in place (no choices, ever).
const box = document.querySelector("[data-live]");
if (box) {
  const url = box.dataset.live;
  const reloadOn = box.dataset.reloadOn;
  let state = null;
  async function refresh() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return;
      const status = await response.json();
      for (const el of box.querySelectorAll("[data-field]")) {
        const value = status[el.dataset.field];
        if (value !== undefined && String(value) !== el.textContent) el.textContent = String(value);
      }
      if (state !== null && status.state !== state) {
        if (!reloadOn || status.state === reloadOn) window.location.reload();
      }
      state = status.state;
    } catch (error) {
      // The room's Wi-Fi may drop for a moment; the next poll catches up.
    }
  }
  refresh();
  setInterval(refresh, 2000);
}

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
