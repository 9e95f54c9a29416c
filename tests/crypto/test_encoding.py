"""Canonical JSON, fingerprints and Crockford base32."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto.ballot import short_code
from ballot.crypto.encoding import (
    base32_decode,
    base32_encode,
    canonical_json,
    nfc,
    parse_json,
    same_json,
)
from ballot.crypto.errors import EncodingError


def test_canonical_json_sorts_keys_and_refuses_what_is_not_nfc() -> None:
    assert canonical_json({"b": "Tiếng Việt", "a": 1}) == '{"a":1,"b":"Tiếng Việt"}'.encode()
    decomposed = {"b": "Tie\u0302\u0301ng Vie\u0323\u0302t", "a": 1}
    with pytest.raises(EncodingError, match="NFC"):
        canonical_json(decomposed)  # refused, not normalised
    with pytest.raises(EncodingError, match="NFC"):
        canonical_json({"mie\u0302\u0303n": True})  # keys too
    assert canonical_json(nfc(decomposed)) == '{"a":1,"b":"Tiếng Việt"}'.encode()  # builders


def test_canonical_json_refuses_integers_beyond_the_safe_range_and_surrogates() -> None:
    assert canonical_json([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"
    for bad in (2**53, -(2**53), 10**30, "\ud800", {"k": 1.0}, {1: "x"}):
        with pytest.raises(EncodingError):
            canonical_json(bad)


def test_same_json_compares_exact_types() -> None:
    assert same_json({"a": [1, "x"]}, {"a": [1, "x"]})
    assert not same_json({"count": True}, {"count": 1})
    assert not same_json([1.0], [1])


VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "canonical_json.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", VECTORS["parse_refused"], ids=lambda c: c["why"])
def test_strict_parser_refuses_each_forged_text(case: dict[str, str]) -> None:
    with pytest.raises(EncodingError):
        parse_json(case["text"])


@pytest.mark.parametrize("case", VECTORS["canonical_refused"], ids=lambda c: c["why"])
def test_parsed_but_not_hashable(case: dict[str, str]) -> None:
    value = parse_json(case["text"])
    with pytest.raises(EncodingError, match="NFC"):
        canonical_json(value)


def test_strict_parser_keeps_exact_values() -> None:
    text = '{"a":[1,-5,true,false,null,"Việt"],"b":{},"big":9007199254740991}'
    assert parse_json(text) == json.loads(text)
    assert parse_json(text.encode()) == json.loads(text)
    assert parse_json("[true]")[0] is True
    for bad in (b"\xff", "[" * 5000 + "]" * 5000, "", "{'a':1}"):
        with pytest.raises(EncodingError):
            parse_json(bad)


def test_canonical_json_refuses_floats() -> None:
    with pytest.raises(EncodingError):
        canonical_json({"quorum": 0.66})


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=64))
def test_base32_round_trips(data: bytes) -> None:
    assert base32_decode(base32_encode(data)) == data


def test_base32_reads_look_alikes_and_refuses_garbage() -> None:
    assert base32_decode("oIl00000") == base32_decode("01100000")
    with pytest.raises(EncodingError):
        base32_decode("U")
    with pytest.raises(EncodingError):
        base32_decode("01")  # non-zero padding bits


def test_short_code_is_eight_characters_with_a_hyphen() -> None:
    assert short_code(bytes(32)) == "0000-0000"
    assert short_code(b"\xff" * 32) == "ZZZZ-ZZZZ"
    assert short_code(bytes([0x08, 0x86, 0x40, 0, 0]) + bytes(27)) == "1234-0000"
