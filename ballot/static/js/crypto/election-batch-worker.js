// A module Web Worker for election-batch.js: checks the proofs of a contiguous part of an
// election board with its own weights (protocol §10.10). Messages:
//   in  {type: "init", manifest, fp}  → out {type: "ready"} or {type: "error"}
//   in  {type: "check", ballots}      → out {type: "progress"} per ballot, then
//       {type: "done", holds, sums: [{a, b} hex] × C} or {type: "done", error: {index, message}}

import { fromHex } from "./bytes.js";
import { aggregateToJson } from "./board.js";
import { batchBallots } from "./election-batch.js";
import { electionShape } from "./election.js";
import { contextFromManifest } from "./manifest.js";

let ctx = null;
let sh = null;

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      ctx = contextFromManifest(data.manifest, fromHex(data.fp, 32));
      sh = electionShape(data.manifest);
      self.postMessage({ type: "ready" });
    } catch (e) {
      self.postMessage({ type: "error", message: String(e && e.message) });
    }
    return;
  }
  if (data.type === "check") {
    try {
      const { holds, sums } = await batchBallots(ctx, sh, data.ballots, () => self.postMessage({ type: "progress" }));
      self.postMessage({ type: "done", holds, sums: aggregateToJson(sums.map((s) => [s])).map((row) => row[0]) });
    } catch (e) {
      self.postMessage({ type: "done", error: { index: e && e.index !== undefined ? e.index : 0, message: String(e && e.message) } });
    }
  }
};
