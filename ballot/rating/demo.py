"""Plausible 2023 ratings under 124-QĐ/TW for the demo's 83 basic organisations and 6,102 members.

About 93% of members good or above, a few still without a decision, a few disciplined (rated
"failed", one kept at "completed" with a recorded reason), one on long sick leave (rated
"completed"), a few members and one organisation not rated ("không xếp loại": exempt,
suspended, admitted or founded under 6 months), and a handful of organisations pulling target
6 down. Every ceiling holds: an organisation rated "xuất sắc" has no member under "Hoàn thành
nhiệm vụ", no secretary is rated above their organisation, each group stays within the cap.
Bulk inserts: a second or less.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from ballot.auth.models import User
from ballot.db import db
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.models import Rating, RatingOverride, RatingTrigger, RatingYear
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
#: Members not rated, by the rule set's reason (exempt, suspended, admitted under 6 months).
NOT_RATED = {"exempt": 3, "suspended": 1, "admitted_recently": 5}
NOT_RATED_ON = date(2023, 12, 8)
#: A basic organisation founded under 6 months before the rating: not rated.
FOUNDED_RECENTLY = "CS83"
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


def _keep_within_cap(rows: list[dict[str, object]], basic_of: dict[int, int]) -> None:
    """Lower the last "excellent" of a basic organisation to "good" until its members are
    within the cap (20% of those rated good) again, after the secretaries were lowered."""
    groups: dict[int, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(basic_of[int(str(row["member_id"]))], []).append(row)
    for group in groups.values():
        excellent = [r for r in group if r["level"] == Level.EXCELLENT]
        good = sum(r["level"] == Level.GOOD for r in group)
        while excellent and len(excellent) * 5 > good:
            row = excellent.pop()
            row["level"] = row["proposed_level"] = Level.GOOD
            good += 1


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
            select(Member.id, Member.organisation_id, basic_id_of_unit())
            .select_from(Member)
            .join(Unit, Member.organisation_id == Unit.id)
            .where(Member.active.is_(True))
            .order_by(Member.id)
        )
    )
    pending = set(rng.sample(range(30, len(members)), PENDING))
    disciplined = set(rng.sample(sorted(set(range(30, len(members))) - pending), DISCIPLINED))
    free = sorted(set(range(30, len(members))) - pending - disciplined)
    excluded: dict[int, str] = {}
    for reason, number in NOT_RATED.items():
        for index in rng.sample(sorted(set(free) - set(excluded)), number):
            excluded[index] = reason
    sick = next(i for i in free if i not in excluded and i > 100)
    #: The first member of each basic organisation is recorded as its secretary.
    secretaries: dict[int, int] = {}
    for member_id, _unit_id, basic_id in members:
        secretaries.setdefault(basic_id, member_id)
    secretary_rows: dict[int, dict[str, object]] = {}
    rows: list[dict[str, object]] = []
    per_basic: dict[int, dict[Level, int]] = {}
    failed_in: set[int] = set()
    kept_completed, sick_member = None, None
    for index, (member_id, unit_id, basic_id) in enumerate(members):
        row: dict[str, object] = {
            "year_id": year.id,
            "member_id": member_id,
            "unit_id": unit_id,
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
        if index in excluded:
            row.update(not_rated=excluded[index], not_rated_on=NOT_RATED_ON)
            rows.append(row)
            continue
        level = _member_level(rng)
        if index == sick:
            level, sick_member = Level.COMPLETED, member_id
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
        if level == Level.FAILED:
            failed_in.add(basic_id)
        self_level = Level.EXCELLENT if level == Level.EXCELLENT or rng.random() < 0.1 else level
        row.update(self_level=self_level, proposed_level=level, level=level, **steps, **decided)
        rows.append(row)
        if secretaries.get(basic_id) == member_id:
            secretary_rows[basic_id] = row
    for row in rows:
        row.setdefault("not_rated", None)
        row.setdefault("not_rated_on", None)

    basics = db.session.execute(
        select(Organisation.id, Organisation.code)
        .where(Organisation.kind == OrgKind.BASIC)
        .order_by(Organisation.code)
    )
    org_rows, excellent_orgs = [], 0
    for index, (org_id, code) in enumerate(basics):
        org_level: Level | None = ORG_LEVELS.get(code, Level.GOOD)
        # "Xuất sắc" only where every member is rated "Hoàn thành nhiệm vụ" or above.
        if (
            code not in ORG_LEVELS
            and index % 7 == 3
            and excellent_orgs < 12
            and org_id not in failed_in
        ):
            org_level, excellent_orgs = Level.EXCELLENT, excellent_orgs + 1
        if code == FOUNDED_RECENTLY:
            org_level = None
        # The secretary is never rated above the organisation.
        secretary = secretary_rows.get(org_id)
        above = secretary is not None and org_level is not None
        if above and Level(str(secretary["level"])).rank > org_level.rank:  # type: ignore[index, union-attr]
            secretary["level"] = secretary["proposed_level"] = org_level  # type: ignore[index]
        org_rows.append(
            {
                "year_id": year.id,
                "member_id": None,
                "unit_id": None,
                "leader_id": secretaries.get(org_id),
                "not_rated": "founded_recently" if code == FOUNDED_RECENTLY else None,
                "not_rated_on": NOT_RATED_ON if code == FOUNDED_RECENTLY else None,
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
    _keep_within_cap(rows, {member_id: basic_id for member_id, _unit, basic_id in members})
    for row in rows:
        row.setdefault("leader_id", None)
    db.session.execute(insert(Rating), rows)
    db.session.execute(insert(Rating), org_rows)
    if sick_member is not None:
        sick_id = db.session.scalar(
            select(Rating.id).where(Rating.year_id == year.id, Rating.member_id == sick_member)
        )
        db.session.execute(insert(RatingTrigger), [{"rating_id": sick_id, "code": "sick_leave"}])

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
