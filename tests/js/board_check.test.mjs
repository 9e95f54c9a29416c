// The public board page's own check (ballot/static/js/app/board-check.js): an election board
// is checked with the batch check, open or closed; a forged board, another fingerprint and a
// wrong closing are refused; and what the page says for each outcome.
import test from "node:test";
import assert from "node:assert/strict";
import { castAll, electionOf } from "./election_helpers.mjs";

const { checkPublicBoard, checkOutcome } = await import(new URL("../../ballot/static/js/app/board-check.js", import.meta.url).href);
const m = (key, params = {}) => ({ key, params });
const K = true;
const X = false;

test("an election board checked on the reader's device, open then closed; forgeries refused", async () => {
  const { manifest, ctx } = await electionOf(4, 3);
  const fp = ctx.fpHex;
  const board = { fingerprint: fp, ...(await castAll(ctx, manifest, [[K, K, X, X], [X, K, K, K], [K, X, X, X]])) };
  const manifestText = JSON.stringify({ manifest, fingerprint: fp, state: "closed" });
  const progress = [];
  let out = await checkPublicBoard(manifestText, JSON.stringify(board), fp, { onProgress: (d, t) => progress.push([d, t]), workers: 1 });
  assert.deepEqual(out, { count: 3, closingHash: board.closing.hash, election: true });
  assert.deepEqual(progress.at(-1), [3, 3]);
  out = await checkPublicBoard(manifestText, JSON.stringify({ ...board, state: "open", closing: null }), fp);
  assert.deepEqual(out, { count: 3, closingHash: null, election: true });
  const refuse = (mt, bt, f, code) => assert.rejects(checkPublicBoard(mt, bt, f), (e) => e.code === code, code);
  await refuse(manifestText, JSON.stringify(board), "cd".repeat(32), "bad_fingerprint");
  await refuse(manifestText, JSON.stringify({ ...board, fingerprint: "cd".repeat(32) }), fp, "bad_fingerprint");
  await refuse(manifestText, JSON.stringify({ ...board, closing: { ...board.closing, count: 2 } }), fp, "bad_closing");
  const swapped = structuredClone(board);
  [swapped.entries[0].ballot, swapped.entries[1].ballot] = [swapped.entries[1].ballot, swapped.entries[0].ballot];
  await assert.rejects(checkPublicBoard(manifestText, JSON.stringify(swapped), fp), (e) => e.code === "bad_board" && e.entry === 1);
  await refuse(manifestText, JSON.stringify(board).replace('"seq":1,', '"seq":1,"seq":1,'), fp, "bad_json");
});

test("a confidence vote's board is checked ballot by ballot on the same page", async () => {
  const { manifest, ctx } = await electionOf(2, 1, { confidence: true });
  const fp = ctx.fpHex;
  const board = { fingerprint: fp, ...(await castAll(ctx, manifest, [[0, 2], [1, null], [2, 2]])) };
  const manifestText = JSON.stringify({ manifest, fingerprint: fp, state: "closed" });
  assert.deepEqual(await checkPublicBoard(manifestText, JSON.stringify(board), fp), { count: 3, closingHash: board.closing.hash, election: false });
  const forged = structuredClone(board);
  forged.entries[2].chain = forged.entries[1].chain;
  await assert.rejects(checkPublicBoard(manifestText, JSON.stringify(forged), fp), (e) => e.code === "bad_board" && e.entry === 3);
});

test("what the page says after a check", () => {
  assert.deepEqual(checkOutcome({ result: { count: 5, closingHash: "ab", election: true } }), { message: m("checkClosed", { n: 5 }), tone: "ok" });
  assert.deepEqual(checkOutcome({ result: { count: 2, closingHash: null } }), { message: m("checkOpen", { n: 2 }), tone: "ok" });
  assert.deepEqual(checkOutcome({ error: { code: "bad_board", entry: 4 } }), { message: m("checkBadEntry", { n: 4 }), tone: "error" });
  assert.deepEqual(checkOutcome({ error: { offline: true } }), { message: m("checkOffline"), tone: "error" });
  assert.deepEqual(checkOutcome({ error: { code: "bad_closing" } }), { message: m("check_bad_closing"), tone: "error" });
  assert.deepEqual(checkOutcome({ error: { code: "HTTP 500" } }), { message: m("checkFailed", { code: "HTTP 500" }), tone: "error" });
  assert.deepEqual(checkOutcome({ error: new TypeError("x") }), { message: m("checkFailed", { code: "?" }), tone: "error" });
});
