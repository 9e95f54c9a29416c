// tests/vectors/election.json (protocol §10): election ballots byte for byte from the listed
// randomness, verification, and the refusals (count out of range, tampering).
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, replay, hexOf } from "./helpers.mjs";

const { bareContext } = await import(CRYPTO + "manifest.js");
const e = await import(CRYPTO + "election.js");
const EV = vector("election.json");

const contextOf = (c) => bareContext({ fp: EV.fp, key: EV.K, subjects: c.candidates, levels: 1 });
const shapeOf = (c) => e.shape(c.candidates, c.seats, c.min_kept);
const drawsOf = (c) => c.draws.flatMap((d) => (d.for === "sum" ? [d.w] : [d.r, d.w, d.c_sim, d.z_sim]));

test("election ballots reproduce byte for byte", async () => {
  assert.equal(EV.cases.length, 3);
  for (const c of EV.cases) {
    const ctx = contextOf(c);
    const sh = shapeOf(c);
    assert.deepEqual(sh.weights, c.weights);
    const rand = await replay(drawsOf(c));
    const out = await e.encryptElectionBallot(ctx, sh, c.kept, rand);
    rand.assertAllUsed();
    assert.deepEqual(out.ballot, c.ballot, c.name);
    assert.equal(hexOf(out.bytes), c.canonical_hex);
    assert.equal(out.tracker, c.tracker);
    assert.equal(out.shortCode, c.short_code);
    const checked = await e.verifyElectionBallot(ctx, sh, c.ballot);
    assert.equal(checked.tracker, c.tracker);
  }
});

test("range weights cover exactly [0, r]", () => {
  for (let r = 0; r < 70; r++) {
    const w = e.rangeWeights(r);
    const sums = new Set([0]);
    for (const x of w) for (const s of [...sums]) sums.add(s + x);
    assert.equal(sums.size, r + 1);
    assert.equal(Math.max(...sums), r);
  }
  assert.deepEqual(e.rangeWeights(32), [1, 2, 4, 8, 16, 1]);
});

test("the booth refuses a count outside [m0, S] and the verifier refuses tampering", async () => {
  const c = EV.cases[0];
  const ctx = contextOf(c);
  const sh = shapeOf(c);
  await assert.rejects(e.encryptElectionBallot(ctx, sh, [true, true, true, true]), { code: "bad_count" });
  await assert.rejects(e.encryptElectionBallot(ctx, sh, [false, false, false, false]), { code: "bad_count" });
  const fresh = await e.encryptElectionBallot(ctx, sh, [true, true, false, true]);
  await e.verifyElectionBallot(ctx, sh, fresh.ballot);
  const tamper = [
    (b) => { b.cts[1].proof[4] = b.cts[1].proof[5]; },
    (b) => { b.range.proof[2] = b.range.proof[2].replace(/^./, (d) => (d === "0" ? "1" : "0")); },
    (b) => { b.cts[0].b = b.cts[1].b; },
    (b) => { b.range.bits[0].proof[0] = b.range.bits[0].proof[1]; },
    (b) => { b.extra = 1; },
  ];
  for (const change of tamper) {
    const b = structuredClone(c.ballot);
    change(b);
    await assert.rejects(e.verifyElectionBallot(ctx, sh, b));
  }
});

test("the member's device checks the vector's election board and gets the record's aggregate", async () => {
  const { contextFromManifest } = await import(CRYPTO + "manifest.js");
  const { fingerprint } = await import(CRYPTO + "hash.js");
  const eb = await import(CRYPTO + "election-board.js");
  const record = EV.record;
  const ctx = contextFromManifest(record.manifest, await fingerprint(record.manifest));
  const sh = e.electionShape(record.manifest);
  let progress = 0;
  const out = await eb.checkElectionBoard(ctx, sh, record.board, { onProgress: (n) => (progress = n) });
  assert.equal(progress, 3);
  assert.equal(out.count, 3);
  assert.equal(out.head, record.closing.head);
  assert.deepEqual(eb.aggregateToJson(out.aggregate), record.aggregate);
  const swapped = structuredClone(record.board);
  [swapped[0].ballot, swapped[1].ballot] = [swapped[1].ballot, swapped[0].ballot];
  await assert.rejects(eb.checkElectionBoard(ctx, sh, swapped), { code: "bad_board" });
  const forged = structuredClone(record.board);
  forged[2].ballot.cts[0].proof[6] = forged[2].ballot.cts[0].proof[5];
  await assert.rejects(eb.checkElectionBoard(ctx, sh, forged), (err) => err.entry === 3);
});

test("the batch board check (§10.10) agrees with the ballot-by-ballot check and names a forged entry", async () => {
  const { contextFromManifest } = await import(CRYPTO + "manifest.js");
  const { fingerprint } = await import(CRYPTO + "hash.js");
  const { mulBase } = await import(CRYPTO + "group.js");
  const eb = await import(CRYPTO + "election-batch.js");
  const record = EV.record;
  const ctx = contextFromManifest(record.manifest, await fingerprint(record.manifest));
  const sh = e.electionShape(record.manifest);
  const out = await eb.checkElectionBoardBatch(ctx, sh, record.board);
  assert.equal(out.head, record.closing.head);
  assert.deepEqual(eb.aggregateToJson(out.aggregate), record.aggregate);
  const forged = structuredClone(record.board);
  forged[1].ballot.range.proof[2] = forged[1].ballot.cts[0].proof[6];
  await assert.rejects(eb.checkElectionBoardBatch(ctx, sh, forged), (err) => err.entry === 2);
  const small = structuredClone(record.board);
  small[0].ballot.cts[0].proof[0] = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05";
  await assert.rejects(eb.checkElectionBoardBatch(ctx, sh, small), { code: "bad_board" });
  // the multi-scalar multiplication itself
  const pts = [1n, 2n, 3n, 4n, 5n].map((k) => mulBase(k));
  const ks = [7n, 2n ** 200n + 9n, 0n, 123456789n, 2n ** 127n];
  let want = mulBase(0n);
  pts.forEach((p, i) => { want = want.add(p.mul(ks[i])); });
  assert.ok(eb.multiScalarMul(pts, ks).equals(want));
  const many = Array.from({ length: 3000 }, (_, i) => mulBase(BigInt(i + 1)));
  const ws = many.map((_, i) => BigInt(i * 7919 + 1) ** 9n % (2n ** 252n));
  const expect = mulBase(ws.reduce((acc, w, i) => (acc + w * BigInt(i + 1)) % (2n ** 252n + 27742317777372353535851937790883648493n), 0n));
  assert.ok(eb.multiScalarMul(many, ws).equals(expect));
});
