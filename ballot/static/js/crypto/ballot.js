// Ballots (protocol §5): one-hot encryption of each subject's row with bit proofs and a row
// proof, the canonical ballot bytes, the tracker and its short code, and the verifier the
// trustee's device runs over the whole board.

import { CROCKFORD, CryptoError, concat, fromHex, toHex, u32 } from "./bytes.js";
import { addCiphertexts, ciphertextFromJson, encrypt } from "./elgamal.js";
import { encodePoints } from "./group.js";
import { domain, sha256 } from "./hash.js";
import {
  proveCiphertextBit,
  proveRow,
  proveRow1,
  verifyCiphertextBit,
  verifyRow,
  verifyRow1,
} from "./proofs.js";
import { modL, randomScalar, scalarFromHex, scalarToHex } from "./scalar.js";

const TAG_BALLOT = domain("ballot");

function checkChoices(ctx, choices) {
  if (!Array.isArray(choices) || choices.length !== ctx.subjects) {
    throw new CryptoError("bad_choices", `expected ${ctx.subjects} choices`);
  }
  for (const c of choices) {
    if (c === null) {
      if (!ctx.blankRowAllowed) throw new CryptoError("blank_row_not_allowed", "every subject needs a mark");
    } else if (!Number.isInteger(c) || c < 0 || c >= ctx.levels) {
      throw new CryptoError("bad_choices", `level index out of range: ${c}`);
    }
  }
}

/**
 * Encrypt and prove a ballot. `choices[i]` is the chosen level index of subject i, or null
 * for a blank row. `rand` (optional) returns non-zero scalars; nonces are drawn per row:
 * for each level r, then the bit proof's nonces, then the row proof's nonces.
 * Returns {ballot (JSON object), tracker (hex), shortCode, bytes (canonical)}.
 */
export async function encryptBallot(ctx, choices, rand = () => randomScalar()) {
  checkChoices(ctx, choices);
  const rows = [];
  for (let i = 0; i < ctx.subjects; i++) {
    const cts = [];
    let rSum = 0n;
    for (let k = 0; k < ctx.levels; k++) {
      const m = choices[i] === k ? 1 : 0;
      const r = rand();
      const ct = encrypt(ctx, m, r);
      const proof = await proveCiphertextBit(ctx, i, k, ct, m, r, rand);
      cts.push({ ct, proof });
      rSum = modL(rSum + r);
    }
    const sum = addCiphertexts(cts.map((c) => c.ct));
    const mSum = choices[i] === null ? 0 : 1;
    const rowProof = ctx.blankRowAllowed
      ? await proveRow(ctx, i, sum, mSum, rSum, rand)
      : await proveRow1(ctx, i, sum, rSum, rand);
    rows.push({ cts, rowProof });
  }
  const ballot = {
    fingerprint: ctx.fpHex,
    rows: rows.map((row) => {
      const enc = encodePoints(row.cts.flatMap((c) => [c.ct.a, c.ct.b]));
      return {
        cts: row.cts.map((c, k) => ({ a: toHex(enc[2 * k]), b: toHex(enc[2 * k + 1]), proof: c.proof.map(scalarToHex) })),
        row_proof: row.rowProof.map(scalarToHex),
      };
    }),
  };
  const bytes = canonicalBallotBytes(ctx, ballot);
  const tracker = await sha256(bytes);
  return { ballot, tracker: toHex(tracker), shortCode: shortCode(tracker), bytes };
}

/**
 * Canonical ballot bytes: "ballot/v1/ballot" ‖ 0x00 ‖ fp ‖ u32(N) ‖ u32(K) ‖ per row
 * (per level a ‖ b ‖ proof scalars) ‖ row-proof scalars. Takes the ballot JSON; checks only
 * sizes (validity is verifyBallot's job).
 */
export function canonicalBallotBytes(ctx, ballot) {
  checkShape(ctx, ballot);
  const parts = [TAG_BALLOT, fromHex(ballot.fingerprint, 32), u32(ballot.rows.length), u32(ballot.rows[0].cts.length)];
  for (const row of ballot.rows) {
    for (const ct of row.cts) {
      parts.push(fromHex(ct.a, 32), fromHex(ct.b, 32), ct.proof.map((s) => fromHex(s, 32)));
    }
    parts.push(row.row_proof.map((s) => fromHex(s, 32)));
  }
  return concat(parts);
}

/** Tracker (hex SHA-256 of the canonical bytes) of a ballot JSON. */
export async function ballotTracker(ctx, ballot) {
  return toHex(await sha256(canonicalBallotBytes(ctx, ballot)));
}

/** First 40 bits of the tracker in Crockford base32, as "ABCD-EFGH". */
export function shortCode(tracker) {
  const t = typeof tracker === "string" ? fromHex(tracker) : tracker;
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(t[i]);
  let s = "";
  for (let i = 7; i >= 0; i--) s += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return s.slice(0, 4) + "-" + s.slice(4);
}

const bad = (why) => new CryptoError("bad_ballot", why);

function exactKeys(value, keys, where) {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw bad(`${where}: expected an object`);
  const have = Object.keys(value).sort();
  if (have.length !== keys.length || have.some((k, i) => k !== keys[i])) {
    throw bad(`${where}: expected keys ${JSON.stringify(keys)}`);
  }
}

function listOfLength(value, n, where) {
  if (!Array.isArray(value) || value.length !== n) throw bad(`${where}: expected a list of ${n} items`);
}

// Exactly the keys and sizes of protocol §5 (precision): a ballot has one JSON form.
function checkShape(ctx, ballot) {
  exactKeys(ballot, ["fingerprint", "rows"], "ballot");
  listOfLength(ballot.rows, ctx.subjects, "rows");
  ballot.rows.forEach((row, i) => {
    exactKeys(row, ["cts", "row_proof"], `row ${i + 1}`);
    listOfLength(row.cts, ctx.levels, `row ${i + 1}`);
    listOfLength(row.row_proof, ctx.blankRowAllowed ? 4 : 2, `row ${i + 1} row_proof`);
    row.cts.forEach((ct, k) => {
      exactKeys(ct, ["a", "b", "proof"], `row ${i + 1}, level ${k + 1}`);
      listOfLength(ct.proof, 4, `row ${i + 1}, level ${k + 1} proof`);
    });
  });
}

/**
 * Check a ballot received from outside: shape, fingerprint, every point valid, every
 * scalar reduced, every proof. Returns {rows: [[{a, b}]], tracker} with parsed points, or
 * throws CryptoError (bad_ballot, wrong_election, bad_point, bad_scalar, bad_proof).
 */
export async function verifyBallot(ctx, ballot) {
  checkShape(ctx, ballot);
  if (ballot.fingerprint !== ctx.fpHex) throw new CryptoError("wrong_election", "ballot fingerprint differs from the manifest's");
  const rows = [];
  const seen = new Set();
  for (let i = 0; i < ballot.rows.length; i++) {
    const row = ballot.rows[i];
    const cts = [];
    for (let k = 0; k < row.cts.length; k++) {
      const ct = ciphertextFromJson(row.cts[k]);
      for (const h of [row.cts[k].a, row.cts[k].b]) {
        if (seen.has(h)) throw bad("the ballot repeats a ciphertext point");
        seen.add(h);
      }
      const proof = row.cts[k].proof.map(scalarFromHex);
      if (!(await verifyCiphertextBit(ctx, i, k, ct, proof))) {
        throw new CryptoError("bad_proof", `row ${i + 1}, level ${k + 1}: the proof that the cell holds 0 or 1 fails`);
      }
      cts.push(ct);
    }
    const sum = addCiphertexts(cts);
    const rowProof = row.row_proof.map(scalarFromHex);
    const ok = ctx.blankRowAllowed ? await verifyRow(ctx, i, sum, rowProof) : await verifyRow1(ctx, i, sum, rowProof);
    if (!ok) throw new CryptoError("bad_proof", `row ${i + 1}: the row proof fails`);
    rows.push(cts);
  }
  const tracker = await ballotTracker(ctx, ballot);
  return { rows, tracker, points: [...seen] };
}
