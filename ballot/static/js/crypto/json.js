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
  const reader = new Reader(text);
  const result = reader.value(0);
  reader.ws();
  if (reader.pos !== text.length) throw bad("trailing characters", reader.pos);
  return result;
}

/** One pass over the text: each method reads one kind of value at `pos` and moves past it. */
class Reader {
  constructor(text) {
    this.text = text;
    this.pos = 0;
  }

  ws() {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth) {
    if (depth > MAX_DEPTH) throw bad("nested too deeply", this.pos);
    this.ws();
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    throw bad(this.pos >= this.text.length ? "unexpected end" : "unexpected character", this.pos);
  }

  object(depth) {
    const text = this.text;
    this.pos++; // "{"
    const obj = {};
    this.ws();
    if (text[this.pos] === "}") {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (text[this.pos] !== '"') throw bad("object key expected", this.pos);
      const at = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        throw bad(`duplicate key ${JSON.stringify(key.slice(0, 40))}`, at);
      }
      this.ws();
      if (text[this.pos] !== ":") throw bad("':' expected", this.pos);
      this.pos++;
      const value = this.value(depth + 1);
      const property = { value, writable: true, enumerable: true, configurable: true };
      Object.defineProperty(obj, key, property); // a "__proto__" key stays an own property
      this.ws();
      if (text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      if (text[this.pos] === "}") {
        this.pos++;
        return obj;
      }
      throw bad("',' or '}' expected", this.pos);
    }
  }

  array(depth) {
    const text = this.text;
    this.pos++; // "["
    const arr = [];
    this.ws();
    if (text[this.pos] === "]") {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth + 1));
      this.ws();
      if (text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      if (text[this.pos] === "]") {
        this.pos++;
        return arr;
      }
      throw bad("',' or ']' expected", this.pos);
    }
  }

  string() {
    const text = this.text;
    let pos = this.pos + 1; // after the opening quote
    let out = "";
    for (;;) {
      PLAIN.lastIndex = pos;
      PLAIN.exec(text);
      out += text.slice(pos, PLAIN.lastIndex);
      pos = PLAIN.lastIndex;
      if (pos >= text.length) throw bad("unterminated string", pos);
      const c = text[pos];
      if (c === '"') {
        this.pos = pos + 1;
        if (LONE.test(out)) throw bad("lone surrogate in a string", this.pos);
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
  }

  number() {
    const text = this.text;
    const pos = this.pos;
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
    this.pos = end;
    return Number(m[0]);
  }

  literal(word, value) {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    throw bad("unexpected character", this.pos);
  }
}
