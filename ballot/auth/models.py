"""User accounts and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
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
