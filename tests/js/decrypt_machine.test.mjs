// The decryption page's state machine (ballot/static/js/app/decrypt-machine.js): every
// transition, the failures included, without a DOM, a network or a key.
import test from "node:test";
import assert from "node:assert/strict";

const { initial, step, cleanAnnounced, boardWhy } = await import(
  new URL("../../ballot/static/js/app/decrypt-machine.js", import.meta.url).href
);

const VOTE = "18af5393-c361-41d8-bb31-4dd6b44abc5c";
const FP = "ab".repeat(32);
const CLOSING = "c0ffee".repeat(10) + "abcd";
const start = () => initial({ vote: VOTE, me: 2 });
const submit = (extra = {}) => ({ type: "submitted", hasKey: true, hasPassphrase: true, announced: "", ...extra });

function walk(events, state = start()) {
  let effects = [];
  for (const event of events) ({ state, effects } = step(state, event));
  return { state, effects };
}
const m = (key, params = {}) => ({ key, params });
const phases = (state) => Object.fromEntries(Object.entries(state.steps).map(([k, v]) => [k, v.phase]));

const toBoard = [submit(), { type: "keyOpened", index: 2, voteId: VOTE }, { type: "manifestChecked", fpHex: FP }];
const loaded = { type: "boardLoaded", state: "closed", closing: true, fingerprint: FP, total: 6 };

test("arriving: a member who already sent a share is told so", () => {
  assert.equal(start().status, null);
  assert.deepEqual(initial({ vote: VOTE, me: 2, submitted: true }).status, { message: m("submitted"), tone: "" });
});

test("the form is checked before anything runs", () => {
  let r = step(start(), submit({ hasKey: false }));
  assert.deepEqual(r.state.status, { message: m("noKey"), tone: "error" });
  assert.deepEqual(r.effects, [{ type: "focus", target: "keyfile" }]);
  r = step(start(), submit({ hasPassphrase: false }));
  assert.deepEqual(r.state.status.message, m("noPassphrase"));
  r = step(start(), submit({ announced: "xyz" }));
  assert.deepEqual(r.state.status.message, m("announced"));
  assert.equal(r.state.phase, "idle");
  r = step(start(), submit({ webcrypto: false }));
  assert.deepEqual(r.state.status.message, m("no_webcrypto"));
  assert.equal(cleanAnnounced(" C0FF-EEC0 ffee "), "c0ffeec0ffee");
  assert.equal(cleanAnnounced(""), "");
  assert.equal(cleanAnnounced("c0ffee"), null, "fewer than 8");
});

test("opening the key: the first step is active with its 'opening' note", () => {
  const r = step(start(), submit({ announced: CLOSING.slice(0, 16) }));
  assert.equal(r.state.phase, "running");
  assert.equal(r.state.stepsShown, true);
  assert.deepEqual(r.state.steps.key, { phase: "active", detail: m("opening") });
  assert.deepEqual(r.effects, [{ type: "openKey" }]);
  assert.deepEqual(step(r.state, submit()).effects, [], "one run at a time");
});

test("a wrong passphrase fails the key step: it no longer says 'opening'", () => {
  const r = walk([submit(), { type: "failed", code: "wrong_passphrase" }]);
  assert.deepEqual(r.state.status, { message: m("wrong_passphrase"), tone: "error" });
  assert.deepEqual(r.state.steps.key, { phase: "failed", detail: m("stepFailed") });
  assert.equal(r.state.phase, "stopped");
  assert.deepEqual(r.effects, [{ type: "stopped" }]);
  const again = step(r.state, submit());
  assert.equal(again.state.phase, "running", "a new try starts afresh");
  assert.equal(again.state.status, null);
  assert.deepEqual(again.state.steps.key.detail, m("opening"));
});

test("a key file of another vote or another member is refused", () => {
  let r = walk([submit(), { type: "keyOpened", index: 2, voteId: "other" }]);
  assert.deepEqual(r.state.status.message, m("otherVote"));
  r = walk([submit(), { type: "keyOpened", index: 3, voteId: VOTE }]);
  assert.deepEqual(r.state.status.message, m("notMine", { x: 3, me: 2 }));
  assert.equal(r.state.steps.key.phase, "failed");
  r = walk([submit(), { type: "keyOpened", index: 3, voteId: VOTE }], initial({ vote: VOTE, me: 0 }));
  assert.equal(r.state.steps.key.phase, "done", "an admin's page does not know the member");
});

test("key → manifest → board: each step done with its note, the next one active", () => {
  let r = walk([submit(), { type: "keyOpened", index: 2, voteId: VOTE }]);
  assert.deepEqual(r.state.steps.key, { phase: "done", detail: m("keyOf", { x: 2 }) });
  assert.deepEqual(r.effects, [{ type: "loadManifest" }]);
  r = walk([{ type: "manifestChecked", fpHex: FP }], r.state);
  assert.deepEqual(r.state.steps.manifest, { phase: "done", detail: m("fingerprintOf", { fp: "ABAB ABAB ABAB ABAB…" }) });
  assert.equal(r.state.steps.board.phase, "active");
  assert.deepEqual(r.effects, [{ type: "loadBoard" }]);
});

test("a manifest that does not match the fingerprint stops at the manifest step", () => {
  const r = walk([submit(), { type: "keyOpened", index: 2, voteId: VOTE }, { type: "failed", code: "bad_fingerprint" }]);
  assert.deepEqual(r.state.status.message, m("bad_fingerprint"));
  assert.deepEqual(phases(r.state), { key: "done", manifest: "failed", board: "", share: "" });
});

test("the board: counted already, not closed, another vote's, or checked with progress", () => {
  let r = walk([...toBoard, { ...loaded, state: "counted" }]);
  assert.deepEqual(r.state.status, { message: m("counted"), tone: "ok" });
  assert.equal(r.state.resultsLink, true);
  assert.equal(r.state.counted, true);
  assert.equal(r.state.steps.board.phase, "", "not a failure");
  r = walk([...toBoard, { ...loaded, state: "open" }]);
  assert.deepEqual(r.state.status.message, m("notClosed"));
  r = walk([...toBoard, { ...loaded, fingerprint: "cd".repeat(32) }]);
  assert.deepEqual(r.state.status.message, m("boardFingerprint"));
  r = walk([...toBoard, loaded]);
  assert.deepEqual(r.effects, [{ type: "decryptBoard" }]);
  assert.deepEqual(r.state.progress, { done: 0, total: 6 });
  assert.deepEqual(r.state.steps.board.detail, m("checking", { n: 1, total: 6 }));
  r = walk([{ type: "progress", done: 3, total: 6 }], r.state);
  assert.deepEqual(r.state.steps.board.detail, m("checking", { n: 4, total: 6 }));
  r = walk([{ type: "progress", done: 6, total: 6 }], r.state);
  assert.deepEqual(r.state.steps.board.detail, m("checking", { n: 6, total: 6 }));
});

test("a bad board names the ballot and the reason", () => {
  const r = walk([...toBoard, loaded, { type: "failed", code: "bad_board", entry: 4, causeCode: "bad_proof" }]);
  assert.deepEqual(r.state.status.message, m("badBoard", { n: 4, why: m("why_proof") }));
  assert.equal(r.state.steps.board.phase, "failed");
  assert.equal(boardWhy({ text: "bad_board: chain broken at 3" }), "why_chain");
  assert.equal(boardWhy({ text: "tracker differs" }), "why_tracker");
  assert.equal(boardWhy({ text: "ciphertext repeats entry 2" }), "why_repeats");
  assert.equal(boardWhy({ text: "seq 3 != 4" }), "why_seq");
  assert.equal(boardWhy({ causeCode: "wrong_election" }), "why_election");
  assert.equal(boardWhy({ text: "?" }), "why_format");
});

test("the closing hash read out in the room must match what the device computed", () => {
  let r = walk([{ ...submit(), announced: "DEAD BEEF" }, ...toBoard.slice(1), loaded, { type: "boardChecked", count: 6, closingHash: CLOSING }]);
  assert.deepEqual(r.state.status.message, m("announcedDiffers"));
  assert.deepEqual(r.state.steps.board, { phase: "done", detail: m("checked", { total: 6 }) });
  assert.equal(r.state.steps.share.phase, "");
  r = walk([{ ...submit(), announced: CLOSING.slice(0, 12) }, ...toBoard.slice(1), loaded, { type: "boardChecked", count: 6, closingHash: CLOSING }]);
  assert.deepEqual(r.effects, [{ type: "submitShare" }]);
  assert.equal(r.state.steps.share.phase, "active");
});

const checked = [...toBoard, loaded, { type: "boardChecked", count: 6, closingHash: CLOSING }];

test("a share sent: 1 of 2, waiting for another member", () => {
  const r = walk([...checked, { type: "shareSent", shares: 1, threshold: 2, decrypted: false }]);
  assert.deepEqual(r.state.status, { message: m("sent", { shares: 1, t: 2, left: 1 }), tone: "ok" });
  assert.deepEqual(r.state.steps.share, { phase: "done", detail: m("shareOf", { shares: 1, t: 2 }) });
  assert.equal(r.state.formHidden, true);
  assert.equal(r.state.resultsLink, false);
  assert.equal(r.state.counted, false, "the badge still waits");
  assert.deepEqual(r.effects, [{ type: "clearPassphrase" }]);
});

test("the last share decrypts: results link, and the badge no longer waits", () => {
  const r = walk([...checked, { type: "shareSent", shares: 2, threshold: 2, decrypted: true }]);
  assert.deepEqual(r.state.status, { message: m("decrypted"), tone: "ok" });
  assert.equal(r.state.resultsLink, true);
  assert.equal(r.state.counted, true);
  assert.equal(r.state.phase, "decrypted");
  assert.deepEqual(r.effects, [{ type: "clearPassphrase" }, { type: "focus", target: "results" }]);
});

test("a refused share, a network error and an unknown failure are shown; late events change nothing", () => {
  let r = walk([...checked, { type: "failed", message: { text: "Phần giải mã không hợp lệ." } }]);
  assert.deepEqual(r.state.status.message, { text: "Phần giải mã không hợp lệ." });
  assert.equal(r.state.steps.share.phase, "failed");
  r = walk([...checked, { type: "failed", offline: true }]);
  assert.deepEqual(r.state.status.message, m("offline"));
  r = walk([...checked, { type: "failed", code: "TypeError" }]);
  assert.deepEqual(r.state.status.message, m("failedCode", { code: "TypeError" }));
  const before = r.state;
  r = walk([{ type: "failed", code: "x" }, { type: "progress", done: 1, total: 6 }, { type: "nonsense" }], before);
  assert.equal(r.state, before);
});
