"""JSON API v1: what the booth, the counting committee's devices and outside tools use.

Errors are JSON: {"error": {"code": stable_code, "message": English, "message_vi": Vietnamese}}.
The booth's endpoints authenticate with the ballot code alone (no session), so they are
exempt from CSRF; the counting committee's need a logged-in member and the CSRF header.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy import select

from ballot import audit
from ballot.auth import throttle
from ballot.auth.models import Role
from ballot.crypto.encoding import parse_json
from ballot.crypto.errors import EncodingError
from ballot.db import db
from ballot.extensions import csrf
from ballot.logs import log_event
from ballot.voting import casting, ceremony, counting, desk, publication
from ballot.voting.election_results import election_results, results_json
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.published import verified_record
from ballot.web.access import may_see_results

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)

#: Largest accepted JSON body for a ballot (a 6 × 3 ballot is about 6 KB; 50 × 4 about 70 KB).
MAX_BODY = 512 * 1024


def vote_or_404(public_id: str) -> ConfidenceVote:
    vote = db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.public_id == public_id))
    if vote is None:
        raise VoteError("unknown_vote", 404)
    return vote


def json_body() -> dict[str, Any]:
    """The request's JSON object, parsed strictly (protocol §2.1: duplicate keys, 1.0 for an
    integer, integers beyond ±(2^53 − 1) refused), or a VoteError for anything else."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise VoteError("too_large", 413)
    data: Any = None
    if request.is_json:
        try:
            data = parse_json(request.get_data(cache=True))
        except EncodingError as exc:
            raise VoteError("bad_json", 400) from exc
    if not isinstance(data, dict):
        raise VoteError("bad_json", 400)
    return data


def _require_trustee_user() -> Any:
    user = g.get("user")
    if user is None:
        raise VoteError("login_required", 401)
    if user.role is not Role.COUNTING:
        raise VoteError("forbidden", 403)
    return user


def _take_code_attempt() -> str:
    """Take one attempt from this device's code-guessing budget (CODE_RATE_LIMIT, shared by
    /codes/check and /ballots): every refusal keeps it (unknown, mistyped, used, revoked
    codes, bad ballots), a success gives it back. 429 when spent, before any lookup."""
    key = f"code-address:{request.remote_addr or ''}"
    rule = throttle.Window.parse(current_app.config["CODE_RATE_LIMIT"])
    decision = throttle.take(key, rule)
    if not decision.allowed:
        raise VoteError("too_many_attempts", 429, seconds=decision.retry_after)
    return key


def _results_allowed(vote: ConfidenceVote) -> None:
    """The results policy (ballot.voting.publication): 409 before they exist, 403 before the
    chair publishes them unless the logged-in role may see them in the room."""
    if vote.state is not VoteState.COUNTED:
        counting.results(vote)  # raises the usual 409
    if not may_see_results(vote):
        raise publication.not_published()


#: The log's name for a refused request to each endpoint that changes something.
REFUSAL_EVENTS = {"api.cast": "cast.refused", "api.check_code": "code_check.refused"}


@bp.after_request
def log_refusal(response: Any) -> Any:
    """Log every refused POST (a cast above all) with its error code and status: never the
    ballot code, the ballot or the body. Accepted casts are not logged (see ballot/logs.py)."""
    if request.method == "POST" and response.status_code >= 400:
        error = "unknown"
        if response.is_json:
            error = str(((response.get_json(silent=True) or {}).get("error") or {}).get("code"))
        log_event(
            log,
            REFUSAL_EVENTS.get(request.endpoint or "", "api.refused"),
            logging.WARNING if response.status_code >= 500 else logging.INFO,
            endpoint=request.endpoint or request.path.split("/")[-1],
            vote=(request.view_args or {}).get("public_id"),
            error=error,
            status=response.status_code,
        )
    return response


# --- public and booth ------------------------------------------------------------------------


@bp.get("/votes")
def list_votes():
    """List votes with their state and counts (no choices, no codes)."""
    votes = db.session.scalars(select(ConfidenceVote).order_by(ConfidenceVote.id))
    return jsonify(votes=[desk.vote_summary(v) for v in votes])


@bp.get("/votes/<public_id>")
def vote_status(public_id: str):
    """A vote's state and turnout (what the projector and the consoles poll)."""
    return jsonify(desk.vote_summary(vote_or_404(public_id)))


@bp.get("/votes/<public_id>/manifest")
def manifest(public_id: str):
    """The frozen manifest and its fingerprint (the booth re-computes the fingerprint)."""
    vote = vote_or_404(public_id)
    if vote.manifest is None:
        raise VoteError("no_manifest", 409)
    return jsonify(manifest=vote.manifest, fingerprint=vote.fingerprint, state=vote.state.value)


@bp.post("/votes/<public_id>/codes/check")
@csrf.exempt
def check_code(public_id: str):
    """Say whether a ballot code can be used now, without using it."""
    attempt = _take_code_attempt()
    vote = vote_or_404(public_id)
    casting.check_code(vote, json_body().get("code"))
    throttle.give_back(attempt)
    return jsonify(ok=True)


@bp.post("/votes/<public_id>/ballots")
@csrf.exempt
def cast(public_id: str):
    """Cast an encrypted ballot with a one-time code; returns the receipt.

    A retry of the same ballot with the same code returns the same receipt (200)."""
    attempt = _take_code_attempt()
    body = json_body()
    vote = vote_or_404(public_id)
    receipt = casting.cast_ballot(vote.id, body.get("code"), body.get("ballot"))
    throttle.give_back(attempt)
    return jsonify(receipt.to_json()), (200 if receipt.repeated else 201)


@bp.get("/votes/<public_id>/board")
def board(public_id: str):
    """The public board: every accepted ballot in order with its tracker and chain hash."""
    vote = vote_or_404(public_id)
    entries = casting.board_entries(vote) if vote.state is not VoteState.DRAFT else []
    with_ballots = request.args.get("ballots", "1") != "0"
    return jsonify(
        fingerprint=vote.fingerprint,
        state=vote.state.value,
        closing=vote.closing,
        entries=[
            {
                "seq": e.seq,
                "tracker": e.tracker,
                "short_code": casting.crypto_short(e.tracker),
                "chain": e.chain,
                **({"ballot": json.loads(e.ballot)} if with_ballots else {}),
            }
            for e in entries
        ],
    )


@bp.get("/votes/<public_id>/record")
def record(public_id: str):
    """The election record, for `ballot verify` (409 before the results exist; 403 before
    they are published, unless the logged-in role may see them)."""
    vote = vote_or_404(public_id)
    _results_allowed(vote)
    response = Response(
        verified_record(vote, missing="no_record").data, mimetype="application/json"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="record-{vote.public_id}.json"'
    return response


@bp.get("/votes/<public_id>/results")
def results(public_id: str):
    """Per-subject results once decrypted (409 before) and published (403 before, unless
    the logged-in role may see them in the room)."""
    vote = vote_or_404(public_id)
    _results_allowed(vote)
    if vote.is_election:  # ranked candidates and who is elected, 190-QĐ/TW
        return jsonify(results_json(election_results(vote)))
    rows = counting.results(vote)
    levels = [code for code, _ in vote.levels]
    return jsonify(
        received=rows[0].received if rows else 0,
        subjects=[
            {
                "rank": r.rank,
                "full_name": r.full_name,
                "position": r.position,
                "received": r.received,
                "valid": r.valid,
                "invalid": r.invalid,
                "counts": dict(zip(levels, r.counts, strict=True)),
                "flag": r.flag,
            }
            for r in rows
        ],
    )


# --- counting committee -------------------------------------------------------------------


@bp.get("/votes/<public_id>/ceremony")
def ceremony_state(public_id: str):
    """What a member's device needs for the next step of the key ceremony."""
    vote = vote_or_404(public_id)
    trustee = ceremony.trustee_for(vote, _require_trustee_user())
    return jsonify(
        state=vote.state.value,
        vote_id=vote.public_id,
        ceremony_id=ceremony.ceremony_id_of(vote).hex(),
        threshold=vote.threshold,
        size=vote.trustee_count,
        me=trustee.index,
        trustees=[
            {
                "index": t.index,
                "name": t.full_name,
                "chair": t.is_chair,
                "committed": t.commit_message is not None,
                "dealt": t.share_messages is not None,
                "done": t.done_message is not None,
            }
            for t in vote.trustees
        ],
        commits=ceremony.commit_messages(vote),
        inbox=ceremony.shares_for(vote, trustee),
        my_commit=trustee.commit_message,
        fingerprint=vote.fingerprint,
    )


@bp.post("/votes/<public_id>/ceremony/<step>")
def ceremony_step(public_id: str, step: str):
    """Post this member's commitments, encrypted shares or completion. The body is exactly
    {"message": {...}} (commit, done) or {"messages": [...]} (shares); every field of the
    messages is checked by the service (400 with a stable code, never a 500)."""
    steps = {
        "commit": ("message", ceremony.post_commit),
        "shares": ("messages", ceremony.post_shares),
        "done": ("message", ceremony.post_done),
    }
    if step not in steps:
        raise VoteError("unknown_step", 404)
    vote = vote_or_404(public_id)
    trustee = ceremony.trustee_for(vote, _require_trustee_user())
    body = json_body()
    key, post = steps[step]
    if set(body) != {key}:
        raise VoteError("bad_body", 400, key=key)
    post(vote, trustee, body[key])
    audit.record(
        g.user,
        "vote.ceremony_step",
        f"vote:{vote.public_id}",
        {"step": step, "trustee": trustee.index, "state": vote.state.value},
    )
    db.session.commit()
    return jsonify(ok=True, state=vote.state.value)


@bp.post("/votes/<public_id>/decryption")
def decryption(public_id: str):
    """Submit this member's partial decryption of the closed board's aggregate, with proofs."""
    vote = vote_or_404(public_id)
    trustee = ceremony.trustee_for(vote, _require_trustee_user())
    try:
        counts = counting.submit_share(vote, trustee, json_body().get("share"))
    except VoteError as refused:  # the refusal is kept in the log; the share is not
        db.session.rollback()
        audit.record(
            g.user,
            "decryption.refused",
            f"vote:{vote.public_id}",
            {"trustee": trustee.index, "reason": refused.code},
        )
        db.session.commit()
        raise
    audit.record(
        g.user,
        "decryption.accepted",
        f"vote:{vote.public_id}",
        {"trustee": trustee.index, "decrypted": counts is not None},
    )
    db.session.commit()
    return jsonify(
        ok=True,
        decrypted=counts is not None,
        state=vote.state.value,
        shares=sum(1 for t in vote.trustees if t.decryption_share is not None),
        threshold=vote.threshold,
    )


@bp.errorhandler(VoteError)
def vote_error(error: VoteError):
    db.session.rollback()
    return jsonify(error.to_json()), error.status


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document of this API."""
    from ballot.web.openapi import DOCUMENT

    return jsonify(DOCUMENT)
