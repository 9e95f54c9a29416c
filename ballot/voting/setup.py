"""Setting a vote up: its rules, subjects, summoned voters and counting committee."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from fractions import Fraction

from sqlalchemy import select

from ballot.auth.models import User
from ballot.crypto.dkg import minimum_threshold, threshold_allowed
from ballot.db import db
from ballot.labels import POSITION_VI
from ballot.org.models import Committee, CommitteeKind, Conference
from ballot.voting.errors import VoteError
from ballot.voting.models import (
    ConfidenceVote,
    VoteState,
    VoteSubject,
    VoteTrustee,
    VoteVoter,
)
from ballot.voting.rules import LEVELS_96, VoteRules


def rules_of(vote: ConfidenceVote) -> VoteRules:
    """The rules recorded with `vote`."""
    return VoteRules(
        quorum=Fraction(vote.quorum_num, vote.quorum_den),
        consider=Fraction(vote.consider_num, vote.consider_den),
        dismiss=Fraction(vote.dismiss_num, vote.dismiss_den),
        dismiss_inclusive=vote.dismiss_inclusive,
        blank_row_allowed=vote.blank_row_allowed,
    )


def create_vote(
    conference: Conference,
    title: str,
    rules: VoteRules | None = None,
    leave_off_member_ids: Sequence[int] = (),
) -> ConfidenceVote:
    """Create a draft vote: summoned = the Executive Committee, subjects = the Standing
    Committee (minus `leave_off_member_ids`: retiring or newly appointed that year)."""
    rules = rules or VoteRules()
    vote = ConfidenceVote(
        public_id=str(uuid.uuid4()),
        conference_id=conference.id,
        title=title.strip(),
        quorum_num=rules.quorum.numerator,
        quorum_den=rules.quorum.denominator,
        consider_num=rules.consider.numerator,
        consider_den=rules.consider.denominator,
        dismiss_num=rules.dismiss.numerator,
        dismiss_den=rules.dismiss.denominator,
        dismiss_inclusive=rules.dismiss_inclusive,
        blank_row_allowed=rules.blank_row_allowed,
        levels=[list(level) for level in LEVELS_96],
        trustee_count=3,
        threshold=2,
    )
    db.session.add(vote)
    summon_executive(vote, conference)
    standing = organisation_committees(conference).get(CommitteeKind.STANDING)
    if standing is not None:
        rank = 0
        for seat in standing.seats:
            if seat.member_id in leave_off_member_ids:
                continue
            rank += 1
            vote.subjects.append(
                VoteSubject(
                    rank=rank,
                    member_id=seat.member_id,
                    full_name=seat.member.full_name,
                    position=POSITION_VI[seat.position],
                )
            )
    db.session.flush()
    return vote


def organisation_committees(conference: Conference) -> dict[CommitteeKind, Committee]:
    return {
        c.kind: c
        for c in db.session.scalars(
            select(Committee).where(Committee.organisation_id == conference.organisation_id)
        )
    }


def summon_executive(vote: ConfidenceVote, conference: Conference) -> None:
    """Summon the organisation's Executive Committee (Ban Chấp hành) to `vote`, in seat order."""
    executive = organisation_committees(conference).get(CommitteeKind.EXECUTIVE)
    if executive is None:
        return
    for rank, seat in enumerate(executive.seats, start=1):
        vote.voters.append(
            VoteVoter(
                rank=rank,
                member_id=seat.member_id,
                full_name=seat.member.full_name,
                position=POSITION_VI[seat.position],
            )
        )


def require_state(vote: ConfidenceVote, *states: VoteState) -> None:
    if vote.state not in states:
        raise VoteError("wrong_state", 409, state=vote.state, needed=states)


def set_counting_committee(
    vote: ConfidenceVote, users: Sequence[User], chair: User, threshold: int
) -> None:
    """Record the counting committee (in index order) and start the key ceremony. A ready
    vote may still change its committee (a member turned out absent) while no code has been
    issued: its keys are then made again."""
    require_state(vote, VoteState.DRAFT, VoteState.CEREMONY, VoteState.READY)
    if vote.state is VoteState.READY and any(v.has_code or v.reissued for v in vote.voters):
        raise VoteError("committee_locked", 409)
    if not vote.subjects:
        raise VoteError("no_subjects")
    if len(users) < 2 or len({u.id for u in users}) != len(users):
        raise VoteError("bad_committee", 400)
    n = len(users)
    # t >= 2: no member ever decrypts alone; t > n/2: no two disjoint groups can each
    # decrypt (issue 14.1; protocol §6). The manifest check and the verifiers refuse the same.
    if isinstance(threshold, bool) or not threshold_allowed(threshold, n):
        raise VoteError("bad_threshold", 400, low=minimum_threshold(n), high=n)
    if chair not in users:
        raise VoteError("bad_chair", 400)
    if vote.is_election:  # its roll may be a congress's delegates: the committee sits on it
        on_roll = {v.member_id for v in vote.voters if v.member_id is not None}
        people = [(u.id, u.full_name) for u in users]
        missing = off_roll(people, on_roll, {v.full_name for v in vote.voters})
        if missing:
            raise VoteError("roll_committee_off", 400, names=", ".join(missing))
    vote.trustees.clear()
    db.session.flush()
    for index, user in enumerate(users, start=1):
        vote.trustees.append(
            VoteTrustee(
                index=index, user_id=user.id, full_name=user.full_name, is_chair=user.id == chair.id
            )
        )
    vote.trustee_count = len(users)
    vote.threshold = threshold
    vote.manifest = vote.fingerprint = vote.board_head = None  # the keys are made anew
    vote.state = VoteState.CEREMONY
    db.session.flush()


def off_roll(people: Sequence[tuple[int, str]], member_ids: set[int], names: set[str]) -> list[str]:
    """Names of the accounts (id, full name) that are not on a roll, matched as the desk
    matches the counting committee (ballot.voting.desk.committee_voters): by the member of
    the account, else by full name."""
    ids = [uid for uid, _name in people]
    account = {u.id: u.member_id for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return [
        name for uid, name in people if account.get(uid) not in member_ids and name not in names
    ]
