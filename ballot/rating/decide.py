"""The three steps of a rating, the decision's checks and re-rating. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from ballot.auth.models import User
from ballot.db import db, utcnow
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.checks import (
    CheckCode,
    Finding,
    SubjectFacts,
    cap_group_counts,
    check_cap,
    check_subject,
    with_level,
)
from ballot.rating.models import Rating, RatingOverride, RatingRevision, RatingTrigger, RatingYear
from ballot.rating.queries import basic_organisation_of
from ballot.rating.rules import CapBasis, Discipline, Level, SubjectKind, unknown_triggers
from ballot.rating.rulesets import get_rule_set, rule_set_for_year


class RatingError(Exception):
    """A step that cannot be taken; the message (Vietnamese) says why."""


class ChecksFailed(RatingError):
    """The decision goes against the rule set and no reason was written to accept it."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            _("Kết quả xếp loại chưa qua kiểm tra; cần ghi rõ lý do nếu vẫn giữ kết quả này.")
        )
        self.findings = findings


def get_year(year: int) -> RatingYear | None:
    return db.session.scalar(select(RatingYear).where(RatingYear.year == year))


def create_year(
    year: int, rule_set: str | None = None, cap_basis: CapBasis | None = None
) -> RatingYear:
    """Open a rating year under a rule set (by default the one in force at the year's end)."""
    if get_year(year) is not None:
        raise RatingError(_("Năm %(year)s đã có.", year=year))
    code = rule_set or rule_set_for_year(year).code
    try:
        get_rule_set(code)
    except KeyError:
        raise RatingError(_("Không có bộ quy định %(code)s.", code=code)) from None
    rating_year = RatingYear(year=year, rule_set=code, cap_basis=cap_basis)
    db.session.add(rating_year)
    db.session.flush()
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
            year=year, year_id=year.id, member=subject, member_id=subject.id, outstanding=False
        )
    return Rating(
        year=year,
        year_id=year.id,
        organisation=subject,
        organisation_id=subject.id,
        outstanding=False,
    )


def rating_of(year: RatingYear, subject: Member | Organisation) -> Rating:
    """Return the subject's rating for the year, creating an empty one when there is none."""
    if isinstance(subject, Organisation) and subject.kind != OrgKind.BASIC:
        raise RatingError(_("Chỉ đánh giá tổ chức cơ sở đảng."))
    rating = find_rating(year, subject)
    if rating is None:
        rating = blank_rating(year, subject)
        db.session.add(rating)
        db.session.flush()
    return rating


def _require_open(rating: Rating) -> None:
    if rating.decided:
        raise RatingError(
            _("Đã có quyết định xếp loại; chỉ có thể thay đổi bằng đánh giá lại kèm lý do.")
        )


def _check_score(rating: Rating, score: Decimal | None) -> None:
    if score is None:
        return
    scale = rating.year.rules.score_scale
    maximum = scale.maximum if scale is not None else Decimal(100)
    if not Decimal(0) <= score <= maximum:
        raise RatingError(_("Điểm phải từ 0 đến %(max)s.", max=maximum))


def _check_level(rating: Rating, level: Level) -> None:
    if level not in rating.year.rules.levels:
        raise RatingError(_("Mức xếp loại không có trong quy định của năm."))


def record_self_assessment(
    rating: Rating, *, level: Level, score: Decimal | None, by: User | None
) -> None:
    """Step 1: record the subject's own score and proposed level."""
    _require_open(rating)
    _check_level(rating, level)
    _check_score(rating, score)
    rating.self_level, rating.self_score = level, score
    rating.self_by_id, rating.self_at = (by.id if by else None), utcnow()
    db.session.flush()


def record_proposal(rating: Rating, *, level: Level, by: User | None) -> None:
    """Step 2: record the level the party cell (or the collective) proposes."""
    _require_open(rating)
    _check_level(rating, level)
    rating.proposed_level = level
    rating.proposed_by_id, rating.proposed_at = (by.id if by else None), utcnow()
    db.session.flush()


def set_facts(
    rating: Rating,
    *,
    discipline: Discipline | None,
    triggers: Iterable[str],
    outstanding: bool = False,
) -> None:
    """Record the facts the checks look at: discipline, recorded triggers, outstanding unit."""
    codes = sorted(set(triggers))
    unknown = unknown_triggers(rating.year.rules, rating.kind, codes)
    if unknown:
        raise RatingError(_("Căn cứ không có trong quy định: %(codes)s.", codes=", ".join(unknown)))
    if rating.kind == SubjectKind.ORGANISATION and discipline is not None:
        raise RatingError(_("Hình thức kỷ luật chỉ ghi cho đảng viên."))
    if rating.kind == SubjectKind.MEMBER and outstanding:
        raise RatingError(_("Chỉ tổ chức mới được ghi là đơn vị tiêu biểu."))
    rating.discipline = discipline
    rating.outstanding = outstanding
    if codes != rating.trigger_codes:
        rating.triggers.clear()
        db.session.flush()
        rating.triggers.extend(RatingTrigger(code=code) for code in codes)
    db.session.flush()


def findings_for(
    rating: Rating, level: Level | None, score: Decimal | None, low_confidence: dict[int, Fraction]
) -> list[Finding]:
    """Return what the checks say about giving `rating` this level and score."""
    if level is None:
        return []
    rules = rating.year.rules
    facts = SubjectFacts(
        kind=rating.kind,
        level=level,
        score=score,
        discipline=rating.discipline,
        triggers=tuple(rating.trigger_codes),
        low_confidence=low_confidence.get(rating.member_id)
        if rating.member_id is not None
        else None,
    )
    findings = check_subject(rules, facts)
    if level == Level.EXCELLENT:
        if rating.member is not None:
            basic = basic_organisation_of(rating.member)
            group = cap_group_counts(rating.year, basic.id, exclude_rating_id=rating.id)
            name = _("Đảng viên của %(unit)s", unit=basic.name)
        else:
            group = cap_group_counts(rating.year, None, exclude_rating_id=rating.id)
            name = _("Các tổ chức cơ sở đảng")
        cap = check_cap(rules, rating.year.effective_cap_basis, with_level(group, level), name)
        if cap is not None:
            findings.append(cap)
    return findings


def _accept(
    rating: Rating, level: Level, findings: list[Finding], reason: str | None, by: User | None
) -> None:
    """Raise ChecksFailed unless a reason is written; record one override per finding."""
    if not findings:
        return
    reason = (reason or "").strip()
    if not reason:
        raise ChecksFailed(findings)
    existing = {o.check_code: o for o in rating.overrides}
    for finding in findings:
        override = existing.get(finding.code)
        if override is None:
            rating.overrides.append(
                RatingOverride(
                    check_code=CheckCode(finding.code).value,
                    level=level,
                    reason=reason,
                    by_id=by.id if by else None,
                )
            )
        else:
            override.level, override.reason, override.at = level, reason, utcnow()
            override.by_id = by.id if by else None


def decide(
    rating: Rating,
    *,
    level: Level,
    score: Decimal | None,
    by: User | None,
    low_confidence: dict[int, Fraction],
    override_reason: str | None = None,
    source: str | None = None,
) -> list[Finding]:
    """Step 3: record the competent committee's decision; return the findings it overrode.

    Raises ChecksFailed when a check fires and no reason is given: nothing is recorded then.
    """
    _require_open(rating)
    _check_level(rating, level)
    _check_score(rating, score)
    findings = findings_for(rating, level, score, low_confidence)
    _accept(rating, level, findings, override_reason, by)
    rating.level, rating.score = level, score
    rating.decided_by_id, rating.decided_at = (by.id if by else None), utcnow()
    rating.source = source
    db.session.flush()
    return findings


def re_rate(
    rating: Rating,
    *,
    level: Level,
    score: Decimal | None,
    reason: str,
    by: User | None,
    low_confidence: dict[int, Fraction],
    override_reason: str | None = None,
) -> RatingRevision:
    """Change a decided rating: recorded with the previous level, the reason and who did it."""
    if not rating.decided:
        raise RatingError(_("Chưa có quyết định xếp loại để đánh giá lại."))
    reason = reason.strip()
    if not reason:
        raise RatingError(_("Đánh giá lại phải ghi rõ lý do."))
    _check_level(rating, level)
    _check_score(rating, score)
    findings = findings_for(rating, level, score, low_confidence)
    _accept(rating, level, findings, override_reason or reason, by)
    assert rating.level is not None  # noqa: S101 - decided  # nosec B101
    revision = RatingRevision(
        previous_level=rating.level,
        previous_score=rating.score,
        level=level,
        score=score,
        reason=reason,
        by_id=by.id if by else None,
    )
    rating.revisions.append(revision)
    rating.level, rating.score = level, score
    rating.decided_by_id, rating.decided_at = (by.id if by else None), utcnow()
    db.session.flush()
    return revision
