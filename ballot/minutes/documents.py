"""One document of a vote as file bytes: what the download route and `ballot minutes` share."""

from __future__ import annotations

from ballot.minutes.builder import attendance_context, issuance_context, minutes_context
from ballot.minutes.docx import render_attendance_docx, render_issuance_docx, render_minutes_docx
from ballot.minutes.pdf import render_attendance_pdf, render_issuance_pdf, render_minutes_pdf
from ballot.voting.models import ConfidenceVote


def render_document(vote: ConfidenceVote, kind: str, fmt: str, record_url: str) -> bytes:
    """Return the bytes of one document of `vote` (VoteError 409 before results for minutes)."""
    if kind == "minutes":
        ctx = minutes_context(vote, record_url)
        return render_minutes_pdf(ctx) if fmt == "pdf" else render_minutes_docx(ctx)
    if kind == "attendance":
        actx = attendance_context(vote)
        return render_attendance_pdf(actx) if fmt == "pdf" else render_attendance_docx(actx)
    ictx = issuance_context(vote)
    return render_issuance_pdf(ictx) if fmt == "pdf" else render_issuance_docx(ictx)
