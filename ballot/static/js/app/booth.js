// The voting booth on a tablet: code → ballot → review → encrypt on the device → receipt.
//
// Nothing about a voter's choices leaves this page unencrypted: the ballot is encrypted and
// proved here with the election key of the manifest, whose fingerprint must equal the one
// the server rendered into the page. A retry after a network error re-sends the very same
// encrypted ballot (never a fresh encryption), so the server returns the same receipt.
// Everything is kept in memory and forgotten when the voter presses "Xong" (or after 20 s).

import { CryptoError, encryptBallot, loadManifest } from "../crypto/index.js";

// ---------- ballot codes (the same algorithm as ballot/voting/codes.py) ----------

export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CHECK_ALPHABET = CODE_ALPHABET + "*~$=U";
export const DATA_SYMBOLS = 13;
const ALIASES = { O: "0", I: "1", L: "1" };

/** Upper-case, drop spaces, tabs and dashes, read O as 0 and I, L as 1. */
export function cleanCode(text) {
  let out = "";
  for (const ch of String(text).toUpperCase()) {
    if (ch === " " || ch === "-" || ch === "\t") continue;
    out += ALIASES[ch] || ch;
  }
  return out;
}

/**
 * The canonical 14-symbol form of a typed code, or null when it is not a code whose check
 * symbol (65-bit value mod 37) matches: a mistyped code is caught here, before sending.
 */
export function normaliseCode(text) {
  const cleaned = cleanCode(text);
  if (cleaned.length !== DATA_SYMBOLS + 1) return null;
  const data = cleaned.slice(0, -1);
  const check = cleaned.slice(-1);
  let value = 0n;
  for (const ch of data) {
    const v = CODE_ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = value * 32n + BigInt(v);
  }
  if (!CHECK_ALPHABET.includes(check)) return null;
  return CHECK_ALPHABET[Number(value % 37n)] === check ? cleaned : null;
}

/** Group a (partly) typed code as the slip prints it: "ABCD-EFGH-JKMN-PQ". */
export function formatCode(text) {
  const cleaned = cleanCode(text).slice(0, DATA_SYMBOLS + 1);
  return cleaned.match(/.{1,4}/g)?.join("-") ?? "";
}

// ---------- messages ----------

const MSG = {
  mistyped: "Mã phiếu gõ chưa đúng: ký tự kiểm tra không khớp. Vui lòng đối chiếu từng ký tự với phiếu mã.",
  tooShort: (n) => `Mã phiếu có 14 ký tự; bạn mới nhập ${n}. Vui lòng nhập đủ mã.`,
  empty: "Vui lòng nhập mã phiếu in trên phiếu mã.",
  offline: "Không kết nối được với máy chủ. Vui lòng kiểm tra mạng rồi thử lại.",
  server: "Máy chủ đang bận hoặc gặp lỗi. Vui lòng thử lại sau ít phút.",
  fingerprint: "Dấu vân tay của cuộc bỏ phiếu không khớp: khóa mã hóa máy chủ gửi khác với khóa đã công bố.",
  webcrypto: "Trình duyệt không cho dùng mật mã ở trang này: trang bỏ phiếu phải được mở qua https.",
  badKey: "Khóa mã hóa của cuộc bỏ phiếu không hợp lệ.",
  otherVote: "Khóa mã hóa nhận được thuộc về một cuộc bỏ phiếu khác.",
  notReady: "Cuộc bỏ phiếu chưa có khóa mã hóa.",
  blankWarning: (name) => `Dòng của đồng chí ${name} để trống sẽ là phiếu không hợp lệ đối với đồng chí này.`,
  required: (names) => `Cuộc bỏ phiếu này yêu cầu chọn đủ mọi dòng. Còn thiếu: ${names.join(", ")}.`,
  blankAllowed: "Có thể để trống một dòng; dòng để trống được tính là phiếu không hợp lệ đối với người đó.",
  blankForbidden: "Phải chọn đủ mọi dòng.",
  blankReview: "Để trống — không hợp lệ đối với đồng chí này",
  encrypting: "Đang mã hóa phiếu trên máy tính bảng…",
  sending: "Đang gửi phiếu đã mã hóa…",
  resending: (n) => `Mất kết nối. Đang gửi lại cùng phiếu đã mã hóa (lần ${n})…`,
  stuck: "Chưa xác nhận được phiếu vì mất kết nối. Phiếu đã mã hóa vẫn được giữ trên máy này: bấm “Gửi lại” (không cần chọn lại).",
  notConfirmed: "Chưa gửi được phiếu",
  trackerMismatch: "Cảnh báo: biên nhận máy chủ trả về không khớp với phiếu đã mã hóa trên máy này. Hãy ghi lại mã và báo ngay cho Ban kiểm phiếu.",
  countdown: (s) => `Màn hình sẽ trở về trang nhập mã sau ${s} giây.`,
  idle: "Phiên trước đã hết thời gian chờ nên đã được xóa; mã phiếu của phiên đó chưa được dùng.",
  internal: "Máy tính bảng gặp lỗi khi mã hóa phiếu. Phiếu chưa được gửi.",
};

/** The Vietnamese message of an API error response ({error: {message_vi}}), or a fallback. */
async function apiMessage(response, fallback = MSG.server) {
  try {
    const body = await response.json();
    return body?.error?.message_vi || fallback;
  } catch {
    return fallback;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------- the page ----------

const RECEIPT_SECONDS = 20;
const IDLE_MS = 5 * 60 * 1000;
const AUTO_RETRIES = 6;

function startBooth(root) {
  const $ = (selector) => root.querySelector(selector);
  const cfg = {
    vote: root.dataset.vote,
    fingerprint: root.dataset.fingerprint,
    state: root.dataset.state,
    manifest: root.dataset.manifest,
    check: root.dataset.check,
    cast: root.dataset.cast,
    board: root.dataset.board,
    status: root.dataset.status,
  };
  const screens = [...root.querySelectorAll("[data-screen]")];
  const steps = [...root.querySelectorAll("[data-stepper] [data-step]")];
  const codeInput = $("#code");
  const codeForm = $("[data-code-form]");
  const codeError = $("[data-code-error]");
  const ballotBox = $("[data-ballot]");
  const ballotError = $("[data-ballot-error]");
  const reviewList = $("[data-review]");
  const dialog = $("[data-blank-dialog]");

  let ctxPromise = null; // the checked election context (manifest)
  let session = null; // {code, choices, pending: {body, tracker, shortCode}}
  let current = "loading";
  let receiptTimer = null;
  let idleTimer = null;
  let busy = false;
  // A code from the QR link (#CODE), taken out of the address bar before anything else.
  let queuedCode = takeFragmentCode();

  // --- screens ---

  function show(name, { focus = true } = {}) {
    current = name;
    for (const s of screens) s.hidden = s.dataset.screen !== name;
    const order = ["code", "ballot", "review", "receipt"];
    const at = order.indexOf(name === "sending" ? "review" : name);
    steps.forEach((li, i) => {
      li.classList.toggle("done", at >= 0 && i < at);
      if (i === at) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    root.classList.toggle("no-steps", at < 0);
    window.scrollTo(0, 0);
    if (focus) {
      const target = name === "code" ? codeInput : root.querySelector(`[data-screen="${name}"] h2`);
      target?.focus({ preventScroll: true });
    }
    armIdle();
  }

  function message(el, text) {
    el.textContent = text || "";
    el.hidden = !text;
  }

  function fatal(error) {
    message($("[data-fatal-text]"), error.message);
    $("[data-fatal-detail]").textContent = error.code ? `Mã lỗi kỹ thuật: ${error.code}` : "";
    session = null;
    show("fatal");
  }

  // --- the election context ---

  async function fetchManifest() {
    let response;
    try {
      response = await fetch(cfg.manifest, { headers: { Accept: "application/json" }, cache: "no-store" });
    } catch {
      throw new NetworkError(MSG.offline);
    }
    if (!response.ok) throw new NetworkError(await apiMessage(response));
    const body = await response.json();
    try {
      if (body.fingerprint !== cfg.fingerprint) throw new CryptoError("bad_fingerprint", "API fingerprint differs");
      const ctx = await loadManifest(body.manifest, cfg.fingerprint);
      if (ctx.voteId !== cfg.vote) throw new CryptoError("wrong_vote", "manifest of another vote");
      return ctx;
    } catch (e) {
      if (e instanceof CryptoError) {
        const text = { bad_fingerprint: MSG.fingerprint, wrong_vote: MSG.otherVote, no_webcrypto: MSG.webcrypto }[e.code] || MSG.badKey;
        console.error(e);
        throw new FatalError(text, e.code);
      }
      throw e;
    }
  }

  /** The context, loaded once; a network failure is retried on the next call. */
  function context() {
    if (!cfg.fingerprint) return Promise.reject(new NetworkError(MSG.notReady));
    if (!ctxPromise) {
      ctxPromise = fetchManifest();
      ctxPromise.catch((e) => {
        if (!(e instanceof FatalError)) ctxPromise = null;
      });
    }
    return ctxPromise;
  }

  /** Ask the server for the page again to read the fingerprint it renders now. */
  async function refreshFingerprint() {
    const response = await fetch(window.location.pathname, { cache: "no-store", credentials: "omit" });
    if (!response.ok) return;
    const html = await response.text();
    const page = new DOMParser().parseFromString(html, "text/html");
    const fresh = page.getElementById("booth");
    if (fresh && fresh.dataset.vote === cfg.vote) {
      cfg.fingerprint = fresh.dataset.fingerprint;
      cfg.state = fresh.dataset.state;
    }
  }

  async function waitUntilReady() {
    show("wait");
    for (;;) {
      try {
        const response = await fetch(cfg.status, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (response.ok) {
          const status = await response.json();
          if (status.fingerprint) {
            await refreshFingerprint();
            if (cfg.fingerprint) break;
          }
        }
      } catch {
        // the room's Wi-Fi may drop for a moment; keep polling
      }
      await sleep(4000);
    }
    prepare();
  }

  function prepare() {
    // Browsers hide WebCrypto from plain-http pages on a LAN address; say so at once (the
    // crypto library would otherwise report the manifest check as a fingerprint mismatch).
    if (!globalThis.crypto?.subtle) {
      fatal(new FatalError(MSG.webcrypto, "no_webcrypto"));
      return;
    }
    if (!cfg.fingerprint) {
      waitUntilReady();
      return;
    }
    context().then((ctx) => {
      // Observers can compare it with the fingerprint projected or read out in the room.
      $("[data-fp-short]").textContent = ctx.fpHex.slice(0, 16).match(/.{4}/g).join(" ");
      $("[data-fp-note]").hidden = false;
    }, (e) => {
      if (e instanceof FatalError) fatal(e);
    });
    if (current === "loading" || current === "wait") toCodeScreen();
    if (queuedCode) {
      const code = queuedCode;
      queuedCode = "";
      submitCode(code);
    }
  }

  // --- screen 1: the code ---

  function toCodeScreen(notice = "") {
    codeInput.value = "";
    codeInput.removeAttribute("aria-invalid");
    message(codeError, notice);
    codeError.classList.toggle("info", !!notice);
    show("code");
  }

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

  function codeProblem(text) {
    codeError.classList.remove("info");
    message(codeError, text);
    codeInput.setAttribute("aria-invalid", "true");
    codeInput.focus();
  }

  codeInput.addEventListener("input", () => {
    codeError.hidden = true;
    codeInput.removeAttribute("aria-invalid");
    const atEnd = codeInput.selectionStart === codeInput.value.length;
    if (!atEnd) return;
    const formatted = formatCode(codeInput.value);
    if (formatted !== codeInput.value) codeInput.value = formatted;
  });

  codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    submitCode(codeInput.value);
  });

  window.addEventListener("hashchange", () => {
    const code = takeFragmentCode();
    if (!code) return;
    if (current === "code") submitCode(code);
    else if (current === "wait" || current === "loading") queuedCode = code;
  });

  async function submitCode(typed) {
    if (busy || current === "fatal") return;
    codeInput.value = formatCode(typed);
    codeError.classList.remove("info");
    const cleaned = cleanCode(typed);
    const code = normaliseCode(typed);
    if (!code) {
      // Nothing is sent for a code that cannot be right.
      if (!cleaned) codeProblem(MSG.empty);
      else if (cleaned.length < DATA_SYMBOLS + 1) codeProblem(MSG.tooShort(cleaned.length));
      else codeProblem(MSG.mistyped);
      return;
    }
    busy = true;
    const button = $("[data-code-submit]");
    button.disabled = true;
    button.classList.add("working");
    try {
      const ctx = await context();
      let response;
      try {
        response = await postJson(cfg.check, { code });
      } catch {
        throw new NetworkError(MSG.offline);
      }
      if (!response.ok) throw new NetworkError(await apiMessage(response));
      session = { code, choices: new Array(ctx.subjects).fill(null), pending: null };
      codeInput.value = "";
      renderBallot(ctx);
      show("ballot");
    } catch (e) {
      if (e instanceof FatalError) return fatal(e);
      codeProblem(e instanceof NetworkError ? e.message : MSG.server);
    } finally {
      busy = false;
      button.disabled = false;
      button.classList.remove("working");
    }
  }

  // --- screen 2: the ballot ---

  function renderBallot(ctx) {
    const { subjects, levels, rules } = ctx.manifest;
    $("[data-blank-note]").textContent = rules.blank_row_allowed ? MSG.blankAllowed : MSG.blankForbidden;
    ballotBox.replaceChildren();
    message(ballotError, "");
    subjects.forEach((subject, i) => {
      const row = el("section", { class: "subject", "data-row": String(i) });
      const head = el("div", { class: "who" });
      head.append(
        el("span", { class: "rank", "aria-hidden": "true" }, String(i + 1)),
        el("span", { class: "name-block" },
          el("span", { class: "name", id: `s${i}-name` }, subject.name),
          el("span", { class: "position", id: `s${i}-pos` }, subject.position)),
      );
      const group = el("div", { class: "choices", role: "radiogroup", "aria-labelledby": `s${i}-name s${i}-pos` });
      if (!rules.blank_row_allowed) group.setAttribute("aria-required", "true");
      levels.forEach((level, k) => {
        const id = `s${i}-l${k}`;
        const input = el("input", { type: "radio", name: `s${i}`, id, value: String(k), class: "sr-radio" });
        const label = el("label", { for: id, class: `choice level-${level.code}` },
          el("span", { class: "tick", "aria-hidden": "true" }),
          el("span", { class: "text" }, level.label));
        input.addEventListener("change", () => choose(i, k));
        group.append(input, label);
      });
      row.append(head, group);
      if (rules.blank_row_allowed) {
        const clear = el("button", { type: "button", class: "clear", hidden: "" }, "Bỏ chọn");
        clear.setAttribute("aria-label", `Bỏ chọn dòng của đồng chí ${subject.name}`);
        clear.addEventListener("click", () => {
          choose(i, null);
          group.querySelector("input")?.focus();
        });
        row.append(clear);
      }
      ballotBox.append(row);
    });
  }

  function choose(i, k) {
    if (!session) return;
    session.choices[i] = k;
    const row = ballotBox.querySelector(`[data-row="${i}"]`);
    for (const input of row.querySelectorAll("input")) {
      input.checked = k !== null && Number(input.value) === k;
      input.nextElementSibling.classList.toggle("checked", input.checked);
    }
    row.classList.toggle("answered", k !== null);
    row.classList.remove("missing");
    const clear = row.querySelector(".clear");
    if (clear) clear.hidden = k === null;
    if (!ballotError.hidden && session.choices.every((c) => c !== null)) message(ballotError, "");
  }

  $("[data-to-review]").addEventListener("click", async () => {
    if (!session) return;
    const ctx = await context();
    const blanks = session.choices.flatMap((c, i) => (c === null ? [i] : []));
    const names = blanks.map((i) => ctx.manifest.subjects[i].name);
    for (const row of ballotBox.querySelectorAll(".subject")) row.classList.toggle("missing", blanks.includes(Number(row.dataset.row)));
    if (blanks.length && !ctx.blankRowAllowed) {
      message(ballotError, MSG.required(names));
      ballotBox.querySelector(`[data-row="${blanks[0]}"] input`)?.focus();
      return;
    }
    if (blanks.length) {
      const list = $("[data-blank-list]");
      list.replaceChildren(...names.map((name) => el("li", {}, MSG.blankWarning(name))));
      dialog.showModal();
      $("[data-blank-back]").focus();
      return;
    }
    toReview(ctx);
  });

  $("[data-blank-back]").addEventListener("click", () => {
    dialog.close();
    ballotBox.querySelector(".subject.missing input")?.focus();
  });
  $("[data-blank-confirm]").addEventListener("click", async () => {
    dialog.close();
    toReview(await context());
  });

  $("[data-cancel]").addEventListener("click", () => reset());

  // --- screen 3: review ---

  function toReview(ctx) {
    const { subjects, levels } = ctx.manifest;
    reviewList.replaceChildren(...subjects.map((subject, i) => {
      const c = session.choices[i];
      return el("li", { class: c === null ? "blank" : `chosen level-${levels[c].code}` },
        el("span", { class: "who" },
          el("span", { class: "name" }, subject.name),
          el("span", { class: "position" }, subject.position)),
        el("span", { class: "what" }, c === null ? MSG.blankReview : levels[c].label));
    }));
    show("review");
  }

  $("[data-back]").addEventListener("click", () => {
    show("ballot");
  });

  // --- encrypt, send, retry ---

  $("[data-send]").addEventListener("click", () => send());
  $("[data-retry]").addEventListener("click", () => deliver());

  async function send() {
    if (!session || busy) return;
    busy = true;
    try {
      if (!session.pending) {
        $("[data-sending-title]").textContent = MSG.encrypting;
        $("[data-sending-status]").textContent = "";
        $("[data-retry-box]").hidden = true;
        show("sending");
        await sleep(30); // let the screen paint before the crypto runs
        const ctx = await context();
        const out = await encryptBallot(ctx, session.choices);
        // From here on the ballot is fixed: a retry re-sends these very bytes.
        session.pending = { body: JSON.stringify({ code: session.code, ballot: out.ballot }), tracker: out.tracker, shortCode: out.shortCode };
        session.choices = null;
        ballotBox.replaceChildren();
        reviewList.replaceChildren();
      }
    } catch (e) {
      busy = false;
      if (e instanceof FatalError) return fatal(e);
      console.error(e);
      showError(MSG.internal);
      return;
    }
    busy = false;
    await deliver();
  }

  async function deliver() {
    if (!session?.pending || busy) return;
    busy = true;
    const pending = session.pending;
    $("[data-sending-title]").textContent = MSG.sending;
    $("[data-retry-box]").hidden = true;
    if (current !== "sending") show("sending");
    const status = $("[data-sending-status]");
    status.textContent = "";
    try {
      for (let attempt = 1; ; attempt++) {
        let response = null;
        try {
          response = await fetch(cfg.cast, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: pending.body,
            cache: "no-store",
            credentials: "omit",
          });
        } catch {
          response = null; // the network dropped: the ballot may or may not have arrived
        }
        if (response && (response.status === 200 || response.status === 201)) {
          let receipt = null;
          try {
            receipt = await response.json();
          } catch {
            receipt = null;
          }
          if (receipt) return showReceipt(receipt, pending);
        } else if (response && response.status < 500 && response.status !== 429 && response.status !== 408) {
          return showError(await apiMessage(response));
        }
        if (attempt > AUTO_RETRIES) {
          status.textContent = MSG.stuck;
          $("[data-sending-title]").textContent = MSG.notConfirmed;
          $("[data-retry-box]").hidden = false;
          $("[data-retry]").focus();
          return;
        }
        status.textContent = MSG.resending(attempt);
        await sleep(Math.min(1000 * 2 ** (attempt - 1), 5000));
      }
    } finally {
      busy = false;
    }
  }

  function showError(text) {
    message($("[data-error-text]"), text);
    session = null;
    show("error");
  }

  // --- screen 4: receipt ---

  function showReceipt(receipt, pending) {
    $("[data-receipt-code]").textContent = pending.shortCode;
    const link = $("[data-board-link]");
    const url = new URL(cfg.board, window.location.href);
    url.searchParams.set("tracker", pending.shortCode);
    link.href = url.href;
    link.textContent = new URL(cfg.board, window.location.href).href;
    const mismatch = receipt.tracker !== pending.tracker || receipt.short_code !== pending.shortCode;
    message($("[data-receipt-warning]"), mismatch ? `${MSG.trackerMismatch} (${receipt.short_code || "?"})` : "");
    session = null; // the code is used; nothing of this voter is kept
    show("receipt");
    let left = RECEIPT_SECONDS;
    const bar = $("[data-countdown-bar]");
    const text = $("[data-countdown-text]");
    bar.classList.remove("run");
    void bar.offsetWidth; // restart the CSS animation (its length is RECEIPT_SECONDS, in booth.css)
    bar.classList.add("run");
    text.textContent = MSG.countdown(left);
    clearInterval(receiptTimer);
    receiptTimer = setInterval(() => {
      left -= 1;
      text.textContent = MSG.countdown(Math.max(left, 0));
      if (left <= 0) reset();
    }, 1000);
  }

  $("[data-done]").addEventListener("click", () => reset());
  $("[data-restart]").addEventListener("click", () => reset());

  /** Forget everything about the last voter and show the code screen. */
  function reset(notice = "") {
    clearInterval(receiptTimer);
    receiptTimer = null;
    if (dialog.open) dialog.close();
    session = null;
    ballotBox.replaceChildren();
    reviewList.replaceChildren();
    $("[data-receipt-code]").textContent = "";
    $("[data-board-link]").removeAttribute("href");
    $("[data-board-link]").textContent = "";
    message($("[data-receipt-warning]"), "");
    message($("[data-error-text]"), "");
    message(ballotError, "");
    toCodeScreen(notice);
  }

  // --- a voter who walks away mid-ballot ---

  function armIdle() {
    clearTimeout(idleTimer);
    if (current === "ballot" || current === "review") {
      idleTimer = setTimeout(() => {
        if ((current === "ballot" || current === "review") && !busy) reset(MSG.idle);
      }, IDLE_MS);
    }
  }
  for (const type of ["pointerdown", "keydown", "touchstart"]) {
    root.addEventListener(type, armIdle, { passive: true });
  }

  prepare();
}

class NetworkError extends Error {}
class FatalError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function postJson(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
}

/** A small element builder: el("span", {class: "x"}, "text", child…). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

if (typeof document !== "undefined") {
  const root = document.getElementById("booth");
  if (root) startBooth(root);
}
