// Passphrase-protected key files of counting-committee members (protocol §6.5) and their
// printable card (§6.6): scrypt → AES-256-GCM, the header authenticated as AAD.

import { CROCKFORD, CryptoError, bytesEqual, concat, crockfordValue, fromHex, subtle, toHex, u32, utf8 } from "./bytes.js";
import { mulBase, pointFromHex } from "./group.js";
import { canonicalJsonBytes, domain, sha256 } from "./hash.js";
import { parseJson } from "./json.js";
import { scalarFromBytes, scalarToBytes, systemRandomBytes } from "./scalar.js";
import { scrypt } from "./scrypt.js";

export const FORMAT = "ballot-trustee-key";
const AAD_TAG = domain("keyfile");
// The bounds a reader (and a writer) accepts, the same as ballot/crypto/keyfile.py: nothing
// weaker than the default (a file too cheap to brute-force is refused), nothing that demands
// gigabytes of memory. N = 2^16 took 1.5 s on an emulated mid-range tablet (2^17: 2.9 s, over
// the ~2 s budget; bench/keyfile_kdf.py, docs/benchmarks.md).
const LOG_N = [16, 20];
const R = [8, 16];
const P = [1, 4];
export const DEFAULT_KDF = { logN: 16, r: 8, p: 1 };

const fail = (code, why) => new CryptoError(code, why);
const sameKeys = (o, keys) =>
  !!o && typeof o === "object" && !Array.isArray(o) && Object.keys(o).sort().join() === [...keys].sort().join();

function checkCost(logN, r, p) {
  for (const [v, [lo], name] of [[logN, LOG_N, "log_n"], [r, R, "r"]]) {
    if (Number.isInteger(v) && v >= 1 && v < lo) {
      throw fail("weak_keyfile", `scrypt ${name} = ${v} is below the minimum ${lo} (a file made by an older version, too cheap to guess passphrases against): make a new key file`);
    }
  }
  bounded(logN, LOG_N, "log_n");
  bounded(r, R, "r");
  bounded(p, P, "p");
}

function bounded(v, [lo, hi], name) {
  if (!Number.isInteger(v) || v < lo || v > hi) throw fail("bad_keyfile", `${name} out of range`);
  return v;
}

/**
 * Read a key file (JSON text or object) and check its structure, everything but the
 * passphrase. Returns the key file object, ready for openKeyFile or cardText; throws
 * CryptoError("bad_keyfile"). Lets a page refuse a wrong file before asking for the
 * passphrase.
 */
export function parseKeyFile(doc) {
  return keyFileParts(doc).doc;
}

// The checked key file and its decoded fields.
function keyFileParts(doc) {
  if (typeof doc === "string") {
    try {
      doc = parseJson(doc);
    } catch (e) {
      throw fail("bad_keyfile", `not strict JSON (${e.message})`);
    }
  }
  if (!sameKeys(doc, ["header", "ciphertext"])) throw fail("bad_keyfile", "not a key file");
  const h = doc.header;
  if (!sameKeys(h, ["format", "version", "vote_id", "ceremony_id", "index", "verification_key", "kdf", "cipher"])) {
    throw fail("bad_keyfile", "key file header is malformed");
  }
  if (h.format !== FORMAT || h.version !== 1) throw fail("bad_keyfile", "unsupported key file version");
  const { kdf, cipher } = h;
  if (!sameKeys(kdf, ["name", "log_n", "r", "p", "salt"]) || kdf.name !== "scrypt" ||
      !sameKeys(cipher, ["name", "nonce"]) || cipher.name !== "aes-256-gcm" || typeof h.vote_id !== "string") {
    throw fail("bad_keyfile", "key file header is malformed");
  }
  checkCost(kdf.log_n, kdf.r, kdf.p);
  bounded(h.index, [1, 64], "index");
  let salt, nonce, cid, V, sealed;
  try {
    canonicalJsonBytes(h); // the AAD: NFC strings only, refused otherwise
    salt = fromHex(kdf.salt, 16);
    nonce = fromHex(cipher.nonce, 12);
    cid = fromHex(h.ceremony_id, 32);
    V = pointFromHex(h.verification_key);
    sealed = fromHex(doc.ciphertext, 48);
  } catch (e) {
    throw fail("bad_keyfile", `key file: ${e.message}`);
  }
  return { doc, header: h, salt, nonce, cid, V, sealed };
}

const aadOf = (header) => concat(AAD_TAG, canonicalJsonBytes(header));

async function aesKey(passphrase, salt, kdf) {
  let raw;
  try {
    raw = await scrypt(utf8(passphrase), salt, 2 ** kdf.log_n, kdf.r, kdf.p, 32);
  } catch (e) {
    // The accepted bounds allow up to 2 GiB of scrypt memory, more than a tablet may give.
    if (e instanceof RangeError) throw fail("bad_keyfile", "this device lacks the memory the key file's KDF parameters need");
    throw e;
  }
  return subtle().importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * Open a key file (JSON text or object) with its passphrase. Returns
 * {index, share (BigInt), verificationKey (Point), ceremonyId (hex), voteId}.
 * Throws CryptoError "bad_keyfile" (malformed), "wrong_passphrase" (passphrase wrong or
 * file damaged: AES-GCM cannot tell them apart) or "key_mismatch" (s·B ≠ V_x).
 * scrypt at the default parameters takes ~0.3-1 s and 32 MiB.
 */
export async function openKeyFile(json, passphrase) {
  const { header, salt, nonce, V, sealed } = keyFileParts(json);
  const key = await aesKey(passphrase, salt, header.kdf);
  let plain;
  try {
    plain = new Uint8Array(await subtle().decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: aadOf(header), tagLength: 128 }, key, sealed));
  } catch {
    throw fail("wrong_passphrase", "wrong passphrase or damaged key file");
  }
  let share;
  try {
    share = scalarFromBytes(plain);
  } catch {
    throw fail("key_mismatch", "the decrypted key is not a scalar");
  }
  if (!mulBase(share).equals(V)) throw fail("key_mismatch", "key does not match its verification key");
  return { index: header.index, share, verificationKey: V, ceremonyId: header.ceremony_id, voteId: header.vote_id };
}

/**
 * Seal a member's key under a passphrase (after the ceremony). `key` = {index, share,
 * verificationKey, ceremonyId}. Salt (16 bytes) and nonce (12) are random unless given.
 */
export async function sealKeyFile(key, voteId, passphrase, { logN = DEFAULT_KDF.logN, r = DEFAULT_KDF.r, p = DEFAULT_KDF.p, salt, nonce } = {}) {
  checkCost(logN, r, p);
  salt = salt || systemRandomBytes(16);
  nonce = nonce || systemRandomBytes(12);
  if (salt.length !== 16 || nonce.length !== 12) throw new RangeError("salt must be 16 bytes and nonce 12 bytes");
  const header = {
    format: FORMAT,
    version: 1,
    vote_id: String(voteId).normalize("NFC"),
    ceremony_id: key.ceremonyId,
    index: key.index,
    verification_key: key.verificationKey.toHex(),
    kdf: { name: "scrypt", log_n: logN, r, p, salt: toHex(salt) },
    cipher: { name: "aes-256-gcm", nonce: toHex(nonce) },
  };
  const aes = await aesKey(passphrase, salt, header.kdf);
  const sealed = new Uint8Array(await subtle().encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: aadOf(header), tagLength: 128 }, aes, scalarToBytes(key.share)));
  return { header, ciphertext: toHex(sealed) };
}

// ---------- printable card (§6.6) ----------

function base32Encode(bytes) {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(acc << (5 - bits)) & 31];
  return out;
}

function base32Decode(text) {
  const out = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text.toUpperCase()) {
    const v = crockfordValue(ch);
    if (v < 0) throw fail("bad_card", `character ${JSON.stringify(ch)} is not base32`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) throw fail("bad_card", "base32 padding bits are not zero");
  return new Uint8Array(out);
}

/** Binary card payload with its 4-byte checksum. */
export async function cardBytes(doc) {
  const { header, salt, nonce, cid, V, sealed } = keyFileParts(doc);
  const voteId = new TextEncoder().encode(header.vote_id);
  if (voteId.length > 255) throw fail("bad_keyfile", "vote id too long for a card");
  const body = concat(
    new Uint8Array([0x42, 0x4b, 1]), u32(header.index), cid, V.toBytes(),
    new Uint8Array([header.kdf.log_n, header.kdf.r, header.kdf.p]), salt, nonce, sealed,
    new Uint8Array([voteId.length]), voteId);
  return concat(body, (await sha256(body)).slice(0, 4));
}

// The card's heading: Vietnamese, then English below (the same words as keyfile.py).
const CARD_HEADING = [
  "THẺ KHÓA THÀNH VIÊN BAN KIỂM PHIẾU",
  "Cuộc lấy phiếu: {vote_id} | Thành viên số {index}",
  "Giữ kín thẻ này. Khi giải mã, nhập các dòng đánh số 01, 02... và mật khẩu của thẻ.",
  "COUNTING COMMITTEE MEMBER KEY CARD (ballot/v1)",
  "Vote: {vote_id} | Member no. {index}",
  "Keep this card private. To decrypt, type the numbered lines 01, 02... and the passphrase.",
];

/**
 * Printable card text: the heading (Vietnamese, English below), a blank line, then numbered
 * lines of 8 groups of 4 characters (the only lines a reader takes).
 */
export async function cardText(doc) {
  const { header } = keyFileParts(doc);
  const code = base32Encode(await cardBytes(doc));
  const groups = code.match(/.{1,4}/g);
  const lines = CARD_HEADING.map((line) =>
    line.replace(/\{(vote_id|index)\}/g, (_, k) => (k === "vote_id" ? header.vote_id : String(header.index))));
  lines.push("");
  for (let n = 1, g = 0; g < groups.length; n++, g += 8) {
    lines.push(String(n).padStart(2, "0") + "  " + groups.slice(g, g + 8).join(" "));
  }
  return lines.join("\n") + "\n";
}

/**
 * Rebuild the key file from typed card text (numbered lines only; others are ignored).
 * Throws CryptoError "bad_card" for a missing line or a checksum mismatch (a typo).
 */
export async function parseCard(text) {
  const chunks = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = /^\s*(\d{2})\s+([0-9A-Za-z ]+?)\s*$/.exec(line);
    if (!m) continue;
    if (Number(m[1]) !== chunks.length + 1) throw fail("bad_card", `card line ${chunks.length + 1} is missing`);
    chunks.push(m[2].replace(/ /g, ""));
  }
  const raw = base32Decode(chunks.join(""));
  if (raw.length < 150 || !bytesEqual((await sha256(raw.slice(0, -4))).slice(0, 4), raw.slice(-4))) {
    throw fail("bad_card", "card checksum mismatch: check the typed characters");
  }
  const body = raw.slice(0, -4);
  if (body[0] !== 0x42 || body[1] !== 0x4b || body[2] !== 1) throw fail("bad_card", "not a ballot/v1 key card");
  let pos = 3;
  const take = (n) => body.slice(pos, (pos += n));
  const ib = take(4);
  const index = ((ib[0] << 24) | (ib[1] << 16) | (ib[2] << 8) | ib[3]) >>> 0;
  const cid = take(32);
  const V = take(32);
  const [logN, r, p] = take(3);
  const salt = take(16);
  const nonce = take(12);
  const sealed = take(48);
  const [len] = take(1);
  let voteId;
  try {
    voteId = new TextDecoder("utf-8", { fatal: true }).decode(take(len));
  } catch {
    throw fail("bad_card", "vote id is not UTF-8");
  }
  if (pos !== body.length) throw fail("bad_card", "card has trailing data");
  const doc = {
    header: {
      format: FORMAT, version: 1, vote_id: voteId, ceremony_id: toHex(cid), index,
      verification_key: toHex(V),
      kdf: { name: "scrypt", log_n: logN, r, p, salt: toHex(salt) },
      cipher: { name: "aes-256-gcm", nonce: toHex(nonce) },
    },
    ciphertext: toHex(sealed),
  };
  try {
    keyFileParts(doc);
  } catch (e) {
    throw fail("bad_card", e.message);
  }
  return doc;
}

export { base32Encode, base32Decode };
