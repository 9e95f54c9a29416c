// The public board's receipt lookup: the receipt is read as Crockford base32 reads it (any
// case, dashes and spaces ignored, O as 0, I and L as 1), as the server does; a text that
// cannot be a receipt is explained here instead of being looked up.

import { cleanCode, formatReceipt, normaliseReceipt, readMessages, translate } from "./common.js";

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
