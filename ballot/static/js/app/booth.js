// The voting booth on a tablet: the view of booth-machine.js. It renders the machine's state,
// runs its effects (fetch, encryption, timers, focus) and turns clicks and answers into events.
//
// Nothing about a voter's choices leaves this page unencrypted: the ballot is encrypted and
// proved here with the election key of the manifest, whose fingerprint must equal the one
// the server rendered into the page. Everything is kept in memory and forgotten when the
// voter presses "Xong" (or after 20 s).

import { CryptoError, electionShape, encryptBallot, encryptElectionBallot, loadManifest, parseJson } from "../crypto/index.js";
import { initial, step } from "./booth-machine.js";
import { el } from "./dom.js";
import { electionOf } from "./election-ballot.js";
import { electionFrame, electionRows, renderElectionReview, renderMarks } from "./election-view.js";
import { hexGroups } from "./fingerprint.js";
import {
  formatCode, getJson, hasWebCrypto, msg, pageLang, postJson, raw, readMessages, responseError, sleep, translate,
} from "./common.js";

const IDLE_MS = 5 * 60 * 1000;
const STEPS = ["code", "ballot", "review", "receipt"];

class Fatal extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

function startBooth(root) {
  const table = readMessages(document);
  const b = {
    root,
    $: (selector) => root.querySelector(selector),
    t: (m) => translate(table, m),
    lang: pageLang(document),
    cfg: { ...root.dataset },
    state: initial(),
    ballotSession: -1,
    ctxPromise: null,
    countdown: null,
    idle: null,
  };
  b.dispatch = (event) => {
    const prev = b.state;
    const result = step(b.state, event);
    b.state = result.state;
    render(b, b.state, prev);
    armIdle(b);
    for (const effect of result.effects) run(b, effect);
  };
  wire(b);
  b.dispatch({ type: "booted", fingerprint: b.cfg.fingerprint, webcrypto: hasWebCrypto(), queued: takeFragmentCode() });
}

// ---------- the election context (the manifest, checked against the page's fingerprint) ----------

async function fetchContext(b) {
  const { cfg } = b;
  let response;
  try {
    response = await getJson(cfg.manifest, { credentials: "omit" });
  } catch {
    throw new Error("offline");
  }
  if (!response.ok) throw Object.assign(new Error("server"), { text: await responseError(response, b.lang) });
  const text = await response.text();
  try {
    // a protocol document: read strictly, as `ballot verify` reads it (no duplicate keys…)
    const body = parseJson(text);
    if (body.fingerprint !== cfg.fingerprint) throw new CryptoError("bad_fingerprint", "API fingerprint differs");
    const ctx = await loadManifest(body.manifest, cfg.fingerprint);
    if (ctx.voteId !== cfg.vote) throw new CryptoError("wrong_vote", "manifest of another vote");
    if (electionOf(ctx.manifest)) electionShape(ctx.manifest); // an election the booth cannot encrypt for: refuse now
    return ctx;
  } catch (e) {
    console.error(e);
    throw e instanceof CryptoError ? new Fatal(e.code) : e;
  }
}

/** The context, loaded once; a network failure is retried on the next call. */
function context(b) {
  if (!b.ctxPromise) {
    b.ctxPromise = fetchContext(b);
    b.ctxPromise.then(
      (ctx) => b.dispatch({ type: "contextLoaded", fingerprint: shortFingerprint(ctx.fpHex), ballot: ballotOf(ctx) }),
      (e) => {
        if (e instanceof Fatal) b.dispatch({ type: "contextFailed", fatal: true, code: e.code });
        else b.ctxPromise = null;
      },
    );
  }
  return b.ctxPromise;
}

/** A failed context as the event the machine expects (null when context() reports it). */
function contextProblem(e) {
  if (e instanceof Fatal) return null;
  const message = e.text ? raw(e.text) : msg(e.message === "offline" ? "offline" : "server");
  return { type: "contextFailed", fatal: false, message };
}

// ---------- effects ----------

const EFFECTS = {
  loadContext: (b) => context(b).catch(() => {}),
  pollStatus: (b) => waitForKeys(b),
  checkCode: (b, { code }) => checkCode(b, code),
  encrypt: (b, { choices, election }) => encrypt(b, choices, election),
  cast: (b, { body, delay }) => cast(b, body, delay),
  startCountdown: (b) => startCountdown(b),
  stopCountdown: (b) => clearInterval(b.countdown),
  focus: (b, { target }) => focus(b, target),
};

function run(b, effect) {
  Promise.resolve(EFFECTS[effect.type]?.(b, effect)).catch((e) => console.error(e));
}

async function waitForKeys(b) {
  for (;;) {
    try {
      const response = await getJson(b.cfg.status, { credentials: "omit" });
      if (response.ok && (await response.json()).fingerprint) {
        await refreshFingerprint(b);
        if (b.cfg.fingerprint) return b.dispatch({ type: "keysReady" });
      }
    } catch {
      // the room's Wi-Fi may drop for a moment; keep polling
    }
    await sleep(4000);
  }
}

/** Ask the server for the page again to read the fingerprint it renders now. */
async function refreshFingerprint(b) {
  const response = await fetch(window.location.pathname, { cache: "no-store", credentials: "omit" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("booth");
  if (fresh && fresh.dataset.vote === b.cfg.vote) b.cfg.fingerprint = fresh.dataset.fingerprint;
}

async function checkCode(b, code) {
  let ctx;
  try {
    ctx = await context(b);
  } catch (e) {
    const event = contextProblem(e);
    return event && b.dispatch(event);
  }
  let response;
  try {
    response = await postJson(b.cfg.check, { code });
  } catch {
    return b.dispatch({ type: "codeRefused", message: msg("offline") });
  }
  if (!response.ok) {
    const text = await responseError(response, b.lang);
    return b.dispatch({ type: "codeRefused", message: text ? raw(text) : msg("server") });
  }
  b.dispatch({ type: "codeAccepted", code, ballot: ballotOf(ctx) });
}

async function encrypt(b, choices, election) {
  await sleep(30); // let the screen paint before the crypto runs
  try {
    const ctx = await context(b);
    // an election ballot (protocol §10): one boolean per name, kept or crossed out
    const { ballot, tracker, shortCode } = election
      ? await encryptElectionBallot(ctx, electionShape(ctx.manifest), choices)
      : await encryptBallot(ctx, choices);
    b.dispatch({ type: "encrypted", ballot, tracker, shortCode });
  } catch (e) {
    console.error(e);
    b.dispatch({ type: "encryptFailed", fatal: e instanceof Fatal, code: e.code });
  }
}

async function cast(b, body, delay) {
  if (delay) await sleep(delay);
  let response = null;
  try {
    response = await postJson(b.cfg.cast, body);
  } catch {
    return b.dispatch({ type: "castFailed" }); // the network dropped: it may or may not have arrived
  }
  if (response.status === 200 || response.status === 201) {
    const receipt = await response.json().catch(() => null);
    return b.dispatch(receipt ? { type: "castAccepted", receipt } : { type: "castFailed" });
  }
  if (response.status < 500 && response.status !== 429 && response.status !== 408) {
    const text = await responseError(response, b.lang);
    return b.dispatch({ type: "castRefused", message: text ? raw(text) : null });
  }
  b.dispatch({ type: "castFailed" });
}

function startCountdown(b) {
  const bar = b.$("[data-countdown-bar]");
  bar.classList.remove("run");
  void bar.offsetWidth; // restart the CSS animation (its length is RECEIPT_SECONDS, in booth.css)
  bar.classList.add("run");
  clearInterval(b.countdown);
  b.countdown = setInterval(() => b.dispatch({ type: "tick" }), 1000);
}

/** A voter who walks away mid-ballot is forgotten after IDLE_MS without a touch. */
function armIdle(b) {
  clearTimeout(b.idle);
  if (b.state.screen === "ballot" || b.state.screen === "review") {
    b.idle = setTimeout(() => b.dispatch({ type: "idle" }), IDLE_MS);
  }
}

// ---------- events from the page ----------

function wire(b) {
  const { root, $, dispatch } = b;
  const codeInput = $("#code");
  codeInput.addEventListener("input", () => {
    dispatch({ type: "codeTyped" });
    if (codeInput.selectionStart !== codeInput.value.length) return;
    const formatted = formatCode(codeInput.value);
    if (formatted !== codeInput.value) codeInput.value = formatted;
  });
  $("[data-code-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    dispatch({ type: "codeSubmitted", typed: codeInput.value });
  });
  window.addEventListener("hashchange", () => {
    const code = takeFragmentCode();
    if (code) dispatch({ type: "codeSubmitted", typed: code });
  });
  $("[data-ballot]").addEventListener("change", (event) => {
    const input = event.target.closest("input[type=radio]");
    if (input?.dataset.mark) dispatch({ type: "marked", row: Number(input.dataset.row), kept: input.dataset.mark === "1" });
    else if (input) dispatch({ type: "chose", row: Number(input.dataset.row), level: Number(input.value) });
  });
  $("[data-ballot]").addEventListener("click", (event) => {
    const clear = event.target.closest("button.clear");
    if (!clear) return;
    dispatch({ type: "chose", row: Number(clear.dataset.row), level: null });
    root.querySelector(`[data-row="${clear.dataset.row}"] input`)?.focus();
  });
  const clicks = {
    "[data-to-review]": "reviewRequested", "[data-blank-back]": "blankBack", "[data-blank-confirm]": "blankConfirmed",
    "[data-cancel]": "cancelRequested", "[data-cancel-keep]": "dialogDismissed", "[data-cancel-confirm]": "cancelConfirmed",
    "[data-back]": "backToBallot", "[data-send]": "sendRequested", "[data-retry]": "retryRequested",
    "[data-done]": "done", "[data-restart]": "restart",
  };
  for (const [selector, type] of Object.entries(clicks)) $(selector).addEventListener("click", () => dispatch({ type }));
  for (const dialog of root.querySelectorAll("dialog")) {
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape: the same as the dialog's safe button
      dispatch({ type: dialog.matches("[data-blank-dialog]") ? "blankBack" : "dialogDismissed" });
    });
  }
  for (const type of ["pointerdown", "keydown", "touchstart"]) root.addEventListener(type, () => armIdle(b), { passive: true });
}

/** A code from the QR link (#CODE), taken out of the address bar before anything else. */
function takeFragmentCode() {
  const hash = window.location.hash.slice(1);
  if (!hash) return "";
  // Clear it at once: the next voter must not find this code in the address bar.
  history.replaceState(null, "", window.location.pathname + window.location.search);
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
}

const shortFingerprint = (hex) => hexGroups(hex, 4);

/** What the machine needs of the manifest: the rows, the levels, the blank-row rule, the election. */
function ballotOf(ctx) {
  const { subjects, levels } = ctx.manifest;
  return {
    subjects: subjects.map((s) => ({ name: s.name, position: s.position })),
    levels: levels.map((l) => ({ code: l.code, label: l.label })),
    blankAllowed: !!ctx.blankRowAllowed,
    election: electionOf(ctx.manifest),
  };
}

// ---------- rendering ----------

function render(view, state, prev) {
  const { root } = view;
  if (state.screen !== prev.screen) {
    for (const s of root.querySelectorAll("[data-screen]")) s.hidden = s.dataset.screen !== state.screen;
    const at = STEPS.indexOf(state.screen === "sending" ? "review" : state.screen);
    root.querySelectorAll("[data-stepper] [data-step]").forEach((li, i) => {
      li.classList.toggle("done", at >= 0 && i < at);
      if (i === at) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    root.classList.toggle("no-steps", at < 0);
    window.scrollTo(0, 0);
  }
  renderCode(view, state, prev);
  renderBallot(view, state);
  if (state.screen === "review" && prev.screen !== "review") renderReview(view, state);
  if (!state.choices) {
    // nothing of the voter stays on the page, not even on a hidden screen
    view.$("[data-review]").replaceChildren();
    for (const node of view.root.querySelectorAll("[data-review-summary], [data-tally-count], [data-tally-hint]")) node.textContent = "";
  }
  renderDialogs(view, state);
  renderSending(view, state);
  renderReceipt(view, state, prev);
  message(view.$("[data-error-text]"), view.t(state.errorText));
  message(view.$("[data-fatal-text]"), view.t(state.fatal?.message));
  view.$("[data-fatal-detail]").textContent = state.fatal?.code ? view.t(msg("errorCode", { code: state.fatal.code })) : "";
}

function message(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}

function renderCode(view, state, prev) {
  const { $, t } = view;
  const input = $("#code");
  if (state.codeInput !== prev.codeInput || (state.screen === "code" && prev.screen !== "code")) {
    input.value = formatCode(state.codeInput);
  }
  const error = $("[data-code-error]");
  message(error, t(state.codeError?.message));
  error.classList.toggle("info", state.codeError?.tone === "info");
  if (state.codeError?.tone === "error") input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  const button = $("[data-code-submit]");
  button.disabled = state.busy && state.screen === "code";
  button.classList.toggle("working", button.disabled);
  if (state.fingerprint) $("[data-fp-short]").textContent = state.fingerprint;
  $("[data-fp-note]").hidden = !state.fingerprint;
}

function renderBallot(view, state) {
  const { $, t } = view;
  const box = $("[data-ballot]");
  if (!state.choices) {
    box.replaceChildren();
    message($("[data-ballot-error]"), "");
    view.ballotSession = -1;
    return;
  }
  const election = !!state.ballot.election;
  if (view.ballotSession !== state.session) {
    view.ballotSession = state.session;
    electionFrame(view, state.ballot);
    $("[data-blank-note]").textContent = t(msg(state.ballot.blankAllowed ? "blankAllowed" : "blankForbidden"));
    box.classList.toggle("election", election);
    const rows = election ? electionRows(view, state.ballot) : state.ballot.subjects.map((subject, i) => ballotRow(view, state.ballot, subject, i));
    box.replaceChildren(...rows);
  }
  message($("[data-ballot-error]"), t(state.ballotError));
  if (election) return renderMarks(view, state);
  state.choices.forEach((choice, i) => {
    const row = box.querySelector(`[data-row="${i}"]`);
    for (const input of row.querySelectorAll("input")) {
      input.checked = choice !== null && Number(input.value) === choice;
      input.nextElementSibling.classList.toggle("checked", input.checked);
    }
    row.classList.toggle("answered", choice !== null);
    row.classList.toggle("missing", state.missing.includes(i));
    const clear = row.querySelector(".clear");
    if (clear) clear.hidden = choice === null;
  });
}

function ballotRow(view, ballot, subject, i) {
  const row = el("section", { class: "subject", "data-row": String(i) });
  const head = el("div", { class: "who" },
    el("span", { class: "rank", "aria-hidden": "true" }, String(i + 1)),
    el("span", { class: "name-block" },
      el("span", { class: "name", id: `s${i}-name` }, subject.name),
      el("span", { class: "position", id: `s${i}-pos` }, subject.position)));
  const group = el("div", { class: "choices", role: "radiogroup", "aria-labelledby": `s${i}-name s${i}-pos` });
  if (!ballot.blankAllowed) group.setAttribute("aria-required", "true");
  ballot.levels.forEach((level, k) => {
    const id = `s${i}-l${k}`;
    group.append(
      el("input", { type: "radio", name: `s${i}`, id, value: String(k), class: "sr-radio", "data-row": String(i) }),
      el("label", { for: id, class: `choice level-${level.code}` },
        el("span", { class: "tick", "aria-hidden": "true" }), el("span", { class: "text" }, level.label)));
  });
  row.append(head, group);
  if (ballot.blankAllowed) {
    const clear = el("button", { type: "button", class: "clear", hidden: "", "data-row": String(i) }, view.t(msg("clear")));
    clear.setAttribute("aria-label", view.t(msg("clearLabel", { name: subject.name })));
    row.append(clear);
  }
  return row;
}

function renderReview(view, state) {
  if (state.ballot.election) return renderElectionReview(view, state);
  view.$("[data-review-summary]").textContent = "";
  view.$("[data-review]").classList.remove("election");
  const { subjects, levels } = state.ballot;
  view.$("[data-review]").replaceChildren(...subjects.map((subject, i) => {
    const c = state.choices[i];
    return el("li", { class: c === null ? "blank" : `chosen level-${levels[c].code}` },
      el("span", { class: "who" }, el("span", { class: "name" }, subject.name), el("span", { class: "position" }, subject.position)),
      el("span", { class: "what" }, c === null ? view.t(msg("blankReview")) : levels[c].label));
  }));
}

function renderDialogs(view, state) {
  const { $, t } = view;
  const dialogs = { blank: $("[data-blank-dialog]"), cancel: $("[data-cancel-dialog]") };
  for (const [name, dialog] of Object.entries(dialogs)) {
    if (state.dialog === name && !dialog.open) {
      if (name === "blank") {
        $("[data-blank-list]").replaceChildren(...state.blankNames.map((n) => el("li", {}, t(msg("blankWarning", { name: n })))));
      }
      dialog.showModal();
    } else if (state.dialog !== name && dialog.open) {
      dialog.close();
    }
  }
}

function renderSending(view, state) {
  const { $, t } = view;
  if (state.sendingTitle) $("[data-sending-title]").textContent = t(state.sendingTitle);
  $("[data-sending-status]").textContent = t(state.sendingStatus);
  $("[data-retry-box]").hidden = !state.retry;
}

function renderReceipt(view, state, prev) {
  const { $, t } = view;
  const receipt = state.receipt;
  const link = $("[data-board-link]");
  if (receipt !== prev.receipt) {
    $("[data-receipt-code]").textContent = receipt?.shortCode || "";
    if (receipt) {
      const url = new URL(view.root.dataset.board, window.location.href);
      link.textContent = url.href;
      url.searchParams.set("tracker", receipt.shortCode);
      link.href = url.href;
    } else {
      link.removeAttribute("href");
      link.textContent = "";
    }
    const warning = receipt?.mismatch ? `${t(msg("trackerMismatch"))} (${receipt.serverShort})` : "";
    message($("[data-receipt-warning]"), warning);
  }
  $("[data-countdown-text]").textContent = receipt ? t(msg("countdown", { s: state.countdown })) : "";
}

function focus(view, target) {
  const { root, $ } = view;
  const targets = {
    code: () => $("#code"),
    missing: () => root.querySelector(".subject.missing input"),
    blankBack: () => $("[data-blank-back]"),
    cancelKeep: () => $("[data-cancel-keep]"),
    retry: () => $("[data-retry]"),
    ballotError: () => $("[data-ballot-error]"),
  };
  const node = targets[target]?.() ?? root.querySelector(`[data-screen="${target}"] h2`);
  node?.focus({ preventScroll: true });
}

if (typeof document !== "undefined") {
  const root = document.getElementById("booth");
  if (root) startBooth(root);
}
