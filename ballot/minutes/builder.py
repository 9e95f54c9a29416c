"""Build the documents' plain data from a vote (the only module here that reads the database).

Every figure of the minutes comes from the verified record (`ballot.voting.published`): the
counts, ballots received, attendance, fingerprint and closing hash. The roll adds names and
reasons for absence; the organ's register adds the number; the audit log adds its head.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from sqlalchemy import func, select

from ballot.audit.service import head as audit_head
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
from ballot.org import numbering
from ballot.org.conferences import session_day
from ballot.voting import counting, published, setup
from ballot.voting.errors import VoteError
from ballot.voting.models import BallotCode, CodeState, ConfidenceVote

CHAIR = "TRƯỞNG BAN KIỂM PHIẾU"


def public_base_url(given: str | None = None) -> str:
    """The deployment's public address for the record's link and QR code: `given`, else the
    configured PUBLIC_BASE_URL. Refused when unset or a loopback address, which nobody
    reading the paper could reach."""
    url = (given or "").strip()
    if not url and has_app_context():
        url = str(current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if not url:
        raise VoteError("no_public_url", 409)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = host in {"localhost", ""} or host.endswith(".localhost")
    try:
        address = ipaddress.ip_address(host)
        loopback = loopback or address.is_loopback or address.is_unspecified
    except ValueError:
        pass
    if parts.scheme not in {"http", "https"} or loopback:
        raise VoteError("loopback_public_url", 409, url=url)
    return url.rstrip("/")


def org_header(vote: ConfidenceVote, document_number: str = "") -> OrgHeader:
    """The header block: superior body, issuing body, place, number."""
    org = vote.conference.organisation
    return OrgHeader(
        superior_name=(org.superior_name or "").upper(),
        name=(org.header_name or org.name).upper(),
        place=org.place or "",
        document_number=document_number,
    )


def minutes_number(vote: ConfidenceVote, number: int | None = None) -> str:
    """The minutes' "Số …-BB/…" from the organ's register for the year the vote was held:
    the number set before export, else the next free one."""
    day = session_day(vote) or vote.conference.held_on
    entry = numbering.take(
        vote.conference.organisation, day.year, numbering.MINUTES, f"vote:{vote.public_id}", number
    )
    return entry.label


def _chair(vote: ConfidenceVote) -> str:
    return next((t.full_name for t in vote.trustees if t.is_chair), "")


def minutes_context(vote: ConfidenceVote, record_url: str) -> MinutesContext:
    """Everything the counting minutes print, from a counted vote (VoteError before)."""
    rows = counting.results(vote)  # 409 before the results exist; refuses on a mismatch
    proof = published.verified_record(vote)
    rules = setup.rules_of(vote)
    codes = [code for code, _ in vote.levels]
    absent = [v for v in vote.voters if not v.present]
    head = audit_head()  # checked, as the results page shows it
    started = vote.opened_at or vote.created_at
    return MinutesContext(
        organisation=org_header(vote, minutes_number(vote)),
        document_date=session_day(vote) or vote.conference.held_on,
        vote_title=vote.title,
        conference_name=vote.conference.name,
        conference_place=vote.conference.place or "",
        started_at=started,
        counting_ended_at=vote.counted_at or started,
        counting_chair=_chair(vote),
        counting_members=tuple(t.full_name for t in vote.trustees if not t.is_chair),
        summoned=proof.summoned,
        present=proof.present,
        absent_names=tuple(v.full_name for v in absent),
        absent_reasons=tuple(v.absence_reason or "" for v in absent),
        issued=proof.issued,
        received=proof.received,
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
        fingerprint_hex=proof.fingerprint,
        closing_hash_hex=proof.closing_hash,
        record_sha256_hex=proof.sha256,
        audit_head_hex=head.hash if head.seq else "",
        record_url=record_url,
        thresholds=Thresholds.from_fractions(
            rules.quorum, rules.consider, rules.dismiss, rules.dismiss_inclusive
        ),
        copies=int(current_app.config.get("MINUTES_COPIES", 2)) if has_app_context() else 2,
    )


def attendance_context(vote: ConfidenceVote) -> AttendanceContext:
    """The list of those summoned: present members (to sign), then absent ones (reason)."""
    return AttendanceContext(
        organisation=org_header(vote),
        document_date=session_day(vote) or vote.conference.held_on,
        conference_name=vote.conference.name,
        vote_title=vote.title,
        rows=tuple(
            AttendanceRow(
                no=v.rank,
                full_name=v.full_name,
                position=v.position,
                present=v.present,
                note="" if v.present else (v.absence_reason or ""),
            )
            for v in vote.voters
        ),
        signer=Signer(CHAIR, _chair(vote)),
    )


def issuance_context(vote: ConfidenceVote) -> IssuanceContext:
    """Counts of codes issued, revoked, reissued and used — never a code — and who, on the
    roll, received one (the roll says so anyway; never which code)."""
    by_state = dict(
        db.session.execute(
            select(BallotCode.state, func.count())
            .where(BallotCode.vote_id == vote.id)
            .group_by(BallotCode.state)
        ).all()
    )
    total = sum(by_state.values())
    reissued = sum(v.reissued for v in vote.voters)
    rows = []
    for v in vote.voters:
        if v.present:
            note = "Đã nhận mã" if v.has_code or v.reissued else "Không nhận mã"
            if v.reissued:
                note += f" (cấp lại {v.reissued} lần)"
        else:
            note = v.absence_reason or ""
        rows.append(AttendanceRow(v.rank, v.full_name, v.position, v.present, note))
    return IssuanceContext(
        organisation=org_header(vote),
        document_date=session_day(vote) or vote.conference.held_on,
        vote_title=vote.title,
        recorded_at=vote.closed_at or vote.opened_at or vote.created_at,
        issued=total - reissued,
        revoked=by_state.get(CodeState.REVOKED, 0),
        reissued=reissued,
        used=by_state.get(CodeState.USED, 0),
        signer=Signer(CHAIR, _chair(vote)),
        rows=tuple(rows),
    )
