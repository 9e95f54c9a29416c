// A whole election through the public API only (index.js): the members' key ceremony and
// key files, a manifest, the booth encrypting ballots, the board and its closing, each
// member's device checking the board and decrypting, and the combined counts.
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, hexOf } from "./helpers.mjs";
import { ceremony } from "./election_helpers.mjs";

const api = await import(CRYPTO + "index.js");

async function election({ blankRowAllowed = true } = {}) {
  const names = ["Trần Thị Kim Phượng", "Lữ Công Tạo", "Nguyễn Văn Tám"];
  const voteId = "JS-E2E-1";
  const { cid, commits, finished } = await ceremony(voteId, names, 2);
  const manifest = {
    version: 1, vote_id: voteId, title: "Lấy phiếu tín nhiệm", conference: "Hội nghị",
    subjects: [{ name: "A", position: "Bí thư" }, { name: "B", position: "Phó Bí thư" }],
    levels: [{ code: "high", label: "Tín nhiệm cao" }, { code: "mid", label: "Tín nhiệm" }, { code: "low", label: "Tín nhiệm thấp" }],
    rules: { quorum: [2, 3], thresholds: { review: [1, 2] }, blank_row_allowed: blankRowAllowed },
    trustees: names.map((name, i) => ({ index: i + 1, name })),
    threshold: 2,
    dkg: { ceremony_id: hexOf(cid), dealers: commits.map((m) => ({ index: m.from, ceremony_key: m.ceremony_key, commitments: m.commitments, pok: m.pok })) },
    public_key: finished[0].message.public_key,
    verification_keys: finished.map((f) => f.message.verification_key),
  };
  const fp = hexOf(await api.fingerprint(manifest));
  return { manifest, fp, finished, voteId };
}

async function castAll(ctx, votes) {
  const entries = [];
  let head = ctx.fp;
  for (const [i, choices] of votes.entries()) {
    const { ballot, tracker, shortCode } = await api.encryptBallot(ctx, choices);
    assert.match(shortCode, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    head = await api.chainHash(head, tracker, i + 1);
    entries.push({ seq: i + 1, tracker, short_code: shortCode, chain: hexOf(head), ballot });
  }
  const attendance = { summoned: 5, present: 4, issued: 4 };
  const closing = { count: entries.length, head: hexOf(head), hash: hexOf(await api.closingHash(head, entries.length, attendance)), attendance };
  return { entries, closing };
}

test("an election end to end through the public API", async () => {
  const { manifest, fp, finished, voteId } = await election();
  const ctx = await api.loadManifest(JSON.stringify(manifest), fp);
  const votes = [[0, 1], [0, null], [2, 1]];
  const board = await castAll(ctx, votes);
  // Members 1 and 3 open their key files and decrypt on their own devices.
  const shares = [];
  for (const x of [3, 1]) {
    const file = await api.sealKeyFile(finished[x - 1].key, voteId, `mật khẩu ${x}`, { logN: 16 });
    const key = await api.openKeyFile(JSON.stringify(file), `mật khẩu ${x}`);
    const progress = [];
    // The board as the page fetched it: JSON text, parsed strictly inside.
    const out = await api.partialDecrypt(ctx, JSON.stringify(board), key, { onProgress: (d, t) => progress.push([d, t]), closingHash: board.closing.hash });
    assert.deepEqual(progress.at(-1), [3, 3]);
    assert.equal(out.count, 3);
    shares.push(await api.verifyDecryptionShare(ctx, out.aggregate, JSON.parse(JSON.stringify(out.share))));
    if (x === 1) {
      const { counts } = api.combineShares(ctx, out.aggregate, shares, 3);
      assert.deepEqual(counts, [[2, 0, 1], [0, 2, 0]]);
    }
  }
});

test("a member's device refuses to decrypt a board that is not the announced one", async () => {
  const { manifest, fp, finished } = await election({ blankRowAllowed: false });
  const ctx = await api.loadManifest(manifest, fp);
  const board = await castAll(ctx, [[0, 1], [1, 2]]);
  const key = finished[1].key;
  const refuse = async (b, opts, code, why) => assert.rejects(api.partialDecrypt(ctx, b, key, opts), (e) => e.code === code, why);
  await refuse({ entries: board.entries }, {}, "bad_closing", "not closed");
  await refuse(board, { closingHash: "00".repeat(32) }, "bad_closing", "other announced hash");
  await refuse({ entries: board.entries.slice(0, 1), closing: board.closing }, {}, "bad_closing", "a ballot dropped");
  const extra = await castAll(ctx, [[0, 0]]);
  await refuse({ entries: [...board.entries, { ...extra.entries[0], seq: 3 }], closing: board.closing }, {}, "bad_board", "a ballot slipped in");
  const lowQuorum = structuredClone(board);
  lowQuorum.closing.attendance = { summoned: 9, present: 4, issued: 4 };
  await refuse(lowQuorum, {}, "bad_closing", "quorum");
  // Another member's key, or a key of another ceremony, does not fit.
  await assert.rejects(api.partialDecrypt(ctx, board, { ...key, index: 1 }), (e) => e.code === "wrong_key");
  await assert.rejects(api.partialDecrypt(ctx, board, { ...key, ceremonyId: "00".repeat(32) }), (e) => e.code === "wrong_key");
  // The honest board decrypts.
  const out = await api.partialDecrypt(ctx, board, key);
  assert.equal(out.share.index, 2);
});

test("a member's device reads the board strictly: forged duplicates and 1.0 are refused", async () => {
  const { manifest, fp, finished } = await election();
  const ctx = await api.loadManifest(JSON.stringify(manifest), fp);
  const board = await castAll(ctx, [[0, 1], [1, 2]]);
  const key = finished[0].key;
  const text = JSON.stringify(board);
  const refuse = (t, why) => assert.rejects(api.partialDecrypt(ctx, t, key), (e) => e.code === "bad_json", why);
  // A count of 999 first and the right one last: JSON.parse would keep the right one.
  const count999 = text.replace('"closing":{"count":2', '"closing":{"count":999,"count":2');
  assert.notEqual(count999, text);
  assert.deepEqual(JSON.parse(count999), JSON.parse(text));
  await refuse(count999, "duplicate count");
  await refuse(text.replace('"seq":1,', '"seq":1.0,'), "1.0 for seq");
  await refuse(text.replace('"summoned":5', '"summoned":9007199254740993'), "big integer");
  // true for an integer is read as true, and refused by the checks that follow.
  const asTrue = structuredClone(board);
  asTrue.entries[0].seq = true;
  await assert.rejects(api.partialDecrypt(ctx, JSON.stringify(asTrue), key), (e) => e.code === "bad_board");
  const countTrue = structuredClone(board);
  countTrue.closing.count = true;
  await assert.rejects(api.partialDecrypt(ctx, JSON.stringify(countTrue), key), (e) => e.code === "bad_closing");
  assert.equal((await api.partialDecrypt(ctx, text, key)).share.index, 1);
});
