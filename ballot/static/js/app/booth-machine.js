// The booth as a pure state machine: code → ballot → review → encrypt → send → receipt.
//
// step(state, event) → {state, effects}. No DOM, no network, no clock: the view (booth.js)
// renders the state and runs the effects, which report back as events. Messages are
// {key, params} of the page's message table (or {text} from the server), never words.
//
// The rules it keeps: nothing is sent for a code whose check symbol fails; a filled ballot is
// only thrown away after the voter confirms; a blank row needs confirmation (or is refused
// when the vote requires every row); once encrypted the ballot is fixed, and every retry
// re-sends the very same bytes; the receipt is forgotten after RECEIPT_SECONDS.
//
// An election ballot (ballot.election set, from manifest.rules.election) has marks instead
// of levels: "marked" keeps or crosses out a name, and review is refused, with the reason,
// while the number kept is outside what 190-QĐ/TW allows (election-ballot.js).

import { DATA_SYMBOLS, cleanCode, msg, normaliseCode } from "./common.js";
import { initialMarks, keptList, marksProblem, touched, unmarked } from "./election-ballot.js";

export const RECEIPT_SECONDS = 20;
export const AUTO_RETRIES = 6;
export const SCREENS = ["loading", "wait", "code", "ballot", "review", "sending", "receipt", "error", "fatal"];

const FATAL_KEYS = { bad_fingerprint: "fingerprint", wrong_vote: "otherVote", no_webcrypto: "webcrypto", bad_manifest: "badManifest" };

/** The state of a booth that has not looked at anything yet. */
export function initial() {
  return {
    screen: "loading",
    fingerprint: null, // the short fingerprint, once the manifest is checked
    ballot: null, // {subjects: [{name, position}], levels: [{code, label}], blankAllowed, election}
    queued: "", // a code from the slip's QR link, waiting for the booth to be ready
    codeInput: "", // what the code field shows after a submit
    codeError: null, // {message, tone: "error" | "info"}
    busy: false,
    code: null, // the accepted code (until the ballot is sent)
    choices: null, // a level index (or null) per row; for an election a mark: true, false or null
    missing: [], // rows left blank, after "review"
    ballotError: null,
    dialog: null, // "blank" | "cancel" | null
    blankNames: [],
    pending: null, // {body, tracker, shortCode}: the encrypted ballot, fixed
    attempt: 0,
    sendingTitle: null,
    sendingStatus: null,
    retry: false,
    receipt: null, // {shortCode, mismatch, serverShort}
    countdown: 0,
    errorText: null,
    fatal: null, // {message, code}
    session: 0, // bumps for every new voter: the view rebuilds the ballot then
  };
}

const out = (state, ...effects) => ({ state, effects });

/** Forget the voter: back to the code screen (with an optional notice). */
function reset(state, notice = null) {
  return out(
    {
      ...initial(),
      screen: state.fatal ? "fatal" : "code",
      fatal: state.fatal,
      fingerprint: state.fingerprint,
      ballot: state.ballot,
      session: state.session,
      codeError: notice ? { message: notice, tone: "info" } : null,
    },
    { type: "stopCountdown" },
    { type: "focus", target: "code" },
  );
}

function fatal(state, code, message = null) {
  const text = message || msg(FATAL_KEYS[code] || "badKey");
  return out(
    { ...state, screen: "fatal", fatal: { message: text, code: code || "" }, busy: false, dialog: null, code: null, choices: null, pending: null },
    { type: "stopCountdown" },
  );
}

// ---------- arriving, waiting for the keys ----------

function booted(state, { fingerprint, webcrypto, queued = "" }) {
  const s = { ...state, queued: queued || state.queued };
  if (!webcrypto) return fatal(s, "no_webcrypto");
  if (!fingerprint) return out({ ...s, screen: "wait" }, { type: "pollStatus" });
  return ready(s);
}

function ready(state) {
  const s = { ...state, screen: "code" };
  const effects = [{ type: "loadContext" }, { type: "focus", target: "code" }];
  if (s.queued) {
    const next = submitCode({ ...s, queued: "" }, { typed: s.queued });
    return out(next.state, { type: "loadContext" }, ...next.effects);
  }
  return out(s, ...effects);
}

function contextLoaded(state, { fingerprint, ballot }) {
  return out({ ...state, fingerprint, ballot });
}

function contextFailed(state, { fatal: isFatal, code, message }) {
  if (isFatal) return fatal(state, code);
  if (!state.busy || state.screen !== "code") return out(state);
  return out({ ...state, busy: false, codeError: { message: message || msg("offline"), tone: "error" } });
}

// ---------- screen 1: the code ----------

function submitCode(state, { typed }) {
  if (state.busy || state.screen === "fatal") return out(state);
  if (state.screen === "wait" || state.screen === "loading") return out({ ...state, queued: typed });
  if (state.screen !== "code") return out(state);
  const cleaned = cleanCode(typed);
  const code = normaliseCode(typed);
  const codeInput = typed;
  if (!code) {
    let message = msg("mistyped");
    if (!cleaned) message = msg("empty");
    else if (cleaned.length < DATA_SYMBOLS + 1) message = msg("tooShort", { n: cleaned.length });
    return out({ ...state, codeInput, codeError: { message, tone: "error" } }, { type: "focus", target: "code" });
  }
  return out({ ...state, codeInput, codeError: null, busy: true }, { type: "checkCode", code });
}

function codeAccepted(state, { code, ballot }) {
  const b = ballot || state.ballot;
  const fresh = b.election ? initialMarks(b.election, b.subjects.length) : new Array(b.subjects.length).fill(null);
  return out(
    {
      ...state,
      ballot: b,
      busy: false,
      screen: "ballot",
      code,
      codeInput: "",
      choices: fresh,
      missing: [],
      ballotError: null,
      session: state.session + 1,
    },
    { type: "focus", target: "ballot" },
  );
}

function codeRefused(state, { message }) {
  return out(
    { ...state, busy: false, codeError: { message: message || msg("server"), tone: "error" } },
    { type: "focus", target: "code" },
  );
}

// ---------- screen 2: the ballot ----------

function chose(state, { row, level }) {
  if (state.screen !== "ballot" || !state.choices || row < 0 || row >= state.choices.length) return out(state);
  if (state.ballot.election) return out(state);
  if (level !== null && (level < 0 || level >= state.ballot.levels.length)) return out(state);
  if (level === null && !state.ballot.blankAllowed) return out(state);
  const choices = state.choices.map((c, i) => (i === row ? level : c));
  const missing = state.missing.filter((i) => i !== row || level === null);
  const ballotError = choices.every((c) => c !== null) ? null : state.ballotError;
  return out({ ...state, choices, missing, ballotError });
}

/** Keep (true) or cross out (false) a name of an election ballot. */
function marked(state, { row, kept }) {
  if (state.screen !== "ballot" || !state.choices || !state.ballot.election) return out(state);
  if (!Number.isInteger(row) || row < 0 || row >= state.choices.length || typeof kept !== "boolean") return out(state);
  const choices = state.choices.map((c, i) => (i === row ? kept : c));
  const missing = state.missing.filter((i) => i !== row);
  // an explanation on screen follows the marks (its numbers change, it goes once resolved)
  const ballotError = state.ballotError ? marksProblem(state.ballot, choices) : null;
  return out({ ...state, choices, missing, ballotError });
}

function reviewElection(state) {
  const problem = marksProblem(state.ballot, state.choices);
  if (!problem) return out({ ...state, missing: [], ballotError: null, screen: "review" }, { type: "focus", target: "review" });
  const missing = problem.key === "unmarked" ? unmarked(state.choices) : [];
  return out({ ...state, missing, ballotError: problem }, { type: "focus", target: missing.length ? "missing" : "ballotError" });
}

function reviewRequested(state) {
  if (state.screen !== "ballot" || !state.choices) return out(state);
  if (state.ballot.election) return reviewElection(state);
  const missing = state.choices.flatMap((c, i) => (c === null ? [i] : []));
  const names = missing.map((i) => state.ballot.subjects[i].name);
  if (missing.length && !state.ballot.blankAllowed) {
    return out({ ...state, missing, ballotError: msg("required", { names }) }, { type: "focus", target: "missing" });
  }
  if (missing.length) return out({ ...state, missing, dialog: "blank", blankNames: names }, { type: "focus", target: "blankBack" });
  return out({ ...state, missing, screen: "review" }, { type: "focus", target: "review" });
}

function blankBack(state) {
  return out({ ...state, dialog: null }, { type: "focus", target: "missing" });
}

function blankConfirmed(state) {
  if (state.dialog !== "blank") return out(state);
  return out({ ...state, dialog: null, screen: "review" }, { type: "focus", target: "review" });
}

function cancelRequested(state) {
  if (state.screen !== "ballot" && state.screen !== "review") return out(state);
  const changed = state.ballot?.election ? touched(state.ballot.election, state.choices || []) : state.choices?.some((c) => c !== null);
  if (changed) return out({ ...state, dialog: "cancel" }, { type: "focus", target: "cancelKeep" });
  return reset(state);
}

function cancelConfirmed(state) {
  return state.dialog === "cancel" ? reset(state) : out(state);
}

function dialogDismissed(state) {
  return out({ ...state, dialog: null });
}

function backToBallot(state) {
  return state.screen === "review" ? out({ ...state, screen: "ballot" }, { type: "focus", target: "ballot" }) : out(state);
}

// ---------- encrypt, send, retry ----------

function sendRequested(state) {
  if (state.busy || !state.code) return out(state);
  if (state.pending) return deliver(state);
  if (state.screen !== "review") return out(state);
  if (state.ballot.election) {
    const problem = marksProblem(state.ballot, state.choices);
    if (problem) return out({ ...state, screen: "ballot", ballotError: problem }, { type: "focus", target: "ballotError" });
  }
  const choices = state.ballot.election ? keptList(state.choices) : state.choices;
  return out(
    { ...state, busy: true, screen: "sending", sendingTitle: msg("encrypting"), sendingStatus: null, retry: false },
    { type: "encrypt", choices, ...(state.ballot.election ? { election: true } : {}) },
  );
}

function encrypted(state, { ballot, tracker, shortCode }) {
  // From here on the ballot is fixed: every retry re-sends these very bytes.
  const pending = { body: JSON.stringify({ code: state.code, ballot }), tracker, shortCode };
  return deliver({ ...state, pending, choices: null, missing: [], busy: false });
}

function encryptFailed(state, { fatal: isFatal, code }) {
  if (isFatal) return fatal(state, code);
  return toError(state, msg(code === "bad_count" ? "countRefused" : "internal"));
}

function deliver(state) {
  return out(
    { ...state, busy: true, screen: "sending", attempt: 1, sendingTitle: msg("sending"), sendingStatus: null, retry: false },
    { type: "cast", body: state.pending.body, delay: 0 },
  );
}

function castAccepted(state, { receipt }) {
  if (!state.pending) return out(state);
  const { tracker, shortCode } = state.pending;
  const mismatch = !receipt || receipt.tracker !== tracker || receipt.short_code !== shortCode;
  return out(
    {
      ...state,
      busy: false,
      screen: "receipt",
      receipt: { shortCode, mismatch, serverShort: receipt?.short_code || "?" },
      countdown: RECEIPT_SECONDS,
      code: null, // the code is used; nothing of this voter is kept but the receipt on screen
      choices: null,
      pending: null,
      retry: false,
    },
    { type: "startCountdown" },
    { type: "focus", target: "receipt" },
  );
}

function castRefused(state, { message }) {
  return toError(state, message || msg("server"));
}

function castFailed(state) {
  if (!state.pending) return out(state);
  if (state.attempt > AUTO_RETRIES) {
    return out(
      { ...state, busy: false, sendingTitle: msg("notConfirmed"), sendingStatus: msg("stuck"), retry: true },
      { type: "focus", target: "retry" },
    );
  }
  const delay = Math.min(1000 * 2 ** (state.attempt - 1), 5000);
  return out(
    { ...state, attempt: state.attempt + 1, sendingStatus: msg("resending", { n: state.attempt }) },
    { type: "cast", body: state.pending.body, delay },
  );
}

function retryRequested(state) {
  if (!state.pending || state.busy) return out(state);
  return deliver(state);
}

function toError(state, message) {
  return out(
    { ...state, busy: false, screen: "error", errorText: message, code: null, choices: null, pending: null, dialog: null },
    { type: "focus", target: "error" },
  );
}

// ---------- receipt, idle ----------

function tick(state) {
  if (state.screen !== "receipt") return out(state);
  const countdown = Math.max(state.countdown - 1, 0);
  return countdown === 0 ? reset(state) : out({ ...state, countdown });
}

function idle(state) {
  if ((state.screen === "ballot" || state.screen === "review") && !state.busy) return reset(state, msg("idle"));
  return out(state);
}

const HANDLERS = {
  booted,
  keysReady: (s) => (s.screen === "wait" ? ready(s) : out(s)),
  contextLoaded,
  contextFailed,
  codeSubmitted: submitCode,
  codeAccepted,
  codeRefused,
  chose,
  marked,
  reviewRequested,
  blankBack,
  blankConfirmed,
  cancelRequested,
  cancelConfirmed,
  dialogDismissed,
  backToBallot,
  sendRequested,
  encrypted,
  encryptFailed,
  castAccepted,
  castRefused,
  castFailed,
  retryRequested,
  tick,
  done: (s) => (s.screen === "receipt" ? reset(s) : out(s)),
  restart: (s) => (s.screen === "error" ? reset(s) : out(s)),
  idle,
  codeTyped: (s) => out(s.codeError ? { ...s, codeError: null } : s),
};

/** One transition: the next state and the effects the view must run. Unknown events change nothing. */
export function step(state, event) {
  const handler = HANDLERS[event.type];
  return handler ? handler(state, event) : out(state);
}
