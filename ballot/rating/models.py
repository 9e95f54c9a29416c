"""Rating years, the ratings of members and basic organisations, and their audit trail."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ballot.auth.models import User
from ballot.db import Base, str_enum, utcnow
from ballot.org.models import Member, Organisation
from ballot.rating.rules import CapBasis, Discipline, Level, RuleSet, SubjectKind
from ballot.rating.rulesets import get_rule_set

SCORE = Numeric(5, 2)


def level_type(column: str) -> Enum:
    """A Level column whose CHECK constraint is named after the column.

    str_enum names the constraint after the enum, and a table with two Level columns would
    then hold two constraints of one name, which PostgreSQL refuses.
    """
    column_type = str_enum(Level)
    column_type.name = column
    return column_type


class RatingYear(Base):
    """A year's rating, made under one named rule set."""

    __tablename__ = "rating_year"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="plausible_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    #: Code of the rule set (`ballot/rating/rulesets/`) the year is rated under.
    rule_set: Mapped[str] = mapped_column(String(40))
    #: What the excellence cap is a share of; None means the rule set's default (a local choice).
    cap_basis: Mapped[CapBasis | None] = mapped_column(str_enum(CapBasis))
    #: The excellence cap of an outstanding unit's members, in percent (a local choice);
    #: None means the rule set's default (25).
    outstanding_cap_percent: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def rules(self) -> RuleSet:
        return get_rule_set(self.rule_set)

    @property
    def effective_cap_basis(self) -> CapBasis:
        return self.cap_basis or self.rules.cap.basis

    def cap_share(self, outstanding: bool) -> Fraction:
        """The excellence cap's share for a group (an outstanding unit's members may have more)."""
        if not outstanding:
            return self.rules.cap.share
        if self.outstanding_cap_percent is not None:
            return Fraction(self.outstanding_cap_percent, 100)
        return self.rules.cap.outstanding_share


class Rating(Base):
    """The rating of one member or one basic organisation in one year, step by step.

    Steps: 1) self-assessment, 2) the party cell's proposal, 3) the competent committee's
    decision. Each step keeps who recorded it and when. Once decided, the level changes only
    through `RatingRevision` (a re-rating with a reason).
    """

    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("year_id", "member_id", name="uq_rating_year_member"),
        UniqueConstraint("year_id", "organisation_id", name="uq_rating_year_organisation"),
        CheckConstraint("(member_id IS NULL) <> (organisation_id IS NULL)", name="one_subject"),
        CheckConstraint("(level IS NULL) = (decided_at IS NULL)", name="decision_has_a_moment"),
        CheckConstraint(
            "self_score IS NULL OR (self_score >= 0 AND self_score <= 100)",
            name="self_score_in_range",
        ),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_in_range"),
        CheckConstraint("member_id IS NULL OR NOT outstanding", name="only_units_are_outstanding"),
        CheckConstraint("not_rated IS NULL OR level IS NULL", name="not_rated_has_no_level"),
        CheckConstraint(
            "(not_rated IS NULL) = (not_rated_on IS NULL)", name="not_rated_has_a_date"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: (Indexed through the unique constraints, which start with it.)
    year_id: Mapped[int] = mapped_column(ForeignKey("rating_year.id"))
    #: The member rated (or None for an organisation's rating).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    #: The basic organisation rated (or None for a member's rating).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: The member's cell or basic organisation when rated: a later transfer never moves a
    #: past year's rating (set when the rating is created, for member ratings only).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: Who leads the organisation (its secretary) in that year, for organisation ratings;
    #: taken from the committee data when it has one, or recorded by the office.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    #: "Không xếp loại": the rule set's exclusion code, and the date it was recorded; such a
    #: subject leaves the denominators of targets 6 and 7. Apart from "chưa xếp loại".
    not_rated: Mapped[str | None] = mapped_column(String(40))
    not_rated_on: Mapped[date | None]
    #: The heaviest discipline imposed on the member in the year, if any (any form).
    discipline: Mapped[Discipline | None] = mapped_column(str_enum(Discipline))
    #: An organisation recognised as outstanding: its members' cap is the higher share.
    outstanding: Mapped[bool] = mapped_column(default=False)

    #: Step 1, self-assessment: score (when the rule set scores) and proposed level.
    self_score: Mapped[Decimal | None] = mapped_column(SCORE)
    self_level: Mapped[Level | None] = mapped_column(level_type("self_level"))
    self_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    self_at: Mapped[datetime | None]
    #: Step 2, the party cell's proposed level.
    proposed_level: Mapped[Level | None] = mapped_column(level_type("proposed_level"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime | None]
    #: Step 3, the competent committee's decision: the level that counts, and its score.
    level: Mapped[Level | None] = mapped_column(str_enum(Level))
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    #: Where the rating came from when not typed in ("Nhập từ tệp ratings.xlsx").
    source: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    year: Mapped[RatingYear] = relationship()
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    unit: Mapped[Organisation | None] = relationship(foreign_keys=[unit_id])
    leader: Mapped[Member | None] = relationship(foreign_keys=[leader_id])
    self_by: Mapped[User | None] = relationship(foreign_keys=[self_by_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    triggers: Mapped[list[RatingTrigger]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="RatingTrigger.code"
    )
    revisions: Mapped[list[RatingRevision]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="RatingRevision.id"
    )
    overrides: Mapped[list[RatingOverride]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="RatingOverride.id"
    )

    @property
    def kind(self) -> SubjectKind:
        return SubjectKind.MEMBER if self.member_id is not None else SubjectKind.ORGANISATION

    @property
    def decided(self) -> bool:
        return self.level is not None

    @property
    def excluded(self) -> bool:
        return self.not_rated is not None

    @property
    def trigger_codes(self) -> list[str]:
        return [t.code for t in self.triggers]


class RatingTrigger(Base):
    """A fact recorded by the office that forces "failed" or bars a level (a rule set's entry)."""

    __tablename__ = "rating_trigger"

    rating_id: Mapped[int] = mapped_column(
        ForeignKey("rating.id", ondelete="CASCADE"), primary_key=True
    )
    #: A trigger code of the year's rule set ("tasks_undone", "disunity", ...).
    code: Mapped[str] = mapped_column(String(40), primary_key=True)

    rating: Mapped[Rating] = relationship(back_populates="triggers")


class RatingRevision(Base):
    """A re-rating: a decided level changed later, with the reason and who did it."""

    __tablename__ = "rating_revision"
    __table_args__ = (CheckConstraint("length(trim(reason)) > 0", name="reason_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    previous_level: Mapped[Level] = mapped_column(level_type("previous_level"))
    previous_score: Mapped[Decimal | None] = mapped_column(SCORE)
    level: Mapped[Level] = mapped_column(str_enum(Level))
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    #: Why the decision was changed (required).
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    rating: Mapped[Rating] = relationship(back_populates="revisions")
    by: Mapped[User | None] = relationship()


class RatingOverride(Base):
    """A check that fired on a decided rating and was accepted with a written reason."""

    __tablename__ = "rating_override"
    __table_args__ = (
        UniqueConstraint("rating_id", "check_code", name="uq_rating_override_rating_check"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    #: The check's code (`ballot.rating.checks.CheckCode`).
    check_code: Mapped[str] = mapped_column(String(30))
    #: The level the override was given for: a later re-rating needs its own.
    level: Mapped[Level] = mapped_column(str_enum(Level))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    rating: Mapped[Rating] = relationship(back_populates="overrides")
    by: Mapped[User | None] = relationship()
