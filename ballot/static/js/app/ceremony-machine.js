// A counting-committee member's part of the key ceremony as a pure state machine (no DOM,
// no network, no secrets): commit → wait for every commitment → deal the shares → wait for
// my inbox → check, seal and confirm → wait until every member is done and check the
// published manifest. step(state, event) → {state, effects}; ceremony.js runs the effects
// and keeps the member's secret polynomial and key in its own memory.

import { msg } from "./common.js";

export const STEPS = ["commit", "commits", "shares", "inbox", "check", "ready"];
export const MIN_PASSPHRASE = 10;
export const POLL_MS = 1500;

export function initial({ vote = "" } = {}) {
  return {
    vote,
    phase: "arriving", // arriving | idle | running | stopped | ready
    members: null, // the last ceremony state from the server (names, marks; no secrets)
    fingerprint: null,
    formHidden: false,
    stepsShown: false,
    steps: Object.fromEntries(STEPS.map((name) => [name, { phase: "", detail: null }])),
    status: null, // {message, tone}
    guardUnload: false,
    download: false,
    waiting: null, // "commits" | "inbox" | "ready" while polling
    sentCommit: false,
    mine: null, // canonical JSON of my commitment
    commitsSeen: null, // canonical JSON of the commitments I dealt against
  };
}

const out = (state, ...effects) => ({ state, effects });
const status = (state, message, tone = "") => ({ ...state, status: { message, tone } });
const setStep = (state, name, phase, detail) => ({
  ...state,
  steps: { ...state.steps, [name]: { phase, detail: detail === undefined ? state.steps[name].detail : detail } },
});
const count = (s, field) => s.trustees.filter((t) => t[field]).length;
const seen = (state, s) => ({ ...state, members: s, fingerprint: s.fingerprint || state.fingerprint });

function stop(state, message, { restart = false } = {}) {
  let s = { ...status(state, message, "error"), phase: "stopped", guardUnload: false, waiting: null };
  for (const name of STEPS) if (s.steps[name].phase === "active") s = setStep(s, name, "failed");
  if (restart) {
    s = { ...s, phase: "idle", formHidden: false, sentCommit: false, mine: null, commitsSeen: null };
    for (const name of STEPS) s = setStep(s, name, "", null);
  }
  return out(s, { type: "forget" });
}

function arrived(state, { s }) {
  const next = { ...seen(state, s), phase: "idle" };
  if (s.state !== "ceremony") {
    return out({ ...status(next, msg(s.state === "draft" ? "notStarted" : "over"), s.state === "draft" ? "" : "ok"), formHidden: true });
  }
  if (s.trustees.find((t) => t.index === s.me)?.done) return out({ ...status(next, msg("doneWaiting"), "ok"), formHidden: true });
  if (s.my_commit) return out(status(next, msg("lost"), "error"));
  return out(next);
}

function submitted(state, { length, same, webcrypto = true }) {
  if (state.phase === "running") return out(state);
  if (length < MIN_PASSPHRASE) return out(status(state, msg("short", { n: MIN_PASSPHRASE }), "error"), { type: "focus", target: "passphrase" });
  if (!same) return out(status(state, msg("differ"), "error"), { type: "focus", target: "passphrase2" });
  if (!webcrypto) return stop(state, msg("webcrypto"));
  return out({ ...state, phase: "running", status: null }, { type: "fetchForStart" });
}

function startState(state, { s, cidOk }) {
  const next = seen(state, s);
  if (s.state !== "ceremony") return stop(next, msg(s.state === "draft" ? "notStarted" : "over"));
  if (s.my_commit) return stop(next, msg("lost"));
  if (!cidOk || s.vote_id !== state.vote) return stop(next, msg("cid"));
  let r = { ...status(next, msg("working")), formHidden: true, stepsShown: true, guardUnload: true };
  r = setStep(r, "commit", "active");
  return out(r, { type: "commit", me: s.me, t: s.threshold, n: s.size });
}

function committed(state, { mine }) {
  let s = { ...state, mine, sentCommit: true, waiting: "commits" };
  s = setStep(setStep(s, "commit", "done"), "commits", "active");
  return out(s, { type: "poll", delay: 0 });
}

const PROGRESS = {
  commits: (s, n) => msg("sentOf", { k: count(s, "committed"), n }),
  inbox: (s, n) => msg("sentOf", { k: count(s, "dealt"), n }),
  ready: (s, n) => msg("doneOf", { k: count(s, "done"), n }),
};
const READY = { commits: (s) => !!s.commits, inbox: (s) => !!s.inbox, ready: (s) => s.state !== "ceremony" };

function polled(state, { s, commitsText, myCommitText }) {
  if (state.phase !== "running" || !state.waiting) return out(seen(state, s));
  let next = seen(state, s);
  if (next.status?.message?.key === "offline") next = status(next, msg("working")); // back online
  if (state.sentCommit && s.state === "ceremony" && !s.my_commit) return stop(next, msg("reset"), { restart: true });
  const n = s.size;
  if (READY[state.waiting](s)) return proceed(next, { s, n, commitsText, myCommitText });
  if (s.state !== "ceremony") return stop(next, msg("over"));
  return out(setStep(next, state.waiting, "active", PROGRESS[state.waiting](s, n)), { type: "poll", delay: POLL_MS });
}

function proceed(state, { s, n, commitsText, myCommitText }) {
  if (state.waiting === "commits") {
    const next = setStep(state, "commits", "done", msg("sentOf", { k: n, n }));
    if (myCommitText !== state.mine) return stop(next, msg("myCommit"));
    return out(setStep({ ...next, commitsSeen: commitsText, waiting: null }, "shares", "active"), { type: "deal", s });
  }
  if (state.waiting === "inbox") {
    // The commitments must be the ones this device checked and dealt against.
    if (commitsText !== state.commitsSeen) return stop(state, msg("myCommit"));
    const next = setStep(state, "inbox", "done", msg("received", { k: s.inbox.length }));
    return out(setStep({ ...next, waiting: null }, "check", "active"), { type: "finish", s });
  }
  return out({ ...state, waiting: null }, { type: "checkManifest", s });
}

function dealt(state, { count: k }) {
  let s = setStep(state, "shares", "done", msg("dealtOf", { k }));
  s = setStep({ ...s, waiting: "inbox" }, "inbox", "active");
  return out(s, { type: "poll", delay: 0 });
}

function finished(state) {
  let s = setStep(state, "check", "done", msg("checkOk"));
  s = { ...status(s, msg("saved"), "ok"), download: true, waiting: "ready" };
  return out(setStep(s, "ready", "active"), { type: "poll", delay: 0 });
}

function manifestChecked(state, { ok, fingerprint }) {
  if (!ok) return stop(state, msg("manifestBad"));
  const n = state.members?.size ?? 0;
  const s = setStep({ ...state, fingerprint, phase: "ready" }, "ready", "done", msg("doneOf", { k: n, n }));
  return out(status(s, msg(state.guardUnload ? "readySave" : "ready"), "ok"));
}

/** A failure of an effect: a bad dealer, a stop, a server message, a crypto code. */
function failed(state, failure) {
  if (state.phase !== "running") return out(state);
  if (failure.dealer !== undefined) {
    const name = state.members?.trustees.find((t) => t.index === failure.dealer)?.name || `#${failure.dealer}`;
    return stop(state, msg("badDealer", { name, x: failure.dealer }));
  }
  if (failure.message) return stop(state, failure.message);
  if (failure.code === "no_webcrypto") return stop(state, msg("webcrypto"));
  return stop(state, msg("failed", { code: failure.code || "?" }));
}

const HANDLERS = {
  arrived,
  arrivalFailed: (s, { message }) => out({ ...status(s, message, "error"), phase: "idle" }),
  submitted,
  startState,
  committed,
  polled,
  dealt,
  finished,
  manifestChecked,
  keyDownloaded: (s) => {
    const next = { ...s, guardUnload: false };
    return out(s.status?.message?.key === "readySave" ? status(next, msg("ready"), "ok") : next);
  },
  offline: (s) => (s.phase === "running" ? out(status(s, msg("offline"), "error")) : out(s)),
  failed,
};

/** One transition: the next state and the effects the view must run. */
export function step(state, event) {
  const handler = HANDLERS[event.type];
  return handler ? handler(state, event) : out(state);
}
