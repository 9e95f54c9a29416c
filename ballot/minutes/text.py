"""Vietnamese wording shared by every document, so the PDF and the DOCX say the same thing."""

from __future__ import annotations

from datetime import date

from ballot.i18n import hex_groups, vn_number
from ballot.localtime import clock, local, long_date

__all__ = ["clock", "local", "long_date", "place_and_date"]


def place_and_date(place: str, day: date) -> str:
    return f"{place}, {long_date(day)}"


def count(n: int) -> str:
    return vn_number(n)


def padded(n: int) -> str:
    """A count as documents write it: "02", "18", "1.600" (a leading zero below 10)."""
    return f"{n:02d}" if 0 <= n < 10 else vn_number(n)


def people(n: int) -> str:
    """ "02 đồng chí" (Hướng dẫn 36-HD/VPTW practice for counts of people)."""
    return f"{padded(n)} đồng chí"


def fingerprint_lines(hex_digest: str, per_line: int = 8) -> tuple[str, ...]:
    """Split a hex digest into groups of 4, 8 groups a line, so it can be read aloud and compared
    (the one written form of a hash: ballot.i18n.hex_groups, as on the projector)."""
    groups = hex_groups(hex_digest).split()
    return tuple(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))
