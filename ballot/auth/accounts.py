"""Account changes that end sessions: password change, disable, enable; and the check that
the published demo passwords were changed before a demo instance faces a network."""

from __future__ import annotations

from sqlalchemy import select

from ballot.auth import sessions, throttle
from ballot.auth.models import User
from ballot.auth.passwords import hash_password, verify_password
from ballot.db import db

MIN_PASSWORD = 10


class AccountError(ValueError):
    """A change the account cannot take; the message is Vietnamese, then English."""


def by_name(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"Không có tài khoản {username!r} (no such account).")
    return user


def set_password(user: User, new: str) -> int:
    """Set a new password and end every session of the account; returns how many ended."""
    if len(new) < MIN_PASSWORD:
        raise AccountError(
            f"Mật khẩu tối thiểu {MIN_PASSWORD} ký tự "
            f"(a password has at least {MIN_PASSWORD} characters)."
        )
    if len(new) > 200:
        raise AccountError("Mật khẩu quá dài (at most 200 characters).")
    user.password_hash = hash_password(new)
    ended = sessions.end_all(user.id)
    db.session.flush()
    return ended


def forget_failures(user: User) -> None:
    """After a committed password change: the account's login backoff starts again."""
    throttle.clear(account_key(user.username))


def account_key(username: str) -> str:
    return f"login-account:{username[:80]}"


def address_key(address: str) -> str:
    return f"login-address:{address}"


def disable(user: User) -> int:
    """Disable an account: no login, every session ended; returns how many ended."""
    user.active = False
    ended = sessions.end_all(user.id)
    db.session.flush()
    return ended


def enable(user: User) -> None:
    user.active = True
    db.session.flush()


def unchanged_demo_passwords() -> list[str]:
    """The demo accounts that still accept their published password (README, `ballot demo`)."""
    from ballot.demo import DEMO_LOGINS

    found = []
    for username, password, _role, _name in DEMO_LOGINS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and user.active and verify_password(user.password_hash, password):
            found.append(username)
    return found
