"""Vietnamese wording shared by every document, so the PDF and the DOCX say the same thing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ballot.i18n import hex_groups, vn_number
from ballot.minutes.context import Bound, Thresholds

#: Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset spares the
#: documents a dependency on the system's time-zone database.
VIETNAM = timezone(timedelta(hours=7))


def local(moment: datetime) -> datetime:
    """Return the wall-clock time in Vietnam; naive moments are taken as already local."""
    return moment.astimezone(VIETNAM) if moment.tzinfo is not None else moment


def long_date(day: date) -> str:
    """Write a date as Nghị định 30 asks: "ngày 02 tháng 01 năm 2024", "ngày 15 tháng 3 năm 2024".

    Days below 10 and the months 1 and 2 take a leading zero so that nobody can add a digit
    to the date after signing.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    return f"{place}, {long_date(day)}"


def clock(moment: datetime) -> str:
    """ "08 giờ 05 phút", the way minutes state times."""
    moment = local(moment)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def count(n: int) -> str:
    return vn_number(n)


def fingerprint_lines(hex_digest: str, per_line: int = 8) -> tuple[str, ...]:
    """Split a hex digest into groups of 4, 8 groups a line, so it can be read aloud and compared
    (the one written form of a hash: ballot.i18n.hex_groups, as on the projector)."""
    groups = hex_groups(hex_digest).split()
    return tuple(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


def share_of_received(bound: Bound) -> str:
    """ "từ 2/3 tổng số phiếu thu về trở lên" or "trên 2/3 tổng số phiếu thu về"."""
    if bound.inclusive:
        return f"từ {bound.fraction} tổng số phiếu thu về trở lên"
    return f"trên {bound.fraction} tổng số phiếu thu về"


def consider_range(thresholds: Thresholds) -> str:
    """The band between the two bounds, e.g. "trên 1/2 đến dưới 2/3 tổng số phiếu thu về"."""
    low = ("từ " if thresholds.consider.inclusive else "trên ") + thresholds.consider.fraction
    high = ("dưới " if thresholds.dismiss.inclusive else "") + thresholds.dismiss.fraction
    return f"{low} đến {high} tổng số phiếu thu về"


def consider_flag(name: str, percent: str, thresholds: Thresholds) -> str:
    """Neutral wording: the app reports a threshold; the competent body decides."""
    return (
        f"Đồng chí {name} có {percent} phiếu tín nhiệm thấp ({consider_range(thresholds)}) — "
        f"báo cáo cấp có thẩm quyền xem xét theo {thresholds.regulation}."
    )


def dismiss_flag(name: str, percent: str, thresholds: Thresholds) -> str:
    return (
        f"Đồng chí {name} có {percent} phiếu tín nhiệm thấp "
        f"({share_of_received(thresholds.dismiss)}) — báo cáo cấp có thẩm quyền xem xét, "
        f"thực hiện quy trình miễn nhiệm theo {thresholds.dismiss_regulation}."
    )


def no_flag(thresholds: Thresholds) -> str:
    bound = thresholds.consider
    word = "từ" if bound.inclusive else "trên"
    return (
        f"Không có đồng chí nào có số phiếu tín nhiệm thấp {word} {bound.fraction} "
        f"tổng số phiếu thu về."
    )
