"""The append-only audit log of administrative and counting actions, chained by hashes.

Each entry stores the hash of the entry before it and the hash of its own canonical content,
so that editing or deleting an entry breaks the chain (`ballot.audit.service.verify_chain`).
`AuditHead` keeps the last sequence number and hash: appending an entry first updates that
one row, which serialises writers (row lock on PostgreSQL, write lock on SQLite) and lets
the check notice a deleted tail.

What an entry never holds: a ballot code, a code hash, a holder tag, anything from a ballot
or a board entry, or anything linking a member to a ballot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ballot.db import Base, utcnow


class AuditEntry(Base):
    """One action: who did what to which object, and when."""

    __tablename__ = "audit_entry"
    __table_args__ = (CheckConstraint("seq >= 1", name="seq_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain, 1, 2, 3, ... without gaps.
    seq: Mapped[int] = mapped_column(unique=True)
    #: When the action happened (UTC), as stored in the hash: see `service.entry_content`.
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Username of the account that acted, or "system" for commands run on the server.
    actor: Mapped[str] = mapped_column(String(80))
    #: Role of that account at the time ("admin", "desk", ...; "system").
    actor_role: Mapped[str] = mapped_column(String(30))
    #: Stable action code, e.g. "vote.opened" (labels in ballot.audit.labels).
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: The object acted on, e.g. "vote:<public id>" or "user:admin".
    target: Mapped[str] = mapped_column(String(255))
    #: Plain facts about the action (canonical JSON values only: no floats).
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Hash of the previous entry (64 zeros for the first).
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of "ballot/audit/v1" ‖ 0x00 ‖ prev_hash ‖ canonical content (hex).
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's current end: one row (id 1)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
    #: HMAC under the audit key of (seq, hash): moving the head back to an earlier entry
    #: needs the key, which is not in the database (service.head_mac).
    mac: Mapped[str | None] = mapped_column(String(64))
