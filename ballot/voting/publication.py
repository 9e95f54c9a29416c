"""Who may see a vote's results, and the chair's publication of them (one policy).

Before publication the results are shown in the room: on the projector and the results page
of a logged-in administrator or observer, and of the members of *this* vote's counting
committee; the desk and anonymous visitors see turnout only. The chair of the counting
committee then publishes them (`publish`): from that moment the results page, the projector,
`/api/v1/votes/<id>/results` and the election record are open to everyone. Every route that
shows results asks `may_see_results` (ballot.web.access.require_results).
"""

from __future__ import annotations

from ballot.db import db, utcnow
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.setup import require_state

#: Roles that see counted results before publication (the counting role only for members of
#: the vote's own committee).
ROOM_ROLES = frozenset({"admin", "observer"})


def is_published(vote: ConfidenceVote) -> bool:
    return vote.state is VoteState.COUNTED and vote.published_at is not None


def may_see_results(vote: ConfidenceVote, role: str | None, on_committee: bool) -> bool:
    """Whether someone with `role` (None: anonymous) may see the counted results."""
    if vote.state is not VoteState.COUNTED:
        return False
    if vote.published_at is not None:
        return True
    if role in ROOM_ROLES:
        return True
    return role == "counting" and on_committee


def publish(vote: ConfidenceVote) -> None:
    """Publish the counted results (the chair; once)."""
    require_state(vote, VoteState.COUNTED)
    if vote.published_at is not None:
        raise VoteError("already_published", 409)
    vote.published_at = utcnow()
    db.session.flush()


def not_published() -> VoteError:
    return VoteError("not_published", 403)
