"""Confidence votes, their roll, one-time codes, board, counting committee and shares.

Secrecy by construction: the roll (`VoteVoter`) says only *that* a member received a code;
a code (`BallotCode`) is stored as a keyed hash and never linked to the ballot it was used
for; a board entry (`BoardEntry`) carries no time stamp, address or account.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ballot.db import Base, str_enum, utcnow
from ballot.org.models import Conference
from ballot.voting.codes import random_row_id


class VoteState(enum.StrEnum):
    """The life of a vote; transitions live in ballot.voting.services."""

    DRAFT = "draft"  # being set up: subjects, roll, rules
    CEREMONY = "ceremony"  # counting committee chosen, key ceremony running
    READY = "ready"  # manifest frozen (public key, fingerprint); attendance and codes
    OPEN = "open"  # ballots accepted
    CLOSED = "closed"  # board frozen; waiting for t decryption shares
    COUNTED = "counted"  # results decrypted and published


class VoteKind(enum.StrEnum):
    """What a vote decides: confidence in office holders (96-QĐ/TW) or an election of people
    (bầu cử, 190-QĐ/TW). Both share the ceremony, the desk, the codes, the board and counting."""

    CONFIDENCE = "confidence"
    ELECTION = "election"


class ConfidenceVote(Base):
    """A confidence vote (lấy phiếu tín nhiệm) or an election (bầu cử) held at a conference."""

    __tablename__ = "confidence_vote"
    __table_args__ = (
        CheckConstraint("threshold >= 1 AND threshold <= trustee_count", name="threshold_in_range"),
        CheckConstraint("quorum_num > 0 AND quorum_num <= quorum_den", name="quorum_fraction"),
        CheckConstraint("ballots_cast >= 0", name="ballots_cast_non_negative"),
        CheckConstraint("round_no >= 1", name="round_no_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Public identifier used in URLs, the manifest and the record.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
    title: Mapped[str] = mapped_column(String(500))
    state: Mapped[VoteState] = mapped_column(str_enum(VoteState), default=VoteState.DRAFT)
    kind: Mapped[VoteKind] = mapped_column(
        str_enum(VoteKind), default=VoteKind.CONFIDENCE, server_default=VoteKind.CONFIDENCE.value
    )
    #: An election's rules (`ElectionRules.as_manifest()` plus "convened", the number the
    #: majority is measured against, 190-QĐ/TW Art. 30); the same dict is the manifest's
    #: rules.election. NULL for a confidence vote.
    election: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The earlier round of an election (a further round is a new election linked to it).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("confidence_vote.id"))
    round_no: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    #: Quorum: at least quorum_num/quorum_den of those summoned present (96-QĐ/TW: 2/3).
    quorum_num: Mapped[int] = mapped_column(default=2)
    quorum_den: Mapped[int] = mapped_column(default=3)
    #: Flag "more than consider_num/consider_den low confidence" (1/2).
    consider_num: Mapped[int] = mapped_column(default=1)
    consider_den: Mapped[int] = mapped_column(default=2)
    #: Flag "dismiss_num/dismiss_den or more" (2/3), inclusive unless set otherwise.
    dismiss_num: Mapped[int] = mapped_column(default=2)
    dismiss_den: Mapped[int] = mapped_column(default=3)
    dismiss_inclusive: Mapped[bool] = mapped_column(default=True)
    #: A row left blank is accepted (and counted invalid for that subject).
    blank_row_allowed: Mapped[bool] = mapped_column(default=True)
    #: Levels as [[code, label], ...] in ballot column order.
    levels: Mapped[list[Any]] = mapped_column(JSON)
    #: A rehearsal (diễn tập) is held like a vote but is never official: it feeds no rating
    #: and is marked as such wherever it appears.
    rehearsal: Mapped[bool] = mapped_column(default=False, server_default=false())
    trustee_count: Mapped[int] = mapped_column(default=3)
    #: Decryption needs this many counting-committee members.
    threshold: Mapped[int] = mapped_column(default=2)
    #: Frozen once the key ceremony is over.
    manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    #: Number of ballots on the board; also serialises casts (see casting.cast_ballot).
    ballots_cast: Mapped[int] = mapped_column(default=0)
    #: Current head of the board's hash chain (hex).
    board_head: Mapped[str | None] = mapped_column(String(64))
    #: {"count", "head", "hash", "attendance"} when closed.
    closing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The aggregate ciphertexts (JSON) computed at closing.
    aggregate: Mapped[list[Any] | None] = mapped_column(JSON)
    #: Decrypted counts [[n_ik]] once t valid shares are in.
    counts: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    counted_at: Mapped[datetime | None]
    #: When the chair published the results: before, only the room and the roles that may
    #: see them do (ballot.voting.publication).
    published_at: Mapped[datetime | None]

    conference: Mapped[Conference] = relationship()
    previous: Mapped[ConfidenceVote | None] = relationship(remote_side=[id])
    subjects: Mapped[list[VoteSubject]] = relationship(
        back_populates="vote", order_by="VoteSubject.rank", cascade="all, delete-orphan"
    )
    voters: Mapped[list[VoteVoter]] = relationship(
        back_populates="vote", order_by="VoteVoter.rank", cascade="all, delete-orphan"
    )
    trustees: Mapped[list[VoteTrustee]] = relationship(
        back_populates="vote", order_by="VoteTrustee.index", cascade="all, delete-orphan"
    )

    @property
    def is_election(self) -> bool:
        return self.kind is VoteKind.ELECTION


class VoteSubject(Base):
    """A person on the ballot: full name and position, in ballot order."""

    __tablename__ = "vote_subject"
    __table_args__ = (UniqueConstraint("vote_id", "rank", name="uq_vote_subject_vote_rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("confidence_vote.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(255))

    vote: Mapped[ConfidenceVote] = relationship(back_populates="subjects")


class VoteVoter(Base):
    """A summoned voter and their attendance. Records *that* a code was issued, never which."""

    __tablename__ = "vote_voter"
    __table_args__ = (UniqueConstraint("vote_id", "rank", name="uq_vote_voter_vote_rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("confidence_vote.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(255))
    present: Mapped[bool] = mapped_column(default=False)
    #: The desk has recorded this member's attendance (present or absent); until then the
    #: roll says "not checked in yet" rather than "absent".
    checked_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Why an absent member is absent, as told at the desk (printed on the attendance list).
    absence_reason: Mapped[str | None] = mapped_column(String(200))
    #: The member holds a code (issued and not revoked).
    has_code: Mapped[bool] = mapped_column(default=False)
    #: How many of the member's slips were revoked and reissued.
    reissued: Mapped[int] = mapped_column(default=0)

    vote: Mapped[ConfidenceVote] = relationship(back_populates="voters")


class CodeState(enum.StrEnum):
    ISSUED = "issued"
    USED = "used"
    REVOKED = "revoked"


class BallotCode(Base):
    """A one-time ballot code, stored only as HMAC-SHA256 under CODE_HASH_KEY.

    `holder_tag` (a keyed hash of the holder) lets the desk revoke a lost, unused slip; it is
    erased in the transaction that uses the code, so no used code points to a member.
    """

    __tablename__ = "ballot_code"
    __table_args__ = (
        CheckConstraint(
            "state = 'issued' OR holder_tag IS NULL OR state = 'revoked'",
            name="used_code_has_no_holder",
        ),
    )

    #: Random (not in issuance order): a database reader cannot line the rows up with the
    #: order in which members received their slips (ballot.voting.codes.random_row_id).
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
        default=random_row_id,
    )
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("confidence_vote.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[CodeState] = mapped_column(str_enum(CodeState), default=CodeState.ISSUED)
    holder_tag: Mapped[str | None] = mapped_column(String(64), index=True)


class BoardEntry(Base):
    """An accepted ballot on the public board, in order, chained to the one before."""

    __tablename__ = "board_entry"
    __table_args__ = (
        UniqueConstraint("vote_id", "seq", name="uq_board_entry_vote_seq"),
        UniqueConstraint("vote_id", "tracker", name="uq_board_entry_vote_tracker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("confidence_vote.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    #: H256 of the ballot's canonical bytes (hex).
    tracker: Mapped[str] = mapped_column(String(64))
    #: Chain hash after this entry (hex).
    chain: Mapped[str] = mapped_column(String(64))
    #: The ballot document as submitted (canonical JSON text).
    ballot: Mapped[str] = mapped_column(Text)


class BoardPoint(Base):
    """Every ciphertext point on a vote's board; the unique constraint refuses copies."""

    __tablename__ = "board_point"
    __table_args__ = (UniqueConstraint("vote_id", "point", name="uq_board_point_vote_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("confidence_vote.id", ondelete="CASCADE"))
    point: Mapped[str] = mapped_column(String(64))


class VoteTrustee(Base):
    """A counting-committee member (Ban kiểm phiếu) and their part of the key ceremony."""

    __tablename__ = "vote_trustee"
    __table_args__ = (
        UniqueConstraint("vote_id", "index", name="uq_vote_trustee_vote_index"),
        UniqueConstraint("vote_id", "user_id", name="uq_vote_trustee_vote_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("confidence_vote.id", ondelete="CASCADE"), index=True
    )
    #: Trustee index x (1-based), the x in the key shares.
    index: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    is_chair: Mapped[bool] = mapped_column(default=False)
    #: The member's "dkg/commit" message.
    commit_message: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The member's encrypted shares for the others ("dkg/share" messages).
    share_messages: Mapped[list[Any] | None] = mapped_column(JSON)
    #: The member's "dkg/done" message once they hold their key.
    done_message: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The member's checked decryption share of the closed board's aggregate.
    decryption_share: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    vote: Mapped[ConfidenceVote] = relationship(back_populates="trustees")
