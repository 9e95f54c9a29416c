"""Argon2id password hashing (memory-hard), with rehash on changed parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile

#: Hash of a throwaway password, checked when the username is unknown so that the
#: response time does not tell which usernames exist.
_DUMMY = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Return an encoded Argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """Return True when `password` matches `encoded`; spend the same effort when it is None."""
    try:
        return _hasher.verify(encoded or _DUMMY, password) and encoded is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Return True when `encoded` was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(encoded)
