"""Checks on ratings: shown where a rating is entered and listed for the whole year.

A check fires when a decided level goes against the rule set: a member disciplined in the
year, a leader with over 50% low confidence, or another recorded trigger, rated above
"Không hoàn thành nhiệm vụ"; a score that reaches another level; more "Hoàn thành xuất sắc"
in a group of comparables than the cap allows. A check that fires can be accepted only with
a written reason (a `RatingOverride`), which is then listed with the year's checks.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ballot.db import db
from ballot.i18n import vn_number, vn_percent
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.models import Rating, RatingOverride, RatingTrigger, RatingYear
from ballot.rating.queries import Unit, basic_id_of_unit
from ballot.rating.rules import (
    LEVEL_LABELS,
    CapBasis,
    Discipline,
    Level,
    RuleSet,
    SubjectKind,
    cap_limit,
    discipline_forces_failure,
    low_confidence_forces_failure,
    over_cap,
    score_agrees,
)


class CheckCode(enum.StrEnum):
    DISCIPLINE = "discipline"
    LOW_CONFIDENCE = "low_confidence"
    TRIGGER = "trigger"
    SCORE_LEVEL = "score_level"
    CAP = "cap"


#: Short names of the checks, for badges and lists (each finding carries the full message).
CHECK_LABELS = {
    CheckCode.DISCIPLINE: _l("Kỷ luật"),
    CheckCode.LOW_CONFIDENCE: _l("Tín nhiệm thấp"),
    CheckCode.TRIGGER: _l("Căn cứ Không hoàn thành"),
    CheckCode.SCORE_LEVEL: _l("Điểm không khớp mức"),
    CheckCode.CAP: _l("Vượt tỷ lệ xuất sắc"),
}


@dataclass(frozen=True)
class SubjectFacts:
    """What the checks need to know about one rated member or organisation."""

    kind: SubjectKind
    level: Level | None
    score: Decimal | None = None
    discipline: Discipline | None = None
    triggers: tuple[str, ...] = ()
    low_confidence: Fraction | None = None


@dataclass(frozen=True)
class Finding:
    """A check that fired, with a message in the interface's language."""

    code: CheckCode
    message: str


@dataclass(frozen=True)
class CapGroup:
    """Counts of a group of comparables (a basic organisation's members, or the basic organisations)."""

    excellent: int
    good: int
    outstanding: bool = False


def check_subject(rules: RuleSet, facts: SubjectFacts) -> list[Finding]:
    """Return the findings for one subject's level (the cap is checked by `check_cap`)."""
    if facts.level is None:
        return []
    findings: list[Finding] = []
    above_failed = facts.level != Level.FAILED
    level_label = LEVEL_LABELS[facts.level]  # lazy: translated only when a message is made
    if above_failed and discipline_forces_failure(rules, facts.discipline):
        findings.append(
            Finding(
                CheckCode.DISCIPLINE,
                _(
                    "Bị kỷ luật trong năm nhưng được xếp loại %(level)s; theo %(rules)s phải xếp loại "
                    "Không hoàn thành nhiệm vụ.",
                    level=level_label,
                    rules=rules.title,
                ),
            )
        )
    if above_failed and low_confidence_forces_failure(rules, facts.low_confidence):
        share = facts.low_confidence or Fraction(0)
        findings.append(
            Finding(
                CheckCode.LOW_CONFIDENCE,
                _(
                    "Có %(share)s phiếu tín nhiệm thấp trong năm (trên %(limit)s) nhưng được xếp loại %(level)s.",
                    share=vn_percent(share.numerator, share.denominator),
                    limit=vn_percent(
                        rules.low_confidence_over.numerator,
                        rules.low_confidence_over.denominator,
                        0,
                    ),
                    level=level_label,
                ),
            )
        )
    recorded = [rules.trigger(code) for code in facts.triggers]
    labels = [str(t.label) for t in recorded if t is not None]
    if above_failed and labels:
        findings.append(
            Finding(
                CheckCode.TRIGGER,
                _(
                    "Có căn cứ buộc xếp loại Không hoàn thành nhiệm vụ (%(reasons)s) nhưng được xếp loại %(level)s.",
                    reasons="; ".join(labels),
                    level=level_label,
                ),
            )
        )
    forced = (
        bool(labels)
        or discipline_forces_failure(rules, facts.discipline)
        or low_confidence_forces_failure(rules, facts.low_confidence)
    )
    # A trigger can make "failed" right whatever the score says.
    if not (forced and not above_failed) and not score_agrees(rules, facts.score, facts.level):
        assert rules.score_scale is not None and facts.score is not None  # noqa: S101 - score_agrees says so  # nosec B101
        reached = rules.score_scale.level_for(facts.score)
        findings.append(
            Finding(
                CheckCode.SCORE_LEVEL,
                _(
                    "Điểm %(score)s ứng với mức %(reached)s, không khớp với mức %(level)s.",
                    score=vn_number(facts.score, 2),
                    reached=str(LEVEL_LABELS[reached]),
                    level=level_label,
                ),
            )
        )
    return findings


def check_cap(rules: RuleSet, basis: CapBasis, group: CapGroup, group_name: str) -> Finding | None:
    """Return a finding when the group has more "excellent" than the cap allows."""
    if not over_cap(rules, basis, group.excellent, group.good, group.outstanding):
        return None
    limit = cap_limit(rules, basis, group.excellent, group.good, group.outstanding)
    share = rules.cap.outstanding_share if group.outstanding else rules.cap.share
    base = group.good if basis == CapBasis.GOOD else group.good + group.excellent
    return Finding(
        CheckCode.CAP,
        _(
            "%(group)s: %(excellent)s Hoàn thành xuất sắc nhiệm vụ, vượt mức %(share)s của %(base)s "
            "(tối đa %(limit)s).",
            group=group_name,
            excellent=vn_number(group.excellent),
            share=vn_percent(share.numerator, share.denominator, 0),
            base=vn_number(base),
            limit=vn_number(limit.numerator // limit.denominator),
        ),
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
            .join(Member, Rating.member_id == Member.id)
            .join(Unit, Member.organisation_id == Unit.id)
            .where(basic_id_of_unit() == basic_id)
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


def with_level(group: CapGroup, level: Level | None) -> CapGroup:
    """Return the group's counts with one more rating at `level`."""
    return CapGroup(
        group.excellent + (level == Level.EXCELLENT),
        group.good + (level == Level.GOOD),
        group.outstanding,
    )


# --- The year's list ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideInfo:
    reason: str
    by: str
    at: datetime


@dataclass
class YearFinding:
    """A finding in the year's list, with the subject it concerns and any accepted override."""

    finding: Finding
    rating_id: int | None
    subject_kind: SubjectKind | None
    subject_code: str
    subject_name: str
    unit_name: str
    level: Level | None
    overrides: list[OverrideInfo] = field(default_factory=list)

    @property
    def overridden(self) -> bool:
        return bool(self.overrides)


def year_findings(year: RatingYear, low_confidence: Mapping[int, Fraction]) -> list[YearFinding]:
    """Return every finding of the year: open ones first, then those accepted with a reason."""
    rules = year.rules
    overrides = _overrides(year)
    triggers: dict[int, list[str]] = defaultdict(list)
    for rating_id, code in db.session.execute(
        select(RatingTrigger.rating_id, RatingTrigger.code)
        .join(Rating)
        .where(Rating.year_id == year.id)
    ):
        triggers[rating_id].append(code)

    out: list[YearFinding] = []
    member_rows = db.session.execute(
        select(
            Rating.id,
            Rating.level,
            Rating.score,
            Rating.discipline,
            Member.id,
            Member.code,
            Member.full_name,
            Unit.name,
        )
        .select_from(Rating)
        .join(Member, Rating.member_id == Member.id)
        .join(Unit, Member.organisation_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.level.is_not(None))
        .order_by(Member.code)
    )
    for rating_id, level, score, discipline, member_id, code, name, unit in member_rows:
        facts = SubjectFacts(
            SubjectKind.MEMBER,
            level,
            score,
            discipline,
            tuple(triggers[rating_id]),
            low_confidence.get(member_id),
        )
        for finding in check_subject(rules, facts):
            out.append(
                YearFinding(
                    finding,
                    rating_id,
                    SubjectKind.MEMBER,
                    code,
                    name,
                    unit,
                    level,
                    overrides.get((rating_id, finding.code), []),
                )
            )
    org_rows = db.session.execute(
        select(Rating.id, Rating.level, Rating.score, Organisation.code, Organisation.name)
        .select_from(Rating)
        .join(Organisation, Rating.organisation_id == Organisation.id)
        .where(Rating.year_id == year.id, Rating.level.is_not(None))
        .order_by(Organisation.code)
    )
    for rating_id, level, score, code, name in org_rows:
        facts = SubjectFacts(
            SubjectKind.ORGANISATION, level, score, None, tuple(triggers[rating_id])
        )
        for finding in check_subject(rules, facts):
            out.append(
                YearFinding(
                    finding,
                    rating_id,
                    SubjectKind.ORGANISATION,
                    code,
                    name,
                    "",
                    level,
                    overrides.get((rating_id, finding.code), []),
                )
            )
    out.extend(_cap_findings(year, overrides))
    out.sort(key=lambda f: f.overridden)
    return out


def _overrides(year: RatingYear) -> dict[tuple[int, str], list[OverrideInfo]]:
    """Return the overrides that still apply (given for the rating's current level)."""
    from ballot.auth.models import User

    found: dict[tuple[int, str], list[OverrideInfo]] = defaultdict(list)
    rows = db.session.execute(
        select(
            RatingOverride.rating_id,
            RatingOverride.check_code,
            RatingOverride.reason,
            User.full_name,
            RatingOverride.at,
        )
        .select_from(RatingOverride)
        .join(Rating, RatingOverride.rating_id == Rating.id)
        .outerjoin(User, RatingOverride.by_id == User.id)
        .where(Rating.year_id == year.id, RatingOverride.level == Rating.level)
    )
    for rating_id, check_code, reason, by, at in rows:
        found[(rating_id, check_code)].append(OverrideInfo(reason, by or "", at))
    return found


def _cap_findings(
    year: RatingYear, overrides: dict[tuple[int, str], list[OverrideInfo]]
) -> list[YearFinding]:
    """Check the cap in each basic organisation (its members) and among basic organisations."""
    rules, basis = year.rules, year.effective_cap_basis
    basic_id = basic_id_of_unit().label("basic_id")
    counts: dict[int, dict[Level, int]] = defaultdict(dict)
    excellent_ids: dict[int | None, list[int]] = defaultdict(list)
    for bid, level, number in db.session.execute(
        select(basic_id, Rating.level, func.count())
        .select_from(Rating)
        .join(Member, Rating.member_id == Member.id)
        .join(Unit, Member.organisation_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.level.in_([Level.EXCELLENT, Level.GOOD]))
        .group_by(basic_id, Rating.level)
    ):
        counts[bid][level] = number
    cap_override_ids = {rid for (rid, code) in overrides if code == CheckCode.CAP}
    for rid, bid in db.session.execute(
        select(Rating.id, basic_id)
        .select_from(Rating)
        .join(Member, Rating.member_id == Member.id)
        .join(Unit, Member.organisation_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.id.in_(cap_override_ids))
    ):
        excellent_ids[bid].append(rid)
    outstanding = set(
        db.session.scalars(
            select(Rating.organisation_id).where(
                Rating.year_id == year.id, Rating.outstanding.is_(True)
            )
        )
    )
    names = dict(db.session.execute(select(Organisation.id, Organisation.code)).all())
    full = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())

    out: list[YearFinding] = []
    for bid, by_level in sorted(counts.items(), key=lambda item: names.get(item[0], "")):
        group = CapGroup(
            by_level.get(Level.EXCELLENT, 0), by_level.get(Level.GOOD, 0), bid in outstanding
        )
        finding = check_cap(
            rules, basis, group, _("Đảng viên của %(unit)s", unit=full.get(bid, ""))
        )
        if finding is not None:
            accepted = [o for rid in excellent_ids[bid] for o in overrides[(rid, CheckCode.CAP)]]
            out.append(
                YearFinding(
                    finding,
                    None,
                    None,
                    names.get(bid, ""),
                    full.get(bid, ""),
                    "",
                    Level.EXCELLENT,
                    accepted,
                )
            )
    orgs = cap_group_counts(year, None)
    finding = check_cap(rules, basis, orgs, _("Các tổ chức cơ sở đảng"))
    if finding is not None:
        org_override_ids = db.session.scalars(
            select(Rating.id).where(
                Rating.year_id == year.id,
                Rating.organisation_id.is_not(None),
                Rating.id.in_(cap_override_ids),
            )
        )
        accepted = [o for rid in org_override_ids for o in overrides[(rid, CheckCode.CAP)]]
        out.append(
            YearFinding(
                finding,
                None,
                None,
                "",
                str(_("Các tổ chức cơ sở đảng")),
                "",
                Level.EXCELLENT,
                accepted,
            )
        )
    return out
