"""Vietnamese wording shared by every document, so the PDF and the DOCX say the same thing."""

from __future__ import annotations

from datetime import date

from ballot.i18n import vn_number
from ballot.localtime import clock, local, long_date
from ballot.minutes.context import Bound, Thresholds

__all__ = ["clock", "local", "long_date", "place_and_date"]


def place_and_date(place: str, day: date) -> str:
    return f"{place}, {long_date(day)}"


def count(n: int) -> str:
    return vn_number(n)


def fingerprint_lines(hex_digest: str, group: int = 4, per_line: int = 8) -> tuple[str, ...]:
    """Split a hex digest into groups of 4, 8 groups a line, so it can be read aloud and compared."""
    groups = [hex_digest[i : i + group] for i in range(0, len(hex_digest), group)]
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
