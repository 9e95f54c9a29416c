"""Issuing codes in batches, and recording issuance in the audit log batch by batch.

What a database reader must not learn (issue 14.14): in which order members received their
codes. Code rows have random ids (ballot.voting.codes.random_row_id); a batch is issued in a
random order; and the audit log gets one entry per batch, naming its members in roll order
(rank) under one time, never one time per member. A batch of one is still a time for that
member: the desk issues to those present together (docs/security.md, "What ordering still
reveals").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from ballot import audit
from ballot.audit.models import AuditEntry
from ballot.voting import desk
from ballot.voting.models import ConfidenceVote, VoteVoter

_shuffle = random.SystemRandom().shuffle


def issue_batch(vote: ConfidenceVote, voters: Iterable[VoteVoter]) -> list[tuple[VoteVoter, str]]:
    """Issue one code to each of `voters` (present, holding none), in a random order; returns
    (voter, code to print) in roll order. All or nothing: a refusal raises VoteError and the
    caller rolls back."""
    order = list(voters)
    _shuffle(order)
    issued = [(voter, desk.issue_code(vote, voter)) for voter in order]
    return sorted(issued, key=lambda pair: pair[0].rank)


def record_issuance(
    actor: Any,
    vote: ConfidenceVote,
    voters: Sequence[VoteVoter],
    reissue: bool = False,
    reason: str | None = None,
) -> AuditEntry:
    """One audit entry for a batch of issued (or revoked and reissued) codes: the members in
    roll order, the count; the entry's one time is the batch's."""
    members = sorted(voters, key=lambda voter: voter.rank)
    details: dict[str, Any] = {
        "count": len(members),
        "voters": [{"rank": v.rank, "voter": v.full_name} for v in members],
    }
    if reissue:
        details["reissued"] = [v.reissued for v in members]
    if reason:  # why a slip was revoked, as the desk wrote it
        details["reason"] = reason
    action = "code.reissued" if reissue else "code.issued"
    return audit.record(actor, action, f"vote:{vote.public_id}", details)
