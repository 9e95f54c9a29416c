// The public board: the receipt lookup, and the whole board checked on this device
// (board-check.js). The receipt lookup: the receipt is read as Crockford base32 reads it (any
// case, dashes and spaces ignored, O as 0, I and L as 1), as the server does; a text that
// cannot be a receipt is explained here instead of being looked up.

import { checkOutcome, checkPublicBoard } from "./board-check.js";
import { cleanCode, formatReceipt, getJson, normaliseReceipt, readMessages, translate } from "./common.js";
import { statusLine } from "./progress.js";

/** What to send for a typed receipt: "ABCD-EFGH", a tracker prefix (≥ 8 hex digits), or null. */
export function receiptQuery(text) {
  const receipt = normaliseReceipt(text);
  if (receipt) return receipt;
  const cleaned = cleanCode(text);
  return /^[0-9A-F]{8,64}$/.test(cleaned) ? cleaned : null;
}

function start(form) {
  const input = form.querySelector("#tracker");
  const error = document.querySelector("[data-receipt-error]");
  const table = readMessages(document);
  input.addEventListener("input", () => {
    error.hidden = true;
    if (input.selectionStart !== input.value.length) return;
    const formatted = formatReceipt(input.value);
    if (formatted !== input.value) input.value = formatted;
  });
  form.addEventListener("submit", (event) => {
    if (!cleanCode(input.value)) return; // nothing typed: the whole board
    const query = receiptQuery(input.value);
    if (!query) {
      event.preventDefault();
      error.textContent = translate(table, { key: "invalid" });
      error.hidden = false;
      input.focus();
      return;
    }
    input.value = query;
  });
}

const form = typeof document !== "undefined" ? document.querySelector("[data-receipt-form]") : null;
if (form) start(form);

// ---------- the whole board, checked on this device ----------

function startCheck(box) {
  const table = readMessages(document);
  const button = box.querySelector("[data-check-start]");
  const status = statusLine(box.querySelector("[data-check-status]"));
  const bar = box.querySelector("[data-check-progress]");
  const show = (outcome) => status(translate(table, outcome.message), outcome.tone);
  button.addEventListener("click", async () => {
    button.disabled = true;
    bar.hidden = false;
    show({ message: { key: "checkRunning" }, tone: "" });
    const onProgress = (done, total) => {
      bar.querySelector("[data-bar]").style.width = `${total ? Math.round((100 * done) / total) : 100}%`;
      if (done >= total) show({ message: { key: "checkCombining" }, tone: "" });
    };
    let outcome;
    try {
      const [manifest, board] = await Promise.all([box.dataset.manifest, box.dataset.board].map(fetchText));
      outcome = { result: await checkPublicBoard(manifest, board, box.dataset.fingerprint, { onProgress }) };
    } catch (error) {
      console.warn(error);
      outcome = { error };
    }
    bar.hidden = true;
    button.disabled = false;
    show(checkOutcome(outcome));
  });
}

async function fetchText(url) {
  let response;
  try {
    response = await getJson(url, { credentials: "omit" });
  } catch {
    throw { offline: true };
  }
  if (!response.ok) throw { code: `HTTP ${response.status}` };
  return response.text();
}

const checkBox = typeof document !== "undefined" ? document.querySelector("[data-board-check]") : null;
if (checkBox) startCheck(checkBox);
