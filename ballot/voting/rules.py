"""Quy định 96-QĐ/TW as configuration: quorum, percentages of ballots received, flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

LEVELS_96 = [["high", "Tín nhiệm cao"], ["normal", "Tín nhiệm"], ["low", "Tín nhiệm thấp"]]


@dataclass(frozen=True)
class VoteRules:
    """The numbers a vote is held under, recorded with the vote."""

    quorum: Fraction = Fraction(2, 3)
    consider: Fraction = Fraction(1, 2)
    dismiss: Fraction = Fraction(2, 3)
    dismiss_inclusive: bool = True
    blank_row_allowed: bool = True

    def quorum_needed(self, summoned: int) -> int:
        """Smallest number present that reaches the quorum (22 summoned, 2/3 → 15)."""
        needed = self.quorum * summoned
        return int(needed) if needed.denominator == 1 else int(needed) + 1

    def as_manifest(self) -> dict[str, object]:
        return {
            "quorum": [self.quorum.numerator, self.quorum.denominator],
            "thresholds": {
                "consider": [self.consider.numerator, self.consider.denominator],
                "dismiss": [self.dismiss.numerator, self.dismiss.denominator],
            },
            "dismiss_inclusive": self.dismiss_inclusive,
            "blank_row_allowed": self.blank_row_allowed,
            "regulation": "96-QĐ/TW",
        }


def low_confidence_flag(rules: VoteRules, low: int, received: int) -> str | None:
    """Return "dismiss", "consider" or None for a subject's low-confidence count.

    "consider": more than 1/2 (and below the dismissal bound); "dismiss": 2/3 or more (or
    more than 2/3 when the vote's rules say the bound is exclusive).
    """
    if received == 0:
        return None
    share = Fraction(low, received)
    if share > rules.dismiss or (rules.dismiss_inclusive and share == rules.dismiss):
        return "dismiss"
    if share > rules.consider:
        return "consider"
    return None


#: Where the flags' consequences come from. Quy định 96-QĐ/TW (Bộ Chính trị, 02/02/2023) on
#: using the results: "trên 50% đến dưới 2/3" low confidence → out of planning for higher
#: posts, considered for stepping down, other work or resignation; "từ 2/3 trở lên" → the
#: dismissal procedure, which Quy định 41-QĐ/TW (2021) governs. Secondary sources quoting it:
#: https://danluatold.thuvienphapluat.vn/quy-dinh-96-qd-tw-lanh-dao-co-2-3-phieu-tin-nhiem-thap-thi-mien-nhiem-ma-khong-c-203055.aspx
#: https://cpdanluat.thuvienphapluat.vn/can-bo-co-2-3-phieu-tin-nhiem-thap-se-bi-mien-nhiem-203229.aspx
REGULATION = "Quy định 96-QĐ/TW"
DISMISS_REGULATION = "Quy định 41-QĐ/TW"


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _same(text: str) -> str:
    return text


#: A gettext: the web passes Babel's, so the English page reads the same sentence translated;
#: the minutes (always Vietnamese) use the sentence as written here.
Translate = Callable[[str], str]


def consider_band(rules: VoteRules, _: Translate = _same) -> str:
    """ "trên 1/2 đến dưới 2/3" (the upper end follows the configured reading of 2/3)."""
    bounds = {"a": _fraction(rules.consider), "b": _fraction(rules.dismiss)}
    if rules.dismiss_inclusive:
        return _("trên %(a)s đến dưới %(b)s") % bounds
    return _("trên %(a)s đến %(b)s") % bounds


def dismiss_band(rules: VoteRules, _: Translate = _same) -> str:
    """ "từ 2/3 trở lên" or "trên 2/3"."""
    if rules.dismiss_inclusive:
        return _("từ %(f)s trở lên") % {"f": _fraction(rules.dismiss)}
    return _("trên %(f)s") % {"f": _fraction(rules.dismiss)}


def flag_label(flag: str | None, rules: VoteRules) -> str:
    """The short badge, worded as the results page and the projector word it through Babel
    (templates/_macros/vote.html flag_badge): "Từ 2/3 phiếu tín nhiệm thấp trở lên",
    "Trên 1/2 phiếu tín nhiệm thấp"."""
    if flag == "dismiss":
        if rules.dismiss_inclusive:
            return f"Từ {_fraction(rules.dismiss)} phiếu tín nhiệm thấp trở lên"
        return f"Trên {_fraction(rules.dismiss)} phiếu tín nhiệm thấp"
    if flag == "consider":
        return f"Trên {_fraction(rules.consider)} phiếu tín nhiệm thấp"
    return ""


def flag_text(flag: str | None, rules: VoteRules, _: Translate = _same) -> str:
    """The one sentence each flag is explained by, on the results page, the projector and in
    the minutes (the web passes its gettext as `_`). The app reports the threshold; the
    competent body decides."""
    if flag == "dismiss":
        return _(
            "có %(band)s tổng số phiếu thu về đánh giá tín nhiệm thấp; theo %(regulation)s, "
            "cấp có thẩm quyền xem xét, thực hiện quy trình miễn nhiệm theo %(dismissal)s."
        ) % {
            "band": dismiss_band(rules, _),
            "regulation": REGULATION,
            "dismissal": DISMISS_REGULATION,
        }
    if flag == "consider":
        return _(
            "có %(band)s tổng số phiếu thu về đánh giá tín nhiệm thấp; theo %(regulation)s, "
            "cấp có thẩm quyền xem xét đưa ra khỏi quy hoạch các chức vụ cao hơn, cho thôi giữ "
            "chức vụ đang đảm nhiệm, bố trí công tác khác hoặc cho từ chức."
        ) % {"band": consider_band(rules, _), "regulation": REGULATION}
    return ""


def flag_line(
    name: str, share: str, flag: str | None, rules: VoteRules, _: Translate = _same
) -> str:
    """The line read out for a flagged person, the same on the results page, the projector and
    in the minutes: "Đồng chí X (58,82% phiếu tín nhiệm thấp) có trên 1/2 ..."."""
    return _("Đồng chí %(name)s (%(share)s phiếu tín nhiệm thấp) %(reason)s") % {
        "name": name,
        "share": share,
        "reason": flag_text(flag, rules, _),
    }


def no_flag_text(rules: VoteRules) -> str:
    return (
        f"Không có đồng chí nào có trên {_fraction(rules.consider)} tổng số phiếu thu về đánh "
        f"giá tín nhiệm thấp (ngưỡng xem xét theo {REGULATION})."
    )
