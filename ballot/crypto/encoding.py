"""Canonical JSON, hashes and Crockford base32 shared by every part of the protocol."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any, Final

from .errors import EncodingError

CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_DECODE: Final = {c: i for i, c in enumerate(CROCKFORD)} | {
    "O": 0,
    "I": 1,
    "L": 1,
}


#: Largest integer magnitude allowed anywhere in protocol JSON (exact in JavaScript).
MAX_SAFE_INTEGER: Final = 2**53 - 1


def nfc(value: Any) -> Any:
    """Return a copy of a JSON value with every string (keys too) in NFC; refuse floats and
    any type canonical JSON does not allow. For builders only (the server's own data on its
    way into a manifest or a ceremony id): what is read from outside is never normalised,
    `canonical_json` refuses it."""
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


def _check_string(text: str) -> None:
    if not unicodedata.is_normalized("NFC", text):
        raise EncodingError(
            f"string {text[:40]!r} is not in NFC (canonical composition): refused, not normalised",
            f"chuỗi {text[:40]!r} không ở dạng NFC (dựng sẵn): bị từ chối, không tự chuẩn hóa",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EncodingError(
            "lone surrogate in a string", "chuỗi chứa nửa cặp thay thế (surrogate) lẻ"
        ) from None


def _check_canonical(value: Any, depth: int = 0) -> None:
    """Refuse what canonical JSON cannot hold exactly: non-NFC strings (keys too), lone
    surrogates, floats, integers beyond ±(2^53 − 1), non-JSON types."""
    if depth > 64:
        raise EncodingError("JSON nested too deeply", "JSON lồng nhau quá sâu")
    if isinstance(value, str):
        _check_string(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise EncodingError("integer beyond ±(2^53 − 1)", "số nguyên vượt quá ±(2^53 − 1)")
    elif isinstance(value, list):
        for item in value:
            _check_canonical(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise EncodingError("object keys must be strings", "khóa JSON phải là chuỗi")
            _check_string(key)
            _check_canonical(item, depth + 1)
    else:
        raise EncodingError(
            f"type {type(value).__name__} not allowed in canonical JSON",
            f"kiểu {type(value).__name__} không được phép trong JSON chuẩn",
        )


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes (protocol section 2): sorted keys, no spaces, literal non-ASCII.
    Strings must already be NFC and integers within ±(2^53 − 1): anything else is refused
    (EncodingError), never normalised, so that the bytes hashed are the bytes received."""
    _check_canonical(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def same_json(a: Any, b: Any) -> bool:
    """Equality of two JSON values with exact types (true ≠ 1, 1.0 ≠ 1), as a verifier
    compares what a record says with what it recomputed."""
    try:
        return canonical_json(a) == canonical_json(b)
    except EncodingError:
        return False


# --- strict parsing ------------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise EncodingError(
                f"duplicate JSON key {key[:40]!r}", f"khóa JSON {key[:40]!r} bị lặp"
            )
        out[key] = value
    return out


def _parse_int(text: str) -> int:
    if len(text) > 17 or text == "-0":
        raise EncodingError(
            f"integer {text[:24]} out of range or not canonical",
            f"số nguyên {text[:24]} ngoài phạm vi hoặc không chuẩn",
        )
    value = int(text)
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise EncodingError(
            f"integer {text} beyond ±(2^53 − 1)", f"số nguyên {text} vượt quá ±(2^53 − 1)"
        )
    return value


def _parse_float(text: str) -> Any:
    raise EncodingError(
        f"number {text[:24]} is not an integer (no fractions or exponents)",
        f"số {text[:24]} không phải số nguyên (không có phần thập phân hay số mũ)",
    )


def _parse_constant(text: str) -> Any:
    raise EncodingError(f"{text} is not JSON", f"{text} không phải JSON")


_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _check_surrogates(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise EncodingError(
                "lone surrogate in a string", "chuỗi chứa nửa cặp thay thế (surrogate) lẻ"
            ) from None
    elif isinstance(value, list):
        for item in value:
            _check_surrogates(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_surrogates(key)
            _check_surrogates(item)


def parse_json(data: str | bytes) -> Any:
    """Parse protocol JSON strictly (records, manifests, key files, API bodies): UTF-8 only,
    duplicate keys refused, numbers only as integers within ±(2^53 − 1) ("1.0", "1e0", "-0",
    NaN refused), lone surrogates refused. Raises EncodingError. Types are kept exact
    (true stays a bool): the checks that follow compare them exactly."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except UnicodeDecodeError:
        raise EncodingError("not UTF-8", "không phải UTF-8") from None
    except json.JSONDecodeError as exc:
        raise EncodingError(f"not JSON ({exc})", f"không phải JSON ({exc})") from None
    except RecursionError:
        raise EncodingError("JSON nested too deeply", "JSON lồng nhau quá sâu") from None
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(value)
    return value


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
