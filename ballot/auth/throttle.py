"""Attempt counters in the database: logins per address and per account, ballot codes per
address. Shared by every server process and thread, on SQLite and PostgreSQL alike.

An attempt is *taken* before it is checked (a password verified, a code looked up) and given
back when it succeeds, so a burst of parallel requests cannot slip past the limit: each one
must win a compare-and-swap UPDATE (`WHERE hits = <the value read>`) before it may go on.
Two shapes:

- `Window(limit, period)`: at most `limit` attempts per fixed window of `period` seconds
  (per address: logins, ballot codes; successes are given back with `give_back`);
- `Backoff(free, base, cap, forget)`: an account's failures; `free` attempts, then each one
  waits base·2^k seconds (k = failures beyond `free`), up to `cap`; a success (`clear`), or
  `forget` seconds without any attempt, wipes the count.

Each function commits its own short transaction: call it before the request's own work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from limits import parse
from sqlalchemy import select, update

from ballot.auth.models import Throttle
from ballot.db import db, utcnow

#: Compare-and-swap rounds before a request gives up (each lost round means another request
#: took an attempt meanwhile).
ROUNDS = 200


@dataclass(frozen=True)
class Window:
    limit: int
    period: float

    @classmethod
    def parse(cls, text: str) -> Window:
        """From "5 per minute", "10/hour", ... (the `limits` notation)."""
        item = parse(text)
        return cls(int(item.amount), float(item.get_expiry()))


@dataclass(frozen=True)
class Backoff:
    free: int = 5
    base: float = 5.0
    cap: float = 900.0
    forget: float = 86400.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: Seconds until the next attempt may be taken (0 when allowed).
    retry_after: int = 0


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def _window_step(row: Any, now: datetime, rule: Window) -> tuple[dict[str, Any] | None, Decision]:
    start = _aware(row.window_start) or now
    if now - start >= timedelta(seconds=rule.period):
        return {"hits": 1, "window_start": now}, Decision(True)
    if row.hits < rule.limit:
        return {"hits": row.hits + 1}, Decision(True)
    return None, Decision(False, _seconds(start + timedelta(seconds=rule.period) - now))


def _backoff_step(row: Any, now: datetime, rule: Backoff) -> tuple[dict[str, Any] | None, Decision]:
    last = _aware(row.window_start) or now
    hits = 0 if now - last >= timedelta(seconds=rule.forget) else row.hits
    blocked = _aware(row.blocked_until)
    if hits and blocked is not None and now < blocked:
        return None, Decision(False, _seconds(blocked - now))
    hits += 1
    delay = 0.0 if hits < rule.free else min(rule.base * 2 ** (hits - rule.free), rule.cap)
    until = now + timedelta(seconds=delay) if delay else None
    return {"hits": hits, "window_start": now, "blocked_until": until}, Decision(True)


def take(key: str, rule: Window | Backoff) -> Decision:
    """Take one attempt under `key`, or say how long to wait. Atomic across processes."""
    key = key[:200]
    for _ in range(ROUNDS):
        row = db.session.execute(
            select(Throttle.hits, Throttle.window_start, Throttle.blocked_until).where(
                Throttle.key == key
            )
        ).one_or_none()
        now = utcnow()
        if row is None:
            _create(key, now)
            continue
        if isinstance(rule, Window):
            values, decision = _window_step(row, now, rule)
        else:
            values, decision = _backoff_step(row, now, rule)
        if values is None:
            db.session.commit()
            return decision
        swapped = db.session.execute(
            update(Throttle)
            .where(
                Throttle.key == key,
                Throttle.hits == row.hits,
                Throttle.window_start == row.window_start,
            )
            .values(**values)
        )
        db.session.commit()
        if swapped.rowcount == 1:  # type: ignore[attr-defined]
            return decision
    return Decision(False, 1)


def _create(key: str, now: datetime) -> None:
    values = {"key": key, "hits": 0, "window_start": now, "blocked_until": None}
    statement: Any
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(Throttle).values(**values).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(Throttle).values(**values).on_conflict_do_nothing()
    db.session.execute(statement)
    db.session.commit()


def give_back(key: str) -> None:
    """A taken attempt succeeded: it does not count against the window."""
    db.session.execute(
        update(Throttle)
        .where(Throttle.key == key[:200], Throttle.hits > 0)
        .values(hits=Throttle.hits - 1)
    )
    db.session.commit()


def clear(key: str) -> None:
    """Forget every failure under `key` (a successful login; `ballot users passwd`)."""
    db.session.execute(
        update(Throttle).where(Throttle.key == key[:200]).values(hits=0, blocked_until=None)
    )
    db.session.commit()
