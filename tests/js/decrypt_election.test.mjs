// A counting member's device on an ELECTION: the decryption machine's election transitions
// (batch check, combining, checked, failures), and election-count.js run for real: a key
// ceremony, an election manifest, ballots from the booth's encryptElectionBallot, the board
// checked with the batch check and decrypted by two members, the counts combined; a forged
// board, another member's key and an unclosed board are refused.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, hexOf } from "./helpers.mjs";
import { castAll, electionOf } from "./election_helpers.mjs";

const api = await import(CRYPTO + "index.js");
const { initial, step, boardWhy } = await import(new URL("../../ballot/static/js/app/decrypt-machine.js", import.meta.url).href);
const { electionPartialDecrypt, isElection } = await import(new URL("../../ballot/static/js/app/election-count.js", import.meta.url).href);

// ---------- the machine ----------

const VOTE = "18af5393-c361-41d8-bb31-4dd6b44abc5c";
const FP = "ab".repeat(32);
const m = (key, params = {}) => ({ key, params });
function walk(events, state = initial({ vote: VOTE, me: 2 })) {
  let effects = [];
  for (const event of events) ({ state, effects } = step(state, event));
  return { state, effects };
}
const toBoard = [
  { type: "submitted", hasKey: true, hasPassphrase: true, announced: "" },
  { type: "keyOpened", index: 2, voteId: VOTE },
  { type: "manifestChecked", fpHex: FP },
];
const loaded = { type: "boardLoaded", state: "closed", closing: true, fingerprint: FP, total: 5, election: { candidates: 11, seats: 9 } };

test("an election board: batch-checked ballot by ballot, then combined, then checked", () => {
  let r = walk([...toBoard, loaded]);
  assert.deepEqual(r.state.election, { candidates: 11, seats: 9 });
  assert.deepEqual(r.effects, [{ type: "decryptBoard" }]);
  assert.deepEqual(r.state.steps.board.detail, m("checkingElection", { n: 1, total: 5, candidates: 11 }));
  r = walk([{ type: "progress", done: 2, total: 5 }], r.state);
  assert.deepEqual(r.state.steps.board.detail, m("checkingElection", { n: 3, total: 5, candidates: 11 }));
  r = walk([{ type: "progress", done: 5, total: 5 }], r.state);
  assert.deepEqual(r.state.steps.board.detail, m("combining", { total: 5 }));
  assert.equal(r.state.steps.board.phase, "active");
  r = walk([{ type: "boardChecked", count: 5, closingHash: "c0ffee".repeat(10) + "abcd" }], r.state);
  assert.deepEqual(r.state.steps.board, { phase: "done", detail: m("checkedElection", { total: 5, candidates: 11 }) });
  assert.deepEqual(r.effects, [{ type: "submitShare" }]);
  r = walk([{ type: "shareSent", shares: 2, threshold: 2, decrypted: true }], r.state);
  assert.equal(r.state.phase, "decrypted");
  assert.equal(r.state.resultsLink, true);
});

test("a confidence vote's board keeps its own notes (no election)", () => {
  const r = walk([...toBoard, { ...loaded, election: undefined }, { type: "progress", done: 5, total: 5 }]);
  assert.equal(r.state.election, null);
  assert.deepEqual(r.state.steps.board.detail, m("checking", { n: 5, total: 5 }));
});

test("an election board refused: a failing proof named, a sum not of prime order, a board not closed", () => {
  let r = walk([...toBoard, loaded, { type: "failed", code: "bad_board", entry: 3, text: "entry 3: invalid ballot (candidate 2: the 0-or-1 proof fails)" }]);
  assert.deepEqual(r.state.status.message, m("badBoard", { n: 3, why: m("why_proof") }));
  assert.equal(r.state.steps.board.phase, "failed");
  assert.equal(r.state.steps.share.phase, "", "nothing decrypted");
  assert.equal(boardWhy({ text: "entry 2: invalid ballot (the proof that 1 to 9 names are kept fails)" }), "why_proof");
  assert.equal(boardWhy({ text: "the batch check fails (a point with a small-order part?)" }), "why_proof");
  r = walk([...toBoard, loaded, { type: "failed", code: "bad_aggregate" }]);
  assert.deepEqual(r.state.status.message, m("bad_aggregate"));
  r = walk([...toBoard, { ...loaded, state: "open", closing: false }]);
  assert.deepEqual(r.state.status.message, m("notClosed"));
  r = walk([...toBoard, loaded, { type: "boardChecked", count: 5, closingHash: "ff".repeat(32) }], walk([{ type: "submitted", hasKey: true, hasPassphrase: true, announced: "c0ffeec0" }]).state);
  assert.deepEqual(r.state.status.message, m("announcedDiffers"));
});

// ---------- election-count.js with the real crypto ----------

const K = true;
const X = false;
const VOTES = [[K, K, X, K, X], [K, X, K, K, X], [X, K, K, X, K], [K, K, K, X, X], [K, X, X, X, X]];

test("two members decrypt an election board on their devices; the counts are what was kept", async () => {
  const { manifest, ctx, finished } = await electionOf(5, 3);
  assert.equal(isElection(manifest), true);
  assert.equal(isElection({ rules: {} }), false);
  const board = await castAll(ctx, manifest, VOTES);
  const shares = [];
  let aggregate;
  for (const x of [2, 3]) {
    const progress = [];
    const out = await electionPartialDecrypt(ctx, JSON.stringify(board), finished[x - 1].key, { onProgress: (d, t) => progress.push([d, t]), workers: 1 });
    assert.deepEqual(progress.at(-1), [5, 5]);
    assert.equal(out.count, 5);
    assert.equal(out.closingHash, board.closing.hash);
    assert.equal(out.share.index, x);
    assert.equal(out.share.parts.length, 5, "one row per candidate");
    assert.ok(out.share.parts.every((row) => row.length === 1), "one column");
    shares.push(await api.verifyDecryptionShare(ctx, out.aggregate, JSON.parse(JSON.stringify(out.share))));
    aggregate = out.aggregate;
  }
  const { counts } = api.combineShares(ctx, aggregate, shares, VOTES.length);
  const expected = VOTES[0].map((_, j) => VOTES.filter((v) => v[j]).length);
  assert.deepEqual(counts.map((row) => row[0]), expected);
});

test("an election board is refused before anything is decrypted: forged, not closed, or not this member's key", async () => {
  const { manifest, ctx, finished } = await electionOf(4, 3);
  const board = await castAll(ctx, manifest, [[K, K, X, X], [X, K, K, K], [K, X, X, X]]);
  const key = finished[0].key;
  // a proof scalar changed, with tracker and chain recomputed as a dishonest server would
  const forged = structuredClone(board);
  forged.entries[1].ballot.cts[2].proof[5] = forged.entries[1].ballot.cts[2].proof[6];
  const sh = api.electionShape(manifest);
  let head = ctx.fp;
  for (const [i, entry] of forged.entries.entries()) {
    const { canonicalElectionBallotBytes } = await import(CRYPTO + "election.js");
    const { sha256 } = await import(CRYPTO + "hash.js");
    entry.tracker = hexOf(await sha256(canonicalElectionBallotBytes(ctx, sh, entry.ballot)));
    head = await api.chainHash(head, api.fromHex(entry.tracker, 32), i + 1);
    entry.chain = hexOf(head);
  }
  await assert.rejects(electionPartialDecrypt(ctx, forged, key, { workers: 1 }), (e) => e.code === "bad_board" && e.entry === 2);
  await assert.rejects(electionPartialDecrypt(ctx, { entries: board.entries }, key), (e) => e.code === "bad_closing");
  await assert.rejects(electionPartialDecrypt(ctx, board, { ...key, index: 2 }), (e) => e.code === "wrong_key");
  await assert.rejects(electionPartialDecrypt(ctx, board, { ...key, ceremonyId: "00".repeat(32) }), (e) => e.code === "wrong_key");
  assert.equal((await electionPartialDecrypt(ctx, board, key)).share.index, 1);
});
