// An election board as a counting member's device sees it (protocol §10.8 checks 6-8):
// every entry's sequence, ballot proofs (single verification, election.js), tracker, hash
// chain and no repeated ciphertext point, and the C × 1 aggregate of ALL ballots that the
// device will decrypt. In-thread, with a progress callback; ~1.5 s per 40-candidate ballot
// in BigInt (docs/benchmarks.md), so a congress board needs the batch check of §10.9 next.

import { CryptoError, fromHex, toHex } from "./bytes.js";
import { aggregateBallots, aggregateToJson, boardEntries, chainHash } from "./board.js";
import { verifyElectionBallot } from "./election.js";

function entryError(n, why, cause) {
  const e = new CryptoError("bad_board", `entry ${n}: ${why}`);
  e.entry = n;
  if (cause) e.cause = cause;
  return e;
}

/**
 * Check a whole election board. `ctx` from loadManifest/contextFromManifest, `sh` from
 * electionShape(manifest). Returns {aggregate (C rows × 1 cell of {a, b} points), head
 * (hex), count, trackers}; throws CryptoError("bad_board") naming the first bad entry.
 */
export async function checkElectionBoard(ctx, sh, board, { onProgress } = {}) {
  const entries = boardEntries(board);
  let head = ctx.fp;
  const seen = new Set();
  const ballots = [];
  const trackers = [];
  for (let idx = 0; idx < entries.length; idx++) {
    const n = idx + 1;
    const entry = entries[idx];
    if (!entry || typeof entry !== "object") throw entryError(n, "not an object");
    if (entry.seq !== n) throw entryError(n, `seq is ${entry.seq}, expected ${n}`);
    let checked;
    try {
      checked = await verifyElectionBallot(ctx, sh, entry.ballot);
    } catch (e) {
      if (e instanceof CryptoError) throw entryError(n, `invalid ballot (${e.message})`, e);
      throw e;
    }
    if (entry.tracker !== checked.tracker) throw entryError(n, "tracker is not the hash of the ballot");
    head = await chainHash(head, fromHex(checked.tracker, 32), n);
    if (entry.chain !== toHex(head)) throw entryError(n, "chain hash differs");
    const cells = [...entry.ballot.cts, ...entry.ballot.range.bits];
    for (const p of cells.flatMap((c) => [c.a, c.b])) {
      if (seen.has(p)) throw entryError(n, "repeats a ciphertext point already on the board");
      seen.add(p);
    }
    trackers.push(checked.tracker);
    ballots.push(checked.cands.map((ct) => [ct]));
    if (onProgress) onProgress(n, entries.length);
  }
  const aggregate = aggregateBallots({ subjects: sh.candidates, levels: 1 }, ballots);
  return { aggregate, head: toHex(head), count: entries.length, trackers };
}

export { aggregateToJson };
