// The counting member's check of a whole election board in one multi-scalar multiplication
// (protocol §10.11): sequence, trackers, chain and repeated points as in election-board.js,
// then every proof equation of every ballot combined with fresh 128-bit weights, multiplied
// by the cofactor 8, and the C aggregates checked for prime order before anything is
// decrypted. If the combination fails, the board is re-checked ballot by ballot
// (checkElectionBoard) to name the first bad entry.

import { CryptoError, fromHex, toHex, u32 } from "./bytes.js";
import { aggregateToJson, boardEntries, chainHash } from "./board.js";
import { checkElectionBoard } from "./election-board.js";
import { canonicalElectionBallotBytes } from "./election.js";
import { IDENTITY, L, decodePointUnchecked, encodePoints, mulBase } from "./group.js";
import { domain, hashToScalar, sha256 } from "./hash.js";
import { modL, scalarFromHex } from "./scalar.js";

const TAGS = { ebit: domain("ebit"), rbit: domain("rbit") };
const TAG_ESUM = domain("esum");

function weight() {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** Σ s_i·P_i (Pippenger, unsigned c-bit windows); scalars in [0, 2^253). */
export function multiScalarMul(points, scalars) {
  const n = points.length;
  if (n === 0) return IDENTITY;
  const c = n < 64 ? 4 : n < 2048 ? 8 : n < 16384 ? 10 : 12;
  const mask = (1 << c) - 1;
  const bigMask = BigInt(mask);
  const windows = Math.ceil(253 / c);
  const digits = scalars.map((s) => {
    const out = [];
    while (s > 0n) {
      out.push(Number(s & bigMask));
      s >>= BigInt(c);
    }
    return out;
  });
  let acc = null;
  for (let w = windows - 1; w >= 0; w--) {
    if (acc) for (let i = 0; i < c; i++) acc = acc.double();
    const buckets = new Array(mask).fill(null);
    for (let i = 0; i < n; i++) {
      const d = digits[i][w];
      if (d) buckets[d - 1] = buckets[d - 1] ? buckets[d - 1].add(points[i]) : points[i];
    }
    let sum = null;
    let total = null;
    for (let j = mask - 1; j >= 0; j--) {
      if (buckets[j]) sum = sum ? sum.add(buckets[j]) : buckets[j];
      if (sum) total = total ? total.add(sum) : sum;
    }
    if (total) acc = acc ? acc.add(total) : total;
  }
  return acc || IDENTITY;
}

const bad = (n, why) => {
  const e = new CryptoError("bad_board", `entry ${n}: ${why}`);
  e.entry = n;
  return e;
};

function decode(hex) {
  const p = decodePointUnchecked(fromHex(hex, 32));
  if (p.isIdentity()) throw new CryptoError("bad_point", "identity");
  return p;
}

/**
 * Check an election board as §10.11 says and return what checkElectionBoard returns
 * ({aggregate, head, count, trackers}). Throws CryptoError("bad_board") naming the first
 * bad entry, or CryptoError("bad_aggregate") if a sum is not of prime order.
 */
export async function checkElectionBoardBatch(ctx, sh, board, { onProgress } = {}) {
  const entries = boardEntries(board);
  const points = [];
  const scalars = [];
  let baseCoef = 0n;
  let keyCoef = 0n;
  let head = ctx.fp;
  const seen = new Set();
  const trackers = [];
  const sums = Array.from({ length: sh.candidates }, () => ({ a: IDENTITY, b: IDENTITY }));
  // a term −ρ·P with a 128-bit ρ is added as ρ·(−P), keeping the scalar short
  const term = (p, s) => {
    points.push(p);
    scalars.push(s);
  };
  for (let idx = 0; idx < entries.length; idx++) {
    const n = idx + 1;
    const entry = entries[idx];
    if (!entry || typeof entry !== "object" || entry.seq !== n) throw bad(n, "seq");
    let bytes;
    try {
      bytes = canonicalElectionBallotBytes(ctx, sh, entry.ballot);
    } catch (e) {
      throw bad(n, `invalid ballot (${e.message})`);
    }
    const tracker = toHex(await sha256(bytes));
    if (entry.tracker !== tracker) throw bad(n, "tracker is not the hash of the ballot");
    head = await chainHash(head, fromHex(tracker, 32), n);
    if (entry.chain !== toHex(head)) throw bad(n, "chain hash differs");
    const ballot = entry.ballot;
    const cells = [...ballot.cts, ...ballot.range.bits];
    for (const p of cells.flatMap((c) => [c.a, c.b])) {
      if (seen.has(p)) throw bad(n, "repeats a ciphertext point already on the board");
      seen.add(p);
    }
    trackers.push(tracker);
    const cts = [];
    try {
      for (const [tag, list] of [["ebit", ballot.cts], ["rbit", ballot.range.bits]]) {
        for (let j = 0; j < list.length; j++) {
          const cell = list[j];
          const raw = [cell.a, cell.b, ...cell.proof.slice(0, 4)].map((h) => fromHex(h, 32));
          const [a, b, A0, B0, A1, B1] = [cell.a, cell.b, ...cell.proof.slice(0, 4)].map(decode);
          const [c0, z0, z1] = cell.proof.slice(4).map(scalarFromHex);
          const c = await hashToScalar(TAGS[tag], ctx.fp, ctx.keyBytes, u32(j), ...raw);
          const c1 = modL(c - c0);
          const r1 = weight(), r2 = weight(), r3 = weight(), r4 = weight();
          baseCoef += r1 * z0 + r3 * z1 + r4 * c1;
          keyCoef += r2 * z0 + r4 * z1;
          term(A0.negate(), r1);
          term(B0.negate(), r2);
          term(A1.negate(), r3);
          term(B1.negate(), r4);
          term(a, modL(-(r1 * c0 + r3 * c1)));
          term(b, modL(-(r2 * c0 + r4 * c1)));
          cts.push({ a, b });
        }
      }
      const cands = cts.slice(0, sh.candidates);
      let x = IDENTITY;
      let y = mulBase(BigInt(sh.minKept)).negate();
      for (const ct of cands) {
        x = x.add(ct.a);
        y = y.add(ct.b);
      }
      cts.slice(sh.candidates).forEach((ct, i) => {
        const w = BigInt(sh.weights[i]);
        x = x.sub(ct.a.mul(w));
        y = y.sub(ct.b.mul(w));
      });
      const [pHex, qHex, zHex] = ballot.range.proof;
      const P = decode(pHex);
      const Q = decode(qHex);
      const z = scalarFromHex(zHex);
      const context = [u32(sh.candidates), u32(sh.minKept), u32(sh.seats), u32(sh.weights.length)];
      const enc = encodePoints([...cts.flatMap((ct) => [ct.a, ct.b]), x, y]);
      const c = await hashToScalar(TAG_ESUM, ctx.fp, ctx.keyBytes, context, ...enc, fromHex(pHex, 32), fromHex(qHex, 32));
      const r5 = weight(), r6 = weight();
      baseCoef += r5 * z;
      keyCoef += r6 * z;
      term(P.negate(), r5);
      term(Q.negate(), r6);
      term(x, modL(-r5 * c));
      term(y, modL(-r6 * c));
      cands.forEach((ct, j) => {
        sums[j] = { a: sums[j].a.add(ct.a), b: sums[j].b.add(ct.b) };
      });
    } catch (e) {
      if (e instanceof CryptoError) throw bad(n, `invalid ballot (${e.message})`);
      throw e;
    }
    if (onProgress) onProgress(n, entries.length);
  }
  const total = multiScalarMul(points, scalars).add(mulBase(modL(baseCoef))).add(ctx.keyTable.mul(modL(keyCoef)));
  if (!total.double().double().double().isIdentity()) {
    await checkElectionBoard(ctx, sh, board); // names the first bad entry (throws)
    throw new CryptoError("bad_board", "the batch check fails (a point with a small-order part?)");
  }
  for (const [j, s] of sums.entries()) {
    if (!s.a.mul(L).isIdentity() || !s.b.mul(L).isIdentity()) {
      throw new CryptoError("bad_aggregate", `the sum for candidate ${j + 1} is not of prime order`);
    }
  }
  return { aggregate: sums.map((s) => [s]), head: toHex(head), count: entries.length, trackers };
}

export { aggregateToJson };
