"""Targets 6 and 7 of the year, with the level distribution and the drill-down.

Everything is counted by aggregate SQL (GROUP BY unit and level) and rolled up in Python
over those few rows; shares are exact fractions. Members and organisations not yet rated
("chưa xếp loại", no decision) stay in the denominator and are counted apart; those set
apart as "không xếp loại" (exempt, suspended, admitted or founded under 6 months) leave the
denominator and are counted on their own line, by reason. A member counts in the unit kept on
their rating, so a transfer never changes a past year.

The lists of names behind these figures (who has no decision, who is below a level, who is set
apart) are in `lists.py`; their names are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ballot.db import db
from ballot.i18n import vn_percent
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.lists import (
    ExcludedLine,
    excluded_subjects,
    members_below,
    not_rated_members,
)
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import Unit, member_rating_join, members_of_year
from ballot.rating.rules import Level, SubjectKind

__all__ = [
    "TARGETS",
    "Distribution",
    "ExcludedLine",
    "Target",
    "TargetResult",
    "UnitFigures",
    "YearTargets",
    "compute_targets",
    "excluded_subjects",
    "members_below",
    "not_rated_members",
    "units_pulling_down",
]


@dataclass(frozen=True)
class Target:
    """A target of the committee's resolution: a share of subjects at `min_level` or better."""

    code: str
    label: object
    subject: SubjectKind
    min_level: Level
    goal: Fraction
    #: True: the share must be over the goal ("trên 90%"); False: at least the goal.
    strict: bool

    def met(self, numerator: int, denominator: int) -> bool:
        if denominator == 0:
            return False
        share = Fraction(numerator, denominator)
        return share > self.goal if self.strict else share >= self.goal

    @property
    def goal_text(self) -> str:
        return ("> " if self.strict else "") + vn_percent(
            self.goal.numerator, self.goal.denominator, 0
        )


#: Targets 6 and 7 of the Đảng ủy Khối's resolution (see DOMAIN.md).
TARGETS = (
    Target(
        "6a",
        _l("Tổ chức cơ sở đảng Hoàn thành nhiệm vụ trở lên"),
        SubjectKind.ORGANISATION,
        Level.COMPLETED,
        Fraction(1),
        strict=False,
    ),
    Target(
        "6b",
        _l("Tổ chức cơ sở đảng Hoàn thành tốt nhiệm vụ trở lên"),
        SubjectKind.ORGANISATION,
        Level.GOOD,
        Fraction(9, 10),
        strict=True,
    ),
    Target(
        "7",
        _l("Đảng viên Hoàn thành tốt nhiệm vụ trở lên"),
        SubjectKind.MEMBER,
        Level.GOOD,
        Fraction(9, 10),
        strict=True,
    ),
)


@dataclass
class Distribution:
    """How many subjects reached each level; `pending` have no decision yet; `excluded`
    counts those not rated ("không xếp loại") by reason, outside the total."""

    counts: dict[Level, int] = field(default_factory=dict)
    pending: int = 0
    excluded: dict[str, int] = field(default_factory=dict)

    def add(self, level: Level | None, number: int, not_rated: str | None = None) -> None:
        if not_rated is not None:
            self.excluded[not_rated] = self.excluded.get(not_rated, 0) + number
        elif level is None:
            self.pending += number
        else:
            self.counts[level] = self.counts.get(level, 0) + number

    def merge(self, other: Distribution) -> None:
        for level, number in other.counts.items():
            self.add(level, number)
        for reason, number in other.excluded.items():
            self.add(None, number, reason)
        self.pending += other.pending

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    def count(self, level: Level) -> int:
        return self.counts.get(level, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.pending

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def at_least(self, level: Level) -> int:
        return sum(n for lv, n in self.counts.items() if lv.at_least(level))

    def share_at_least(self, level: Level) -> Fraction | None:
        return Fraction(self.at_least(level), self.total) if self.total else None

    def bars(self) -> list[tuple[str, int]]:
        """Return (key, count) best level first, then "pending": the chart's order."""
        return [(lv.value, self.count(lv)) for lv in Level] + [("pending", self.pending)]


@dataclass(frozen=True)
class TargetResult:
    target: Target
    numerator: int
    denominator: int
    pending: int
    #: Not rated ("không xếp loại"), by the rule set's reason code: outside the denominator.
    excluded: dict[str, int] = field(default_factory=dict)
    #: reason code -> label, from the year's rule set.
    reason_labels: dict[str, str] = field(default_factory=dict)

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def met(self) -> bool:
        return self.target.met(self.numerator, self.denominator)

    @property
    def percent_text(self) -> str:
        return vn_percent(self.numerator, self.denominator)

    def as_json(self) -> dict[str, Any]:
        share = self.share
        percentage = (
            None
            if share is None
            else float(
                (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
            )
        )
        return {
            "code": self.target.code,
            "label": str(self.target.label),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percentage": percentage,
            "percentage_vn": self.percent_text,
            "goal": f"{'>' if self.target.strict else '>='} {self.target.goal * 100}%",
            "met": self.met,
            "not_rated": self.pending,
            "excluded": {
                "count": self.excluded_total,
                "reasons": [
                    {"code": code, "label": self.reason_labels.get(code, code), "count": n}
                    for code, n in sorted(self.excluded.items())
                ],
            },
        }


@dataclass
class UnitFigures:
    """A basic organisation or a cell: its members' distribution, and its own level."""

    id: int
    code: str
    name: str
    kind: OrgKind
    members: Distribution = field(default_factory=Distribution)
    #: The organisation's own decided level (basic organisations only); None when not decided.
    own_level: Level | None = None
    own_rated: bool = False
    #: The organisation's own "không xếp loại" reason, if set apart.
    not_rated: str | None = None
    cells: list[UnitFigures] = field(default_factory=list)

    def member_share(self, level: Level = Level.GOOD) -> Fraction | None:
        return self.members.share_at_least(level)


@dataclass
class YearTargets:
    """Everything the dashboard shows for one year."""

    year: int
    rule_set: str
    results: list[TargetResult]
    members: Distribution
    organisations: Distribution
    units: list[UnitFigures]

    def result(self, code: str) -> TargetResult:
        return next(r for r in self.results if r.target.code == code)

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "rule_set": self.rule_set,
            "targets": [r.as_json() for r in self.results],
            "members": {
                "total": self.members.total,
                "not_rated": self.members.pending,
                "excluded": self.members.excluded_total,
                **{lv.value: self.members.count(lv) for lv in Level},
            },
            "organisations": {
                "total": self.organisations.total,
                "not_rated": self.organisations.pending,
                "excluded": self.organisations.excluded_total,
                **{lv.value: self.organisations.count(lv) for lv in Level},
            },
        }


def compute_targets(year: RatingYear) -> YearTargets:
    """Count the year's ratings and return targets 6 and 7 with their drill-down figures."""
    orgs = {
        oid: UnitFigures(oid, code, name, kind)
        for oid, code, name, kind in db.session.execute(
            select(Organisation.id, Organisation.code, Organisation.name, Organisation.kind).where(
                Organisation.kind.in_([OrgKind.BASIC, OrgKind.CELL])
            )
        )
    }
    parents = dict(
        db.session.execute(
            select(Organisation.id, Organisation.parent_id).where(Organisation.kind == OrgKind.CELL)
        ).all()
    )

    # Members: one row per (unit, level, not rated), no decision under level None.
    # Grouped by the current unit (through its index) and the unit kept on the rating, and
    # combined here: cheaper than grouping on COALESCE(...) over 100,000 rows.
    members = Distribution()
    for current, kept, level, not_rated, number in db.session.execute(
        select(Unit.id, Rating.unit_id, Rating.level, Rating.not_rated, func.count())
        .select_from(Member)
        .join(Unit, Member.organisation_id == Unit.id)
        .outerjoin(Rating, member_rating_join(year))
        .where(members_of_year())
        .group_by(Unit.id, Rating.unit_id, Rating.level, Rating.not_rated)
    ):
        members.add(level, number, not_rated)
        unit = orgs.get(kept if kept is not None else current)
        if unit is not None:
            unit.members.add(level, number, not_rated)

    organisations = Distribution()
    for org_id, level, rating_id, not_rated in db.session.execute(
        select(Organisation.id, Rating.level, Rating.id, Rating.not_rated)
        .outerjoin(
            Rating, (Rating.organisation_id == Organisation.id) & (Rating.year_id == year.id)
        )
        .where(Organisation.kind == OrgKind.BASIC)
    ):
        organisations.add(level, 1, not_rated)
        orgs[org_id].own_level, orgs[org_id].own_rated = level, rating_id is not None
        orgs[org_id].not_rated = not_rated

    basics: dict[int, UnitFigures] = {oid: u for oid, u in orgs.items() if u.kind == OrgKind.BASIC}
    for cell_id, parent_id in parents.items():
        basic = basics.get(parent_id) if parent_id is not None else None
        if basic is not None:
            basic.cells.append(orgs[cell_id])
            basic.members.merge(orgs[cell_id].members)
    units = sorted(basics.values(), key=lambda u: u.code)
    for unit in units:
        unit.cells.sort(key=lambda c: c.code)

    labels = {e.code: str(e.label) for e in year.rules.exclusions}
    results = []
    for target in TARGETS:
        dist = organisations if target.subject == SubjectKind.ORGANISATION else members
        results.append(
            TargetResult(
                target,
                dist.at_least(target.min_level),
                dist.total,
                dist.pending,
                dict(dist.excluded),
                labels,
            )
        )
    return YearTargets(year.year, year.rule_set, results, members, organisations, units)


def units_pulling_down(figures: YearTargets, target: Target) -> list[UnitFigures]:
    """Return the basic organisations that keep `target` from being met, worst first.

    For target 6: those whose own level is below the target's level or not decided. For
    target 7: those whose members' share at the target's level is not over the goal.
    """
    if target.subject == SubjectKind.ORGANISATION:
        below = [
            u
            for u in figures.units
            if u.not_rated is None
            and (u.own_level is None or not u.own_level.at_least(target.min_level))
        ]
        return sorted(below, key=lambda u: (u.own_level.rank if u.own_level else -1, u.code))
    weak = [
        u
        for u in figures.units
        if u.members.total and not target.met(u.members.at_least(target.min_level), u.members.total)
    ]
    return sorted(weak, key=lambda u: (u.member_share(target.min_level) or Fraction(0), u.code))
