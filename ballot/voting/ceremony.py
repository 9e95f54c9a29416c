"""The key ceremony, relayed through the server: commitments, encrypted shares, the manifest."""

from __future__ import annotations

from typing import Any

from ballot.auth.models import User
from ballot.crypto.dkg import ceremony_id, check_commit, check_commits, check_done, share_route
from ballot.crypto.errors import CryptoError, EncodingError
from ballot.crypto.manifest import build_manifest, fingerprint
from ballot.db import db
from ballot.voting.election_setup import manifest_rules
from ballot.voting.errors import VoteError
from ballot.voting.models import (
    ConfidenceVote,
    VoteState,
    VoteTrustee,
)
from ballot.voting.setup import require_state


def ceremony_id_of(vote: ConfidenceVote) -> bytes:
    return ceremony_id(vote.public_id, vote.threshold, [t.full_name for t in vote.trustees])


def trustee_for(vote: ConfidenceVote, user: User) -> VoteTrustee:
    for trustee in vote.trustees:
        if trustee.user_id == user.id:
            return trustee
    raise VoteError("not_a_trustee", 403)


def post_commit(vote: ConfidenceVote, trustee: VoteTrustee, message: object) -> None:
    """Store a member's "dkg/commit" message (step 1 of the ceremony), once: exactly the
    keys of protocol §6.2, every field checked (type, range, hex length, points, proof)."""
    require_state(vote, VoteState.CEREMONY)
    if trustee.commit_message is not None:
        raise VoteError("already_sent")
    try:
        commit = check_commit(ceremony_id_of(vote), vote.threshold, vote.trustee_count, message)
    except CryptoError as exc:
        raise VoteError("bad_commit", 400, reason=exc) from exc
    except ValueError as exc:
        reason = EncodingError(str(exc), "dữ liệu cam kết sai định dạng")
        raise VoteError("bad_commit", 400, reason=reason) from exc
    if commit.index != trustee.index:
        raise VoteError("commit_for_other", 400)
    trustee.commit_message = message  # type: ignore[assignment]  # checked: a dict
    db.session.flush()


def commit_messages(vote: ConfidenceVote) -> list[dict[str, Any]] | None:
    """All n commit messages in index order, or None while some are missing."""
    messages = [t.commit_message for t in vote.trustees]
    if any(m is None for m in messages):
        return None
    return messages  # type: ignore[return-value]


def post_shares(vote: ConfidenceVote, trustee: VoteTrustee, messages: object) -> None:
    """Store a member's encrypted shares for the others (step 2); the server cannot read them,
    but checks every field of every message (§6.3): exactly one per other member, from this
    member, for this ceremony, a valid ephemeral point and a 48-byte ciphertext."""
    require_state(vote, VoteState.CEREMONY)
    if commit_messages(vote) is None:
        raise VoteError("commits_missing")
    if not isinstance(messages, list):
        raise VoteError("bad_shares_list", 400)
    others = sorted(t.index for t in vote.trustees if t.index != trustee.index)
    if len(messages) != len(others):
        raise VoteError("bad_shares", 400)
    cid = ceremony_id_of(vote)
    targets = []
    for number, message in enumerate(messages, start=1):
        try:
            sender, target = share_route(cid, vote.trustee_count, message)
        except CryptoError as exc:
            raise VoteError("bad_share_message", 400, number=number, reason=exc) from exc
        if sender != trustee.index:
            raise VoteError("share_for_other", 400, number=number)
        targets.append(target)
    if sorted(targets) != others:
        raise VoteError("bad_shares", 400)
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


def post_done(vote: ConfidenceVote, trustee: VoteTrustee, message: object) -> None:
    """Record that a member checked their shares and holds their key (§6.4: exactly the
    keys of "dkg/done", the transcript, K and this member's V_y); freeze the manifest when
    every member has done so."""
    require_state(vote, VoteState.CEREMONY)
    commits = commit_messages(vote)
    if commits is None:
        raise VoteError("ceremony_incomplete")
    cid = ceremony_id_of(vote)
    try:
        checked = check_commits(cid, vote.threshold, vote.trustee_count, commits)
    except CryptoError as exc:
        raise VoteError("bad_ceremony", 400, reason=exc) from exc
    try:
        sender = check_done(cid, checked, message)
    except CryptoError as exc:
        raise VoteError("bad_done_message", 400, reason=exc) from exc
    if sender != trustee.index:
        raise VoteError("done_for_other", 400)
    trustee.done_message = message  # type: ignore[assignment]  # checked: a dict
    # Members finish at nearly the same moment: decide "everyone is done" on current rows, not
    # on the ones loaded before another member's "done" was committed. The flush takes SQLite's
    # write lock (other writers wait); PostgreSQL waits on the vote's row lock.
    db.session.flush()
    db.session.refresh(vote, with_for_update=True)
    for other in vote.trustees:
        db.session.refresh(other)
    if all(t.done_message is not None for t in vote.trustees):
        manifest = manifest_for(vote, commits)
        vote.manifest = manifest
        vote.fingerprint = fingerprint(manifest).hex()
        vote.board_head = vote.fingerprint
        vote.state = VoteState.READY
    db.session.flush()


def manifest_for(vote: ConfidenceVote, commits: list[dict[str, Any]]) -> dict[str, Any]:
    """Build the manifest from the vote's setup and the ceremony's commitments."""
    try:
        return build_manifest(
            vote_id=vote.public_id,
            title=vote.title,
            conference=f"{vote.conference.name}, {vote.conference.held_on.strftime('%d/%m/%Y')}",
            subjects=[(s.full_name, s.position) for s in vote.subjects],
            levels=[(code, label) for code, label in vote.levels],
            rules=manifest_rules(vote),
            trustees=[t.full_name for t in vote.trustees],
            threshold=vote.threshold,
            commit_messages=commits,
        )
    except CryptoError as exc:
        raise VoteError("bad_ceremony", 400, reason=exc) from exc


def reset_ceremony(vote: ConfidenceVote) -> None:
    """Start the key ceremony again (after a complaint or a lost device)."""
    require_state(vote, VoteState.CEREMONY)
    for trustee in vote.trustees:
        trustee.commit_message = None
        trustee.share_messages = None
        trustee.done_message = None
    db.session.flush()
