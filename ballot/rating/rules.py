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
    """A discipline imposed in the year: party, state or mass-organisation forms alike.

    Every form from a reprimand up counts for the "Không hoàn thành" trigger (124-QĐ/TW
    Điều 12, 366-QĐ/TW Điều 11): the rule says "bị xử lý kỷ luật", not only party forms.
    """

    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    DISMISSAL = "dismissal"  # cách chức
    EXPULSION = "expulsion"  # khai trừ (party) / khai trừ khỏi tổ chức (mass organisation)
    SALARY_DOWNGRADE = "salary_downgrade"  # hạ bậc lương (state)
    DEMOTION = "demotion"  # giáng chức (state)
    REMOVAL = "removal"  # bãi nhiệm (state)
    FORCED_RESIGNATION = "forced_resignation"  # buộc thôi việc (state)


DISCIPLINE_LABELS = {
    Discipline.REPRIMAND: _l("Khiển trách"),
    Discipline.WARNING: _l("Cảnh cáo"),
    Discipline.DISMISSAL: _l("Cách chức"),
    Discipline.EXPULSION: _l("Khai trừ"),
    Discipline.SALARY_DOWNGRADE: _l("Hạ bậc lương"),
    Discipline.DEMOTION: _l("Giáng chức"),
    Discipline.REMOVAL: _l("Bãi nhiệm"),
    Discipline.FORCED_RESIGNATION: _l("Buộc thôi việc"),
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
    LOW_CONFIDENCE = "low_confidence"  # the year's official confidence-vote results
    SCORE = "score"  # the decided score (rule sets with a scale)
    RECORDED = "recorded"  # ticked by the office when the rating is entered


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the document and its clause, and how it was checked.

    `secondary` names the public page the rule was checked against when the official text
    itself could not be read; `local` marks a choice of this committee, not a national rule.
    """

    document: str
    clause: str = ""
    secondary: str = ""
    local: bool = False

    @property
    def text(self) -> str:
        """The citation as shown beside a check: "Quy định 124-QĐ/TW, Điều 12"."""
        return f"{self.document}, {self.clause}" if self.clause else self.document


@dataclass(frozen=True)
class Trigger:
    """A fact that limits the level a subject may be given.

    With `max_level` FAILED it forces "Không hoàn thành nhiệm vụ" (a trigger); with a higher
    `max_level` it is a ceiling ("không xếp loại cao hơn"), e.g. a disciplined member of an
    organisation's leadership bars "Hoàn thành xuất sắc" (max "good").
    """

    code: str
    label: object  # a lazy string
    applies_to: SubjectKind
    source: Source
    origin: TriggerSource = TriggerSource.RECORDED
    max_level: Level = Level.FAILED

    @property
    def is_ceiling(self) -> bool:
        return self.max_level != Level.FAILED


@dataclass(frozen=True)
class Ceiling:
    """A ceiling computed from other ratings (an organisation's members, its secretary)."""

    code: str
    label: object
    applies_to: SubjectKind
    source: Source


@dataclass(frozen=True)
class Exclusion:
    """A reason a member or an organisation is not rated ("không xếp loại") in a year."""

    code: str
    label: object
    applies_to: SubjectKind
    source: Source


@dataclass(frozen=True)
class Band:
    """The lowest score of a level on a scale, with its source."""

    level: Level
    lowest: Decimal
    source: Source


@dataclass(frozen=True)
class ScoreScale:
    """A score scale: the lowest score of each level above "failed"."""

    maximum: Decimal
    #: Best first; below the last one is "failed".
    bands: tuple[Band, ...]

    @property
    def thresholds(self) -> tuple[tuple[Level, Decimal], ...]:
        return tuple((b.level, b.lowest) for b in self.bands)

    def level_for(self, score: Decimal) -> Level:
        """Return the highest level a score allows on this scale."""
        for level, lowest in self.thresholds:
            if score >= lowest:
                return level
        return Level.FAILED

    def band(self, level: Level) -> Band | None:
        return next((b for b in self.bands if b.level == level), None)


@dataclass(frozen=True)
class CapRule:
    """ "Hoàn thành xuất sắc" at most `share` of the basis among comparables.

    The share is national; the higher share for outstanding units and the default basis are
    local choices (each year may set its own, see `RatingYear`).
    """

    share: Fraction
    source: Source
    outstanding_share: Fraction
    outstanding_source: Source
    basis: CapBasis
    basis_source: Source


@dataclass(frozen=True)
class RuleSet:
    """One regulation's rules for the annual rating; every rule carries its source."""

    #: Stored on each rating year; never change it once used.
    code: str
    #: "Quy định 124-QĐ/TW"
    title: str
    #: Issue date of the regulation.
    issued: date
    #: First date it applies from.
    effective_from: date
    #: The first rating year it governs (the rating is made at the end of the year).
    first_year: int
    #: The guidance that goes with it ("Hướng dẫn 25-HD/BTCTW").
    guidance: str
    #: The levels, best first, and where they are defined.
    levels: tuple[Level, ...]
    levels_source: Source
    #: The score scale, when the regulation sets one.
    score_scale: ScoreScale | None
    cap: CapRule
    #: Low-confidence share above which a leader is rated "failed" (strictly over).
    low_confidence_over: Fraction
    triggers: tuple[Trigger, ...]
    ceilings: tuple[Ceiling, ...]
    exclusions: tuple[Exclusion, ...]
    #: The last rating year it governs (None: still in force).
    last_year: int | None = None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.issued.year})"

    def triggers_for(self, kind: SubjectKind) -> tuple[Trigger, ...]:
        """Return the triggers and recorded ceilings that apply to members or organisations."""
        return tuple(t for t in self.triggers if t.applies_to == kind)

    def recorded_triggers_for(self, kind: SubjectKind) -> tuple[Trigger, ...]:
        """Return the facts the office ticks by hand for this kind of subject."""
        return tuple(t for t in self.triggers_for(kind) if t.origin == TriggerSource.RECORDED)

    def trigger(self, code: str) -> Trigger | None:
        return next((t for t in self.triggers if t.code == code), None)

    def by_origin(self, origin: TriggerSource) -> Trigger | None:
        return next((t for t in self.triggers if t.origin == origin), None)

    def ceiling(self, code: str) -> Ceiling | None:
        return next((c for c in self.ceilings if c.code == code), None)

    def exclusions_for(self, kind: SubjectKind) -> tuple[Exclusion, ...]:
        return tuple(e for e in self.exclusions if e.applies_to == kind)

    def exclusion(self, code: str) -> Exclusion | None:
        return next((e for e in self.exclusions if e.code == code), None)

    def governs(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


def score_agrees(rules: RuleSet, score: Decimal | None, level: Level) -> bool:
    """Return False only when the level is above what the score allows.

    The scale sets a floor for each level, never a ceiling: 95 points rated "good" is
    allowed (a score of 90 or more is necessary for "excellent", not sufficient).
    """
    if rules.score_scale is None or score is None:
        return True
    return level.rank <= rules.score_scale.level_for(score).rank


def discipline_forces_failure(rules: RuleSet, discipline: Discipline | None) -> bool:
    """Return True when a discipline was imposed in the year (any form, from reprimand up)."""
    return discipline is not None and rules.by_origin(TriggerSource.DISCIPLINE) is not None


def low_confidence_forces_failure(rules: RuleSet, share: Fraction | None) -> bool:
    """Return True when a leader's low-confidence share is over the rule set's limit."""
    return share is not None and share > rules.low_confidence_over


def unknown_triggers(rules: RuleSet, kind: SubjectKind, codes: Iterable[str]) -> list[str]:
    """Return the codes that are not recorded facts of this rule set for `kind`."""
    known = {t.code for t in rules.recorded_triggers_for(kind)}
    return [code for code in codes if code not in known]


def cap_limit(share: Fraction, basis: CapBasis, excellent: int, good: int) -> Fraction:
    """Return how many "excellent" the cap allows, as an exact fraction."""
    base = good if basis == CapBasis.GOOD else good + excellent
    return share * base


def over_cap(share: Fraction, basis: CapBasis, excellent: int, good: int) -> bool:
    """Return True when `excellent` is more than the cap allows."""
    return excellent > cap_limit(share, basis, excellent, good)
