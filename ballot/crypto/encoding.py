"""Canonical JSON, hashes and Crockford base32 shared by every part of the protocol."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any, Final

from .errors import EncodingError

CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_DECODE: Final = {c: i for i, c in enumerate(CROCKFORD)} | {
    "O": 0,
    "I": 1,
    "L": 1,
}


def nfc(value: Any) -> Any:
    """Return a copy of a JSON value with every string (keys too) in NFC; refuse floats and
    any type canonical JSON does not allow."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise EncodingError("object keys must be strings", "khóa JSON phải là chuỗi")
            out[unicodedata.normalize("NFC", key)] = nfc(item)
        return out
    raise EncodingError(
        f"type {type(value).__name__} not allowed in canonical JSON",
        f"kiểu {type(value).__name__} không được phép trong JSON chuẩn",
    )


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes (protocol section 2): NFC strings, sorted keys, no spaces,
    literal non-ASCII, no floats."""
    return json.dumps(nfc(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def h256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def h512(data: bytes) -> bytes:
    return hashlib.sha512(data).digest()


def base32_encode(data: bytes) -> str:
    """Crockford base32 of the bits of `data` (big-endian), zero-padded to a multiple of 5."""
    nbits = 8 * len(data)
    value = int.from_bytes(data, "big") << (-nbits % 5)
    nchars = -(-nbits // 5)
    return "".join(CROCKFORD[(value >> (5 * (nchars - 1 - i))) & 31] for i in range(nchars))


def base32_decode(text: str) -> bytes:
    """Inverse of base32_encode; accepts lowercase and the Crockford look-alikes O, I, L.
    The padding bits must be zero."""
    value = 0
    for ch in text.upper():
        if ch not in _CROCKFORD_DECODE:
            raise EncodingError(
                f"character {ch!r} is not base32", f"ký tự {ch!r} không thuộc base32"
            )
        value = (value << 5) | _CROCKFORD_DECODE[ch]
    nbytes = 5 * len(text) // 8
    pad = 5 * len(text) - 8 * nbytes
    if value & ((1 << pad) - 1):
        raise EncodingError("base32 padding bits are not zero", "bit đệm base32 khác 0")
    return (value >> pad).to_bytes(nbytes, "big")
