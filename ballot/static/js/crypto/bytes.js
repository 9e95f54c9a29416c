// Byte helpers shared by every module: hex, concatenation, fixed-size integers, UTF-8.
// Kept dependency-free so the same file runs in the booth, the trustee page and Node tests.

/** A protocol error with a stable machine-readable code (pages map codes to messages). */
export class CryptoError extends Error {
  constructor(code, message) {
    super(message ? `${code}: ${message}` : code);
    this.name = "CryptoError";
    this.code = code;
  }
}

const HEX = "0123456789abcdef";

/** Crockford's base32 alphabet: receipts, key cards and ballot codes all spell with it. */
export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CROCKFORD_ALIASES = { O: 0, I: 1, L: 1 };

/** The value (0-31) of one Crockford symbol, any case, O read as 0 and I, L as 1; -1 if none. */
export function crockfordValue(ch) {
  const upper = String(ch).toUpperCase();
  return CROCKFORD_ALIASES[upper] ?? CROCKFORD.indexOf(upper);
}

/**
 * WebCrypto's SubtleCrypto. Browsers only expose it in a secure context (https:// or
 * localhost): say so plainly rather than failing with a TypeError deep inside a proof.
 */
export function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw new CryptoError("no_webcrypto", "crypto.subtle is unavailable (page must be served over https or from localhost)");
  return s;
}

/** Lowercase hex of a byte array. */
export function toHex(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/**
 * Bytes from hex. The protocol writes hex in lowercase only; uppercase or odd input is
 * refused so that one value has exactly one JSON spelling.
 */
export function fromHex(hex, expectedLength) {
  if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new CryptoError("bad_hex", "expected lowercase hex");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new CryptoError("bad_hex", `expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}

/** Concatenate byte arrays (and nested arrays of them) into one Uint8Array. */
export function concat(...parts) {
  const flat = [];
  const walk = (p) => {
    if (p instanceof Uint8Array) flat.push(p);
    else if (Array.isArray(p)) p.forEach(walk);
    else throw new TypeError("concat expects Uint8Array parts");
  };
  parts.forEach(walk);
  let n = 0;
  for (const p of flat) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of flat) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** u32 big-endian, the protocol's encoding of integers inside hash inputs. */
export function u32(x) {
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new RangeError(`u32 out of range: ${x}`);
  return new Uint8Array([(x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
}

/** UTF-8 of the NFC form: the protocol hashes strings only in NFC. */
export function utf8(s) {
  return new TextEncoder().encode(s.normalize("NFC"));
}

/** Constant-length comparison (timing is not a secret here, but it costs nothing). */
export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Little-endian bytes to BigInt. */
export function bytesToBigLE(bytes) {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

/** BigInt to `length` little-endian bytes (caller guarantees it fits). */
export function bigToBytesLE(x, length) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(x & 255n);
    x >>= 8n;
  }
  if (x !== 0n) throw new RangeError("integer does not fit");
  return out;
}
