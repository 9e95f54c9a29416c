"""Organisation tree, party members, committees with seats, and conferences."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ballot.db import Base, str_enum, utcnow


class OrgKind(enum.StrEnum):
    """Where a body sits in the tree."""

    #: The committee's own party organisation (e.g. Đảng bộ Khối).
    COMMITTEE = "committee"
    #: A basic party organisation (tổ chức cơ sở đảng): đảng bộ cơ sở or chi bộ cơ sở.
    BASIC = "basic"
    #: A party cell (chi bộ trực thuộc) inside a basic organisation.
    CELL = "cell"


class Organisation(Base):
    """A party body in the tree: the committee's own organisation, basic organisations, cells."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("(kind = 'committee') = (parent_id IS NULL)", name="root_has_no_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable short code used by imports ("CS01", "CS01-CB02").
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: Full name as written in documents ("Đảng bộ Sở Tài chính").
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: Name of the body one level up, as printed in document headers ("ĐẢNG BỘ TỈNH TRÀ VINH").
    superior_name: Mapped[str | None] = mapped_column(String(255))
    #: The issuing body as printed in document headers ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH").
    header_name: Mapped[str | None] = mapped_column(String(255))
    #: Place printed before the date in documents ("Trà Vinh").
    place: Mapped[str | None] = mapped_column(String(120))
    #: The organ's symbol after a document's number ("ĐUK" in "Số 05-BB/ĐUK").
    symbol: Mapped[str | None] = mapped_column(String(20))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(
        back_populates="parent", order_by="Organisation.code"
    )
    members: Mapped[list[Member]] = relationship(back_populates="organisation")


class Member(Base):
    """A party member (đảng viên)."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Member code used by imports and exports (số thẻ or a local code).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    #: The cell or basic organisation where the member attends (sinh hoạt).
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: Job title outside the party ("Giám đốc Sở ..."), printed on ballots when useful.
    job_title: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    seats: Mapped[list[Seat]] = relationship(back_populates="member")


class CommitteeKind(enum.StrEnum):
    EXECUTIVE = "executive"  # Ban Chấp hành
    STANDING = "standing"  # Ban Thường vụ


class Committee(Base):
    """A committee of an organisation for one term (Ban Chấp hành khóa VIII, ...)."""

    __tablename__ = "committee"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[CommitteeKind] = mapped_column(str_enum(CommitteeKind))
    #: Term in Roman numerals as used in documents ("VIII").
    term: Mapped[str] = mapped_column(String(20))
    #: Years of the term ("2020 - 2025").
    term_years: Mapped[str | None] = mapped_column(String(40))

    organisation: Mapped[Organisation] = relationship()
    seats: Mapped[list[Seat]] = relationship(
        back_populates="committee", order_by="Seat.rank", cascade="all, delete-orphan"
    )


class Position(enum.StrEnum):
    """Position held on a committee, in the order documents list them."""

    SECRETARY = "secretary"  # Bí thư
    STANDING_DEPUTY = "standing_deputy"  # Phó Bí thư Thường trực
    DEPUTY = "deputy"  # Phó Bí thư
    STANDING_MEMBER = "standing_member"  # Ủy viên Ban Thường vụ
    EXECUTIVE_MEMBER = "executive_member"  # Ủy viên Ban Chấp hành


class Seat(Base):
    """A member's seat on a committee, with the position held."""

    __tablename__ = "seat"
    __table_args__ = (UniqueConstraint("committee_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    position: Mapped[Position] = mapped_column(str_enum(Position))
    #: Order on lists and ballots (1 = first).
    rank: Mapped[int] = mapped_column(default=100)

    committee: Mapped[Committee] = relationship(back_populates="seats")
    member: Mapped[Member] = relationship(back_populates="seats")


class Conference(Base):
    """A conference (hội nghị) at which votes are held: its number in the term, its day(s),
    its place, the organ that convenes it and the term."""

    __tablename__ = "conference"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= held_on", name="ends_after_it_starts"),
        CheckConstraint("number IS NULL OR number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: Full name ("Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 17").
    name: Mapped[str] = mapped_column(String(255))
    #: Sequence number in the term ("lần thứ 17").
    number: Mapped[int | None]
    #: First day of the conference.
    held_on: Mapped[date]
    #: Last day, when it lasts more than one day.
    ends_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(String(255))
    #: The organ that convenes it ("Ban Chấp hành Đảng bộ Khối").
    convening_organ: Mapped[str | None] = mapped_column(String(255))
    #: The term ("khóa VIII, nhiệm kỳ 2020 - 2025").
    term: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def last_day(self) -> date:
        return self.ends_on or self.held_on

    def covers(self, day: date) -> bool:
        """Whether `day` is one of the conference's days."""
        return self.held_on <= day <= self.last_day


class DocumentNumber(Base):
    """One number taken from an organ's register for a year: "Số 05-BB/ĐUK".

    A document of a kind ("BB" biên bản, "BC" báo cáo) about one subject ("vote:<id>")
    keeps the number it was given; numbers run from 1 each year per organ and kind.
    """

    __tablename__ = "document_number"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "year", "kind", "number", name="uq_document_number_in_register"
        ),
        UniqueConstraint("kind", "subject", name="uq_document_number_kind_subject"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int]
    #: The document's kind as it appears in the symbol: "BB", "BC".
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    #: What the document is about ("vote:<public id>", "rating:2024").
    subject: Mapped[str] = mapped_column(String(80))
    #: The organ's symbol at the time the number was taken ("ĐUK").
    symbol: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def code(self) -> str:
        """ "05-BB/ĐUK" (numbers below 10 take a leading zero, as dates do)."""
        return f"{self.number:02d}-{self.kind}/{self.symbol}"

    @property
    def label(self) -> str:
        """ "Số 05-BB/ĐUK", as printed under the organ's name."""
        return f"Số {self.code}"
