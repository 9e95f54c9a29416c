// The public board as a trustee's device sees it: re-check every entry (sequence, ballot
// proofs, tracker, hash chain, no repeated ciphertext point) and sum ALL ballots into the
// aggregate it will decrypt. The device never decrypts an aggregate it did not compute
// itself from the whole board (Helios issue #170).

import { CryptoError, concat, fromHex, toHex, u32 } from "./bytes.js";
import { IDENTITY, decodePointUnchecked, encodePoints } from "./group.js";
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
 * are ignored). Options:
 *   onProgress(done, total)  after each ballot (or batch of ballots) checked
 *   workers                  how many Web Workers check ballots in parallel; default: the
 *                            device's cores (max 8) in a browser when the context came from
 *                            loadManifest and the board has ≥ 8 entries, else 1 (in-thread).
 *                            If workers cannot start, the check runs in-thread.
 * Returns {aggregate, head (hex), count, trackers}. Throws CryptoError("bad_board") naming
 * the first bad entry (`.entry`, `.cause`), whichever way the ballots were checked.
 */
export async function checkBoard(ctx, board, { onProgress, workers } = {}) {
  const entries = boardEntries(board);
  const n = workerCount(ctx, entries, workers);
  if (n > 1) {
    const parallel = await verifyInWorkers(ctx, entries, n, onProgress);
    if (parallel) return walkBoard(ctx, entries, parallel.results, parallel.sums);
  }
  return walkBoard(ctx, entries, null, null, onProgress);
}

function workerCount(ctx, entries, requested) {
  if (typeof Worker !== "function" || !ctx.manifest) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (entries.length < 8) return 1;
  const cores = (typeof navigator !== "undefined" && navigator.hardwareConcurrency) || 2;
  return Math.min(cores, 8);
}

// The sequential part of the check, in board order: seq, the ballot's own check (done here,
// or already by workers: `results`), tracker, chain, repeated points, and the sum.
async function walkBoard(ctx, entries, results, sums, onProgress) {
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
    if (results) {
      checked = results[idx];
      if (checked.error) {
        const cause = new CryptoError(checked.error.code, checked.error.message);
        cause.message = checked.error.message;
        throw entryError(n, `invalid ballot (${checked.error.message})`, cause);
      }
    } else {
      try {
        checked = await verifyBallot(ctx, entry.ballot);
      } catch (e) {
        if (e instanceof CryptoError) throw entryError(n, `invalid ballot (${e.message})`, e);
        throw e;
      }
      ballots.push(checked.rows);
    }
    if (entry.tracker !== checked.tracker) throw entryError(n, "tracker is not the hash of the ballot");
    head = await chainHash(head, fromHex(checked.tracker, 32), n);
    if (entry.chain !== toHex(head)) throw entryError(n, "chain hash differs");
    for (const p of checked.points) {
      if (seen.has(p)) throw entryError(n, "repeats a ciphertext point already on the board");
      seen.add(p);
    }
    trackers.push(checked.tracker);
    if (onProgress && !results) onProgress(n, entries.length);
  }
  const aggregate = sums ? sumGrids(ctx, sums) : aggregateBallots(ctx, ballots);
  return { aggregate, head: toHex(head), count: entries.length, trackers };
}

/** Aggregate grid as JSON ({a, b} hex per cell, the identity written as 01 00…00). */
export function aggregateToJson(grid) {
  return grid.map((row) => row.map((ct) => {
    const [a, b] = encodePoints([ct.a, ct.b]);
    return { a: toHex(a), b: toHex(b) };
  }));
}

// Partial sums come back from our own workers as sums of points they validated, so the
// subgroup check is not repeated (the identity is a legitimate partial sum here).
function sumGrids(ctx, sums) {
  const grid = aggregateBallots(ctx, []);
  for (const part of sums) {
    for (let i = 0; i < ctx.subjects; i++) {
      for (let k = 0; k < ctx.levels; k++) {
        const a = decodePointUnchecked(fromHex(part[i][k].a, 32));
        const b = decodePointUnchecked(fromHex(part[i][k].b, 32));
        grid[i][k] = { a: grid[i][k].a.add(a), b: grid[i][k].b.add(b) };
      }
    }
  }
  return grid;
}

/**
 * Check the ballots of `entries` on `count` module workers (board-worker.js), a few
 * ballots per message so that faster workers take more. Resolves to {results (per entry
 * {tracker, points} or {error}), sums (one aggregate per batch)}, or null if the workers
 * could not run (then the caller checks in-thread).
 */
function verifyInWorkers(ctx, entries, count, onProgress) {
  const total = entries.length;
  const batch = Math.max(1, Math.min(16, Math.ceil(total / (count * 4))));
  const results = new Array(total);
  const sums = [];
  let pool = [];
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    let finished = false;
    const finish = (value) => {
      if (finished) return;
      finished = true;
      pool.forEach((w) => w.terminate());
      resolve(value);
    };
    const send = (w) => {
      if (next >= total) return;
      const start = next;
      next = Math.min(total, next + batch);
      w.postMessage({ type: "check", start, ballots: entries.slice(start, next).map((e) => (e && typeof e === "object" ? e.ballot : null)) });
    };
    try {
      const url = new URL("./board-worker.js", import.meta.url);
      for (let i = 0; i < count; i++) pool.push(new Worker(url, { type: "module" }));
    } catch {
      finish(null);
      return;
    }
    for (const w of pool) {
      w.onerror = (ev) => {
        if (ev && ev.preventDefault) ev.preventDefault();
        finish(null);
      };
      w.onmessage = ({ data }) => {
        if (data.type === "ready") {
          send(w);
        } else if (data.type === "done") {
          data.results.forEach((r, j) => { results[data.start + j] = r; });
          sums.push(data.sum);
          done += data.results.length;
          if (onProgress) onProgress(done, total);
          if (done === total) finish({ results, sums });
          else send(w);
        } else {
          finish(null);
        }
      };
      w.postMessage({ type: "init", manifest: ctx.manifest, fp: ctx.fpHex });
    }
  });
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
