"""The three steps of a rating, the decision's checks and re-rating. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import insert, select

from ballot.auth.models import User
from ballot.db import db, utcnow
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.checks import (
    CheckCode,
    Finding,
    SubjectFacts,
    check_cap,
    check_subject,
    with_level,
)
from ballot.rating.models import Rating, RatingOverride, RatingRevision, RatingTrigger, RatingYear
from ballot.rating.queries import (
    basic_of,
    cap_group_counts,
    committee_secretary,
    failed_members,
    led_organisation_rating,
    member_rating,
    unit_of_rating,
)
from ballot.rating.rules import CapBasis, Discipline, Level, SubjectKind, unknown_triggers
from ballot.rating.rulesets import NoRuleSet, get_rule_set, rule_set_for_year

_BATCH = "rating_batch"


@contextmanager
def batch() -> Iterator[None]:
    """Apply many steps (an import) with one flush at the end instead of one per step.

    Inside, autoflush is off and the steps do not flush; call `flush()` where later checks
    must see earlier rows (the import flushes its member rows before its organisation rows).
    """
    db.session.info[_BATCH] = True
    try:
        with db.session.no_autoflush:
            yield
        db.session.flush()
    finally:
        db.session.info.pop(_BATCH, None)
        db.session.info.pop(_LED, None)


_LED = "rating_led_levels"


def _led_level(year: RatingYear, member_id: int) -> Level | None:
    """The decided level of the organisation a member leads (read once per batch)."""
    if not db.session.info.get(_BATCH):
        led = led_organisation_rating(year, member_id)
        return led.level if led is not None else None
    if _LED not in db.session.info:
        db.session.info[_LED] = dict(
            db.session.execute(
                select(Rating.leader_id, Rating.level).where(
                    Rating.year_id == year.id, Rating.leader_id.is_not(None)
                )
            ).all()
        )
    levels: dict[int, Level | None] = db.session.info[_LED]
    return levels.get(member_id)


def flush() -> None:
    db.session.flush()


def _flush() -> None:
    if not db.session.info.get(_BATCH):
        db.session.flush()


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
    _flush()
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
    _flush()
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
    _flush()


def record_proposal(rating: Rating, *, level: Level, by: User | None) -> None:
    """Step 2: record the level the party cell (or the collective) proposes."""
    _require_open(rating)
    _check_level(rating, level)
    rating.proposed_level = level
    rating.proposed_by_id, rating.proposed_at = (by.id if by else None), utcnow()
    _flush()


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
    _flush()


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
        led_level = _led_level(year, rating.member_id)
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
    _flush()


def clear_not_rated(rating: Rating) -> None:
    """Put a subject set apart back among those to be rated."""
    rating.not_rated, rating.not_rated_on = None, None
    _flush()


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
    _flush()


#: The columns a new rating is written with (`record_new_decisions`).
_COLUMNS = (
    "year_id",
    "member_id",
    "organisation_id",
    "unit_id",
    "leader_id",
    "outstanding",
    "discipline",
    "self_score",
    "self_level",
    "self_by_id",
    "self_at",
    "proposed_level",
    "proposed_by_id",
    "proposed_at",
    "not_rated",
    "not_rated_on",
)


def record_new_decisions(
    decisions: list[tuple[Rating, Level, Decimal | None, list[Finding], str | None]],
    by: User | None,
    source: str | None,
) -> None:
    """Write many checked decisions on unsaved ratings (`new_rating`) at once: the same rule
    as `record_decision` (a finding needs a reason, recorded as an override), in bulk."""
    if not decisions:
        return
    now, by_id = utcnow(), (by.id if by else None)
    rows = []
    for rating, level, score, findings, reason in decisions:
        if findings and not (reason or "").strip():
            raise ChecksFailed(findings)
        row = {column: getattr(rating, column) for column in _COLUMNS}
        row.update(
            level=level,
            score=score,
            decided_by_id=by_id,
            decided_at=now,
            source=source,
            created_at=now,
        )
        rows.append(row)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Rating), rows[start : start + 5000])
    overridden = [(r, lv, f, reason) for r, lv, _s, f, reason in decisions if f]
    if not overridden:
        return
    year_id = decisions[0][0].year_id
    ids = {
        (member_id, org_id): rid
        for rid, member_id, org_id in db.session.execute(
            select(Rating.id, Rating.member_id, Rating.organisation_id).where(
                Rating.year_id == year_id
            )
        )
    }
    overrides = [
        {
            "rating_id": ids[(rating.member_id, rating.organisation_id)],
            "check_code": CheckCode(finding.code).value,
            "level": level,
            "reason": (reason or "").strip(),
            "by_id": by_id,
            "at": now,
        }
        for rating, level, findings, reason in overridden
        for finding in {f.code: f for f in findings}.values()
    ]
    db.session.execute(insert(RatingOverride), overrides)


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
    _flush()
    return revision
