// The booth's and the trustee page's entry point: take the manifest the server sent,
// recompute its fingerprint, refuse it unless it equals the fingerprint the page was told to
// expect, check its shape (protocol §7.1) and the election key before anything is encrypted
// under it.

import { CryptoError, bytesEqual, fromHex, toHex } from "./bytes.js";
import { FixedBase, decodePoint } from "./group.js";
import { fingerprint } from "./hash.js";
import { minimumThreshold } from "./dkg.js";
import { parseJson } from "./json.js";

export const MAX_SUBJECTS = 1000;
export const MAX_LEVELS = 16;
export const MAX_TRUSTEES = 64;

const MANIFEST_KEYS = [
  "conference", "dkg", "levels", "public_key", "rules", "subjects", "threshold", "title",
  "trustees", "verification_keys", "version", "vote_id",
];

const bad = (path, why) => new CryptoError("bad_manifest", `manifest.${path}: ${why}`);

function keysExactly(value, keys, path) {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw bad(path, "expected an object");
  const have = Object.keys(value).sort();
  const want = [...keys].sort();
  if (have.length !== want.length || have.some((k, i) => k !== want[i])) {
    throw bad(path, `expected keys ${JSON.stringify(want)}`);
  }
  return value;
}

function nonEmptyString(value, path) {
  if (typeof value !== "string" || value.trim() === "") throw bad(path, "expected a non-empty string");
  return value;
}

function listOf(value, path, low, high) {
  if (!Array.isArray(value) || value.length < low || value.length > high) {
    throw bad(path, `expected a list of ${low}..${high} items`);
  }
  return value;
}

function isInt(v) {
  return typeof v === "number" && Number.isSafeInteger(v);
}

function fraction(value, path) {
  if (!Array.isArray(value) || value.length !== 2 || !isInt(value[0]) || !isInt(value[1]) ||
      value[0] < 0 || value[0] > value[1] || value[1] < 1) {
    throw bad(path, "expected a fraction [num, den] with 0 <= num <= den");
  }
}

function pointHex(value, path) {
  if (typeof value !== "string" || !/^[0-9a-f]{64}$/.test(value)) throw new CryptoError("bad_point", `manifest.${path}: expected 64 lowercase hex characters`);
  return value;
}

/**
 * Check the manifest's shape (protocol §7.1, the same rules as ballot/crypto/manifest.py)
 * and return what the crypto needs. The key ceremony itself is checked by
 * dkg.verifyManifestKeys (the trustee page does that; the booth need not).
 */
function readManifest(m) {
  keysExactly(m, MANIFEST_KEYS, "");
  if (m.version !== 1) throw bad("version", "unsupported version");
  nonEmptyString(m.vote_id, "vote_id");
  nonEmptyString(m.title, "title");
  if (typeof m.conference !== "string") throw bad("conference", "expected a string");
  listOf(m.subjects, "subjects", 1, MAX_SUBJECTS).forEach((s, i) => {
    keysExactly(s, ["name", "position"], `subjects[${i}]`);
    nonEmptyString(s.name, `subjects[${i}].name`);
    if (typeof s.position !== "string") throw bad(`subjects[${i}].position`, "expected a string");
  });
  listOf(m.levels, "levels", 1, MAX_LEVELS).forEach((lev, k) => {
    keysExactly(lev, ["code", "label"], `levels[${k}]`);
    nonEmptyString(lev.code, `levels[${k}].code`);
    nonEmptyString(lev.label, `levels[${k}].label`);
  });
  if (new Set(m.levels.map((l) => l.code)).size !== m.levels.length) throw bad("levels", "level codes must be distinct");
  const rules = m.rules;
  if (!rules || typeof rules !== "object" || Array.isArray(rules) ||
      !["quorum", "thresholds", "blank_row_allowed"].every((k) => k in rules)) {
    throw bad("rules", "must hold quorum, thresholds and blank_row_allowed");
  }
  fraction(rules.quorum, "rules.quorum");
  if (!rules.thresholds || typeof rules.thresholds !== "object" || Array.isArray(rules.thresholds)) {
    throw bad("rules.thresholds", "expected an object");
  }
  for (const [name, value] of Object.entries(rules.thresholds)) fraction(value, `rules.thresholds.${name}`);
  if (typeof rules.blank_row_allowed !== "boolean") throw bad("rules.blank_row_allowed", "expected true or false");
  const trustees = listOf(m.trustees, "trustees", 1, MAX_TRUSTEES);
  trustees.forEach((tr, i) => {
    keysExactly(tr, ["index", "name"], `trustees[${i}]`);
    if (tr.index !== i + 1) throw bad(`trustees[${i}].index`, `expected ${i + 1}`);
    nonEmptyString(tr.name, `trustees[${i}].name`);
  });
  const n = trustees.length;
  if (n < 2) throw bad("trustees", "the counting committee needs at least 2 members");
  const least = minimumThreshold(n);
  if (!isInt(m.threshold) || m.threshold < least || m.threshold > n) {
    throw bad("threshold", `t must be an integer with t >= 2 and t > n/2, here ${least} to ${n} of ${n}`);
  }
  keysExactly(m.dkg, ["ceremony_id", "dealers"], "dkg");
  listOf(m.dkg.dealers, "dkg.dealers", n, n);
  pointHex(m.public_key, "public_key");
  listOf(m.verification_keys, "verification_keys", n, n).forEach((v, i) => pointHex(v, `verification_keys[${i}]`));
}

/**
 * Build an election context from a manifest given as JSON text (preferred: parsed strictly,
 * so duplicate keys, 1.0 for 1 and big integers are refused) or a parsed object.
 * Throws CryptoError "bad_fingerprint" when SHA-256(canonical JSON) differs from
 * `expectedFingerprintHex` (checked first: nothing else of a wrong manifest is trusted),
 * "bad_manifest" for a malformed manifest, "bad_point" when the election key is not a
 * valid group element.
 */
export async function loadManifest(manifestJson, expectedFingerprintHex) {
  let manifest = manifestJson;
  if (typeof manifestJson === "string") {
    try {
      manifest = parseJson(manifestJson);
    } catch (e) {
      throw new CryptoError("bad_manifest", `not strict JSON (${e.message})`);
    }
  }
  let expected;
  try {
    expected = fromHex(String(expectedFingerprintHex), 32);
  } catch {
    throw new CryptoError("bad_fingerprint", "the expected fingerprint is not 64 lowercase hex characters");
  }
  let fp;
  try {
    fp = await fingerprint(manifest);
  } catch (e) {
    // A missing WebCrypto (plain http on a LAN address) is not a forged manifest: say so.
    if (e instanceof CryptoError && e.code !== "no_webcrypto") {
      throw new CryptoError("bad_fingerprint", `manifest is not canonical JSON (${e.message})`);
    }
    throw e;
  }
  if (!bytesEqual(fp, expected)) {
    throw new CryptoError("bad_fingerprint", `manifest fingerprint ${toHex(fp)} differs from the expected ${toHex(expected)}`);
  }
  return contextFromManifest(manifest, fp);
}

/**
 * Context for a manifest whose fingerprint `fp` (bytes) the caller has established.
 * The context carries the precomputed table of K used by every encryption; verification
 * keys are decoded (and validated) on first use, since the booth never needs them.
 */
export function contextFromManifest(manifest, fp) {
  readManifest(manifest);
  const keyBytes = fromHex(manifest.public_key, 32);
  const key = decodePoint(keyBytes);
  const vkeys = new Map();
  return {
    manifest,
    fp,
    fpHex: toHex(fp),
    key,
    keyBytes,
    keyTable: new FixedBase(key),
    subjects: manifest.subjects.length,
    levels: manifest.levels.length,
    blankRowAllowed: manifest.rules.blank_row_allowed,
    threshold: manifest.threshold,
    trustees: manifest.trustees.length,
    voteId: manifest.vote_id,
    ceremonyId: manifest.dkg.ceremony_id,
    /** V_x (1-based x) as a validated point. */
    verificationKey(x) {
      if (!Number.isInteger(x) || x < 1 || x > manifest.trustees.length) throw new CryptoError("bad_index", `no trustee ${x}`);
      if (!vkeys.has(x)) vkeys.set(x, decodePoint(fromHex(manifest.verification_keys[x - 1], 32)));
      return vkeys.get(x);
    },
  };
}

/**
 * A bare context for tests and tools that have fp and K but no manifest (the vectors of
 * tests/vectors/proofs.json and tally.json give exactly these).
 */
export function bareContext({ fp, key, subjects = 1, levels = 1, blankRowAllowed = true, verificationKeys = [], threshold = 1, ceremonyId }) {
  const fpBytes = typeof fp === "string" ? fromHex(fp, 32) : fp;
  const keyBytes = typeof key === "string" ? fromHex(key, 32) : key;
  const K = decodePoint(keyBytes);
  const vkeys = verificationKeys.map((v) => decodePoint(fromHex(v, 32)));
  return {
    fp: fpBytes, fpHex: toHex(fpBytes), key: K, keyBytes, keyTable: new FixedBase(K),
    subjects, levels, blankRowAllowed, threshold, trustees: vkeys.length, ceremonyId,
    verificationKey(x) {
      if (!Number.isInteger(x) || x < 1 || x > vkeys.length) throw new CryptoError("bad_index", `no trustee ${x}`);
      return vkeys[x - 1];
    },
  };
}
