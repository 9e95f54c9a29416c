"""Rating years and the rating of one subject in a year: open a year under the rule set that
governs it, find a subject's rating, or start one. Services flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.batch import flush_step
from ballot.rating.errors import RatingError
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import committee_secretary
from ballot.rating.rules import CapBasis
from ballot.rating.rulesets import NoRuleSet, get_rule_set, rule_set_for_year


def get_year(year: int) -> RatingYear | None:
    return db.session.scalar(select(RatingYear).where(RatingYear.year == year))


def create_year(
    year: int,
    rule_set: str | None = None,
    cap_basis: CapBasis | None = None,
    outstanding_cap_percent: int | None = None,
) -> RatingYear:
    """Open a rating year under the rule set that governs it (124-QĐ/TW for 2023–2024,
    366-QĐ/TW from 2025); years before 2023 are refused. The cap's basis and the outstanding
    units' share are local choices recorded on the year."""
    if get_year(year) is not None:
        raise RatingError(_("Năm %(year)s đã có.", year=year))
    try:
        governing = rule_set_for_year(year)
    except NoRuleSet:
        raise RatingError(
            _(
                "Năm %(year)s không đánh giá được ở đây: các năm trước 2023 xếp loại theo "
                "Quy định 132-QĐ/TW và Hướng dẫn 21-HD/BTCTW, chưa có trong hệ thống.",
                year=year,
            )
        ) from None
    code = rule_set or governing.code
    try:
        chosen = get_rule_set(code)
    except KeyError:
        raise RatingError(_("Không có bộ quy định %(code)s.", code=code)) from None
    if not chosen.governs(year):
        raise RatingError(
            _(
                "%(rules)s không áp dụng cho năm %(year)s; năm này theo %(governing)s.",
                rules=chosen.title,
                year=year,
                governing=governing.title,
            )
        )
    if outstanding_cap_percent is not None and not 0 <= outstanding_cap_percent <= 100:
        raise RatingError(_("Tỷ lệ của đơn vị tiêu biểu phải từ 0 đến 100%."))
    rating_year = RatingYear(
        year=year,
        rule_set=code,
        cap_basis=cap_basis,
        outstanding_cap_percent=outstanding_cap_percent,
    )
    db.session.add(rating_year)
    flush_step()
    return rating_year


def find_rating(year: RatingYear, subject: Member | Organisation) -> Rating | None:
    """Return the subject's rating for the year, if any step has been recorded."""
    if isinstance(subject, Member):
        where = Rating.member_id == subject.id
    else:
        where = Rating.organisation_id == subject.id
    return db.session.scalar(select(Rating).where(Rating.year_id == year.id, where))


def blank_rating(year: RatingYear, subject: Member | Organisation) -> Rating:
    """Return an unsaved, empty rating to show a subject no step has been recorded for."""
    if isinstance(subject, Member):
        return Rating(
            year=year,
            year_id=year.id,
            member=subject,
            member_id=subject.id,
            unit_id=subject.organisation_id,
            unit=subject.organisation,
            outstanding=False,
        )
    return Rating(
        year=year,
        year_id=year.id,
        organisation=subject,
        organisation_id=subject.id,
        leader_id=committee_secretary(subject.id),
        outstanding=False,
    )


def rating_of(year: RatingYear, subject: Member | Organisation) -> Rating:
    """Return the subject's rating for the year, creating an empty one when there is none."""
    if isinstance(subject, Organisation) and subject.kind != OrgKind.BASIC:
        raise RatingError(_("Chỉ đánh giá tổ chức cơ sở đảng."))
    rating = find_rating(year, subject)
    return rating if rating is not None else start_rating(year, subject)


def start_rating(year: RatingYear, subject: Member | Organisation) -> Rating:
    """Add the first step-less rating of a subject no rating exists for (checked by the caller)."""
    rating = new_rating(year, subject)
    db.session.add(rating)
    flush_step()
    return rating


def new_rating(year: RatingYear, subject: Member | Organisation) -> Rating:
    """Return an unsaved rating for a subject with none: the import checks it with
    `findings_for` and writes many at once with `record_new_decisions`."""
    if isinstance(subject, Organisation) and subject.kind != OrgKind.BASIC:
        raise RatingError(_("Chỉ đánh giá tổ chức cơ sở đảng."))
    # Only the year as an object: setting the member or organisation relationships would make
    # the session walk their whole graph (cascades) for every new rating of an import.
    rating = Rating(year=year, year_id=year.id, outstanding=False)
    if isinstance(subject, Member):
        rating.member_id, rating.unit_id = subject.id, subject.organisation_id
    else:
        rating.organisation_id, rating.leader_id = subject.id, committee_secretary(subject.id)
    return rating
