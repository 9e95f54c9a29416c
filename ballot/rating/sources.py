"""Facts the rating needs from other parts of the system, each read through one function."""

from __future__ import annotations

from fractions import Fraction


def low_confidence_by_member(year: int) -> dict[int, Fraction]:
    """Return, for each leader who stood in a confidence vote in `year`, their low-confidence share.

    Keys are member ids; values are the share of "tín nhiệm thấp" among ballots received.
    The confidence-vote module (ballot.voting) will supply these from its published results;
    until it does there are no results, so no one is flagged by the low-confidence check.
    Callers take the mapping as an argument so that tests can pass values directly.
    """
    return {}
