// scrypt against RFC 7914; tests/vectors/keyfile.json: scrypt key, AAD, the key file and its
// printed card; wrong passphrases and damaged files are refused.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, hexOf } from "./helpers.mjs";

const { scrypt, pbkdf2Sha256 } = await import(CRYPTO + "scrypt.js");
const kf = await import(CRYPTO + "keyfile.js");
const { utf8, fromHex, concat } = await import(CRYPTO + "bytes.js");
const { canonicalJsonBytes, domain } = await import(CRYPTO + "hash.js");
const s = await import(CRYPTO + "scalar.js");
const V = vector("keyfile.json");
const te = (x) => new TextEncoder().encode(x);

test("scrypt: RFC 7914 §12 test vectors", async () => {
  const cases = [
    ["", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"],
    ["password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"],
    ["pleaseletmein", "SodiumChloride", 16384, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"],
  ];
  for (const [P, S, N, r, p, out] of cases) assert.equal(hexOf(await scrypt(te(P), te(S), N, r, p, 64)), out, `${P}/${S}`);
});

test("PBKDF2-HMAC-SHA256: RFC 7914 §11 test vector", async () => {
  assert.equal(hexOf(await pbkdf2Sha256(te("passwd"), te("salt"), 1, 64)),
    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
});

test("key file vector: passphrase bytes, scrypt key, AAD, opening", async () => {
  assert.equal(hexOf(utf8(V.passphrase)), V.passphrase_utf8_hex);
  const h = V.key_file.header;
  assert.equal(hexOf(await scrypt(utf8(V.passphrase), fromHex(h.kdf.salt), 2 ** h.kdf.log_n, h.kdf.r, h.kdf.p, 32)), V.scrypt_key);
  assert.equal(hexOf(concat(domain("keyfile"), canonicalJsonBytes(h))), V.aad_hex);
  const key = await kf.openKeyFile(JSON.stringify(V.key_file), V.passphrase);
  assert.equal(s.scalarToHex(key.share), V.share);
  assert.equal(key.index, h.index);
  assert.equal(key.verificationKey.toHex(), h.verification_key);
  assert.equal(key.ceremonyId, h.ceremony_id);
  // The passphrase is NFC-normalised: the NFD spelling opens the file too.
  assert.equal(s.scalarToHex((await kf.openKeyFile(V.key_file, V.passphrase.normalize("NFD"))).share), V.share);
});

test("parseKeyFile checks a file before the passphrase is asked for", async () => {
  const doc = kf.parseKeyFile(JSON.stringify(V.key_file));
  assert.deepEqual(doc, V.key_file);
  assert.equal(s.scalarToHex((await kf.openKeyFile(doc, V.passphrase)).share), V.share);
  assert.throws(() => kf.parseKeyFile({ header: {}, ciphertext: "" }), (e) => e.code === "bad_keyfile");
  assert.throws(() => kf.parseKeyFile("[]"), (e) => e.code === "bad_keyfile");
});

test("sealing reproduces the vector's key file with its salt and nonce", async () => {
  const h = V.key_file.header;
  const key = await kf.openKeyFile(V.key_file, V.passphrase);
  const sealed = await kf.sealKeyFile(key, h.vote_id, V.passphrase, {
    logN: h.kdf.log_n, r: h.kdf.r, p: h.kdf.p, salt: fromHex(h.kdf.salt), nonce: fromHex(h.cipher.nonce),
  });
  assert.deepEqual(sealed, V.key_file);
  // Default parameters (2^16, the least accepted): a fresh file opens again.
  const fresh = await kf.sealKeyFile(key, h.vote_id, "another passphrase");
  assert.equal(fresh.header.kdf.log_n, 16);
  assert.equal((await kf.openKeyFile(fresh, "another passphrase")).share, key.share);
});

test("card bytes and text, and reading the card back", async () => {
  assert.equal(hexOf(await kf.cardBytes(V.key_file)), V.card_hex);
  assert.equal(await kf.cardText(V.key_file), V.card_text);
  assert.deepEqual(await kf.parseCard(V.card_text), V.key_file);
  // Typed in lowercase with O for 0 and an extra blank line: still the same file.
  const typed = V.card_text.split("\n")
    .map((line) => (/^\d\d  /.test(line) ? line.slice(0, 4) + line.slice(4).toLowerCase().replace(/0/g, "O") : line))
    .join("\n").replace("\n02", "\n\n02");
  assert.deepEqual(await kf.parseCard(typed), V.key_file);
  // A typo is caught by the checksum, a missing line by its number.
  const lines = V.card_text.split("\n");
  const at = lines.findIndex((line) => line.startsWith("02  "));
  const typo = lines[at].slice(0, 6) + (lines[at][6] === "A" ? "B" : "A") + lines[at].slice(7);
  await assert.rejects(kf.parseCard([...lines.slice(0, at), typo, ...lines.slice(at + 1)].join("\n")), (e) => e.code === "bad_card");
  await assert.rejects(kf.parseCard([...lines.slice(0, at), ...lines.slice(at + 1)].join("\n")), (e) => e.code === "bad_card" && /missing/.test(e.message));
});

test("wrong passphrase, damaged or hostile key files are refused", async () => {
  await assert.rejects(kf.openKeyFile(V.key_file, "wrong"), (e) => e.code === "wrong_passphrase");
  const edit = (f) => {
    const x = structuredClone(V.key_file);
    f(x);
    return x;
  };
  // The header is authenticated: changing the index (or anything) breaks decryption.
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.index = 3; }), V.passphrase), (e) => e.code === "wrong_passphrase");
  // Flip a bit of the first ciphertext byte (writing 00 would change nothing if it was 00).
  const flipped = (parseInt(V.key_file.ciphertext.slice(0, 2), 16) ^ 1).toString(16).padStart(2, "0");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.ciphertext = flipped + x.ciphertext.slice(2); }), V.passphrase), (e) => e.code === "wrong_passphrase");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.kdf.log_n = 30; }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.kdf.r = 0; }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.format = "other"; }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.extra = 1; }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.verification_key = "01" + "00".repeat(31); }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile("{not json", V.passphrase), (e) => e.code === "bad_keyfile");
  // Strict text: a duplicate key or 1.0 for the version is refused, as is an NFD vote id.
  const text = JSON.stringify(V.key_file);
  await assert.rejects(kf.openKeyFile(text.replace('"index":2', '"index":1,"index":2'), V.passphrase), (e) => e.code === "bad_keyfile" && /duplicate key/.test(e.message));
  await assert.rejects(kf.openKeyFile(text.replace('"version":1', '"version":1.0'), V.passphrase), (e) => e.code === "bad_keyfile" && /not an integer/.test(e.message));
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.version = true; }), V.passphrase), (e) => e.code === "bad_keyfile");
  await assert.rejects(kf.openKeyFile(edit((x) => { x.header.vote_id = "Lấy phiếu".normalize("NFD"); }), V.passphrase), (e) => e.code === "bad_keyfile" && /NFC/.test(e.message));
});

test("key files weaker than the minimum are refused by name, and never written", async () => {
  const edit = (f) => {
    const x = structuredClone(V.key_file);
    f(x);
    return x;
  };
  for (const [change, words] of [[{ log_n: 15 }, /log_n = 15 is below the minimum 16/], [{ log_n: 10 }, /log_n = 10 is below/], [{ r: 1 }, /r = 1 is below the minimum 8/]]) {
    await assert.rejects(kf.openKeyFile(edit((x) => Object.assign(x.header.kdf, change)), V.passphrase), (e) => e.code === "weak_keyfile" && words.test(e.message));
    assert.throws(() => kf.parseKeyFile(edit((x) => Object.assign(x.header.kdf, change))), (e) => e.code === "weak_keyfile");
  }
  const key = await kf.openKeyFile(V.key_file, V.passphrase);
  await assert.rejects(kf.sealKeyFile(key, "X", "pw", { logN: 15 }), (e) => e.code === "weak_keyfile");
});

test("the card is in Vietnamese first, English below, and its heading is not read", async () => {
  const lines = (await kf.cardText(V.key_file)).split("\n");
  assert.equal(lines[0], "THẺ KHÓA THÀNH VIÊN BAN KIỂM PHIẾU");
  assert.equal(lines[1], "Cuộc lấy phiếu: DUK-TV-2025-01 | Thành viên số 2");
  const english = lines.indexOf("COUNTING COMMITTEE MEMBER KEY CARD (ballot/v1)");
  assert.ok(english > 2);
  assert.equal(lines[english + 1], "Vote: DUK-TV-2025-01 | Member no. 2");
  assert.deepEqual(await kf.parseCard(lines.join("\n")), V.key_file);
});
