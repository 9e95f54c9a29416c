// The booth's entry point: take the manifest the server sent, recompute its fingerprint,
// refuse it unless it matches the fingerprint the booth was told to expect, and check the
// election key before anything is encrypted under it.

import { CryptoError, bytesEqual, fromHex, toHex } from "./bytes.js";
import { FixedBase, decodePoint } from "./group.js";
import { fingerprint } from "./hash.js";

/** Read N, K, blank_row_allowed and the election key from a manifest (protocol §7). */
function readShape(manifest) {
  const bad = (why) => new CryptoError("bad_manifest", why);
  if (!manifest || typeof manifest !== "object") throw bad("expected an object");
  const subjects = manifest.subjects;
  const levels = manifest.levels;
  if (!Array.isArray(subjects) || subjects.length < 1) throw bad("subjects missing");
  if (!Array.isArray(levels) || levels.length < 1) throw bad("levels missing");
  if (typeof manifest.blank_row_allowed !== "boolean") throw bad("blank_row_allowed missing");
  if (typeof manifest.election_key !== "string") throw bad("election_key missing");
  return {
    subjects: subjects.length,
    levels: levels.length,
    blankRowAllowed: manifest.blank_row_allowed,
    keyHex: manifest.election_key,
  };
}

/**
 * Build an election context from a manifest given as JSON text or an already parsed object.
 * Throws CryptoError "bad_fingerprint" when SHA-256(canonical JSON) differs from
 * `expectedFingerprintHex`, "bad_point" when the election key is not a valid group element.
 * The context carries the precomputed table of K used by every encryption.
 */
export async function loadManifest(manifestJson, expectedFingerprintHex) {
  const manifest = typeof manifestJson === "string" ? JSON.parse(manifestJson) : manifestJson;
  const fp = await fingerprint(manifest);
  let expected;
  try {
    expected = fromHex(String(expectedFingerprintHex).toLowerCase(), 32);
  } catch {
    throw new CryptoError("bad_fingerprint", "expected fingerprint is not 32 bytes of hex");
  }
  if (!bytesEqual(fp, expected)) {
    throw new CryptoError("bad_fingerprint", `manifest fingerprint ${toHex(fp)} differs from the expected ${toHex(expected)}`);
  }
  return contextFromManifest(manifest, fp);
}

/** Context for a manifest whose fingerprint the caller has already established. */
export function contextFromManifest(manifest, fp) {
  const shape = readShape(manifest);
  let keyBytes;
  try {
    keyBytes = fromHex(shape.keyHex, 32);
  } catch {
    throw new CryptoError("bad_point", "election key is not 32 bytes of lowercase hex");
  }
  const key = decodePoint(keyBytes);
  return {
    manifest,
    fp,
    fpHex: toHex(fp),
    key,
    keyBytes,
    keyTable: new FixedBase(key),
    subjects: shape.subjects,
    levels: shape.levels,
    blankRowAllowed: shape.blankRowAllowed,
  };
}
