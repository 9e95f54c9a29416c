// Scalars mod L: strict decoding (a value ≥ L is refused, never reduced), encoding, and
// unbiased random scalars. Randomness is injectable so known-answer vectors can be replayed.

import { CryptoError, bytesToBigLE, bigToBytesLE, fromHex, toHex } from "./bytes.js";
import { L } from "./group.js";

export { L };

export const modL = (x) => {
  const r = x % L;
  return r < 0n ? r + L : r;
};

/** 32 little-endian bytes of a scalar in [0, L). */
export function scalarToBytes(s) {
  if (typeof s !== "bigint" || s < 0n || s >= L) throw new RangeError("scalar out of range");
  return bigToBytesLE(s, 32);
}

export const scalarToHex = (s) => toHex(scalarToBytes(s));

/** Decode 32 little-endian bytes; refuses values ≥ L (protocol §1). */
export function scalarFromBytes(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new CryptoError("bad_scalar", "expected 32 bytes");
  const s = bytesToBigLE(bytes);
  if (s >= L) throw new CryptoError("bad_scalar", "not reduced mod L");
  return s;
}

export function scalarFromHex(hex) {
  try {
    return scalarFromBytes(fromHex(hex, 32));
  } catch (e) {
    if (e instanceof CryptoError) throw new CryptoError("bad_scalar", e.message);
    throw e;
  }
}

/** The platform's CSPRNG (browser and Node 20 both expose globalThis.crypto). */
export function systemRandomBytes(n) {
  const c = globalThis.crypto;
  if (!c || typeof c.getRandomValues !== "function") throw new CryptoError("no_random", "crypto.getRandomValues is missing");
  const out = new Uint8Array(n);
  c.getRandomValues(out);
  return out;
}

/**
 * A random non-zero scalar: 64 random bytes as a little-endian integer mod L (bias below
 * 2^-250), drawn again if zero. `randomBytes(n)` may be replaced by a deterministic source
 * to replay known-answer vectors.
 */
export function randomScalar(randomBytes = systemRandomBytes) {
  for (;;) {
    const s = bytesToBigLE(randomBytes(64)) % L;
    if (s !== 0n) return s;
  }
}
