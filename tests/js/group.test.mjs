// tests/vectors/group.json: constants, scalar and point decoding, group operations, Hs,
// random scalars — and the RFC 8032 base-point multiples as an independent check.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, hexOf } from "./helpers.mjs";

const g = await import(CRYPTO + "group.js");
const s = await import(CRYPTO + "scalar.js");
const h = await import(CRYPTO + "hash.js");
const { fromHex, CryptoError } = await import(CRYPTO + "bytes.js");
const V = vector("group.json");

test("constants", () => {
  assert.equal(g.L.toString(), V.constants.L);
  assert.equal(hexOf(g.BASE.toBytes()), V.constants.base_point);
  assert.equal(hexOf(g.IDENTITY.toBytes()), V.constants.identity);
  assert.equal(hexOf(s.scalarToBytes(0n)), "00".repeat(32));
});

test("valid scalars decode to their value and encode back", () => {
  for (const c of V.scalars_valid) {
    assert.equal(s.scalarFromHex(c.hex).toString(), c.value);
    assert.equal(s.scalarToHex(BigInt(c.value)), c.hex);
  }
});

test("invalid scalars are refused, never reduced", () => {
  for (const c of V.scalars_invalid) {
    assert.throws(() => s.scalarFromHex(c.hex), (e) => e instanceof CryptoError && e.code === "bad_scalar", c.why);
  }
});

test("valid points decode and equal scalar·B", () => {
  for (const c of V.points_valid) {
    const p = g.pointFromHex(c.point);
    assert.equal(p.toHex(), c.point);
    assert.ok(g.mulBase(s.scalarFromHex(c.scalar)).equals(p), c.note);
    assert.equal(g.BASE.mul(s.scalarFromHex(c.scalar)).toHex(), c.point);
  }
});

test("invalid points are refused like crypto_core_ed25519_is_valid_point", () => {
  for (const c of V.points_invalid) {
    assert.throws(() => g.pointFromHex(c.hex), (e) => e.code === "bad_point", c.why);
    if (c.hex.length === 64) assert.equal(g.isValidPoint(fromHex(c.hex)), false, c.why);
  }
});

test("group operations", () => {
  const o = V.operations;
  const P1 = g.pointFromHex(o.P1);
  const P2 = g.pointFromHex(o.P2);
  const k1 = s.scalarFromHex(o.k1);
  const k2 = s.scalarFromHex(o.k2);
  assert.equal(g.mulBase(k1).toHex(), o.P1);
  assert.equal(g.mulBase(k2).toHex(), o.P2);
  assert.equal(P1.add(P2).toHex(), o.P1_plus_P2);
  assert.equal(P1.sub(P2).toHex(), o.P1_minus_P2);
  assert.equal(P1.mul(k2).toHex(), o.k2_times_P1);
  assert.equal(s.scalarToHex(s.modL(k1 + k2)), o.k1_plus_k2);
  assert.equal(s.scalarToHex(s.modL(k1 * k2)), o.k1_times_k2);
  assert.equal(P1.mul(0n).toHex(), o.zero_times_P1);
  assert.equal(P1.sub(P1).toHex(), o.P1_minus_P1);
  assert.ok(P1.sub(P1).isIdentity());
  // The fixed-base table of an arbitrary point agrees with plain multiplication.
  const table = new g.FixedBase(P1);
  for (const k of [0n, 1n, 2n, 15n, 16n, k2, g.L - 1n]) assert.ok(table.mul(k).equals(P1.mul(k)));
  assert.ok(P1.mul(g.L).isIdentity());
  assert.ok(P1.add(P1).equals(P1.double()));
});

test("hash to scalar", async () => {
  for (const c of V.hash_to_scalar) {
    assert.equal(s.scalarToHex(await h.hashToScalar(fromHex(c.input))), c.Hs);
  }
});

test("random scalar: 64 bytes little-endian mod L, injectable", () => {
  const bytes = fromHex(V.random_scalar.bytes);
  assert.equal(s.scalarToHex(s.randomScalar(() => bytes)), V.random_scalar.scalar);
  // A zero draw (here: L itself as 64 bytes) is thrown away and the next one used.
  const draws = [new Uint8Array(64), bytes];
  draws[0].set(s.scalarToBytes(0n));
  let n = 0;
  assert.equal(s.scalarToHex(s.randomScalar(() => draws[n++])), V.random_scalar.scalar);
  assert.equal(n, 2);
  const r = s.randomScalar();
  assert.ok(r > 0n && r < g.L);
});

test("RFC 8032 public keys (independent check of the group arithmetic)", async () => {
  // Test 1 and Test 2 of RFC 8032 §7.1: public key = clamp(SHA-512(seed)[0:32])·B.
  const cases = [
    ["9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
    ["4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"],
  ];
  for (const [seed, pub] of cases) {
    const d = await h.sha512(fromHex(seed));
    const a = d.slice(0, 32);
    a[0] &= 248;
    a[31] &= 127;
    a[31] |= 64;
    let k = 0n;
    for (let i = 31; i >= 0; i--) k = (k << 8n) | BigInt(a[i]);
    // a may exceed L: reduce (the point is in the prime-order subgroup, so k·B = (k mod L)·B).
    assert.equal(g.mulBase(k % g.L).toHex(), pub);
  }
});

test("non-canonical and malformed encodings", () => {
  // x = 0 with the sign bit set is the only other non-canonical case beyond y ≥ p.
  const negZero = new Uint8Array(32);
  negZero[0] = 1;
  negZero[31] = 0x80;
  assert.throws(() => g.decodePointUnchecked(negZero), /non-canonical/);
  assert.throws(() => g.pointFromHex("AB".repeat(32)), (e) => e.code === "bad_point");
  assert.throws(() => g.pointFromHex(42), (e) => e.code === "bad_point");
  // The sign bit flips x: -B decodes to the negation of B.
  const minusB = g.BASE.toBytes();
  minusB[31] |= 0x80;
  assert.ok(g.decodePoint(minusB).equals(g.BASE.negate()));
});
