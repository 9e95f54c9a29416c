// tests/vectors/canonical_json.json: canonical JSON, the fingerprint, and the booth's
// refusal of a manifest whose fingerprint or key is wrong.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, hexOf } from "./helpers.mjs";

const h = await import(CRYPTO + "hash.js");
const { loadManifest } = await import(CRYPTO + "index.js");
const V = vector("canonical_json.json");

test("canonical JSON of small values", () => {
  for (const c of V.small) {
    assert.equal(h.canonicalJson(c.value), c.canonical_utf8);
    assert.equal(hexOf(h.canonicalJsonBytes(c.value)), c.canonical_hex);
  }
});

test("canonical JSON of the sample manifest (NFD title normalised) and its fingerprint", async () => {
  assert.notEqual(V.manifest.title, V.manifest.title.normalize("NFC"), "the vector's title is NFD on purpose");
  assert.equal(hexOf(h.canonicalJsonBytes(V.manifest)), V.manifest_canonical_hex);
  assert.equal(h.canonicalJson(V.manifest), V.manifest_canonical_utf8);
  assert.equal(hexOf(await h.fingerprint(V.manifest)), V.fingerprint);
});

test("canonical JSON refuses what Python would not write the same way", () => {
  assert.throws(() => h.canonicalJson({ x: 1.5 }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: 2 ** 53 }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: "\ud800" }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: undefined }), (e) => e.code === "bad_json");
  // Two keys that become equal after NFC would collide.
  assert.throws(() => h.canonicalJson({ "e\u0301": 1, "\u00e9": 2 }), (e) => e.code === "bad_json");
  // Astral characters sort by code point, not UTF-16 unit (U+FF5E < U+1F600).
  assert.equal(h.canonicalJson({ "\u{1F600}": 1, "\uFF5E": 2 }), '{"\uFF5E":2,"\u{1F600}":1}');
  assert.equal(h.canonicalJson(["\u2028", "\u007f", "\u001f"]), '["\u2028","\u007f","\\u001f"]');
});

test("loadManifest accepts the manifest with its fingerprint, from text or object", async () => {
  const ctx = await loadManifest(JSON.stringify(V.manifest), V.fingerprint);
  assert.equal(ctx.fpHex, V.fingerprint);
  assert.equal(ctx.subjects, V.manifest.subjects.length);
  assert.equal(ctx.levels, V.manifest.levels.length);
  assert.equal(ctx.blankRowAllowed, V.manifest.rules.blank_row_allowed);
  assert.equal(ctx.key.toHex(), V.manifest.public_key);
  assert.equal(ctx.verificationKey(2).toHex(), V.manifest.verification_keys[1]);
  const again = await loadManifest(V.manifest, V.fingerprint);
  assert.equal(again.fpHex, V.fingerprint);
});

test("loadManifest refuses a wrong fingerprint with code bad_fingerprint", async () => {
  const wrong = V.fingerprint.slice(0, 63) + (V.fingerprint[63] === "0" ? "1" : "0");
  await assert.rejects(loadManifest(V.manifest, wrong), (e) => e.code === "bad_fingerprint");
  await assert.rejects(loadManifest(V.manifest, "xyz"), (e) => e.code === "bad_fingerprint");
  // A manifest changed in transit (one more subject) no longer matches.
  const tampered = structuredClone(V.manifest);
  tampered.title += " ";
  await assert.rejects(loadManifest(tampered, V.fingerprint), (e) => e.code === "bad_fingerprint");
});

async function withFingerprint(manifest) {
  return [manifest, hexOf(await h.fingerprint(manifest))];
}

test("loadManifest refuses an invalid election key with code bad_point", async () => {
  const cases = {
    identity: "01" + "00".repeat(31),
    "small order": "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "mixed order": "98519eadf35b995233b51b5cd23e9cc5a28b639b5a4af0ec903cb960d81b7819",
    "not on curve": "02" + "00".repeat(31),
    "non-canonical": "ed" + "ff".repeat(30) + "7f",
    uppercase: V.manifest.public_key.toUpperCase(),
  };
  for (const [why, key] of Object.entries(cases)) {
    const m = structuredClone(V.manifest);
    m.public_key = key;
    const [manifest, fp] = await withFingerprint(m);
    await assert.rejects(loadManifest(manifest, fp), (e) => e.code === "bad_point", why);
  }
});

test("loadManifest refuses a malformed manifest with code bad_manifest", async () => {
  const mutations = [
    (m) => { m.extra = 1; },
    (m) => { m.version = 2; },
    (m) => { m.subjects = []; },
    (m) => { m.levels[1].code = m.levels[0].code; },
    (m) => { delete m.rules.blank_row_allowed; },
    (m) => { m.rules.quorum = [3, 2]; },
    (m) => { m.trustees[0].index = 2; },
    (m) => { m.threshold = m.trustees.length + 1; },
    (m) => { m.verification_keys.pop(); },
  ];
  for (const mutate of mutations) {
    const m = structuredClone(V.manifest);
    mutate(m);
    const [manifest, fp] = await withFingerprint(m);
    await assert.rejects(loadManifest(manifest, fp), (e) => e.code === "bad_manifest" || e.code === "bad_point", mutate.toString());
  }
});

test("loadManifest reports a missing WebCrypto as such, not as a forged manifest", async () => {
  const { loadManifest } = await import("../../ballot/static/js/crypto/index.js");
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: { getRandomValues: (a) => a }, configurable: true });
  try {
    await assert.rejects(loadManifest({ version: 1 }, "00".repeat(32)), (e) => e.code === "no_webcrypto");
  } finally {
    Object.defineProperty(globalThis, "crypto", saved);
  }
});
