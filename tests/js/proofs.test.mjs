// tests/vectors/proofs.json: encryptions, the homomorphic sum, bit, row and row1 proofs
// with their commitments and exact challenge inputs; tampered proofs are refused.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, replay } from "./helpers.mjs";

const { bareContext } = await import(CRYPTO + "manifest.js");
const el = await import(CRYPTO + "elgamal.js");
const pr = await import(CRYPTO + "proofs.js");
const g = await import(CRYPTO + "group.js");
const s = await import(CRYPTO + "scalar.js");
const { concat, u32, toHex } = await import(CRYPTO + "bytes.js");
const { domain } = await import(CRYPTO + "hash.js");
const V = vector("proofs.json");
const ctx = bareContext({ fp: V.fp, key: V.K });

const ct = (j) => el.ciphertextFromJson(j);
const proofHex = (p) => p.map(s.scalarToHex);

test("encryption Enc(m; r) = (r·B, m·B + r·K)", () => {
  for (const e of V.encryption) {
    const out = el.ciphertextToJson(el.encrypt(ctx, e.m, s.scalarFromHex(e.r)));
    assert.deepEqual(out, { a: e.a, b: e.b });
  }
});

test("homomorphic sum", () => {
  const sum = el.addCiphertexts(V.homomorphic_sum.inputs.map(ct));
  assert.deepEqual(el.ciphertextToJson(sum), V.homomorphic_sum.sum);
});

test("bit proofs reproduce commitments, challenge input and proof", async () => {
  for (const v of V.bit) {
    const r = s.scalarFromHex(v.randomness.r);
    const c = el.encrypt(ctx, v.m, r);
    assert.deepEqual(el.ciphertextToJson(c), v.ciphertext);
    const rand = await replay([v.randomness.w, v.randomness.c_sim, v.randomness.z_sim]);
    const proof = await pr.proveCiphertextBit(ctx, v.subject, v.level, c, v.m, r, rand);
    rand.assertAllUsed();
    assert.deepEqual(proofHex(proof), v.proof);
    // The verifier's recomputed commitments and hash input are the vector's.
    const [c0, z0, c1, z1] = proof;
    const A0 = g.mulBase(z0).sub(c.a.mul(c0));
    const B0 = ctx.key.mul(z0).sub(c.b.mul(c0));
    const A1 = g.mulBase(z1).sub(c.a.mul(c1));
    const B1 = ctx.key.mul(z1).sub(c.b.sub(g.BASE).mul(c1));
    assert.deepEqual({ A0: A0.toHex(), B0: B0.toHex(), A1: A1.toHex(), B1: B1.toHex() }, v.commitments);
    const input = concat(domain("bit"), ctx.fp, ctx.keyBytes, u32(v.subject), u32(v.level),
      g.encodePoints([c.a, c.b, A0, B0, A1, B1]));
    assert.equal(toHex(input), v.challenge_input_hex);
    assert.equal(s.scalarToHex(s.modL(c0 + c1)), v.challenge);
    assert.equal(await pr.verifyCiphertextBit(ctx, v.subject, v.level, ct(v.ciphertext), proof.map((x) => x)), true);
  }
});

test("tampered bit proofs and wrong context are refused", async () => {
  const v = V.bit[0];
  const proof = v.proof.map(s.scalarFromHex);
  const c = ct(v.ciphertext);
  for (let j = 0; j < 4; j++) {
    const bad = [...proof];
    bad[j] = s.modL(bad[j] + 1n);
    assert.equal(await pr.verifyCiphertextBit(ctx, v.subject, v.level, c, bad), false, `scalar ${j}`);
  }
  assert.equal(await pr.verifyCiphertextBit(ctx, v.subject + 1, v.level, c, proof), false, "other subject");
  assert.equal(await pr.verifyCiphertextBit(ctx, v.subject, v.level + 1, c, proof), false, "other level");
  // Swapping the branches must not verify either.
  assert.equal(await pr.verifyCiphertextBit(ctx, v.subject, v.level, c, [proof[2], proof[3], proof[0], proof[1]]), false);
  // A ciphertext of 2 cannot get a bit proof that verifies, whichever branch is real.
  const r = s.scalarFromHex(v.randomness.r);
  const two = el.encrypt(ctx, 2, r);
  for (const m of [0, 1]) {
    const rand = await replay([v.randomness.w, v.randomness.c_sim, v.randomness.z_sim]);
    const forged = await pr.proveCiphertextBit(ctx, 0, 0, two, m, r, rand);
    assert.equal(await pr.verifyCiphertextBit(ctx, 0, 0, two, forged), false);
  }
  // The same proof under another election (fingerprint) fails.
  const other = bareContext({ fp: "00".repeat(32), key: V.K });
  assert.equal(await pr.verifyCiphertextBit(other, v.subject, v.level, c, proof), false);
});

test("row proofs (sum 1 and blank row sum 0)", async () => {
  for (const v of V.row) {
    const sum = el.addCiphertexts(v.cell_ciphertexts.map(ct));
    assert.deepEqual(el.ciphertextToJson(sum), v.row_sum);
    const R = s.scalarFromHex(v.row_sum_randomness);
    assert.ok(g.mulBase(R).equals(sum.a), "row randomness matches the row sum");
    const rand = await replay([v.randomness.w, v.randomness.c_sim, v.randomness.z_sim]);
    const proof = await pr.proveRow(ctx, v.subject, sum, v.row_sum_plaintext, R, rand);
    rand.assertAllUsed();
    assert.deepEqual(proofHex(proof), v.proof);
    assert.equal(await pr.verifyRow(ctx, v.subject, sum, proof), true);
    // A row proof is not a bit proof (different tag) and is bound to its subject.
    assert.equal(await pr.verifyCiphertextBit(ctx, v.subject, 0xffffffff, sum, proof), false);
    assert.equal(await pr.verifyRow(ctx, v.subject + 1, sum, proof), false);
  }
});

test("row1 proof (exactly one mark)", async () => {
  const v = V.row1;
  const sum = el.addCiphertexts(v.cell_ciphertexts.map(ct));
  assert.deepEqual(el.ciphertextToJson(sum), v.row_sum);
  const R = s.scalarFromHex(v.row_sum_randomness);
  const rand = await replay([v.randomness.w]);
  const proof = await pr.proveRow1(ctx, v.subject, sum, R, rand);
  rand.assertAllUsed();
  assert.deepEqual(proofHex(proof), v.proof);
  assert.equal(await pr.verifyRow1(ctx, v.subject, sum, proof), true);
  const w = s.scalarFromHex(v.randomness.w);
  assert.deepEqual({ A: g.mulBase(w).toHex(), C: ctx.key.mul(w).toHex() }, v.commitments);
  assert.equal(await pr.verifyRow1(ctx, v.subject, sum, [proof[0], s.modL(proof[1] + 1n)]), false);
  // A blank row (sum encrypts 0) cannot pass as "exactly one".
  const blank = el.addCiphertexts(V.row.find((x) => x.row_sum_plaintext === 0).cell_ciphertexts.map(ct));
  const Rb = s.scalarFromHex(V.row.find((x) => x.row_sum_plaintext === 0).row_sum_randomness);
  const forged = await pr.proveRow1(ctx, 0, blank, Rb, await replay([v.randomness.w]));
  assert.equal(await pr.verifyRow1(ctx, 0, blank, forged), false);
});
