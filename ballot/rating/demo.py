"""Plausible 2023 ratings under 124-QĐ/TW for the demo's 83 basic organisations and 6,102 members.

About 93% of members good or above, a few still without a decision, a few disciplined (rated
"failed", one kept at "completed" with a recorded reason), and a handful of organisations
pulling target 6 down. Bulk inserts: a second or less.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import insert, select

from ballot.auth.models import User
from ballot.db import db
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.models import Rating, RatingOverride, RatingYear
from ballot.rating.queries import Unit, basic_id_of_unit
from ballot.rating.rules import Discipline, Level

DEMO_YEAR = 2023
DEMO_RULE_SET = "124-QD-TW"
SELF_AT = datetime(2023, 12, 8, 2, 0, tzinfo=UTC)
PROPOSED_AT = datetime(2023, 12, 15, 8, 30, tzinfo=UTC)
DECIDED_AT = datetime(2024, 1, 10, 3, 0, tzinfo=UTC)
#: Members with no decision yet: some still at self-assessment or proposal, some with nothing.
PENDING = 14
DISCIPLINED = 9
#: Basic organisations rated below "good", and one not yet decided (they pull target 6 down).
ORG_LEVELS = {
    "CS07": Level.COMPLETED,
    "CS23": Level.COMPLETED,
    "CS41": Level.COMPLETED,
    "CS58": Level.COMPLETED,
    "CS66": Level.FAILED,
    "CS79": None,
}


def _member_level(rng: random.Random) -> Level:
    draw = rng.random()
    if draw < 0.135:
        return Level.EXCELLENT
    if draw < 0.937:
        return Level.GOOD
    if draw < 0.994:
        return Level.COMPLETED
    return Level.FAILED


def seed_ratings() -> bool:
    """Create the demo's 2023 rating year once; return whether it was created."""
    if db.session.scalar(select(RatingYear).where(RatingYear.year == DEMO_YEAR)) is not None:
        return False
    rng = random.Random(2023)  # noqa: S311 - demo data, not secrets  # nosec B311
    year = RatingYear(year=DEMO_YEAR, rule_set=DEMO_RULE_SET)
    db.session.add(year)
    db.session.flush()
    admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    steps = {
        "self_by_id": admin_id,
        "self_at": SELF_AT,
        "proposed_by_id": admin_id,
        "proposed_at": PROPOSED_AT,
    }
    decided = {"decided_by_id": admin_id, "decided_at": DECIDED_AT, "source": None}

    members = list(
        db.session.execute(
            select(Member.id, basic_id_of_unit())
            .select_from(Member)
            .join(Unit, Member.organisation_id == Unit.id)
            .where(Member.active.is_(True))
            .order_by(Member.id)
        )
    )
    pending = set(rng.sample(range(30, len(members)), PENDING))
    disciplined = set(rng.sample(sorted(set(range(30, len(members))) - pending), DISCIPLINED))
    rows: list[dict[str, object]] = []
    per_basic: dict[int, dict[Level, int]] = {}
    kept_completed = None
    for index, (member_id, basic_id) in enumerate(members):
        row: dict[str, object] = {
            "year_id": year.id,
            "member_id": member_id,
            "organisation_id": None,
            "outstanding": False,
            "discipline": None,
            "self_score": None,
            "self_level": None,
            "self_by_id": None,
            "self_at": None,
            "proposed_level": None,
            "proposed_by_id": None,
            "proposed_at": None,
            "level": None,
            "score": None,
            "decided_by_id": None,
            "decided_at": None,
            "source": None,
        }
        if index in pending:
            if index % 3:  # two in three have started the process
                row.update(self_level=Level.GOOD, self_by_id=admin_id, self_at=SELF_AT)
            if index % 3 == 2:
                row.update(
                    proposed_level=Level.GOOD, proposed_by_id=admin_id, proposed_at=PROPOSED_AT
                )
            rows.append(row)
            continue
        level = _member_level(rng)
        if index in disciplined:
            row["discipline"] = rng.choice(
                [Discipline.REPRIMAND, Discipline.REPRIMAND, Discipline.WARNING]
            )
            level = Level.FAILED
            if kept_completed is None and row["discipline"] == Discipline.REPRIMAND:
                kept_completed, level = member_id, Level.COMPLETED
        counts = per_basic.setdefault(basic_id, {Level.EXCELLENT: 0, Level.GOOD: 0})
        # Keep each basic organisation within the cap (20% of those rated good).
        if level == Level.EXCELLENT and (counts[Level.EXCELLENT] + 1) * 5 > counts[Level.GOOD]:
            level = Level.GOOD
        if level in counts:
            counts[level] += 1
        self_level = Level.EXCELLENT if level == Level.EXCELLENT or rng.random() < 0.1 else level
        row.update(self_level=self_level, proposed_level=level, level=level, **steps, **decided)
        rows.append(row)
    db.session.execute(insert(Rating), rows)

    basics = db.session.execute(
        select(Organisation.id, Organisation.code)
        .where(Organisation.kind == OrgKind.BASIC)
        .order_by(Organisation.code)
    )
    org_rows, excellent_orgs = [], 0
    for index, (org_id, code) in enumerate(basics):
        org_level: Level | None = ORG_LEVELS.get(code, Level.GOOD)
        if code not in ORG_LEVELS and index % 7 == 3 and excellent_orgs < 12:
            org_level, excellent_orgs = Level.EXCELLENT, excellent_orgs + 1
        org_rows.append(
            {
                "year_id": year.id,
                "member_id": None,
                "organisation_id": org_id,
                "outstanding": False,
                "discipline": None,
                "self_score": None,
                "self_level": org_level or Level.GOOD,
                "self_by_id": admin_id,
                "self_at": SELF_AT,
                "proposed_level": None,
                "proposed_by_id": None,
                "proposed_at": None,
                "level": org_level,
                "score": None,
                **(
                    decided
                    if org_level
                    else {"decided_by_id": None, "decided_at": None, "source": None}
                ),
            }
        )
    db.session.execute(insert(Rating), org_rows)

    if kept_completed is not None:
        rating_id = db.session.scalar(
            select(Rating.id).where(Rating.year_id == year.id, Rating.member_id == kept_completed)
        )
        db.session.execute(
            insert(RatingOverride),
            [
                {
                    "rating_id": rating_id,
                    "check_code": "discipline",
                    "level": Level.COMPLETED,
                    "by_id": admin_id,
                    "at": DECIDED_AT,
                    "reason": "Vi phạm do đảng viên tự giác báo cáo và đã khắc phục trước khi bị xử lý "
                    "(Ban Thường vụ xem xét từng trường hợp, Thông báo số 12-TB/ĐUK).",
                }
            ],
        )
    db.session.flush()
    return True
