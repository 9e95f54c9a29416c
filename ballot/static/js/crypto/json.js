// Strict JSON for protocol documents (records, manifests, boards, key files), the same rules
// as ballot/crypto/encoding.py parse_json: duplicate keys refused; numbers only as integers
// within ±(2^53 − 1) ("1.0", "1e0", "-0" refused); lone surrogates refused. JSON.parse would
// keep the last of two equal keys and read 1.0 as 1, so a record's bytes could say something
// other than what was checked.

import { CryptoError } from "./bytes.js";

const MAX_DEPTH = 512;
const bad = (why, at) => new CryptoError("bad_json", `${why} at offset ${at}`);
const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const INTEGER = /-?(?:0|[1-9][0-9]*)/y;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Parse JSON text strictly; throws CryptoError("bad_json"). Objects are plain objects whose
 * keys are own data properties (a "__proto__" key included); integers are numbers.
 */
export function parseJson(text) {
  if (typeof text !== "string") throw new CryptoError("bad_json", "JSON text expected");
  let pos = 0;
  const ws = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };
  const string = () => {
    pos++; // opening quote
    let out = "";
    for (;;) {
      PLAIN.lastIndex = pos;
      PLAIN.exec(text);
      out += text.slice(pos, PLAIN.lastIndex);
      pos = PLAIN.lastIndex;
      if (pos >= text.length) throw bad("unterminated string", pos);
      const c = text[pos];
      if (c === '"') {
        pos++;
        if (LONE.test(out)) throw bad("lone surrogate in a string", pos);
        return out;
      }
      if (c !== "\\") throw bad("control character in a string", pos);
      const e = text[pos + 1];
      if (e === "u") {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw bad("bad \\u escape", pos);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
        out += ESCAPES[e];
        pos += 2;
      } else {
        throw bad("bad escape", pos);
      }
    }
  };
  const number = () => {
    INTEGER.lastIndex = pos;
    const m = INTEGER.exec(text);
    if (!m) throw bad("bad number", pos);
    const end = INTEGER.lastIndex;
    const next = text[end];
    if (next === "." || next === "e" || next === "E") {
      throw bad("not an integer (no fractions or exponents)", pos);
    }
    if (m[0] === "-0") throw bad("-0 is not a canonical integer", pos);
    if (m[0].replace("-", "").length > 16 || !Number.isSafeInteger(Number(m[0]))) {
      throw bad("integer beyond ±(2^53 − 1)", pos);
    }
    pos = end;
    return Number(m[0]);
  };
  const literal = (word, value) => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    throw bad("unexpected character", pos);
  };
  const value = (depth) => {
    if (depth > MAX_DEPTH) throw bad("nested too deeply", pos);
    ws();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj = {};
      ws();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') throw bad("object key expected", pos);
        const at = pos;
        const key = string();
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          throw bad(`duplicate key ${JSON.stringify(key.slice(0, 40))}`, at);
        }
        ws();
        if (text[pos] !== ":") throw bad("':' expected", pos);
        pos++;
        Object.defineProperty(obj, key, { value: value(depth + 1), writable: true, enumerable: true, configurable: true });
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return obj;
        }
        throw bad("',' or '}' expected", pos);
      }
    }
    if (c === "[") {
      pos++;
      const arr = [];
      ws();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return arr;
        }
        throw bad("',' or ']' expected", pos);
      }
    }
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    throw bad(pos >= text.length ? "unexpected end" : "unexpected character", pos);
  };
  const result = value(0);
  ws();
  if (pos !== text.length) throw bad("trailing characters", pos);
  return result;
}
