"""The lists of names behind the targets' figures: members with no decision yet, a basic
organisation's members decided below a level, and the subjects set apart as "không xếp loại".

Like the figures (`targets.py`), a member is listed in the unit kept on their rating once
decided, so a transfer never changes a past year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import (
    Unit,
    basic_id_of_unit,
    member_rating_join,
    member_unit_id,
    members_of_year,
)
from ballot.rating.rules import Level, SubjectKind


def not_rated_members(
    year: RatingYear, basic_id: int | None = None, limit: int | None = None
) -> list[tuple[str, str, str, Level | None, Level | None]]:
    """Return (code, name, unit, self level, proposed level) of members with no decision yet."""
    query = (
        select(Member.code, Member.full_name, Unit.name, Rating.self_level, Rating.proposed_level)
        .select_from(Member)
        .outerjoin(Rating, member_rating_join(year))
        .join(Unit, member_unit_id() == Unit.id)
        .where(members_of_year(), Rating.level.is_(None), Rating.not_rated.is_(None))
        .order_by(Member.code)
    )
    if basic_id is not None:
        query = query.where(basic_id_of_unit() == basic_id)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.execute(query))


def members_below(
    year: RatingYear, basic_id: int, level: Level
) -> list[tuple[str, str, str, Level]]:
    """Return (code, name, unit, level) of a basic organisation's members decided below `level`."""
    below = [lv for lv in Level if not lv.at_least(level)]
    query = (
        select(Member.code, Member.full_name, Unit.name, Rating.level)
        .select_from(Member)
        .join(Rating, member_rating_join(year))
        .join(Unit, Rating.unit_id == Unit.id)
        .where(basic_id_of_unit() == basic_id, Rating.level.in_(below))
        .order_by(Member.code)
    )
    return [(c, n, u, lv) for c, n, u, lv in db.session.execute(query) if lv is not None]


@dataclass(frozen=True)
class ExcludedLine:
    kind: SubjectKind
    code: str
    name: str
    unit: str
    reason: str
    on: date


def excluded_subjects(year: RatingYear, reason: str | None = None) -> list[ExcludedLine]:
    """Return the members and organisations set apart as "không xếp loại", with reason and date."""
    labels = {e.code: str(e.label) for e in year.rules.exclusions}
    out: list[ExcludedLine] = []
    member_query = (
        select(Member.code, Member.full_name, Unit.name, Rating.not_rated, Rating.not_rated_on)
        .select_from(Rating)
        .join(Member, Rating.member_id == Member.id)
        .join(Unit, Rating.unit_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.not_rated.is_not(None))
        .order_by(Member.code)
    )
    org_query = (
        select(Organisation.code, Organisation.name, Rating.not_rated, Rating.not_rated_on)
        .select_from(Rating)
        .join(Organisation, Rating.organisation_id == Organisation.id)
        .where(Rating.year_id == year.id, Rating.not_rated.is_not(None))
        .order_by(Organisation.code)
    )
    if reason is not None:
        member_query = member_query.where(Rating.not_rated == reason)
        org_query = org_query.where(Rating.not_rated == reason)
    for code, name, why, on in db.session.execute(org_query):
        label = labels.get(why or "", why or "")
        out.append(ExcludedLine(SubjectKind.ORGANISATION, code, name, "", label, on or date.min))
    for code, name, unit, why, on in db.session.execute(member_query):
        label = labels.get(why or "", why or "")
        out.append(ExcludedLine(SubjectKind.MEMBER, code, name, unit, label, on or date.min))
    return out
