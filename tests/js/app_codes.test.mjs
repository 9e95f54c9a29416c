// The booth's ballot-code check (ballot/static/js/app/common.js) against codes made by
// ballot/voting/codes.py: the tablet must accept every good code, in any spelling the slip
// allows, and refuse a mistyped one before anything is sent.
import test from "node:test";
import assert from "node:assert/strict";

const common = await import(new URL("../../ballot/static/js/app/common.js", import.meta.url).href);

// Made by ballot.voting.codes.new_code(); every check symbol family is present (digits,
// letters, and the five extra symbols * ~ $ = U of Crockford's check alphabet).
const PYTHON_CODES = [
  "P5V2-3R59-QFBG-M*", "N5E9-023P-5JRE-Y~", "B1HQ-FGJ7-QNZW-K2", "22HR-HTRZ-Q3DA-J8",
  "0QAS-0ZT1-5ZJH-6W", "G60A-TYFC-RD89-CU", "V38W-9BNH-C4Q2-F$", "QGQD-A3ZR-1DD2-K=",
];

test("every code from codes.py is accepted and normalised like Python does", () => {
  for (const code of PYTHON_CODES) {
    assert.equal(common.normaliseCode(code), code.replaceAll("-", ""), code);
  }
});

test("case, spaces, dashes and Crockford's aliases are ignored", () => {
  assert.equal(common.normaliseCode(" b1hq fgj7-qnzw k2 "), "B1HQFGJ7QNZWK2");
  assert.equal(common.normaliseCode("0qas\t0zt1 5zjh 6w"), "0QAS0ZT15ZJH6W");
  // O is read as 0, I and L as 1 (as codes.py does)
  assert.equal(common.normaliseCode("OQAS-OZTI-5ZJH-6W"), "0QAS0ZT15ZJH6W");
  assert.equal(common.normaliseCode("B1HQ-FGJ7-QNZW-K2".replace("1", "l")), "B1HQFGJ7QNZWK2");
});

test("a mistyped code is refused: any single changed symbol, a swap, a wrong length", () => {
  const alphabet = common.CODE_ALPHABET;
  for (const code of PYTHON_CODES) {
    const raw = code.replaceAll("-", "");
    for (let i = 0; i < raw.length - 1; i++) {
      for (const ch of alphabet) {
        if (ch === raw[i]) continue;
        const typo = raw.slice(0, i) + ch + raw.slice(i + 1);
        assert.equal(common.normaliseCode(typo), null, `${typo} (symbol ${i + 1} changed)`);
      }
    }
    for (let i = 0; i < raw.length - 2; i++) {
      if (raw[i] === raw[i + 1]) continue;
      const swapped = raw.slice(0, i) + raw[i + 1] + raw[i] + raw.slice(i + 2);
      assert.equal(common.normaliseCode(swapped), null, `${swapped} (swap at ${i + 1})`);
    }
    assert.equal(common.normaliseCode(raw.slice(0, -1)), null);
    assert.equal(common.normaliseCode(raw + "0"), null);
  }
  assert.equal(common.normaliseCode(""), null);
  assert.equal(common.normaliseCode("U5V2-3R59-QFBG-M*"), null, "U is a check symbol only");
  assert.equal(common.normaliseCode("P5V2-3R59-QFBG-M_"), null, "not a symbol");
});

test("the input is grouped as on the slip while typing", () => {
  assert.equal(common.formatCode("p5v23"), "P5V2-3");
  assert.equal(common.formatCode("p5v2-3r59qfbgm*"), "P5V2-3R59-QFBG-M*");
  assert.equal(common.formatCode("P5V2 3R59 QFBG M* extra"), "P5V2-3R59-QFBG-M*");
  assert.equal(common.formatCode(""), "");
});

// Receipts on the public board (ballot/static/js/app/board.js), read as Crockford base32 reads
// them, like ballot/web/booth.py does on the server.
const board = await import(new URL("../../ballot/static/js/app/board.js", import.meta.url).href);

test("a receipt is found however it is typed: case, dashes, spaces, O for 0, I and L for 1", () => {
  for (const typed of ["8BR9-36YK", "8br936yk", " 8br9 36yk ", "8BR9-36YK\n"]) {
    assert.equal(common.normaliseReceipt(typed), "8BR9-36YK", typed);
  }
  assert.equal(common.normaliseReceipt("OIL0-1ilo"), "0110-1110");
  assert.equal(common.normaliseReceipt("vczt zf7h"), "VCZT-ZF7H");
  assert.equal(board.receiptQuery("o0o0 l1i1"), "0000-1111");
  assert.equal(board.receiptQuery("6d51ca38190d825b"), "6D51CA38190D825B", "a tracker prefix");
});

test("a text that cannot be a receipt is refused before it is looked up", () => {
  for (const typed of ["", "8BR9-36Y", "8BR9-36YKX", "8BR9-36YU", "8BR9*36YK", "ABCD-EFG#"]) {
    assert.equal(common.normaliseReceipt(typed), null, typed);
  }
  assert.equal(board.receiptQuery("6d51ca3"), null, "seven hex digits are too few");
  assert.equal(board.receiptQuery("zzzzzzzzz"), null, "nine symbols, not hex");
});

test("the receipt field groups what is typed as the booth shows it", () => {
  assert.equal(common.formatReceipt("8br9"), "8BR9");
  assert.equal(common.formatReceipt("8br93"), "8BR9-3");
  assert.equal(common.formatReceipt("8br9 36yk"), "8BR9-36YK");
  assert.equal(common.formatReceipt("6d51ca38190d"), "6D51CA38190D", "a tracker is kept whole");
});
