// The counting member's check of a whole election board in one multi-scalar multiplication
// (protocol §10.10): sequence, trackers, chain and repeated points as in election-board.js,
// then every proof equation of every ballot combined with fresh 128-bit weights, multiplied
// by the cofactor 8, and the C aggregates checked for prime order before anything is
// decrypted. If the combination fails, the board is re-checked ballot by ballot
// (checkElectionBoard) to name the first bad entry.

import { CryptoError, fromHex, toHex, u32 } from "./bytes.js";
import { aggregateToJson, boardEntries, chainHash } from "./board.js";
import { checkElectionBoard } from "./election-board.js";
import { canonicalElectionBallotBytes, smallMul } from "./election.js";
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
 * The proof part of §10.10 for a list of ballots whose shape was checked: every point
 * decoded (not the identity), every equation weighted, 8·Σ ρ·E tested. Returns {holds,
 * sums} (sums[j] = the candidates' partial aggregate {a, b}); a bad encoding throws a
 * CryptoError with `.index` (0-based in `ballots`).
 */
export async function batchBallots(ctx, sh, ballots, onEach) {
  const points = [];
  const scalars = [];
  let baseCoef = 0n;
  let keyCoef = 0n;
  const sums = Array.from({ length: sh.candidates }, () => ({ a: IDENTITY, b: IDENTITY }));
  // a term −ρ·P with a 128-bit ρ is added as ρ·(−P), keeping the scalar short
  const term = (p, s) => {
    points.push(p);
    scalars.push(s);
  };
  for (let idx = 0; idx < ballots.length; idx++) {
    const ballot = ballots[idx];
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
        x = x.sub(smallMul(ct.a, sh.weights[i]));
        y = y.sub(smallMul(ct.b, sh.weights[i]));
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
      if (e instanceof CryptoError) e.index = idx;
      throw e;
    }
    if (onEach) onEach(idx);
  }
  const total = multiScalarMul(points, scalars).add(mulBase(modL(baseCoef))).add(ctx.keyTable.mul(modL(keyCoef)));
  return { holds: total.double().double().double().isIdentity(), sums };
}

/**
 * Check an election board as §10.10 says and return what checkElectionBoard returns
 * ({aggregate, head, count, trackers}). Options: onProgress(done, total); workers (Web
 * Workers checking contiguous parts of the board, each with its own weights; default one
 * per core, at most 8, in a browser when the context came from loadManifest and the board
 * has ≥ 8 entries; in-thread if they cannot start). Throws CryptoError("bad_board") naming
 * the first bad entry, or CryptoError("bad_aggregate") if a sum is not of prime order.
 */
export async function checkElectionBoardBatch(ctx, sh, board, { onProgress, workers } = {}) {
  const entries = boardEntries(board);
  let head = ctx.fp;
  const seen = new Set();
  const trackers = [];
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
    const cells = [...entry.ballot.cts, ...entry.ballot.range.bits];
    for (const p of cells.flatMap((c) => [c.a, c.b])) {
      if (seen.has(p)) throw bad(n, "repeats a ciphertext point already on the board");
      seen.add(p);
    }
    trackers.push(tracker);
  }
  const ballots = entries.map((e) => e.ballot);
  const count = workerCount(ctx, entries, workers);
  let parts = count > 1 ? await batchInWorkers(ctx, ballots, count, onProgress) : null;
  if (parts === null) {
    try {
      parts = [await batchBallots(ctx, sh, ballots, (i) => onProgress && onProgress(i + 1, ballots.length))];
    } catch (e) {
      if (e instanceof CryptoError && e.index !== undefined) throw bad(e.index + 1, `invalid ballot (${e.message})`);
      throw e;
    }
  }
  const failed = parts.find((p) => p.error);
  if (failed) throw bad(failed.error.index + 1, `invalid ballot (${failed.error.message})`);
  if (!parts.every((p) => p.holds)) {
    await checkElectionBoard(ctx, sh, board); // names the first bad entry (throws)
    throw new CryptoError("bad_board", "the batch check fails (a point with a small-order part?)");
  }
  const sums = Array.from({ length: sh.candidates }, () => ({ a: IDENTITY, b: IDENTITY }));
  for (const part of parts) {
    part.sums.forEach((s, j) => {
      sums[j] = { a: sums[j].a.add(s.a), b: sums[j].b.add(s.b) };
    });
  }
  for (const [j, s] of sums.entries()) {
    if (!s.a.mul(L).isIdentity() || !s.b.mul(L).isIdentity()) {
      throw new CryptoError("bad_aggregate", `the sum for candidate ${j + 1} is not of prime order`);
    }
  }
  return { aggregate: sums.map((s) => [s]), head: toHex(head), count: entries.length, trackers };
}

function workerCount(ctx, entries, requested) {
  if (typeof Worker !== "function" || !ctx.manifest) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (entries.length < 8) return 1;
  const cores = (typeof navigator !== "undefined" && navigator.hardwareConcurrency) || 2;
  return Math.min(cores, 8);
}

/** Parts of the board on `count` module workers; null if they cannot run. Partial sums
 * come back as hex from our own workers and are decoded without the subgroup check (the
 * total is checked for prime order). */
function batchInWorkers(ctx, ballots, count, onProgress) {
  const size = Math.ceil(ballots.length / count);
  const chunks = [];
  for (let start = 0; start < ballots.length; start += size) chunks.push(start);
  const parts = new Array(chunks.length);
  const pool = [];
  return new Promise((resolve) => {
    let finished = false;
    let done = 0;
    let checked = 0;
    const finish = (value) => {
      if (finished) return;
      finished = true;
      pool.forEach((w) => w.terminate());
      resolve(value);
    };
    try {
      const url = new URL("./election-batch-worker.js", import.meta.url);
      for (let i = 0; i < chunks.length; i++) pool.push(new Worker(url, { type: "module" }));
    } catch {
      finish(null);
      return;
    }
    pool.forEach((w, i) => {
      const start = chunks[i];
      w.onerror = (ev) => {
        if (ev && ev.preventDefault) ev.preventDefault();
        finish(null);
      };
      w.onmessage = ({ data }) => {
        if (data.type === "ready") {
          w.postMessage({ type: "check", ballots: ballots.slice(start, start + size) });
        } else if (data.type === "progress") {
          checked += 1;
          if (onProgress) onProgress(checked, ballots.length);
        } else if (data.type === "done") {
          parts[i] = data.error
            ? { error: { index: start + data.error.index, message: data.error.message } }
            : { holds: data.holds, sums: data.sums.map(({ a, b }) => ({ a: decodePointUnchecked(fromHex(a, 32)), b: decodePointUnchecked(fromHex(b, 32)) })) };
          done += 1;
          if (done === chunks.length) finish(parts);
        } else {
          finish(null);
        }
      };
      w.postMessage({ type: "init", manifest: ctx.manifest, fp: ctx.fpHex });
    });
  });
}

export { aggregateToJson };
