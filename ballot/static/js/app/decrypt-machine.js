// A counting-committee member's decryption as a pure state machine (no DOM, no network):
// open the key file → check the manifest → check the whole board and add it up → send the
// partial decryption. step(state, event) → {state, effects}; decrypt.js runs the effects
// (the key share itself stays in the view's memory, never in this state).

import { msg } from "./common.js";
import { hexGroups } from "./fingerprint.js";

export const STEPS = ["key", "manifest", "board", "share"];
const KNOWN_CODES = [
  "bad_keyfile", "bad_card", "wrong_passphrase", "key_mismatch", "wrong_key", "bad_fingerprint",
  "bad_manifest", "bad_point", "bad_closing", "board_mismatch", "no_webcrypto", "weak_keyfile",
  "bad_json", "bad_aggregate",
];

/** The page as it arrives: `vote` and `me` (member index, or 0) from the page, `submitted` if a share is in. */
export function initial({ vote = "", me = 0, submitted = false } = {}) {
  return {
    vote,
    me,
    phase: "idle", // idle | running | sent | decrypted | stopped
    steps: Object.fromEntries(STEPS.map((name) => [name, { phase: "", detail: null }])),
    stepsShown: false,
    status: submitted ? { message: msg("submitted"), tone: "" } : null,
    progress: null, // {done, total}
    fpHex: null,
    announced: "",
    formHidden: false,
    after: false,
    resultsLink: false,
    counted: false, // the vote's badge then reads "counted"
    election: null, // {candidates, seats} for an election's board (batch check, §10.10)
  };
}

const out = (state, ...effects) => ({ state, effects });
const setStep = (state, name, phase, detail) => ({
  ...state,
  steps: { ...state.steps, [name]: { phase, detail: detail === undefined ? state.steps[name].detail : detail } },
});

/** The announced closing hash as typed: "" when none; null when it cannot be one. */
export function cleanAnnounced(text) {
  const typed = String(text || "").replace(/[\s-]/g, "").toLowerCase();
  if (!typed) return "";
  return /^[0-9a-f]{8,64}$/.test(typed) ? typed : null;
}

function stop(state, message, tone = "error", extra = {}) {
  let s = { ...state, ...extra, phase: extra.phase || "stopped", status: { message, tone } };
  for (const name of STEPS) {
    if (s.steps[name].phase !== "active") continue;
    s = tone === "error" ? setStep(s, name, "failed", msg("stepFailed")) : setStep(s, name, "", null);
  }
  return out(s, { type: "stopped" });
}

function submitted(state, { webcrypto = true, hasKey, hasPassphrase, announced }) {
  if (state.phase === "running") return out(state);
  if (!webcrypto) return stop(state, msg("no_webcrypto"));
  if (!hasKey) return out({ ...state, status: { message: msg("noKey"), tone: "error" } }, { type: "focus", target: "keyfile" });
  if (!hasPassphrase) {
    return out({ ...state, status: { message: msg("noPassphrase"), tone: "error" } }, { type: "focus", target: "passphrase" });
  }
  const clean = cleanAnnounced(announced);
  if (clean === null) return out({ ...state, status: { message: msg("announced"), tone: "error" } }, { type: "focus", target: "announced" });
  let s = { ...initial({ vote: state.vote, me: state.me }), phase: "running", stepsShown: true, announced: clean };
  s = setStep(s, "key", "active", msg("opening"));
  return out(s, { type: "openKey" });
}

function keyOpened(state, { index, voteId }) {
  if (voteId !== state.vote) return stop(state, msg("otherVote"));
  if (state.me && index !== state.me) return stop(state, msg("notMine", { x: index, me: state.me }));
  let s = setStep(state, "key", "done", msg("keyOf", { x: index }));
  s = setStep(s, "manifest", "active");
  return out(s, { type: "loadManifest" });
}

function manifestChecked(state, { fpHex }) {
  let s = setStep({ ...state, fpHex }, "manifest", "done", msg("fingerprintOf", { fp: `${hexGroups(fpHex, 4)}…` }));
  s = setStep(s, "board", "active");
  return out(s, { type: "loadBoard" });
}

function boardLoaded(state, { state: voteState, closing, fingerprint, total, election = null }) {
  if (voteState === "counted") {
    return stop(state, msg("counted"), "ok", { after: true, resultsLink: true, counted: true, phase: "decrypted" });
  }
  if (voteState !== "closed" || !closing) return stop(state, msg("notClosed"));
  if (fingerprint !== state.fpHex) return stop(state, msg("boardFingerprint"));
  return progress({ ...state, election }, { done: 0, total }, { type: "decryptBoard" });
}

function progress(state, { done, total }, ...effects) {
  let detail = msg("checking", { n: Math.min(done + 1, total), total });
  if (state.election) {
    // every ballot read and hashed; then one combined check of all the proofs (§10.10)
    detail = done >= total && total > 0
      ? msg("combining", { total })
      : msg("checkingElection", { n: Math.min(done + 1, total), total, candidates: state.election.candidates });
  }
  const s = setStep({ ...state, progress: { done, total } }, "board", "active", detail);
  return out(s, ...effects);
}

function boardChecked(state, { count, closingHash }) {
  const detail = state.election
    ? msg("checkedElection", { total: count, candidates: state.election.candidates })
    : msg("checked", { total: count });
  let s = setStep({ ...state, progress: { done: count, total: count } }, "board", "done", detail);
  if (state.announced && !closingHash.startsWith(state.announced)) return stop(s, msg("announcedDiffers"));
  s = setStep(s, "share", "active");
  return out(s, { type: "submitShare" });
}

function shareSent(state, { shares, threshold, decrypted }) {
  let s = setStep(state, "share", "done", msg("shareOf", { shares, t: threshold }));
  s = { ...s, formHidden: true, after: true, phase: decrypted ? "decrypted" : "sent" };
  if (decrypted) {
    s = { ...s, status: { message: msg("decrypted"), tone: "ok" }, resultsLink: true, counted: true };
    return out(s, { type: "clearPassphrase" }, { type: "focus", target: "results" });
  }
  s = { ...s, status: { message: msg("sent", { shares, t: threshold, left: Math.max(threshold - shares, 0) }), tone: "ok" } };
  return out(s, { type: "clearPassphrase" });
}

/** Why the device refused the board, from the crypto library's error. */
export function boardWhy({ causeCode, text = "" }) {
  if (causeCode === "bad_proof") return "why_proof";
  if (causeCode === "wrong_election") return "why_election";
  if (/chain/.test(text)) return "why_chain";
  if (/proof|batch check/.test(text)) return "why_proof"; // an election ballot's proof (§10.8, §10.10)
  if (/tracker/.test(text)) return "why_tracker";
  if (/repeats/.test(text)) return "why_repeats";
  if (/seq/.test(text)) return "why_seq";
  return "why_format";
}

/** A failure of an effect: {code} of a CryptoError, {message} from the server, or {offline}. */
function failed(state, failure) {
  if (failure.offline) return stop(state, msg("offline"));
  if (failure.message) return stop(state, failure.message);
  if (failure.code === "bad_board") {
    return stop(state, msg("badBoard", { n: failure.entry ?? "?", why: msg(boardWhy(failure)) }));
  }
  if (KNOWN_CODES.includes(failure.code)) return stop(state, msg(failure.code));
  return stop(state, msg("failedCode", { code: failure.code || "?" }));
}

const HANDLERS = {
  submitted,
  keyOpened,
  manifestChecked,
  boardLoaded,
  progress: (s, e) => (s.steps.board.phase === "active" ? progress(s, e) : out(s)),
  boardChecked,
  shareSent,
  failed: (s, e) => (s.phase === "running" ? failed(s, e) : out(s)),
};

/** One transition: the next state and the effects the view must run. */
export function step(state, event) {
  const handler = HANDLERS[event.type];
  return handler ? handler(state, event) : out(state);
}
