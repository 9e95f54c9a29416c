"""The group layer: encodings, validation, identity and zero handled explicitly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto.errors import EncodingError
from ballot.crypto.group import IDENTITY, B, L, Point, Scalar, hex_to_bytes

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "group.json").read_text("utf-8"))
scalars = st.integers(min_value=0, max_value=L - 1).map(Scalar)


@pytest.mark.parametrize("case", VECTORS["points_invalid"], ids=lambda c: c["why"])
def test_invalid_points_are_refused(case: dict[str, str]) -> None:
    with pytest.raises(EncodingError):
        Point.from_hex(case["hex"])


@pytest.mark.parametrize("case", VECTORS["points_invalid"], ids=lambda c: c["why"])
def test_invalid_points_are_refused_when_multiplied_on_decode(case: dict[str, str]) -> None:
    raw = bytes.fromhex(case["hex"])
    for k in (Scalar(0), Scalar(1), Scalar(12345)):
        with pytest.raises(EncodingError):
            Point.decode_times(raw, k)


@pytest.mark.parametrize("case", VECTORS["scalars_invalid"], ids=lambda c: c["why"])
def test_invalid_scalars_are_refused(case: dict[str, str]) -> None:
    with pytest.raises(EncodingError):
        Scalar.from_hex(case["hex"])


def test_valid_encodings_round_trip() -> None:
    for case in VECTORS["points_valid"]:
        point = Point.from_hex(case["point"])
        assert point == Point.base_times(Scalar.from_hex(case["scalar"]))
        assert point.hex() == case["point"]
    for case in VECTORS["scalars_valid"]:
        assert Scalar.from_hex(case["hex"]).value == int(case["value"])


def test_a_point_cannot_be_made_from_unchecked_bytes() -> None:
    with pytest.raises(TypeError):
        Point(B.to_bytes())


def test_points_and_scalars_are_immutable() -> None:
    with pytest.raises(AttributeError):
        B._b = bytes(32)
    with pytest.raises(AttributeError):
        Scalar(1)._v = 2


def test_identity_and_zero_are_handled_without_libsodium() -> None:
    p = Point.base_times(Scalar(7))
    assert Scalar(0) * p == IDENTITY
    assert Point.base_times(Scalar(0)) == IDENTITY
    assert Scalar(5) * IDENTITY == IDENTITY
    assert IDENTITY + p == p and p + IDENTITY == p
    assert p - p == IDENTITY and p - IDENTITY == p
    assert -p + p == IDENTITY
    assert Point.from_bytes_or_identity(IDENTITY.to_bytes()) == IDENTITY
    with pytest.raises(EncodingError):
        Point.from_bytes(IDENTITY.to_bytes())


def test_hex_must_be_lowercase_and_exact_length() -> None:
    with pytest.raises(EncodingError):
        hex_to_bytes("AB" * 32, 32)
    with pytest.raises(EncodingError):
        hex_to_bytes("ab" * 31, 32)
    with pytest.raises(EncodingError):
        hex_to_bytes("zz" * 32, 32)
    with pytest.raises(EncodingError):
        hex_to_bytes(None, 32)


def test_random_scalars_are_non_zero_and_distinct() -> None:
    drawn = {Scalar.random() for _ in range(50)}
    assert len(drawn) == 50 and Scalar(0) not in drawn


@settings(max_examples=25, deadline=None)
@given(scalars, scalars)
def test_scalar_multiplication_is_a_homomorphism(a: Scalar, b: Scalar) -> None:
    pa, pb = Point.base_times(a), Point.base_times(b)
    assert Point.base_times(a + b) == pa + pb
    assert Point.base_times(a - b) == pa - pb
    assert a * pb == b * pa == Point.base_times(a * b)
    if not pa.is_identity():
        decoded, product = Point.decode_times(pa.to_bytes(), b)
        assert decoded == pa and product == b * pa


@settings(max_examples=25, deadline=None)
@given(scalars)
def test_scalar_encoding_round_trips(a: Scalar) -> None:
    assert Scalar.from_bytes(a.to_bytes()) == a
    assert Scalar.from_hex(a.hex()) == a
