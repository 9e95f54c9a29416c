"""A further round (bầu tiếp, vòng 2, …) created from an election whose result needs one: a
new election linked to the first, among the tied or remaining candidates, for the seats left
(190-QĐ/TW Art. 30 via ballot.elections.rules.outcome; further rounds [S5] there)."""

from __future__ import annotations

from sqlalchemy import select

from ballot.db import db
from ballot.elections.rules import Kind
from ballot.voting.election_results import election_results
from ballot.voting.election_setup import Candidate, create_election
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote


def further_round_title(vote: ConfidenceVote) -> str:
    """The first round's title with the round named ("…, vòng 2"); a title is a document's
    text, so always Vietnamese."""
    base = vote.title
    previous = vote
    while previous.previous is not None:
        previous = previous.previous
        base = previous.title
    return f"{base} (vòng {vote.round_no + 1})"


def default_decision(vote: ConfidenceVote) -> str:
    return (
        f"Đại hội (hội nghị) quyết định bầu tiếp vòng {vote.round_no + 1} trong số những người "
        "nêu trong kết quả vòng trước."
    )


def create_further_round(
    vote: ConfidenceVote, decision: str = "", title: str | None = None
) -> ConfidenceVote:
    """Create the next round of `vote` (a draft election in the same conference): candidates =
    those the result names for a further round, in list order; seats = the seats left; the
    same kind, majority base and convened number. Refused when the result needs none."""
    results = election_results(vote)
    if not results.needs_further_round:
        raise VoteError("no_further_round", 409)
    later = select(ConfidenceVote.id).where(ConfidenceVote.previous_id == vote.id)
    if db.session.scalar(later) is not None:
        raise VoteError("further_round_exists", 409)
    by_name = {s.full_name: s for s in vote.subjects}
    listed = [
        Candidate(c.full_name, c.position, by_name[c.full_name].member_id)
        for c in results.further_round
    ]
    return create_election(
        vote.conference,
        title or further_round_title(vote),
        Kind(results.rules.kind),
        results.seats_left,
        listed,
        surplus_decision=decision.strip() or default_decision(vote),
        majority_base=results.rules.majority_base,
        previous=vote,
    )
