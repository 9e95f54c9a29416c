"""Members' devices simulated in-process, through the same services the web uses.

Used by the demo (a vote already held and counted) and by tests. In a real conference each
step below runs in a counting-committee member's browser.
"""

from __future__ import annotations

from collections.abc import Sequence

from ballot.crypto.ballot import encrypt_ballot
from ballot.crypto.dkg import MemberKey, check_commits, deal_shares, finish_member, start_member
from ballot.crypto.election import encrypt_election_ballot, shape_of
from ballot.crypto.tally import partial_decrypt
from ballot.voting import casting, ceremony, counting
from ballot.voting.models import ConfidenceVote


def run_key_ceremony(vote: ConfidenceVote) -> list[MemberKey]:
    """Play every member's part of the ceremony; return each member's key."""
    cid = ceremony.ceremony_id_of(vote)
    secrets = []
    for trustee in vote.trustees:
        secret, message = start_member(cid, trustee.index, vote.threshold, vote.trustee_count)
        ceremony.post_commit(vote, trustee, message)
        secrets.append(secret)
    commits = check_commits(
        cid, vote.threshold, vote.trustee_count, ceremony.commit_messages(vote) or []
    )
    for trustee, secret in zip(vote.trustees, secrets, strict=True):
        ceremony.post_shares(vote, trustee, deal_shares(secret, commits))
    keys = []
    for trustee, secret in zip(vote.trustees, secrets, strict=True):
        key, done = finish_member(secret, commits, ceremony.shares_for(vote, trustee) or [])
        ceremony.post_done(vote, trustee, done)
        keys.append(key)
    return keys


def cast_choices(vote: ConfidenceVote, code: str, choices: Sequence[int | None]) -> casting.Receipt:
    """Encrypt `choices` as a tablet would and cast them with `code`."""
    ballot = encrypt_ballot(casting.context_of(vote), list(choices))
    return casting.cast_ballot(vote.id, code, ballot)


def decrypt_as(vote: ConfidenceVote, keys: Sequence[MemberKey]) -> list[int] | None:
    """Each given member recomputes the aggregate from the board and submits a share."""
    counts = None
    for key in keys:
        trustee = next(t for t in vote.trustees if t.index == key.index)
        share = partial_decrypt(casting.context_of(vote), key, counting.board_grid(vote))
        counts = counting.submit_share(vote, trustee, share)
    return counts


def cast_election_choices(vote: ConfidenceVote, code: str, kept: Sequence[bool]) -> casting.Receipt:
    """Encrypt an election choice (`kept[j]`: candidate j kept) as a tablet would, and cast it."""
    if vote.manifest is None:
        raise casting.VoteError("no_keys", 409)
    ballot = encrypt_election_ballot(casting.context_of(vote), shape_of(vote.manifest), list(kept))
    return casting.cast_ballot(vote.id, code, ballot)
