// The booth's state machine on an election ballot (booth-machine.js with election-ballot.js):
// keeping and crossing out names, the live count, every refusal (too many kept, too few,
// persons not marked) and the way out (encrypt, send, network error, code or ballot refused,
// receipt, the next voter), without a DOM or a network.
import test from "node:test";
import assert from "node:assert/strict";

const { initial, step, AUTO_RETRIES } = await import(new URL("../../ballot/static/js/app/booth-machine.js", import.meta.url).href);
const eb = await import(new URL("../../ballot/static/js/app/election-ballot.js", import.meta.url).href);

const GOOD = "B1HQ-FGJ7-QNZW-K2"; // a code made by ballot/voting/codes.py
const CODE = "B1HQFGJ7QNZWK2";
const names = (n) => Array.from({ length: n }, (_, i) => ({ name: `Ứng cử viên ${i + 1}`, position: "Ủy viên" }));
/** A manifest's rules.election as ElectionRules.as_manifest writes it. */
const rules = (candidates, seats, withSurplus = true) => ({
  regulation: "190-QĐ/TW", kind: "standing_committee", seats, candidates, min_kept: withSurplus ? 1 : 0,
  with_surplus: withSurplus, majority_base: "convened", surplus_decision: "",
});
const ballotOf = (candidates, seats, withSurplus = true) => ({
  subjects: names(candidates),
  levels: [withSurplus ? { code: "keep", label: "Giữ lại" } : { code: "agree", label: "Đồng ý" }],
  blankAllowed: true,
  election: eb.electionOf({ rules: { election: rules(candidates, seats, withSurplus) } }),
});
const NINE_OF_ELEVEN = ballotOf(11, 9);
const NO_SURPLUS = ballotOf(3, 3, false);
const m = (key, params = {}) => ({ key, params });
const types = (effects) => effects.map((e) => e.type);

function walk(events, state = initial()) {
  let effects = [];
  const all = [];
  for (const event of events) {
    ({ state, effects } = step(state, event));
    all.push(...effects);
  }
  return { state, effects, all };
}

const booted = { type: "booted", fingerprint: "ab".repeat(32), webcrypto: true };
const onBallot = (ballot = NINE_OF_ELEVEN) => [booted, { type: "codeSubmitted", typed: GOOD }, { type: "codeAccepted", code: CODE, ballot }];
const cross = (...rows) => rows.map((row) => ({ type: "marked", row, kept: false }));
const valid = [...onBallot(), ...cross(3, 7)]; // keeps 9 of 11
const encrypted = { type: "encrypted", ballot: { cts: [] }, tracker: "aa".repeat(32), shortCode: "NANA-NANA" };
const sent = [...valid, { type: "reviewRequested" }, { type: "sendRequested" }, encrypted];

test("the election of a manifest; none for a confidence vote", () => {
  assert.equal(eb.electionOf({ rules: { quorum: [2, 3] } }), null);
  assert.deepEqual(NINE_OF_ELEVEN.election, { seats: 9, minKept: 1, candidates: 11, withSurplus: true });
  assert.deepEqual(NO_SURPLUS.election, { seats: 3, minKept: 0, candidates: 3, withSurplus: false });
});

test("an election manifest the crypto cannot use is fatal before any code is taken", () => {
  const r = walk([booted, { type: "contextFailed", fatal: true, code: "bad_manifest" }, { type: "codeSubmitted", typed: GOOD }]);
  assert.equal(r.state.screen, "fatal");
  assert.deepEqual(r.state.fatal, { message: m("badManifest"), code: "bad_manifest" });
  assert.deepEqual(r.all.filter((e) => e.type === "checkCode"), []);
});

test("a fresh ballot keeps every name of a list with surplus, and marks nobody without", () => {
  let r = walk(onBallot());
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.choices, new Array(11).fill(true));
  assert.deepEqual(eb.tally(NINE_OF_ELEVEN.election, r.state.choices), { kept: 11, seats: 9, minKept: 1, over: 2, under: 0, open: 0, tone: "over" });
  r = walk(onBallot(NO_SURPLUS));
  assert.deepEqual(r.state.choices, [null, null, null]);
  assert.equal(eb.tally(NO_SURPLUS.election, r.state.choices).tone, "open");
});

test("keeping and crossing out names; the counter follows; a level choice means nothing here", () => {
  let r = walk([...onBallot(), ...cross(0, 1)]);
  assert.deepEqual(r.state.choices.slice(0, 3), [false, false, true]);
  assert.deepEqual(eb.tally(NINE_OF_ELEVEN.election, r.state.choices).tone, "ok");
  r = walk([{ type: "marked", row: 0, kept: true }], r.state);
  assert.equal(eb.keptCount(r.state.choices), 10);
  for (const bad of [{ row: -1, kept: false }, { row: 11, kept: false }, { row: 1.5, kept: false }, { row: 1, kept: "no" }]) {
    assert.deepEqual(step(r.state, { type: "marked", ...bad }).state, r.state);
  }
  assert.deepEqual(step(r.state, { type: "chose", row: 2, level: 0 }).state, r.state);
  const code = walk([booted]).state;
  assert.deepEqual(step(code, { type: "marked", row: 0, kept: false }).state, code, "no ballot on screen");
});

test("too many kept: review is refused with the reason, and the reason follows the marks", () => {
  let r = walk([...onBallot(), { type: "reviewRequested" }]);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.ballotError, m("tooMany", { kept: 11, seats: 9, over: 2 }));
  assert.deepEqual(r.effects, [{ type: "focus", target: "ballotError" }]);
  r = walk(cross(4), r.state);
  assert.deepEqual(r.state.ballotError, m("tooMany", { kept: 10, seats: 9, over: 1 }));
  r = walk(cross(5), r.state);
  assert.equal(r.state.ballotError, null);
  r = walk([{ type: "reviewRequested" }], r.state);
  assert.equal(r.state.screen, "review");
  assert.deepEqual(r.effects, [{ type: "focus", target: "review" }]);
});

test("every name crossed out: refused (190-QĐ/TW, m0 = 1); keeping one makes it sendable", () => {
  const all = cross(...Array.from({ length: 11 }, (_, i) => i));
  let r = walk([...onBallot(), ...all, { type: "reviewRequested" }]);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.ballotError, m("allCrossed", { min: 1 }));
  assert.equal(eb.tally(NINE_OF_ELEVEN.election, r.state.choices).tone, "under");
  r = walk([{ type: "marked", row: 10, kept: true }, { type: "reviewRequested" }], r.state);
  assert.equal(r.state.screen, "review");
  // a minimum above one (a rule set may ask it) is explained with its number
  const two = { ...NINE_OF_ELEVEN, election: { ...NINE_OF_ELEVEN.election, minKept: 2 } };
  r = walk([...onBallot(two), ...all, { type: "marked", row: 0, kept: true }, { type: "reviewRequested" }]);
  assert.deepEqual(r.state.ballotError, m("tooFew", { kept: 1, min: 2 }));
});

test("a list without surplus: every person must be marked đồng ý or không đồng ý", () => {
  let r = walk([...onBallot(NO_SURPLUS), { type: "marked", row: 1, kept: true }, { type: "reviewRequested" }]);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.ballotError, m("unmarked", { n: 2, names: ["Ứng cử viên 1", "Ứng cử viên 3"] }));
  assert.deepEqual(r.state.missing, [0, 2]);
  assert.deepEqual(r.effects, [{ type: "focus", target: "missing" }]);
  r = walk([{ type: "marked", row: 0, kept: false }], r.state);
  assert.deepEqual(r.state.missing, [2]);
  assert.deepEqual(r.state.ballotError, m("unmarked", { n: 1, names: ["Ứng cử viên 3"] }));
  r = walk([{ type: "marked", row: 2, kept: false }, { type: "reviewRequested" }], r.state);
  assert.equal(r.state.screen, "review", "disagreeing with everyone is valid without surplus (m0 = 0)");
  r = walk([{ type: "sendRequested" }], r.state);
  assert.deepEqual(r.effects, [{ type: "encrypt", choices: [false, true, false], election: true }]);
});

test("cancel: an untouched ballot goes back at once; a marked one asks first", () => {
  let r = walk([...onBallot(), { type: "cancelRequested" }]);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.choices, null);
  r = walk([...onBallot(), ...cross(2), { type: "cancelRequested" }]);
  assert.equal(r.state.dialog, "cancel");
  r = walk([{ type: "dialogDismissed" }], r.state);
  assert.equal(r.state.screen, "ballot");
  assert.equal(r.state.choices[2], false, "the marks are kept");
  r = walk([{ type: "cancelRequested" }, { type: "cancelConfirmed" }], r.state);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.code, null);
  r = walk([...onBallot(NO_SURPLUS), { type: "cancelRequested" }]);
  assert.equal(r.state.screen, "code", "nobody marked yet");
});

test("review, back to fix, send: the crypto gets one boolean per name, once", () => {
  let r = walk([...valid, { type: "reviewRequested" }, { type: "backToBallot" }]);
  assert.equal(r.state.screen, "ballot");
  assert.equal(eb.keptCount(r.state.choices), 9);
  r = walk([{ type: "reviewRequested" }, { type: "sendRequested" }], r.state);
  assert.equal(r.state.screen, "sending");
  assert.deepEqual(r.state.sendingTitle, m("encrypting"));
  const kept = new Array(11).fill(true);
  kept[3] = kept[7] = false;
  assert.deepEqual(r.effects, [{ type: "encrypt", choices: kept, election: true }]);
  assert.deepEqual(step(r.state, { type: "sendRequested" }).effects, [], "one encryption at a time");
});

test("a review state with a bad count (never reached by the screens) is not encrypted", () => {
  const onReview = walk([...valid, { type: "reviewRequested" }]).state;
  const forced = { ...onReview, choices: new Array(11).fill(true) };
  const r = step(forced, { type: "sendRequested" });
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.ballotError, m("tooMany", { kept: 11, seats: 9, over: 2 }));
  assert.ok(!types(r.effects).includes("encrypt"));
});

test("the crypto refusing the count, or failing, sends nothing", () => {
  let r = walk([...valid, { type: "reviewRequested" }, { type: "sendRequested" }, { type: "encryptFailed", code: "bad_count" }]);
  assert.equal(r.state.screen, "error");
  assert.deepEqual(r.state.errorText, m("countRefused"));
  assert.equal(r.state.pending, null);
  assert.equal(r.state.code, null);
  r = walk([...valid, { type: "reviewRequested" }, { type: "sendRequested" }, { type: "encryptFailed", fatal: true, code: "bad_manifest" }]);
  assert.equal(r.state.screen, "fatal");
});

test("encrypted: the ballot is fixed, the marks forgotten, and sent", () => {
  const r = walk(sent);
  assert.equal(r.state.choices, null);
  assert.equal(r.state.pending.body, JSON.stringify({ code: CODE, ballot: { cts: [] } }));
  assert.deepEqual(r.effects, [{ type: "cast", body: r.state.pending.body, delay: 0 }]);
});

test("a network error re-sends the very same bytes, then offers a retry", () => {
  let r = walk(sent);
  const body = r.state.pending.body;
  for (let i = 1; i <= AUTO_RETRIES; i++) {
    r = walk([{ type: "castFailed" }], r.state);
    assert.deepEqual(types(r.effects), ["cast"]);
    assert.equal(r.effects[0].body, body);
  }
  r = walk([{ type: "castFailed" }], r.state);
  assert.equal(r.state.retry, true);
  assert.deepEqual(r.state.sendingStatus, m("stuck"));
  r = walk([{ type: "retryRequested" }], r.state);
  assert.equal(r.effects[0].body, body);
});

test("a refused code stays on the code screen; a refused ballot ends on the error screen", () => {
  let r = walk([booted, { type: "codeSubmitted", typed: GOOD }, { type: "codeRefused", message: { text: "Mã đã dùng" } }]);
  assert.equal(r.state.screen, "code");
  assert.deepEqual(r.state.codeError, { message: { text: "Mã đã dùng" }, tone: "error" });
  r = walk([...sent, { type: "castRefused", message: { text: "Phiếu không hợp lệ" } }]);
  assert.equal(r.state.screen, "error");
  assert.deepEqual(r.state.errorText, { text: "Phiếu không hợp lệ" });
  assert.equal(r.state.pending, null);
  r = walk([{ type: "restart" }], r.state);
  assert.equal(r.state.screen, "code");
});

test("receipt, then the next voter gets a fresh ballot with every name kept", () => {
  let r = walk([...sent, { type: "castAccepted", receipt: { tracker: "aa".repeat(32), short_code: "NANA-NANA" } }]);
  assert.equal(r.state.screen, "receipt");
  assert.equal(r.state.receipt.shortCode, "NANA-NANA");
  assert.equal(r.state.receipt.mismatch, false);
  r = walk([{ type: "done" }, { type: "codeSubmitted", typed: GOOD }, { type: "codeAccepted", code: CODE }], r.state);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.choices, new Array(11).fill(true));
  assert.equal(r.state.ballotError, null);
});

test("a walked-away voter with a marked ballot is forgotten", () => {
  const r = walk([...valid, { type: "idle" }]);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.choices, null);
  assert.deepEqual(r.state.codeError, { message: m("idle"), tone: "info" });
});

test("forty names: a congress list of 33 of 40 keeps at most 33", () => {
  const congress = ballotOf(40, 33);
  let r = walk([...onBallot(congress), ...cross(0, 1, 2, 3, 4, 5), { type: "reviewRequested" }]);
  assert.deepEqual(r.state.ballotError, m("tooMany", { kept: 34, seats: 33, over: 1 }));
  r = walk([...cross(39), { type: "reviewRequested" }], r.state);
  assert.equal(r.state.screen, "review");
  assert.equal(eb.keptList(r.state.choices).filter(Boolean).length, 33);
});
