"""Election ballots (protocol §10): one 0/1 ciphertext per candidate with its proof, and a
proof by bit decomposition that the number of names kept lies in [m0, S].

Proofs are in commitment form ([A0, B0, A1, B1, c0, z0, z1] and [P, Q, z]) so that a
verifier may check many at once (`election_batch`). Single verification recomputes each
commitment and compares encodings, which also proves it is a valid group element.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .context import ElectionContext
from .elgamal import Ciphertext, encrypt
from .encoding import h256
from .errors import EncodingError, InvalidBallot
from .group import IDENTITY, B, Point, Scalar, hex_to_bytes, u32
from .proofs import Rng

PREFIX = b"ballot/v1/"
EBALLOT_TAG = b"ballot/v1/eballot\x00"
IDENTITY_BYTES = IDENTITY.to_bytes()


# --- the shape of an election: C candidates, S seats, at least m0 kept -------------------


def range_weights(r: int) -> list[int]:
    """Weights of §10.3 for the range [0, r]: 1, 2, 4, ..., and a last weight so that the
    subset sums are exactly [0, r]. Empty for r = 0."""
    if r < 0:
        raise ValueError("range must be >= 0")
    if r == 0:
        return []
    k = r.bit_length()
    return [1 << i for i in range(k - 1)] + [r - (1 << (k - 1)) + 1]


@dataclass(frozen=True, slots=True)
class Shape:
    candidates: int
    seats: int
    min_kept: int

    @property
    def weights(self) -> list[int]:
        return range_weights(self.seats - self.min_kept)

    @property
    def bits(self) -> int:
        return len(self.weights)


def shape_of(manifest: Mapping[str, Any]) -> Shape:
    """Read and check `rules.election` (§10.2): 0 <= m0 <= S <= C, one level."""
    rules = manifest.get("rules")
    election = rules.get("election") if isinstance(rules, dict) else None
    if not isinstance(election, dict):
        raise EncodingError("manifest.rules.election is missing", "thiếu manifest.rules.election")
    values = [election.get(key) for key in ("candidates", "seats", "min_kept")]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise EncodingError(
            "rules.election: candidates, seats, min_kept must be integers",
            "rules.election: candidates, seats, min_kept phải là số nguyên",
        )
    c, s, m0 = (int(v) for v in values)  # type: ignore[arg-type]
    subjects, levels = manifest.get("subjects"), manifest.get("levels")
    if not (isinstance(subjects, list) and isinstance(levels, list)):
        raise EncodingError("manifest subjects/levels malformed", "manifest sai cấu trúc")
    if not 0 <= m0 <= s <= c == len(subjects) or len(levels) != 1:
        raise EncodingError(
            "need 0 <= min_kept <= seats <= candidates = number of subjects, and one level",
            "cần 0 <= min_kept <= seats <= candidates = số người trong danh sách, và một mức",
        )
    return Shape(c, s, m0)


# --- hashing ------------------------------------------------------------------------------


def _hs(tag: str, fp: bytes, key: Point, context: bytes, parts: Sequence[bytes]) -> Scalar:
    h = hashlib.sha512()
    for part in (PREFIX, tag.encode("ascii"), b"\x00", fp, key.to_bytes(), context, *parts):
        h.update(part)
    return Scalar(int.from_bytes(h.digest(), "little"))


# --- proofs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BitProof:
    """[A0, B0, A1, B1, c0, z0, z1]: commitments kept as their 32-byte encodings."""

    commitments: tuple[bytes, bytes, bytes, bytes]
    c0: Scalar
    z0: Scalar
    z1: Scalar

    def to_json(self) -> list[str]:
        return [c.hex() for c in self.commitments] + [s.hex() for s in (self.c0, self.z0, self.z1)]

    def to_bytes(self) -> bytes:
        return b"".join(self.commitments) + b"".join(
            s.to_bytes() for s in (self.c0, self.z0, self.z1)
        )

    @classmethod
    def from_json(cls, value: object) -> BitProof:
        if not isinstance(value, list) or len(value) != 7:
            raise EncodingError("a bit proof has 7 entries", "chứng minh bit gồm 7 phần tử")
        raw = [hex_to_bytes(v, 32) for v in value[:4]]
        c0, z0, z1 = (Scalar.from_hex(v) for v in value[4:])
        return cls((raw[0], raw[1], raw[2], raw[3]), c0, z0, z1)


@dataclass(frozen=True, slots=True)
class SumProof:
    """[P, Q, z]."""

    p: bytes
    q: bytes
    z: Scalar

    def to_json(self) -> list[str]:
        return [self.p.hex(), self.q.hex(), self.z.hex()]

    def to_bytes(self) -> bytes:
        return self.p + self.q + self.z.to_bytes()

    @classmethod
    def from_json(cls, value: object) -> SumProof:
        if not isinstance(value, list) or len(value) != 3:
            raise EncodingError("the sum proof has 3 entries", "chứng minh tổng gồm 3 phần tử")
        return cls(
            hex_to_bytes(value[0], 32), hex_to_bytes(value[1], 32), Scalar.from_hex(value[2])
        )


def bit_challenge(
    tag: str, fp: bytes, key: Point, index: int, a: bytes, b: bytes, commitments: Sequence[bytes]
) -> Scalar:
    return _hs(tag, fp, key, u32(index), [a, b, *commitments])


def prove_bit(
    tag: str, fp: bytes, key: Point, index: int, ct: Ciphertext, m: int, r: Scalar, rng: Rng
) -> BitProof:
    """§10.4 prover: draws w, c_sim, z_sim."""
    if m not in (0, 1):
        raise ValueError("can only prove 0 or 1")
    w, c_sim, z_sim = rng(), rng(), rng()
    j = 1 - m
    t = z_sim - c_sim * r  # simulated commitments from the known r (same values, fewer mults)
    sim = (Point.base_times(t), t * key - Point.base_times(c_sim * Scalar(m - j)))
    real = (Point.base_times(w), w * key)
    pts = (*real, *sim) if m == 0 else (*sim, *real)
    commitments = (pts[0].to_bytes(), pts[1].to_bytes(), pts[2].to_bytes(), pts[3].to_bytes())
    c = bit_challenge(tag, fp, key, index, ct.a.to_bytes(), ct.b.to_bytes(), commitments)
    c_real = c - c_sim
    z_real = w + c_real * r
    if m == 0:
        return BitProof(commitments, c_real, z_real, z_sim)
    return BitProof(commitments, c_sim, z_sim, z_real)


def verify_bit(
    tag: str, fp: bytes, key: Point, index: int, a_raw: bytes, b_raw: bytes, proof: BitProof
) -> Ciphertext | None:
    """Single check of one bit proof. Validates a and b (EncodingError if invalid) and
    returns the ciphertext if the proof holds, None otherwise."""
    c = bit_challenge(tag, fp, key, index, a_raw, b_raw, proof.commitments)
    c0, c1 = proof.c0, c - proof.c0
    if IDENTITY_BYTES in proof.commitments:
        Point.from_bytes(a_raw), Point.from_bytes(b_raw)
        return None
    if c0.is_zero():
        a, c1a = Point.decode_times(a_raw, c1)
        c0a = c0 * a
    else:
        a, c0a = Point.decode_times(a_raw, c0)
        c1a = c1 * a
    b, c0b = Point.decode_times(b_raw, c0)
    expected = (
        Point.base_times(proof.z0) - c0a,
        proof.z0 * key - c0b,
        Point.base_times(proof.z1) - c1a,
        proof.z1 * key - c1 * (b - B),
    )
    ok = all(e.to_bytes() == raw for e, raw in zip(expected, proof.commitments, strict=True))
    return Ciphertext(a, b) if ok else None


def _weighted(points: Sequence[Point], weights: Sequence[int]) -> Point:
    """Σ w_i·P_i for small weights, by doubling and adding (a point addition costs a fifth
    of a libsodium scalar multiplication)."""
    total = IDENTITY
    for p, w in zip(points, weights, strict=True):
        acc, doubled = IDENTITY, p
        while w:
            if w & 1:
                acc = acc + doubled
            w >>= 1
            if w:
                doubled = doubled + doubled
        total = total + acc
    return total


def sum_statement(
    shape: Shape, cands: Sequence[Ciphertext], bits: Sequence[Ciphertext]
) -> tuple[Point, Point]:
    """X = Σ a_j − Σ w_i e_i, Y = Σ b_j − m0·B − Σ w_i f_i (§10.4)."""
    sum_a, sum_b = IDENTITY, IDENTITY
    for ct in cands:
        sum_a, sum_b = sum_a + ct.a, sum_b + ct.b
    w = shape.weights
    x = sum_a - _weighted([ct.a for ct in bits], w)
    y = sum_b - Point.base_times(Scalar(shape.min_kept)) - _weighted([ct.b for ct in bits], w)
    return x, y


def sum_challenge(
    fp: bytes, key: Point, shape: Shape, cts: Sequence[Ciphertext], x: Point, y: Point,
    p: bytes, q: bytes,
) -> Scalar:  # fmt: skip
    context = u32(shape.candidates) + u32(shape.min_kept) + u32(shape.seats) + u32(shape.bits)
    parts = [pt.to_bytes() for ct in cts for pt in (ct.a, ct.b)]
    return _hs("esum", fp, key, context, [*parts, x.to_bytes(), y.to_bytes(), p, q])


# --- ballots ------------------------------------------------------------------------------


def encrypt_election_ballot(
    ctx: ElectionContext, shape: Shape, kept: Sequence[bool], rng: Rng = Scalar.random
) -> dict[str, Any]:
    """Encrypt a choice (kept[j] for candidate j); draw order of §10.5. Refuses a choice
    the rules make invalid (the booth never sends one, §10.6)."""
    if len(kept) != shape.candidates or ctx.n_subjects != shape.candidates:
        raise ValueError("one choice per candidate")
    n = sum(1 for k in kept if k)
    if not shape.min_kept <= n <= shape.seats:
        raise ValueError(f"keeps {n} names; allowed {shape.min_kept}..{shape.seats}")
    cells, cand_cts, total_r = [], [], Scalar(0)
    for j, keep in enumerate(kept):
        r = rng()
        ct = encrypt(ctx.key, int(keep), r)
        proof = prove_bit("ebit", ctx.fp, ctx.key, j, ct, int(keep), r, rng)
        cells.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        cand_cts.append(ct)
        total_r = total_r + r
    rest, bit_values = n - shape.min_kept, []
    for w in reversed(shape.weights):  # greedy from the largest weight
        take = 1 if w <= rest else 0
        rest -= w * take
        bit_values.append(take)
    bit_values.reverse()
    if rest:
        raise AssertionError("range decomposition failed")
    bits, bit_cts = [], []
    for i, (beta, w) in enumerate(zip(bit_values, shape.weights, strict=True)):
        s = rng()
        ct = encrypt(ctx.key, beta, s)
        proof = prove_bit("rbit", ctx.fp, ctx.key, i, ct, beta, s, rng)
        bits.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        bit_cts.append(ct)
        total_r = total_r - Scalar(w) * s
    x, y = sum_statement(shape, cand_cts, bit_cts)
    w_sum = rng()
    p, q = Point.base_times(w_sum).to_bytes(), (w_sum * ctx.key).to_bytes()
    c = sum_challenge(ctx.fp, ctx.key, shape, [*cand_cts, *bit_cts], x, y, p, q)
    sum_proof = SumProof(p, q, w_sum + c * total_r)
    return {
        "fingerprint": ctx.fp.hex(),
        "cts": cells,
        "range": {"bits": bits, "proof": sum_proof.to_json()},
    }


@dataclass(frozen=True, slots=True)
class ParsedCell:
    a: bytes
    b: bytes
    proof: BitProof


@dataclass(frozen=True, slots=True)
class ParsedBallot:
    """A ballot whose JSON shape and encodings are right; proofs not yet checked."""

    doc: dict[str, Any]
    cands: tuple[ParsedCell, ...]
    bits: tuple[ParsedCell, ...]
    sum_proof: SumProof
    canonical: bytes

    @property
    def tracker(self) -> bytes:
        return h256(self.canonical)

    def point_encodings(self) -> list[bytes]:
        return [raw for cell in (*self.cands, *self.bits) for raw in (cell.a, cell.b)]


def _fail(en: str, vi: str) -> InvalidBallot:
    return InvalidBallot(en, vi)


def _cells(value: object, count: int, what: tuple[str, str]) -> list[ParsedCell]:
    if not isinstance(value, list) or len(value) != count:
        raise _fail(f"{what[0]}: expected {count} items", f"{what[1]}: cần {count} phần tử")
    out = []
    for j, cell in enumerate(value):
        if not isinstance(cell, dict) or set(cell) != {"a", "b", "proof"}:
            raise _fail(f"{what[0]} {j + 1}: malformed", f"{what[1]} {j + 1}: sai cấu trúc")
        try:
            a, b = hex_to_bytes(cell["a"], 32), hex_to_bytes(cell["b"], 32)
            out.append(ParsedCell(a, b, BitProof.from_json(cell["proof"])))
        except EncodingError as exc:
            raise _fail(f"{what[0]} {j + 1}: {exc.en}", f"{what[1]} {j + 1}: {exc.vi}") from exc
    return out


def parse_ballot(ctx: ElectionContext, shape: Shape, doc: object) -> ParsedBallot:
    """Exact JSON shape (§10.5), fingerprint, hex and scalar encodings, no repeated point."""
    if not isinstance(doc, dict) or set(doc) != {"fingerprint", "cts", "range"}:
        raise _fail("ballot: expected keys cts, fingerprint, range",
                    "phiếu: cần các khóa cts, fingerprint, range")  # fmt: skip
    if doc["fingerprint"] != ctx.fp.hex():
        raise _fail("ballot is for another election (fingerprint differs)",
                    "phiếu thuộc cuộc bầu cử khác (dấu vân tay không khớp)")  # fmt: skip
    cands = _cells(doc["cts"], shape.candidates, ("candidate", "người"))
    rng_part = doc["range"]
    if not isinstance(rng_part, dict) or set(rng_part) != {"bits", "proof"}:
        raise _fail("range: expected keys bits, proof", "range: cần các khóa bits, proof")
    bits = _cells(rng_part["bits"], shape.bits, ("range bit", "bit phạm vi"))
    try:
        sum_proof = SumProof.from_json(rng_part["proof"])
    except EncodingError as exc:
        raise _fail(f"sum proof: {exc.en}", f"chứng minh tổng: {exc.vi}") from exc
    parts = [EBALLOT_TAG, ctx.fp, u32(shape.candidates), u32(shape.bits)]
    parts += [c.a + c.b + c.proof.to_bytes() for c in (*cands, *bits)]
    parts.append(sum_proof.to_bytes())
    parsed = ParsedBallot(doc, tuple(cands), tuple(bits), sum_proof, b"".join(parts))
    encodings = parsed.point_encodings()
    if len(set(encodings)) != len(encodings):
        raise _fail("the ballot repeats a ciphertext point", "phiếu lặp lại một điểm của bản mã")
    return parsed


BitCheck = Callable[[str, bytes, Point, int, bytes, bytes, BitProof], Ciphertext | None]


def verify_parsed(
    ctx: ElectionContext, shape: Shape, parsed: ParsedBallot, check: BitCheck | None = None
) -> tuple[Ciphertext, ...]:
    """Verification of every proof of a parsed ballot; returns the candidates' ciphertexts.
    Raises InvalidBallot naming the first failing proof. `check` verifies one bit proof:
    `verify_bit` (single verification, the default) or `election_batch.verify_bit_batched`."""
    check = check or verify_bit
    checked = []
    for tag, cells, (en, vi) in (
        ("ebit", parsed.cands, ("candidate", "người")),
        ("rbit", parsed.bits, ("range bit", "bit phạm vi")),
    ):
        for j, cell in enumerate(cells):
            try:
                ct = check(tag, ctx.fp, ctx.key, j, cell.a, cell.b, cell.proof)
            except EncodingError as exc:
                raise _fail(f"{en} {j + 1}: {exc.en}", f"{vi} {j + 1}: {exc.vi}") from exc
            if ct is None:
                raise _fail(f"{en} {j + 1}: the 0-or-1 proof fails",
                            f"{vi} {j + 1}: chứng minh 0 hoặc 1 không đúng")  # fmt: skip
            checked.append(ct)
    cands, bits = checked[: shape.candidates], checked[shape.candidates :]
    x, y = sum_statement(shape, cands, bits)
    sp = parsed.sum_proof
    c = sum_challenge(ctx.fp, ctx.key, shape, checked, x, y, sp.p, sp.q)
    ok = (
        IDENTITY_BYTES not in (sp.p, sp.q)
        and (Point.base_times(sp.z) - c * x).to_bytes() == sp.p
        and (sp.z * ctx.key - c * y).to_bytes() == sp.q
    )
    if not ok:
        raise _fail(
            f"the proof that {shape.min_kept} to {shape.seats} names are kept fails",
            f"chứng minh số người được giữ từ {shape.min_kept} đến {shape.seats} không đúng",
        )
    return tuple(cands)


def verify_election_ballot(
    ctx: ElectionContext, shape: Shape, doc: object
) -> tuple[ParsedBallot, tuple[Ciphertext, ...]]:
    """Parse and check one ballot (what the server does on receipt)."""
    parsed = parse_ballot(ctx, shape, doc)
    return parsed, verify_parsed(ctx, shape, parsed)
