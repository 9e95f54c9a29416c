// A counting-committee member's part of the dealer-free key ceremony, run on their device.
//
//   1. start (draw the secret polynomial) and post the public commitments;
//   2. when every member has committed: check them all, deal encrypted shares, post them;
//   3. when the shares addressed to me are in: check each against its dealer's commitments,
//      seal the key with the passphrase (scrypt + AES-GCM), post "done", offer the key file
//      and the printable card.
// The member's secret lives in this page's memory only: a reload loses it, and then the
// admin restarts the ceremony. The server only relays the messages the crypto library builds
// (the same messages ballot/voting/simulate.py makes in Python).

import {
  BadDealer, CryptoError, canonicalJson, cardText, ceremonyId, checkCommits, dealShares, finishMember,
  fingerprint, sealKeyFile, startMember, toHex, verifyManifestKeys,
} from "../crypto/index.js";
import { statusLine, stepList } from "./progress.js";

const POLL_MS = 1500;
const MIN_PASSPHRASE = 10;

const MSG = {
  short: `Mật khẩu cần ít nhất ${MIN_PASSPHRASE} ký tự.`,
  differ: "Hai lần nhập mật khẩu không giống nhau.",
  over: "Lễ tạo khóa đã hoàn tất; khóa của cuộc bỏ phiếu đã được công bố.",
  notStarted: "Quản trị viên chưa bắt đầu lễ tạo khóa cho cuộc bỏ phiếu này.",
  lost: "Thiết bị của bạn đã gửi cam kết trước đó, nhưng phần bí mật không còn trên trang này (trang đã được tải lại hoặc mở trên thiết bị khác). Hãy đề nghị quản trị viên bấm “Làm lại lễ tạo khóa”, rồi bắt đầu lại.",
  reset: "Quản trị viên đã làm lại lễ tạo khóa. Phần bí mật cũ đã bị bỏ; hãy nhập mật khẩu và bắt đầu lại.",
  cid: "Thông tin lễ tạo khóa máy chủ gửi không khớp với danh sách Ban kiểm phiếu. Dừng lại và báo quản trị viên.",
  myCommit: "Cam kết của bạn trên máy chủ khác với cam kết thiết bị này đã gửi. Dừng lại và báo quản trị viên.",
  offline: "Mất kết nối với máy chủ; đang thử lại…",
  working: "Đang làm việc — giữ trang này mở.",
  badDealer: (name, x) => `Phần khóa hoặc cam kết của đồng chí ${name} (thành viên số ${x}) không hợp lệ. Thiết bị không lưu khóa. Hãy báo quản trị viên làm lại lễ tạo khóa.`,
  doneWaiting: "Bạn đã hoàn tất phần việc của mình trong lễ tạo khóa; đang chờ các thành viên khác.",
  saved: "Đã lưu khóa. Hãy tải tệp khóa về ngay.",
  ready: "Lễ tạo khóa hoàn tất: mọi thành viên đã có phần khóa của mình.",
  manifestBad: "Khóa công bố của cuộc bỏ phiếu không khớp với lễ tạo khóa. Báo ngay cho quản trị viên.",
  unload: "Lễ tạo khóa chưa xong: rời trang sẽ làm mất phần bí mật của bạn.",
  webcrypto: "Trình duyệt không cho dùng mật mã ở trang này: trang phải được mở qua https (hoặc từ chính máy chủ).",
  failed: "Lễ tạo khóa bị lỗi trên thiết bị này.",
};

class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
class Stop extends Error {}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function start(root) {
  const $ = (s) => root.querySelector(s);
  const api = root.dataset.api;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const form = $("[data-start-form]");
  const statusBox = $("[data-status]");
  const steps = $("[data-steps]");
  let running = false;
  let guardUnload = false;
  let last = null; // last ceremony state from the server

  window.addEventListener("beforeunload", (event) => {
    if (!guardUnload) return;
    event.preventDefault();
    event.returnValue = MSG.unload;
  });

  const status = statusLine(statusBox);

  const step = stepList(steps);

  async function getState() {
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(api, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" });
      } catch {
        if (attempt >= 2) status(MSG.offline, "error");
        await sleep(Math.min(1000 * (attempt + 1), 5000));
        continue;
      }
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new ApiError(body?.error?.message_vi || `HTTP ${response.status}`, body?.error?.code, response.status);
      last = body;
      renderMembers(body);
      return body;
    }
  }

  /** POST one step; a network failure is retried with the same message. */
  async function post(stepName, payload, { alreadyOk } = {}) {
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(`${api}/${stepName}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify(payload),
          credentials: "same-origin",
          cache: "no-store",
        });
      } catch {
        status(MSG.offline, "error");
        await sleep(Math.min(1000 * (attempt + 1), 5000));
        continue;
      }
      const body = await response.json().catch(() => null);
      if (response.ok) return body;
      const error = new ApiError(body?.error?.message_vi || `HTTP ${response.status}`, body?.error?.code, response.status);
      // A retry whose first try did arrive: the server says so; check it holds what we sent.
      if (attempt > 0 && alreadyOk && (await alreadyOk(await getState()))) return body;
      throw error;
    }
  }

  function mark(value) {
    const span = document.createElement("span");
    span.className = value ? "yes" : "no";
    span.textContent = value ? "✓" : "—";
    const sr = document.createElement("span");
    sr.className = "sr-only";
    sr.textContent = value ? " đã xong" : " chưa";
    const td = document.createElement("td");
    td.className = "mark";
    td.append(span, sr);
    return td;
  }

  function renderMembers(s) {
    const body = $("[data-members]");
    body.replaceChildren(...s.trustees.map((t) => {
      const tr = document.createElement("tr");
      if (t.index === s.me) tr.className = "me";
      const idx = document.createElement("td");
      idx.textContent = String(t.index);
      const name = document.createElement("td");
      name.textContent = t.name;
      if (t.chair) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "Trưởng ban";
        name.append(" ", badge);
      }
      if (t.index === s.me) {
        const you = document.createElement("span");
        you.className = "badge warn";
        you.textContent = "Bạn";
        name.append(" ", you);
      }
      tr.append(idx, name, mark(t.committed), mark(t.dealt), mark(t.done));
      return tr;
    }));
    if (s.fingerprint) showFingerprint(s.fingerprint);
  }

  function showFingerprint(hex) {
    $("[data-fingerprint]").textContent = hex.match(/.{1,8}/g).join(" ");
    $("[data-fingerprint-box]").hidden = false;
  }

  const nameOf = (s, x) => s.trustees.find((t) => t.index === x)?.name || `#${x}`;
  const count = (s, field) => s.trustees.filter((t) => t[field]).length;

  /** Poll until `ready(state)`; stop if the admin restarted the ceremony under us. */
  async function waitFor(ready, progress, sentCommit) {
    for (;;) {
      const s = await getState();
      if (sentCommit && s.state === "ceremony" && !s.my_commit) throw new Stop(MSG.reset, { cause: "reset" });
      if (ready(s)) return s;
      if (s.state !== "ceremony") throw new Stop(MSG.over);
      progress(s);
      await sleep(POLL_MS);
    }
  }

  // --- the ceremony ---

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (running) return;
    const p1 = $("#passphrase").value;
    const p2 = $("#passphrase2").value;
    if ([...p1].length < MIN_PASSPHRASE || p1 !== p2) {
      status([...p1].length < MIN_PASSPHRASE ? MSG.short : MSG.differ, "error");
      $([...p1].length < MIN_PASSPHRASE ? "#passphrase" : "#passphrase2").focus();
      return;
    }
    running = true;
    $("[data-start]").disabled = true;
    try {
      await run(p1);
    } catch (e) {
      guardUnload = false;
      const restart = e instanceof Stop && e.cause === "reset";
      if (e instanceof BadDealer && last) {
        status(MSG.badDealer(nameOf(last, e.dealer), e.dealer), "error");
      } else if (e instanceof Stop || e instanceof ApiError) {
        status(e.message, "error");
      } else if (e instanceof CryptoError && e.code === "no_webcrypto") {
        status(MSG.webcrypto, "error");
      } else {
        status(`${MSG.failed} (${e?.code || e?.name || "lỗi"})`, "error");
        console.error(e);
      }
      for (const li of steps.querySelectorAll(".active")) step(li.dataset.step, "failed");
      if (restart) {
        form.hidden = false;
        for (const li of steps.querySelectorAll("li")) step(li.dataset.step, "", "");
      }
    } finally {
      running = false;
      $("[data-start]").disabled = false;
    }
  });

  async function run(passphrase) {
    if (!globalThis.crypto?.subtle) throw new CryptoError("no_webcrypto");
    let s = await getState();
    if (s.state !== "ceremony") throw new Stop(s.state === "draft" ? MSG.notStarted : MSG.over);
    if (s.my_commit) throw new Stop(MSG.lost);
    // The ceremony id binds the vote, the threshold and the members: recompute it here.
    const cid = toHex(await ceremonyId(s.vote_id, s.threshold, s.trustees.map((t) => t.name)));
    if (cid !== s.ceremony_id || s.vote_id !== root.dataset.vote || s.trustees.some((t, i) => t.index !== i + 1)) {
      throw new Stop(MSG.cid);
    }
    const { me, threshold: t, size: n } = s;
    form.hidden = true;
    steps.hidden = false;
    guardUnload = true;
    status(MSG.working);

    // 1. commit
    step("commit", "active");
    let secret;
    let commitMessage;
    {
      const started = await startMember(cid, me, t, n);
      secret = started.secret;
      commitMessage = started.message;
    }
    const mine = canonicalJson(commitMessage);
    await post("commit", { message: commitMessage }, { alreadyOk: (st) => st.my_commit && canonicalJson(st.my_commit) === mine });
    step("commit", "done");

    // 2. all commitments, checked; deal the shares
    step("commits", "active");
    s = await waitFor((st) => st.commits, (st) => step("commits", "active", `${count(st, "committed")}/${n} thành viên đã gửi`), true);
    step("commits", "done", `${n}/${n} thành viên đã gửi`);
    if (canonicalJson(s.commits[me - 1]) !== mine) throw new Stop(MSG.myCommit);
    const commitsSeen = canonicalJson(s.commits);
    const commits = await checkCommits(cid, t, n, s.commits);
    step("shares", "active");
    const shares = await dealShares(secret, commits);
    await post("shares", { messages: shares });
    step("shares", "done", `${shares.length} phần khóa đã mã hóa`);

    // 3. my inbox, every share checked; seal, confirm, hand over the key file
    step("inbox", "active");
    s = await waitFor((st) => st.inbox, (st) => step("inbox", "active", `${count(st, "dealt")}/${n} thành viên đã gửi`), true);
    // The commitments must be the ones this device checked and dealt against.
    if (canonicalJson(s.commits) !== commitsSeen) throw new Stop(MSG.myCommit);
    step("inbox", "done", `${s.inbox.length} phần khóa nhận được`);
    step("check", "active");
    const { key, message: done } = await finishMember(secret, commits, s.inbox);
    secret = null; // the polynomial is no longer needed (JavaScript cannot wipe it)
    const keyFile = await sealKeyFile(key, s.vote_id, passphrase);
    passphrase = "";
    $("#passphrase").value = "";
    $("#passphrase2").value = "";
    await post("done", { message: done }, { alreadyOk: (st) => st.trustees.find((x) => x.index === me)?.done });
    step("check", "done", "Mọi phần khóa khớp với cam kết đã công bố");
    await offerKeyFile(key.index, keyFile);
    status(MSG.saved, "ok");

    // 4. everyone done: the manifest is frozen; re-check it against the ceremony
    step("ready", "active");
    s = await waitFor((st) => st.state !== "ceremony", (st) => step("ready", "active", `${count(st, "done")}/${n} thành viên đã hoàn tất`), true);
    await checkManifest(s, key, done);
    step("ready", "done", `${n}/${n} thành viên đã hoàn tất`);
    status(guardUnload ? `${MSG.ready} ${MSG.saved}` : MSG.ready, "ok");
  }

  async function checkManifest(s, key, done) {
    const response = await fetch(root.dataset.manifest, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new ApiError(MSG.manifestBad);
    const { manifest, fingerprint: fp } = await response.json();
    let ok = false;
    try {
      const checked = await verifyManifestKeys(manifest);
      ok = toHex(await fingerprint(manifest)) === fp && fp === s.fingerprint &&
        checked.publicKey.toHex() === done.public_key &&
        manifest.verification_keys[key.index - 1] === key.verificationKey.toHex();
    } catch (e) {
      if (!(e instanceof CryptoError)) throw e;
    }
    if (!ok) throw new Stop(MSG.manifestBad);
    showFingerprint(fp);
  }

  async function offerKeyFile(index, keyFile) {
    const text = JSON.stringify(keyFile, null, 2) + "\n";
    const link = $("[data-keyfile]");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `khoa-kiem-phieu-${index}.json`;
    link.addEventListener("click", () => {
      guardUnload = false;
    });
    $("[data-card]").textContent = await cardText(keyFile);
    $("[data-download]").hidden = false;
  }

  $("[data-print]").addEventListener("click", () => {
    document.body.classList.add("printing-card");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("printing-card"));

  // On arrival: show where the ceremony stands (and whether this member can start).
  getState().then((s) => {
    if (s.state !== "ceremony") {
      form.hidden = true;
      status(s.state === "draft" ? MSG.notStarted : MSG.over, s.state === "draft" ? "" : "ok");
    } else if (s.trustees.find((t) => t.index === s.me)?.done) {
      form.hidden = true;
      status(MSG.doneWaiting, "ok");
    } else if (s.my_commit) {
      status(MSG.lost, "error");
    }
  }).catch((e) => status(e.message, "error"));
}

const root = typeof document !== "undefined" ? document.getElementById("ceremony") : null;
if (root) start(root);
