"""Exponential ElGamal over the Ed25519 subgroup: Enc(m; r) = (r·B, m·B + r·K)."""

from __future__ import annotations

from dataclasses import dataclass

from .group import IDENTITY, Point, Scalar


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An ElGamal pair (a, b) of checked points."""

    a: Point
    b: Point

    def __add__(self, other: Ciphertext) -> Ciphertext:
        """Homomorphic addition: the sum encrypts the sum of the plaintexts."""
        return Ciphertext(self.a + other.a, self.b + other.b)

    def to_json(self) -> dict[str, str]:
        return {"a": self.a.hex(), "b": self.b.hex()}


ZERO_CIPHERTEXT = Ciphertext(IDENTITY, IDENTITY)


def encrypt(key: Point, m: int, r: Scalar) -> Ciphertext:
    """Encrypt the small integer m under key K with randomness r (r must be non-zero)."""
    if r.is_zero():
        raise ValueError("encryption randomness must be non-zero")
    return Ciphertext(Point.base_times(r), Point.base_times(Scalar(m)) + r * key)


def add_all(items: list[Ciphertext]) -> Ciphertext:
    """Sum of ciphertexts; the empty sum is (identity, identity)."""
    total = ZERO_CIPHERTEXT
    for ct in items:
        total = total + ct
    return total
