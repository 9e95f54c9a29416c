"""Many rating steps as one unit of work (an import): one flush at the end, not one per step.

The steps of `decide.py` and `years.py` flush after each change (`flush_step`) unless they run
inside `batch()`; a batch also reads the levels of the organisations members lead once instead
of once per member (`led_organisation_level`), and the import's decisions on subjects with
no rating yet are written in one insert (`record_new_decisions`), under the same rule as
`decide.record_decision`. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import insert, select

from ballot.auth.models import User
from ballot.db import db, utcnow
from ballot.rating.checks import CheckCode, Finding
from ballot.rating.errors import ChecksFailed
from ballot.rating.models import Rating, RatingOverride, RatingYear
from ballot.rating.queries import led_organisation_rating
from ballot.rating.rules import Level

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


def led_organisation_level(year: RatingYear, member_id: int) -> Level | None:
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
    """Flush now, inside a batch too: where later checks must see earlier rows."""
    db.session.flush()


def flush_step() -> None:
    """Flush after one step, unless the step runs inside a batch (which flushes at its end)."""
    if not db.session.info.get(_BATCH):
        db.session.flush()


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
