// tests/vectors/canonical_json.json: canonical JSON, the fingerprint, and the booth's
// refusal of a manifest whose fingerprint or key is wrong.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, hexOf } from "./helpers.mjs";

const h = await import(CRYPTO + "hash.js");
const { parseJson } = await import(CRYPTO + "json.js");
const { loadManifest } = await import(CRYPTO + "index.js");
const V = vector("canonical_json.json");

test("canonical JSON of small values", () => {
  for (const c of V.small) {
    assert.equal(h.canonicalJson(c.value), c.canonical_utf8);
    assert.equal(hexOf(h.canonicalJsonBytes(c.value)), c.canonical_hex);
  }
});

test("canonical JSON of the sample manifest and its fingerprint", async () => {
  assert.equal(hexOf(h.canonicalJsonBytes(V.manifest)), V.manifest_canonical_hex);
  assert.equal(h.canonicalJson(V.manifest), V.manifest_canonical_utf8);
  assert.equal(hexOf(await h.fingerprint(V.manifest)), V.fingerprint);
});

test("canonical JSON refuses what Python would not write the same way", () => {
  assert.throws(() => h.canonicalJson({ x: 1.5 }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: 2 ** 53 }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: "\ud800" }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ x: undefined }), (e) => e.code === "bad_json");
  // Strings (keys too) must already be NFC: refused, never normalised.
  assert.throws(() => h.canonicalJson({ "e\u0301": 1, "\u00e9": 2 }), (e) => e.code === "bad_json");
  assert.throws(() => h.canonicalJson({ title: "Tie\u0302\u0301ng Vie\u0323\u0302t" }), (e) => e.code === "bad_json" && /NFC/.test(e.message));
  assert.throws(() => h.canonicalJson({ "mie\u0302\u0303n": true }), (e) => e.code === "bad_json" && /NFC/.test(e.message));
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
    (m) => { m.threshold = 1; },
    (m) => { m.threshold = true; },
    (m) => { m.version = true; },
    (m) => { m.trustees[0].index = true; },
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

test("strict parsing: every text of the vector's parse_refused list is refused", () => {
  assert.ok(V.parse_refused.length >= 10);
  for (const c of V.parse_refused) {
    assert.throws(() => parseJson(c.text), (e) => e.code === "bad_json", c.why);
  }
});

test("strict parsing: values that parse but are not NFC cannot be hashed", () => {
  for (const c of V.canonical_refused) {
    const value = parseJson(c.text);
    assert.throws(() => h.canonicalJson(value), (e) => e.code === "bad_json" && /NFC/.test(e.message), c.why);
  }
});

test("strict parsing keeps exact values; JSON.parse agrees on valid input", () => {
  const text = JSON.stringify(V.manifest, null, 1);
  assert.deepEqual(parseJson(text), JSON.parse(text));
  assert.equal(h.canonicalJson(parseJson(text)), V.manifest_canonical_utf8);
  assert.deepEqual(parseJson('{"a":[1,-5,true,false,null,"Vi\\u1ec7t"],"big":9007199254740991}'), { a: [1, -5, true, false, null, "Việt"], big: 9007199254740991 });
  const proto = parseJson('{"__proto__":{"polluted":1}}');
  assert.deepEqual(Object.keys(proto), ["__proto__"]);
  assert.equal({}.polluted, undefined);
});

test("loadManifest from text: a forged title first and the real one last is refused", async () => {
  const text = JSON.stringify(V.manifest);
  const real = JSON.stringify(V.manifest.title);
  const forged = text.replace(`"title":${real}`, `"title":"Bầu bổ sung","title":${real}`);
  assert.notEqual(forged, text);
  assert.deepEqual(JSON.parse(forged), V.manifest); // what JSON.parse would have taken
  await assert.rejects(loadManifest(forged, V.fingerprint), (e) => e.code === "bad_manifest" && /duplicate key/.test(e.message));
  await assert.rejects(loadManifest(text.replace('"version":1', '"version":1.0'), V.fingerprint), (e) => e.code === "bad_manifest" && /not an integer/.test(e.message));
});

test("an NFD level label keeps no fingerprint: refused, not normalised", async () => {
  const m = structuredClone(V.manifest);
  m.levels[2].label = m.levels[2].label.normalize("NFD");
  assert.notEqual(m.levels[2].label, V.manifest.levels[2].label);
  await assert.rejects(loadManifest(m, V.fingerprint), (e) => e.code === "bad_fingerprint" && /NFC/.test(e.message));
  const twin = structuredClone(V.manifest);
  twin.rules = { ["mie\u0302\u0303n"]: false, ...twin.rules, ["mi\u1ec5n"]: true };
  await assert.rejects(loadManifest(twin, V.fingerprint), (e) => e.code === "bad_fingerprint" && /NFC/.test(e.message));
  const big = structuredClone(V.manifest);
  big.rules.max = 2 ** 53;
  await assert.rejects(loadManifest(big, V.fingerprint), (e) => e.code === "bad_fingerprint");
  await assert.rejects(loadManifest(JSON.stringify(V.manifest).replace('"quorum"', '"max":9007199254740993,"quorum"'), V.fingerprint), (e) => e.code === "bad_manifest" && /2\^53/.test(e.message));
});

test("t of n: t = 1 and t = n/2 are refused by the manifest check and the ceremony", async () => {
  const { contextFromManifest } = await import(CRYPTO + "manifest.js");
  const d = await import(CRYPTO + "dkg.js");
  for (const t of [1, 0]) {
    const m = structuredClone(V.manifest);
    m.threshold = t;
    assert.throws(() => contextFromManifest(m, new Uint8Array(32)), (e) => e.code === "bad_manifest" && /t >= 2 and t > n\/2/.test(e.message));
  }
  const four = structuredClone(V.manifest);
  four.trustees.push({ index: 4, name: "Thành viên 4" });
  four.verification_keys.push(four.verification_keys[0]);
  four.dkg.dealers.push(four.dkg.dealers[0]);
  four.threshold = 2; // n/2 of 4: two disjoint pairs could each decrypt
  assert.throws(() => contextFromManifest(four, new Uint8Array(32)), (e) => e.code === "bad_manifest" && /3 to 4 of 4/.test(e.message));
  four.threshold = 3;
  assert.ok(contextFromManifest(four, new Uint8Array(32)));
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(d.minimumThreshold), [2, 2, 2, 3, 3, 5]);
  assert.equal(d.thresholdAllowed(2, 2), true);
  assert.equal(d.thresholdAllowed(1, 1), false);
  assert.equal(d.thresholdAllowed(2, 4), false);
  const cid = await d.ceremonyId("T1", 1, ["A", "B", "C"]);
  await assert.rejects(d.startMember(cid, 1, 1, 3), RangeError);
  await assert.rejects(d.startMember(cid, 1, 2, 4), RangeError);
  await assert.rejects(d.checkCommits(cid, 1, 3, []), (e) => e.code === "bad_message");
});
