// Public API of the browser crypto (see README.md in this folder). Pages import from here
// only; the other modules are internal and may be reorganised.

export { CROCKFORD, CryptoError, crockfordValue, fromHex, subtle, toHex } from "./bytes.js";
export { loadManifest, contextFromManifest } from "./manifest.js";
export { encryptBallot, verifyBallot, ballotTracker, shortCode, canonicalBallotBytes } from "./ballot.js";
export { checkBoard, checkClosing, chainHash, closingHash } from "./board.js";
export { openKeyFile, sealKeyFile, parseKeyFile, cardText, parseCard } from "./keyfile.js";
export {
  partialDecrypt, decryptionShare, verifyDecryptionShare, combineShares, aggregateToJson, lagrangeAtZero,
} from "./trustee.js";
export {
  BadDealer, ceremonyId, startMember, checkCommit, checkCommits, dealShares, openShare, finishMember,
  makeComplaint, judgeComplaint, verifyManifestKeys, publicKeys, exportSecret, importSecret,
  minimumThreshold, thresholdAllowed,
} from "./dkg.js";
export { parseJson } from "./json.js";
export { canonicalJson, fingerprint } from "./hash.js";
export { randomScalar } from "./scalar.js";
export { encryptElectionBallot, verifyElectionBallot, electionShape, rangeWeights } from "./election.js";
export { checkElectionBoard } from "./election-board.js";
export { checkElectionBoardBatch, multiScalarMul } from "./election-batch.js";
