// Hashing: SHA-256/512 through WebCrypto, the protocol's hash-to-scalar, canonical JSON and
// the election fingerprint.

import { CryptoError, bytesToBigLE, concat, subtle, utf8 } from "./bytes.js";
import { L } from "./group.js";

export async function sha512(bytes) {
  return new Uint8Array(await subtle().digest("SHA-512", bytes));
}

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest("SHA-256", bytes));
}

/** Hs(x) = SHA-512(x) as a little-endian integer, mod L (protocol §1). */
export async function hashToScalar(...parts) {
  return bytesToBigLE(await sha512(concat(...parts))) % L;
}

/** "ballot/v1/" ‖ tag ‖ 0x00: every hash input starts with this domain separator. */
export function domain(tag) {
  return concat(utf8("ballot/v1/" + tag), new Uint8Array([0]));
}

// Python's json.dumps escapes only '"', '\\' and control characters below 0x20 when
// ensure_ascii=False, with \n \r \t \b \f short forms and \u00XX (lowercase hex) otherwise.
// JSON.stringify uses the same short forms and lowercase \u escapes for the rest of the
// C0 range, but it also escapes lone surrogates, which Python would refuse to encode as
// UTF-8 anyway; we refuse them too.
// Strings must already be in NFC: refused otherwise, never normalised, so that the bytes hashed
// are the bytes received (a label in NFD would otherwise keep the fingerprint of its NFC twin).
function encodeString(s) {
  if (/[\ud800-\udfff]/u.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) {
    throw new CryptoError("bad_json", "lone surrogate in string");
  }
  if (s.normalize("NFC") !== s) {
    throw new CryptoError("bad_json", `string ${JSON.stringify(s.slice(0, 40))} is not in NFC: refused, not normalised`);
  }
  return JSON.stringify(s);
}

/**
 * Canonical JSON (protocol §2): keys sorted by code point, no whitespace, literal non-ASCII,
 * strings already in NFC (keys too), integers within ±(2^53 − 1) only (anything else is an
 * error, not silently written or normalised).
 */
export function canonicalJson(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new CryptoError("bad_json", `not an integer: ${value}`);
    return String(value);
  }
  if (typeof value === "bigint") {
    // Same ±(2^53 − 1) limit as numbers, so a value never has two spellings across languages.
    if (value > 9007199254740991n || value < -9007199254740991n) throw new CryptoError("bad_json", "integer out of range");
    return value.toString();
  }
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  if (typeof value === "object") {
    // Keys compare by code point, as Python's sort does; JS's default sort compares UTF-16
    // code units, which differs only for astral characters, so compare explicitly.
    const keys = Object.keys(value);
    keys.sort(cmpCodePoints);
    return "{" + keys.map((k) => encodeString(k) + ":" + canonicalJson(value[k])).join(",") + "}";
  }
  throw new CryptoError("bad_json", `unsupported value of type ${typeof value}`);
}

function cmpCodePoints(a, b) {
  const A = Array.from(a);
  const B = Array.from(b);
  const n = Math.min(A.length, B.length);
  for (let i = 0; i < n; i++) {
    const d = A[i].codePointAt(0) - B[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return A.length - B.length;
}

export function canonicalJsonBytes(value) {
  return new TextEncoder().encode(canonicalJson(value));
}

/** Election fingerprint: SHA-256 of the manifest's canonical JSON (protocol §2). */
export async function fingerprint(manifest) {
  return sha256(canonicalJsonBytes(manifest));
}
