"""SQL pieces shared by the targets and the checks: where a member sits in the tree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from ballot.db import db
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.models import Rating, RatingYear

#: The organisation a member attends (a cell or a basic organisation).
Unit = aliased(Organisation, name="unit")


def basic_id_of_unit() -> ColumnElement[Any]:
    """The basic organisation of `Unit`: its parent for a cell, itself otherwise."""
    return case((Unit.kind == OrgKind.CELL, Unit.parent_id), else_=Unit.id)


def member_rating_join(year: RatingYear) -> ColumnElement[bool]:
    return and_(Rating.member_id == Member.id, Rating.year_id == year.id)


def members_of_year() -> ColumnElement[bool]:
    """Members counted in a year: every active member, and anyone rated that year."""
    return or_(Member.active.is_(True), Rating.id.is_not(None))


def basic_organisation_of(member: Member) -> Organisation:
    """Return the basic organisation a member belongs to (through their cell, if any)."""
    unit = member.organisation
    if unit.kind == OrgKind.CELL and unit.parent is not None:
        return unit.parent
    return unit


def basic_organisations() -> list[Organisation]:
    """Return every basic organisation, by code."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.BASIC)
            .order_by(Organisation.code)
        )
    )
