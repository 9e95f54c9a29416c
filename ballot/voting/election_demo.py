"""A whole election held in the database with simulated devices (Python crypto), through the
same services the web uses: key ceremony, desk, codes, ballots, closing, decryption by t
members. For the demo's rehearsal election and for tests."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from ballot.auth.models import User
from ballot.crypto.dkg import MemberKey
from ballot.db import db
from ballot.elections.rules import Kind, MajorityBase
from ballot.labels import POSITION_VI
from ballot.localtime import zone
from ballot.org.models import CommitteeKind, Conference
from ballot.voting import counting, desk, setup
from ballot.voting.election_setup import abc_key, create_election, election_rules
from ballot.voting.models import ConfidenceVote
from ballot.voting.setup import organisation_committees
from ballot.voting.simulate import cast_election_choices, decrypt_as, run_key_ceremony


@dataclass
class HeldElection:
    vote: ConfidenceVote
    keys: list[MemberKey]
    #: what each ballot kept, in casting order (tests compare the counts with these)
    choices: list[list[bool]]

    @property
    def counts(self) -> list[int]:
        """Votes per candidate (list order) from the plaintext choices."""
        return [sum(1 for kept in self.choices if kept[j]) for j in range(len(self.choices[0]))]


def simulated_choices(
    voters: int, leanings: Sequence[float], min_kept: int, seats: int, seed: str
) -> list[list[bool]]:
    """Each voter keeps between max(min_kept, seats − 1) and `seats` names, drawn without
    replacement with weights `leanings` (one per candidate)."""
    rng = random.Random(seed)  # noqa: S311 - simulated choices, not secrets  # nosec B311
    out = []
    for _ in range(voters):
        n = rng.randint(max(min_kept, seats - 1), seats)
        pool, kept = list(range(len(leanings))), set[int]()
        while len(kept) < n:
            j = rng.choices(pool, weights=[leanings[i] for i in pool])[0]
            kept.add(j)
            pool.remove(j)
        out.append([j in kept for j in range(len(leanings))])
    return out


def hold(
    vote: ConfidenceVote,
    committee: Sequence[User],
    choices: Iterable[Sequence[bool]] | None = None,
    *,
    absent: dict[int, str] | None = None,
    decrypting: Sequence[int] = (1, 3),
    leanings: Sequence[float] | None = None,
    seed: str = "election",
) -> HeldElection:
    """Hold a draft election to the end: the committee (chair first, 2 of n decrypt) makes the
    keys; the summoned are present except `absent` (roll rank → reason); each present member
    casts one ballot of `choices` (or simulated ones); the vote is closed and decrypted by
    the members numbered `decrypting`. Commits ballot by ballot, as the booth does."""
    setup.set_counting_committee(vote, list(committee), committee[0], threshold=2)
    keys = run_key_ceremony(vote)
    absent = absent or {}
    for voter in vote.voters:
        desk.set_present(vote, voter, voter.rank not in absent, absent.get(voter.rank))
    desk.open_vote(vote)
    codes = [desk.issue_code(vote, v) for v in vote.voters if v.present]
    db.session.commit()
    rules = election_rules(vote)
    if choices is None:
        weights = leanings or [1.0] * rules.candidates
        choices = simulated_choices(len(codes), weights, rules.min_kept, rules.seats, seed)
    cast = [list(kept) for kept in choices]
    if len(cast) > len(codes):
        raise ValueError(f"{len(cast)} ballots for {len(codes)} members present")
    vote_id = vote.id
    for code, kept in zip(codes, cast, strict=False):
        cast_election_choices(vote, code, kept)
    vote = db.session.get_one(ConfidenceVote, vote_id)
    counting.close_vote(vote)
    decrypt_as(vote, [keys[i - 1] for i in decrypting])
    db.session.flush()
    return HeldElection(vote, keys, cast)


def hold_counted_election(
    conference: Conference,
    committee: Sequence[User],
    *,
    title: str,
    kind: Kind,
    seats: int,
    candidates: Sequence[tuple[Any, ...]],
    choices: Iterable[Sequence[bool]] | None = None,
    surplus_decision: str = "",
    majority_base: MajorityBase = MajorityBase.CONVENED,
    rehearsal: bool = False,
    **options: Any,
) -> HeldElection:
    """Create an election in `conference` and hold it to its counted result (see `hold`)."""
    vote = create_election(
        conference, title, kind, seats, candidates, surplus_decision, majority_base
    )
    vote.rehearsal = rehearsal
    return hold(vote, committee, choices, **options)


REHEARSAL_ELECTION_TITLE = "Diễn tập: bầu Ban Thường vụ Đảng ủy Khối khóa VIII"
#: How likely each of the seven names is kept (list order): six kept by most, one by few.
_DEMO_LEANINGS = [0.97, 0.9, 0.95, 0.35, 0.92, 0.96, 0.94]


def seed_rehearsal_election(conference: Conference, committee: Sequence[User]) -> None:
    """The demo's counted rehearsal election, once (idempotent by title): the Executive
    Committee (22 summoned, 20 present) elects its Standing Committee, 6 of a list of 7 (a
    surplus of 1, Art. 14.1), counted by 2 of 3 members."""
    taken = select(ConfidenceVote.id).where(ConfidenceVote.title == REHEARSAL_ELECTION_TITLE)
    if db.session.scalar(taken) is not None or len(committee) < 3:
        return
    executive = organisation_committees(conference).get(CommitteeKind.EXECUTIVE)
    if executive is None or len(executive.seats) < 7:
        return
    seats = sorted(executive.seats[:7], key=lambda s: abc_key(s.member.full_name))
    listed = [(s.member.full_name, POSITION_VI[s.position], s.member_id) for s in seats]
    held = hold_counted_election(
        conference, committee, title=REHEARSAL_ELECTION_TITLE, kind=Kind.STANDING, seats=6,
        candidates=listed, rehearsal=True, absent={4: "Đi công tác", 13: "Nghỉ ốm"},
        leanings=_DEMO_LEANINGS, seed="rehearsal election",
    )  # fmt: skip
    afternoon = datetime.combine(conference.held_on, time(15, 0), tzinfo=zone())
    held.vote.opened_at = afternoon
    held.vote.closed_at = afternoon + timedelta(minutes=20)
    held.vote.counted_at = afternoon + timedelta(minutes=30)
    db.session.flush()
