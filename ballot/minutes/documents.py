"""One document of a vote as file bytes: what the download route and `ballot minutes` share."""

from __future__ import annotations

from flask import url_for

from ballot.minutes.builder import (
    attendance_context,
    issuance_context,
    minutes_context,
    public_base_url,
)
from ballot.minutes.docx import (
    render_attendance_docx,
    render_election_minutes_docx,
    render_issuance_docx,
    render_minutes_docx,
)
from ballot.minutes.election_builder import election_minutes_context
from ballot.minutes.pdf import (
    render_attendance_pdf,
    render_election_minutes_pdf,
    render_issuance_pdf,
    render_minutes_pdf,
)
from ballot.voting.election_results import election_results
from ballot.voting.models import ConfidenceVote
from ballot.voting.published import verified_record


def record_url(vote: ConfidenceVote, base_url: str | None = None) -> str:
    """The record's public address: the deployment's public base URL (never a loopback one,
    VoteError otherwise) followed by the API path (needs a request context)."""
    base = public_base_url(base_url)
    return base + url_for("api.record", public_id=vote.public_id)


def render_document(
    vote: ConfidenceVote, kind: str, fmt: str, base_url: str | None = None
) -> bytes:
    """Return the bytes of one document of `vote`: for an election, its election minutes
    (VoteError 409 before results for minutes, on a mismatch with the record, or without a
    public address for the record)."""
    if kind == "minutes" and vote.is_election:
        results = election_results(vote)  # no results, or a mismatch, said before the address
        ectx = election_minutes_context(vote, results, record_url(vote, base_url))
        if fmt == "pdf":
            return render_election_minutes_pdf(ectx)
        return render_election_minutes_docx(ectx)
    if kind == "minutes":
        verified_record(vote)  # no results, or a mismatch, is said before a missing address
        ctx = minutes_context(vote, record_url(vote, base_url))
        return render_minutes_pdf(ctx) if fmt == "pdf" else render_minutes_docx(ctx)
    if kind == "attendance":
        actx = attendance_context(vote)
        return render_attendance_pdf(actx) if fmt == "pdf" else render_attendance_docx(actx)
    ictx = issuance_context(vote)
    return render_issuance_pdf(ictx) if fmt == "pdf" else render_issuance_docx(ictx)
