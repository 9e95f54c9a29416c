"""The vocabulary of a rule set and the pure functions that apply one.

A regulation is described as data (a `RuleSet` in `ballot/rating/rulesets/`); everything
that depends on the regulation (levels, score thresholds, the excellence cap, the triggers
that force "Không hoàn thành nhiệm vụ") is read from it here, so views and services never
name a regulation.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l


class Level(enum.StrEnum):
    """The four levels, best first (both 124-QĐ/TW and 366-QĐ/TW keep them)."""

    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ
    COMPLETED = "completed"  # Hoàn thành nhiệm vụ
    FAILED = "failed"  # Không hoàn thành nhiệm vụ

    @property
    def rank(self) -> int:
        """3 for excellent down to 0 for failed: a higher rank is a better level."""
        return _RANK[self]

    def at_least(self, other: Level) -> bool:
        """Return True when this level is `other` or better."""
        return self.rank >= other.rank


_RANK = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETED: 1, Level.FAILED: 0}

LEVEL_LABELS = {
    Level.EXCELLENT: _l("Hoàn thành xuất sắc nhiệm vụ"),
    Level.GOOD: _l("Hoàn thành tốt nhiệm vụ"),
    Level.COMPLETED: _l("Hoàn thành nhiệm vụ"),
    Level.FAILED: _l("Không hoàn thành nhiệm vụ"),
}
#: Abbreviations used on paper lists and accepted by the import.
LEVEL_SHORT = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.COMPLETED: "HTNV",
    Level.FAILED: "KHTNV",
}


class Discipline(enum.StrEnum):
    """Party discipline of a member, mildest first (khiển trách ... khai trừ)."""

    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    DISMISSAL = "dismissal"  # cách chức
    EXPULSION = "expulsion"  # khai trừ

    @property
    def severity(self) -> int:
        return list(Discipline).index(self) + 1


DISCIPLINE_LABELS = {
    Discipline.REPRIMAND: _l("Khiển trách"),
    Discipline.WARNING: _l("Cảnh cáo"),
    Discipline.DISMISSAL: _l("Cách chức"),
    Discipline.EXPULSION: _l("Khai trừ"),
}


class CapBasis(enum.StrEnum):
    """What the excellence cap is a share of (sources differ)."""

    GOOD = "good"  # of those rated "Hoàn thành tốt nhiệm vụ"
    GOOD_AND_ABOVE = "good_and_above"  # of those rated "Hoàn thành tốt nhiệm vụ" or above


CAP_BASIS_LABELS = {
    CapBasis.GOOD: _l("số được xếp loại Hoàn thành tốt nhiệm vụ"),
    CapBasis.GOOD_AND_ABOVE: _l("số được xếp loại Hoàn thành tốt nhiệm vụ trở lên"),
}


class SubjectKind(enum.StrEnum):
    MEMBER = "member"
    ORGANISATION = "organisation"


class TriggerSource(enum.StrEnum):
    """Where the fact behind a trigger comes from."""

    DISCIPLINE = "discipline"  # the rating's discipline column
    LOW_CONFIDENCE = "low_confidence"  # the year's confidence-vote results
    RECORDED = "recorded"  # ticked by the office when the rating is entered


@dataclass(frozen=True)
class Trigger:
    """A fact that forces "Không hoàn thành nhiệm vụ" for a kind of subject."""

    code: str
    label: object  # a lazy string
    applies_to: SubjectKind
    source: TriggerSource = TriggerSource.RECORDED


@dataclass(frozen=True)
class ScoreScale:
    """A score scale: the lowest score of each level above "failed"."""

    maximum: Decimal
    #: (level, lowest score) best first; below the last one is "failed".
    thresholds: tuple[tuple[Level, Decimal], ...]

    def level_for(self, score: Decimal) -> Level:
        """Return the level a score reaches on this scale."""
        for level, lowest in self.thresholds:
            if score >= lowest:
                return level
        return Level.FAILED

    def describe(self, level: Level) -> tuple[Decimal | None, Decimal | None]:
        """Return the [low, high) score range of a level (None: open end)."""
        low: Decimal | None = None
        high: Decimal | None = None
        ordered = list(self.thresholds)
        for index, (candidate, lowest) in enumerate(ordered):
            if candidate == level:
                low = lowest
                high = ordered[index - 1][1] if index > 0 else None
        if level == Level.FAILED:
            high = ordered[-1][1]
        return low, high


@dataclass(frozen=True)
class CapRule:
    """ "Hoàn thành xuất sắc" at most `share` of the basis (`outstanding_share` for outstanding units)."""

    share: Fraction
    outstanding_share: Fraction
    basis: CapBasis


@dataclass(frozen=True)
class RuleSet:
    """One regulation's rules for the annual rating."""

    #: Stored on each rating year; never change it once used.
    code: str
    #: "Quy định 124-QĐ/TW"
    title: str
    #: Issue date of the regulation.
    issued: date
    #: First date it applies from.
    effective_from: date
    #: The guidance that goes with it ("Hướng dẫn 25-HD/BTCTW").
    guidance: str
    #: The levels, best first.
    levels: tuple[Level, ...]
    #: The score scale, when the regulation sets one.
    score_scale: ScoreScale | None
    cap: CapRule
    #: Low-confidence share above which a leader is rated "failed" (strictly over).
    low_confidence_over: Fraction
    #: The mildest discipline that forces "failed" when imposed in the year.
    discipline_from: Discipline
    triggers: tuple[Trigger, ...]

    @property
    def label(self) -> str:
        return f"{self.title} ({self.issued.year})"

    def triggers_for(self, kind: SubjectKind) -> tuple[Trigger, ...]:
        """Return the triggers that apply to members or to organisations."""
        return tuple(t for t in self.triggers if t.applies_to == kind)

    def recorded_triggers_for(self, kind: SubjectKind) -> tuple[Trigger, ...]:
        """Return the triggers the office ticks by hand for this kind of subject."""
        return tuple(t for t in self.triggers_for(kind) if t.source == TriggerSource.RECORDED)

    def trigger(self, code: str) -> Trigger | None:
        return next((t for t in self.triggers if t.code == code), None)


def score_agrees(rules: RuleSet, score: Decimal | None, level: Level) -> bool:
    """Return False only when the rule set has a scale and the score reaches another level.

    A score below a level's threshold never agrees with it; a score above the level's range
    does not either (a 95 rated "good" is a mistake or needs a recorded reason).
    """
    if rules.score_scale is None or score is None:
        return True
    return rules.score_scale.level_for(score) == level


def discipline_forces_failure(rules: RuleSet, discipline: Discipline | None) -> bool:
    """Return True when the discipline imposed in the year forces "failed"."""
    return discipline is not None and discipline.severity >= rules.discipline_from.severity


def low_confidence_forces_failure(rules: RuleSet, share: Fraction | None) -> bool:
    """Return True when a leader's low-confidence share is over the rule set's limit."""
    return share is not None and share > rules.low_confidence_over


def unknown_triggers(rules: RuleSet, kind: SubjectKind, codes: Iterable[str]) -> list[str]:
    """Return the codes that are not recorded triggers of this rule set for `kind`."""
    known = {t.code for t in rules.recorded_triggers_for(kind)}
    return [code for code in codes if code not in known]


def cap_limit(
    rules: RuleSet, basis: CapBasis, excellent: int, good: int, outstanding: bool
) -> Fraction:
    """Return how many "excellent" the cap allows, as an exact fraction."""
    share = rules.cap.outstanding_share if outstanding else rules.cap.share
    base = good if basis == CapBasis.GOOD else good + excellent
    return share * base


def over_cap(rules: RuleSet, basis: CapBasis, excellent: int, good: int, outstanding: bool) -> bool:
    """Return True when `excellent` is more than the cap allows."""
    return excellent > cap_limit(rules, basis, excellent, good, outstanding)
