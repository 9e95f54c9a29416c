// A counting-committee member decrypts on their own device: open the key file (or the typed
// key card) with the passphrase, check the manifest against the page's fingerprint, check
// every ballot on the closed board and the hash chain, recompute the aggregate of ALL the
// ballots, make the partial decryption with its proofs, and send only that.

import {
  CryptoError, loadManifest, openKeyFile, parseCard, parseKeyFile, partialDecrypt, verifyManifestKeys,
} from "../crypto/index.js";
import { statusLine, stepList } from "./progress.js";

const MSG = {
  noKey: "Hãy chọn tệp khóa hoặc dán nội dung thẻ khóa.",
  noPassphrase: "Hãy nhập mật khẩu của tệp khóa.",
  announced: "Mã băm khi kết thúc nhập vào phải gồm ít nhất 8 ký tự 0-9, a-f.",
  announcedDiffers: "Mã băm khi kết thúc do thiết bị tính khác với mã được đọc trong phòng họp. Không gửi phần giải mã; báo ngay cho Ban kiểm phiếu.",
  otherVote: "Tệp khóa này thuộc về một cuộc bỏ phiếu khác.",
  notMine: (x, me) => `Tệp khóa này là của thành viên số ${x}, không phải của bạn (thành viên số ${me}).`,
  notClosed: "Bỏ phiếu chưa kết thúc: chỉ giải mã sau khi Trưởng ban kết thúc bỏ phiếu.",
  counted: "Kết quả đã được giải mã.",
  boardFingerprint: "Bảng phiếu máy chủ gửi thuộc về một cuộc bỏ phiếu khác.",
  offline: "Không kết nối được với máy chủ. Vui lòng thử lại.",
  checking: (n, total) => `Đang kiểm tra phiếu ${n}/${total}…`,
  checked: (total) => `Đã kiểm tra ${total}/${total} phiếu; tổng do thiết bị tự cộng.`,
  opening: "Đang mở tệp khóa (mất khoảng một giây)…",
  sent: (shares, t) => `Đã gửi phần giải mã của bạn (${shares}/${t}). Cần thêm ${t - shares} thành viên giải mã nữa.`,
  decrypted: "Đã đủ phần giải mã: kết quả đã được giải mã.",
  submitted: "Bạn đã gửi phần giải mã trước đó. Gửi lại sẽ thay phần cũ bằng phần mới (cùng kết quả).",
  failed: "Có lỗi khi giải mã trên thiết bị này.",
  codes: {
    bad_keyfile: "Tệp khóa không đúng định dạng (hãy chọn tệp khoa-kiem-phieu-N.json tải về sau lễ tạo khóa).",
    bad_card: "Nội dung thẻ khóa chưa đúng (mã kiểm tra không khớp). Vui lòng đối chiếu từng dòng với thẻ in.",
    wrong_passphrase: "Sai mật khẩu (hoặc tệp khóa bị hỏng).",
    key_mismatch: "Tệp khóa bị hỏng: khóa bên trong không khớp với khóa kiểm tra của nó.",
    wrong_key: "Tệp khóa không thuộc lễ tạo khóa của cuộc bỏ phiếu này.",
    bad_fingerprint: "Dấu vân tay của cuộc bỏ phiếu không khớp: khóa máy chủ gửi khác với khóa đã công bố.",
    bad_manifest: "Khóa công bố của cuộc bỏ phiếu không khớp với lễ tạo khóa.",
    bad_point: "Khóa công bố của cuộc bỏ phiếu không hợp lệ.",
    bad_closing: "Khối kết thúc của bảng phiếu không khớp (số phiếu, mã băm cuối, số đại biểu hoặc mã băm khi kết thúc).",
    board_mismatch: "Bảng phiếu không khớp với khối kết thúc đã công bố.",
    no_webcrypto: "Trình duyệt không cho dùng mật mã ở trang này: trang phải được mở qua https (hoặc từ chính máy chủ).",
  },
};

class Stop extends Error {}

function explain(e) {
  if (e instanceof Stop) return e.message;
  if (e instanceof CryptoError) {
    if (e.code === "bad_board") {
      return `Bảng phiếu không hợp lệ ở phiếu số ${e.entry ?? "?"}: ${boardWhy(e)}. Không giải mã; báo ngay cho Ban kiểm phiếu.`;
    }
    return MSG.codes[e.code] || `${MSG.failed} (${e.code})`;
  }
  console.error(e);
  return MSG.failed;
}

function boardWhy(e) {
  const code = e.cause?.code;
  if (code === "bad_proof") return "chứng minh của phiếu sai";
  if (code === "wrong_election") return "phiếu thuộc cuộc bỏ phiếu khác";
  if (/chain/.test(e.message)) return "chuỗi mã băm bị đứt";
  if (/tracker/.test(e.message)) return "mã biên nhận không khớp với phiếu";
  if (/repeats/.test(e.message)) return "phiếu lặp lại dữ liệu mã hóa của phiếu khác";
  if (/seq/.test(e.message)) return "số thứ tự sai";
  return "phiếu không đúng định dạng";
}

function start(root) {
  const $ = (s) => root.querySelector(s);
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const form = $("[data-form]");
  const steps = $("[data-steps]");
  const statusBox = $("[data-status]");
  const bar = $("[data-progress-bar]");
  const progress = $("[data-progress]");
  let running = false;

  const status = statusLine(statusBox);

  const step = stepList(steps);

  function showProgress(done, total) {
    const pct = total ? Math.round((100 * done) / total) : 100;
    bar.style.width = `${pct}%`;
    progress.setAttribute("aria-valuenow", String(pct));
    step("board", "active", MSG.checking(Math.min(done + 1, total), total));
  }

  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" });
    } catch {
      throw new Stop(MSG.offline);
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Stop(body?.error?.message_vi || `HTTP ${response.status}`);
    return body;
  }

  async function readKeySource() {
    const file = $("#keyfile").files?.[0];
    const card = $("#card").value.trim();
    if (file) return parseKeyFile(await file.text());
    if (card) return parseCard(card);
    throw new Stop(MSG.noKey);
  }

  function announcedHash() {
    const typed = $("#announced").value.replace(/[\s-]/g, "").toLowerCase();
    if (!typed) return "";
    if (!/^[0-9a-f]{8,64}$/.test(typed)) throw new Stop(MSG.announced);
    return typed;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (running) return;
    running = true;
    $("[data-start]").disabled = true;
    try {
      await run();
    } catch (e) {
      status(explain(e), "error");
      for (const li of steps.querySelectorAll(".active")) step(li.dataset.step, "failed");
    } finally {
      running = false;
      $("[data-start]").disabled = false;
    }
  });

  async function run() {
    if (!globalThis.crypto?.subtle) throw new CryptoError("no_webcrypto");
    for (const li of steps.querySelectorAll("li")) step(li.dataset.step, "", "");
    progress.hidden = true;
    const passphrase = $("#passphrase").value;
    const doc = await readKeySource();
    if (!passphrase) {
      $("#passphrase").focus();
      throw new Stop(MSG.noPassphrase);
    }
    const announced = announcedHash();
    status("");
    steps.hidden = false;

    // 1. the key
    step("key", "active", MSG.opening);
    await new Promise((r) => setTimeout(r, 30)); // let the page paint before scrypt
    const key = await openKeyFile(doc, passphrase);
    if (key.voteId !== root.dataset.vote) throw new Stop(MSG.otherVote);
    const me = Number(root.dataset.me);
    if (me && key.index !== me) throw new Stop(MSG.notMine(key.index, me));
    step("key", "done", `Khóa của thành viên số ${key.index}`);

    // 2. the manifest, against the fingerprint this page was rendered with
    step("manifest", "active");
    const published = await getJson(root.dataset.manifest);
    if (published.fingerprint !== root.dataset.fingerprint) throw new CryptoError("bad_fingerprint");
    const ctx = await loadManifest(published.manifest, root.dataset.fingerprint);
    await verifyManifestKeys(published.manifest);
    step("manifest", "done", `Dấu vân tay ${ctx.fpHex.slice(0, 16)}…`);

    // 3. the whole board: every ballot, the chain, the closing; the aggregate of ALL ballots
    step("board", "active");
    const board = await getJson(root.dataset.board);
    if (board.state === "counted") {
      $("[data-results-link]").hidden = false;
      $("[data-after]").hidden = false;
      throw new Stop(MSG.counted);
    }
    if (board.state !== "closed" || !board.closing) throw new Stop(MSG.notClosed);
    if (board.fingerprint !== ctx.fpHex) throw new Stop(MSG.boardFingerprint);
    progress.hidden = false;
    showProgress(0, board.entries.length);
    const result = await partialDecrypt(ctx, board, key, { onProgress: showProgress });
    showProgress(result.count, result.count);
    step("board", "done", MSG.checked(result.count));
    if (announced && !result.closingHash.startsWith(announced)) throw new Stop(MSG.announcedDiffers);

    // 4. the share (the key share itself never leaves this page)
    step("share", "active");
    let response;
    try {
      response = await fetch(root.dataset.submit, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ share: result.share }),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      throw new Stop(MSG.offline);
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Stop(body?.error?.message_vi || `HTTP ${response.status}`);
    step("share", "done", `Phần giải mã ${body.shares}/${body.threshold}`);
    $("#passphrase").value = "";
    form.hidden = true;
    $("[data-after]").hidden = false;
    if (body.decrypted) {
      status(MSG.decrypted, "ok");
      $("[data-results-link]").hidden = false;
      $("[data-results-link]").focus();
    } else {
      status(MSG.sent(body.shares, body.threshold), "ok");
    }
  }

  if (root.dataset.submitted) status(MSG.submitted);
}

const root = typeof document !== "undefined" ? document.getElementById("decrypt") : null;
if (root) start(root);
