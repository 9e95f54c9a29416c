// An election as the JavaScript tests need it, through the public crypto API: a key
// ceremony of three members (threshold 2), an election manifest (rules.election as
// ElectionRules.as_manifest writes it), and a closed board of booth-encrypted ballots.
import { CRYPTO, hexOf } from "./helpers.mjs";

const api = await import(CRYPTO + "index.js");

export async function ceremony(voteId, names, t) {
  const cid = await api.ceremonyId(voteId, t, names);
  const n = names.length;
  const started = [];
  for (let x = 1; x <= n; x++) started.push(await api.startMember(cid, x, t, n));
  const commits = await api.checkCommits(cid, t, n, started.map((s) => s.message));
  const mailbox = [];
  for (const { secret } of started) mailbox.push(...(await api.dealShares(secret, commits)));
  const finished = [];
  for (const { secret } of started) finished.push(await api.finishMember(secret, commits, mailbox));
  return { cid, commits: started.map((s) => s.message), finished };
}

/** An election of `seats` of `candidates`; with `confidence`, a confidence vote's manifest instead. */
export async function electionOf(candidates, seats, { confidence = false } = {}) {
  const names = ["Trần Thị Kim Phượng", "Lữ Công Tạo", "Nguyễn Văn Tám"];
  const voteId = "JS-ELECTION-COUNT";
  const { cid, commits, finished } = await ceremony(voteId, names, 2);
  const manifest = {
    version: 1, vote_id: voteId, title: "Bầu Ban Thường vụ", conference: "Hội nghị Ban Chấp hành",
    subjects: Array.from({ length: candidates }, (_, j) => ({ name: `Ứng cử viên ${j + 1}`, position: "Ủy viên" })),
    levels: [{ code: "keep", label: "Giữ lại" }],
    rules: {
      quorum: [2, 3], thresholds: { majority: [1, 2] }, blank_row_allowed: true,
      election: { regulation: "190-QĐ/TW", kind: "standing_committee", seats, candidates, min_kept: 1, with_surplus: true, majority_base: "convened", surplus_decision: "" },
    },
    trustees: names.map((name, i) => ({ index: i + 1, name })),
    threshold: 2,
    dkg: { ceremony_id: hexOf(cid), dealers: commits.map((x) => ({ index: x.from, ceremony_key: x.ceremony_key, commitments: x.commitments, pok: x.pok })) },
    public_key: finished[0].message.public_key,
    verification_keys: finished.map((f) => f.message.verification_key),
  };
  if (confidence) {
    manifest.levels = [{ code: "high", label: "Tín nhiệm cao" }, { code: "mid", label: "Tín nhiệm" }, { code: "low", label: "Tín nhiệm thấp" }];
    delete manifest.rules.election;
  }
  const fp = hexOf(await api.fingerprint(manifest));
  return { manifest, ctx: await api.loadManifest(manifest, fp), finished };
}

export async function castAll(ctx, manifest, votes) {
  const sh = manifest.rules.election ? api.electionShape(manifest) : null; // else levels per row
  const entries = [];
  let head = ctx.fp;
  for (const [i, kept] of votes.entries()) {
    const { ballot, tracker, shortCode } = sh ? await api.encryptElectionBallot(ctx, sh, kept) : await api.encryptBallot(ctx, kept);
    head = await api.chainHash(head, api.fromHex(tracker, 32), i + 1);
    entries.push({ seq: i + 1, tracker, short_code: shortCode, chain: hexOf(head), ballot });
  }
  const attendance = { summoned: 6, present: 5, issued: 5 };
  const closing = { count: entries.length, head: hexOf(head), hash: hexOf(await api.closingHash(head, entries.length, attendance)), attendance };
  return { state: "closed", entries, closing };
}

