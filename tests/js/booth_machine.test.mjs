// The booth's state machine (ballot/static/js/app/booth-machine.js): every transition, the
// failures included, without a DOM or a network.
import test from "node:test";
import assert from "node:assert/strict";

const { initial, step, AUTO_RETRIES, RECEIPT_SECONDS } = await import(
  new URL("../../ballot/static/js/app/booth-machine.js", import.meta.url).href
);

const GOOD = "B1HQ-FGJ7-QNZW-K2"; // a code made by ballot/voting/codes.py
const BALLOT = {
  subjects: [
    { name: "Nguyễn Văn Tám", position: "Bí thư" },
    { name: "Trần Thị Kim Phượng", position: "Phó Bí thư" },
    { name: "Huỳnh Thanh Bình", position: "Ủy viên" },
  ],
  levels: [{ code: "high", label: "Tín nhiệm cao" }, { code: "normal", label: "Tín nhiệm" }, { code: "low", label: "Tín nhiệm thấp" }],
  blankAllowed: true,
};

/** Run events in order; return the last {state, effects} and every effect seen. */
function walk(events, state = initial()) {
  let effects = [];
  const all = [];
  for (const event of events) {
    ({ state, effects } = step(state, event));
    all.push(...effects);
  }
  return { state, effects, all };
}

const types = (effects) => effects.map((e) => e.type);
const booted = { type: "booted", fingerprint: "ab".repeat(32), webcrypto: true };
const onBallot = (ballot = BALLOT) => [
  booted,
  { type: "codeSubmitted", typed: GOOD },
  { type: "codeAccepted", code: "B1HQFGJ7QNZWK2", ballot },
];
const filled = [...onBallot(), ...[0, 1, 2].map((row) => ({ type: "chose", row, level: row }))];
const encrypted = { type: "encrypted", ballot: { rows: [] }, tracker: "aa".repeat(32), shortCode: "NANA-NANA" };
const sent = [...filled, { type: "reviewRequested" }, { type: "sendRequested" }, encrypted];

test("arriving: no WebCrypto is fatal; no fingerprint waits; a fingerprint loads the manifest", () => {
  let r = step(initial(), { type: "booted", fingerprint: "ab", webcrypto: false });
  assert.equal(r.state.screen, "fatal");
  assert.deepEqual(r.state.fatal, { message: { key: "webcrypto", params: {} }, code: "no_webcrypto" });
  r = step(initial(), { type: "booted", fingerprint: "", webcrypto: true });
  assert.equal(r.state.screen, "wait");
  assert.deepEqual(types(r.effects), ["pollStatus"]);
  r = step(r.state, { type: "keysReady" });
  assert.equal(r.state.screen, "code");
  assert.ok(types(r.effects).includes("loadContext"));
  r = step(initial(), booted);
  assert.equal(r.state.screen, "code");
  assert.deepEqual(types(r.effects), ["loadContext", "focus"]);
  r = step(r.state, { type: "contextLoaded", fingerprint: "abab abab", ballot: BALLOT });
  assert.equal(r.state.fingerprint, "abab abab");
});

test("a code from the QR link waits for the keys, then is checked at once", () => {
  let r = walk([{ type: "booted", fingerprint: "", webcrypto: true }, { type: "codeSubmitted", typed: GOOD }]);
  assert.equal(r.state.queued, GOOD);
  r = walk([{ type: "keysReady" }], r.state);
  assert.deepEqual(types(r.effects), ["loadContext", "checkCode"]);
  assert.equal(r.effects[1].code, "B1HQFGJ7QNZWK2");
  r = walk([{ ...booted, queued: "b1hq fgj7 qnzw k2" }]);
  assert.equal(r.state.busy, true);
  assert.ok(types(r.effects).includes("checkCode"));
});

test("a manifest that does not match the fingerprint is fatal, and stays so", () => {
  let r = walk([booted, { type: "contextFailed", fatal: true, code: "bad_fingerprint" }]);
  assert.equal(r.state.screen, "fatal");
  assert.equal(r.state.fatal.message.key, "fingerprint");
  r = walk([{ type: "codeSubmitted", typed: GOOD }, { type: "done" }, { type: "restart" }], r.state);
  assert.equal(r.state.screen, "fatal");
  assert.deepEqual(r.all, []);
  r = walk([booted, { type: "contextFailed", fatal: true, code: "wrong_vote" }]);
  assert.equal(r.state.fatal.message.key, "otherVote");
  r = walk([booted, { type: "contextFailed", fatal: true, code: "bad_point" }]);
  assert.equal(r.state.fatal.message.key, "badKey");
});

test("a code that cannot be right is refused on the tablet: nothing is sent", () => {
  const cases = [["", "empty", {}], ["B1HQ-FG", "tooShort", { n: 6 }], ["B1HQ-FGJ7-QNZW-K3", "mistyped", {}]];
  for (const [typed, key, params] of cases) {
    const r = walk([booted, { type: "codeSubmitted", typed }]);
    assert.deepEqual(r.state.codeError, { message: { key, params }, tone: "error" }, typed);
    assert.equal(r.state.busy, false);
    assert.deepEqual(types(r.effects), ["focus"]);
    assert.equal(r.state.codeInput, typed);
    assert.equal(step(r.state, { type: "codeTyped" }).state.codeError, null);
  }
});

test("a good code is checked once; a second submit while busy does nothing", () => {
  const r = walk([booted, { type: "codeSubmitted", typed: "b1hq fgj7-qnzw k2" }]);
  assert.deepEqual(r.effects, [{ type: "checkCode", code: "B1HQFGJ7QNZWK2" }]);
  assert.equal(r.state.busy, true);
  assert.deepEqual(step(r.state, { type: "codeSubmitted", typed: GOOD }).effects, []);
});

test("a refused code (used, revoked) and a network error show the reason on the code screen", () => {
  let r = walk([booted, { type: "codeSubmitted", typed: GOOD }, { type: "codeRefused", message: { text: "Mã phiếu này đã được dùng." } }]);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.busy, false);
  assert.deepEqual(r.state.codeError, { message: { text: "Mã phiếu này đã được dùng." }, tone: "error" });
  r = walk([booted, { type: "codeSubmitted", typed: GOOD }, { type: "codeRefused", message: { key: "offline", params: {} } }]);
  assert.equal(r.state.codeError.message.key, "offline");
  r = walk([booted, { type: "codeSubmitted", typed: GOOD }, { type: "contextFailed", fatal: false, message: null }]);
  assert.equal(r.state.codeError.message.key, "offline");
  assert.equal(r.state.busy, false);
});

test("an accepted code opens an empty ballot for a new session", () => {
  const r = walk(onBallot());
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.choices, [null, null, null]);
  assert.equal(r.state.session, 1);
  assert.equal(r.state.code, "B1HQFGJ7QNZWK2");
});

test("choosing, changing and clearing a row; out-of-range choices are ignored", () => {
  let r = walk([...onBallot(), { type: "chose", row: 0, level: 2 }, { type: "chose", row: 0, level: 1 }]);
  assert.deepEqual(r.state.choices, [1, null, null]);
  r = walk([{ type: "chose", row: 0, level: null }, { type: "chose", row: 5, level: 0 }, { type: "chose", row: 1, level: 3 }], r.state);
  assert.deepEqual(r.state.choices, [null, null, null]);
  const strict = walk([...onBallot({ ...BALLOT, blankAllowed: false }), { type: "chose", row: 0, level: 0 }, { type: "chose", row: 0, level: null }]);
  assert.deepEqual(strict.state.choices, [0, null, null], "no clearing when every row is required");
});

test("a blank row asks first; the safe answer goes back to the ballot", () => {
  let r = walk([...onBallot(), { type: "chose", row: 0, level: 0 }, { type: "chose", row: 1, level: 0 }, { type: "reviewRequested" }]);
  assert.equal(r.state.dialog, "blank");
  assert.deepEqual(r.state.blankNames, ["Huỳnh Thanh Bình"]);
  assert.deepEqual(r.state.missing, [2]);
  assert.deepEqual(r.effects, [{ type: "focus", target: "blankBack" }]);
  const back = step(r.state, { type: "blankBack" });
  assert.equal(back.state.dialog, null);
  assert.equal(back.state.screen, "ballot");
  assert.deepEqual(back.effects, [{ type: "focus", target: "missing" }]);
  const fixed = step(back.state, { type: "chose", row: 2, level: 1 });
  assert.deepEqual(fixed.state.missing, []);
  const blank = step(r.state, { type: "blankConfirmed" });
  assert.equal(blank.state.screen, "review");
  assert.equal(blank.state.dialog, null);
});

test("a vote that requires every row refuses a blank row without a dialog", () => {
  let r = walk([...onBallot({ ...BALLOT, blankAllowed: false }), { type: "chose", row: 0, level: 0 }, { type: "reviewRequested" }]);
  assert.equal(r.state.dialog, null);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.ballotError, { key: "required", params: { names: ["Trần Thị Kim Phượng", "Huỳnh Thanh Bình"] } });
  r = walk([{ type: "chose", row: 1, level: 0 }, { type: "chose", row: 2, level: 0 }], r.state);
  assert.equal(r.state.ballotError, null, "the error goes once every row is answered");
  assert.equal(step(r.state, { type: "blankConfirmed" }).state.screen, "ballot", "no dialog to confirm");
});

test("cancelling a filled ballot asks first; an empty one goes back at once", () => {
  let r = walk([...onBallot(), { type: "chose", row: 0, level: 0 }, { type: "cancelRequested" }]);
  assert.equal(r.state.dialog, "cancel");
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.choices, [0, null, null], "nothing is thrown away yet");
  const kept = step(r.state, { type: "dialogDismissed" });
  assert.equal(kept.state.dialog, null);
  assert.deepEqual(kept.state.choices, [0, null, null]);
  const gone = step(r.state, { type: "cancelConfirmed" });
  assert.equal(gone.state.screen, "code");
  assert.equal(gone.state.choices, null);
  assert.equal(gone.state.code, null);
  r = walk([...onBallot(), { type: "cancelRequested" }]);
  assert.equal(r.state.screen, "code");
  assert.equal(step(walk(onBallot()).state, { type: "cancelConfirmed" }).state.screen, "ballot", "no dialog, no cancel");
});

test("review, back to the ballot with the choices kept, send: encrypt once", () => {
  let r = walk([...filled, { type: "reviewRequested" }]);
  assert.equal(r.state.screen, "review");
  r = walk([{ type: "backToBallot" }], r.state);
  assert.equal(r.state.screen, "ballot");
  assert.deepEqual(r.state.choices, [0, 1, 2]);
  r = walk([{ type: "reviewRequested" }, { type: "sendRequested" }], r.state);
  assert.equal(r.state.screen, "sending");
  assert.deepEqual(r.effects, [{ type: "encrypt", choices: [0, 1, 2] }]);
  assert.deepEqual(r.state.sendingTitle, { key: "encrypting", params: {} });
  assert.deepEqual(step(r.state, { type: "sendRequested" }).effects, [], "a double tap encrypts once");
});

test("an encrypted ballot is fixed: the choices are forgotten and the bytes are sent", () => {
  const r = walk(sent);
  assert.equal(r.state.choices, null);
  assert.deepEqual(r.effects, [{ type: "cast", body: JSON.stringify({ code: "B1HQFGJ7QNZWK2", ballot: { rows: [] } }), delay: 0 }]);
  assert.deepEqual(r.state.sendingTitle, { key: "sending", params: {} });
});

test("a network error retries the very same ballot, then waits for “Gửi lại”, which re-sends it", () => {
  let r = walk(sent);
  const body = r.effects[0].body;
  const delays = [];
  for (let i = 1; i <= AUTO_RETRIES; i++) {
    r = walk([{ type: "castFailed" }], r.state);
    assert.equal(r.effects[0].body, body);
    assert.deepEqual(r.state.sendingStatus, { key: "resending", params: { n: i } });
    delays.push(r.effects[0].delay);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 5000, 5000, 5000]);
  r = walk([{ type: "castFailed" }], r.state);
  assert.equal(r.state.retry, true);
  assert.equal(r.state.busy, false);
  assert.deepEqual(r.state.sendingTitle, { key: "notConfirmed", params: {} });
  assert.deepEqual(r.state.sendingStatus, { key: "stuck", params: {} });
  assert.deepEqual(r.effects, [{ type: "focus", target: "retry" }]);
  r = walk([{ type: "retryRequested" }], r.state);
  assert.deepEqual(r.effects, [{ type: "cast", body, delay: 0 }]);
  assert.equal(r.state.retry, false);
  assert.deepEqual(types(step(r.state, { type: "sendRequested" }).effects), [], "no second encryption");
});

test("the receipt: the short code, a warning when the server's differs, then forgotten", () => {
  let r = walk([...sent, { type: "castAccepted", receipt: { tracker: "aa".repeat(32), short_code: "NANA-NANA" } }]);
  assert.equal(r.state.screen, "receipt");
  assert.deepEqual(r.state.receipt, { shortCode: "NANA-NANA", mismatch: false, serverShort: "NANA-NANA" });
  assert.equal(r.state.code, null);
  assert.equal(r.state.pending, null);
  assert.deepEqual(types(r.effects), ["startCountdown", "focus"]);
  assert.equal(r.state.countdown, RECEIPT_SECONDS);
  for (let i = 1; i < RECEIPT_SECONDS; i++) r = walk([{ type: "tick" }], r.state);
  assert.equal(r.state.countdown, 1);
  r = walk([{ type: "tick" }], r.state);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.receipt, null);
  assert.deepEqual(types(r.effects), ["stopCountdown", "focus"]);
  r = walk([...sent, { type: "castAccepted", receipt: { tracker: "bb".repeat(32), short_code: "XXXX-XXXX" } }]);
  assert.deepEqual(r.state.receipt, { shortCode: "NANA-NANA", mismatch: true, serverShort: "XXXX-XXXX" });
  r = walk([{ type: "done" }], r.state);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.receipt, null);
});

test("a refused ballot shows the server's reason and forgets the ballot", () => {
  let r = walk([...sent, { type: "castRefused", message: { text: "Mã phiếu này đã được dùng." } }]);
  assert.equal(r.state.screen, "error");
  assert.deepEqual(r.state.errorText, { text: "Mã phiếu này đã được dùng." });
  assert.equal(r.state.pending, null);
  assert.deepEqual(step(r.state, { type: "retryRequested" }).effects, [], "nothing left to re-send");
  r = walk([{ type: "restart" }], r.state);
  assert.equal(r.state.screen, "code");
  r = walk([...sent, { type: "castRefused", message: null }]);
  assert.deepEqual(r.state.errorText, { key: "server", params: {} });
});

test("an encryption failure: internal error, or fatal when the keys are bad", () => {
  const before = [...filled, { type: "reviewRequested" }, { type: "sendRequested" }];
  let r = walk([...before, { type: "encryptFailed", fatal: false }]);
  assert.equal(r.state.screen, "error");
  assert.deepEqual(r.state.errorText, { key: "internal", params: {} });
  r = walk([...before, { type: "encryptFailed", fatal: true, code: "bad_fingerprint" }]);
  assert.equal(r.state.screen, "fatal");
});

test("a voter who walks away is forgotten, with a notice; nothing happens elsewhere", () => {
  let r = walk([...filled, { type: "idle" }]);
  assert.equal(r.state.screen, "code");
  assert.equal(r.state.choices, null);
  assert.deepEqual(r.state.codeError, { message: { key: "idle", params: {} }, tone: "info" });
  r = walk([...sent, { type: "idle" }]);
  assert.equal(r.state.screen, "sending", "never while sending");
  r = walk([booted, { type: "idle" }, { type: "tick" }, { type: "done" }, { type: "nonsense" }]);
  assert.equal(r.state.screen, "code");
});
