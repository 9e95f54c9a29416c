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

// Salsa20/8 core on 16 words, in place on B[bo .. bo+16) (RFC 7914 §3).
function salsa208(B, bo, x) {
  for (let i = 0; i < 16; i++) x[i] = B[bo + i];
  for (let i = 0; i < 8; i += 2) {
    let u;
    u = x[0] + x[12]; x[4] ^= (u << 7) | (u >>> 25);
    u = x[4] + x[0]; x[8] ^= (u << 9) | (u >>> 23);
    u = x[8] + x[4]; x[12] ^= (u << 13) | (u >>> 19);
    u = x[12] + x[8]; x[0] ^= (u << 18) | (u >>> 14);
    u = x[5] + x[1]; x[9] ^= (u << 7) | (u >>> 25);
    u = x[9] + x[5]; x[13] ^= (u << 9) | (u >>> 23);
    u = x[13] + x[9]; x[1] ^= (u << 13) | (u >>> 19);
    u = x[1] + x[13]; x[5] ^= (u << 18) | (u >>> 14);
    u = x[10] + x[6]; x[14] ^= (u << 7) | (u >>> 25);
    u = x[14] + x[10]; x[2] ^= (u << 9) | (u >>> 23);
    u = x[2] + x[14]; x[6] ^= (u << 13) | (u >>> 19);
    u = x[6] + x[2]; x[10] ^= (u << 18) | (u >>> 14);
    u = x[15] + x[11]; x[3] ^= (u << 7) | (u >>> 25);
    u = x[3] + x[15]; x[7] ^= (u << 9) | (u >>> 23);
    u = x[7] + x[3]; x[11] ^= (u << 13) | (u >>> 19);
    u = x[11] + x[7]; x[15] ^= (u << 18) | (u >>> 14);
    u = x[0] + x[3]; x[1] ^= (u << 7) | (u >>> 25);
    u = x[1] + x[0]; x[2] ^= (u << 9) | (u >>> 23);
    u = x[2] + x[1]; x[3] ^= (u << 13) | (u >>> 19);
    u = x[3] + x[2]; x[0] ^= (u << 18) | (u >>> 14);
    u = x[5] + x[4]; x[6] ^= (u << 7) | (u >>> 25);
    u = x[6] + x[5]; x[7] ^= (u << 9) | (u >>> 23);
    u = x[7] + x[6]; x[4] ^= (u << 13) | (u >>> 19);
    u = x[4] + x[7]; x[5] ^= (u << 18) | (u >>> 14);
    u = x[10] + x[9]; x[11] ^= (u << 7) | (u >>> 25);
    u = x[11] + x[10]; x[8] ^= (u << 9) | (u >>> 23);
    u = x[8] + x[11]; x[9] ^= (u << 13) | (u >>> 19);
    u = x[9] + x[8]; x[10] ^= (u << 18) | (u >>> 14);
    u = x[15] + x[14]; x[12] ^= (u << 7) | (u >>> 25);
    u = x[12] + x[15]; x[13] ^= (u << 9) | (u >>> 23);
    u = x[13] + x[12]; x[14] ^= (u << 13) | (u >>> 19);
    u = x[14] + x[13]; x[15] ^= (u << 18) | (u >>> 14);
  }
  for (let i = 0; i < 16; i++) B[bo + i] = (B[bo + i] + x[i]) | 0;
}

// BlockMix_{Salsa20/8, r}: B (2r blocks of 16 words) → Y, with odd blocks moved to the end.
function blockMix(B, Y, r, X, tmp) {
  const last = (2 * r - 1) * 16;
  for (let i = 0; i < 16; i++) X[i] = B[last + i];
  for (let j = 0; j < 2 * r; j++) {
    for (let i = 0; i < 16; i++) X[i] ^= B[j * 16 + i];
    salsa208(X, 0, tmp);
    const dst = ((j & 1) * r + (j >> 1)) * 16;
    for (let i = 0; i < 16; i++) Y[dst + i] = X[i];
  }
}

function roMix(block, N, r) {
  const words = 32 * r;
  let X = block;
  let Y = new Uint32Array(words);
  const V = new Uint32Array(words * N);
  const t = new Uint32Array(16);
  const tmp = new Uint32Array(16);
  for (let i = 0; i < N; i++) {
    V.set(X, i * words);
    blockMix(X, Y, r, t, tmp);
    [X, Y] = [Y, X];
  }
  const mask = N - 1;
  for (let i = 0; i < N; i++) {
    // Integerify: first word of the last 64-byte block; N ≤ 2^20 so 32 bits suffice.
    const j = X[words - 16] & mask;
    const off = j * words;
    for (let w = 0; w < words; w++) X[w] ^= V[off + w];
    blockMix(X, Y, r, t, tmp);
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
