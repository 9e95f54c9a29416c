"""The tablet booth and the public board (no login: the code is the voter's credential)."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request

from ballot.voting import casting
from ballot.voting.models import VoteState
from ballot.web.votes import get_vote

bp = Blueprint("booth", __name__)


@bp.get("/booth/<public_id>")
def booth(public_id: str):
    """The voting booth: code, ballot, review, encryption on the tablet, receipt."""
    vote = get_vote(public_id)
    response = make_response(render_template("booth/booth.html", vote=vote))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/board/<public_id>")
def board(public_id: str):
    """The public board: trackers in order, the chain, the closing hash; find your receipt."""
    vote = get_vote(public_id)
    entries = casting.board_entries(vote) if vote.state is not VoteState.DRAFT else []
    query = "".join(ch for ch in (request.args.get("tracker") or "").upper() if ch.isalnum())
    found = None
    if query:
        found = next(
            (
                e
                for e in entries
                if casting.crypto_short(e.tracker).replace("-", "") == query[:8]
                or e.tracker.upper().startswith(query)
            ),
            None,
        )
    return render_template(
        "booth/board.html",
        vote=vote,
        entries=entries,
        query=query,
        found=found,
        short=casting.crypto_short,
    )
