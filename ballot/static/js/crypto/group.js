// The prime-order subgroup of Ed25519: field arithmetic mod 2^255-19, points in extended
// twisted-Edwards coordinates, RFC 8032 encodings, the validity check every outside point
// must pass, and scalar multiplication (variable base and precomputed fixed base).
//
// BigInt is not constant-time; the booth's secrets (encryption randomness) live for one
// ballot on the voter's own tablet, and the trustee's share on the member's own device, so
// we accept that and keep the code simple and auditable. Output is byte-for-byte identical
// to libsodium's (checked by the shared vectors).

import { CryptoError, bytesToBigLE, bigToBytesLE, fromHex } from "./bytes.js";

export const P = 2n ** 255n - 19n;
/** Order of the prime-order subgroup (and of the base point). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

// ---------- field ----------

const mod = (a) => {
  const r = a % P;
  return r < 0n ? r + P : r;
};
const MASK = (1n << 255n) - 1n;
// Inputs are always reduced (< p). Reducing with 2^255 ≡ 19 (two folds and one conditional
// subtraction) beats BigInt's general `%` by about a fifth, and field products are nearly
// all the time spent in this file.
function reduceProduct(x) {
  x = (x & MASK) + 19n * (x >> 255n);
  x = (x & MASK) + 19n * (x >> 255n);
  return x >= P ? x - P : x;
}
const fmul = (a, b) => reduceProduct(a * b);
const fsq = (a) => reduceProduct(a * a);
const fadd = (a, b) => {
  const s = a + b;
  return s >= P ? s - P : s;
};
const fsub = (a, b) => {
  const s = a - b;
  return s < 0n ? s + P : s;
};
const fneg = (a) => (a === 0n ? 0n : P - a);

function fsqn(x, n) {
  for (let i = 0; i < n; i++) x = reduceProduct(x * x);
  return x;
}

// Addition chain for x^(2^250-1), shared by inversion (x^(p-2)) and the square root
// exponent (p-5)/8 = 2^252-3; about 265 multiplications instead of ~380 for plain
// square-and-multiply.
function pow2250m1(x) {
  const x2 = fsq(x);
  const x3 = fmul(x2, x);
  const x11 = fmul(fsqn(x2, 2), x3); // x^8 * x^3
  const x15 = fmul(fsqn(x3, 2), x3); // 2^4 - 1
  const x31 = fmul(fsq(x15), x); // 2^5 - 1
  const b10 = fmul(fsqn(x31, 5), x31);
  const b20 = fmul(fsqn(b10, 10), b10);
  const b40 = fmul(fsqn(b20, 20), b20);
  const b50 = fmul(fsqn(b40, 10), b10);
  const b100 = fmul(fsqn(b50, 50), b50);
  const b200 = fmul(fsqn(b100, 100), b100);
  const b250 = fmul(fsqn(b200, 50), b50);
  return { b250, x11 };
}

/** Field inverse x^(p-2); the inverse of 0 is 0 (never needed for valid points). */
export function finv(x) {
  const { b250, x11 } = pow2250m1(x);
  return fmul(fsqn(b250, 5), x11); // 2^255 - 32 + 11 = p - 2
}

function powP58(x) {
  return fmul(fsqn(pow2250m1(x).b250, 2), x); // 2^252 - 3
}

function fpow(b, e) {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = fmul(r, b);
    b = fsq(b);
    e >>= 1n;
  }
  return r;
}

const D = mod(-121665n * finv(121666n));
const D2 = fadd(D, D);
const SQRT_M1 = fpow(2n, (P - 1n) / 4n);

// ---------- points ----------

/** A point in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z. Immutable. */
export class Point {
  constructor(X, Y, Z, T) {
    this.X = X;
    this.Y = Y;
    this.Z = Z;
    this.T = T;
  }

  // Complete addition for a = -1 (RFC 8032 §5.1.4): also right for doubling and identity.
  add(q) {
    const A = fmul(fsub(this.Y, this.X), fsub(q.Y, q.X));
    const B = fmul(fadd(this.Y, this.X), fadd(q.Y, q.X));
    const C = fmul(fmul(this.T, D2), q.T);
    const Dd = fmul(fadd(this.Z, this.Z), q.Z);
    const E = fsub(B, A);
    const F = fsub(Dd, C);
    const G = fadd(Dd, C);
    const H = fadd(B, A);
    return new Point(fmul(E, F), fmul(G, H), fmul(F, G), fmul(E, H));
  }

  // Mixed addition with a precomputed affine point (ypx, ymx, xy2d): 7 multiplications.
  addPre(pre) {
    const A = fmul(fsub(this.Y, this.X), pre.ymx);
    const B = fmul(fadd(this.Y, this.X), pre.ypx);
    const C = fmul(this.T, pre.xy2d);
    const Dd = fadd(this.Z, this.Z);
    const E = fsub(B, A);
    const F = fsub(Dd, C);
    const G = fadd(Dd, C);
    const H = fadd(B, A);
    return new Point(fmul(E, F), fmul(G, H), fmul(F, G), fmul(E, H));
  }

  double() {
    return this.doubleMaybeT(true);
  }

  // The fourth product (T = E·H) is only needed when the result is added next; a doubling
  // that feeds another doubling skips it (scalar multiplication does three of every four).
  doubleMaybeT(withT) {
    const A = fsq(this.X);
    const B = fsq(this.Y);
    const Z2 = fsq(this.Z);
    const C = fadd(Z2, Z2);
    const H = fadd(A, B);
    const E = fsub(H, fsq(fadd(this.X, this.Y)));
    const G = fsub(A, B);
    const F = fadd(C, G);
    return new Point(fmul(E, F), fmul(G, H), fmul(F, G), withT ? fmul(E, H) : 0n);
  }

  negate() {
    return new Point(fneg(this.X), this.Y, this.Z, fneg(this.T));
  }

  sub(q) {
    return this.add(q.negate());
  }

  equals(q) {
    return fmul(this.X, q.Z) === fmul(q.X, this.Z) && fmul(this.Y, q.Z) === fmul(q.Y, this.Z);
  }

  isIdentity() {
    return this.X === 0n && this.Y === this.Z;
  }

  /** k·P for a scalar 0 ≤ k < 2^253 (signed 4-bit windows: ~252 doublings, ≤ 64 additions). */
  mul(k) {
    if (typeof k !== "bigint" || k < 0n || k >= 1n << 253n) throw new RangeError("scalar out of range");
    const digits = recode4(k);
    const table = [this];
    for (let i = 1; i < 8; i++) table.push(table[i - 1].add(this));
    let q = IDENTITY;
    let started = false;
    for (let i = digits.length - 1; i >= 0; i--) {
      if (started) q = q.doubleMaybeT(false).doubleMaybeT(false).doubleMaybeT(false).doubleMaybeT(true);
      const d = digits[i];
      if (d !== 0) {
        const t = d > 0 ? table[d - 1] : table[-d - 1].negate();
        q = started ? q.add(t) : t;
        started = true;
      }
    }
    return q;
  }

  /** Canonical 32-byte RFC 8032 encoding. */
  toBytes() {
    return encodePoints([this])[0];
  }

  toHex() {
    return hexOf(this.toBytes());
  }

  /** Precomputed affine form for mixed additions (used by fixed-base tables). */
  static precompute(points) {
    const zi = batchInvert(points.map((p) => p.Z));
    return points.map((p, i) => {
      const x = fmul(p.X, zi[i]);
      const y = fmul(p.Y, zi[i]);
      return { ypx: fadd(y, x), ymx: fsub(y, x), xy2d: fmul(fmul(x, y), D2) };
    });
  }
}

export const IDENTITY = new Point(0n, 1n, 1n, 0n);
export const IDENTITY_HEX = "01" + "00".repeat(31);

function hexOf(b) {
  let s = "";
  for (const v of b) s += v.toString(16).padStart(2, "0");
  return s;
}

// Signed radix-16 digits in [-8, 8): 64 digits cover any k < 2^253 (the top digit absorbs
// the final carry and stays small), halving the table compared with unsigned digits.
function recode4(k) {
  const digits = new Array(64);
  let carry = 0;
  for (let i = 0; i < 64; i++) {
    let d = Number(k & 15n) + carry;
    k >>= 4n;
    carry = d >= 8 ? 1 : 0;
    d -= carry << 4;
    digits[i] = d;
  }
  if (carry !== 0 || k !== 0n) throw new RangeError("scalar too large");
  return digits;
}

// Montgomery's trick: one field inversion for a whole batch.
function batchInvert(values) {
  const n = values.length;
  const prefix = new Array(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = fmul(acc, values[i]);
  }
  let inv = finv(acc);
  const out = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = fmul(inv, prefix[i]);
    inv = fmul(inv, values[i]);
  }
  return out;
}

/** Encode many points with a single inversion (hash inputs encode several points at once). */
export function encodePoints(points) {
  const zi = batchInvert(points.map((p) => p.Z));
  return points.map((p, i) => {
    const x = fmul(p.X, zi[i]);
    const y = fmul(p.Y, zi[i]);
    const out = bigToBytesLE(y, 32);
    out[31] |= Number(x & 1n) << 7;
    return out;
  });
}

/**
 * Decode an RFC 8032 encoding without the subgroup check. Throws bad_point when the
 * encoding is non-canonical (y ≥ p, or x = 0 with the sign bit set) or not on the curve.
 */
export function decodePointUnchecked(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new CryptoError("bad_point", "expected 32 bytes");
  const sign = bytes[31] >> 7;
  const yb = bytes.slice();
  yb[31] &= 0x7f;
  const y = bytesToBigLE(yb);
  if (y >= P) throw new CryptoError("bad_point", "non-canonical encoding");
  const y2 = fsq(y);
  const u = fsub(y2, 1n);
  const v = fadd(fmul(D, y2), 1n);
  // x = u v^3 (u v^7)^((p-5)/8), then fix up by sqrt(-1) if needed (RFC 8032 §5.1.3).
  const v3 = fmul(fsq(v), v);
  let x = fmul(fmul(u, v3), powP58(fmul(u, fmul(fsq(v3), v))));
  const vx2 = fmul(v, fsq(x));
  if (vx2 === u) {
    // x is a root
  } else if (vx2 === fneg(u)) {
    x = fmul(x, SQRT_M1);
  } else {
    throw new CryptoError("bad_point", "not on the curve");
  }
  if (x === 0n && sign === 1) throw new CryptoError("bad_point", "non-canonical encoding");
  if (Number(x & 1n) !== sign) x = fneg(x);
  return new Point(x, y, 1n, fmul(x, y));
}

/**
 * Decode a point received from outside, with the same acceptance rule as libsodium's
 * crypto_core_ed25519_is_valid_point: canonical, on the curve, not the identity, and in the
 * prime-order subgroup (L·P = identity, which also rules out every small-order point since
 * L is odd). Throws CryptoError("bad_point").
 */
export function decodePoint(bytes) {
  const p = decodePointUnchecked(bytes);
  if (p.isIdentity()) throw new CryptoError("bad_point", "identity");
  if (!p.mul(L).isIdentity()) throw new CryptoError("bad_point", "not in the prime-order subgroup");
  return p;
}

/** decodePoint of 64 lowercase hex characters; any failure is CryptoError("bad_point"). */
export function pointFromHex(hex) {
  let bytes;
  try {
    bytes = fromHex(hex, 32);
  } catch {
    throw new CryptoError("bad_point", "expected 64 lowercase hex characters");
  }
  return decodePoint(bytes);
}

/** Like pointFromHex but also accepts the identity (a share of an empty aggregate). */
export function pointOrIdentityFromHex(hex) {
  if (hex === IDENTITY_HEX) return IDENTITY;
  return pointFromHex(hex);
}

/** True when the 32 bytes would be accepted by decodePoint. */
export function isValidPoint(bytes) {
  try {
    decodePoint(bytes);
    return true;
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}

/**
 * A fixed-base table: for each of the 64 signed radix-16 digit positions i, the points
 * j·16^i·P for j = 1..8 in affine precomputed form. k·P then costs at most 64 mixed
 * additions and no doubling. Building one costs ~570 additions, worth it for B and for the
 * election key K, which every encryption and proof multiplies.
 */
export class FixedBase {
  constructor(point) {
    this.point = point;
    const pts = [];
    let base = point;
    for (let i = 0; i < 64; i++) {
      let acc = base;
      for (let j = 0; j < 8; j++) {
        pts.push(acc);
        acc = acc.add(base);
      }
      base = pts[pts.length - 1].double(); // 16·16^i·P = 2·(8·16^i·P)
    }
    this.table = Point.precompute(pts);
  }

  mul(k) {
    if (typeof k !== "bigint" || k < 0n || k >= 1n << 253n) throw new RangeError("scalar out of range");
    const digits = recode4(k);
    let q = IDENTITY;
    for (let i = 0; i < 64; i++) {
      const d = digits[i];
      if (d === 0) continue;
      const e = this.table[i * 8 + Math.abs(d) - 1];
      q = q.addPre(d > 0 ? e : { ypx: e.ymx, ymx: e.ypx, xy2d: fneg(e.xy2d) });
    }
    return q;
  }
}

const BASE_ENCODING = new Uint8Array(32).fill(0x66);
BASE_ENCODING[0] = 0x58;
/** The RFC 8032 base point B (y = 4/5, x even). */
export const BASE = decodePointUnchecked(BASE_ENCODING);

let baseTable = null;
/** k·B through a lazily built table (built on first use, ~10 ms). */
export function mulBase(k) {
  if (baseTable === null) baseTable = new FixedBase(BASE);
  return baseTable.mul(k);
}
