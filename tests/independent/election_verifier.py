"""An outsider's verifier for `ballot` records, written from docs/protocol.md alone.

Nothing here comes from `ballot`: only the standard library and PyNaCl (libsodium's Ed25519
group). It runs the checks of protocol §10.8 in order (with what they refer to in §2-§8)
on an election record ("ballot-election-record"), or those of §8 on a confidence-vote record
("ballot-record"),
stops at the first failure and names it, and on success prints the per-candidate counts
and the outside anchors of §8.1/§11 (fingerprint, closing hash, SHA-256 of the file) the way
the glossary writes hashes (upper case, groups of four).

Usage: python3 tests/independent/election_verifier.py RECORD.json   (exit 0 valid, 1 not)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from nacl.bindings import (
    crypto_core_ed25519_add,
    crypto_core_ed25519_is_valid_point,
    crypto_core_ed25519_sub,
    crypto_scalarmult_ed25519_base_noclamp,
    crypto_scalarmult_ed25519_noclamp,
)

# §1: the group
L = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes([1]) + bytes(31)
MAX_INT = 2**53 - 1
HEX64 = re.compile(r"[0-9a-f]{64}")
INT_TEXT = re.compile(r"-?(0|[1-9][0-9]*)")

STEPS = {
    1: "record shape",
    2: "manifest and election rules",
    3: "manifest fingerprint",
    4: "key ceremony",
    5: "attendance and quorum",
    6: "board",
    7: "closing hash",
    8: "aggregate",
    9: "decryption shares",
    10: "combination and counts",
    11: "result numbers",
}


class Invalid(Exception):
    """A check failed; `step` is the number of §10.8 (0: parsing, §2.1)."""

    def __init__(self, step: int, message: str) -> None:
        super().__init__(f"step {step}: {message}")
        self.step = step
        self.message = message


# ---------------------------------------------------------------- §2.1 strict parsing


#: §10.8 check 2: the values `kind` and `majority_base` may take.
KINDS = {
    "committee",
    "standing_committee",
    "secretary",
    "deputy_secretary",
    "inspection_commission",
    "inspection_chair",
    "delegates",
}
BASES = {"convened", "valid_ballots"}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _int(text: str) -> int:
    if not INT_TEXT.fullmatch(text) or text == "-0":
        raise ValueError(f"number {text!r}")
    value = int(text)
    if abs(value) > MAX_INT:
        raise ValueError(f"integer {text} beyond 2^53 - 1")
    return value


def _refuse(text: str) -> Any:
    raise ValueError(f"number {text!r} is not an integer")


def _no_lone_surrogate(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
    elif isinstance(value, list):
        for item in value:
            _no_lone_surrogate(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _no_lone_surrogate(item)


def parse_json(data: bytes) -> Any:
    """§2.1: UTF-8, duplicate keys, non-integer or big numbers and lone surrogates refused."""
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            raise ValueError("byte order mark")
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_int,
            parse_float=_refuse,
            parse_constant=_refuse,
        )
        _no_lone_surrogate(value)
    except (ValueError, UnicodeError) as exc:
        raise Invalid(0, f"not protocol JSON: {exc}") from None
    return value


# ---------------------------------------------------------------- §2 canonical JSON


def canonical_json(value: Any) -> bytes:
    def check(v: Any) -> None:
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, int):
            if abs(v) > MAX_INT:
                raise ValueError("integer out of range")
        elif isinstance(v, str):
            if unicodedata.normalize("NFC", v) != v:
                raise ValueError(f"string not NFC: {v!r}")
        elif isinstance(v, list):
            for item in v:
                check(item)
        elif isinstance(v, dict):
            for key, item in v.items():
                check(key)
                check(item)
        else:
            raise ValueError(f"{type(v).__name__} is not canonical JSON")

    check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# ---------------------------------------------------------------- §1 group and hashes


def u32(x: int) -> bytes:
    return x.to_bytes(4, "big")


def h256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def hs(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little") % L


def tag(name: str) -> bytes:
    return b"ballot/v1/" + name.encode("ascii") + b"\x00"


def sc(x: int) -> bytes:
    return (x % L).to_bytes(32, "little")


def add(p: bytes, q: bytes) -> bytes:
    if p == IDENTITY:
        return q
    if q == IDENTITY:
        return p
    return crypto_core_ed25519_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    if q == IDENTITY:
        return p
    if p == q:
        return IDENTITY
    if p == IDENTITY:
        return crypto_core_ed25519_sub(IDENTITY, q)
    return crypto_core_ed25519_sub(p, q)


def mul(k: int, p: bytes) -> bytes:
    """k·P; 0·P and k·identity are the identity (§1 precision)."""
    k %= L
    if k == 0 or p == IDENTITY:
        return IDENTITY
    return crypto_scalarmult_ed25519_noclamp(sc(k), p)


def mul_base(k: int) -> bytes:
    k %= L
    if k == 0:
        return IDENTITY
    return crypto_scalarmult_ed25519_base_noclamp(sc(k))


BASE = mul_base(1)


def point(value: Any, step: int, what: str, allow_identity: bool = False) -> bytes:
    """§1: lowercase hex of a canonical point in the prime-order subgroup, not the identity."""
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise Invalid(step, f"{what}: not 64 lowercase hex characters")
    raw = bytes.fromhex(value)
    if allow_identity and raw == IDENTITY:
        return raw
    if not crypto_core_ed25519_is_valid_point(raw):
        raise Invalid(step, f"{what}: not a valid group element")
    return raw


def scalar(value: Any, step: int, what: str) -> int:
    """§1: lowercase hex of 32 bytes little-endian, < L (never reduced)."""
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise Invalid(step, f"{what}: not 64 lowercase hex characters")
    x = int.from_bytes(bytes.fromhex(value), "little")
    if x >= L:
        raise Invalid(step, f"{what}: scalar not below L")
    return x


def hexbytes(value: Any, step: int, what: str) -> bytes:
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise Invalid(step, f"{what}: not 64 lowercase hex characters")
    return bytes.fromhex(value)


def grouped(h: bytes) -> str:
    text = h.hex().upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# ---------------------------------------------------------------- shape helpers


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def need(cond: bool, step: int, message: str) -> None:
    if not cond:
        raise Invalid(step, message)


def keys(obj: Any, expected: set[str], step: int, what: str) -> None:
    need(isinstance(obj, dict), step, f"{what}: not an object")
    need(set(obj) == expected, step, f"{what}: keys {sorted(obj)} != {sorted(expected)}")


def hex_list(v: Any, n: int, step: int, what: str) -> None:
    need(isinstance(v, list) and len(v) == n, step, f"{what}: not a list of {n}")
    for i, item in enumerate(v):
        need(
            isinstance(item, str) and bool(HEX64.fullmatch(item)),
            step,
            f"{what}[{i}]: not 64 lowercase hex characters",
        )


def nonempty_str(v: Any, step: int, what: str) -> None:
    need(isinstance(v, str) and v != "", step, f"{what}: not a non-empty string")


def fraction(v: Any, step: int, what: str) -> tuple[int, int]:
    need(
        isinstance(v, list) and len(v) == 2 and all(is_int(x) for x in v),
        step,
        f"{what}: not [numerator, denominator]",
    )
    num, den = v
    need(den >= 1 and 0 <= num <= den, step, f"{what}: not 0 ≤ num ≤ den, den ≥ 1")
    return num, den


# ---------------------------------------------------------------- the checks


RECORD_KEYS = {
    "format",
    "version",
    "manifest",
    "fingerprint",
    "attendance",
    "board",
    "closing",
    "aggregate",
    "decryption",
    "result",
}
MANIFEST_KEYS = {
    "version",
    "vote_id",
    "title",
    "conference",
    "subjects",
    "levels",
    "rules",
    "trustees",
    "threshold",
    "dkg",
    "public_key",
    "verification_keys",
}


@dataclass
class Election:
    fp: bytes = b""
    K: bytes = b""
    C: int = 0
    S: int = 0
    m0: int = 0
    k: int = 0
    weights: list[int] = field(default_factory=list)
    t: int = 0
    n_trustees: int = 0
    V: list[bytes] = field(default_factory=list)
    ballots: int = 0
    election: bool = True
    N: int = 0  # rows of the grid: subjects (v1) or candidates (election, N = C)
    levels: int = 1  # cells per row: K levels (v1) or 1 (election)
    blank: bool = True  # v1: blank rows allowed ("row" proofs) or not ("row1")
    sums_a: list[list[bytes]] = field(default_factory=list)
    sums_b: list[list[bytes]] = field(default_factory=list)
    head: bytes = b""


def check_shape(r: Any) -> bool:
    """1. format, version, exactly the keys of §10.7 (§7.5); `board` and `decryption` arrays,
    `attendance` exactly three integers, `closing` and `result` exactly their keys. Every other
    value is typed where it is read (manifest 2, fingerprint 3, board 6, closing 7, aggregate 8,
    shares 9, counts 10, result numbers 11). Returns whether it is an election record."""
    need(isinstance(r, dict), 1, "the record is not a JSON object")
    fmt = r.get("format")
    need(fmt in ("ballot-election-record", "ballot-record"), 1, "format is not a ballot record")
    need(is_int(r.get("version")) and r["version"] == 1, 1, "version is not the integer 1")
    keys(r, RECORD_KEYS, 1, "record")
    for name in ("board", "decryption"):
        need(isinstance(r[name], list), 1, f"{name}: not a list")
    keys(r["attendance"], {"summoned", "present", "issued"}, 1, "attendance")
    need(all(is_int(v) for v in r["attendance"].values()), 1, "attendance: not integers")
    keys(r["closing"], {"count", "head", "hash"}, 1, "closing")
    if fmt == "ballot-record":
        keys(r["result"], {"received", "subjects"}, 1, "result")
        return False
    keys(r["result"], {"received", "valid", "invalid", "counts"}, 1, "result")
    return True


def check_manifest(m: dict[str, Any], e: Election) -> None:
    """2. §8 check 2 (§7.1) plus the election rules of §10.2 and the weights of §10.3."""
    keys(m, MANIFEST_KEYS, 2, "manifest")
    need(is_int(m["version"]) and m["version"] == 1, 2, "manifest version is not 1")
    for name in ("vote_id", "title"):
        nonempty_str(m[name], 2, name)
    need(isinstance(m["conference"], str), 2, "conference: not a string")
    subjects = m["subjects"]
    need(isinstance(subjects, list) and 1 <= len(subjects) <= 1000, 2, "subjects: 1 to 1000")
    for i, s in enumerate(subjects):
        keys(s, {"name", "position"}, 2, f"subjects[{i}]")
        nonempty_str(s["name"], 2, f"subjects[{i}].name")
        need(isinstance(s["position"], str), 2, f"subjects[{i}].position: not a string")
    levels = m["levels"]
    need(isinstance(levels, list) and 1 <= len(levels) <= 16, 2, "levels: 1 to 16")
    for i, lv in enumerate(levels):
        keys(lv, {"code", "label"}, 2, f"levels[{i}]")
        nonempty_str(lv["code"], 2, f"levels[{i}].code")
        nonempty_str(lv["label"], 2, f"levels[{i}].label")
    need(len({lv["code"] for lv in levels}) == len(levels), 2, "level codes not distinct")
    rules = m["rules"]
    need(isinstance(rules, dict), 2, "rules: not an object")
    need({"quorum", "thresholds", "blank_row_allowed"} <= set(rules), 2, "rules: keys missing")
    fraction(rules["quorum"], 2, "rules.quorum")
    need(isinstance(rules["thresholds"], dict), 2, "rules.thresholds: not an object")
    for name, frac in rules["thresholds"].items():
        fraction(frac, 2, f"rules.thresholds.{name}")
    need(isinstance(rules["blank_row_allowed"], bool), 2, "blank_row_allowed: not a boolean")
    trustees = m["trustees"]
    need(isinstance(trustees, list) and 2 <= len(trustees) <= 64, 2, "trustees: n from 2 to 64")
    n = len(trustees)
    for i, tr in enumerate(trustees):
        keys(tr, {"index", "name"}, 2, f"trustees[{i}]")
        need(is_int(tr["index"]) and tr["index"] == i + 1, 2, "trustees not numbered 1..n")
        nonempty_str(tr["name"], 2, f"trustees[{i}].name")
    t = m["threshold"]
    need(is_int(t) and 2 <= t <= n and 2 * t > n, 2, "threshold: not 2 ≤ t, n/2 < t ≤ n")
    dkg = m["dkg"]
    keys(dkg, {"ceremony_id", "dealers"}, 2, "dkg")
    hexbytes(dkg["ceremony_id"], 2, "dkg.ceremony_id")
    need(isinstance(dkg["dealers"], list), 2, "dkg.dealers: not a list")
    for i, d in enumerate(dkg["dealers"]):
        keys(d, {"index", "ceremony_key", "commitments", "pok"}, 2, f"dkg.dealers[{i}]")
        need(is_int(d["index"]), 2, f"dkg.dealers[{i}].index: not an integer")
        need(isinstance(d["ceremony_key"], str), 2, f"dkg.dealers[{i}].ceremony_key")
        need(isinstance(d["commitments"], list), 2, f"dkg.dealers[{i}].commitments")
        need(isinstance(d["pok"], list), 2, f"dkg.dealers[{i}].pok")
    e.K = point(m["public_key"], 2, "public_key")
    vks = m["verification_keys"]
    need(isinstance(vks, list) and len(vks) == n, 2, "verification_keys: not n entries")
    e.V = [point(v, 2, f"verification_keys[{i}]") for i, v in enumerate(vks)]
    try:
        canonical_json(m)
    except ValueError as exc:
        raise Invalid(2, f"manifest is not canonical JSON: {exc}") from None
    e.t, e.n_trustees = t, n
    e.N, e.levels, e.blank = len(subjects), len(levels), rules["blank_row_allowed"]
    if not e.election:
        return
    # §10.2 / §10.8 check 2: the election
    need(len(levels) == 1, 2, "an election has exactly one level")
    el = rules.get("election")
    need(isinstance(el, dict), 2, "rules.election: missing or not an object")
    for name in ("seats", "candidates", "min_kept"):
        need(is_int(el.get(name)), 2, f"rules.election.{name}: not an integer")
    C, S, m0 = len(subjects), el["seats"], el["min_kept"]
    need(el["candidates"] == C, 2, "rules.election.candidates is not the number of subjects")
    need(0 <= m0 <= S <= C, 2, "not 0 ≤ m0 ≤ S ≤ C")
    need(m0 == (1 if C > S else 0), 2, "min_kept is not 1 with surplus, 0 without")
    need(el.get("kind") in KINDS, 2, "rules.election.kind is not one of §10.8 check 2")
    need(el.get("majority_base") in BASES, 2, "rules.election.majority_base is not one of §10.8")
    # The other fields (regulation, with_surplus, surplus_decision) are bound by the
    # fingerprint and only read to state who is elected; §10.8 does not check them.
    # §10.3
    R = S - m0
    k = R.bit_length()
    weights = [2**i for i in range(k - 1)] + ([R - 2 ** (k - 1) + 1] if k else [])
    e.C, e.S, e.m0, e.k, e.weights = C, S, m0, k, weights


def check_fingerprint(r: dict[str, Any], e: Election) -> None:
    """3. fingerprint = H256(canonical_json(manifest)) (§2)."""
    fp = hexbytes(r["fingerprint"], 3, "fingerprint")
    need(h256(canonical_json(r["manifest"])) == fp, 3, "fingerprint is not H256 of the manifest")
    e.fp = fp


def check_ceremony(m: dict[str, Any], e: Election) -> None:
    """4. §8 check 4: cid (§6.1), dealers in index order, proofs of knowledge (§6.2), K, V_y."""
    t, n = e.t, e.n_trustees
    cid = h256(
        canonical_json(
            {
                "version": 1,
                "vote_id": m["vote_id"],
                "threshold": t,
                "trustees": m["trustees"],
            }
        )
    )
    need(m["dkg"]["ceremony_id"] == cid.hex(), 4, "ceremony_id is not the cid of §6.1")
    dealers = m["dkg"]["dealers"]
    need(len(dealers) == n, 4, "dkg.dealers: not n entries")
    commitments: list[list[bytes]] = []
    for x, d in enumerate(dealers, start=1):
        need(d["index"] == x, 4, "dkg.dealers not in index order")
        E = point(d["ceremony_key"], 4, f"dealer {x} ceremony_key")
        need(len(d["commitments"]) == t, 4, f"dealer {x}: not t commitments")
        Cs = [point(c, 4, f"dealer {x} commitment {k}") for k, c in enumerate(d["commitments"])]
        need(len(d["pok"]) == 2, 4, f"dealer {x}: pok is not [c, z]")
        c = scalar(d["pok"][0], 4, f"dealer {x} pok c")
        z = scalar(d["pok"][1], 4, f"dealer {x} pok z")
        R = sub(mul_base(z), mul(c, Cs[0]))
        expected = hs(tag("pok"), cid, u32(x), u32(t), u32(n), E, *Cs, R)
        need(expected == c, 4, f"dealer {x}: proof of knowledge fails")
        commitments.append(Cs)
    K = IDENTITY
    for Cs in commitments:
        K = add(K, Cs[0])
    need(K == e.K, 4, "public_key is not Σ C_{x,0}")
    for y in range(1, n + 1):
        V = IDENTITY
        for Cs in commitments:
            for k, Ck in enumerate(Cs):
                V = add(V, mul(pow(y, k, L), Ck))
        need(e.V[y - 1] == V, 4, f"verification key {y} is not Σ_x Σ_k y^k·C_x,k")


def check_attendance(r: dict[str, Any]) -> None:
    """5. §8 check 5: integers in [0, 2^32), issued ≤ present ≤ summoned, quorum."""
    att = r["attendance"]
    s, p, i = att["summoned"], att["present"], att["issued"]
    need(all(0 <= v < 2**32 for v in (s, p, i)), 5, "attendance not in [0, 2^32)")
    need(i <= p <= s, 5, "not issued ≤ present ≤ summoned")
    num, den = r["manifest"]["rules"]["quorum"]
    need(p * den >= num * s, 5, "no quorum: present·den < num·summoned")


def _bit_proof(
    e: Election, name: str, ctx: int, cell: Any, where: str
) -> tuple[bytes, bytes, list[bytes]]:
    """§10.4 bit proof ("ebit"/"rbit"); returns (a, b, the 7 proof fields as bytes)."""
    keys(cell, {"a", "b", "proof"}, 6, where)
    a = point(cell["a"], 6, f"{where}.a")
    b = point(cell["b"], 6, f"{where}.b")
    hex_list(cell["proof"], 7, 6, f"{where}.proof")
    A0, B0, A1, B1 = (point(cell["proof"][i], 6, f"{where}.proof[{i}]") for i in range(4))
    c0, z0, z1 = (scalar(cell["proof"][i], 6, f"{where}.proof[{i}]") for i in range(4, 7))
    c = hs(tag(name), e.fp, e.K, u32(ctx), a, b, A0, B0, A1, B1)
    c1 = (c - c0) % L
    ok = (
        mul_base(z0) == add(A0, mul(c0, a))
        and mul(z0, e.K) == add(B0, mul(c0, b))
        and mul_base(z1) == add(A1, mul(c1, a))
        and mul(z1, e.K) == add(B1, mul(c1, sub(b, BASE)))
    )
    need(ok, 6, f"{where}: the {name} proof fails")
    return a, b, [bytes.fromhex(x) for x in cell["proof"]]


def check_ballot(e: Election, seq: int, ballot: Any, seen: set[bytes]) -> bytes:
    """6. One ballot (§10.5, §10.4); returns its tracker."""
    where = f"ballot {seq}"
    keys(ballot, {"fingerprint", "cts", "range"}, 6, where)
    need(ballot["fingerprint"] == e.fp.hex(), 6, f"{where}: fingerprint is not the record's")
    cts = ballot["cts"]
    need(isinstance(cts, list) and len(cts) == e.C, 6, f"{where}: not C candidate cells")
    rng = ballot["range"]
    keys(rng, {"bits", "proof"}, 6, f"{where}.range")
    bits = rng["bits"]
    need(isinstance(bits, list) and len(bits) == e.k, 6, f"{where}: not k range bits")
    hex_list(rng["proof"], 3, 6, f"{where}.range.proof")
    canon = [tag("eballot"), e.fp, u32(e.C), u32(e.k)]
    statement: list[bytes] = []
    own: list[bytes] = []
    X, Y = IDENTITY, sub(IDENTITY, mul_base(e.m0)) if e.m0 else IDENTITY
    for j, cell in enumerate(cts):
        a, b, proof = _bit_proof(e, "ebit", j, cell, f"{where} candidate {j}")
        canon += [a, b, *proof]
        statement += [a, b]
        own += [a, b]
        X, Y = add(X, a), add(Y, b)
    for i, cell in enumerate(bits):
        a, b, proof = _bit_proof(e, "rbit", i, cell, f"{where} range bit {i}")
        canon += [a, b, *proof]
        statement += [a, b]
        own += [a, b]
        X, Y = sub(X, mul(e.weights[i], a)), sub(Y, mul(e.weights[i], b))
    P = point(rng["proof"][0], 6, f"{where}.range.proof[0]")
    Q = point(rng["proof"][1], 6, f"{where}.range.proof[1]")
    z = scalar(rng["proof"][2], 6, f"{where}.range.proof[2]")
    c = hs(tag("esum"), e.fp, e.K, u32(e.C), u32(e.m0), u32(e.S), u32(e.k), *statement, X, Y, P, Q)
    ok = mul_base(z) == add(P, mul(c, X)) and mul(z, e.K) == add(Q, mul(c, Y))
    need(ok, 6, f"{where}: the esum (range) proof fails")
    canon += [P, Q, sc(z)]
    for pt in own:
        need(pt not in seen, 6, f"{where}: a ciphertext point is already on the board")
        seen.add(pt)
    for j in range(e.C):
        e.sums_a[j][0] = add(e.sums_a[j][0], own[2 * j])
        e.sums_b[j][0] = add(e.sums_b[j][0], own[2 * j + 1])
    return h256(*canon)


def _compact_proof(
    e: Election, name: str, ctx: bytes, a: bytes, b: bytes, proof: Any, where: str
) -> list[int]:
    """§4.1 (and "row", §4.2): [c0, z0, c1, z1]; recompute A_j, B_j and check c0 + c1 = c."""
    hex_list(proof, 4, 6, f"{where}.proof")
    c0, z0, c1, z1 = (scalar(x, 6, f"{where}.proof[{i}]") for i, x in enumerate(proof))
    commitments = []
    for j, (cj, zj) in enumerate(((c0, z0), (c1, z1))):
        bj = sub(b, BASE) if j else b
        commitments += [sub(mul_base(zj), mul(cj, a)), sub(mul(zj, e.K), mul(cj, bj))]
    c = hs(tag(name), e.fp, e.K, ctx, a, b, *commitments)
    need((c0 + c1) % L == c, 6, f"{where}: the {name} proof fails")
    return [c0, z0, c1, z1]


def check_ballot_v1(e: Election, seq: int, ballot: Any, seen: set[bytes]) -> bytes:
    """6. One confidence-vote ballot (§5, §4.1, §4.2); returns its tracker."""
    where = f"ballot {seq}"
    keys(ballot, {"fingerprint", "rows"}, 6, where)
    need(ballot["fingerprint"] == e.fp.hex(), 6, f"{where}: fingerprint is not the record's")
    rows = ballot["rows"]
    need(isinstance(rows, list) and len(rows) == e.N, 6, f"{where}: not N rows")
    canon = [tag("ballot"), e.fp, u32(e.N), u32(e.levels)]
    own: list[bytes] = []
    for i, row in enumerate(rows):
        keys(row, {"cts", "row_proof"}, 6, f"{where} row {i}")
        cts = row["cts"]
        need(isinstance(cts, list) and len(cts) == e.levels, 6, f"{where} row {i}: not K cells")
        sa = sb = IDENTITY
        for k, cell in enumerate(cts):
            w = f"{where} row {i} level {k}"
            keys(cell, {"a", "b", "proof"}, 6, w)
            a, b = point(cell["a"], 6, f"{w}.a"), point(cell["b"], 6, f"{w}.b")
            proof = _compact_proof(e, "bit", u32(i) + u32(k), a, b, cell["proof"], w)
            canon += [a, b, *(sc(x) for x in proof)]
            own += [a, b]
            sa, sb = add(sa, a), add(sb, b)
            e.sums_a[i][k] = add(e.sums_a[i][k], a)
            e.sums_b[i][k] = add(e.sums_b[i][k], b)
        ctx = u32(i) + u32(0xFFFFFFFF)
        if e.blank:
            rp = _compact_proof(e, "row", ctx, sa, sb, row["row_proof"], f"{where} row {i}")
        else:
            hex_list(row["row_proof"], 2, 6, f"{where} row {i}.row_proof")
            c, z = (scalar(x, 6, f"{where} row {i}.row_proof") for x in row["row_proof"])
            A = sub(mul_base(z), mul(c, sa))
            Cc = sub(mul(z, e.K), mul(c, sub(sb, BASE)))
            ok = hs(tag("row1"), e.fp, e.K, ctx, sa, sb, A, Cc) == c
            need(ok, 6, f"{where} row {i}: the row1 proof fails")
            rp = [c, z]
        canon += [sc(x) for x in rp]
    for pt in own:
        need(pt not in seen, 6, f"{where}: a ciphertext point is already on the board")
        seen.add(pt)
    return h256(*canon)


def check_board(r: dict[str, Any], e: Election) -> None:
    """6. seq, shape, points, proofs, tracker, chain (§5), no repeated a or b point."""
    e.sums_a = [[IDENTITY] * e.levels for _ in range(e.N)]
    e.sums_b = [[IDENTITY] * e.levels for _ in range(e.N)]
    h = e.fp
    seen: set[bytes] = set()
    for n, entry in enumerate(r["board"], start=1):
        keys(entry, {"seq", "tracker", "chain", "ballot"}, 6, f"board entry {n}")
        need(
            is_int(entry["seq"]) and entry["seq"] == n, 6, f"board entry {n}: seq is {entry['seq']}"
        )
        check = check_ballot if e.election else check_ballot_v1
        tracker = check(e, n, entry["ballot"], seen)
        need(entry["tracker"] == tracker.hex(), 6, f"ballot {n}: tracker is not H256 of it")
        h = h256(tag("board"), h, tracker, u32(n))
        need(entry["chain"] == h.hex(), 6, f"ballot {n}: chain is not h_{n}")
    e.ballots = len(r["board"])
    e.head = h


def check_closing(r: dict[str, Any], e: Election) -> None:
    """7. §8 check 7 (§7.3)."""
    cl, att = r["closing"], r["attendance"]
    need(
        is_int(cl["count"]) and cl["count"] == e.ballots,
        7,
        "closing.count is not the number of board entries",
    )
    need(e.ballots <= att["issued"], 7, "more ballots than codes issued")
    need(cl["head"] == e.head.hex(), 7, "closing.head is not the last chain hash")
    closing = h256(
        tag("close"),
        e.head,
        u32(e.ballots),
        u32(att["summoned"]),
        u32(att["present"]),
        u32(att["issued"]),
    )
    need(cl["hash"] == closing.hex(), 7, "closing.hash is not the hash of §7.3")


def check_aggregate(r: dict[str, Any], e: Election) -> None:
    """8. the sum of the board's ciphertexts, cell by cell, compared as JSON (§7.4)."""
    expected = [
        [{"a": a.hex(), "b": b.hex()} for a, b in zip(ra, rb, strict=True)]
        for ra, rb in zip(e.sums_a, e.sums_b, strict=True)
    ]
    need(
        json.dumps(r["aggregate"], sort_keys=True) == json.dumps(expected, sort_keys=True),
        8,
        "aggregate is not the sum of the board",
    )


def check_shares(r: dict[str, Any], e: Election) -> list[tuple[int, list[list[bytes]]]]:
    """9. §8 check 9 on the N × K grid (C × 1 for an election; "dec" proofs, §4.3)."""
    shares = r["decryption"]
    for share in shares:
        keys(share, {"index", "parts"}, 9, "decryption share")
        need(is_int(share["index"]), 9, "decryption share: index not an integer")
        need(isinstance(share["parts"], list), 9, "decryption share: parts not a list")
    indices = [s["index"] for s in shares]
    need(
        all(a < b for a, b in zip(indices, indices[1:], strict=False)),
        9,
        "share indices not increasing",
    )
    need(all(1 <= x <= e.n_trustees for x in indices), 9, "a share index is not a trustee")
    need(len(shares) >= e.t, 9, "fewer than t decryption shares")
    out = []
    for share in shares:
        x = share["index"]
        V = e.V[x - 1]
        parts = share["parts"]
        need(len(parts) == e.N, 9, f"share {x}: not {e.N} rows")
        ds = []
        for i, row in enumerate(parts):
            need(
                isinstance(row, list) and len(row) == e.levels,
                9,
                f"share {x} row {i}: not {e.levels} cells",
            )
            drow = []
            for k, cell in enumerate(row):
                w = f"share {x} row {i} cell {k}"
                keys(cell, {"d", "proof"}, 9, w)
                D = point(cell["d"], 9, f"{w}.d", allow_identity=True)
                hex_list(cell["proof"], 2, 9, f"{w}.proof")
                c = scalar(cell["proof"][0], 9, f"{w} c")
                z = scalar(cell["proof"][1], 9, f"{w} z")
                a, b = e.sums_a[i][k], e.sums_b[i][k]
                A = sub(mul_base(z), mul(c, V))
                Cc = sub(mul(z, a), mul(c, D))
                expected = hs(tag("dec"), e.fp, e.K, u32(x), u32(i), u32(k), a, b, V, D, A, Cc)
                need(expected == c, 9, f"{w}: the dec proof fails")
                drow.append(D)
            ds.append(drow)
        out.append((x, ds))
    return out


def check_combination(
    r: dict[str, Any], e: Election, shares: list[tuple[int, list[list[bytes]]]]
) -> None:
    """10. with the first t shares: count·B = B_cell − Σ λ_x D_x,cell, 0 ≤ count ≤ n."""

    def int_list(v: Any, n: int) -> bool:
        return isinstance(v, list) and len(v) == n and all(is_int(c) for c in v)

    if e.election:
        counts = r["result"]["counts"]
        need(int_list(counts, e.C), 10, "result.counts: not C integers")
        grid = [[c] for c in counts]
    else:
        subjects = r["result"]["subjects"]
        need(isinstance(subjects, list) and len(subjects) == e.N, 10, "result.subjects: not N")
        for i, s in enumerate(subjects):
            keys(s, {"received", "valid", "invalid", "counts"}, 10, f"result.subjects[{i}]")
            need(int_list(s["counts"], e.levels), 10, f"result.subjects[{i}]: not K integers")
        grid = [s["counts"] for s in subjects]
    chosen = shares[: e.t]
    xs = [x for x, _ in chosen]
    lambdas = []
    for x in xs:
        lam = 1
        for j in xs:
            if j != x:
                lam = lam * j * pow(j - x, -1, L) % L
        lambdas.append(lam)
    for i, row in enumerate(grid):
        for k, count in enumerate(row):
            M = e.sums_b[i][k]
            for lam, (_, ds) in zip(lambdas, chosen, strict=True):
                M = sub(M, mul(lam, ds[i][k]))
            w = f"row {i + 1}" + (f" level {k + 1}" if not e.election else "")
            need(0 <= count <= e.ballots, 10, f"{w}: count out of [0, n]")
            need(mul_base(count) == M, 10, f"{w}: the decryption is not {count}")


def check_result(r: dict[str, Any], e: Election) -> None:
    """11. received = valid = n, invalid = 0, Σ counts ≤ S·n (v1: §8 check 11)."""
    res = r["result"]
    if not e.election:
        need(is_int(res["received"]) and res["received"] == e.ballots, 11, "received is not n")
        for i, s in enumerate(res["subjects"], start=1):
            need(
                all(is_int(s[k]) for k in ("received", "valid", "invalid")),
                11,
                f"subject {i}: received, valid, invalid not integers",
            )
            need(s["received"] == e.ballots, 11, f"subject {i}: received is not n")
            need(s["valid"] == sum(s["counts"]), 11, f"subject {i}: valid is not Σ counts")
            need(s["invalid"] == s["received"] - s["valid"], 11, f"subject {i}: invalid")
            need(
                e.blank or s["invalid"] == 0, 11, f"subject {i}: a blank row where none is allowed"
            )
        return
    need(
        all(is_int(res[k]) for k in ("received", "valid", "invalid")),
        11,
        "result: received, valid, invalid not integers",
    )
    need(res["received"] == e.ballots, 11, "result.received is not n")
    need(res["valid"] == e.ballots, 11, "result.valid is not n")
    need(res["invalid"] == 0, 11, "result.invalid is not 0")
    need(sum(res["counts"]) <= e.S * e.ballots, 11, "Σ counts > S·n")


@dataclass
class Report:
    manifest: dict[str, Any]
    result: dict[str, Any]
    counts: list[Any]
    ballots: int
    fingerprint: bytes
    closing: bytes
    file_sha256: bytes


def verify(data: bytes) -> Report:
    """Every check of §10.8 in order; raises Invalid naming the first failure."""
    record = parse_json(data)
    e = Election(election=check_shape(record))
    m = record["manifest"]
    check_manifest(m, e)
    check_fingerprint(record, e)
    check_ceremony(m, e)
    check_attendance(record)
    check_board(record, e)
    check_closing(record, e)
    check_aggregate(record, e)
    shares = check_shares(record, e)
    check_combination(record, e, shares)
    check_result(record, e)
    return Report(
        manifest=m,
        result=record["result"],
        counts=(
            list(record["result"]["counts"])
            if e.election
            else [s["counts"] for s in record["result"]["subjects"]]
        ),
        ballots=e.ballots,
        fingerprint=e.fp,
        closing=bytes.fromhex(record["closing"]["hash"]),
        file_sha256=hashlib.sha256(data).digest(),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[0], "rb") as fh:
        data = fh.read()
    try:
        rep = verify(data)
    except Invalid as exc:
        for step in range(1, exc.step):
            print(f"[OK] {step}. {STEPS[step]}")
        label = STEPS.get(exc.step, "parsing (§2.1)")
        print(f"[FAILED] {exc.step}. {label}: {exc.message}")
        print(f"RESULT: INVALID — step {exc.step}: {exc.message}")
        return 1
    for step, label in STEPS.items():
        print(f"[OK] {step}. {label}")
    print(f"Ballots received: {rep.ballots}")
    el = rep.manifest["rules"].get("election")
    if el is not None and "counts" in rep.result:
        print(f"Seats {el['seats']} of {el['candidates']} candidates; votes kept:")
    labels = [lv["label"] for lv in rep.manifest["levels"]]
    for j, (subject, count) in enumerate(
        zip(rep.manifest["subjects"], rep.counts, strict=True), start=1
    ):
        if isinstance(count, list):
            cells = ", ".join(f"{lab} {c}" for lab, c in zip(labels, count, strict=True))
            invalid = rep.result["subjects"][j - 1]["invalid"]
            print(f"  {j}. {subject['name']}: {cells}; invalid {invalid}")
        else:
            print(f"  {j}. {subject['name']}: {count}")
    print(f"Election fingerprint: {grouped(rep.fingerprint)}")
    print(f"Closing hash: {grouped(rep.closing)}")
    print(f"SHA-256 of the record file: {grouped(rep.file_sha256)}")
    print("RESULT: the record is valid; every check holds.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
