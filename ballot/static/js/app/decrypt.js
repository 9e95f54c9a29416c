// A counting-committee member decrypts on their own device: the view of decrypt-machine.js.
// It opens the key file (or the typed key card) with the passphrase, checks the manifest
// against the page's fingerprint, checks every ballot on the closed board and the hash
// chain, recomputes the aggregate of ALL the ballots, makes the partial decryption with its
// proofs, and sends only that. The key share stays in this page's memory.

import {
  CryptoError, loadManifest, openKeyFile, parseCard, parseJson, parseKeyFile, partialDecrypt, verifyManifestKeys,
} from "../crypto/index.js";
import { initial, step, STEPS } from "./decrypt-machine.js";
import { electionPartialDecrypt, isElection } from "./election-count.js";
import { getJson, hasWebCrypto, pageLang, postJson, raw, readMessages, responseError, sleep, translate } from "./common.js";
import { statusLine, stepList } from "./progress.js";

function start(root) {
  const table = readMessages(document);
  const d = {
    root,
    $: (s) => root.querySelector(s),
    t: (m) => translate(table, m),
    lang: pageLang(document),
    csrf: document.querySelector('meta[name="csrf-token"]')?.content || "",
    state: initial({ vote: root.dataset.vote, me: Number(root.dataset.me) || 0, submitted: !!root.dataset.submitted }),
    memory: {}, // the key, the context, the board, the share: never in the machine's state
  };
  d.status = statusLine(d.$("[data-status]"));
  d.step = stepList(d.$("[data-steps]"));
  d.dispatch = (event) => {
    const prev = d.state;
    const result = step(d.state, event);
    d.state = result.state;
    render(d, d.state, prev);
    for (const effect of result.effects) run(d, effect);
  };
  d.$("[data-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    d.dispatch({
      type: "submitted",
      webcrypto: hasWebCrypto(),
      hasKey: !!(d.$("#keyfile").files?.length || d.$("#card").value.trim()),
      hasPassphrase: !!d.$("#passphrase").value,
      announced: d.$("#announced").value,
    });
  });
  render(d, d.state, { ...d.state, status: undefined });
}

// ---------- effects ----------

const EFFECTS = {
  openKey: openKey,
  loadManifest: checkManifest,
  loadBoard: loadBoard,
  decryptBoard: decryptBoard,
  submitShare: submitShare,
  clearPassphrase: (d) => {
    d.$("#passphrase").value = "";
  },
  stopped: (d) => {
    d.memory = {};
  },
  focus: (d, { target }) => (target === "results" ? d.$("[data-results-link]") : d.$(`#${target}`))?.focus(),
};

function run(d, effect) {
  Promise.resolve(EFFECTS[effect.type]?.(d, effect)).catch((e) => d.dispatch({ type: "failed", ...failureOf(e) }));
}

/** The machine's view of an exception: a CryptoError's code (and board details), or a message. */
function failureOf(e) {
  if (e instanceof CryptoError) {
    return { code: e.code, entry: e.entry, causeCode: e.cause?.code, text: e.message };
  }
  if (e?.failure) return e.failure;
  console.error(e);
  return { code: e?.code || e?.name || "" };
}

// The manifest and the board are protocol documents: read strictly (duplicate keys, floats and
// out-of-range integers refused), as `ballot verify` reads them; other answers are plain JSON.
async function fetchJson(d, url, options, { strict = false } = {}) {
  let response;
  try {
    response = await (options ? postJson(url, options.body, { csrf: d.csrf, credentials: "same-origin" }) : getJson(url));
  } catch {
    throw { failure: { offline: true } };
  }
  if (!response.ok) {
    const text = await responseError(response, d.lang);
    throw { failure: { message: raw(text || `HTTP ${response.status}`) } };
  }
  return strict ? parseJson(await response.text()) : response.json();
}

async function openKey(d) {
  const file = d.$("#keyfile").files?.[0];
  const card = d.$("#card").value.trim();
  const doc = file ? parseKeyFile(await file.text()) : await parseCard(card);
  await sleep(30); // let the page paint before scrypt
  const key = await openKeyFile(doc, d.$("#passphrase").value);
  d.memory.key = key;
  d.dispatch({ type: "keyOpened", index: key.index, voteId: key.voteId });
}

async function checkManifest(d) {
  const published = await fetchJson(d, d.root.dataset.manifest, undefined, { strict: true });
  if (published.fingerprint !== d.root.dataset.fingerprint) throw new CryptoError("bad_fingerprint");
  d.memory.ctx = await loadManifest(published.manifest, d.root.dataset.fingerprint);
  await verifyManifestKeys(published.manifest);
  d.dispatch({ type: "manifestChecked", fpHex: d.memory.ctx.fpHex });
}

async function loadBoard(d) {
  const board = await fetchJson(d, d.root.dataset.board, undefined, { strict: true });
  d.memory.board = board;
  const rules = d.memory.ctx.manifest.rules;
  d.dispatch({
    type: "boardLoaded", state: board.state, closing: !!board.closing, fingerprint: board.fingerprint,
    total: board.entries?.length ?? 0,
    election: isElection(d.memory.ctx.manifest) ? { candidates: rules.election.candidates, seats: rules.election.seats } : null,
  });
}

async function decryptBoard(d) {
  const { ctx, board, key } = d.memory;
  const onProgress = (done, total) => d.dispatch({ type: "progress", done, total });
  // an election board gets the batch check of protocol §10.10 (on Web Workers) first
  const decrypt = isElection(ctx.manifest) ? electionPartialDecrypt : partialDecrypt;
  const result = await decrypt(ctx, board, key, { onProgress });
  d.memory.share = result.share;
  d.dispatch({ type: "boardChecked", count: result.count, closingHash: result.closingHash });
}

async function submitShare(d) {
  const body = await fetchJson(d, d.root.dataset.submit, { body: { share: d.memory.share } });
  d.memory = {}; // the key share is not needed any more (JavaScript cannot wipe it)
  d.dispatch({ type: "shareSent", shares: body.shares, threshold: body.threshold, decrypted: !!body.decrypted });
}

// ---------- rendering ----------

function render(d, state, prev) {
  const { $, t } = d;
  if (state.status !== prev.status) d.status(t(state.status?.message), state.status?.tone || "");
  $("[data-steps]").hidden = !state.stepsShown;
  for (const name of STEPS) {
    const now = state.steps[name];
    if (now !== prev.steps[name]) d.step(name, now.phase, t(now.detail));
  }
  const progress = $("[data-progress]");
  progress.hidden = !state.progress;
  if (state.progress) {
    const { done, total } = state.progress;
    const pct = total ? Math.round((100 * done) / total) : 100;
    $("[data-progress-bar]").style.width = `${pct}%`;
    progress.setAttribute("aria-valuenow", String(pct));
  }
  $("[data-start]").disabled = state.phase === "running";
  $("[data-form]").hidden = state.formHidden;
  $("[data-after]").hidden = !state.after;
  $("[data-results-link]").hidden = !state.resultsLink;
  if (state.counted && !prev.counted) showCounted(d);
  const sent = $("[data-share-sent]"); // the aside: this member's share is in
  if (sent && (state.phase === "sent" || (state.phase === "decrypted" && state.formHidden))) sent.hidden = false;
}

/** The vote's badge follows the decryption: it no longer waits for it. */
function showCounted(d) {
  for (const badge of document.querySelectorAll(".badge[data-state]")) {
    badge.dataset.state = "counted";
    badge.className = "badge ok";
    badge.textContent = d.t({ key: "badgeCounted" });
  }
}

const root = typeof document !== "undefined" ? document.getElementById("decrypt") : null;
if (root) start(root);
