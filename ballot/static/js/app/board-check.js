// The public board checked on the reader's own device: the manifest against the published
// fingerprint and its key ceremony, then every ballot on the board (proofs, trackers, hash
// chain, no repeated point) and, once the vote is closed, the closing block. A confidence
// vote's board is checked ballot by ballot (checkBoard); an election's with the batch check
// of protocol §10.10 (checkElectionBoardBatch, on Web Workers). Nothing is decrypted here.

import {
  CryptoError, checkBoard, checkClosing, checkElectionBoardBatch, electionShape, loadManifest, parseJson, verifyManifestKeys,
} from "../crypto/index.js";
import { msg } from "./common.js";

/**
 * Check a published board. `manifestText` / `boardText`: the API's answers as JSON text (read
 * strictly); `fingerprint`: the one the page shows. Returns {count, closingHash (null while
 * open), election}; throws the crypto library's CryptoError.
 */
export async function checkPublicBoard(manifestText, boardText, fingerprint, { onProgress, workers } = {}) {
  const published = parseJson(manifestText);
  if (published.fingerprint !== fingerprint) throw new CryptoError("bad_fingerprint", "the API's fingerprint differs from the page's");
  const ctx = await loadManifest(published.manifest, fingerprint);
  await verifyManifestKeys(published.manifest);
  const board = parseJson(boardText);
  if (board.fingerprint !== fingerprint) throw new CryptoError("bad_fingerprint", "the board belongs to another vote");
  const election = !!published.manifest.rules?.election;
  const checked = election
    ? await checkElectionBoardBatch(ctx, electionShape(published.manifest), board, { onProgress, workers })
    : await checkBoard(ctx, board, { onProgress, workers });
  const closingHash = board.closing ? await checkClosing(ctx, checked, board.closing) : null;
  return { count: checked.count, closingHash, election };
}

/** What the page says about a finished check: {message, tone}. */
export function checkOutcome({ result, error }) {
  if (result) {
    const key = result.closingHash ? "checkClosed" : "checkOpen";
    return { message: msg(key, { n: result.count }), tone: "ok" };
  }
  if (error?.code === "bad_board") return { message: msg("checkBadEntry", { n: error.entry ?? "?" }), tone: "error" };
  if (error?.offline) return { message: msg("checkOffline"), tone: "error" };
  const known = ["bad_fingerprint", "bad_closing", "bad_manifest", "bad_aggregate", "bad_json"];
  if (known.includes(error?.code)) return { message: msg(`check_${error.code}`), tone: "error" };
  return { message: msg("checkFailed", { code: error?.code || "?" }), tone: "error" };
}
