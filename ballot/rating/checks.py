"""Checks on a rating, run before a decision is recorded and listed for the whole year.

A check fires when a level goes against the year's rule set:
- a trigger (discipline in the year, a leader's low confidence, a recorded fact) and the
  level is above "Không hoàn thành nhiệm vụ";
- a ceiling: a recorded fact that bars a level (sick leave, a disciplined leadership member),
  an organisation rated "xuất sắc" with a member under "Hoàn thành nhiệm vụ", a secretary
  rated above the organisation they lead;
- a score that does not reach the level (only upwards: 95 points rated "tốt" is fine);
- more "Hoàn thành xuất sắc" in a group of comparables than the cap allows.
Each finding carries the rule's source, shown beside it. A finding is accepted only with a
written reason (a `RatingOverride`). Pure functions: the database is read by the callers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ballot.i18n import vn_number, vn_percent
from ballot.rating.rules import (
    LEVEL_LABELS,
    CapBasis,
    Discipline,
    Level,
    RuleSet,
    Source,
    SubjectKind,
    TriggerSource,
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
    CEILING = "ceiling"
    MEMBERS_COMPLETED = "members_completed"
    SECRETARY = "secretary"
    SCORE_LEVEL = "score_level"
    CAP = "cap"


#: Short names of the checks, for badges and lists (each finding carries the full message).
CHECK_LABELS = {
    CheckCode.DISCIPLINE: _l("Kỷ luật"),
    CheckCode.LOW_CONFIDENCE: _l("Tín nhiệm thấp"),
    CheckCode.TRIGGER: _l("Căn cứ Không hoàn thành"),
    CheckCode.CEILING: _l("Không xếp loại cao hơn"),
    CheckCode.MEMBERS_COMPLETED: _l("Đảng viên chưa hoàn thành"),
    CheckCode.SECRETARY: _l("Bí thư cao hơn tổ chức"),
    CheckCode.SCORE_LEVEL: _l("Điểm chưa đạt mức"),
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
    #: An organisation: how many of its members are decided under "Hoàn thành nhiệm vụ".
    failed_members: int = 0
    #: A member who leads an organisation: that organisation's decided level.
    led_level: Level | None = None
    #: An organisation: its leader's decided level.
    leader_level: Level | None = None


@dataclass(frozen=True)
class Finding:
    """A check that fired, with a message in the interface's language and the rule's source."""

    code: CheckCode
    message: str
    source: Source | None = None

    @property
    def source_text(self) -> str:
        return self.source.text if self.source is not None else ""


@dataclass(frozen=True)
class CapGroup:
    """Counts of a group of comparables (a basic organisation's members, or the organisations)."""

    excellent: int
    good: int
    outstanding: bool = False


def _above(level: Level, limit: Level) -> bool:
    return level.rank > limit.rank


def check_subject(rules: RuleSet, facts: SubjectFacts) -> list[Finding]:
    """Return the findings for one subject's level (the cap is checked by `check_cap`)."""
    if facts.level is None:
        return []
    level, out = facts.level, []
    label = LEVEL_LABELS[level]  # lazy: translated only when a message is made
    above_failed = level != Level.FAILED
    discipline = rules.by_origin(TriggerSource.DISCIPLINE)
    if above_failed and discipline and discipline_forces_failure(rules, facts.discipline):
        message = _(
            "Bị kỷ luật trong năm nhưng được xếp loại %(level)s; phải xếp loại Không hoàn thành "
            "nhiệm vụ.",
            level=label,
        )
        out.append(Finding(CheckCode.DISCIPLINE, message, discipline.source))
    low = rules.by_origin(TriggerSource.LOW_CONFIDENCE)
    if above_failed and low and low_confidence_forces_failure(rules, facts.low_confidence):
        share = facts.low_confidence or Fraction(0)
        limit = rules.low_confidence_over
        message = _(
            "Có %(share)s phiếu tín nhiệm thấp trong năm (trên %(limit)s) nhưng được xếp loại "
            "%(level)s.",
            share=vn_percent(share.numerator, share.denominator),
            limit=vn_percent(limit.numerator, limit.denominator, 0),
            level=label,
        )
        out.append(Finding(CheckCode.LOW_CONFIDENCE, message, low.source))
    recorded = [t for t in (rules.trigger(code) for code in facts.triggers) if t is not None]
    for trigger in recorded:
        if not _above(level, trigger.max_level):
            continue
        if trigger.is_ceiling:
            message = _(
                "%(fact)s: không xếp loại cao hơn %(max)s, nhưng được xếp loại %(level)s.",
                fact=trigger.label,
                max=LEVEL_LABELS[trigger.max_level],
                level=label,
            )
            out.append(Finding(CheckCode.CEILING, message, trigger.source))
        else:
            message = _(
                "Có căn cứ buộc xếp loại Không hoàn thành nhiệm vụ (%(reason)s) nhưng được xếp "
                "loại %(level)s.",
                reason=trigger.label,
                level=label,
            )
            out.append(Finding(CheckCode.TRIGGER, message, trigger.source))
    members = rules.ceiling("members_completed")
    if members and level == Level.EXCELLENT and facts.failed_members:
        message = _(
            "Xếp loại Hoàn thành xuất sắc nhiệm vụ nhưng có %(n)s đảng viên xếp loại dưới "
            "Hoàn thành nhiệm vụ.",
            n=vn_number(facts.failed_members),
        )
        out.append(Finding(CheckCode.MEMBERS_COMPLETED, message, members.source))
    secretary = rules.ceiling("secretary_not_above")
    if secretary and facts.led_level is not None and _above(level, facts.led_level):
        message = _(
            "Là bí thư của tổ chức xếp loại %(org)s; không xếp loại cao hơn (đang là %(level)s).",
            org=LEVEL_LABELS[facts.led_level],
            level=label,
        )
        out.append(Finding(CheckCode.SECRETARY, message, secretary.source))
    if secretary and facts.leader_level is not None and _above(facts.leader_level, level):
        message = _(
            "Bí thư của tổ chức đã được xếp loại %(leader)s, cao hơn mức %(level)s của tổ chức.",
            leader=LEVEL_LABELS[facts.leader_level],
            level=label,
        )
        out.append(Finding(CheckCode.SECRETARY, message, secretary.source))
    if not score_agrees(rules, facts.score, level):
        assert rules.score_scale is not None and facts.score is not None  # noqa: S101 - score_agrees says so  # nosec B101
        reached = rules.score_scale.level_for(facts.score)
        band = rules.score_scale.band(level)
        message = _(
            "Điểm %(score)s chỉ đạt mức %(reached)s, chưa đủ cho mức %(level)s.",
            score=vn_number(facts.score, 2),
            reached=LEVEL_LABELS[reached],
            level=label,
        )
        out.append(Finding(CheckCode.SCORE_LEVEL, message, band.source if band else None))
    return out


def check_cap(
    rules: RuleSet, share: Fraction, basis: CapBasis, group: CapGroup, group_name: str
) -> Finding | None:
    """Return a finding when the group has more "excellent" than the cap allows."""
    if not over_cap(share, basis, group.excellent, group.good):
        return None
    limit = cap_limit(share, basis, group.excellent, group.good)
    base = group.good if basis == CapBasis.GOOD else group.good + group.excellent
    allowed = limit.numerator // limit.denominator
    if basis == CapBasis.GOOD:
        message = _(
            "%(group)s: %(excellent)s Hoàn thành xuất sắc nhiệm vụ, trong khi chỉ được tối đa "
            "%(allowed)s (%(share)s của %(base)s người Hoàn thành tốt nhiệm vụ).",
            group=group_name,
            excellent=vn_number(group.excellent),
            allowed=vn_number(allowed),
            share=vn_percent(share.numerator, share.denominator, 0),
            base=vn_number(base),
        )
    else:
        message = _(
            "%(group)s: %(excellent)s Hoàn thành xuất sắc nhiệm vụ, trong khi chỉ được tối đa "
            "%(allowed)s (%(share)s của %(base)s người Hoàn thành tốt nhiệm vụ trở lên).",
            group=group_name,
            excellent=vn_number(group.excellent),
            allowed=vn_number(allowed),
            share=vn_percent(share.numerator, share.denominator, 0),
            base=vn_number(base),
        )
    source = rules.cap.outstanding_source if group.outstanding else rules.cap.source
    return Finding(CheckCode.CAP, message, source)


def with_level(group: CapGroup, level: Level | None) -> CapGroup:
    """Return the group's counts with one more rating at `level`."""
    return CapGroup(
        group.excellent + (level == Level.EXCELLENT),
        group.good + (level == Level.GOOD),
        group.outstanding,
    )
