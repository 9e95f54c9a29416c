"""Closing, decryption shares and results."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from ballot.crypto import board as crypto_board
from ballot.crypto.errors import CryptoError
from ballot.crypto.tally import aggregate_to_json, tally, verify_share
from ballot.db import db, utcnow
from ballot.logs import log_event
from ballot.voting.casting import context_of
from ballot.voting.desk import turnout
from ballot.voting.errors import VoteError
from ballot.voting.models import (
    BallotCode,
    CodeState,
    ConfidenceVote,
    VoteState,
    VoteTrustee,
    VoteVoter,
)
from ballot.voting.published import (
    board_grid,
    closed_board_grid,
    election_record,
    verified_record,
)
from ballot.voting.rules import flag_label, flag_text, low_confidence_flag
from ballot.voting.setup import require_state, rules_of

log = logging.getLogger(__name__)


def close_vote(vote: ConfidenceVote) -> None:
    """Close the vote: no ballot accepted after; freeze the board and its closing hash."""
    require_state(vote, VoteState.OPEN)
    db.session.execute(
        update(ConfidenceVote).where(ConfidenceVote.id == vote.id).values(state=VoteState.CLOSED)
    )
    db.session.refresh(vote)
    counts = turnout(vote)
    issued = (
        db.session.scalar(
            select(func.count())
            .select_from(BallotCode)
            .where(BallotCode.vote_id == vote.id, BallotCode.state != CodeState.REVOKED)
        )
        or 0
    )
    attendance = crypto_board.Attendance(counts.summoned, counts.present, issued)
    head = bytes.fromhex(vote.board_head or vote.fingerprint or "")
    block = {
        "count": vote.ballots_cast,
        "head": head.hex(),
        "hash": crypto_board.closing_hash(head, vote.ballots_cast, attendance).hex(),
        "attendance": attendance.to_json(),
    }
    vote.closing = block
    vote.closed_at = utcnow()
    vote.aggregate = aggregate_to_json(board_grid(vote))
    # Rewrite every code row of the vote in this one transaction: on PostgreSQL a used code's
    # row would otherwise keep the transaction id (xmin) of the cast that also wrote its
    # board entry, tying the two together. Run `scrub_storage()` after the commit.
    db.session.execute(
        update(BallotCode).where(BallotCode.vote_id == vote.id).values(state=BallotCode.state)
    )
    # Likewise the roll: a member's row was last written when they received their code, so
    # its row version would give the order of issuance (issue 14.14).
    db.session.execute(
        update(VoteVoter).where(VoteVoter.vote_id == vote.id).values(has_code=VoteVoter.has_code)
    )
    db.session.flush()
    log_event(
        log, "vote.closed", vote=vote.public_id, ballots=vote.ballots_cast, closing=block["hash"]
    )


def scrub_storage() -> None:
    """After closing is committed: VACUUM, so that neither dead row versions (PostgreSQL) nor
    the free space left in pages by the order codes were used (SQLite) remain on disk."""
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                # CLUSTER rewrites the tables in primary-key order (random for codes, roll
                # order for voters): neither the dead row versions nor the physical order of
                # insertion (issuance) survives, which a plain VACUUM would keep.
                conn.exec_driver_sql("CLUSTER ballot_code USING pk_ballot_code")
                conn.exec_driver_sql("CLUSTER vote_voter USING pk_vote_voter")
    except OperationalError as exc:  # the vote is closed either way; backups VACUUM too
        log_event(log, "storage.scrub_failed", logging.WARNING, error=str(exc))


def submit_share(vote: ConfidenceVote, trustee: VoteTrustee, share: object) -> list[int] | None:
    """Check a member's decryption share against the aggregate of the whole closed board;
    once t valid shares are in, decrypt the counts. Returns the counts when decrypted."""
    require_state(vote, VoteState.CLOSED)
    if not isinstance(share, dict) or share.get("index") != trustee.index:
        raise VoteError("bad_share", 400)
    ctx = context_of(vote)
    grid = closed_board_grid(vote)

    try:
        verify_share(ctx, grid, share)
    except CryptoError as exc:
        raise VoteError("invalid_share", 400, reason=exc) from exc
    trustee.decryption_share = share
    db.session.flush()
    shares = [t.decryption_share for t in vote.trustees if t.decryption_share is not None]
    log_event(
        log,
        "decryption.share_accepted",
        vote=vote.public_id,
        member=trustee.index,
        shares=len(shares),
        threshold=vote.threshold,
    )
    if len(shares) < vote.threshold:
        return None
    result = tally(ctx, grid, shares, vote.ballots_cast)
    vote.counts = result.counts
    vote.state = VoteState.COUNTED
    vote.counted_at = utcnow()
    db.session.flush()
    log_event(log, "vote.counted", vote=vote.public_id, ballots=vote.ballots_cast)
    return result.counts  # type: ignore[return-value]


@dataclass(frozen=True)
class SubjectResult:
    rank: int
    full_name: str
    position: str
    received: int
    counts: list[int]
    flag: str | None
    #: The flag's badge and its one sentence, from ballot.voting.rules (one wording everywhere).
    flag_label: str = ""
    flag_text: str = ""

    @property
    def valid(self) -> int:
        return sum(self.counts)

    @property
    def invalid(self) -> int:
        return self.received - self.valid


def results(vote: ConfidenceVote) -> list[SubjectResult]:
    """Per subject: received, counts per level, valid, invalid and the regulation's flag, all
    taken from the verified record (VoteError `no_results` before counting, `record_mismatch`
    when the stored results disagree with it; see `ballot.voting.published`)."""
    if vote.is_election:  # an election's results: ballot.voting.election_results
        raise VoteError("not_a_confidence_vote", 409)
    proof = verified_record(vote)
    rules = rules_of(vote)
    low = [code for code, _ in vote.levels].index("low")
    out = []
    for subject, row in zip(vote.subjects, proof.counts, strict=True):
        flag = low_confidence_flag(rules, row[low], proof.received)
        out.append(
            SubjectResult(
                subject.rank,
                subject.full_name,
                subject.position,
                proof.received,
                list(row),
                flag,
                flag_label(flag, rules),
                flag_text(flag, rules),
            )
        )
    return out


#: The record is built in ballot.voting.published; it is named here too for older callers.
__all__ = ["board_grid", "closed_board_grid", "election_record", "results"]
