"""The year's list of checks: every finding on decided ratings, open ones first, then those
accepted with a written reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select

from ballot.auth.models import User
from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.checks import (
    CapGroup,
    CheckCode,
    Finding,
    SubjectFacts,
    check_cap,
    check_subject,
)
from ballot.rating.models import Rating, RatingOverride, RatingTrigger, RatingYear
from ballot.rating.queries import Unit, basic_id_of_unit, failed_members
from ballot.rating.rules import Level, SubjectKind


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
    failed = failed_members(year)
    org_rows = list(
        db.session.execute(
            select(
                Rating.id,
                Rating.level,
                Rating.score,
                Rating.leader_id,
                Organisation.id,
                Organisation.code,
                Organisation.name,
            )
            .select_from(Rating)
            .join(Organisation, Rating.organisation_id == Organisation.id)
            .where(Rating.year_id == year.id, Rating.level.is_not(None))
            .order_by(Organisation.code)
        )
    )
    #: leader member id -> (organisation's level, organisation's rating id)
    led = {leader: (level, rid) for rid, level, _s, leader, *_ in org_rows if leader is not None}

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
        .join(Unit, Rating.unit_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.level.is_not(None))
        .order_by(Member.code)
    )
    for rating_id, level, score, discipline, member_id, code, name, unit in member_rows:
        led_level, org_rating_id = led.get(member_id, (None, None))
        facts = SubjectFacts(
            SubjectKind.MEMBER,
            level,
            score,
            discipline,
            tuple(triggers[rating_id]),
            low_confidence.get(member_id),
            led_level=led_level,
        )
        for finding in check_subject(rules, facts):
            accepted = overrides.get((rating_id, finding.code), [])
            if finding.code == CheckCode.SECRETARY and org_rating_id is not None:
                accepted = accepted + overrides.get((org_rating_id, finding.code), [])
            out.append(
                YearFinding(
                    finding, rating_id, SubjectKind.MEMBER, code, name, unit, level, accepted
                )
            )
    for rating_id, level, score, _leader, org_id, code, name in org_rows:
        facts = SubjectFacts(
            SubjectKind.ORGANISATION,
            level,
            score,
            None,
            tuple(triggers[rating_id]),
            failed_members=failed.get(org_id, 0),
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
    for bid, level, number in db.session.execute(
        select(basic_id, Rating.level, func.count())
        .select_from(Rating)
        .join(Unit, Rating.unit_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.level.in_([Level.EXCELLENT, Level.GOOD]))
        .group_by(basic_id, Rating.level)
    ):
        counts[bid][level] = number
    cap_ids = {rid for (rid, code) in overrides if code == CheckCode.CAP}
    accepted_by_group: dict[int | None, list[OverrideInfo]] = defaultdict(list)
    for rid, bid, org_id in db.session.execute(
        select(Rating.id, basic_id, Rating.organisation_id)
        .select_from(Rating)
        .outerjoin(Unit, Rating.unit_id == Unit.id)
        .where(Rating.year_id == year.id, Rating.id.in_(cap_ids))
    ):
        accepted_by_group[None if org_id is not None else bid] += overrides[(rid, CheckCode.CAP)]
    outstanding = set(
        db.session.scalars(
            select(Rating.organisation_id).where(
                Rating.year_id == year.id, Rating.outstanding.is_(True)
            )
        )
    )
    names = {
        oid: (code, name)
        for oid, code, name in db.session.execute(
            select(Organisation.id, Organisation.code, Organisation.name)
        )
    }
    groups: list[tuple[int | None, CapGroup, str, str]] = []
    for bid, by_level in sorted(counts.items(), key=lambda item: names.get(item[0], ("", ""))):
        group = CapGroup(
            by_level.get(Level.EXCELLENT, 0), by_level.get(Level.GOOD, 0), bid in outstanding
        )
        code, name = names.get(bid, ("", ""))
        groups.append((bid, group, code, name))
    org_counts = dict(
        db.session.execute(
            select(Rating.level, func.count())
            .where(Rating.year_id == year.id, Rating.organisation_id.is_not(None))
            .group_by(Rating.level)
        ).all()
    )
    orgs = CapGroup(org_counts.get(Level.EXCELLENT, 0), org_counts.get(Level.GOOD, 0))
    groups.append((None, orgs, "", str(_("Các tổ chức cơ sở đảng"))))
    out = []
    for bid, group, code, name in groups:
        title = name if bid is None else _("Đảng viên của %(unit)s", unit=name)
        share = year.cap_share(group.outstanding)
        finding = check_cap(rules, share, basis, group, title)
        if finding is not None:
            out.append(
                YearFinding(
                    finding, None, None, code, name, "", Level.EXCELLENT, accepted_by_group[bid]
                )
            )
    return out
