// The public board as a trustee's device sees it: re-check every entry (sequence, ballot
// proofs, tracker, hash chain, no repeated ciphertext point) and sum ALL ballots into the
// aggregate it will decrypt. The device never decrypts an aggregate it did not compute
// itself from the whole board (Helios issue #170).

import { CryptoError, concat, fromHex, toHex, u32 } from "./bytes.js";
import { IDENTITY } from "./group.js";
import { domain, sha256 } from "./hash.js";
import { verifyBallot } from "./ballot.js";

const TAG_BOARD = domain("board");
const TAG_CLOSE = domain("close");

const asBytes = (x) => (typeof x === "string" ? fromHex(x, 32) : x);

/** h_n = H256("ballot/v1/board" ‖ 0x00 ‖ h_{n−1} ‖ tracker_n ‖ u32(n)); h_0 = fp. */
export async function chainHash(previous, tracker, seq) {
  return sha256(concat(TAG_BOARD, asBytes(previous), asBytes(tracker), u32(seq)));
}

/** Closing hash (§7.3) over the board head, the count and the attendance numbers. */
export async function closingHash(head, count, { summoned, present, issued }) {
  return sha256(concat(TAG_CLOSE, asBytes(head), u32(count), u32(summoned), u32(present), u32(issued)));
}

/** Entries of a board given as an array, the API's {entries: [...]} or a record's {board}. */
export function boardEntries(board) {
  if (Array.isArray(board)) return board;
  if (board && Array.isArray(board.entries)) return board.entries;
  if (board && Array.isArray(board.board)) return board.board;
  throw new CryptoError("bad_board", "expected a list of board entries");
}

/** Component-wise sum of parsed ballots (rows[i][k] = {a, b}); identity pairs if none. */
export function aggregateBallots(ctx, ballots) {
  const grid = [];
  for (let i = 0; i < ctx.subjects; i++) {
    const row = [];
    for (let k = 0; k < ctx.levels; k++) row.push({ a: IDENTITY, b: IDENTITY });
    grid.push(row);
  }
  for (const rows of ballots) {
    for (let i = 0; i < ctx.subjects; i++) {
      for (let k = 0; k < ctx.levels; k++) {
        grid[i][k] = { a: grid[i][k].a.add(rows[i][k].a), b: grid[i][k].b.add(rows[i][k].b) };
      }
    }
  }
  return grid;
}

function entryError(n, why, cause) {
  const e = new CryptoError("bad_board", `entry ${n}: ${why}`);
  e.entry = n;
  if (cause) e.cause = cause;
  return e;
}

/**
 * Check a whole board against the election and return its aggregate.
 * Each entry needs {seq, tracker, chain, ballot} (other keys such as the API's short_code
 * are ignored). `onProgress(done, total)` is called after each ballot (checking costs about
 * a quarter of a second per 6 × 3 ballot in a browser, so a page should show progress).
 * Returns {aggregate, head (hex), count, trackers}. Throws CryptoError("bad_board") naming
 * the first bad entry (`.entry`, `.cause`).
 */
export async function checkBoard(ctx, board, { onProgress } = {}) {
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
      checked = await verifyBallot(ctx, entry.ballot);
    } catch (e) {
      if (e instanceof CryptoError) throw entryError(n, `invalid ballot (${e.message})`, e);
      throw e;
    }
    if (entry.tracker !== checked.tracker) throw entryError(n, "tracker is not the hash of the ballot");
    head = await chainHash(head, fromHex(checked.tracker, 32), n);
    if (entry.chain !== toHex(head)) throw entryError(n, "chain hash differs");
    for (const p of checked.points) {
      if (seen.has(p)) throw entryError(n, "repeats a ciphertext point already on the board");
      seen.add(p);
    }
    ballots.push(checked.rows);
    trackers.push(checked.tracker);
    if (onProgress) onProgress(n, entries.length);
  }
  return { aggregate: aggregateBallots(ctx, ballots), head: toHex(head), count: entries.length, trackers };
}

/**
 * §8 checks 5 and 7 for a closing block {count, head, hash, attendance: {summoned,
 * present, issued}} against a checked board: attendance integers in [0, 2^32), issued ≤
 * present ≤ summoned, quorum met (present·den ≥ num·summoned with rules.quorum), count ≤
 * issued, head = last chain hash, hash as in §7.3. Throws CryptoError("bad_closing").
 */
export async function checkClosing(ctx, checked, closing) {
  const bad = (why) => new CryptoError("bad_closing", why);
  if (!closing || typeof closing !== "object") throw bad("the board is not closed");
  const att = closing.attendance;
  if (!att || typeof att !== "object") throw bad("attendance missing");
  for (const k of ["summoned", "present", "issued"]) {
    if (!Number.isInteger(att[k]) || att[k] < 0 || att[k] > 0xffffffff) throw bad(`attendance.${k} is not a u32`);
  }
  if (!(att.issued <= att.present && att.present <= att.summoned)) throw bad("attendance must satisfy issued <= present <= summoned");
  const quorum = ctx.manifest && ctx.manifest.rules.quorum;
  if (quorum && att.present * quorum[1] < quorum[0] * att.summoned) throw bad("quorum not reached");
  if (closing.count !== checked.count) throw bad(`the board holds ${checked.count} ballots, the closing says ${closing.count}`);
  if (checked.count > att.issued) throw bad("more ballots than codes issued");
  if (closing.head !== checked.head) throw bad("the board's last chain hash differs from the closing's");
  const hash = toHex(await closingHash(checked.head, checked.count, att));
  if (closing.hash !== hash) throw bad("closing hash differs");
  return hash;
}
