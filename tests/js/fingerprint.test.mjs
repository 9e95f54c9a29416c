// The fingerprint is written one way everywhere: this vector is also checked against the
// Jinja filter in tests/foundation/test_i18n.py (test_fingerprint_is_written_one_way).
import test from "node:test";
import assert from "node:assert/strict";

const { hexGroups } = await import(new URL("../../ballot/static/js/app/fingerprint.js", import.meta.url).href);

const HEX = "3fa90c1e77d2b4a05e6f18c9d0ab2233445566778899aabbccddeeff00112233";

test("groups of 4, upper case, like the Jinja filter", () => {
  assert.equal(
    hexGroups(HEX),
    "3FA9 0C1E 77D2 B4A0 5E6F 18C9 D0AB 2233 4455 6677 8899 AABB CCDD EEFF 0011 2233",
  );
  assert.equal(hexGroups(HEX, 4), "3FA9 0C1E 77D2 B4A0");
  assert.equal(hexGroups(""), "");
});
