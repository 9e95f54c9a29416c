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
function encodeString(s) {
  if (/[\ud800-\udfff]/u.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) {
    throw new CryptoError("bad_json", "lone surrogate in string");
  }
  return JSON.stringify(s.normalize("NFC"));
}

/**
 * Canonical JSON (protocol §2): keys sorted by code point, no whitespace, literal non-ASCII,
 * NFC strings, integers only (a non-integer number is an error, not silently written).
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
    const keys = Object.keys(value).map((k) => [k.normalize("NFC"), k]);
    keys.sort((x, y) => cmpCodePoints(x[0], y[0]));
    for (let i = 1; i < keys.length; i++) {
      if (keys[i][0] === keys[i - 1][0]) throw new CryptoError("bad_json", "duplicate key after NFC");
    }
    return "{" + keys.map(([n, k]) => encodeString(n) + ":" + canonicalJson(value[k])).join(",") + "}";
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
