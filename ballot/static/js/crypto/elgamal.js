// Exponential ElGamal on the Ed25519 subgroup: Enc(m; r) = (r·B, m·B + r·K).

import { CryptoError, toHex } from "./bytes.js";
import { BASE, IDENTITY, encodePoints, mulBase, pointFromHex } from "./group.js";
import { modL } from "./scalar.js";

/** m·B for a small non-negative count m (0·B is the identity, never sent). */
export function smallMulBase(m) {
  if (m === 0 || m === 0n) return IDENTITY;
  if (m === 1 || m === 1n) return BASE;
  return mulBase(modL(BigInt(m)));
}

/**
 * Encrypt m under the election key held by `ctx` (see manifest.js: ctx.keyTable is the
 * fixed-base table of K) with the non-zero scalar r.
 */
export function encrypt(ctx, m, r) {
  return { a: mulBase(r), b: ctx.keyTable.mul(r).add(smallMulBase(m)) };
}

/** Component-wise sum of ciphertexts (the homomorphic tally). */
export function addCiphertexts(cts) {
  let a = IDENTITY;
  let b = IDENTITY;
  for (const ct of cts) {
    a = a.add(ct.a);
    b = b.add(ct.b);
  }
  return { a, b };
}

/** JSON form {a, b} in lowercase hex. */
export function ciphertextToJson(ct) {
  const [a, b] = encodePoints([ct.a, ct.b]);
  return { a: toHex(a), b: toHex(b) };
}

/** Parse and validate a ciphertext from outside (both points must be valid, non-identity). */
export function ciphertextFromJson(j) {
  if (!j || typeof j !== "object") throw new CryptoError("bad_ciphertext", "expected an object");
  return { a: pointFromHex(j.a), b: pointFromHex(j.b) };
}
