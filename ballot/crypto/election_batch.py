"""Batch verification of election ballots (protocol §10.9): every point checked on its own,
then all proof equations of all ballots in one random linear combination.

This is the reference for the browser's board check, where one multi-scalar multiplication
is far cheaper than the proofs one by one. PyNaCl exposes no multi-scalar multiplication,
so here the combination costs one libsodium multiplication per distinct point: on the
server, single verification on the thread pool (`election_record`) is the faster path.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from .context import ElectionContext
from .election import (
    BitProof,
    ParsedBallot,
    Shape,
    bit_challenge,
    sum_challenge,
    sum_statement,
    verify_parsed,
)
from .elgamal import Ciphertext
from .errors import EncodingError, InvalidBallot
from .group import IDENTITY, L, Point, Scalar

#: A source of independent uniform 128-bit weights (a CSPRNG; tests may pass their own).
Weights = Callable[[], int]


def _weight() -> int:
    return secrets.randbits(128)


class _Combination:
    """Σ coefficient·point, kept as a map from encodings to scalars mod L."""

    def __init__(self) -> None:
        self.points: dict[bytes, tuple[Point, int]] = {}
        self.base = 0  # coefficient of B
        self.key = 0  # coefficient of K

    def add(self, point: Point, coefficient: int) -> None:
        if point.is_identity():
            return
        raw = point.to_bytes()
        _, old = self.points.get(raw, (point, 0))
        self.points[raw] = (point, (old + coefficient) % L)

    def is_identity(self, key: Point) -> bool:
        total = Point.base_times(Scalar(self.base)) + Scalar(self.key) * key
        for point, coefficient in self.points.values():
            total = total + Scalar(coefficient) * point
        return total == IDENTITY


def _add_ballot(
    ctx: ElectionContext, shape: Shape, parsed: ParsedBallot, comb: _Combination, rho: Weights
) -> None:
    """Add the ρ-weighted checks of one ballot; raises EncodingError for an invalid point."""
    cts: list[Ciphertext] = []
    for tag, cells in (("ebit", parsed.cands), ("rbit", parsed.bits)):
        for j, cell in enumerate(cells):
            a, b = Point.from_bytes(cell.a), Point.from_bytes(cell.b)
            a0, b0, a1, b1 = (Point.from_bytes(raw) for raw in cell.proof.commitments)
            c = bit_challenge(tag, ctx.fp, ctx.key, j, cell.a, cell.b, cell.proof.commitments)
            c0, z0, z1 = cell.proof.c0.value, cell.proof.z0.value, cell.proof.z1.value
            c1 = (c.value - c0) % L
            r1, r2, r3, r4 = rho(), rho(), rho(), rho()
            # r1(z0·B − A0 − c0·a) + r2(z0·K − B0 − c0·b)
            # + r3(z1·B − A1 − c1·a) + r4(z1·K − B1 − c1·b + c1·B)
            comb.base += r1 * z0 + r3 * z1 + r4 * c1
            comb.key += r2 * z0 + r4 * z1
            comb.add(a0, -r1)
            comb.add(b0, -r2)
            comb.add(a1, -r3)
            comb.add(b1, -r4)
            comb.add(a, -(r1 * c0 + r3 * c1))
            comb.add(b, -(r2 * c0 + r4 * c1))
            cts.append(Ciphertext(a, b))
    x, y = sum_statement(shape, cts[: shape.candidates], cts[shape.candidates :])
    sp = parsed.sum_proof
    p, q = Point.from_bytes(sp.p), Point.from_bytes(sp.q)
    cs = sum_challenge(ctx.fp, ctx.key, shape, cts, x, y, sp.p, sp.q).value
    r5, r6 = rho(), rho()
    # r5(z·B − P − c·X) + r6(z·K − Q − c·Y)
    comb.base += r5 * sp.z.value
    comb.key += r6 * sp.z.value
    comb.add(p, -r5)
    comb.add(q, -r6)
    comb.add(x, -r5 * cs)
    comb.add(y, -r6 * cs)


def verify_bit_batched(
    tag: str, fp: bytes, key: Point, index: int, a_raw: bytes, b_raw: bytes, proof: BitProof
) -> Ciphertext | None:
    """One bit proof checked with 5 variable-base multiplications instead of 6 (§10.9,
    per-proof form): the two checks on B (A0, A1) exactly, the two checks on K combined
    with a fresh 128-bit weight ρ into one, compared by encoding with B0:
        B0 == (z0 + ρ·z1)·K − (c0 + ρ·c1)·b + (ρ·c1)·B − ρ·B1.
    B1 is validated by its multiplication, B0 by the equality. A false proof passes with
    probability ≤ 2^-128. Same results as `verify_bit` otherwise."""
    commitments = proof.commitments
    c = bit_challenge(tag, fp, key, index, a_raw, b_raw, commitments)
    c0, c1 = proof.c0, c - proof.c0
    if IDENTITY.to_bytes() in commitments:
        Point.from_bytes(a_raw), Point.from_bytes(b_raw)
        return None
    if c0.is_zero():
        a, c1a = Point.decode_times(a_raw, c1)
        c0a = c0 * a
    else:
        a, c0a = Point.decode_times(a_raw, c0)
        c1a = c1 * a
    rho = Scalar(secrets.randbits(128) or 1)
    b, b_term = Point.decode_times(b_raw, c0 + rho * c1)
    try:
        _, b1_term = Point.decode_times(commitments[3], rho)
    except EncodingError:
        return None
    if (Point.base_times(proof.z0) - c0a).to_bytes() != commitments[0]:
        return None
    if (Point.base_times(proof.z1) - c1a).to_bytes() != commitments[2]:
        return None
    t = (proof.z0 + rho * proof.z1) * key - b_term + Point.base_times(rho * c1) - b1_term
    return Ciphertext(a, b) if t.to_bytes() == commitments[1] else None


def batch_holds(
    ctx: ElectionContext, shape: Shape, ballots: Sequence[ParsedBallot], rho: Weights = _weight
) -> bool:
    """True iff every point is valid and the random linear combination of every proof
    check of every ballot is the identity (false acceptance ≤ 2^-128, §10.9)."""
    comb = _Combination()
    try:
        for parsed in ballots:
            _add_ballot(ctx, shape, parsed, comb, rho)
    except EncodingError:
        return False
    return comb.is_identity(ctx.key)


def verify_batch(
    ctx: ElectionContext, shape: Shape, ballots: Sequence[ParsedBallot], rho: Weights = _weight
) -> None:
    """Check all ballots' proofs at once; on failure find the first bad ballot by single
    verification and raise InvalidBallot naming it (1-based position in `ballots`)."""
    if batch_holds(ctx, shape, ballots, rho):
        return
    for n, parsed in enumerate(ballots, start=1):
        try:
            verify_parsed(ctx, shape, parsed)
        except InvalidBallot as exc:
            raise InvalidBallot(f"ballot {n}: {exc.en}", f"phiếu {n}: {exc.vi}") from exc
    raise InvalidBallot(  # pragma: no cover - a false batch failure has probability 0
        "the batch check failed but every ballot verifies alone",
        "kiểm tra gộp không đạt nhưng từng phiếu đều đúng",
    )
