"""Canonical JSON, fingerprints and Crockford base32."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto.ballot import short_code
from ballot.crypto.encoding import base32_decode, base32_encode, canonical_json
from ballot.crypto.errors import EncodingError


def test_canonical_json_sorts_keys_and_normalises_to_nfc() -> None:
    decomposed = {"b": "Tie\u0302\u0301ng Vie\u0323\u0302t", "a": 1}
    assert canonical_json(decomposed) == '{"a":1,"b":"Tiếng Việt"}'.encode()


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
