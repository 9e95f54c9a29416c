// tests/vectors/tally.json: each member's decryption share with its "dec" proofs (one w
// per cell, row by row), Lagrange coefficients, plaintext points and counts; tampered
// shares are refused.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, replay } from "./helpers.mjs";

const { bareContext } = await import(CRYPTO + "manifest.js");
const tr = await import(CRYPTO + "trustee.js");
const el = await import(CRYPTO + "elgamal.js");
const g = await import(CRYPTO + "group.js");
const s = await import(CRYPTO + "scalar.js");
const V = vector("tally.json");

const ctx = bareContext({
  fp: V.fp, key: V.K, subjects: V.aggregate.length, levels: V.aggregate[0].length,
  verificationKeys: V.verification_keys, threshold: V.combination.members.length,
});
const grid = V.aggregate.map((row) => row.map((c) => el.ciphertextFromJson(c)));

function keyOf(x) {
  const share = s.scalarFromHex(V.secret_shares[x - 1]);
  return { index: x, share, verificationKey: g.mulBase(share) };
}

test("secret shares match the verification keys", () => {
  V.secret_shares.forEach((sh, i) => assert.equal(g.mulBase(s.scalarFromHex(sh)).toHex(), V.verification_keys[i]));
});

test("every member's decryption share reproduces byte for byte and verifies", async () => {
  for (const ds of V.decryption_shares) {
    const rand = await replay(ds.w_in_order);
    const out = await tr.decryptionShare(ctx, grid, keyOf(ds.share.index), rand);
    rand.assertAllUsed();
    assert.deepEqual(out, ds.share);
    const checked = await tr.verifyDecryptionShare(ctx, grid, ds.share);
    assert.equal(checked.index, ds.share.index);
  }
});

test("Lagrange coefficients, plaintext points and counts", async () => {
  const members = V.combination.members;
  const lambdas = tr.lagrangeAtZero(members);
  for (const x of members) assert.equal(s.scalarToHex(lambdas.get(x)), V.combination.lagrange[String(x)]);
  const shares = [];
  for (const x of members) {
    shares.push(await tr.verifyDecryptionShare(ctx, grid, V.decryption_shares.find((d) => d.share.index === x).share));
  }
  const { counts, plaintext } = tr.combineShares(ctx, grid, shares, 5);
  assert.deepEqual(counts, V.combination.counts);
  assert.deepEqual(counts, V.aggregate_plaintext);
  assert.deepEqual(plaintext.map((r) => r.map((p) => p.toHex())), V.combination.plaintext_points);
  // Any other pair of members gives the same counts.
  const all = [];
  for (const d of V.decryption_shares) all.push(await tr.verifyDecryptionShare(ctx, grid, d.share));
  assert.deepEqual(tr.combineShares(ctx, grid, all.slice(0, 2), 5).counts, V.combination.counts);
  assert.throws(() => tr.combineShares(ctx, grid, all.slice(0, 1), 5), (e) => e.code === "not_enough_shares");
});

test("tampered decryption shares are refused", async () => {
  const doc = V.decryption_shares[0].share;
  const edit = (f) => {
    const x = structuredClone(doc);
    f(x);
    return x;
  };
  const bad = async (d, why) => assert.rejects(tr.verifyDecryptionShare(ctx, grid, d), (e) => e.code === "bad_share", why);
  await bad(edit((x) => { x.parts[0][0].d = x.parts[0][1].d; }), "other cell's D");
  await bad(edit((x) => { x.parts[1][2].proof[1] = x.parts[1][2].proof[0]; }), "proof scalar");
  await bad(edit((x) => { x.index = 2; }), "claimed by another member");
  await bad(edit((x) => { x.index = 9; }), "no such member");
  await bad(edit((x) => { x.parts[0][0].d = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"; }), "small order D");
  await bad(edit((x) => { x.parts.pop(); }), "missing row");
  await bad(edit((x) => { x.extra = 1; }), "extra key");
});

test("an empty board: aggregate and shares of the identity", async () => {
  const empty = [[{ a: g.IDENTITY, b: g.IDENTITY }]];
  const c1 = bareContext({ fp: V.fp, key: V.K, verificationKeys: V.verification_keys, threshold: 2 });
  const shares = [];
  for (const x of [1, 2]) {
    const doc = await tr.decryptionShare(c1, empty, keyOf(x));
    assert.equal(doc.parts[0][0].d, g.IDENTITY_HEX);
    shares.push(await tr.verifyDecryptionShare(c1, empty, doc));
  }
  assert.deepEqual(tr.combineShares(c1, empty, shares, 0).counts, [[0]]);
});
