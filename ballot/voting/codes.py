"""One-time ballot codes: 65 random bits in Crockford base32 with Crockford's check symbol.

Shown as "ABCD-EFGH-JKMN-PQ": 13 data symbols (65 bits) and 1 check symbol (value mod 37).
A mistyped code is caught by the check symbol on the tablet before anything is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_SYMBOLS = 13
_ALIASES = {"O": "0", "I": "1", "L": "1"}


def _check_symbol(value: int) -> str:
    return CHECK_ALPHABET[value % 37]


def new_code() -> str:
    """Return a fresh code, grouped for reading aloud and typing."""
    value = secrets.randbits(5 * DATA_SYMBOLS)
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(DATA_SYMBOLS)))
    raw = symbols + _check_symbol(value)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise(text: str) -> str | None:
    """Return the canonical 14-symbol form of a typed code, or None if its check fails.

    Case, spaces and dashes are ignored; O, I and L are read as 0, 1, 1 (Crockford).
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    cleaned = "".join(_ALIASES.get(ch, ch) for ch in cleaned)
    if len(cleaned) != DATA_SYMBOLS + 1:
        return None
    data, check = cleaned[:-1], cleaned[-1]
    if any(ch not in ALPHABET for ch in data) or check not in CHECK_ALPHABET:
        return None
    value = 0
    for ch in data:
        value = value * 32 + ALPHABET.index(ch)
    return cleaned if _check_symbol(value) == check else None


def code_hash(key: str, vote_public_id: str, normalised: str) -> str:
    """Keyed hash under which a code is stored: HMAC-SHA256(key, vote id ‖ code)."""
    message = f"ballot-code|{vote_public_id}|{normalised}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def holder_tag(key: str, vote_public_id: str, voter_id: int) -> str:
    """Keyed tag of a code's holder, kept only while the code is unused (for revocation)."""
    message = f"ballot-holder|{vote_public_id}|{voter_id}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def random_row_id() -> int:
    """A random primary key for a code row (1 .. 2**62): rows carry no issuance order."""
    return 1 + secrets.randbelow(2**62)
