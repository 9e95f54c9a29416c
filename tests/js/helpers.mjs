// Shared helpers for the JavaScript tests: vector loading and replayable randomness.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const CRYPTO = new URL("../../ballot/static/js/crypto/", import.meta.url).href;

export function vector(name) {
  return JSON.parse(readFileSync(`${root}tests/vectors/${name}`, "utf8"));
}

/**
 * Randomness that replays the scalars a vector lists, in order, and fails loudly if the code
 * draws more or fewer than the vector did (the draw order is part of the protocol).
 */
export async function replay(hexScalars) {
  const { scalarFromHex } = await import(CRYPTO + "scalar.js");
  const queue = hexScalars.map(scalarFromHex);
  let used = 0;
  const rand = () => {
    assert.ok(used < queue.length, `drew more than the ${queue.length} scalars of the vector`);
    return queue[used++];
  };
  rand.assertAllUsed = () => assert.equal(used, queue.length, "did not draw every scalar of the vector");
  return rand;
}

export const hexOf = (bytes) => Buffer.from(bytes).toString("hex");
