"""The three steps of a rating, the decision's checks and re-rating. Services flush, never commit.

A year is opened and a subject's rating found or started in `years.py`; many steps run as one
unit of work in `batch.py`, which also writes the import's new decisions in bulk; the errors
are in `errors.py`. Their names are importable from here too: the rating page and the import
both go through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from ballot.auth.models import User
from ballot.db import db, utcnow
from ballot.org.models import Member
from ballot.rating.batch import (
    batch,
    flush,
    flush_step,
    led_organisation_level,
    record_new_decisions,
)
from ballot.rating.checks import (
    CheckCode,
    Finding,
    SubjectFacts,
    check_cap,
    check_subject,
    with_level,
)
from ballot.rating.errors import ChecksFailed, RatingError
from ballot.rating.models import Rating, RatingOverride, RatingRevision, RatingTrigger
from ballot.rating.queries import (
    basic_of,
    cap_group_counts,
    failed_members,
    member_rating,
    unit_of_rating,
)
from ballot.rating.rules import Discipline, Level, SubjectKind, unknown_triggers
from ballot.rating.years import (
    blank_rating,
    create_year,
    find_rating,
    get_year,
    new_rating,
    rating_of,
    start_rating,
)

__all__ = [
    "ChecksFailed",
    "RatingError",
    "accept_findings",
    "batch",
    "blank_rating",
    "clear_not_rated",
    "create_year",
    "decide",
    "find_rating",
    "findings_for",
    "flush",
    "get_year",
    "new_rating",
    "rating_of",
    "re_rate",
    "record_decision",
    "record_new_decisions",
    "record_proposal",
    "record_self_assessment",
    "set_facts",
    "set_not_rated",
    "start_rating",
]


def _require_open(rating: Rating) -> None:
    if rating.excluded:
        raise RatingError(_("Đã ghi là không xếp loại năm này; bỏ ghi trước khi xếp loại."))
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
    flush_step()


def record_proposal(rating: Rating, *, level: Level, by: User | None) -> None:
    """Step 2: record the level the party cell (or the collective) proposes."""
    _require_open(rating)
    _check_level(rating, level)
    rating.proposed_level = level
    rating.proposed_by_id, rating.proposed_at = (by.id if by else None), utcnow()
    flush_step()


def set_facts(
    rating: Rating,
    *,
    discipline: Discipline | None,
    triggers: Iterable[str],
    outstanding: bool = False,
    leader: Member | None = None,
) -> None:
    """Record the facts the checks look at: discipline, recorded triggers, outstanding unit,
    and (organisations) who leads it when the committee data does not say."""
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
    if leader is not None and rating.kind == SubjectKind.ORGANISATION:
        if basic_of(leader.organisation).id != rating.organisation_id:
            raise RatingError(_("Bí thư phải là đảng viên của tổ chức này."))
        rating.leader_id = leader.id
    if codes != rating.trigger_codes:
        rating.triggers.clear()
        db.session.flush()  # the old rows go before new ones of the same key
        rating.triggers.extend(RatingTrigger(code=code) for code in codes)
    flush_step()


def findings_for(
    rating: Rating,
    level: Level | None,
    score: Decimal | None,
    low_confidence: Mapping[int, Fraction],
    cap: bool = True,
) -> list[Finding]:
    """Return what the checks say about giving `rating` this level and score.

    `cap=False` leaves the excellence cap out (the import checks it on the whole file)."""
    if level is None:
        return []
    year, rules = rating.year, rating.year.rules
    failed, led_level, leader_level = 0, None, None
    if rating.kind == SubjectKind.ORGANISATION and rating.organisation_id is not None:
        failed = failed_members(year).get(rating.organisation_id, 0)
        leader = member_rating(year, rating.leader_id)
        leader_level = leader.level if leader is not None else None
    elif rating.member_id is not None:
        led_level = led_organisation_level(year, rating.member_id)
    facts = SubjectFacts(
        kind=rating.kind,
        level=level,
        score=score,
        discipline=rating.discipline,
        triggers=tuple(rating.trigger_codes),
        low_confidence=low_confidence.get(rating.member_id)
        if rating.member_id is not None
        else None,
        failed_members=failed,
        led_level=led_level,
        leader_level=leader_level,
    )
    findings = check_subject(rules, facts)
    if cap and level == Level.EXCELLENT:
        unit = unit_of_rating(rating)
        if unit is not None:
            basic = basic_of(unit)
            group = cap_group_counts(year, basic.id, exclude_rating_id=rating.id)
            name = _("Đảng viên của %(unit)s", unit=basic.name)
        else:
            group = cap_group_counts(year, None, exclude_rating_id=rating.id)
            name = _("Các tổ chức cơ sở đảng")
        share = year.cap_share(group.outstanding)
        over = check_cap(rules, share, year.effective_cap_basis, with_level(group, level), name)
        if over is not None:
            findings.append(over)
    return findings


def set_not_rated(rating: Rating, *, reason: str, on: date, by: User | None) -> None:
    """Record "không xếp loại" with one of the rule set's reasons and its date.

    Only a subject with no decision can be set apart; it then leaves the denominators.
    """
    if rating.decided:
        raise RatingError(
            _("Đã có quyết định xếp loại; muốn ghi không xếp loại phải đánh giá lại trước.")
        )
    exclusion = rating.year.rules.exclusion(reason)
    if exclusion is None or exclusion.applies_to != rating.kind:
        raise RatingError(
            _("Lý do không xếp loại không có trong %(rules)s.", rules=rating.year.rules.title)
        )
    rating.not_rated, rating.not_rated_on = reason, on
    flush_step()


def clear_not_rated(rating: Rating) -> None:
    """Put a subject set apart back among those to be rated."""
    rating.not_rated, rating.not_rated_on = None, None
    flush_step()


def accept_findings(
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
    low_confidence: Mapping[int, Fraction],
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
    record_decision(rating, level, score, findings, override_reason, by, source)
    return findings


def record_decision(
    rating: Rating,
    level: Level,
    score: Decimal | None,
    findings: list[Finding],
    reason: str | None,
    by: User | None,
    source: str | None,
) -> None:
    """Write a checked decision: the one place a decided level is recorded (the page, the
    import and the demo all come through here)."""
    accept_findings(rating, level, findings, reason, by)
    rating.level, rating.score = level, score
    rating.decided_by_id, rating.decided_at = (by.id if by else None), utcnow()
    rating.source = source
    flush_step()


def re_rate(
    rating: Rating,
    *,
    level: Level,
    score: Decimal | None,
    reason: str,
    by: User | None,
    low_confidence: Mapping[int, Fraction],
    override_reason: str | None = None,
    findings: list[Finding] | None = None,
) -> RatingRevision:
    """Change a decided rating: recorded with the previous level, the reason and who did it."""
    if not rating.decided:
        raise RatingError(_("Chưa có quyết định xếp loại để đánh giá lại."))
    reason = reason.strip()
    if not reason:
        raise RatingError(_("Đánh giá lại phải ghi rõ lý do."))
    _check_level(rating, level)
    _check_score(rating, score)
    if findings is None:
        findings = findings_for(rating, level, score, low_confidence)
    accept_findings(rating, level, findings, override_reason or reason, by)
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
    flush_step()
    return revision
