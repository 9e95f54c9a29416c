"""Fiat-Shamir zero-knowledge proofs of protocol section 4.

Each challenge hashes the whole statement: "ballot/v1/" ‖ TAG ‖ 0x00 ‖ fp ‖ K ‖ context ‖
statement points ‖ commitments. Proofs are stored compactly (challenges and responses);
the verifier recomputes the commitments and the challenge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .elgamal import Ciphertext
from .errors import EncodingError
from .group import B, Point, Scalar, u32

Rng = Callable[[], Scalar]
PREFIX = b"ballot/v1/"
ROW = 0xFFFFFFFF  # the "level" context value of a row proof


def challenge(tag: str, fp: bytes, key: Point, context: bytes, points: Sequence[Point]) -> Scalar:
    """Hs("ballot/v1/" ‖ tag ‖ 0x00 ‖ fp ‖ K ‖ context ‖ points...)."""
    parts = [PREFIX, tag.encode("ascii"), b"\x00", fp, key.to_bytes(), context]
    parts.extend(p.to_bytes() for p in points)
    return Scalar.from_hash(b"".join(parts))


def bit_context(i: int, k: int) -> bytes:
    return u32(i) + u32(k)


def row_context(i: int) -> bytes:
    return u32(i) + u32(ROW)


def _scalars_from_json(value: object, count: int) -> list[Scalar]:
    if not isinstance(value, list) or len(value) != count:
        raise EncodingError(
            f"proof must be a list of {count} scalars", f"chứng minh phải gồm {count} số vô hướng"
        )
    return [Scalar.from_hex(item) for item in value]


@dataclass(frozen=True, slots=True)
class OrProof:
    """Disjunctive Chaum-Pedersen proof that a ciphertext encrypts 0 or 1: [c0, z0, c1, z1]."""

    c0: Scalar
    z0: Scalar
    c1: Scalar
    z1: Scalar

    def to_json(self) -> list[str]:
        return [self.c0.hex(), self.z0.hex(), self.c1.hex(), self.z1.hex()]

    def scalars(self) -> tuple[Scalar, ...]:
        return (self.c0, self.z0, self.c1, self.z1)

    @classmethod
    def from_json(cls, value: object) -> OrProof:
        c0, z0, c1, z1 = _scalars_from_json(value, 4)
        return cls(c0, z0, c1, z1)


@dataclass(frozen=True, slots=True)
class EqProof:
    """Chaum-Pedersen proof of equal discrete logarithms: [c, z]."""

    c: Scalar
    z: Scalar

    def to_json(self) -> list[str]:
        return [self.c.hex(), self.z.hex()]

    def scalars(self) -> tuple[Scalar, ...]:
        return (self.c, self.z)

    @classmethod
    def from_json(cls, value: object) -> EqProof:
        c, z = _scalars_from_json(value, 2)
        return cls(c, z)


# --- 0-or-1 proofs ("bit" for one cell, "row" for a row sum) -----------------------------


def prove_or(
    tag: str, fp: bytes, key: Point, context: bytes, ct: Ciphertext, m: int, r: Scalar, rng: Rng
) -> OrProof:
    """Prove ct = Enc(m; r) with m in {0, 1}. Draws w, then the simulated branch's c and z."""
    if m not in (0, 1):
        raise ValueError("can only prove a plaintext of 0 or 1")
    w, c_sim, z_sim = rng(), rng(), rng()
    j = 1 - m  # the simulated branch
    # The prover knows r (a = r·B, b − j·B = (m − j)·B + r·K), so the simulated
    # commitments A_j = z·B − c·a and B_j = z·K − c·(b − j·B) only need the fixed bases:
    # A_j = (z − c·r)·B, B_j = (z − c·r)·K − (c·(m − j))·B. Same values, 2 fewer
    # variable-base multiplications per proof.
    t = z_sim - c_sim * r
    sim = (Point.base_times(t), t * key - Point.base_times(c_sim * Scalar(m - j)))
    real = (Point.base_times(w), w * key)
    a0, b0, a1, b1 = (*real, *sim) if m == 0 else (*sim, *real)
    c = challenge(tag, fp, key, context, [ct.a, ct.b, a0, b0, a1, b1])
    c_real = c - c_sim
    z_real = w + c_real * r
    if m == 0:
        return OrProof(c_real, z_real, c_sim, z_sim)
    return OrProof(c_sim, z_sim, c_real, z_real)


def _or_commitments(
    key: Point, proof: OrProof, c0a: Point, c1a: Point, c0b: Point, c1b_minus_b: Point
) -> tuple[Point, Point, Point, Point]:
    """A0 = z0·B − c0·a, B0 = z0·K − c0·b, A1 = z1·B − c1·a, B1 = z1·K − c1·(b − B),
    from the four products involving the ciphertext."""
    return (
        Point.base_times(proof.z0) - c0a,
        proof.z0 * key - c0b,
        Point.base_times(proof.z1) - c1a,
        proof.z1 * key - c1b_minus_b,
    )


def verify_or(
    tag: str, fp: bytes, key: Point, context: bytes, ct: Ciphertext, proof: OrProof
) -> bool:
    """True iff `proof` shows that ct (checked points) encrypts 0 or 1 under this statement."""
    commitments = _or_commitments(
        key, proof, proof.c0 * ct.a, proof.c1 * ct.a, proof.c0 * ct.b, proof.c1 * (ct.b - B)
    )
    c = challenge(tag, fp, key, context, [ct.a, ct.b, *commitments])
    return c == proof.c0 + proof.c1


def verify_or_raw(
    tag: str, fp: bytes, key: Point, context: bytes, a_raw: bytes, b_raw: bytes, proof: OrProof
) -> Ciphertext | None:
    """Validate the encodings a_raw, b_raw and check the proof in one pass.

    Returns the checked ciphertext if the proof holds, None if it does not; raises
    EncodingError for an invalid point. Same result as Point.from_bytes + verify_or, but
    the point checks ride on the first multiplication of each point (see Point.decode_times).
    """
    if proof.c0.is_zero():
        a, c1a = Point.decode_times(a_raw, proof.c1)
        c0a = proof.c0 * a
    else:
        a, c0a = Point.decode_times(a_raw, proof.c0)
        c1a = proof.c1 * a
    b, c0b = Point.decode_times(b_raw, proof.c0)
    c1b = proof.c1 * (b - B)
    commitments = _or_commitments(key, proof, c0a, c1a, c0b, c1b)
    c = challenge(tag, fp, key, context, [a, b, *commitments])
    return Ciphertext(a, b) if c == proof.c0 + proof.c1 else None


# --- Chaum-Pedersen proofs ("row1": a row sum encrypts exactly 1; "dec": a partial
# decryption is correct) ------------------------------------------------------------------


def prove_row1(fp: bytes, key: Point, i: int, total: Ciphertext, r: Scalar, rng: Rng) -> EqProof:
    """Prove the row sum `total` = Enc(1; r): (Σa, Σb − B) is a DH pair for (B, K)."""
    w = rng()
    commit_a, commit_c = Point.base_times(w), w * key
    c = challenge("row1", fp, key, row_context(i), [total.a, total.b, commit_a, commit_c])
    return EqProof(c, w + c * r)


def verify_row1(fp: bytes, key: Point, i: int, total: Ciphertext, proof: EqProof) -> bool:
    """True iff the proof shows that the row sum encrypts exactly 1."""
    commit_a = Point.base_times(proof.z) - proof.c * total.a
    commit_c = proof.z * key - proof.c * (total.b - B)
    c = challenge("row1", fp, key, row_context(i), [total.a, total.b, commit_a, commit_c])
    return c == proof.c


def dec_context(x: int, i: int, k: int) -> bytes:
    return u32(x) + u32(i) + u32(k)


def prove_dec(
    fp: bytes,
    key: Point,
    x: int,
    i: int,
    k: int,
    ct: Ciphertext,
    share: Scalar,
    verification_key: Point,
    rng: Rng,
) -> tuple[Point, EqProof]:
    """Partial decryption D = s_x·a with a proof that log_B V_x = log_a D."""
    d = share * ct.a
    w = rng()
    commit_a, commit_c = Point.base_times(w), w * ct.a
    c = challenge(
        "dec",
        fp,
        key,
        dec_context(x, i, k),
        [ct.a, ct.b, verification_key, d, commit_a, commit_c],
    )
    return d, EqProof(c, w + c * share)


def verify_dec(
    fp: bytes,
    key: Point,
    x: int,
    i: int,
    k: int,
    ct: Ciphertext,
    verification_key: Point,
    d: Point,
    proof: EqProof,
) -> bool:
    """True iff D is s_x·a for the s_x behind V_x (Chaum-Pedersen check)."""
    commit_a = Point.base_times(proof.z) - proof.c * verification_key
    commit_c = proof.z * ct.a - proof.c * d
    c = challenge(
        "dec",
        fp,
        key,
        dec_context(x, i, k),
        [ct.a, ct.b, verification_key, d, commit_a, commit_c],
    )
    return c == proof.c
