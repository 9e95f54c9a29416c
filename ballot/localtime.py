"""The one place a stored moment becomes a wall-clock time: pages, documents, exports, CLI.

Moments are stored in UTC (`ballot.db.UTCDateTime`). They are shown in the site's zone,
`TIMEZONE` (else `BABEL_DEFAULT_TIMEZONE`, else Asia/Ho_Chi_Minh), whatever the server's own
zone is: DOMAIN.md, "Official documents (party format) and time".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
#: Vietnam has kept UTC+7 without daylight saving since 1975: the fallback when the system
#: has no time-zone database (Windows without the tzdata package).
VIETNAM_FIXED = timezone(timedelta(hours=7), "ICT")


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name == DEFAULT_ZONE:
            return VIETNAM_FIXED
        raise


def zone_name() -> str:
    """The configured zone's name (Asia/Ho_Chi_Minh unless the site says otherwise)."""
    if has_app_context():
        config = current_app.config
        return str(config.get("TIMEZONE") or config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE)
    return DEFAULT_ZONE


def zone() -> tzinfo:
    return _zone(zone_name())


def local(moment: datetime) -> datetime:
    """The wall-clock time of a moment in the site's zone; a naive moment is taken as UTC,
    which is how every moment is stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def local_date(moment: datetime) -> date:
    return local(moment).date()


def clock(moment: datetime) -> str:
    """ "22 giờ 04 phút", the way minutes state a time."""
    moment = local(moment)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def long_date(day: date | datetime) -> str:
    """A date as party documents write it: "ngày 05 tháng 12 năm 2023", "ngày 02 tháng 01 năm
    2024" (days below 10 and the months 1 and 2 take a leading zero, so that no digit can be
    added after signing)."""
    if isinstance(day, datetime):
        day = local_date(day)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy (a moment is first put in the site's zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return value.strftime("%d/%m/%Y")


def short(value: datetime | None, seconds: bool = False) -> str:
    """ "22:04 05/12/2023" in the site's zone, for pages, lists and CLI output."""
    if value is None:
        return ""
    return local(value).strftime("%H:%M:%S %d/%m/%Y" if seconds else "%H:%M %d/%m/%Y")
