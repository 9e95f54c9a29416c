// The booth's ballot-code check (ballot/static/js/app/common.js) against codes made by
// ballot/voting/codes.py: the tablet must accept every good code, in any spelling the slip
// allows, and refuse a mistyped one before anything is sent.
import test from "node:test";
import assert from "node:assert/strict";

const booth = await import(new URL("../../ballot/static/js/app/common.js", import.meta.url).href);

// Made by ballot.voting.codes.new_code(); every check symbol family is present (digits,
// letters, and the five extra symbols * ~ $ = U of Crockford's check alphabet).
const PYTHON_CODES = [
  "P5V2-3R59-QFBG-M*", "N5E9-023P-5JRE-Y~", "B1HQ-FGJ7-QNZW-K2", "22HR-HTRZ-Q3DA-J8",
  "0QAS-0ZT1-5ZJH-6W", "G60A-TYFC-RD89-CU", "V38W-9BNH-C4Q2-F$", "QGQD-A3ZR-1DD2-K=",
];

test("every code from codes.py is accepted and normalised like Python does", () => {
  for (const code of PYTHON_CODES) {
    assert.equal(booth.normaliseCode(code), code.replaceAll("-", ""), code);
  }
});

test("case, spaces, dashes and Crockford's aliases are ignored", () => {
  assert.equal(booth.normaliseCode(" b1hq fgj7-qnzw k2 "), "B1HQFGJ7QNZWK2");
  assert.equal(booth.normaliseCode("0qas\t0zt1 5zjh 6w"), "0QAS0ZT15ZJH6W");
  // O is read as 0, I and L as 1 (as codes.py does)
  assert.equal(booth.normaliseCode("OQAS-OZTI-5ZJH-6W"), "0QAS0ZT15ZJH6W");
  assert.equal(booth.normaliseCode("B1HQ-FGJ7-QNZW-K2".replace("1", "l")), "B1HQFGJ7QNZWK2");
});

test("a mistyped code is refused: any single changed symbol, a swap, a wrong length", () => {
  const alphabet = booth.CODE_ALPHABET;
  for (const code of PYTHON_CODES) {
    const raw = code.replaceAll("-", "");
    for (let i = 0; i < raw.length - 1; i++) {
      for (const ch of alphabet) {
        if (ch === raw[i]) continue;
        const typo = raw.slice(0, i) + ch + raw.slice(i + 1);
        assert.equal(booth.normaliseCode(typo), null, `${typo} (symbol ${i + 1} changed)`);
      }
    }
    for (let i = 0; i < raw.length - 2; i++) {
      if (raw[i] === raw[i + 1]) continue;
      const swapped = raw.slice(0, i) + raw[i + 1] + raw[i] + raw.slice(i + 2);
      assert.equal(booth.normaliseCode(swapped), null, `${swapped} (swap at ${i + 1})`);
    }
    assert.equal(booth.normaliseCode(raw.slice(0, -1)), null);
    assert.equal(booth.normaliseCode(raw + "0"), null);
  }
  assert.equal(booth.normaliseCode(""), null);
  assert.equal(booth.normaliseCode("U5V2-3R59-QFBG-M*"), null, "U is a check symbol only");
  assert.equal(booth.normaliseCode("P5V2-3R59-QFBG-M_"), null, "not a symbol");
});

test("the input is grouped as on the slip while typing", () => {
  assert.equal(booth.formatCode("p5v23"), "P5V2-3");
  assert.equal(booth.formatCode("p5v2-3r59qfbgm*"), "P5V2-3R59-QFBG-M*");
  assert.equal(booth.formatCode("P5V2 3R59 QFBG M* extra"), "P5V2-3R59-QFBG-M*");
  assert.equal(booth.formatCode(""), "");
});
