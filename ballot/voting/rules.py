"""Quy định 96-QĐ/TW as configuration: quorum, percentages of ballots received, flags."""

from __future__ import annotations

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
