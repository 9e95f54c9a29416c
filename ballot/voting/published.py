"""The published record as the one source of every result the app shows or prints.

The results page, the projector, the API, the minutes and every export read their counts
from `verified_record(vote)`: the election record is rebuilt from the closed board, the
aggregate and the decryption shares, checked end to end (`ballot.crypto.record`), and only
then compared with what the database stores. If anything stored (the counts, the number of
ballots, the closing block, the fingerprint, the roll's attendance) disagrees with what the
record proves, every output refuses with `record_mismatch` and the refusal is written to the
audit log. The full check runs once per closing hash and stored inputs (a digest of the
manifest, every board entry, the closing block, the aggregate and the shares); later calls
compare the stored values with the cached proof, or refuse again with the cached reason, so
pages, and a projector polling a tampered vote, stay fast.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from flask import g, has_request_context
from flask_babel import get_locale
from sqlalchemy import select

from ballot.crypto import board as crypto_board
from ballot.crypto.election_record import build_election_record, verify_election_record
from ballot.crypto.elgamal import Ciphertext
from ballot.crypto.encoding import canonical_json
from ballot.crypto.errors import CryptoError
from ballot.crypto.group import Point
from ballot.crypto.record import build_record, verify_record
from ballot.crypto.tally import aggregate, tally
from ballot.db import db
from ballot.voting.casting import board_entries, context_of
from ballot.voting.errors import VoteError
from ballot.voting.models import BoardEntry, ConfidenceVote, VoteState


def _ciphertext(ct: dict[str, str]) -> Ciphertext:
    return Ciphertext(Point.from_hex(ct["a"]), Point.from_hex(ct["b"]))


def board_grid(vote: ConfidenceVote) -> list[Any]:
    """The sum of the board's ballots: subjects × levels for a confidence vote; for an
    election, candidates × 1 (protocol §10.7: the candidates' ciphertexts, not the range)."""
    ctx = context_of(vote)
    docs = [json.loads(entry.ballot) for entry in board_entries(vote)]
    if vote.is_election:  # one row of one cell per candidate
        return aggregate(ctx, [[[_ciphertext(ct)] for ct in doc["cts"]] for doc in docs])
    rows = [[[_ciphertext(ct) for ct in row["cts"]] for row in doc["rows"]] for doc in docs]
    return aggregate(ctx, rows)


def closed_board_grid(vote: ConfidenceVote) -> list[Any]:
    """The aggregate frozen at closing (the sum of the whole board), read back."""
    if vote.aggregate is None:
        return board_grid(vote)

    def point(text: str) -> Point:
        return Point.from_bytes_or_identity(bytes.fromhex(text))

    return [[Ciphertext(point(c["a"]), point(c["b"])) for c in row] for row in vote.aggregate]


def election_record(vote: ConfidenceVote) -> dict[str, Any]:
    """The published, verifiable record of a counted vote."""
    if vote.state is not VoteState.COUNTED or vote.manifest is None or vote.closing is None:
        raise VoteError("no_record", 409)
    ctx = context_of(vote)
    grid = closed_board_grid(vote)
    shares = [t.decryption_share for t in vote.trustees if t.decryption_share is not None]
    tally_result = tally(ctx, grid, shares, vote.ballots_cast)
    attendance = crypto_board.Attendance(**vote.closing["attendance"])
    entries = [
        {"seq": e.seq, "tracker": e.tracker, "chain": e.chain, "ballot": json.loads(e.ballot)}
        for e in board_entries(vote)
    ]
    build = build_election_record if vote.is_election else build_record
    return build(vote.manifest, attendance, entries, grid, tally_result)


_CACHE_SIZE = 32
_cache: OrderedDict[str, tuple[str, VerifiedRecord | Refusal]] = OrderedDict()
_lock = Lock()
_proving: dict[str, Lock] = {}


@dataclass(frozen=True)
class VerifiedRecord:
    """What the checked record proves, and the exact bytes published as the record file."""

    data: bytes  #: the record file, byte for byte as the API and `ballot votes record` serve it
    sha256: str  #: SHA-256 of `data`, printed in the minutes
    fingerprint: str  #: the election (manifest) fingerprint
    closing_hash: str  #: the hash that anchors the closed board
    received: int  #: ballots on the board
    counts: tuple[tuple[int, ...], ...]  #: per subject, per level, as decrypted
    summoned: int
    present: int
    issued: int


def record_bytes(record: dict[str, Any]) -> bytes:
    """The one serialisation of a record (sorted keys, UTF-8, one-space indent, final newline)."""
    return (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def _inputs_key(vote: ConfidenceVote) -> tuple[str, str]:
    """The closing hash, and a digest of everything else stored that the record is built
    from (the manifest, every board entry, the closing block, the aggregate, the shares): a
    change to any of them, such as a board row edited after counting, makes the record be
    checked again on the next request instead of at the next restart."""
    shares = [t.decryption_share for t in vote.trustees if t.decryption_share is not None]
    stored = canonical_json(
        {
            "closing": vote.closing,
            "aggregate": vote.aggregate,
            "shares": shares,
            "manifest_fingerprint": vote.fingerprint,
            "manifest": vote.manifest,
        }
    )
    digest = hashlib.sha256(stored)
    rows = db.session.execute(
        select(BoardEntry.seq, BoardEntry.tracker, BoardEntry.chain, BoardEntry.ballot)
        .where(BoardEntry.vote_id == vote.id)
        .order_by(BoardEntry.seq)
    )
    for seq, tracker, chain, ballot in rows:
        digest.update(f"\n{seq}\x1f{tracker}\x1f{chain}\x1f".encode())
        digest.update(ballot.encode())
    closing = str((vote.closing or {}).get("hash", ""))
    return f"{vote.public_id}:{closing}", digest.hexdigest()


class Detail:
    """What differs, in both languages; printed in the reader's (a VoteError parameter)."""

    def __init__(self, en: str, vi: str) -> None:
        self.en, self.vi = en, vi

    def __str__(self) -> str:
        locale = get_locale()
        return self.vi if locale is None or locale.language == "vi" else self.en


def refuse(vote: ConfidenceVote, reason: str, en: str, vi: str) -> VoteError:
    """Write the refusal to the audit log in its own commit, and return the error to raise."""
    from ballot import audit  # the audit service imports voting models' neighbours lazily

    db.session.rollback()
    actor = g.get("user") if has_request_context() else None
    audit.record(
        actor,
        "results.refused",
        f"vote:{vote.public_id}",
        {"reason": reason, "detail": en},
    )
    db.session.commit()
    return VoteError("record_mismatch", 409, detail=Detail(en, vi))


@dataclass(frozen=True)
class Refusal:
    """Why the stored inputs do not make a valid record (kept like a proof, so that a
    projector polling a tampered vote does not check the whole record again each time)."""

    reason: str
    en: str
    vi: str


def _prove(vote: ConfidenceVote) -> VerifiedRecord | Refusal:
    try:
        record = election_record(vote)
    except CryptoError as exc:
        return Refusal("record_unbuildable", exc.en, exc.vi)
    data = record_bytes(record)
    verify = verify_election_record if vote.is_election else verify_record
    report = verify(json.loads(data))
    failure = report.failure
    if failure is not None or report.counts is None:
        en = f"step {failure.step}: {failure.detail_en}" if failure else "no counts"
        vi = f"bước {failure.step}: {failure.detail_vi}" if failure else "không có số liệu"
        return Refusal("record_invalid", en, vi)
    attendance = record["attendance"]
    return VerifiedRecord(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        fingerprint=record["fingerprint"],
        closing_hash=record["closing"]["hash"],
        received=record["closing"]["count"],
        counts=tuple(tuple(row) for row in report.counts),
        summoned=attendance["summoned"],
        present=attendance["present"],
        issued=attendance["issued"],
    )


def _compare(vote: ConfidenceVote, proof: VerifiedRecord) -> None:
    """Refuse when anything stored disagrees with what the record proves."""
    closing = vote.closing or {}
    stored_counts = tuple(tuple(row) for row in (vote.counts or []))
    checks = [
        ("counts", stored_counts == proof.counts, "the counts", "số phiếu từng mức"),
        (
            "ballots_cast",
            vote.ballots_cast == proof.received,
            "the number of ballots received",
            "số phiếu thu về",
        ),
        (
            "closing",
            closing.get("hash") == proof.closing_hash and closing.get("count") == proof.received,
            "the closing hash",
            "mã băm khóa sổ",
        ),
        ("fingerprint", vote.fingerprint == proof.fingerprint, "the fingerprint", "dấu vân tay"),
        (
            "roll",
            len(vote.voters) == proof.summoned
            and sum(1 for v in vote.voters if v.present) == proof.present,
            "the attendance on the roll",
            "số người triệu tập, có mặt trong danh sách",
        ),
    ]
    for reason, ok, en, vi in checks:
        if not ok:
            raise refuse(vote, f"stored_{reason}", f"{en} differ", f"{vi} bị sai lệch")


def verified_record(vote: ConfidenceVote, missing: str = "no_results") -> VerifiedRecord:
    """The checked record of a counted vote (VoteError `missing` before counting: no_results,
    or no_record for the record's own download; `record_mismatch` if the database disagrees
    with the record)."""
    if vote.state is not VoteState.COUNTED or vote.counts is None:
        raise VoteError(missing, 409)
    key, inputs = _inputs_key(vote)
    with _lock:
        cached = _cache.get(key)
        proving = _proving.setdefault(key, Lock())
    if cached is None or cached[0] != inputs:
        # One request checks the record (a 300 × 40 election takes seconds); the projector's
        # and the pages' requests arriving meanwhile wait for its proof instead of redoing it.
        with proving:
            with _lock:
                cached = _cache.get(key)
            if cached is None or cached[0] != inputs:
                cached = (inputs, _prove(vote))
                with _lock:
                    _cache[key] = cached
                    _cache.move_to_end(key)
                    while len(_cache) > _CACHE_SIZE:
                        _cache.popitem(last=False)
    proof = cached[1]
    if isinstance(proof, Refusal):
        raise refuse(vote, proof.reason, proof.en, proof.vi)
    _compare(vote, proof)
    return proof


def forget_cache() -> None:
    """Drop every cached proof (tests; a restore from backup)."""
    with _lock:
        _cache.clear()
