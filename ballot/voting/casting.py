"""Casting: a code and an encrypted ballot become one board entry in one transaction."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ballot.crypto import board as crypto_board
from ballot.crypto.ballot import short_code
from ballot.crypto.context import ElectionContext
from ballot.crypto.encoding import canonical_json
from ballot.crypto.errors import CryptoError
from ballot.db import db
from ballot.voting.desk import code_hash
from ballot.voting.errors import VoteError
from ballot.voting.models import (
    BallotCode,
    BoardEntry,
    BoardPoint,
    CodeState,
    ConfidenceVote,
    VoteState,
)
from ballot.voting.verifier import Verified, check_ballot, context_for


def code_error(state: CodeState | None) -> VoteError:
    if state is None:
        return VoteError("unknown_code", 404)
    if state is CodeState.REVOKED:
        return VoteError("revoked_code", 403)
    return VoteError("used_code", 409)


def check_code(vote: ConfidenceVote, typed: object) -> None:
    """Tell the booth whether a code can be used now, without using it."""
    require_open(vote)
    state = db.session.scalar(
        select(BallotCode.state).where(
            BallotCode.vote_id == vote.id, BallotCode.code_hash == code_hash(vote, typed)
        )
    )
    if state is not CodeState.ISSUED:
        raise code_error(state)


def require_open(vote: ConfidenceVote) -> None:
    if vote.state is VoteState.OPEN:
        return
    if vote.state in (VoteState.CLOSED, VoteState.COUNTED):
        raise VoteError("vote_closed", 409)
    raise VoteError("vote_not_open", 409)


_manifest_texts: dict[tuple[int, str], str] = {}


def manifest_text(vote: ConfidenceVote) -> str:
    """The vote's frozen manifest as canonical JSON text (the key of the context caches)."""
    if vote.manifest is None or vote.fingerprint is None:
        raise VoteError("no_keys", 409)
    # A manifest never changes once its fingerprint exists, so (vote, fingerprint) keys it.
    key = (vote.id, vote.fingerprint)
    if key not in _manifest_texts:
        _manifest_texts[key] = canonical_json(vote.manifest).decode()
    return _manifest_texts[key]


def context_of(vote: ConfidenceVote) -> ElectionContext:
    """The checked election context of a vote's frozen manifest (cached)."""
    return context_for(manifest_text(vote))


@dataclass(frozen=True)
class Receipt:
    seq: int
    tracker: str
    short_code: str
    chain: str
    repeated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "tracker": self.tracker,
            "short_code": self.short_code,
            "chain": self.chain,
            "repeated": self.repeated,
        }


def _existing_receipt(vote: ConfidenceVote, tracker: str) -> Receipt | None:
    entry = db.session.scalar(
        select(BoardEntry).where(BoardEntry.vote_id == vote.id, BoardEntry.tracker == tracker)
    )
    if entry is None:
        return None
    return Receipt(
        entry.seq, entry.tracker, crypto_short(entry.tracker), entry.chain, repeated=True
    )


def _receipt_of_same_ballot(vote: ConfidenceVote, ballot_doc: object) -> Receipt | None:
    """The receipt of a board entry holding exactly this ballot document, if any."""
    try:
        text = canonical_json(ballot_doc).decode()
    except (TypeError, ValueError):
        return None
    entry = db.session.scalar(
        select(BoardEntry).where(BoardEntry.vote_id == vote.id, BoardEntry.ballot == text)
    )
    if entry is None:
        return None
    return Receipt(
        entry.seq, entry.tracker, crypto_short(entry.tracker), entry.chain, repeated=True
    )


def crypto_short(tracker_hex: str) -> str:
    """The short receipt code ("ABCD-EFGH") of a tracker stored as hex."""
    return short_code(bytes.fromhex(tracker_hex))


def cast_ballot(vote_id: int, typed_code: object, ballot_doc: object) -> Receipt:
    """Verify a ballot, use its code and put it on the board, in one transaction.

    The proofs are checked before the transaction; inside it, the first statement bumps
    the vote's ballot counter, which takes the write lock (SQLite) or the vote's row lock
    (PostgreSQL), so casts on one vote are serialised and a code is used exactly once. A
    retry of the same ballot with the same code returns the same receipt. Raises
    VoteError, after rolling back, for anything refused.
    """
    vote = db.session.get(ConfidenceVote, vote_id)
    if vote is None:
        raise VoteError("unknown_vote", 404)
    require_open(vote)
    hashed = code_hash(vote, typed_code)
    state = db.session.scalar(
        select(BallotCode.state).where(
            BallotCode.vote_id == vote.id, BallotCode.code_hash == hashed
        )
    )
    if state is CodeState.USED:
        # A retry of the very ballot this code cast gets its receipt back; anything else is
        # refused here, before any proof is checked (a replay costs a lookup, not a check).
        repeated = _receipt_of_same_ballot(vote, ballot_doc)
        if repeated is not None:
            return repeated
        raise code_error(state)
    if state is not CodeState.ISSUED:
        raise code_error(state)
    try:
        checked = check_ballot(
            manifest_text(vote), ballot_doc, current_app.config.get("VERIFY_PROCESSES")
        )
    except CryptoError as exc:
        raise VoteError("invalid_ballot", 400, reason=exc) from exc
    db.session.commit()  # end the read transaction; the write transaction starts below
    try:
        if db.engine.dialect.name == "sqlite":
            # SQLite has one writer: queue this process's writers here rather than in
            # SQLite's busy handler, whose sleeps would throttle a busy room.
            with _SQLITE_WRITER:
                return _append(vote_id, hashed, checked)
        return _append(vote_id, hashed, checked)
    except VoteError:
        db.session.rollback()
        raise
    except IntegrityError as exc:
        db.session.rollback()
        raise VoteError("duplicate_ciphertext", 400) from exc


_SQLITE_WRITER = threading.Lock()


def _append(vote_id: int, hashed: str, checked: Verified) -> Receipt:
    bumped = db.session.execute(
        update(ConfidenceVote)
        .where(ConfidenceVote.id == vote_id, ConfidenceVote.state == VoteState.OPEN)
        .values(ballots_cast=ConfidenceVote.ballots_cast + 1)
        .returning(ConfidenceVote.ballots_cast, ConfidenceVote.board_head)
    ).one_or_none()
    if bumped is None:
        raise VoteError("vote_closed", 409)
    seq, head = bumped
    used = db.session.execute(
        update(BallotCode)
        .where(
            BallotCode.vote_id == vote_id,
            BallotCode.code_hash == hashed,
            BallotCode.state == CodeState.ISSUED,
        )
        .values(state=CodeState.USED, holder_tag=None)
    )
    tracker = checked.tracker.hex()
    if used.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()  # another tablet won the race with this code
        vote = db.session.get_one(ConfidenceVote, vote_id)
        existing = _existing_receipt(vote, tracker)
        if existing is not None:
            return existing
        raise code_error(CodeState.USED)
    chain = crypto_board.chain_hash(bytes.fromhex(head or ""), checked.tracker, seq).hex()
    db.session.execute(
        insert(BoardEntry).values(
            vote_id=vote_id,
            seq=seq,
            tracker=tracker,
            chain=chain,
            ballot=canonical_json(checked.doc).decode(),
        )
    )
    db.session.execute(
        insert(BoardPoint), [{"vote_id": vote_id, "point": p.hex()} for p in checked.points]
    )
    db.session.execute(
        update(ConfidenceVote).where(ConfidenceVote.id == vote_id).values(board_head=chain)
    )
    db.session.commit()  # the ballot is durable before the receipt is shown
    return Receipt(seq, tracker, checked.short_code, chain)


def board_entries(vote: ConfidenceVote) -> list[BoardEntry]:
    return list(
        db.session.scalars(
            select(BoardEntry).where(BoardEntry.vote_id == vote.id).order_by(BoardEntry.seq)
        )
    )
