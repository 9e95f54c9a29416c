"""The tablet booth and the public board (no login: the code is the voter's credential)."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request

from ballot.crypto.encoding import CROCKFORD
from ballot.voting import casting
from ballot.voting.models import BoardEntry, VoteState
from ballot.web.votes import get_vote

bp = Blueprint("booth", __name__)


@bp.get("/booth/<public_id>")
def booth(public_id: str):
    """The voting booth: code, ballot, review, encryption on the tablet, receipt."""
    vote = get_vote(public_id)
    response = make_response(render_template("booth/booth.html", vote=vote))
    response.headers["Cache-Control"] = "no-store"
    return response


#: Crockford's look-alikes, read as the symbols they resemble (as the booth and the codes do).
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_HEX = frozenset("0123456789ABCDEF")
RECEIPT_SYMBOLS = 8


def receipt_query(text: str) -> str:
    """A typed receipt read as Crockford base32 reads it: any case, spaces and dashes ignored,
    O read as 0 and I, L as 1 ("abcd-efgh", "ABCD EFGH" and "ABCDEFGH" are one receipt)."""
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")
    return cleaned.translate(_LOOK_ALIKES)


def receipt_problem(query: str) -> bool:
    """Whether a cleaned query cannot be a receipt (8 Crockford symbols) nor a tracker prefix
    (at least 8 hex digits): the page then says how a receipt is written."""
    if len(query) == RECEIPT_SYMBOLS and all(ch in CROCKFORD for ch in query):
        return False
    return not (len(query) >= RECEIPT_SYMBOLS and set(query) <= _HEX)


def find_receipt(entries: list[BoardEntry], query: str) -> BoardEntry | None:
    """The board entry whose short receipt is `query`, or whose tracker starts with it."""
    for entry in entries:
        if casting.crypto_short(entry.tracker).replace("-", "") == query:
            return entry
        if len(query) >= RECEIPT_SYMBOLS and entry.tracker.upper().startswith(query):
            return entry
    return None


@bp.get("/board/<public_id>")
def board(public_id: str):
    """The public board: trackers in order, the chain, the closing hash; find your receipt."""
    vote = get_vote(public_id)
    entries = casting.board_entries(vote) if vote.state is not VoteState.DRAFT else []
    query = receipt_query(request.args.get("tracker") or "")[:64]
    invalid = bool(query) and receipt_problem(query)
    found = find_receipt(entries, query) if query and not invalid else None
    shown = f"{query[:4]}-{query[4:]}" if len(query) == RECEIPT_SYMBOLS else query
    return render_template(
        "booth/board.html",
        vote=vote,
        entries=entries,
        query=shown,
        invalid=invalid,
        found=found,
        short=casting.crypto_short,
    )
