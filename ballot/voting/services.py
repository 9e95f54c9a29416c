"""Vote operations: they flush, never commit (the request or command commits once)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from ballot.auth.models import User
from ballot.crypto import board as crypto_board
from ballot.crypto.ballot import short_code
from ballot.crypto.context import ElectionContext
from ballot.crypto.dkg import ceremony_id, check_commit
from ballot.crypto.elgamal import Ciphertext
from ballot.crypto.encoding import canonical_json
from ballot.crypto.errors import CryptoError
from ballot.crypto.group import Point
from ballot.crypto.manifest import build_manifest, fingerprint
from ballot.crypto.record import build_record
from ballot.crypto.tally import aggregate, aggregate_to_json, tally, verify_share
from ballot.db import db, utcnow
from ballot.labels import POSITION_VI
from ballot.org.models import Committee, CommitteeKind, Conference
from ballot.voting import codes
from ballot.voting.errors import VoteError, wrong_state
from ballot.voting.models import (
    BallotCode,
    BoardEntry,
    BoardPoint,
    CodeState,
    ConfidenceVote,
    VoteState,
    VoteSubject,
    VoteTrustee,
    VoteVoter,
)
from ballot.voting.rules import LEVELS_96, VoteRules, low_confidence_flag
from ballot.voting.verifier import Verified, check_ballot, context_for

# --- setup -----------------------------------------------------------------------------


def rules_of(vote: ConfidenceVote) -> VoteRules:
    """The rules recorded with `vote`."""
    return VoteRules(
        quorum=Fraction(vote.quorum_num, vote.quorum_den),
        consider=Fraction(vote.consider_num, vote.consider_den),
        dismiss=Fraction(vote.dismiss_num, vote.dismiss_den),
        dismiss_inclusive=vote.dismiss_inclusive,
        blank_row_allowed=vote.blank_row_allowed,
    )


def create_vote(conference: Conference, title: str, rules: VoteRules | None = None,
                leave_off_member_ids: Sequence[int] = ()) -> ConfidenceVote:
    """Create a draft vote: summoned = the Executive Committee, subjects = the Standing
    Committee (minus `leave_off_member_ids`: retiring or newly appointed that year)."""
    rules = rules or VoteRules()
    vote = ConfidenceVote(
        public_id=str(uuid.uuid4()), conference_id=conference.id, title=title.strip(),
        quorum_num=rules.quorum.numerator, quorum_den=rules.quorum.denominator,
        consider_num=rules.consider.numerator, consider_den=rules.consider.denominator,
        dismiss_num=rules.dismiss.numerator, dismiss_den=rules.dismiss.denominator,
        dismiss_inclusive=rules.dismiss_inclusive, blank_row_allowed=rules.blank_row_allowed,
        levels=[list(level) for level in LEVELS_96], trustee_count=3, threshold=2,
    )
    db.session.add(vote)
    committees = {c.kind: c for c in db.session.scalars(
        select(Committee).where(Committee.organisation_id == conference.organisation_id))}
    executive = committees.get(CommitteeKind.EXECUTIVE)
    standing = committees.get(CommitteeKind.STANDING)
    if executive is not None:
        for rank, seat in enumerate(executive.seats, start=1):
            vote.voters.append(VoteVoter(rank=rank, member_id=seat.member_id, full_name=seat.member.full_name,
                                         position=POSITION_VI[seat.position]))
    if standing is not None:
        rank = 0
        for seat in standing.seats:
            if seat.member_id in leave_off_member_ids:
                continue
            rank += 1
            vote.subjects.append(VoteSubject(rank=rank, member_id=seat.member_id,
                                             full_name=seat.member.full_name,
                                             position=POSITION_VI[seat.position]))
    db.session.flush()
    return vote


def _require(vote: ConfidenceVote, *states: VoteState) -> None:
    if vote.state not in states:
        raise wrong_state(
            f"the vote is {vote.state.value}; this needs {' or '.join(s.value for s in states)}",
            "Thao tác này không thực hiện được ở giai đoạn hiện tại của cuộc bỏ phiếu.",
        )


def set_counting_committee(vote: ConfidenceVote, users: Sequence[User], chair: User, threshold: int) -> None:
    """Record the counting committee (in index order) and start the key ceremony."""
    _require(vote, VoteState.DRAFT, VoteState.CEREMONY)
    if not vote.subjects:
        raise VoteError("no_subjects", "the ballot lists nobody", "Phiếu chưa có người được lấy phiếu.")
    if len(users) < 1 or len({u.id for u in users}) != len(users):
        raise VoteError("bad_committee", "choose distinct counting-committee members",
                        "Hãy chọn các thành viên Ban kiểm phiếu khác nhau.", 400)
    if not 1 <= threshold <= len(users):
        raise VoteError("bad_threshold", "the threshold must be between 1 and the committee size",
                        "Số thành viên cần để giải mã phải từ 1 đến số thành viên Ban kiểm phiếu.", 400)
    if chair not in users:
        raise VoteError("bad_chair", "the chair must be a member of the committee",
                        "Trưởng ban phải là thành viên Ban kiểm phiếu.", 400)
    vote.trustees.clear()
    db.session.flush()
    for index, user in enumerate(users, start=1):
        vote.trustees.append(VoteTrustee(index=index, user_id=user.id, full_name=user.full_name,
                                         is_chair=user.id == chair.id))
    vote.trustee_count = len(users)
    vote.threshold = threshold
    vote.state = VoteState.CEREMONY
    db.session.flush()


def ceremony_id_of(vote: ConfidenceVote) -> bytes:
    return ceremony_id(vote.public_id, vote.threshold, [t.full_name for t in vote.trustees])


def trustee_for(vote: ConfidenceVote, user: User) -> VoteTrustee:
    for trustee in vote.trustees:
        if trustee.user_id == user.id:
            return trustee
    raise VoteError("not_a_trustee", "you are not on this vote's counting committee",
                    "Bạn không thuộc Ban kiểm phiếu của cuộc bỏ phiếu này.", 403)


def post_commit(vote: ConfidenceVote, trustee: VoteTrustee, message: dict[str, Any]) -> None:
    """Store a member's "dkg/commit" message (step 1 of the ceremony), once."""
    _require(vote, VoteState.CEREMONY)
    if trustee.commit_message is not None:
        raise VoteError("already_sent", "this member already sent their commitments",
                        "Thành viên này đã gửi cam kết.")
    try:
        check_commit(ceremony_id_of(vote), vote.threshold, vote.trustee_count, message)
    except (CryptoError, ValueError) as exc:
        raise VoteError("bad_commit", f"commitments refused: {exc}", "Cam kết không hợp lệ.", 400) from exc
    if message.get("from") != trustee.index:
        raise VoteError("bad_commit", "commitments sent for another member",
                        "Cam kết gửi thay cho thành viên khác.", 400)
    trustee.commit_message = message
    db.session.flush()


def commit_messages(vote: ConfidenceVote) -> list[dict[str, Any]] | None:
    """All n commit messages in index order, or None while some are missing."""
    messages = [t.commit_message for t in vote.trustees]
    if any(m is None for m in messages):
        return None
    return messages  # type: ignore[return-value]


def post_shares(vote: ConfidenceVote, trustee: VoteTrustee, messages: list[dict[str, Any]]) -> None:
    """Store a member's encrypted shares for the others (step 2); the server cannot read them."""
    _require(vote, VoteState.CEREMONY)
    if commit_messages(vote) is None:
        raise VoteError("commits_missing", "wait until every member has sent commitments",
                        "Hãy đợi mọi thành viên gửi cam kết.")
    expected = {t.index for t in vote.trustees} - {trustee.index}
    targets = sorted(int(m.get("to") or 0) for m in messages if isinstance(m, dict))
    if targets != sorted(expected) or any(m.get("from") != trustee.index for m in messages):
        raise VoteError("bad_shares", "one encrypted share per other member is expected",
                        "Cần đúng một phần khóa đã mã hóa cho mỗi thành viên khác.", 400)
    trustee.share_messages = messages
    db.session.flush()


def shares_for(vote: ConfidenceVote, trustee: VoteTrustee) -> list[dict[str, Any]] | None:
    """The encrypted shares addressed to `trustee`, once every other member has sent theirs."""
    inbox: list[dict[str, Any]] = []
    for other in vote.trustees:
        if other.index == trustee.index:
            continue
        if other.share_messages is None:
            return None
        inbox.extend(m for m in other.share_messages if m.get("to") == trustee.index)
    return inbox


def post_done(vote: ConfidenceVote, trustee: VoteTrustee, message: dict[str, Any]) -> None:
    """Record that a member checked their shares and holds their key; freeze the manifest
    when every member has done so."""
    _require(vote, VoteState.CEREMONY)
    commits = commit_messages(vote)
    if commits is None:
        raise VoteError("commits_missing", "the ceremony is not complete",
                        "Lễ tạo khóa chưa hoàn tất.")
    manifest = manifest_for(vote, commits)
    if (message.get("from") != trustee.index
            or message.get("public_key") != manifest["public_key"]
            or message.get("verification_key") != manifest["verification_keys"][trustee.index - 1]):
        raise VoteError("bad_done", "the member's key does not match the published commitments",
                        "Khóa của thành viên không khớp với các cam kết đã công bố.", 400)
    trustee.done_message = message
    if all(t.done_message is not None for t in vote.trustees):
        vote.manifest = manifest
        vote.fingerprint = fingerprint(manifest).hex()
        vote.board_head = vote.fingerprint
        vote.state = VoteState.READY
    db.session.flush()


def manifest_for(vote: ConfidenceVote, commits: list[dict[str, Any]]) -> dict[str, Any]:
    """Build the manifest from the vote's setup and the ceremony's commitments."""
    rules = rules_of(vote)
    try:
        return build_manifest(
            vote_id=vote.public_id, title=vote.title,
            conference=f"{vote.conference.name}, {vote.conference.held_on.strftime('%d/%m/%Y')}",
            subjects=[(s.full_name, s.position) for s in vote.subjects],
            levels=[(code, label) for code, label in vote.levels],
            rules=rules.as_manifest(), trustees=[t.full_name for t in vote.trustees],
            threshold=vote.threshold, commit_messages=commits,
        )
    except CryptoError as exc:
        raise VoteError("bad_ceremony", f"the ceremony failed: {exc.en}", f"Lễ tạo khóa lỗi: {exc.vi}", 400) from exc


def reset_ceremony(vote: ConfidenceVote) -> None:
    """Start the key ceremony again (after a complaint or a lost device)."""
    _require(vote, VoteState.CEREMONY)
    for trustee in vote.trustees:
        trustee.commit_message = None
        trustee.share_messages = None
        trustee.done_message = None
    db.session.flush()


# --- attendance, opening, codes -------------------------------------------------------------


@dataclass(frozen=True)
class Turnout:
    summoned: int
    present: int
    quorum_needed: int
    codes_held: int
    reissued: int
    cast: int

    @property
    def has_quorum(self) -> bool:
        return self.present >= self.quorum_needed


def turnout(vote: ConfidenceVote) -> Turnout:
    """Counts only: never anything about choices."""
    summoned = len(vote.voters)
    present = sum(1 for v in vote.voters if v.present)
    return Turnout(
        summoned=summoned, present=present, quorum_needed=rules_of(vote).quorum_needed(summoned),
        codes_held=sum(1 for v in vote.voters if v.has_code),
        reissued=sum(v.reissued for v in vote.voters), cast=vote.ballots_cast,
    )


def set_present(vote: ConfidenceVote, voter: VoteVoter, present: bool) -> None:
    """Mark a summoned member present or absent (not after closing; not once they hold a code)."""
    _require(vote, VoteState.DRAFT, VoteState.CEREMONY, VoteState.READY, VoteState.OPEN)
    if not present and voter.has_code:
        raise VoteError("holds_code", "this member already holds a ballot code",
                        "Đại biểu này đã nhận mã phiếu; không thể đánh dấu vắng mặt.")
    voter.present = present
    db.session.flush()


def open_vote(vote: ConfidenceVote) -> None:
    """Open the vote; refused below quorum or before the keys exist."""
    _require(vote, VoteState.READY)
    counts = turnout(vote)
    if not counts.has_quorum:
        raise VoteError(
            "no_quorum",
            f"quorum not reached: {counts.present} present, {counts.quorum_needed} needed",
            f"Chưa đủ số lượng: có mặt {counts.present}, cần ít nhất {counts.quorum_needed} "
            f"trên {counts.summoned} người được triệu tập.",
        )
    vote.state = VoteState.OPEN
    vote.opened_at = utcnow()
    db.session.flush()


def _code_key() -> str:
    return str(current_app.config["CODE_HASH_KEY"])


def issue_code(vote: ConfidenceVote, voter: VoteVoter) -> str:
    """Issue a one-time code to a present member; returns the code to print (never stored)."""
    _require(vote, VoteState.READY, VoteState.OPEN)
    if not voter.present:
        raise VoteError("not_present", "only members marked present receive a code",
                        "Chỉ đại biểu có mặt mới được nhận mã phiếu.")
    if voter.has_code:
        raise VoteError("has_code", "this member already holds a code; revoke it to reissue",
                        "Đại biểu đã nhận mã phiếu; muốn cấp lại hãy hủy mã cũ.")
    code = codes.new_code()
    normal = codes.normalise(code) or ""
    db.session.add(BallotCode(vote_id=vote.id, code_hash=codes.code_hash(_code_key(), vote.public_id, normal),
                              holder_tag=codes.holder_tag(_code_key(), vote.public_id, voter.id)))
    voter.has_code = True
    db.session.flush()
    return code


def revoke_and_reissue(vote: ConfidenceVote, voter: VoteVoter) -> str:
    """Revoke a member's lost, unused slip and issue a new code."""
    _require(vote, VoteState.READY, VoteState.OPEN)
    tag = codes.holder_tag(_code_key(), vote.public_id, voter.id)
    result = db.session.execute(
        update(BallotCode)
        .where(BallotCode.vote_id == vote.id, BallotCode.holder_tag == tag,
               BallotCode.state == CodeState.ISSUED)
        .values(state=CodeState.REVOKED, holder_tag=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise VoteError("nothing_to_revoke", "this member holds no unused code (it may have been used)",
                        "Đại biểu không có mã phiếu chưa dùng (có thể mã đã được dùng để bỏ phiếu).")
    voter.has_code = False
    voter.reissued += 1
    db.session.flush()
    return issue_code(vote, voter)


def _code_errors(state: CodeState | None) -> VoteError:
    if state is None:
        return VoteError("unknown_code", "no such ballot code for this vote",
                         "Mã phiếu không đúng hoặc không thuộc cuộc bỏ phiếu này.", 404)
    if state is CodeState.REVOKED:
        return VoteError("revoked_code", "this ballot code was revoked",
                         "Mã phiếu này đã bị hủy. Vui lòng liên hệ bàn tiếp đón.", 403)
    return VoteError("used_code", "this ballot code was already used",
                     "Mã phiếu này đã được dùng để bỏ phiếu.", 409)


def _hash_of(vote: ConfidenceVote, typed: object) -> str:
    normal = codes.normalise(typed) if isinstance(typed, str) else None
    if normal is None:
        raise VoteError("mistyped_code", "the code is mistyped (its check symbol does not match)",
                        "Mã phiếu gõ chưa đúng (ký tự kiểm tra không khớp). Vui lòng kiểm tra lại.", 400)
    return codes.code_hash(_code_key(), vote.public_id, normal)


def check_code(vote: ConfidenceVote, typed: object) -> None:
    """Tell the booth whether a code can be used now, without using it."""
    _require_open(vote)
    state = db.session.scalar(select(BallotCode.state).where(
        BallotCode.vote_id == vote.id, BallotCode.code_hash == _hash_of(vote, typed)))
    if state is not CodeState.ISSUED:
        raise _code_errors(state)


def _require_open(vote: ConfidenceVote) -> None:
    if vote.state is VoteState.OPEN:
        return
    if vote.state in (VoteState.CLOSED, VoteState.COUNTED):
        raise VoteError("vote_closed", "the vote is closed", "Cuộc bỏ phiếu đã kết thúc.", 409)
    raise VoteError("vote_not_open", "the vote is not open yet", "Cuộc bỏ phiếu chưa mở.", 409)


# --- casting --------------------------------------------------------------------------------


def manifest_text(vote: ConfidenceVote) -> str:
    """The vote's frozen manifest as canonical JSON text (the key of the context caches)."""
    if vote.manifest is None or vote.fingerprint is None:
        raise wrong_state("the keys do not exist yet", "Chưa có khóa của cuộc bỏ phiếu.")
    # A manifest never changes once its fingerprint exists, so (vote, fingerprint) keys it.
    key = (vote.id, vote.fingerprint)
    if key not in _manifest_texts:
        _manifest_texts[key] = canonical_json(vote.manifest).decode()
    return _manifest_texts[key]


_manifest_texts: dict[tuple[int, str], str] = {}


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
        return {"seq": self.seq, "tracker": self.tracker, "short_code": self.short_code,
                "chain": self.chain, "repeated": self.repeated}


def _existing_receipt(vote: ConfidenceVote, tracker: str) -> Receipt | None:
    entry = db.session.scalar(select(BoardEntry).where(BoardEntry.vote_id == vote.id,
                                                       BoardEntry.tracker == tracker))
    if entry is None:
        return None
    return Receipt(entry.seq, entry.tracker, crypto_short(entry.tracker), entry.chain, repeated=True)


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
        raise VoteError("unknown_vote", "no such vote", "Không tìm thấy cuộc bỏ phiếu.", 404)
    _require_open(vote)
    hashed = _hash_of(vote, typed_code)
    state = db.session.scalar(select(BallotCode.state).where(BallotCode.vote_id == vote.id,
                                                             BallotCode.code_hash == hashed))
    if state is None or state is CodeState.REVOKED:
        raise _code_errors(state)
    try:
        checked = check_ballot(manifest_text(vote), ballot_doc, current_app.config.get("VERIFY_PROCESSES"))
    except CryptoError as exc:
        raise VoteError("invalid_ballot", f"the ballot was refused: {exc.en}",
                        f"Phiếu bị từ chối: {exc.vi}", 400) from exc
    tracker = checked.tracker.hex()
    if state is CodeState.USED:
        existing = _existing_receipt(vote, tracker)
        if existing is not None:
            return existing
        raise _code_errors(state)
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
        raise VoteError("duplicate_ciphertext", "the ballot repeats a ciphertext already on the board",
                        "Phiếu lặp lại dữ liệu mã hóa đã có trên bảng phiếu.", 400) from exc


_SQLITE_WRITER = threading.Lock()


def _append(vote_id: int, hashed: str, checked: Verified) -> Receipt:
    bumped = db.session.execute(
        update(ConfidenceVote).where(ConfidenceVote.id == vote_id, ConfidenceVote.state == VoteState.OPEN)
        .values(ballots_cast=ConfidenceVote.ballots_cast + 1)
        .returning(ConfidenceVote.ballots_cast, ConfidenceVote.board_head)
    ).one_or_none()
    if bumped is None:
        raise VoteError("vote_closed", "the vote is closed", "Cuộc bỏ phiếu đã kết thúc.", 409)
    seq, head = bumped
    used = db.session.execute(
        update(BallotCode)
        .where(BallotCode.vote_id == vote_id, BallotCode.code_hash == hashed, BallotCode.state == CodeState.ISSUED)
        .values(state=CodeState.USED, holder_tag=None)
    )
    tracker = checked.tracker.hex()
    if used.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()  # another tablet won the race with this code
        vote = db.session.get_one(ConfidenceVote, vote_id)
        existing = _existing_receipt(vote, tracker)
        if existing is not None:
            return existing
        raise _code_errors(CodeState.USED)
    chain = crypto_board.chain_hash(bytes.fromhex(head or ""), checked.tracker, seq).hex()
    db.session.execute(insert(BoardEntry).values(
        vote_id=vote_id, seq=seq, tracker=tracker, chain=chain,
        ballot=canonical_json(checked.doc).decode()))
    db.session.execute(insert(BoardPoint), [{"vote_id": vote_id, "point": p.hex()}
                                            for p in checked.points])
    db.session.execute(update(ConfidenceVote).where(ConfidenceVote.id == vote_id).values(board_head=chain))
    db.session.commit()  # the ballot is durable before the receipt is shown
    return Receipt(seq, tracker, checked.short_code, chain)


# --- closing, decryption, results -------------------------------------------------------------


def board_entries(vote: ConfidenceVote) -> list[BoardEntry]:
    return list(db.session.scalars(select(BoardEntry).where(BoardEntry.vote_id == vote.id)
                                   .order_by(BoardEntry.seq)))


def _grid(vote: ConfidenceVote) -> list[Any]:
    ctx = context_of(vote)
    ballots = [
        [[Ciphertext(Point.from_hex(ct["a"]), Point.from_hex(ct["b"])) for ct in row["cts"]]
         for row in json.loads(entry.ballot)["rows"]]
        for entry in board_entries(vote)
    ]
    return aggregate(ctx, ballots)


def _closed_grid(vote: ConfidenceVote) -> list[Any]:
    """The aggregate frozen at closing (the sum of the whole board), read back."""
    if vote.aggregate is None:
        return _grid(vote)

    def point(text: str) -> Point:
        return Point.from_bytes_or_identity(bytes.fromhex(text))

    return [[Ciphertext(point(c["a"]), point(c["b"])) for c in row] for row in vote.aggregate]


def close_vote(vote: ConfidenceVote) -> None:
    """Close the vote: no ballot accepted after; freeze the board and its closing hash."""
    _require(vote, VoteState.OPEN)
    db.session.execute(update(ConfidenceVote).where(ConfidenceVote.id == vote.id)
                       .values(state=VoteState.CLOSED))
    db.session.refresh(vote)
    counts = turnout(vote)
    issued = db.session.scalar(select(func.count()).select_from(BallotCode).where(
        BallotCode.vote_id == vote.id, BallotCode.state != CodeState.REVOKED)) or 0
    attendance = crypto_board.Attendance(counts.summoned, counts.present, issued)
    head = bytes.fromhex(vote.board_head or vote.fingerprint or "")
    block = {"count": vote.ballots_cast, "head": head.hex(),
             "hash": crypto_board.closing_hash(head, vote.ballots_cast, attendance).hex(),
             "attendance": attendance.to_json()}
    vote.closing = block
    vote.closed_at = utcnow()
    vote.aggregate = aggregate_to_json(_grid(vote))
    # Rewrite every code row of the vote in this one transaction: on PostgreSQL a used code's
    # row would otherwise keep the transaction id (xmin) of the cast that also wrote its
    # board entry, tying the two together. Run `scrub_storage()` after the commit.
    db.session.execute(update(BallotCode).where(BallotCode.vote_id == vote.id)
                       .values(state=BallotCode.state))
    db.session.flush()


def scrub_storage() -> None:
    """After closing is committed: VACUUM, so that neither dead row versions (PostgreSQL) nor
    the free space left in pages by the order codes were used (SQLite) remain on disk."""
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                conn.exec_driver_sql("VACUUM ballot_code")
    except OperationalError as exc:  # the vote is closed either way; backups VACUUM too
        current_app.logger.warning("storage scrub after closing did not run: %s", exc)


def submit_share(vote: ConfidenceVote, trustee: VoteTrustee, share: object) -> list[int] | None:
    """Check a member's decryption share against the aggregate of the whole closed board;
    once t valid shares are in, decrypt the counts. Returns the counts when decrypted."""
    _require(vote, VoteState.CLOSED)
    if not isinstance(share, dict) or share.get("index") != trustee.index:
        raise VoteError("bad_share", "the share is not this member's",
                        "Phần giải mã không phải của thành viên này.", 400)
    ctx = context_of(vote)
    grid = _closed_grid(vote)

    try:
        verify_share(ctx, grid, share)
    except CryptoError as exc:
        raise VoteError("invalid_share", f"the decryption share was refused: {exc.en}",
                        f"Phần giải mã bị từ chối: {exc.vi}", 400) from exc
    trustee.decryption_share = share
    db.session.flush()
    shares = [t.decryption_share for t in vote.trustees if t.decryption_share is not None]
    if len(shares) < vote.threshold:
        return None
    result = tally(ctx, grid, shares, vote.ballots_cast)
    vote.counts = result.counts
    vote.state = VoteState.COUNTED
    vote.counted_at = utcnow()
    db.session.flush()
    return result.counts  # type: ignore[return-value]


@dataclass(frozen=True)
class SubjectResult:
    rank: int
    full_name: str
    position: str
    received: int
    counts: list[int]
    flag: str | None

    @property
    def valid(self) -> int:
        return sum(self.counts)

    @property
    def invalid(self) -> int:
        return self.received - self.valid


def results(vote: ConfidenceVote) -> list[SubjectResult]:
    """Per subject: received, counts per level, valid, invalid and the regulation's flag."""
    if vote.state is not VoteState.COUNTED or vote.counts is None:
        raise VoteError("no_results", "the results are not decrypted yet",
                        "Chưa có kết quả: cần đủ số thành viên Ban kiểm phiếu giải mã.", 409)
    rules = rules_of(vote)
    low = [code for code, _ in vote.levels].index("low")
    out = []
    for subject, row in zip(vote.subjects, vote.counts, strict=True):
        out.append(SubjectResult(subject.rank, subject.full_name, subject.position, vote.ballots_cast,
                                 list(row), low_confidence_flag(rules, row[low], vote.ballots_cast)))
    return out


def election_record(vote: ConfidenceVote) -> dict[str, Any]:
    """The published, verifiable record of a counted vote."""
    if vote.state is not VoteState.COUNTED or vote.manifest is None or vote.closing is None:
        raise VoteError("no_results", "the record exists once the results are decrypted",
                        "Hồ sơ chỉ có sau khi kết quả được giải mã.", 409)
    ctx = context_of(vote)
    grid = _closed_grid(vote)
    shares = [t.decryption_share for t in vote.trustees if t.decryption_share is not None]
    tally_result = tally(ctx, grid, shares, vote.ballots_cast)
    attendance = crypto_board.Attendance(**vote.closing["attendance"])
    entries = [{"seq": e.seq, "tracker": e.tracker, "chain": e.chain, "ballot": json.loads(e.ballot)}
               for e in board_entries(vote)]
    return build_record(vote.manifest, attendance, entries, grid, tally_result)
