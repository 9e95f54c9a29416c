// scrypt (RFC 7914) for opening key files in the browser: PBKDF2-HMAC-SHA256 from WebCrypto
// around a plain-JS ROMix with Salsa20/8. WebCrypto has no scrypt, and a memory-hard KDF is
// what makes a stolen key file expensive to brute-force.

import { subtle } from "./bytes.js";

/** PBKDF2-HMAC-SHA256(password, salt, iterations, dkLen bytes) through WebCrypto. */
export async function pbkdf2Sha256(password, salt, iterations, dkLen) {
  const key = await subtle().importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle().deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, dkLen * 8);
  return new Uint8Array(bits);
}

// BlockMix_{Salsa20/8, r} (RFC 7914 §4): B (2r blocks of 16 words) → Y, odd blocks moved to
// the end. The Salsa20/8 core (§3) runs on local variables: ~3× faster than on an array, which
// is what lets the key file's scrypt cost stay high on a tablet (docs/benchmarks.md).
function blockMixSalsa(B, Y, r) {
  const last = (2 * r - 1) * 16;
  let x0 = B[last], x1 = B[last + 1], x2 = B[last + 2], x3 = B[last + 3], x4 = B[last + 4], x5 = B[last + 5], x6 = B[last + 6], x7 = B[last + 7],
    x8 = B[last + 8], x9 = B[last + 9], x10 = B[last + 10], x11 = B[last + 11], x12 = B[last + 12], x13 = B[last + 13], x14 = B[last + 14], x15 = B[last + 15];
  for (let j = 0; j < 2 * r; j++) {
    const bo = j * 16;
    x0 ^= B[bo]; x1 ^= B[bo + 1]; x2 ^= B[bo + 2]; x3 ^= B[bo + 3]; x4 ^= B[bo + 4]; x5 ^= B[bo + 5]; x6 ^= B[bo + 6]; x7 ^= B[bo + 7];
    x8 ^= B[bo + 8]; x9 ^= B[bo + 9]; x10 ^= B[bo + 10]; x11 ^= B[bo + 11]; x12 ^= B[bo + 12]; x13 ^= B[bo + 13]; x14 ^= B[bo + 14]; x15 ^= B[bo + 15];
    let a0 = x0, a1 = x1, a2 = x2, a3 = x3, a4 = x4, a5 = x5, a6 = x6, a7 = x7, a8 = x8, a9 = x9, a10 = x10, a11 = x11, a12 = x12, a13 = x13, a14 = x14, a15 = x15, u;
    for (let i = 0; i < 8; i += 2) {
      u = (a0 + a12) | 0; a4 ^= (u << 7) | (u >>> 25);
      u = (a4 + a0) | 0; a8 ^= (u << 9) | (u >>> 23);
      u = (a8 + a4) | 0; a12 ^= (u << 13) | (u >>> 19);
      u = (a12 + a8) | 0; a0 ^= (u << 18) | (u >>> 14);
      u = (a5 + a1) | 0; a9 ^= (u << 7) | (u >>> 25);
      u = (a9 + a5) | 0; a13 ^= (u << 9) | (u >>> 23);
      u = (a13 + a9) | 0; a1 ^= (u << 13) | (u >>> 19);
      u = (a1 + a13) | 0; a5 ^= (u << 18) | (u >>> 14);
      u = (a10 + a6) | 0; a14 ^= (u << 7) | (u >>> 25);
      u = (a14 + a10) | 0; a2 ^= (u << 9) | (u >>> 23);
      u = (a2 + a14) | 0; a6 ^= (u << 13) | (u >>> 19);
      u = (a6 + a2) | 0; a10 ^= (u << 18) | (u >>> 14);
      u = (a15 + a11) | 0; a3 ^= (u << 7) | (u >>> 25);
      u = (a3 + a15) | 0; a7 ^= (u << 9) | (u >>> 23);
      u = (a7 + a3) | 0; a11 ^= (u << 13) | (u >>> 19);
      u = (a11 + a7) | 0; a15 ^= (u << 18) | (u >>> 14);
      u = (a0 + a3) | 0; a1 ^= (u << 7) | (u >>> 25);
      u = (a1 + a0) | 0; a2 ^= (u << 9) | (u >>> 23);
      u = (a2 + a1) | 0; a3 ^= (u << 13) | (u >>> 19);
      u = (a3 + a2) | 0; a0 ^= (u << 18) | (u >>> 14);
      u = (a5 + a4) | 0; a6 ^= (u << 7) | (u >>> 25);
      u = (a6 + a5) | 0; a7 ^= (u << 9) | (u >>> 23);
      u = (a7 + a6) | 0; a4 ^= (u << 13) | (u >>> 19);
      u = (a4 + a7) | 0; a5 ^= (u << 18) | (u >>> 14);
      u = (a10 + a9) | 0; a11 ^= (u << 7) | (u >>> 25);
      u = (a11 + a10) | 0; a8 ^= (u << 9) | (u >>> 23);
      u = (a8 + a11) | 0; a9 ^= (u << 13) | (u >>> 19);
      u = (a9 + a8) | 0; a10 ^= (u << 18) | (u >>> 14);
      u = (a15 + a14) | 0; a12 ^= (u << 7) | (u >>> 25);
      u = (a12 + a15) | 0; a13 ^= (u << 9) | (u >>> 23);
      u = (a13 + a12) | 0; a14 ^= (u << 13) | (u >>> 19);
      u = (a14 + a13) | 0; a15 ^= (u << 18) | (u >>> 14);
    }
    x0 = (x0 + a0) | 0; x1 = (x1 + a1) | 0; x2 = (x2 + a2) | 0; x3 = (x3 + a3) | 0; x4 = (x4 + a4) | 0; x5 = (x5 + a5) | 0; x6 = (x6 + a6) | 0; x7 = (x7 + a7) | 0;
    x8 = (x8 + a8) | 0; x9 = (x9 + a9) | 0; x10 = (x10 + a10) | 0; x11 = (x11 + a11) | 0; x12 = (x12 + a12) | 0; x13 = (x13 + a13) | 0; x14 = (x14 + a14) | 0; x15 = (x15 + a15) | 0;
    const d = ((j & 1) * r + (j >> 1)) * 16;
    Y[d] = x0; Y[d + 1] = x1; Y[d + 2] = x2; Y[d + 3] = x3; Y[d + 4] = x4; Y[d + 5] = x5; Y[d + 6] = x6; Y[d + 7] = x7;
    Y[d + 8] = x8; Y[d + 9] = x9; Y[d + 10] = x10; Y[d + 11] = x11; Y[d + 12] = x12; Y[d + 13] = x13; Y[d + 14] = x14; Y[d + 15] = x15;
  }
}

function roMix(block, N, r) {
  const words = 32 * r;
  let X = block;
  let Y = new Uint32Array(words);
  const V = new Uint32Array(words * N);
  for (let i = 0; i < N; i++) {
    V.set(X, i * words);
    blockMixSalsa(X, Y, r);
    [X, Y] = [Y, X];
  }
  const mask = N - 1;
  for (let i = 0; i < N; i++) {
    // Integerify: first word of the last 64-byte block; N ≤ 2^20 so 32 bits suffice.
    const j = X[words - 16] & mask;
    const off = j * words;
    for (let w = 0; w < words; w++) X[w] ^= V[off + w];
    blockMixSalsa(X, Y, r);
    [X, Y] = [Y, X];
  }
  return X;
}

// Explicit little-endian conversion: typed arrays follow the platform's byte order.
function bytesToWords(bytes, offset, count) {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const o = offset + 4 * i;
    out[i] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
  }
  return out;
}

function wordsToBytes(words, bytes, offset) {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const o = offset + 4 * i;
    bytes[o] = w & 255;
    bytes[o + 1] = (w >>> 8) & 255;
    bytes[o + 2] = (w >>> 16) & 255;
    bytes[o + 3] = (w >>> 24) & 255;
  }
}

/**
 * scrypt(password, salt, N, r, p, dkLen) per RFC 7914 (N a power of two ≥ 2).
 * Blocking for the ROMix part (~0.3 s at N = 2^15, r = 8 on a laptop): call it from a page
 * after showing a "working" state.
 */
export async function scrypt(password, salt, N, r, p, dkLen) {
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) throw new RangeError("N must be a power of two");
  const blockBytes = 128 * r;
  const B = await pbkdf2Sha256(password, salt, 1, p * blockBytes);
  for (let i = 0; i < p; i++) {
    const mixed = roMix(bytesToWords(B, i * blockBytes, 32 * r), N, r);
    wordsToBytes(mixed, B, i * blockBytes);
  }
  return pbkdf2Sha256(password, B, 1, dkLen);
}
