// tests/vectors/ballot_2x3.json and board.json: whole ballots byte for byte from the
// listed randomness, tracker, short code, board chain and closing hash; the verifier's
// refusals (tampering, wrong election, repeated points, bad shape).
import test from "node:test";
import assert from "node:assert/strict";
import { CRYPTO, vector, replay, hexOf } from "./helpers.mjs";

const { bareContext } = await import(CRYPTO + "manifest.js");
const b = await import(CRYPTO + "ballot.js");
const board = await import(CRYPTO + "board.js");
const { mulBase } = await import(CRYPTO + "group.js");
const { randomScalar } = await import(CRYPTO + "scalar.js");
const BV = vector("ballot_2x3.json");
const CV = vector("board.json");

const contextOf = (v) => bareContext({ fp: v.fp, key: v.K, subjects: 2, levels: 3, blankRowAllowed: v.blank_row_allowed });

function drawsOf(v) {
  const out = [];
  for (const row of v.randomness) {
    for (const cell of row.cells) out.push(cell.r, cell.w, cell.c_sim, cell.z_sim);
    const rp = row.row_proof;
    out.push(rp.w, ...(rp.c_sim ? [rp.c_sim, rp.z_sim] : []));
  }
  return out;
}

test("whole 2×3 ballots reproduce byte for byte (row and row1)", async () => {
  assert.deepEqual(BV.ballots.map((v) => v.blank_row_allowed).sort(), [false, true]);
  for (const v of BV.ballots) {
    const ctx = contextOf(v);
    const rand = await replay(drawsOf(v));
    const out = await b.encryptBallot(ctx, v.choices, rand);
    rand.assertAllUsed();
    assert.deepEqual(out.ballot, v.ballot);
    assert.equal(hexOf(out.bytes), v.canonical_hex);
    assert.equal(out.tracker, v.tracker);
    assert.equal(out.shortCode, v.short_code);
    const checked = await b.verifyBallot(ctx, v.ballot);
    assert.equal(checked.tracker, v.tracker);
  }
});

test("short codes", () => {
  for (const c of CV.short_codes) assert.equal(b.shortCode(c.tracker), c.short_code);
});

test("board chain and closing hash", async () => {
  let head = CV.fp;
  for (const e of CV.entries) {
    head = hexOf(await board.chainHash(head, e.tracker, e.seq));
    assert.equal(head, e.chain);
  }
  assert.equal(head, CV.closing.head);
  assert.equal(hexOf(await board.closingHash(head, CV.closing.count, CV.attendance)), CV.closing.hash);
});

const blankAllowed = BV.ballots.find((v) => v.blank_row_allowed);
const exactlyOne = BV.ballots.find((v) => !v.blank_row_allowed);

async function rejects(ctx, ballot, code, why) {
  await assert.rejects(b.verifyBallot(ctx, ballot), (e) => e.code === code, why);
}

test("tampered ballots are refused with a stable code", async () => {
  const ctx = contextOf(blankAllowed);
  const base = blankAllowed.ballot;
  const edit = (f) => {
    const x = structuredClone(base);
    f(x);
    return x;
  };
  await rejects(ctx, edit((x) => { x.rows[0].cts[1].proof[2] = x.rows[0].cts[1].proof[0]; }), "bad_proof", "bit proof scalar");
  await rejects(ctx, edit((x) => { x.rows[1].row_proof[1] = x.rows[1].row_proof[3]; }), "bad_proof", "row proof scalar");
  // Swapping two cells of a row keeps every point valid but breaks the bound context.
  await rejects(ctx, edit((x) => { [x.rows[0].cts[0], x.rows[0].cts[1]] = [x.rows[0].cts[1], x.rows[0].cts[0]]; }), "bad_proof", "swapped cells");
  await rejects(ctx, edit((x) => { x.rows[0].cts[0].a = "01" + "00".repeat(31); }), "bad_point", "identity point");
  await rejects(ctx, edit((x) => { x.rows[0].cts[0].b = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"; }), "bad_point", "small order");
  await rejects(ctx, edit((x) => { x.rows[0].cts[0].a = x.rows[0].cts[0].a.toUpperCase(); }), "bad_point", "uppercase hex");
  await rejects(ctx, edit((x) => { x.rows[0].cts[0].proof[0] = "ed" + "d3f55c1a631258d69cf7a2def9de14" + "00".repeat(15) + "10"; }), "bad_scalar", "scalar = L");
  await rejects(ctx, edit((x) => { x.fingerprint = "00".repeat(32); }), "wrong_election", "fingerprint");
  await rejects(ctx, edit((x) => { x.extra = 1; }), "bad_ballot", "extra key");
  await rejects(ctx, edit((x) => { x.rows.pop(); }), "bad_ballot", "missing row");
  await rejects(ctx, edit((x) => { x.rows[0].cts.push(x.rows[0].cts[0]); }), "bad_ballot", "extra cell");
  await rejects(ctx, edit((x) => { x.rows[0].row_proof = x.rows[0].row_proof.slice(0, 2); }), "bad_ballot", "row1-sized proof in a row vote");
  // Repeating a cell inside one ballot (copy within itself) is refused before proofs matter.
  await rejects(ctx, edit((x) => { x.rows[1].cts[0] = structuredClone(x.rows[0].cts[0]); }), "bad_ballot", "repeated point");
  // Under the other rule set ("row1": 2-scalar row proofs) the shape is already wrong.
  await rejects(contextOf(exactlyOne), base, "bad_ballot", "other rule set");
  await rejects(bareContext({ fp: "22".repeat(32), key: blankAllowed.K, subjects: 2, levels: 3 }), base, "wrong_election", "other election");
});

test("encryptBallot validates choices", async () => {
  const ctxRow = contextOf(blankAllowed);
  const ctxRow1 = contextOf(exactlyOne);
  await assert.rejects(b.encryptBallot(ctxRow, [0]), (e) => e.code === "bad_choices");
  await assert.rejects(b.encryptBallot(ctxRow, [0, 3]), (e) => e.code === "bad_choices");
  await assert.rejects(b.encryptBallot(ctxRow, [0, "1"]), (e) => e.code === "bad_choices");
  await assert.rejects(b.encryptBallot(ctxRow1, [0, null]), (e) => e.code === "blank_row_not_allowed");
  const out = await b.encryptBallot(ctxRow, [null, null]);
  assert.equal((await b.verifyBallot(ctxRow, out.ballot)).tracker, out.tracker);
});

test("a random key: encrypt, verify, board of fresh ballots, aggregate counts", async () => {
  const secret = randomScalar();
  const ctx = bareContext({ fp: "11".repeat(32), key: mulBase(secret).toHex(), subjects: 3, levels: 3, blankRowAllowed: true });
  const choices = [[0, 1, null], [2, 1, 0], [0, null, 0]];
  const entries = [];
  let head = ctx.fp;
  for (const [n, c] of choices.entries()) {
    const out = await b.encryptBallot(ctx, c);
    head = await board.chainHash(head, out.tracker, n + 1);
    entries.push({ seq: n + 1, tracker: out.tracker, chain: hexOf(head), ballot: out.ballot });
  }
  const checked = await board.checkBoard(ctx, { entries });
  assert.equal(checked.count, 3);
  assert.equal(checked.head, hexOf(head));
  // Decrypt with the whole secret: b − s·a = count·B.
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < 3; k++) {
      const count = choices.filter((c) => c[i] === k).length;
      const { a, b: bb } = checked.aggregate[i][k];
      assert.ok(bb.sub(a.mul(secret)).equals(count === 0 ? a.sub(a) : mulBase(BigInt(count))), `cell ${i},${k}`);
    }
  }
  // The board's own checks: order, tracker, chain, copies.
  const bad = async (mutate, why) => {
    const e2 = structuredClone(entries);
    mutate(e2);
    await assert.rejects(board.checkBoard(ctx, e2), (e) => e.code === "bad_board", why);
  };
  await bad((e) => { e[1].seq = 3; }, "seq");
  await bad((e) => { e[1].tracker = e[0].tracker; }, "tracker");
  await bad((e) => { e[2].chain = e[1].chain; }, "chain");
  await bad((e) => { [e[0], e[1]] = [e[1], e[0]]; e[0].seq = 1; e[1].seq = 2; }, "reordered");
  await bad((e) => { e.push({ ...structuredClone(e[0]), seq: 4 }); }, "copied ballot");
  const err = await board.checkBoard(ctx, [entries[0], { ...entries[1], ballot: { ...entries[1].ballot, fingerprint: "00".repeat(32) } }]).catch((e) => e);
  assert.equal(err.entry, 2);
  assert.equal(err.cause.code, "wrong_election");
});
