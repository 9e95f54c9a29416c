"""The desk: attendance, the quorum, opening, and one-time ballot codes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from ballot.db import db, utcnow
from ballot.voting import codes
from ballot.voting.errors import VoteError
from ballot.voting.models import (
    BallotCode,
    CodeState,
    ConfidenceVote,
    VoteState,
    VoteTrustee,
    VoteVoter,
)
from ballot.voting.publication import is_published
from ballot.voting.setup import require_state, rules_of


@dataclass(frozen=True)
class Turnout:
    summoned: int
    present: int
    quorum_needed: int
    codes_held: int
    reissued: int
    cast: int

    @property
    def has_quorum(self) -> bool:
        return self.present >= self.quorum_needed


def turnout(vote: ConfidenceVote) -> Turnout:
    """Counts only: never anything about choices."""
    summoned = len(vote.voters)
    present = sum(1 for v in vote.voters if v.present)
    return Turnout(
        summoned=summoned,
        present=present,
        quorum_needed=rules_of(vote).quorum_needed(summoned),
        codes_held=sum(1 for v in vote.voters if v.has_code),
        reissued=sum(v.reissued for v in vote.voters),
        cast=vote.ballots_cast,
    )


def committee_voters(vote: ConfidenceVote) -> list[tuple[VoteTrustee, VoteVoter | None]]:
    """Each counting-committee member with their line on the roll (None when not summoned):
    matched by the member record of their account, else by full name."""
    from ballot.auth.models import User  # the desk's only use of accounts

    ids = [t.user_id for t in vote.trustees]
    members = {u.id: u.member_id for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    by_member = {v.member_id: v for v in vote.voters if v.member_id is not None}
    by_name = {v.full_name: v for v in vote.voters}
    out = []
    for trustee in vote.trustees:
        member_id = members.get(trustee.user_id)
        voter = by_member.get(member_id) if member_id is not None else None
        out.append((trustee, voter or by_name.get(trustee.full_name)))
    return out


def absent_committee_members(vote: ConfidenceVote) -> list[str]:
    """Counting-committee members who are not present at the conference. The committee is
    elected by the conference (Quy định 96-QĐ/TW; DOMAIN.md): each of them must be there."""
    return [
        t.full_name for t, voter in committee_voters(vote) if voter is None or not voter.present
    ]


def set_present(
    vote: ConfidenceVote, voter: VoteVoter, present: bool, reason: str | None = None
) -> bool:
    """Mark a summoned member present or absent, with the reason for an absence if one is
    given (not after closing; not once they hold a code). True when the member marked absent
    sits on the counting committee, which must be present to open (the caller warns)."""
    require_state(vote, VoteState.DRAFT, VoteState.CEREMONY, VoteState.READY, VoteState.OPEN)
    if not present and voter.has_code:
        raise VoteError("holds_code")
    voter.present = present
    voter.checked_in = True
    voter.absence_reason = None if present else ((reason or "").strip()[:200] or None)
    db.session.flush()
    return not present and any(v is voter for _, v in committee_voters(vote))


def open_vote(vote: ConfidenceVote) -> None:
    """Open the vote; refused below quorum or before the keys exist."""
    require_state(vote, VoteState.READY)
    counts = turnout(vote)
    if not counts.has_quorum:
        raise VoteError(
            "no_quorum",
            present=counts.present,
            needed=counts.quorum_needed,
            summoned=counts.summoned,
        )
    absent = absent_committee_members(vote)
    if absent:
        raise VoteError("committee_absent", names=", ".join(absent))
    vote.state = VoteState.OPEN
    vote.opened_at = utcnow()
    db.session.flush()


def code_key() -> str:
    return str(current_app.config["CODE_HASH_KEY"])


def issue_code(vote: ConfidenceVote, voter: VoteVoter) -> str:
    """Issue a one-time code to a present member; returns the code to print (never stored)."""
    require_state(vote, VoteState.READY, VoteState.OPEN)
    if not voter.present:
        raise VoteError("not_present")
    if voter.has_code:
        raise VoteError("has_code")
    code = codes.new_code()
    normal = codes.normalise(code) or ""
    db.session.add(
        BallotCode(
            vote_id=vote.id,
            code_hash=codes.code_hash(code_key(), vote.public_id, normal),
            holder_tag=codes.holder_tag(code_key(), vote.public_id, voter.id),
        )
    )
    voter.has_code = True
    db.session.flush()
    return code


def waiting_for_codes(vote: ConfidenceVote) -> list[VoteVoter]:
    """Everyone present who holds no code, in roll order: one print run of slips (issued by
    ballot.voting.issuance.issue_batch)."""
    require_state(vote, VoteState.READY, VoteState.OPEN)
    waiting = [v for v in sorted(vote.voters, key=lambda v: v.rank) if v.present and not v.has_code]
    if not waiting:
        raise VoteError("nobody_to_issue")
    return waiting


def revoke_and_reissue(vote: ConfidenceVote, voter: VoteVoter, reason: str) -> str:
    """Revoke a member's lost, unused slip for the reason given and issue a new code."""
    require_state(vote, VoteState.READY, VoteState.OPEN)
    if not reason.strip():
        raise VoteError("revoke_reason", 400)
    tag = codes.holder_tag(code_key(), vote.public_id, voter.id)
    result = db.session.execute(
        update(BallotCode)
        .where(
            BallotCode.vote_id == vote.id,
            BallotCode.holder_tag == tag,
            BallotCode.state == CodeState.ISSUED,
        )
        .values(state=CodeState.REVOKED, holder_tag=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise VoteError("nothing_to_revoke")
    voter.has_code = False
    voter.reissued += 1
    db.session.flush()
    return issue_code(vote, voter)


def code_hash(vote: ConfidenceVote, typed: object) -> str:
    normal = codes.normalise(typed) if isinstance(typed, str) else None
    if normal is None:
        raise VoteError("mistyped_code", 400)
    return codes.code_hash(code_key(), vote.public_id, normal)


def vote_summary(vote: ConfidenceVote) -> dict[str, object]:
    """A vote's state and turnout as plain data (the API, the projector, `ballot votes list`)."""
    counts = turnout(vote)
    return {
        "id": vote.public_id,
        "title": vote.title,
        "kind": vote.kind.value,
        "conference": vote.conference.name,
        "state": vote.state.value,
        "fingerprint": vote.fingerprint,
        "summoned": counts.summoned,
        "present": counts.present,
        "quorum_needed": counts.quorum_needed,
        "codes_issued": counts.codes_held,
        "reissued": counts.reissued,
        "ballots_cast": counts.cast,
        "published": is_published(vote),
    }
