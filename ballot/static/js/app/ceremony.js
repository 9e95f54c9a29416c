// A counting-committee member's part of the dealer-free key ceremony, run on their device:
// the view of ceremony-machine.js. It runs the machine's effects with the crypto library
// (the same messages ballot/voting/simulate.py makes in Python) and renders the state.
// The member's secret lives in this page's memory only (never in the machine's state): a
// reload loses it, and then the admin restarts the ceremony.

import {
  BadDealer, CryptoError, canonicalJson, cardText, ceremonyId, checkCommits, dealShares, finishMember,
  fingerprint, sealKeyFile, startMember, toHex, verifyManifestKeys,
} from "../crypto/index.js";
import { initial, step, STEPS } from "./ceremony-machine.js";
import { hexGroups } from "./fingerprint.js";
import {
  errorText, getJson, hasWebCrypto, pageLang, postJson, raw, readMessages, responseError, sleep, translate,
} from "./common.js";
import { statusLine, stepList } from "./progress.js";

function start(root) {
  const table = readMessages(document);
  const c = {
    root,
    $: (s) => root.querySelector(s),
    t: (m) => translate(table, m),
    lang: pageLang(document),
    csrf: document.querySelector('meta[name="csrf-token"]')?.content || "",
    state: initial({ vote: root.dataset.vote }),
    memory: {}, // secret, commits, key: never in the machine's state
  };
  c.status = statusLine(c.$("[data-status]"));
  c.step = stepList(c.$("[data-steps]"));
  c.dispatch = (event) => {
    const prev = c.state;
    const result = step(c.state, event);
    c.state = result.state;
    render(c, c.state, prev);
    for (const effect of result.effects) run(c, effect);
  };
  wire(c);
  getState(c, { retry: false }).then(
    (s) => c.dispatch({ type: "arrived", s }),
    (e) => c.dispatch({ type: "arrivalFailed", message: e.failure?.message || raw(String(e.message || e)) }),
  );
}

function wire(c) {
  const { $ } = c;
  window.addEventListener("beforeunload", (event) => {
    if (!c.state.guardUnload) return;
    event.preventDefault();
    event.returnValue = c.t({ key: "unload" });
  });
  $("[data-start-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    const p1 = $("#passphrase").value;
    c.memory.passphrase = p1;
    c.dispatch({ type: "submitted", length: [...p1].length, same: p1 === $("#passphrase2").value, webcrypto: hasWebCrypto() });
  });
  $("[data-keyfile]").addEventListener("click", () => c.dispatch({ type: "keyDownloaded" }));
  $("[data-print]").addEventListener("click", () => {
    document.body.classList.add("printing-card");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("printing-card"));
}

// ---------- talking to the server ----------

/** The ceremony's state; a network failure is retried (and said) unless `retry` is false. */
async function getState(c, { retry = true } = {}) {
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await getJson(c.root.dataset.api);
    } catch {
      if (!retry) throw { failure: { message: { key: "offline" } } };
      if (attempt >= 2) c.dispatch({ type: "offline" });
      await sleep(Math.min(1000 * (attempt + 1), 5000));
      continue;
    }
    if (!response.ok) throw { failure: { message: raw((await responseError(response, c.lang)) || `HTTP ${response.status}`) } };
    return response.json();
  }
}

/** POST one step; a network failure is retried with the same message. */
async function post(c, stepName, payload, alreadyOk) {
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await postJson(`${c.root.dataset.api}/${stepName}`, payload, { csrf: c.csrf, credentials: "same-origin" });
    } catch {
      c.dispatch({ type: "offline" });
      await sleep(Math.min(1000 * (attempt + 1), 5000));
      continue;
    }
    const body = await response.json().catch(() => null);
    if (response.ok) return body;
    // A retry whose first try did arrive: the server says so; check it holds what we sent.
    if (attempt > 0 && alreadyOk && alreadyOk(await getState(c))) return body;
    const text = errorText(body, c.lang);
    throw { failure: { message: raw(text || `HTTP ${response.status}`) } };
  }
}

// ---------- effects ----------

const EFFECTS = {
  fetchForStart: fetchForStart,
  commit: commit,
  poll: poll,
  deal: deal,
  finish: finish,
  checkManifest: checkManifest,
  forget: (c) => {
    c.memory = {};
  },
  focus: (c, { target }) => c.$(`#${target}`)?.focus(),
};

function run(c, effect) {
  Promise.resolve(EFFECTS[effect.type]?.(c, effect)).catch((e) => c.dispatch({ type: "failed", ...failureOf(e) }));
}

function failureOf(e) {
  if (e instanceof BadDealer) return { dealer: e.dealer };
  if (e?.failure) return e.failure;
  if (!(e instanceof CryptoError)) console.error(e);
  return { code: e?.code || e?.name || "" };
}

async function fetchForStart(c) {
  const s = await getState(c);
  // The ceremony id binds the vote, the threshold and the members: recompute it here.
  let cidOk = false;
  if (s.state === "ceremony" && !s.my_commit) {
    const cid = toHex(await ceremonyId(s.vote_id, s.threshold, s.trustees.map((t) => t.name)));
    cidOk = cid === s.ceremony_id && s.trustees.every((t, i) => t.index === i + 1);
    c.memory.cid = cid;
  }
  c.dispatch({ type: "startState", s, cidOk });
}

async function commit(c, { me, t, n }) {
  const { secret, message } = await startMember(c.memory.cid, me, t, n);
  Object.assign(c.memory, { secret, me, t, n });
  const mine = canonicalJson(message);
  await post(c, "commit", { message }, (st) => st.my_commit && canonicalJson(st.my_commit) === mine);
  c.dispatch({ type: "committed", mine });
}

async function poll(c, { delay }) {
  if (delay) await sleep(delay);
  const s = await getState(c);
  const commitsText = s.commits ? canonicalJson(s.commits) : null;
  const myCommitText = s.commits ? canonicalJson(s.commits[c.memory.me - 1]) : null;
  c.dispatch({ type: "polled", s, commitsText, myCommitText });
}

async function deal(c, { s }) {
  const { cid, t, n, secret } = c.memory;
  c.memory.commits = await checkCommits(cid, t, n, s.commits);
  const shares = await dealShares(secret, c.memory.commits);
  await post(c, "shares", { messages: shares });
  c.dispatch({ type: "dealt", count: shares.length });
}

async function finish(c, { s }) {
  const { key, message: done } = await finishMember(c.memory.secret, c.memory.commits, s.inbox);
  c.memory.secret = null; // the polynomial is no longer needed (JavaScript cannot wipe it)
  const keyFile = await sealKeyFile(key, s.vote_id, c.memory.passphrase);
  c.memory.passphrase = "";
  c.$("#passphrase").value = "";
  c.$("#passphrase2").value = "";
  const me = c.memory.me;
  await post(c, "done", { message: done }, (st) => st.trustees.find((x) => x.index === me)?.done);
  Object.assign(c.memory, { key, done });
  await offerKeyFile(c, key.index, keyFile);
  c.dispatch({ type: "finished" });
}

async function checkManifest(c, { s }) {
  const { key, done } = c.memory;
  let ok = false;
  let fp = null;
  try {
    const response = await getJson(c.root.dataset.manifest, { credentials: "same-origin" });
    if (response.ok) {
      const body = await response.json();
      fp = body.fingerprint;
      const checked = await verifyManifestKeys(body.manifest);
      ok = toHex(await fingerprint(body.manifest)) === fp && fp === s.fingerprint &&
        checked.publicKey.toHex() === done.public_key &&
        body.manifest.verification_keys[key.index - 1] === key.verificationKey.toHex();
    }
  } catch (e) {
    if (!(e instanceof CryptoError) && !(e instanceof TypeError)) throw e;
  }
  c.dispatch({ type: "manifestChecked", ok, fingerprint: ok ? fp : null });
}

async function offerKeyFile(c, index, keyFile) {
  const text = JSON.stringify(keyFile, null, 2) + "\n";
  const link = c.$("[data-keyfile]");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = `khoa-kiem-phieu-${index}.json`;
  c.$("[data-card]").textContent = await cardText(keyFile);
}

// ---------- rendering ----------

function render(c, state, prev) {
  const { $, t } = c;
  if (state.status !== prev.status) c.status(t(state.status?.message), state.status?.tone || "");
  $("[data-start-form]").hidden = state.formHidden;
  $("[data-steps]").hidden = !state.stepsShown;
  for (const name of STEPS) {
    const now = state.steps[name];
    if (now !== prev.steps[name]) c.step(name, now.phase, t(now.detail) || "");
  }
  $("[data-start]").disabled = state.phase === "running";
  $("[data-download]").hidden = !state.download;
  if (state.members !== prev.members && state.members) renderMembers(c, state.members);
  if (state.fingerprint && state.fingerprint !== prev.fingerprint) {
    $("[data-fingerprint]").textContent = hexGroups(state.fingerprint);
    $("[data-fingerprint-box]").hidden = false;
  }
}

function renderMembers(c, s) {
  const cell = (text) => Object.assign(document.createElement("td"), { textContent: text });
  const badge = (cls, text) => Object.assign(document.createElement("span"), { className: cls, textContent: text });
  c.$("[data-members]").replaceChildren(...s.trustees.map((member) => {
    const tr = document.createElement("tr");
    if (member.index === s.me) tr.className = "me";
    const name = cell(member.name);
    if (member.chair) name.append(" ", badge("badge", c.t({ key: "chair" })));
    if (member.index === s.me) name.append(" ", badge("badge warn", c.t({ key: "you" })));
    tr.append(cell(String(member.index)), name, mark(c, member.committed), mark(c, member.dealt), mark(c, member.done));
    return tr;
  }));
}

function mark(c, value) {
  const td = document.createElement("td");
  td.className = "mark";
  const sign = Object.assign(document.createElement("span"), { className: value ? "yes" : "no", textContent: value ? "✓" : "—" });
  const sr = Object.assign(document.createElement("span"), { className: "sr-only", textContent: ` ${c.t({ key: value ? "markDone" : "markNot" })}` });
  td.append(sign, sr);
  return td;
}

const root = typeof document !== "undefined" ? document.getElementById("ceremony") : null;
if (root) start(root);
