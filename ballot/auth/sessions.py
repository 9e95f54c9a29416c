"""Server-side sessions: the signed cookie carries a random token; the `user_session` table
holds its SHA-256. A request is logged in only while that row exists, is younger than the
lifetime, and belongs to an active account. Logout deletes the row; a password change or a
disabled account deletes every row of that user (`end_all`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from sqlalchemy import delete, select

from ballot.auth.models import User, UserSession
from ballot.db import db, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for `user`; returns the token to put in the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=_digest(token), user_id=user.id))
    db.session.flush()
    return token


def find(token: object, lifetime: timedelta) -> User | None:
    """The active user whose live session `token` names, or None."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id == _digest(token))
    ).one_or_none()
    if row is None:
        return None
    live, user = row
    created = live.created_at
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
    if not user.active or utcnow() - created > lifetime:
        return None
    return user  # type: ignore[no-any-return]


def end(token: object) -> None:
    """End one session (logout)."""
    if isinstance(token, str) and token:
        db.session.execute(delete(UserSession).where(UserSession.id == _digest(token)))


def end_all(user_id: int) -> int:
    """End every session of a user (password changed, account disabled); returns how many."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge(lifetime: timedelta) -> None:
    """Delete sessions older than the lifetime (called at login)."""
    db.session.execute(delete(UserSession).where(UserSession.created_at < utcnow() - lifetime))
