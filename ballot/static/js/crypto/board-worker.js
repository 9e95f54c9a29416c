// A module Web Worker that checks board ballots for board.js (checkBoard with workers > 1),
// so a trustee's device uses all its cores and the page stays responsive. Messages:
//   in  {type: "init", manifest, fp}            → out {type: "ready"} or {type: "error"}
//   in  {type: "check", start, ballots: [...]}  → out {type: "done", start,
//        results: [{tracker, points} | {error: {code, message}}], sum: aggregate JSON}
// The worker only verifies; board order, chain and duplicates stay with the caller.

import { fromHex } from "./bytes.js";
import { verifyBallot } from "./ballot.js";
import { aggregateBallots, aggregateToJson } from "./board.js";
import { contextFromManifest } from "./manifest.js";

let ctx = null;

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      ctx = contextFromManifest(data.manifest, fromHex(data.fp, 32));
      self.postMessage({ type: "ready" });
    } catch (e) {
      self.postMessage({ type: "error", message: String(e && e.message) });
    }
    return;
  }
  if (data.type === "check") {
    const results = [];
    const rows = [];
    for (const ballot of data.ballots) {
      try {
        const checked = await verifyBallot(ctx, ballot);
        results.push({ tracker: checked.tracker, points: checked.points });
        rows.push(checked.rows);
      } catch (e) {
        results.push({ error: { code: e && e.code ? e.code : "internal", message: String(e && e.message) } });
      }
    }
    self.postMessage({ type: "done", start: data.start, results, sum: aggregateToJson(aggregateBallots(ctx, rows)) });
  }
};
