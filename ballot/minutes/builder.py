"""Build the documents' plain data from a vote (the only module here that reads the database)."""

from __future__ import annotations

from sqlalchemy import func, select

from ballot.db import db
from ballot.minutes.context import (
    AttendanceContext,
    AttendanceRow,
    IssuanceContext,
    MinutesContext,
    OrgHeader,
    Signer,
    SubjectResult,
    Thresholds,
)
from ballot.voting import counting, setup
from ballot.voting.models import BallotCode, CodeState, ConfidenceVote


def org_header(vote: ConfidenceVote) -> OrgHeader:
    """The header block: superior body, issuing body, place."""
    org = vote.conference.organisation
    return OrgHeader(
        superior_name=(org.superior_name or "").upper(),
        name=(org.header_name or org.name).upper(),
        place=org.place or "",
    )


def minutes_context(vote: ConfidenceVote, record_url: str) -> MinutesContext:
    """Everything the counting minutes print, from a counted vote (VoteError before)."""
    rows = counting.results(vote)  # raises 409 before the results exist
    rules = setup.rules_of(vote)
    codes = [code for code, _ in vote.levels]
    chair = next((t.full_name for t in vote.trustees if t.is_chair), "")
    closing = vote.closing or {}
    attendance = closing.get("attendance", {})
    return MinutesContext(
        organisation=org_header(vote),
        document_date=vote.conference.held_on,
        vote_title=vote.title,
        conference_name=vote.conference.name,
        conference_place=vote.conference.place or "",
        started_at=vote.opened_at or vote.created_at,
        counting_ended_at=vote.counted_at or vote.created_at,
        counting_chair=chair,
        counting_members=tuple(t.full_name for t in vote.trustees if not t.is_chair),
        summoned=len(vote.voters),
        present=sum(1 for v in vote.voters if v.present),
        absent_names=tuple(v.full_name for v in vote.voters if not v.present),
        issued=int(attendance.get("issued", 0)),
        received=vote.ballots_cast,
        subjects=tuple(
            SubjectResult(
                no=r.rank,
                full_name=r.full_name,
                position=r.position,
                high=r.counts[codes.index("high")],
                normal=r.counts[codes.index("normal")],
                low=r.counts[codes.index("low")],
                invalid=r.invalid,
            )
            for r in rows
        ),
        trustee_threshold=vote.threshold,
        trustee_count=vote.trustee_count,
        fingerprint_hex=vote.fingerprint or "",
        record_url=record_url,
        thresholds=Thresholds.from_fractions(
            rules.quorum, rules.consider, rules.dismiss, rules.dismiss_inclusive
        ),
    )


def attendance_context(vote: ConfidenceVote) -> AttendanceContext:
    """The list of those summoned, present or absent, to be signed."""
    chair = next((t.full_name for t in vote.trustees if t.is_chair), "")
    return AttendanceContext(
        organisation=org_header(vote),
        document_date=vote.conference.held_on,
        conference_name=vote.conference.name,
        vote_title=vote.title,
        rows=tuple(
            AttendanceRow(no=v.rank, full_name=v.full_name, position=v.position, present=v.present)
            for v in vote.voters
        ),
        signer=Signer("TRƯỞNG BAN KIỂM PHIẾU", chair),
    )


def issuance_context(vote: ConfidenceVote) -> IssuanceContext:
    """Counts of codes issued, revoked, reissued and used — never a code."""
    by_state = dict(
        db.session.execute(
            select(BallotCode.state, func.count())
            .where(BallotCode.vote_id == vote.id)
            .group_by(BallotCode.state)
        ).all()
    )
    total = sum(by_state.values())
    reissued = sum(v.reissued for v in vote.voters)
    chair = next((t.full_name for t in vote.trustees if t.is_chair), "")
    return IssuanceContext(
        organisation=org_header(vote),
        document_date=vote.conference.held_on,
        vote_title=vote.title,
        recorded_at=vote.closed_at or vote.opened_at or vote.created_at,
        issued=total - reissued,
        revoked=by_state.get(CodeState.REVOKED, 0),
        reissued=reissued,
        used=by_state.get(CodeState.USED, 0),
        signer=Signer("TRƯỞNG BAN KIỂM PHIẾU", chair),
    )
