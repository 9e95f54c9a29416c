"""The rating's database reads: where a member sits in the tree, groups for the checks, and
the lookups of the rating pages (views run no query of their own)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from ballot.db import db
from ballot.org.models import Committee, Member, Organisation, OrgKind, Position, Seat
from ballot.rating.checks import CapGroup
from ballot.rating.models import Rating, RatingYear
from ballot.rating.rules import Level

#: The organisation a member attends (a cell or a basic organisation).
Unit = aliased(Organisation, name="unit")


def basic_id_of_unit() -> ColumnElement[Any]:
    """The basic organisation of `Unit`: its parent for a cell, itself otherwise."""
    return case((Unit.kind == OrgKind.CELL, Unit.parent_id), else_=Unit.id)


def member_unit_id() -> ColumnElement[Any]:
    """The member's unit for the year: the one kept on the rating, else where they attend now.

    A rating keeps the unit of its member at the time it was made, so a transfer never
    changes a past year; members with no rating that year are counted where they are.
    """
    return func.coalesce(Rating.unit_id, Member.organisation_id)


def member_rating_join(year: RatingYear) -> ColumnElement[bool]:
    return and_(Rating.member_id == Member.id, Rating.year_id == year.id)


def members_of_year() -> ColumnElement[bool]:
    """Members counted in a year: every active member, and anyone rated that year."""
    return or_(Member.active.is_(True), Rating.id.is_not(None))


def basic_organisation_of(member: Member) -> Organisation:
    """Return the basic organisation a member attends now (through their cell, if any)."""
    return basic_of(member.organisation)


def basic_of(unit: Organisation) -> Organisation:
    if unit.kind == OrgKind.CELL and unit.parent is not None:
        return unit.parent
    return unit


def unit_of_rating(rating: Rating) -> Organisation | None:
    """The unit a member's rating counts in (kept on the rating; else where they attend)."""
    if rating.unit is not None:
        return rating.unit
    return rating.member.organisation if rating.member is not None else None


def basic_organisations() -> list[Organisation]:
    """Return every basic organisation, by code."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.BASIC)
            .order_by(Organisation.code)
        )
    )


def cap_group_counts(
    year: RatingYear, basic_id: int | None, exclude_rating_id: int | None = None
) -> CapGroup:
    """Count decided "excellent" and "good" in one group of comparables.

    `basic_id` names a basic organisation (its members are compared); None compares the
    basic organisations themselves.
    """
    if basic_id is None:
        query = (
            select(Rating.level, func.count())
            .select_from(Rating)
            .join(Organisation, Rating.organisation_id == Organisation.id)
            .where(Organisation.kind == OrgKind.BASIC)
        )
        outstanding = False
    else:
        query = (
            select(Rating.level, func.count())
            .select_from(Rating)
            .join(Unit, Rating.unit_id == Unit.id)
            .where(Rating.member_id.is_not(None), basic_id_of_unit() == basic_id)
        )
        outstanding = bool(
            db.session.scalar(
                select(Rating.outstanding).where(
                    Rating.year_id == year.id, Rating.organisation_id == basic_id
                )
            )
        )
    query = query.where(Rating.year_id == year.id, Rating.level.in_([Level.EXCELLENT, Level.GOOD]))
    if exclude_rating_id is not None:
        query = query.where(Rating.id != exclude_rating_id)
    counts: dict[Level | None, int] = dict(db.session.execute(query.group_by(Rating.level)).all())
    return CapGroup(counts.get(Level.EXCELLENT, 0), counts.get(Level.GOOD, 0), outstanding)


def failed_members(year: RatingYear) -> dict[int, int]:
    """Return, per basic organisation id, how many members are decided "failed" that year."""
    basic = basic_id_of_unit().label("basic")
    return {
        bid: number
        for bid, number in db.session.execute(
            select(basic, func.count())
            .select_from(Rating)
            .join(Unit, Rating.unit_id == Unit.id)
            .where(Rating.year_id == year.id, Rating.level == Level.FAILED)
            .group_by(basic)
        )
    }


def committee_secretary(organisation_id: int) -> int | None:
    """Return the member holding the secretary's seat of the organisation's latest committee."""
    return db.session.scalar(
        select(Seat.member_id)
        .join(Committee, Seat.committee_id == Committee.id)
        .where(Committee.organisation_id == organisation_id, Seat.position == Position.SECRETARY)
        .order_by(Committee.id.desc())
        .limit(1)
    )


def led_organisation_rating(year: RatingYear, member_id: int) -> Rating | None:
    """Return the rating of the organisation this member leads in the year, if any."""
    return db.session.scalar(
        select(Rating).where(Rating.year_id == year.id, Rating.leader_id == member_id).limit(1)
    )


def member_rating(year: RatingYear, member_id: int | None) -> Rating | None:
    if member_id is None:
        return None
    return db.session.scalar(
        select(Rating).where(Rating.year_id == year.id, Rating.member_id == member_id)
    )


def member_by_code(code: str) -> Member | None:
    return db.session.scalar(select(Member).where(Member.code == code))


def basic_by_code(code: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(Organisation.code == code, Organisation.kind == OrgKind.BASIC)
    )


def years() -> list[RatingYear]:
    return list(db.session.scalars(select(RatingYear).order_by(RatingYear.year.desc())))


def search(
    year: RatingYear, query: str
) -> tuple[list[tuple[Member, Rating | None]], list[Organisation]]:
    """Find members (with their rating that year) and basic organisations by code or name."""
    like = f"%{query}%"
    members: list[tuple[Member, Rating | None]] = [
        (m, r)
        for m, r in db.session.execute(
            select(Member, Rating)
            .outerjoin(Rating, member_rating_join(year))
            .where(or_(Member.code.ilike(like), Member.full_name.ilike(like)))
            .order_by(Member.code)
            .limit(50)
        )
    ]
    orgs = list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.kind == OrgKind.BASIC,
                or_(Organisation.code.ilike(like), Organisation.name.ilike(like)),
            )
            .order_by(Organisation.code)
            .limit(20)
        )
    )
    return members, orgs
