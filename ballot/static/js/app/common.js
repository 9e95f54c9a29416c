// What every page script shares: Crockford base32 (ballot codes and receipts), WebCrypto,
// JSON requests, the API's error text and the page's translated messages.
//
// The alphabet, its look-alike decoding and subtle() live once, in the crypto library
// (crypto/bytes.js); this module re-exports them so page scripts have one place to import from.

import { CROCKFORD, crockfordValue, subtle } from "../crypto/index.js";

export { CROCKFORD, crockfordValue, subtle };

// ---------- Crockford base32: ballot codes (as ballot/voting/codes.py) and receipts ----------

export const CODE_ALPHABET = CROCKFORD;
export const CHECK_ALPHABET = CROCKFORD + "*~$=U";
export const DATA_SYMBOLS = 13;
export const RECEIPT_SYMBOLS = 8;

/** Upper-case, drop spaces, tabs and dashes, read O as 0 and I, L as 1 (Crockford). */
export function cleanCode(text) {
  let out = "";
  for (const ch of String(text ?? "").toUpperCase()) {
    if (ch === " " || ch === "-" || ch === "\t" || ch === "\n" || ch === "\r") continue;
    const v = crockfordValue(ch);
    out += v >= 0 ? CROCKFORD[v] : ch;
  }
  return out;
}

/**
 * The canonical 14-symbol form of a typed code, or null when it is not a code whose check
 * symbol (65-bit value mod 37) matches: a mistyped code is caught here, before sending.
 */
export function normaliseCode(text) {
  const cleaned = cleanCode(text);
  if (cleaned.length !== DATA_SYMBOLS + 1) return null;
  let value = 0n;
  for (const ch of cleaned.slice(0, -1)) {
    const v = CODE_ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = value * 32n + BigInt(v);
  }
  const check = cleaned.slice(-1);
  if (!CHECK_ALPHABET.includes(check)) return null;
  return CHECK_ALPHABET[Number(value % 37n)] === check ? cleaned : null;
}

/** Group a (partly) typed code as the slip prints it: "ABCD-EFGH-JKMN-PQ". */
export function formatCode(text) {
  const cleaned = cleanCode(text).slice(0, DATA_SYMBOLS + 1);
  return cleaned.match(/.{1,4}/g)?.join("-") ?? "";
}

/**
 * A typed receipt as the board stores it ("ABCD-EFGH"), or null when it cannot be one:
 * 8 Crockford symbols once case, spaces, dashes and look-alikes (O, I, L) are read.
 */
export function normaliseReceipt(text) {
  const cleaned = cleanCode(text);
  if (cleaned.length !== RECEIPT_SYMBOLS) return null;
  if ([...cleaned].some((ch) => !CROCKFORD.includes(ch))) return null;
  return `${cleaned.slice(0, 4)}-${cleaned.slice(4)}`;
}

/** Group a (partly) typed receipt as the booth shows it, while typing. */
export function formatReceipt(text) {
  const cleaned = cleanCode(text);
  if (cleaned.length > RECEIPT_SYMBOLS) return cleaned; // a full tracker (hex) is kept as typed
  return cleaned.length > 4 ? `${cleaned.slice(0, 4)}-${cleaned.slice(4)}` : cleaned;
}

// ---------- WebCrypto, requests ----------

/** Whether this page may use WebCrypto (a secure context: https or localhost). */
export function hasWebCrypto() {
  return !!globalThis.crypto?.subtle;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST a JSON body; `csrf` adds the token, `credentials` defaults to none (the booth). */
export function postJson(url, body, { csrf = "", credentials = "omit" } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (csrf) headers["X-CSRFToken"] = csrf;
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    cache: "no-store",
    credentials,
  });
}

/** GET JSON (never from the cache). */
export function getJson(url, { credentials = "same-origin" } = {}) {
  return fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials });
}

/** The API error's text in the page's language ({error: {message, message_vi}}), or null. */
export function errorText(body, lang) {
  const error = body?.error;
  if (!error) return null;
  return (lang === "vi" ? error.message_vi : error.message) || error.message_vi || error.message || null;
}

/** The error text of a failed response, in the page's language, or null. */
export async function responseError(response, lang) {
  try {
    return errorText(await response.json(), lang);
  } catch {
    return null;
  }
}

// ---------- messages ----------

/** A message to show: a key of the page's message table with its parameters. */
export const msg = (key, params = {}) => ({ key, params });
/** A message already in words (the server's, in the page's language). */
export const raw = (text) => ({ text: String(text) });

/** The page's message table: the JSON block the template renders through Babel. */
export function readMessages(doc = globalThis.document, id = "messages") {
  const block = doc?.getElementById(id);
  if (!block) return {};
  try {
    return JSON.parse(block.textContent);
  } catch {
    return {};
  }
}

/** Words of a message (msg or raw) from `table`; "{name}" placeholders take its params. */
export function translate(table, message) {
  if (!message) return "";
  if (typeof message === "string") return message;
  if ("text" in message) return message.text;
  const template = table[message.key] ?? message.key;
  const params = message.params || {};
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (Array.isArray(value)) return value.join(", ");
    return value && typeof value === "object" ? translate(table, value) : String(value);
  });
}

/** The page's language, as the server rendered it into <html lang>. */
export function pageLang(doc = globalThis.document) {
  return (doc?.documentElement?.lang || "vi").slice(0, 2);
}
