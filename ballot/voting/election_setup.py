"""Setting an election up (bầu cử, Quy định 190-QĐ/TW): the list, the number to elect, the
surplus check of Art. 14, the summoned voters; and the rules its manifest carries.

An election is a `ConfidenceVote` row of kind "election": the ceremony, the desk, the codes,
the board and counting are the confidence vote's. The candidates are the vote's subjects in
list order; `vote.election` is `ElectionRules.as_manifest()` plus "convened" and becomes the
manifest's `rules.election` (docs/protocol.md §10.2).
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from ballot.db import db
from ballot.elections.rules import (
    ElectionRules,
    Kind,
    MajorityBase,
    RuleError,
    check_list,
    max_surplus,
    rules_from_manifest,
)
from ballot.org.models import Conference
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteKind, VoteState, VoteSubject, VoteVoter
from ballot.voting.rules import VoteRules
from ballot.voting.setup import rules_of, summon_executive

#: The one level of an election ballot (protocol §10.2): "keep" on a list with surplus
#: (the voter crosses out the others), "agree" on a list without surplus.
KEEP_LEVEL = ["keep", "Giữ lại"]
AGREE_LEVEL = ["agree", "Đồng ý"]
NAME_MAX, POSITION_MAX = 120, 255


class Candidate(NamedTuple):
    """A name on the list: full name, position, and the member it is (None when typed)."""

    name: str
    position: str
    member_id: int | None = None


def abc_key(name: str) -> tuple[str, str]:
    """Lists are in ABC order of the given name (the last word), then of the whole name,
    letters compared without their marks (Đ as D)."""

    def plain(text: str) -> str:
        text = text.replace("Đ", "D").replace("đ", "d")
        decomposed = unicodedata.normalize("NFD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return plain(name.split()[-1] if name.split() else ""), plain(name)


def list_error(exc: RuleError, kind: Kind, seats: int, candidates: int) -> VoteError:
    """The rule module's refusal as a VoteError with a stable code and its numbers."""
    surplus, cap = candidates - seats, max_surplus(seats)
    if exc.code == "seats":
        return VoteError("election_seats", 400)
    if exc.code == "list_short":
        return VoteError("election_list_short", 400, candidates=candidates, seats=seats)
    if exc.code == "surplus_cap" and surplus == 0:
        return VoteError("election_no_surplus", 400, seats=seats)
    if exc.code == "surplus_cap":
        return VoteError("election_surplus_over", 400, surplus=surplus, seats=seats, cap=cap)
    return VoteError("election_surplus_decision", 400, surplus=surplus, seats=seats, cap=cap)


def _candidates(items: Sequence[Candidate | tuple[Any, ...]]) -> list[Candidate]:
    out, seen = [], set()
    for item in items:
        c = Candidate(*item)
        name, position = " ".join(str(c.name).split()), " ".join(str(c.position or "").split())
        if not name or len(name) > NAME_MAX or len(position) > POSITION_MAX:
            raise VoteError("election_bad_candidate", 400, name=name[:NAME_MAX] or "…")
        if name.casefold() in seen:
            raise VoteError("election_duplicate_candidate", 400, name=name)
        seen.add(name.casefold())
        out.append(Candidate(name, position, c.member_id))
    if not out:
        raise VoteError("election_no_candidates", 400)
    return out


def create_election(
    conference: Conference,
    title: str,
    kind: Kind,
    seats: int,
    candidates: Sequence[Candidate | tuple[Any, ...]],
    surplus_decision: str = "",
    majority_base: MajorityBase = MajorityBase.CONVENED,
    convened: int | None = None,
    previous: ConfidenceVote | None = None,
) -> ConfidenceVote:
    """Create a draft election in `conference`: summoned = the Executive Committee (it elects
    its Standing Committee, secretary, deputies and inspection commission; a congress's
    delegates replace it through ballot.voting.roll.set_roll; a further round summons the
    round before's roll), candidates = the
    list in its order. Refuses, changing nothing, a list that breaks Art. 14 of 190-QĐ/TW, a
    blank or repeated name, or a convened number outside 1..summoned (VoteError)."""
    title = " ".join(title.split())
    if not title or len(title) > 500:
        raise VoteError("election_title", 400)
    listed = _candidates(candidates)
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise VoteError("election_seats", 400)
    if previous is not None:
        rules = further_round_rules(previous, Kind(kind), seats, listed, surplus_decision)
    else:
        try:
            rules = check_list(Kind(kind), seats, len(listed), surplus_decision, majority_base)
        except RuleError as exc:
            raise list_error(exc, Kind(kind), seats, len(listed)) from exc
    quorum = VoteRules().quorum
    vote = ConfidenceVote(
        public_id=str(uuid.uuid4()),
        conference_id=conference.id,
        kind=VoteKind.ELECTION,
        title=title,
        quorum_num=quorum.numerator,
        quorum_den=quorum.denominator,
        levels=[KEEP_LEVEL if rules.with_surplus else AGREE_LEVEL],
        trustee_count=3,
        threshold=2,
        previous_id=previous.id if previous is not None else None,
        round_no=previous.round_no + 1 if previous is not None else 1,
    )
    if previous is None:
        summon_executive(vote, conference)
    else:  # a further round summons the round before's roll (a congress's delegates, say)
        for v in previous.voters:
            vote.voters.append(
                VoteVoter(
                    rank=v.rank, member_id=v.member_id, full_name=v.full_name, position=v.position
                )
            )
    summoned = len(vote.voters)
    if previous is not None and previous.election:
        convened = int(previous.election["convened"])  # Art. 30: the same base every round
    if convened is None:
        convened = summoned
    if isinstance(convened, bool) or not 1 <= convened <= max(summoned, 1):
        raise VoteError("election_bad_convened", 400, summoned=summoned)
    vote.election = {**rules.as_manifest(), "convened": convened}
    for rank, c in enumerate(listed, start=1):
        vote.subjects.append(
            VoteSubject(rank=rank, member_id=c.member_id, full_name=c.name, position=c.position)
        )
    db.session.add(vote)
    db.session.flush()
    return vote


def further_round_rules(
    previous: ConfidenceVote, kind: Kind, seats: int, listed: Sequence[Candidate], decision: str
) -> ElectionRules:
    """The rules of a further round (244-QĐ/TW Art. 20.2, kept by 190 [S5 in
    ballot.elections.rules]): among people of the earlier, counted round, for at most the
    seats it left, by the conference's decision. The list was approved for the first round,
    so Art. 14's surplus cap is not applied again (two tied for one seat of the Standing
    Committee is a surplus of 100%); the majority base stays the first round's."""
    if not previous.is_election or previous.state is not VoteState.COUNTED or not previous.election:
        raise VoteError("election_bad_previous", 409)
    first = rules_from_manifest(previous.election)
    earlier = {s.full_name.casefold() for s in previous.subjects}
    if kind is not first.kind or any(c.name.casefold() not in earlier for c in listed):
        raise VoteError("election_bad_previous", 409)
    if not 1 <= seats <= first.seats:
        raise VoteError("election_seats", 400)
    if len(listed) < seats:
        raise VoteError("election_list_short", 400, candidates=len(listed), seats=seats)
    return ElectionRules(kind, seats, len(listed), first.majority_base, decision.strip())


def election_rules(vote: ConfidenceVote) -> ElectionRules:
    """The `ElectionRules` recorded with an election."""
    if vote.election is None:
        raise VoteError("not_an_election", 409)
    return rules_from_manifest(vote.election)


def manifest_rules(vote: ConfidenceVote) -> dict[str, Any]:
    """The manifest's `rules`: 96-QĐ/TW's for a confidence vote; for an election, the quorum,
    the majority (1/2) and `election` (the shape `ballot.crypto.election_sim` writes)."""
    if not vote.is_election:
        return dict(rules_of(vote).as_manifest())
    if vote.election is None:
        raise VoteError("not_an_election", 409)
    return {
        "quorum": [vote.quorum_num, vote.quorum_den],
        "thresholds": {"majority": [1, 2]},
        "blank_row_allowed": True,
        "election": dict(vote.election),
    }
