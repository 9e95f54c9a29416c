"""The prime-order subgroup of Ed25519: typed, immutable points and scalars.

Everything goes through libsodium (PyNaCl bindings). libsodium refuses the identity and a
zero scalar in its multiplications, so both cases are handled here before calling it.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Final, overload

from nacl import bindings as _na
from nacl import exceptions as _nacl_exc

from .errors import EncodingError

#: Order of the prime-order subgroup (and of the base point B).
L: Final = 2**252 + 27742317777372353535851937790883648493

_IDENTITY_BYTES: Final = b"\x01" + bytes(31)
_HEX: Final = re.compile("[0-9a-f]*")


class Scalar:
    """An integer modulo L; immutable."""

    __slots__ = ("_v",)
    _v: int

    def __init__(self, value: int) -> None:
        object.__setattr__(self, "_v", value % L)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Scalar is immutable")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Scalar:
        """Decode 32 little-endian bytes; reject anything >= L (no silent reduction)."""
        if not isinstance(raw, bytes) or len(raw) != 32:
            raise EncodingError("scalar must be 32 bytes", "số vô hướng phải dài 32 byte")
        value = int.from_bytes(raw, "little")
        if value >= L:
            raise EncodingError("scalar is not reduced modulo L", "số vô hướng không nhỏ hơn L")
        return cls(value)

    @classmethod
    def from_hex(cls, text: object) -> Scalar:
        """Decode a 64-character lowercase hex scalar."""
        return cls.from_bytes(hex_to_bytes(text, 32))

    @classmethod
    def from_hash(cls, data: bytes) -> Scalar:
        """Hs(data): SHA-512 read little-endian, reduced mod L."""
        return cls(int.from_bytes(hashlib.sha512(data).digest(), "little"))

    @classmethod
    def random(cls) -> Scalar:
        """A uniform non-zero scalar: 64 random bytes mod L (bias < 2^-250), retry on zero."""
        while True:
            value = int.from_bytes(os.urandom(64), "little") % L
            if value:
                return cls(value)

    @property
    def value(self) -> int:
        return self._v

    def to_bytes(self) -> bytes:
        return self._v.to_bytes(32, "little")

    def hex(self) -> str:
        return self.to_bytes().hex()

    def is_zero(self) -> bool:
        return self._v == 0

    def __add__(self, other: Scalar) -> Scalar:
        return Scalar(self._v + other._v)

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar(self._v - other._v)

    def __neg__(self) -> Scalar:
        return Scalar(-self._v)

    @overload
    def __mul__(self, other: Scalar) -> Scalar: ...

    @overload
    def __mul__(self, other: Point) -> Point: ...

    def __mul__(self, other: Scalar | Point) -> Scalar | Point:
        """k*m for scalars, k*P (scalar multiplication) for points."""
        if isinstance(other, Point):
            return other.times(self)
        return Scalar(self._v * other._v)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scalar) and other._v == self._v

    def __hash__(self) -> int:
        return hash(("Scalar", self._v))

    def __repr__(self) -> str:
        return f"Scalar(0x{self._v:x})"


ONE: Final = Scalar(1)


class Point:
    """A point of the prime-order subgroup, or the identity.

    Only two ways in: `Point.from_bytes` (full validation, identity refused) and results of
    group operations on points that are already Points. A bytes value is never a Point.
    """

    __slots__ = ("_b",)
    _b: bytes

    def __init__(self, raw: bytes, _token: object = None) -> None:
        if _token is not _TRUSTED:
            raise TypeError("use Point.from_bytes(), which validates")
        object.__setattr__(self, "_b", raw)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Point is immutable")

    @classmethod
    def _trusted(cls, raw: bytes) -> Point:
        return cls(raw, _TRUSTED)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Point:
        """Decode and validate: canonical, on the curve, in the prime-order subgroup, not
        of small order. The identity is refused (it never comes from outside)."""
        if not isinstance(raw, bytes) or len(raw) != 32:
            raise EncodingError("point must be 32 bytes", "điểm phải dài 32 byte")
        if not _na.crypto_core_ed25519_is_valid_point(raw):
            raise EncodingError("not a valid group element", "không phải phần tử hợp lệ của nhóm")
        return cls(raw, _TRUSTED)

    @classmethod
    def from_hex(cls, text: object) -> Point:
        return cls.from_bytes(hex_to_bytes(text, 32))

    @classmethod
    def from_bytes_or_identity(cls, raw: bytes) -> Point:
        """Like from_bytes, but also accept the identity (for values that may be an empty
        sum or a multiple of the identity, e.g. a decryption share of an empty aggregate)."""
        if raw == _IDENTITY_BYTES:
            return IDENTITY
        return cls.from_bytes(raw)

    @classmethod
    def decode_times(cls, raw: bytes, k: Scalar) -> tuple[Point, Point]:
        """Validate `raw` and return (P, k·P).

        libsodium's scalar multiplication performs exactly the checks of
        is_valid_point on its input, so when k ≠ 0 the validation costs nothing extra;
        this matters when checking ballots, where every incoming point is multiplied.
        """
        if k.is_zero():
            return cls.from_bytes(raw), IDENTITY
        if not isinstance(raw, bytes) or len(raw) != 32:
            raise EncodingError("point must be 32 bytes", "điểm phải dài 32 byte")
        try:
            product = _na.crypto_scalarmult_ed25519_noclamp(k.to_bytes(), raw)
        except _nacl_exc.RuntimeError:
            raise EncodingError(
                "not a valid group element", "không phải phần tử hợp lệ của nhóm"
            ) from None
        return cls(raw, _TRUSTED), cls(product, _TRUSTED)

    @staticmethod
    def base_times(k: Scalar) -> Point:
        """k·B."""
        if k.is_zero():
            return IDENTITY
        return Point(_na.crypto_scalarmult_ed25519_base_noclamp(k.to_bytes()), _TRUSTED)

    def to_bytes(self) -> bytes:
        return self._b

    def hex(self) -> str:
        return self._b.hex()

    def is_identity(self) -> bool:
        return self._b == _IDENTITY_BYTES

    def __add__(self, other: Point) -> Point:
        if self._b == _IDENTITY_BYTES:
            return other
        if other._b == _IDENTITY_BYTES:
            return self
        return Point(_na.crypto_core_ed25519_add(self._b, other._b), _TRUSTED)

    def __sub__(self, other: Point) -> Point:
        if other._b == _IDENTITY_BYTES:
            return self
        if self._b == other._b:
            return IDENTITY
        return Point(_na.crypto_core_ed25519_sub(self._b, other._b), _TRUSTED)

    def __neg__(self) -> Point:
        return IDENTITY - self

    def times(self, k: Scalar) -> Point:
        """k·P. Zero scalar or identity point give the identity (libsodium refuses both)."""
        if k.is_zero() or self._b == _IDENTITY_BYTES:
            return IDENTITY
        return Point(_na.crypto_scalarmult_ed25519_noclamp(k.to_bytes(), self._b), _TRUSTED)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and other._b == self._b

    def __hash__(self) -> int:
        return hash(self._b)

    def __repr__(self) -> str:
        return f"Point({self._b.hex()})"


_TRUSTED: Final = object()
IDENTITY: Final = Point(_IDENTITY_BYTES, _TRUSTED)
B: Final = Point(_na.crypto_scalarmult_ed25519_base_noclamp(ONE.to_bytes()), _TRUSTED)


def u32(x: int) -> bytes:
    """Unsigned 32-bit big-endian, the integer encoding inside hash inputs."""
    if not 0 <= x <= 0xFFFFFFFF:
        raise ValueError("u32 out of range")
    return x.to_bytes(4, "big")


def hex_to_bytes(text: object, length: int) -> bytes:
    """Decode lowercase hex of exactly `length` bytes (uppercase is refused: one encoding)."""
    if not isinstance(text, str) or len(text) != 2 * length:
        raise EncodingError(
            f"expected {2 * length} hex characters", f"cần đúng {2 * length} ký tự hex"
        )
    if _HEX.fullmatch(text) is None:
        raise EncodingError("expected lowercase hex", "cần chuỗi hex chữ thường")
    return bytes.fromhex(text)
