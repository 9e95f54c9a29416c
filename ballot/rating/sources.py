"""Facts the rating needs from other parts of the system, each read through one function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Conference
from ballot.voting.models import ConfidenceVote, VoteKind, VoteState


def low_confidence_by_member(year: int) -> dict[int, Fraction]:
    """Return, for each leader who stood in an official, counted confidence vote held in
    `year`, their low-confidence share ("tín nhiệm thấp" among ballots received).

    A rehearsal (diễn tập) never counts, even when it was counted like a real vote.

    Keys are member ids. When a leader stood in more than one vote that year, the highest
    share counts (any vote over the bound triggers the rule). Callers take the mapping as an
    argument so that tests can pass values directly.
    """
    votes = db.session.scalars(
        select(ConfidenceVote)
        .join(Conference)
        .where(
            ConfidenceVote.state == VoteState.COUNTED,
            ConfidenceVote.kind == VoteKind.CONFIDENCE,  # an election rates no one
            ConfidenceVote.rehearsal.is_(False),
            Conference.held_on >= date(year, 1, 1),
            Conference.held_on <= date(year, 12, 31),
        )
    )
    shares: dict[int, Fraction] = {}
    for vote in votes:
        if not vote.counts or vote.ballots_cast == 0:
            continue
        low = [code for code, _ in vote.levels].index("low")
        for subject, row in zip(vote.subjects, vote.counts, strict=True):
            if subject.member_id is None:
                continue
            share = Fraction(row[low], vote.ballots_cast)
            shares[subject.member_id] = max(share, shares.get(subject.member_id, Fraction(0)))
    return shares


@dataclass(frozen=True)
class VoteLine:
    """A counted vote of the year a member stood in, as the rating pages list it."""

    title: str
    held_on: date
    rehearsal: bool
    low: Fraction | None


def votes_of_member(year: int, member_id: int) -> list[VoteLine]:
    """Return every counted vote of `year` the member stood in, rehearsals marked as such."""
    votes = db.session.scalars(
        select(ConfidenceVote)
        .join(Conference)
        .where(
            ConfidenceVote.state == VoteState.COUNTED,
            ConfidenceVote.kind == VoteKind.CONFIDENCE,  # an election rates no one
            Conference.held_on >= date(year, 1, 1),
            Conference.held_on <= date(year, 12, 31),
        )
        .order_by(Conference.held_on)
    )
    out = []
    for vote in votes:
        for index, subject in enumerate(vote.subjects):
            if subject.member_id != member_id:
                continue
            low = None
            if vote.counts and vote.ballots_cast:
                column = [code for code, _ in vote.levels].index("low")
                low = Fraction(vote.counts[index][column], vote.ballots_cast)
            out.append(VoteLine(vote.title, vote.conference.held_on, vote.rehearsal, low))
    return out
