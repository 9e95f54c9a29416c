"""The two proofs of an election ballot (protocol §10.3–10.4): each ciphertext encrypts 0 or 1
(a disjunctive Chaum–Pedersen proof), and the number of names kept lies in [m0, S] (a bit
decomposition of the excess over m0 with one linear proof).

Proofs are in commitment form ([A0, B0, A1, B1, c0, z0, z1] and [P, Q, z]) so that a
verifier may check many at once (`election_batch`). Single verification recomputes each
commitment and compares encodings, which also proves it is a valid group element. Reading a
ballot and checking all of its proofs is `election.py`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from .elgamal import Ciphertext
from .errors import EncodingError
from .group import IDENTITY, B, Point, Scalar, hex_to_bytes, u32
from .proofs import Rng

PREFIX = b"ballot/v1/"
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
