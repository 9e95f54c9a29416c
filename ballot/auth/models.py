"""User accounts and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ballot.db import Base, str_enum, utcnow
from ballot.org.models import Member


class Role(enum.StrEnum):
    """What an account may do; checked in one place (ballot.web.access)."""

    ADMIN = "admin"  # văn phòng / secretariat: sets up everything
    DESK = "desk"  # desk clerk: attendance and ballot codes
    COUNTING = "counting"  # counting-committee member (Ban kiểm phiếu)
    OBSERVER = "observer"  # read-only: turnout, published results


class User(Base):
    """A login account. Passwords are stored only as Argon2id hashes."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    #: Argon2id encoded hash (memory-hard), never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    #: The party member this account belongs to, if any (counting-committee members).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    member: Mapped[Member | None] = relationship()


class UserSession(Base):
    """A logged-in browser: the cookie carries a random token, the table only its SHA-256.

    Every request looks its session up (ballot.web.access.load_user); logout deletes the row,
    a password change or a disabled account deletes all of that user's rows, so a cookie
    copied before any of these is worth nothing after it.
    """

    __tablename__ = "user_session"

    #: SHA-256 of the token in the cookie (hex); a database reader cannot use it as a cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Throttle(Base):
    """One counter of attempts (logins per account, per address; ballot codes per address),
    changed only by compare-and-swap updates so that parallel requests cannot slip past it
    (ballot.auth.throttle)."""

    __tablename__ = "throttle"
    __table_args__ = (CheckConstraint("hits >= 0", name="hits_non_negative"),)

    #: "login-account:<name>", "login-address:<ip>", "code-address:<ip>".
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    #: No attempt is taken before this moment (the account's backoff).
    blocked_until: Mapped[datetime | None]
