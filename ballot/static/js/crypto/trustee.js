// A counting-committee member's side of the tally: recompute the aggregate from the closed
// board, make the partial decryption D = s·a of every cell with its "dec" proof. The share s
// stays in this device's memory; only D and the proofs leave. Verification and combination
// are here too so that a page (and the tests) can check what others published.

import { CryptoError, bytesEqual, toHex } from "./bytes.js";
import { BASE, IDENTITY, encodePoints, pointOrIdentityFromHex } from "./group.js";
import { checkBoard, checkClosing } from "./board.js";
export { aggregateToJson } from "./board.js";
import { verifyManifestKeys } from "./dkg.js";
import { parseJson } from "./json.js";
import { proveDecryption, verifyDecryption } from "./proofs.js";
import { modL, randomScalar, scalarFromHex, scalarToHex, L } from "./scalar.js";

/** Refuse a key that does not belong to this election (wrong ceremony or wrong V_x). */
function checkKeyFits(ctx, key) {
  if (key.ceremonyId !== undefined && ctx.ceremonyId !== undefined && key.ceremonyId !== ctx.ceremonyId) {
    throw new CryptoError("wrong_key", "the key file belongs to another key ceremony");
  }
  const V = ctx.verificationKey(key.index);
  if (!bytesEqual(V.toBytes(), key.verificationKey.toBytes())) {
    throw new CryptoError("wrong_key", `the key file does not match trustee ${key.index}'s verification key`);
  }
  return V;
}

/**
 * Decryption share of an aggregate grid (rows[i][k] = {a, b} points) — one w per cell, row
 * by row (protocol §4.3). `key` = {index, share (BigInt), verificationKey (Point)}.
 * Returns {index, parts: [[{d, proof: [c, z]}]]} as JSON.
 */
export async function decryptionShare(ctx, grid, key, rand = () => randomScalar()) {
  const V = key.verificationKey;
  const parts = [];
  for (let i = 0; i < grid.length; i++) {
    const row = [];
    for (let k = 0; k < grid[i].length; k++) {
      const ct = grid[i][k];
      const D = ct.a.mul(key.share);
      const proof = await proveDecryption(ctx, key.index, i, k, ct, key.share, V, D, rand);
      row.push({ d: toHex(encodePoints([D])[0]), proof: proof.map(scalarToHex) });
    }
    parts.push(row);
  }
  return { index: key.index, parts };
}

/**
 * The member's whole job at counting (protocol §7.4): check the election's key ceremony
 * (when the context has a manifest), the closed board as a verifier does (every ballot
 * proof, tracker, chain, no repeated point) and its closing block, recompute the aggregate
 * of ALL its ballots, and decrypt that — nothing else.
 *
 * `board`: the API's board ({entries, closing}), a record ({board, closing}) or an array of
 * entries (then pass `closing`). Options:
 *   closing        {count, head, hash, attendance} (default: board.closing; required)
 *   closingHash    the hash announced in the room; refused ("bad_closing") if it differs
 *   onProgress     (done, total) as ballots are checked
 *   workers        Web Workers for the board check (see checkBoard; default: the cores)
 *   rand           nonce source (tests)
 * Returns {share (the JSON to submit), aggregate (points), head, count, closingHash}.
 */
export async function partialDecrypt(ctx, board, key, { closing, closingHash: announced, onProgress, workers, rand } = {}) {
  // Board as JSON text (preferred: parsed strictly, duplicate keys and 1.0 refused) or object.
  if (typeof board === "string") board = parseJson(board);
  checkKeyFits(ctx, key);
  if (ctx.manifest) await verifyManifestKeys(ctx.manifest);
  const checked = await checkBoard(ctx, board, { onProgress, workers });
  const hash = await checkClosing(ctx, checked, closing || (board && board.closing));
  if (announced !== undefined && announced !== hash) {
    throw new CryptoError("bad_closing", "the closing hash differs from the one announced in the room");
  }
  const share = await decryptionShare(ctx, checked.aggregate, key, rand);
  return { share, aggregate: checked.aggregate, head: checked.head, count: checked.count, closingHash: hash };
}

/**
 * Check another member's published share against V_x and the aggregate; returns the points
 * D[i][k]. Throws CryptoError("bad_share") naming the member and cell.
 */
export async function verifyDecryptionShare(ctx, grid, doc) {
  const fail = (why) => new CryptoError("bad_share", why);
  if (!doc || typeof doc !== "object" || Object.keys(doc).sort().join() !== "index,parts") throw fail("malformed decryption share");
  const x = doc.index;
  if (!Number.isInteger(x) || x < 1 || x > ctx.trustees) throw fail(`no counting-committee member ${x}`);
  const V = ctx.verificationKey(x);
  if (!Array.isArray(doc.parts) || doc.parts.length !== ctx.subjects) throw fail(`member ${x}: wrong number of rows`);
  const points = [];
  for (let i = 0; i < ctx.subjects; i++) {
    const row = doc.parts[i];
    if (!Array.isArray(row) || row.length !== ctx.levels) throw fail(`member ${x}: wrong number of levels`);
    const out = [];
    for (let k = 0; k < ctx.levels; k++) {
      const cell = row[k];
      if (!cell || typeof cell !== "object" || Object.keys(cell).sort().join() !== "d,proof" ||
          !Array.isArray(cell.proof) || cell.proof.length !== 2) {
        throw fail(`member ${x}: malformed cell`);
      }
      let D, proof;
      try {
        D = pointOrIdentityFromHex(cell.d);
        proof = cell.proof.map(scalarFromHex);
      } catch (e) {
        throw fail(`member ${x}: ${e.message}`);
      }
      if (!(await verifyDecryption(ctx, x, i, k, grid[i][k], V, D, proof))) {
        throw fail(`member ${x}: decryption proof fails for subject ${i + 1}, level ${k + 1}`);
      }
      out.push(D);
    }
    points.push(out);
  }
  return { index: x, points };
}

function invL(v) {
  // Fermat: v^(L-2) mod L.
  let r = 1n;
  let b = modL(v);
  let e = L - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % L;
    b = (b * b) % L;
    e >>= 1n;
  }
  return r;
}

/** λ_x = Π_{j≠x} j·(j − x)^{−1} mod L for the index set (Map x → BigInt). */
export function lagrangeAtZero(indices) {
  const out = new Map();
  for (const x of indices) {
    let num = 1n;
    let den = 1n;
    for (const j of indices) {
      if (j === x) continue;
      num = modL(num * BigInt(j));
      den = modL(den * BigInt(j - x));
    }
    out.set(x, modL(num * invL(den)));
  }
  return out;
}

/**
 * Combine t checked shares ({index, points}) into the counts: M = b − Σ λ_x·D_x, read by a
 * table of m·B for m = 0..maxCount. Uses the t smallest indices, as the record does.
 * Returns {counts, plaintext (points)}; throws "not_enough_shares" / "no_count".
 */
export function combineShares(ctx, grid, shares, maxCount) {
  if (shares.length < ctx.threshold) throw new CryptoError("not_enough_shares", `need ${ctx.threshold} valid shares, have ${shares.length}`);
  const used = [...shares].sort((p, q) => p.index - q.index).slice(0, ctx.threshold);
  const lambdas = lagrangeAtZero(used.map((s) => s.index));
  const table = new Map();
  let acc = IDENTITY;
  for (let m = 0; m <= maxCount; m++) {
    table.set(toHex(acc.toBytes()), m);
    acc = acc.add(BASE);
  }
  const counts = [];
  const plaintext = [];
  for (let i = 0; i < ctx.subjects; i++) {
    const crow = [];
    const prow = [];
    for (let k = 0; k < ctx.levels; k++) {
      let blind = IDENTITY;
      for (const s of used) blind = blind.add(s.points[i][k].mul(lambdas.get(s.index)));
      const M = grid[i][k].b.sub(blind);
      const h = toHex(M.toBytes());
      if (!table.has(h)) throw new CryptoError("no_count", `subject ${i + 1}, level ${k + 1} does not decrypt to a count <= ${maxCount}`);
      crow.push(table.get(h));
      prow.push(M);
    }
    counts.push(crow);
    plaintext.push(prow);
  }
  return { counts, plaintext };
}

