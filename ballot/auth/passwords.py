"""Argon2id password hashing (memory-hard), with rehash on changed parameters.

The cost is configurable (ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM); the
defaults are RFC 9106's second recommended profile as argon2-cffi ships it. Tests lower the
memory to keep the suite fast; a hash records its own parameters, so verification follows.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

_DEFAULT = PasswordHasher()


@lru_cache(maxsize=4)
def _hasher_for(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    if not has_app_context():
        return _DEFAULT
    config = current_app.config
    return _hasher_for(
        int(config.get("ARGON2_MEMORY_KIB", _DEFAULT.memory_cost)),
        int(config.get("ARGON2_TIME_COST", _DEFAULT.time_cost)),
        int(config.get("ARGON2_PARALLELISM", _DEFAULT.parallelism)),
    )


@lru_cache(maxsize=4)
def _dummy(hasher: PasswordHasher) -> str:
    """A hash of a throwaway password, checked when the username is unknown so that the
    response time does not tell which usernames exist."""
    return hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Return an encoded Argon2id hash of `password`."""
    return _hasher().hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """Return True when `password` matches `encoded`; spend the same effort when it is None."""
    hasher = _hasher()
    try:
        return hasher.verify(encoded or _dummy(hasher), password) and encoded is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Return True when `encoded` was made with other parameters than today's."""
    return _hasher().check_needs_rehash(encoded)
