// tests/vectors/dkg.json: ceremony id, each member's commit message from its draws, the
// plain and encrypted shares (ECIES), K, V_x, final shares, transcript, done messages and a
// complaint; cheating dealers are named.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, replay, hexOf } from "./helpers.mjs";

const d = await import(CRYPTO + "dkg.js");
const s = await import(CRYPTO + "scalar.js");
const g = await import(CRYPTO + "group.js");
const { canonicalJson } = await import(CRYPTO + "hash.js");
const V = vector("dkg.json");
const t = V.threshold;
const n = V.trustee_names.length;

async function startAll() {
  const started = [];
  for (const m of V.members) {
    const rand = await replay([m.draws.e, ...m.draws.coefficients, m.draws.w]);
    started.push(await d.startMember(V.ceremony_id, m.index, t, n, rand));
    rand.assertAllUsed();
  }
  return started;
}

test("ceremony id", async () => {
  const input = { version: 1, vote_id: V.vote_id, threshold: t, trustees: V.trustee_names.map((name, i) => ({ index: i + 1, name })) };
  assert.equal(canonicalJson(input), V.ceremony_id_input_utf8);
  assert.equal(hexOf(await d.ceremonyId(V.vote_id, t, V.trustee_names)), V.ceremony_id);
});

test("the whole ceremony reproduces byte for byte", async () => {
  const started = await startAll();
  started.forEach(({ message }, i) => assert.deepEqual(message, V.members[i].commit));
  const commits = await d.checkCommits(V.ceremony_id, t, n, started.map((x) => x.message));
  // Plain shares f_x(y) and the encrypted share messages (one u per recipient, in order).
  const mailbox = [];
  for (const [i, { secret }] of started.entries()) {
    const rand = await replay(V.members[i].ephemeral_u_in_recipient_order);
    const msgs = await d.dealShares(secret, commits, rand);
    rand.assertAllUsed();
    mailbox.push(...msgs);
  }
  assert.deepEqual(mailbox, V.share_messages);
  for (const ps of V.plain_shares) {
    const secret = started[ps.from - 1].secret;
    const opened = await d.openShare(started[ps.to - 1].secret, commits[ps.from - 1], V.share_messages.find((m) => m.from === ps.from && m.to === ps.to));
    assert.equal(s.scalarToHex(opened), ps.share);
    assert.ok(secret);
  }
  const { publicKey, verificationKeys } = d.publicKeys(commits);
  assert.equal(publicKey.toHex(), V.final.public_key);
  assert.deepEqual(verificationKeys.map((p) => p.toHex()), V.final.verification_keys);
  assert.equal(hexOf(await d.transcriptHash(V.ceremony_id, commits)), V.final.transcript);
  for (const [i, { secret }] of started.entries()) {
    const { key, message } = await d.finishMember(secret, commits, mailbox);
    assert.equal(s.scalarToHex(key.share), V.final.secret_shares[i]);
    assert.deepEqual(message, V.final.done_messages[i]);
    assert.equal(key.ceremonyId, V.ceremony_id);
  }
});

test("complaint: reproduces, and an unfounded one names the complainer", async () => {
  const started = await startAll();
  const commits = await d.checkCommits(V.ceremony_id, t, n, started.map((x) => x.message));
  const ex = V.complaint_example;
  const complainer = started[ex.complaint.from - 1].secret;
  const complaint = await d.makeComplaint(complainer, ex.share_message, await replay([ex.w]));
  assert.deepEqual(complaint, ex.complaint);
  assert.equal(await d.judgeComplaint(V.ceremony_id, commits, ex.share_message, complaint), ex.guilty);
});

test("a dealer who sends a wrong share is named, by the recipient and by a complaint", async () => {
  const started = await startAll();
  const commits = await d.checkCommits(V.ceremony_id, t, n, started.map((x) => x.message));
  // Member 1 encrypts a share that is off by one for member 3.
  const cheat = started[0].secret;
  const wrong = await d.encryptShare(cheat.cid, 1, 3, commits[2].ceremonyKey, s.modL(3n + cheat.coefficients[0] + 3n * cheat.coefficients[1] + 1n), s.randomScalar());
  const honest = V.share_messages.filter((m) => !(m.from === 1 && m.to === 3));
  await assert.rejects(d.finishMember(started[2].secret, commits, [...honest, wrong]), (e) => e instanceof d.BadDealer && e.dealer === 1);
  const complaint = await d.makeComplaint(started[2].secret, wrong);
  assert.equal(await d.judgeComplaint(V.ceremony_id, commits, wrong, complaint), 1);
  // A missing share names its dealer too.
  await assert.rejects(d.finishMember(started[2].secret, commits, honest), (e) => e.dealer === 1);
  // A garbled ciphertext: does not decrypt.
  const garbled = { ...V.share_messages.find((m) => m.from === 2 && m.to === 3) };
  garbled.ciphertext = (garbled.ciphertext[0] === "0" ? "1" : "0") + garbled.ciphertext.slice(1);
  await assert.rejects(d.finishMember(started[2].secret, commits, [...V.share_messages.filter((m) => !(m.from === 2 && m.to === 3)), garbled]),
    (e) => e.dealer === 2 && /decrypt/.test(e.message));
});

test("bad commit messages are refused, naming the dealer", async () => {
  const msg = V.members[1].commit;
  const bad = async (f, why, dealerNamed = true) => {
    const m = structuredClone(msg);
    f(m);
    await assert.rejects(d.checkCommit(V.ceremony_id, t, n, m), (e) => (dealerNamed ? e.dealer === 2 : e.code === "bad_message"), why);
  };
  await bad((m) => { m.pok[1] = m.pok[0]; }, "proof of knowledge");
  await bad((m) => { m.commitments[0] = V.members[0].commit.commitments[0]; }, "copied constant term");
  await bad((m) => { m.commitments.pop(); }, "too few commitments");
  await bad((m) => { m.ceremony_key = "01" + "00".repeat(31); }, "identity ceremony key");
  await bad((m) => { m.ceremony_id = "00".repeat(32); }, "other ceremony");
  await bad((m) => { m.extra = true; }, "extra key", false);
  await bad((m) => { m.from = 7; }, "unknown sender", false);
  await assert.rejects(d.checkCommits(V.ceremony_id, t, n, [V.members[0].commit, V.members[1].commit]), (e) => e.code === "bad_message");
});

test("a fresh 3-of-5 ceremony with system randomness round-trips", async () => {
  const names = ["A", "B", "C", "D", "E"];
  const cid = await d.ceremonyId("TEST", 3, names);
  const started = [];
  for (let x = 1; x <= 5; x++) started.push(await d.startMember(cid, x, 3, 5));
  const commits = await d.checkCommits(cid, 3, 5, started.map((x) => x.message));
  const mailbox = [];
  for (const { secret } of started) mailbox.push(...(await d.dealShares(secret, commits)));
  const done = [];
  for (const { secret } of started) {
    const restored = d.importSecret(JSON.parse(JSON.stringify(d.exportSecret(secret))));
    done.push(await d.finishMember(restored, commits, mailbox));
  }
  assert.equal(new Set(done.map((x) => x.message.transcript)).size, 1);
  assert.equal(new Set(done.map((x) => x.message.public_key)).size, 1);
  // Any 3 shares interpolate to the secret behind K.
  const { lagrangeAtZero } = await import(CRYPTO + "trustee.js");
  for (const set of [[1, 2, 3], [2, 4, 5]]) {
    const lambdas = lagrangeAtZero(set);
    const secretK = set.reduce((acc, x) => s.modL(acc + lambdas.get(x) * done[x - 1].key.share), 0n);
    assert.equal(g.mulBase(secretK).toHex(), done[0].message.public_key);
  }
});

test("verifyManifestKeys accepts the sample manifest's ceremony and refuses a changed key", async () => {
  const M = vector("canonical_json.json").manifest;
  const out = await d.verifyManifestKeys(M);
  assert.equal(out.publicKey.toHex(), M.public_key);
  const m2 = structuredClone(M);
  m2.public_key = M.verification_keys[0];
  await assert.rejects(d.verifyManifestKeys(m2), (e) => e.code === "bad_manifest");
  const m3 = structuredClone(M);
  m3.trustees[0].name += "x";
  await assert.rejects(d.verifyManifestKeys(m3), (e) => e.code === "bad_manifest");
});
