// Election ballots (protocol §10): one 0/1 ciphertext per candidate with its proof, and a
// proof by bit decomposition that the number of names kept lies in [m0, S]. Proofs are in
// commitment form ([A0, B0, A1, B1, c0, z0, z1] and [P, Q, z]). Byte-identical with
// ballot/crypto/election.py on tests/vectors/election.json.

import { CryptoError, concat, fromHex, toHex, u32 } from "./bytes.js";
import { addCiphertexts, encrypt } from "./elgamal.js";
import { BASE, IDENTITY, decodePoint, encodePoints, mulBase } from "./group.js";
import { domain, hashToScalar, sha256 } from "./hash.js";
import { shortCode } from "./ballot.js";
import { modL, randomScalar, scalarFromHex, scalarToBytes, scalarToHex } from "./scalar.js";

const TAG_EBIT = domain("ebit");
const TAG_RBIT = domain("rbit");
const TAG_ESUM = domain("esum");
const TAG_EBALLOT = domain("eballot");
const IDENTITY_HEX = "01" + "00".repeat(31);

/** Weights of §10.3 for the range [0, r]: 1, 2, 4, …, and a last one so that the subset
 * sums are exactly [0, r]. */
export function rangeWeights(r) {
  if (!Number.isInteger(r) || r < 0) throw new RangeError("range must be an integer >= 0");
  if (r === 0) return [];
  const k = Math.floor(Math.log2(r)) + 1;
  const w = [];
  for (let i = 0; i < k - 1; i++) w.push(2 ** i);
  w.push(r - 2 ** (k - 1) + 1);
  return w;
}

/** {candidates, seats, minKept, weights} from manifest.rules.election (§10.2). */
export function electionShape(manifest) {
  const e = manifest && manifest.rules && manifest.rules.election;
  const c = e && e.candidates;
  const s = e && e.seats;
  const m0 = e && e.min_kept;
  if (![c, s, m0].every(Number.isInteger) || !(0 <= m0 && m0 <= s && s <= c) || manifest.subjects.length !== c || manifest.levels.length !== 1) {
    throw new CryptoError("bad_manifest", "rules.election: need 0 <= min_kept <= seats <= candidates, one level");
  }
  return shape(c, s, m0);
}

export function shape(candidates, seats, minKept) {
  return { candidates, seats, minKept, weights: rangeWeights(seats - minKept) };
}

/** w·P for a small weight by doubling and adding (a full multiplication costs ~40 additions). */
export function smallMul(p, w) {
  let acc = IDENTITY;
  let d = p;
  while (w > 0) {
    if (w & 1) acc = acc.add(d);
    w = Math.floor(w / 2);
    if (w > 0) d = d.double();
  }
  return acc;
}

const weighted = (points, weights) =>
  points.reduce((acc, p, i) => acc.add(smallMul(p, weights[i])), IDENTITY);

function sumStatement(sh, cands, bits) {
  const sum = addCiphertexts(cands);
  const x = sum.a.sub(weighted(bits.map((c) => c.a), sh.weights));
  const y = sum.b.sub(mulBase(BigInt(sh.minKept))).sub(weighted(bits.map((c) => c.b), sh.weights));
  return { x, y };
}

async function sumChallenge(ctx, sh, cts, x, y, p, q) {
  const context = concat(u32(sh.candidates), u32(sh.minKept), u32(sh.seats), u32(sh.weights.length));
  const pts = encodePoints([...cts.flatMap((ct) => [ct.a, ct.b]), x, y]);
  // encodePoints of the identity gives its canonical encoding (01 00…), as in Python.
  return hashToScalar(TAG_ESUM, ctx.fp, ctx.keyBytes, context, ...pts, p, q);
}

async function proveBit(ctx, tag, index, ct, m, r, rand) {
  const w = rand();
  const cs = rand();
  const zs = rand();
  const j = 1 - m;
  const t = modL(zs - cs * r);
  const sim = [mulBase(t), ctx.keyTable.mul(t).add(mulBase(modL(cs * BigInt(j - m))))];
  const real = [mulBase(w), ctx.keyTable.mul(w)];
  const commitments = encodePoints(m === 0 ? [...real, ...sim] : [...sim, ...real]);
  const [a, b] = encodePoints([ct.a, ct.b]);
  const c = await hashToScalar(tag, ctx.fp, ctx.keyBytes, u32(index), a, b, ...commitments);
  const cReal = modL(c - cs);
  const zReal = modL(w + cReal * r);
  const [c0, z0, z1] = m === 0 ? [cReal, zReal, zs] : [cs, zs, zReal];
  return [...commitments.map(toHex), scalarToHex(c0), scalarToHex(z0), scalarToHex(z1)];
}

/**
 * Encrypt and prove an election ballot. `kept[j]` is true when candidate j is kept (not
 * crossed out) or "đồng ý". Refuses a choice outside [m0, S] (CryptoError "bad_count"): the
 * booth never sends an invalid ballot (§10.6). Draw order of §10.5.
 * Returns {ballot, tracker (hex), shortCode, bytes}.
 */
export async function encryptElectionBallot(ctx, sh, kept, rand = () => randomScalar()) {
  if (!Array.isArray(kept) || kept.length !== sh.candidates) throw new CryptoError("bad_choices", `expected ${sh.candidates} choices`);
  const n = kept.filter(Boolean).length;
  if (n < sh.minKept || n > sh.seats) throw new CryptoError("bad_count", `keeps ${n} names; allowed ${sh.minKept}..${sh.seats}`);
  const cells = [];
  const cands = [];
  let total = 0n;
  for (let j = 0; j < sh.candidates; j++) {
    const m = kept[j] ? 1 : 0;
    const r = rand();
    const ct = encrypt(ctx, m, r);
    const proof = await proveBit(ctx, TAG_EBIT, j, ct, m, r, rand);
    cells.push({ ct, proof });
    cands.push(ct);
    total = modL(total + r);
  }
  let rest = n - sh.minKept;
  const betas = new Array(sh.weights.length).fill(0);
  for (let i = sh.weights.length - 1; i >= 0; i--) {
    if (sh.weights[i] <= rest) {
      betas[i] = 1;
      rest -= sh.weights[i];
    }
  }
  const bitCells = [];
  const bits = [];
  for (let i = 0; i < sh.weights.length; i++) {
    const s = rand();
    const ct = encrypt(ctx, betas[i], s);
    const proof = await proveBit(ctx, TAG_RBIT, i, ct, betas[i], s, rand);
    bitCells.push({ ct, proof });
    bits.push(ct);
    total = modL(total - BigInt(sh.weights[i]) * s);
  }
  const { x, y } = sumStatement(sh, cands, bits);
  const w = rand();
  const [p, q] = encodePoints([mulBase(w), ctx.keyTable.mul(w)]);
  const c = await sumChallenge(ctx, sh, [...cands, ...bits], x, y, p, q);
  const z = modL(w + c * total);
  const json = (list) =>
    list.map(({ ct, proof }) => {
      const [a, b] = encodePoints([ct.a, ct.b]);
      return { a: toHex(a), b: toHex(b), proof };
    });
  const ballot = {
    fingerprint: ctx.fpHex,
    cts: json(cells),
    range: { bits: json(bitCells), proof: [toHex(p), toHex(q), scalarToHex(z)] },
  };
  const bytes = canonicalElectionBallotBytes(ctx, sh, ballot);
  const tracker = await sha256(bytes);
  return { ballot, tracker: toHex(tracker), shortCode: shortCode(tracker), bytes };
}

const bad = (why) => new CryptoError("bad_ballot", why);

function checkShape(ctx, sh, ballot) {
  const keys = (o) => (o && typeof o === "object" && !Array.isArray(o) ? Object.keys(o).sort().join(",") : "");
  if (keys(ballot) !== "cts,fingerprint,range" || ballot.fingerprint !== ctx.fpHex) throw bad("ballot shape or fingerprint");
  if (keys(ballot.range) !== "bits,proof") throw bad("range shape");
  const cells = (list, n) => {
    if (!Array.isArray(list) || list.length !== n) throw bad("number of cells");
    for (const cell of list) {
      if (keys(cell) !== "a,b,proof" || !Array.isArray(cell.proof) || cell.proof.length !== 7) throw bad("cell shape");
    }
  };
  cells(ballot.cts, sh.candidates);
  cells(ballot.range.bits, sh.weights.length);
  if (!Array.isArray(ballot.range.proof) || ballot.range.proof.length !== 3) throw bad("sum proof shape");
}

/** Canonical bytes of §10.5 (sizes checked, validity is verifyElectionBallot's job). */
export function canonicalElectionBallotBytes(ctx, sh, ballot) {
  checkShape(ctx, sh, ballot);
  const parts = [TAG_EBALLOT, fromHex(ballot.fingerprint, 32), u32(sh.candidates), u32(sh.weights.length)];
  for (const cell of [...ballot.cts, ...ballot.range.bits]) {
    parts.push(fromHex(cell.a, 32), fromHex(cell.b, 32), ...cell.proof.map((h) => fromHex(h, 32)));
  }
  parts.push(...ballot.range.proof.map((h) => fromHex(h, 32)));
  return concat(parts);
}

async function verifyBit(ctx, tag, index, cell) {
  const a = decodePoint(fromHex(cell.a, 32));
  const b = decodePoint(fromHex(cell.b, 32));
  const commitments = cell.proof.slice(0, 4);
  if (commitments.includes(IDENTITY_HEX)) return null;
  const [c0, z0, z1] = cell.proof.slice(4).map(scalarFromHex);
  const c = await hashToScalar(tag, ctx.fp, ctx.keyBytes, u32(index), fromHex(cell.a, 32), fromHex(cell.b, 32), ...commitments.map((h) => fromHex(h, 32)));
  const c1 = modL(c - c0);
  const expected = encodePoints([
    mulBase(z0).sub(a.mul(c0)),
    ctx.keyTable.mul(z0).sub(b.mul(c0)),
    mulBase(z1).sub(a.mul(c1)),
    ctx.keyTable.mul(z1).sub(b.mul(c1)).add(mulBase(c1)),
  ]).map(toHex);
  return expected.every((e, i) => e === commitments[i]) ? { a, b } : null;
}

/**
 * Single verification of one election ballot (§10.8 check 6 without the board): shape,
 * every point, every 0/1 proof and the sum proof. Returns {tracker, cands: [{a, b}]};
 * throws CryptoError("bad_ballot" | "bad_point" | "bad_scalar").
 */
export async function verifyElectionBallot(ctx, sh, ballot) {
  const bytes = canonicalElectionBallotBytes(ctx, sh, ballot);
  const seen = new Set();
  for (const cell of [...ballot.cts, ...ballot.range.bits]) {
    for (const h of [cell.a, cell.b]) {
      if (seen.has(h)) throw bad("repeated point");
      seen.add(h);
    }
  }
  const checked = [];
  for (const [tag, list, what] of [[TAG_EBIT, ballot.cts, "candidate"], [TAG_RBIT, ballot.range.bits, "range bit"]]) {
    for (let j = 0; j < list.length; j++) {
      const ct = await verifyBit(ctx, tag, j, list[j]);
      if (ct === null) throw bad(`${what} ${j + 1}: the 0-or-1 proof fails`);
      checked.push(ct);
    }
  }
  const cands = checked.slice(0, sh.candidates);
  const { x, y } = sumStatement(sh, cands, checked.slice(sh.candidates));
  const [pHex, qHex, zHex] = ballot.range.proof;
  const z = scalarFromHex(zHex);
  if (pHex === IDENTITY_HEX || qHex === IDENTITY_HEX) throw bad("sum proof");
  const c = await sumChallenge(ctx, sh, checked, x, y, fromHex(pHex, 32), fromHex(qHex, 32));
  const [p, q] = encodePoints([mulBase(z).sub(x.mul(c)), ctx.keyTable.mul(z).sub(y.mul(c))]).map(toHex);
  if (p !== pHex || q !== qHex) throw bad(`the proof that ${sh.minKept} to ${sh.seats} names are kept fails`);
  return { tracker: toHex(await sha256(bytes)), cands };
}

export { scalarToBytes };
