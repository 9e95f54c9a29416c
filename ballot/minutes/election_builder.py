"""The election minutes' plain data from an election in the database.

Every figure comes from the VERIFIED record (`ballot.voting.published.verified_record`, which
rebuilds the record from the closed board and the decryption shares, checks it end to end and
refuses when anything stored disagrees): the votes, the ballots, the attendance, the anchors.
The roll adds names and reasons for absence; the organ's register adds the number; the audit
log adds its head. Who is elected is computed by `ballot.elections.rules.outcome`, and must
agree with the results the app shows (`election_results`), else nothing is printed.
"""

from __future__ import annotations

import json

from flask import current_app, has_app_context

from ballot.audit.service import head as audit_head
from ballot.minutes.builder import minutes_number, org_header
from ballot.minutes.election_context import ElectionMinutesContext, record_figures
from ballot.org.conferences import session_day
from ballot.voting.election_results import ElectionResults
from ballot.voting.models import ConfidenceVote
from ballot.voting.published import refuse


def election_minutes_context(
    vote: ConfidenceVote, results: ElectionResults, record_url: str
) -> ElectionMinutesContext:
    """Everything the election minutes print, from a counted election's results (taken from
    its verified record by `election_results`, which refuses before counting or when the
    database disagrees with the record)."""
    proof = results.proof  # the checked record, byte for byte as published
    figures = record_figures(json.loads(proof.data))
    absent = [v for v in vote.voters if not v.present]
    head = audit_head()
    started = vote.opened_at or vote.created_at
    ctx = ElectionMinutesContext(
        organisation=org_header(vote, minutes_number(vote)),
        document_date=session_day(vote) or vote.conference.held_on,
        title=vote.title,
        conference_name=vote.conference.name,
        conference_place=vote.conference.place or "",
        started_at=started,
        counting_ended_at=vote.counted_at or started,
        counting_chair=next((t.full_name for t in vote.trustees if t.is_chair), ""),
        counting_members=tuple(t.full_name for t in vote.trustees if not t.is_chair),
        absent_names=tuple(v.full_name for v in absent),
        absent_reasons=tuple(v.absence_reason or "" for v in absent),
        record_sha256_hex=proof.sha256,
        audit_head_hex=head.hash if head.seq else "",
        record_url=record_url,
        round_no=vote.round_no,
        copies=int(current_app.config.get("MINUTES_COPIES", 2)) if has_app_context() else 2,
        **figures,
    )
    shown = sorted((c.number - 1, c.status.value) for c in results.candidates)
    printed = sorted((r.index, r.status.value) for r in ctx.outcome.ranked)
    if shown != printed or (results.base, results.seats_left) != (ctx.base, ctx.outcome.seats_left):
        raise refuse(
            vote,
            "outcome_differs",
            "the outcome on the results page differs from the one the minutes compute",
            "kết quả bầu cử trên trang kết quả khác với kết quả biên bản tính từ hồ sơ",
        )
    return ctx
