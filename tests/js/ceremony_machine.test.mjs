// The key ceremony page's state machine (ballot/static/js/app/ceremony-machine.js): every
// transition, the failures included, without a DOM, a network or a secret.
import test from "node:test";
import assert from "node:assert/strict";

const { initial, step, POLL_MS, MIN_PASSPHRASE } = await import(
  new URL("../../ballot/static/js/app/ceremony-machine.js", import.meta.url).href
);

const VOTE = "18af5393-c361-41d8-bb31-4dd6b44abc5c";
const m = (key, params = {}) => ({ key, params });

/** A ceremony state as the server sends it, member 2 of 3 (threshold 2). */
function server({ state = "ceremony", committed = 0, dealt = 0, done = 0, myCommit = null, commits = null, inbox = null, fp = null } = {}) {
  const names = ["Đặng Quốc Khánh", "Nguyễn Thị Thu Hà", "Trương Văn Hùng"];
  return {
    state, vote_id: VOTE, threshold: 2, size: 3, me: 2, ceremony_id: "cid", fingerprint: fp,
    my_commit: myCommit, commits, inbox,
    trustees: names.map((name, i) => ({
      index: i + 1, name, chair: i === 0, committed: i < committed, dealt: i < dealt, done: i < done,
    })),
  };
}

function walk(events, state = initial({ vote: VOTE })) {
  let effects = [];
  for (const event of events) ({ state, effects } = step(state, event));
  return { state, effects };
}
const phases = (state) => Object.fromEntries(Object.entries(state.steps).map(([k, v]) => [k, v.phase]));
const good = { type: "submitted", length: 12, same: true };
const started = [good, { type: "startState", s: server(), cidOk: true }];
const polledWith = (s, mine = "C2", seen = "ALL") => ({ type: "polled", s, commitsText: s.commits ? seen : null, myCommitText: s.commits ? mine : null });
const afterCommit = [...started, { type: "committed", mine: "C2" }];
const afterDeal = [...afterCommit, polledWith(server({ committed: 3, myCommit: {}, commits: [1, 2, 3] })), { type: "dealt", count: 2 }];
const afterFinish = [...afterDeal, polledWith(server({ committed: 3, dealt: 3, myCommit: {}, commits: [1, 2, 3], inbox: [1, 3] })), { type: "finished" }];

test("arriving: not started, over, already done, secret lost, or ready to start", () => {
  let r = step(initial({ vote: VOTE }), { type: "arrived", s: server({ state: "draft" }) });
  assert.deepEqual(r.state.status, { message: m("notStarted"), tone: "" });
  assert.equal(r.state.formHidden, true);
  r = step(initial({ vote: VOTE }), { type: "arrived", s: server({ state: "ready", fp: "ab".repeat(32) }) });
  assert.deepEqual(r.state.status, { message: m("over"), tone: "ok" });
  assert.equal(r.state.fingerprint, "ab".repeat(32));
  r = step(initial({ vote: VOTE }), { type: "arrived", s: server({ committed: 3, done: 2 }) });
  assert.deepEqual(r.state.status, { message: m("doneWaiting"), tone: "ok" });
  r = step(initial({ vote: VOTE }), { type: "arrived", s: server({ myCommit: {} }) });
  assert.deepEqual(r.state.status, { message: m("lost"), tone: "error" });
  assert.equal(r.state.formHidden, false);
  r = step(initial({ vote: VOTE }), { type: "arrived", s: server() });
  assert.equal(r.state.status, null);
  assert.equal(r.state.members.trustees.length, 3);
  r = step(initial({ vote: VOTE }), { type: "arrivalFailed", message: { text: "HTTP 500" } });
  assert.deepEqual(r.state.status, { message: { text: "HTTP 500" }, tone: "error" });
});

test("the passphrase: too short, or typed twice differently, starts nothing", () => {
  let r = step(initial({ vote: VOTE }), { type: "submitted", length: MIN_PASSPHRASE - 1, same: true });
  assert.deepEqual(r.state.status, { message: m("short", { n: MIN_PASSPHRASE }), tone: "error" });
  assert.deepEqual(r.effects, [{ type: "focus", target: "passphrase" }]);
  r = step(initial({ vote: VOTE }), { type: "submitted", length: 12, same: false });
  assert.deepEqual(r.state.status.message, m("differ"));
  assert.deepEqual(r.effects, [{ type: "focus", target: "passphrase2" }]);
  r = step(initial({ vote: VOTE }), { ...good, webcrypto: false });
  assert.deepEqual(r.state.status.message, m("webcrypto"));
  r = step(initial({ vote: VOTE }), good);
  assert.equal(r.state.phase, "running");
  assert.deepEqual(r.effects, [{ type: "fetchForStart" }]);
  assert.deepEqual(step(r.state, good).effects, [], "one run at a time");
});

test("the start is refused when the ceremony is not running, my secret is lost, or the ceremony id differs", () => {
  const cases = [
    [server({ state: "draft" }), true, "notStarted"],
    [server({ state: "ready" }), true, "over"],
    [server({ myCommit: {} }), true, "lost"],
    [server(), false, "cid"],
    [{ ...server(), vote_id: "another" }, true, "cid"],
  ];
  for (const [s, cidOk, key] of cases) {
    const r = walk([good, { type: "startState", s, cidOk }]);
    assert.deepEqual(r.state.status, { message: m(key), tone: "error" }, key);
    assert.equal(r.state.phase, "stopped");
    assert.deepEqual(r.effects, [{ type: "forget" }]);
  }
});

test("start: the form goes, the steps show, leaving the page is guarded, commit", () => {
  const r = walk(started);
  assert.equal(r.state.formHidden, true);
  assert.equal(r.state.stepsShown, true);
  assert.equal(r.state.guardUnload, true);
  assert.deepEqual(r.state.status, { message: m("working"), tone: "" });
  assert.equal(r.state.steps.commit.phase, "active");
  assert.deepEqual(r.effects, [{ type: "commit", me: 2, t: 2, n: 3 }]);
});

test("waiting for commitments shows k of n, polls, then deals against what it checked", () => {
  let r = walk(afterCommit);
  assert.deepEqual(phases(r.state).commit, "done");
  assert.deepEqual(r.effects, [{ type: "poll", delay: 0 }]);
  r = walk([polledWith(server({ committed: 2, myCommit: {} }))], r.state);
  assert.deepEqual(r.state.steps.commits, { phase: "active", detail: m("sentOf", { k: 2, n: 3 }) });
  assert.deepEqual(r.effects, [{ type: "poll", delay: POLL_MS }]);
  const s = server({ committed: 3, myCommit: {}, commits: [1, 2, 3] });
  r = walk([polledWith(s)], r.state);
  assert.deepEqual(r.state.steps.commits, { phase: "done", detail: m("sentOf", { k: 3, n: 3 }) });
  assert.equal(r.state.steps.shares.phase, "active");
  assert.equal(r.state.commitsSeen, "ALL");
  assert.deepEqual(r.effects, [{ type: "deal", s }]);
});

test("my commitment changed on the server: stop", () => {
  const r = walk([...afterCommit, polledWith(server({ committed: 3, myCommit: {}, commits: [1, 2, 3] }), "FORGED")]);
  assert.deepEqual(r.state.status.message, m("myCommit"));
  assert.equal(r.state.guardUnload, false);
});

test("the admin restarted the ceremony under us: back to the form, steps cleared", () => {
  const r = walk([...afterCommit, polledWith(server({ committed: 0 }))]);
  assert.deepEqual(r.state.status, { message: m("reset"), tone: "error" });
  assert.equal(r.state.formHidden, false);
  assert.equal(r.state.phase, "idle");
  assert.ok(Object.values(r.state.steps).every((x) => x.phase === "" && x.detail === null));
  assert.equal(step(r.state, good).state.phase, "running", "a new start is possible");
});

test("the ceremony ended while we waited: stop with 'over'", () => {
  const r = walk([...afterCommit, polledWith(server({ state: "draft", committed: 1, myCommit: {} }))]);
  assert.deepEqual(r.state.status.message, m("over"));
  assert.equal(r.state.steps.commits.phase, "failed");
});

test("dealt → my inbox → check: the commitments must be the ones dealt against", () => {
  let r = walk(afterDeal);
  assert.deepEqual(r.state.steps.shares, { phase: "done", detail: m("dealtOf", { k: 2 }) });
  assert.equal(r.state.steps.inbox.phase, "active");
  assert.deepEqual(r.effects, [{ type: "poll", delay: 0 }]);
  r = walk([polledWith(server({ committed: 3, dealt: 1, myCommit: {}, commits: [1, 2, 3] }))], r.state);
  assert.deepEqual(r.state.steps.inbox.detail, m("sentOf", { k: 1, n: 3 }));
  const full = server({ committed: 3, dealt: 3, myCommit: {}, commits: [1, 2, 3], inbox: [1, 3] });
  const swapped = walk([polledWith(full, "C2", "OTHER")], r.state);
  assert.deepEqual(swapped.state.status.message, m("myCommit"));
  r = walk([polledWith(full)], r.state);
  assert.deepEqual(r.state.steps.inbox, { phase: "done", detail: m("received", { k: 2 }) });
  assert.deepEqual(r.effects, [{ type: "finish", s: full }]);
});

test("a bad dealer is named; a refused post and a crypto failure stop the run", () => {
  const before = walk(afterDeal.slice(0, -1)).state;
  let r = step(before, { type: "failed", dealer: 3 });
  assert.deepEqual(r.state.status.message, m("badDealer", { name: "Trương Văn Hùng", x: 3 }));
  assert.equal(r.state.steps.shares.phase, "failed");
  r = step(before, { type: "failed", message: { text: "Thành viên đã gửi." } });
  assert.deepEqual(r.state.status.message, { text: "Thành viên đã gửi." });
  r = step(before, { type: "failed", code: "no_webcrypto" });
  assert.deepEqual(r.state.status.message, m("webcrypto"));
  r = step(before, { type: "failed", code: "bad_share" });
  assert.deepEqual(r.state.status.message, m("failed", { code: "bad_share" }));
  assert.equal(step(r.state, { type: "failed", code: "again" }).state, r.state, "once stopped, nothing more");
});

test("sealed: download offered; then the manifest is checked when everyone is done", () => {
  let r = walk(afterFinish);
  assert.deepEqual(r.state.steps.check, { phase: "done", detail: m("checkOk") });
  assert.equal(r.state.download, true);
  assert.deepEqual(r.state.status, { message: m("saved"), tone: "ok" });
  r = walk([polledWith(server({ committed: 3, dealt: 3, done: 2, myCommit: {}, commits: [1, 2, 3] }))], r.state);
  assert.deepEqual(r.state.steps.ready.detail, m("doneOf", { k: 2, n: 3 }));
  const over = server({ state: "ready", committed: 3, dealt: 3, done: 3, myCommit: {}, commits: [1, 2, 3], fp: "ab".repeat(32) });
  r = walk([polledWith(over)], r.state);
  assert.deepEqual(r.effects, [{ type: "checkManifest", s: over }]);
  const kept = walk([{ type: "manifestChecked", ok: true, fingerprint: "ab".repeat(32) }], r.state);
  assert.deepEqual(kept.state.status, { message: m("readySave"), tone: "ok" }, "the key file is not downloaded yet");
  assert.deepEqual(kept.state.steps.ready, { phase: "done", detail: m("doneOf", { k: 3, n: 3 }) });
  const late = walk([{ type: "keyDownloaded" }], kept.state);
  assert.deepEqual(late.state.status, { message: m("ready"), tone: "ok" }, "downloaded after the end: no more reminder");
  const downloaded = walk([{ type: "keyDownloaded" }, { type: "manifestChecked", ok: true, fingerprint: "ab".repeat(32) }], r.state);
  assert.deepEqual(downloaded.state.status.message, m("ready"));
  assert.equal(downloaded.state.guardUnload, false);
  const bad = walk([{ type: "manifestChecked", ok: false, fingerprint: null }], r.state);
  assert.deepEqual(bad.state.status, { message: m("manifestBad"), tone: "error" });
  assert.equal(bad.state.steps.ready.phase, "failed");
});

test("offline while running is said, and cleared when the server answers again", () => {
  let r = walk([...afterCommit, { type: "offline" }]);
  assert.deepEqual(r.state.status, { message: m("offline"), tone: "error" });
  r = walk([polledWith(server({ committed: 1, myCommit: {} }))], r.state);
  assert.deepEqual(r.state.status, { message: m("working"), tone: "" });
  const idle = initial({ vote: VOTE });
  assert.equal(step(idle, { type: "offline" }).state, idle);
  assert.equal(step(idle, { type: "nonsense" }).state, idle);
});
