// Zero-knowledge proofs of protocol §4, made non-interactive with Fiat-Shamir over the whole
// statement (fingerprint, election key, context, statement points, commitments).
//
// Provers know the encryption randomness, so every commitment they need can be written with
// the two fixed bases B and K only (A = (z − c·r)·B etc.): these use precomputed tables and
// cost a fraction of a variable-base multiplication. Verifiers cannot do that and use the
// general formulas of §4.

import { concat, u32 } from "./bytes.js";
import { BASE, encodePoints, mulBase } from "./group.js";
import { domain, hashToScalar } from "./hash.js";
import { modL, scalarToBytes } from "./scalar.js";

export const ROW_CONTEXT = 0xffffffff;

const TAG_BIT = domain("bit");
const TAG_ROW = domain("row");
const TAG_ROW1 = domain("row1");
const TAG_DEC = domain("dec");

function challenge(tag, ctx, context, points) {
  return hashToScalar(tag, ctx.fp, ctx.keyBytes, context, encodePoints(points));
}

/**
 * Disjunctive Chaum-Pedersen (CDS) proof that (a, b) = Enc(m; r) with m ∈ {0, 1}.
 * `rand()` yields the nonces in this order: w (real branch), c and z of the simulated branch.
 * Returns [c0, z0, c1, z1] as BigInts.
 */
export async function proveBit(ctx, tag, context, ct, m, r, rand) {
  if (m !== 0 && m !== 1) throw new RangeError("bit proof needs m in {0, 1}");
  const w = rand();
  const cs = rand();
  const zs = rand();
  const j = 1 - m; // simulated branch
  // Simulated commitments: A_j = z·B − c·a = (z − c·r)·B and
  // B_j = z·K − c·(b − j·B) = (z − c·r)·K + c·(j − m)·B.
  const t = modL(zs - cs * r);
  const Aj = mulBase(t);
  const Bj = ctx.keyTable.mul(t).add(mulBase(modL(cs * BigInt(j - m))));
  const Am = mulBase(w);
  const Bm = ctx.keyTable.mul(w);
  const commit = m === 0 ? [Am, Bm, Aj, Bj] : [Aj, Bj, Am, Bm];
  const c = await challenge(tag, ctx, context, [ct.a, ct.b, ...commit]);
  const cm = modL(c - cs);
  const zm = modL(w + cm * r);
  return m === 0 ? [cm, zm, cs, zs] : [cs, zs, cm, zm];
}

/** Verify a CDS proof [c0, z0, c1, z1] on (a, b) (points already validated). */
export async function verifyBit(ctx, tag, context, ct, proof) {
  const [c0, z0, c1, z1] = proof;
  const A0 = mulBase(z0).sub(ct.a.mul(c0));
  const B0 = ctx.keyTable.mul(z0).sub(ct.b.mul(c0));
  const A1 = mulBase(z1).sub(ct.a.mul(c1));
  // c1·(b − B) = c1·b − c1·B: keeps the variable-base work on b alone.
  const B1 = ctx.keyTable.mul(z1).sub(ct.b.mul(c1)).add(mulBase(c1));
  const c = await challenge(tag, ctx, context, [ct.a, ct.b, A0, B0, A1, B1]);
  return modL(c0 + c1) === c;
}

/** Bit proof for level k of subject i (TAG "bit"). */
export const proveCiphertextBit = (ctx, i, k, ct, m, r, rand) =>
  proveBit(ctx, TAG_BIT, concat(u32(i), u32(k)), ct, m, r, rand);
export const verifyCiphertextBit = (ctx, i, k, ct, proof) =>
  verifyBit(ctx, TAG_BIT, concat(u32(i), u32(k)), ct, proof);

/** Row proof (TAG "row"): the row sum encrypts 0 or 1. */
export const proveRow = (ctx, i, sum, m, r, rand) =>
  proveBit(ctx, TAG_ROW, concat(u32(i), u32(ROW_CONTEXT)), sum, m, r, rand);
export const verifyRow = (ctx, i, sum, proof) =>
  verifyBit(ctx, TAG_ROW, concat(u32(i), u32(ROW_CONTEXT)), sum, proof);

/**
 * Row proof (TAG "row1") when a blank row is not allowed: plain Chaum-Pedersen proof that
 * (Σa, Σb − B) is a DH pair for (B, K), i.e. the row sum encrypts exactly 1. Returns [c, z].
 */
export async function proveRow1(ctx, i, sum, r, rand) {
  const w = rand();
  const A = mulBase(w);
  const C = ctx.keyTable.mul(w);
  const c = await challenge(TAG_ROW1, ctx, concat(u32(i), u32(ROW_CONTEXT)), [sum.a, sum.b, A, C]);
  return [c, modL(w + c * r)];
}

export async function verifyRow1(ctx, i, sum, proof) {
  const [c, z] = proof;
  const A = mulBase(z).sub(sum.a.mul(c));
  const C = ctx.keyTable.mul(z).sub(sum.b.sub(BASE).mul(c));
  const e = await challenge(TAG_ROW1, ctx, concat(u32(i), u32(ROW_CONTEXT)), [sum.a, sum.b, A, C]);
  return e === c;
}

/**
 * Decryption share proof (TAG "dec"): D = s·a and V = s·B share the discrete log s.
 * Returns [c, z]. `V` is the trustee's verification key (s·B).
 */
export async function proveDecryption(ctx, x, i, k, ct, s, V, D, rand) {
  const w = rand();
  const A = mulBase(w);
  const C = ct.a.mul(w);
  const c = await challenge(TAG_DEC, ctx, concat(u32(x), u32(i), u32(k)), [ct.a, ct.b, V, D, A, C]);
  return [c, modL(w + c * s)];
}

export async function verifyDecryption(ctx, x, i, k, ct, V, D, proof) {
  const [c, z] = proof;
  const A = mulBase(z).sub(V.mul(c));
  const C = ct.a.mul(z).sub(D.mul(c));
  const e = await challenge(TAG_DEC, ctx, concat(u32(x), u32(i), u32(k)), [ct.a, ct.b, V, D, A, C]);
  return e === c;
}

/** Scalars of a proof as bytes (for canonical ballot bytes). */
export const proofBytes = (proof) => proof.map(scalarToBytes);
