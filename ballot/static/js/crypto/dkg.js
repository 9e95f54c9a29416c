// A member's side of the dealer-free key ceremony (Pedersen/Feldman DKG, protocol §6).
// Each member's device draws its own polynomial; the election secret Σ f_x(0) never exists
// anywhere. The server only relays the JSON messages built here.
//
//   1. startMember   → {secret (stays on the device), message "dkg/commit"}
//   2. dealShares    → "dkg/share" messages, f_x(y) encrypted to each other member's E_y
//   3. finishMember  → checks every received share against its dealer's commitments and
//                      returns {key (s_y, V_y), message "dkg/done"}; then sealKeyFile.

import { CryptoError, concat, fromHex, subtle, toHex, u32 } from "./bytes.js";
import { IDENTITY, encodePoints, mulBase, pointFromHex } from "./group.js";
import { canonicalJsonBytes, domain, hashToScalar, sha256, sha512 } from "./hash.js";
import { modL, randomScalar, scalarFromBytes, scalarFromHex, scalarToBytes, scalarToHex } from "./scalar.js";

export const MAX_TRUSTEES = 64;
const TAG_POK = domain("pok");
const TAG_ECDH = domain("ecdh");
const TAG_ECIES = domain("ecies");
const TAG_SHARE = domain("share");
const TAG_TRANSCRIPT = domain("transcript");

/** A dealer (member) at fault: `.dealer` names them, so the ceremony can restart without. */
export class BadDealer extends CryptoError {
  constructor(dealer, why) {
    super("bad_dealer", `member ${dealer}: ${why}`);
    this.dealer = dealer;
  }
}

const sameKeys = (o, keys) =>
  !!o && typeof o === "object" && !Array.isArray(o) && Object.keys(o).sort().join() === [...keys].sort().join();

function intField(msg, name, lo, hi) {
  const v = msg[name];
  if (!Number.isInteger(v) || v < lo || v > hi) throw new CryptoError("bad_message", `field ${name} out of range`);
  return v;
}

/** The least t allowed for n members: t ≥ 2 and t > n/2 (protocol §6, as dkg.py). */
export function minimumThreshold(n) {
  return Math.max(2, Math.floor(n / 2) + 1);
}

/** t of n is allowed: 2 ≤ n ≤ 64 and minimumThreshold(n) ≤ t ≤ n. */
export function thresholdAllowed(t, n) {
  return Number.isInteger(t) && Number.isInteger(n) && n >= 2 && n <= MAX_TRUSTEES &&
    t >= minimumThreshold(n) && t <= n;
}

function checkParams(t, n) {
  if (!thresholdAllowed(t, n)) {
    throw new RangeError(`${t} of ${n} refused: need 2 <= n <= ${MAX_TRUSTEES}, t >= 2, t > n/2 and t <= n`);
  }
}

const cidBytes = (cid) => (typeof cid === "string" ? fromHex(cid, 32) : cid);

/**
 * cid = H256(canonical_json({version: 1, vote_id, threshold, trustees: [{index, name}]})).
 * The names the server sends are put in NFC here, as dkg.py does; a manifest with other
 * forms is refused by its fingerprint check before this.
 */
export async function ceremonyId(voteId, threshold, trusteeNames) {
  return sha256(canonicalJsonBytes({
    version: 1,
    vote_id: String(voteId).normalize("NFC"),
    threshold,
    trustees: trusteeNames.map((name, i) => ({ index: i + 1, name: String(name).normalize("NFC") })),
  }));
}

/** f(y) by Horner's rule, mod L. */
function evalPoly(coefficients, y) {
  let acc = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) acc = modL(acc * BigInt(y) + coefficients[k]);
  return acc;
}

function pokChallenge(cid, x, t, n, E, commitments, R) {
  return hashToScalar(TAG_POK, cid, u32(x), u32(t), u32(n), encodePoints([E, ...commitments, R]));
}

/**
 * Step 1 for member `index` (1-based) of `size`, threshold t. Draws e, then a_0..a_{t−1},
 * then the proof nonce w. Returns {secret, message}; `secret` must stay on this device.
 */
export async function startMember(cid, index, threshold, size, rand = () => randomScalar()) {
  checkParams(threshold, size);
  if (!Number.isInteger(index) || index < 1 || index > size) throw new RangeError("member index out of range");
  cid = cidBytes(cid);
  const e = rand();
  const coefficients = [];
  for (let k = 0; k < threshold; k++) coefficients.push(rand());
  const E = mulBase(e);
  const commitments = coefficients.map(mulBase);
  const w = rand();
  const c = await pokChallenge(cid, index, threshold, size, E, commitments, mulBase(w));
  const z = modL(w + c * coefficients[0]);
  const enc = encodePoints([E, ...commitments]);
  const secret = { cid, index, threshold, size, ceremonySecret: e, coefficients };
  const message = {
    type: "dkg/commit",
    ceremony_id: toHex(cid),
    from: index,
    ceremony_key: toHex(enc[0]),
    commitments: enc.slice(1).map(toHex),
    pok: [scalarToHex(c), scalarToHex(z)],
  };
  return { secret, message };
}

/**
 * Check a "dkg/commit" message (shape, ceremony, points, proof of knowledge). Returns
 * {index, ceremonyKey, commitments, pok: [c, z]}; throws BadDealer naming the sender.
 */
export async function checkCommit(cid, threshold, size, msg) {
  cid = cidBytes(cid);
  if (!sameKeys(msg, ["type", "ceremony_id", "from", "ceremony_key", "commitments", "pok"]) || msg.type !== "dkg/commit") {
    throw new CryptoError("bad_message", "not a dkg/commit message");
  }
  const x = intField(msg, "from", 1, size);
  let E, commitments, pok;
  try {
    if (msg.ceremony_id !== toHex(cid)) throw new CryptoError("bad_message", "message for another ceremony");
    E = pointFromHex(msg.ceremony_key);
    if (!Array.isArray(msg.commitments) || msg.commitments.length !== threshold) {
      throw new CryptoError("bad_message", `expected ${threshold} commitments`);
    }
    commitments = msg.commitments.map(pointFromHex);
    if (!Array.isArray(msg.pok) || msg.pok.length !== 2) throw new CryptoError("bad_message", "proof must have 2 scalars");
    pok = msg.pok.map(scalarFromHex);
  } catch (e) {
    if (e instanceof CryptoError) throw new BadDealer(x, e.message);
    throw e;
  }
  const R = mulBase(pok[1]).sub(commitments[0].mul(pok[0]));
  if ((await pokChallenge(cid, x, threshold, size, E, commitments, R)) !== pok[0]) {
    throw new BadDealer(x, "proof of knowledge of the secret fails");
  }
  return { index: x, ceremonyKey: E, commitments, pok };
}

/** All n commit messages, checked, in index order (exactly one per member). */
export async function checkCommits(cid, threshold, size, messages) {
  if (!thresholdAllowed(threshold, size)) throw new CryptoError("bad_message", `${threshold} of ${size} is not allowed (need t >= 2 and t > n/2)`);
  const commits = [];
  for (const m of messages) commits.push(await checkCommit(cid, threshold, size, m));
  commits.sort((p, q) => p.index - q.index);
  if (commits.length !== size || commits.some((d, i) => d.index !== i + 1)) {
    throw new CryptoError("bad_message", "need exactly one commit message per member");
  }
  return commits;
}

/** Σ_k y^k·C_k: the point f(y)·B must equal (Feldman). */
export function expectedSharePoint(commitments, y) {
  let total = IDENTITY;
  let power = 1n;
  for (const C of commitments) {
    total = total.add(C.mul(power));
    power = modL(power * BigInt(y));
  }
  return total;
}

/** K = Σ_x C_{x,0} and V_y = Σ_x Σ_k y^k·C_{x,k} for y = 1..n (commits in index order). */
export function publicKeys(commits) {
  const t = commits[0].commitments.length;
  const summed = [];
  for (let k = 0; k < t; k++) summed.push(commits.reduce((acc, d) => acc.add(d.commitments[k]), IDENTITY));
  const verificationKeys = commits.map((_, i) => expectedSharePoint(summed, i + 1));
  return { publicKey: summed[0], verificationKeys };
}

/** H256("ballot/v1/transcript" ‖ 0x00 ‖ cid ‖ per member: E ‖ C_0.. ‖ c ‖ z). */
export async function transcriptHash(cid, commits) {
  const parts = [TAG_TRANSCRIPT, cidBytes(cid)];
  for (const d of commits) parts.push(encodePoints([d.ceremonyKey, ...d.commitments]), scalarToBytes(d.pok[0]), scalarToBytes(d.pok[1]));
  return sha256(concat(parts));
}

// ---------- step 2: encrypted shares ----------

async function eciesKey(cid, x, y, U, Ey, S) {
  const h = await sha512(concat(TAG_ECIES, cid, u32(x), u32(y), encodePoints([U, Ey, S])));
  const key = await subtle().importKey("raw", h.slice(0, 32), "AES-GCM", false, ["encrypt", "decrypt"]);
  return { key, nonce: h.slice(32, 44) };
}

const shareAad = (cid, x, y, U) => concat(TAG_SHARE, cid, u32(x), u32(y), U.toBytes());

/** The "dkg/share" message carrying f_x(y) to member y, with ephemeral scalar u. */
export async function encryptShare(cid, x, y, recipientKey, share, u) {
  cid = cidBytes(cid);
  const U = mulBase(u);
  const { key, nonce } = await eciesKey(cid, x, y, U, recipientKey, recipientKey.mul(u));
  const sealed = new Uint8Array(await subtle().encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: shareAad(cid, x, y, U), tagLength: 128 }, key, scalarToBytes(share)));
  return { type: "dkg/share", ceremony_id: toHex(cid), from: x, to: y, ephemeral: U.toHex(), ciphertext: toHex(sealed) };
}

/** Step 2: a share message for every other member, in index order (one u drawn each). */
export async function dealShares(secret, commits, rand = () => randomScalar()) {
  const out = [];
  for (const d of commits) {
    if (d.index === secret.index) continue;
    out.push(await encryptShare(secret.cid, secret.index, d.index, d.ceremonyKey, evalPoly(secret.coefficients, d.index), rand()));
  }
  return out;
}

function parseShareMessage(cid, size, msg) {
  if (!sameKeys(msg, ["type", "ceremony_id", "from", "to", "ephemeral", "ciphertext"]) || msg.type !== "dkg/share") {
    throw new CryptoError("bad_message", "not a dkg/share message");
  }
  const x = intField(msg, "from", 1, size);
  const y = intField(msg, "to", 1, size);
  try {
    if (msg.ceremony_id !== toHex(cid)) throw new CryptoError("bad_message", "message for another ceremony");
    return { x, y, U: pointFromHex(msg.ephemeral), sealed: fromHex(msg.ciphertext, 48) };
  } catch (e) {
    if (e instanceof CryptoError) throw new BadDealer(x, e.message);
    throw e;
  }
}

async function decryptWithPoint(cid, x, y, Ey, U, sealed, S) {
  const { key, nonce } = await eciesKey(cid, x, y, U, Ey, S);
  let plain;
  try {
    plain = new Uint8Array(await subtle().decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: shareAad(cid, x, y, U), tagLength: 128 }, key, sealed));
  } catch {
    throw new BadDealer(x, "share does not decrypt");
  }
  try {
    return scalarFromBytes(plain);
  } catch (e) {
    throw new BadDealer(x, e.message);
  }
}

/** Decrypt and Feldman-check the share `dealer` sent to this member; BadDealer if wrong. */
export async function openShare(secret, dealer, msg) {
  const { x, y, U, sealed } = parseShareMessage(secret.cid, secret.size, msg);
  if (x !== dealer.index || y !== secret.index) throw new BadDealer(dealer.index, "share is addressed wrongly");
  const me = mulBase(secret.ceremonySecret);
  const share = await decryptWithPoint(secret.cid, x, y, me, U, sealed, U.mul(secret.ceremonySecret));
  if (!mulBase(share).equals(expectedSharePoint(dealer.commitments, y))) {
    throw new BadDealer(x, "share does not match the published commitments");
  }
  return share;
}

/**
 * Step 3: check the n−1 shares addressed to this member, add them to f_y(y), and return
 * {key: {index, share, verificationKey, ceremonyId}, message: "dkg/done"}. Throws BadDealer
 * naming the first dealer whose share is missing or wrong.
 */
export async function finishMember(secret, commits, shareMessages) {
  const byDealer = new Map();
  for (const msg of shareMessages) {
    const { x, y } = parseShareMessage(secret.cid, secret.size, msg);
    if (y === secret.index) byDealer.set(x, msg);
  }
  let total = evalPoly(secret.coefficients, secret.index);
  for (const d of commits) {
    if (d.index === secret.index) continue;
    if (!byDealer.has(d.index)) throw new BadDealer(d.index, "no share received");
    total = modL(total + (await openShare(secret, d, byDealer.get(d.index))));
  }
  const { publicKey, verificationKeys } = publicKeys(commits);
  const V = verificationKeys[secret.index - 1];
  // Cannot fail once every share passed its Feldman check; kept as a last guard before a
  // key file is written.
  if (!mulBase(total).equals(V)) throw new CryptoError("internal", "sum of checked shares disagrees with V");
  const key = { index: secret.index, share: total, verificationKey: V, ceremonyId: toHex(secret.cid) };
  const message = {
    type: "dkg/done",
    ceremony_id: toHex(secret.cid),
    from: secret.index,
    transcript: toHex(await transcriptHash(secret.cid, commits)),
    public_key: publicKey.toHex(),
    verification_key: V.toHex(),
  };
  return { key, message };
}

// ---------- complaints ----------

function ecdhChallenge(cid, x, y, Ey, U, S, A, C) {
  return hashToScalar(TAG_ECDH, cid, u32(x), u32(y), encodePoints([Ey, U, S, A, C]));
}

/**
 * A public "dkg/complaint" against the dealer of `shareMsg`: reveals S = e_y·U of that one
 * message with a Chaum-Pedersen proof, so anyone can decrypt that share and judge.
 */
export async function makeComplaint(secret, shareMsg, rand = () => randomScalar()) {
  const { x, y, U } = parseShareMessage(secret.cid, secret.size, shareMsg);
  const e = secret.ceremonySecret;
  const Ey = mulBase(e);
  const S = U.mul(e);
  const w = rand();
  const c = await ecdhChallenge(secret.cid, x, y, Ey, U, S, mulBase(w), U.mul(w));
  return {
    type: "dkg/complaint",
    ceremony_id: toHex(secret.cid),
    from: y,
    against: x,
    shared_point: S.toHex(),
    proof: [scalarToHex(c), scalarToHex(modL(w + c * e))],
  };
}

/** The index of the member at fault: the dealer if the revealed share is bad, else the complainer. */
export async function judgeComplaint(cid, commits, shareMsg, complaint) {
  cid = cidBytes(cid);
  const size = commits.length;
  const { x, y, U, sealed } = parseShareMessage(cid, size, shareMsg);
  const complainer = intField(complaint, "from", 1, size);
  if (complainer !== y || complaint.against !== x || complaint.ceremony_id !== toHex(cid)) return complainer;
  const Ey = commits[y - 1].ceremonyKey;
  let S, c, z;
  try {
    S = pointFromHex(complaint.shared_point);
    if (!Array.isArray(complaint.proof) || complaint.proof.length !== 2) return complainer;
    [c, z] = complaint.proof.map(scalarFromHex);
  } catch (e) {
    if (e instanceof CryptoError) return complainer;
    throw e;
  }
  const A = mulBase(z).sub(Ey.mul(c));
  const C = U.mul(z).sub(S.mul(c));
  if ((await ecdhChallenge(cid, x, y, Ey, U, S, A, C)) !== c) return complainer;
  let share;
  try {
    share = await decryptWithPoint(cid, x, y, Ey, U, sealed, S);
  } catch (e) {
    if (e instanceof BadDealer) return x;
    throw e;
  }
  if (!mulBase(share).equals(expectedSharePoint(commits[x - 1].commitments, y))) return x;
  return complainer;
}

// ---------- the manifest's record of the ceremony ----------

/**
 * Key-ceremony checks of a manifest (§8 check 4): ceremony id, every dealer's points and
 * proof of knowledge, K = Σ C_{x,0} and each V_y. Throws CryptoError("bad_manifest").
 * A trustee page runs this before trusting V_x and K from a manifest.
 */
export async function verifyManifestKeys(manifest) {
  const bad = (why) => new CryptoError("bad_manifest", why);
  const names = manifest.trustees.map((t) => t.name);
  const t = manifest.threshold;
  const cid = await ceremonyId(manifest.vote_id, t, names);
  if (manifest.dkg.ceremony_id !== toHex(cid)) throw bad("dkg.ceremony_id does not match vote id, threshold and trustees");
  manifest.dkg.dealers.forEach((d, i) => {
    if (!d || typeof d !== "object" || d.index !== i + 1) throw bad(`dkg.dealers[${i}].index: expected ${i + 1}: the n dealers are listed in index order`);
  });
  const messages = manifest.dkg.dealers.map((d) =>
    sameKeys(d, ["index", "ceremony_key", "commitments", "pok"])
      ? { type: "dkg/commit", ceremony_id: manifest.dkg.ceremony_id, from: d.index, ceremony_key: d.ceremony_key, commitments: d.commitments, pok: d.pok }
      : d);
  let commits;
  try {
    commits = await checkCommits(cid, t, names.length, messages);
  } catch (e) {
    if (e instanceof CryptoError) throw bad(`dkg.dealers: ${e.message}`);
    throw e;
  }
  const { publicKey, verificationKeys } = publicKeys(commits);
  if (manifest.public_key !== publicKey.toHex()) throw bad("public_key is not the sum of the dealers' constant commitments");
  verificationKeys.forEach((V, i) => {
    if (manifest.verification_keys[i] !== V.toHex()) throw bad(`verification_keys[${i}] does not match the commitments`);
  });
  return { ceremonyId: toHex(cid), commits, publicKey, verificationKeys };
}

/** Ceremony state for sessionStorage between steps (hex; it holds secrets: never send it). */
export function exportSecret(secret) {
  return {
    cid: toHex(secret.cid), index: secret.index, threshold: secret.threshold, size: secret.size,
    ceremony_secret: scalarToHex(secret.ceremonySecret), coefficients: secret.coefficients.map(scalarToHex),
  };
}

export function importSecret(j) {
  return {
    cid: fromHex(j.cid, 32), index: j.index, threshold: j.threshold, size: j.size,
    ceremonySecret: scalarFromHex(j.ceremony_secret), coefficients: j.coefficients.map(scalarFromHex),
  };
}
