// A counting member's decryption of an ELECTION board (protocol §10.7, §10.10), from the
// crypto library's pieces: the key must belong to this election, the whole board is checked
// with the batch check (one multi-scalar multiplication, on Web Workers) before anything is
// decrypted, the closing block is checked against it, and only the C × 1 aggregate of ALL
// the ballots — one sum per candidate — is partially decrypted with its "dec" proofs. The
// share goes to the same decryption endpoint as a confidence vote's.

import {
  CryptoError, checkClosing, checkElectionBoardBatch, decryptionShare, electionShape, parseJson, toHex,
} from "../crypto/index.js";

/** Whether a manifest is an election's (manifest.rules.election present). */
export const isElection = (manifest) => !!manifest?.rules?.election;

/** Refuse a key of another key ceremony, or one that is not member x's (V_x of the manifest). */
function checkKeyFits(ctx, key) {
  if (key.ceremonyId !== undefined && ctx.ceremonyId !== undefined && key.ceremonyId !== ctx.ceremonyId) {
    throw new CryptoError("wrong_key", "the key file belongs to another key ceremony");
  }
  if (toHex(ctx.verificationKey(key.index).toBytes()) !== toHex(key.verificationKey.toBytes())) {
    throw new CryptoError("wrong_key", `the key file does not match trustee ${key.index}'s verification key`);
  }
}

/**
 * Check the closed election board and decrypt its aggregate. `board`: the API's board
 * ({entries, closing}) as JSON text or object. Options: onProgress(done, total), workers.
 * Returns {share, aggregate, head, count, closingHash} like partialDecrypt.
 */
export async function electionPartialDecrypt(ctx, board, key, { onProgress, workers } = {}) {
  if (typeof board === "string") board = parseJson(board);
  checkKeyFits(ctx, key);
  const shape = electionShape(ctx.manifest);
  const checked = await checkElectionBoardBatch(ctx, shape, board, { onProgress, workers });
  const closingHash = await checkClosing(ctx, checked, board && board.closing);
  const share = await decryptionShare(ctx, checked.aggregate, key);
  return { share, aggregate: checked.aggregate, head: checked.head, count: checked.count, closingHash };
}
