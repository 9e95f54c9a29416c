"""The public board finds a receipt typed as Crockford base32 allows: any case, dashes and
spaces, and the look-alikes O (for 0), I and L (for 1), as the booth's code entry does."""

from __future__ import annotations

import pytest

from ballot.crypto.ballot import encrypt_ballot
from ballot.db import db
from ballot.voting import casting, desk
from ballot.voting.models import ConfidenceVote
from ballot.web.booth import find_receipt, receipt_problem, receipt_query


def test_receipt_query_reads_crockford() -> None:
    assert receipt_query("abcd-efgh") == "ABCDEFGH"
    assert receipt_query(" AbCd  eFgH\t") == "ABCDEFGH"
    assert receipt_query("OIL0-1ilo") == "01101110"
    assert receipt_query("") == ""
    assert not receipt_problem("ABCDEFGH")
    assert not receipt_problem("0123456789abcdef".upper())  # a tracker prefix (hex)
    assert receipt_problem("ABCDEFG")  # too short
    assert receipt_problem("ABCDEFGU")  # U is not a Crockford symbol
    assert receipt_problem("ABCD*FGH")
    assert receipt_problem("ABCDEFGHJ")  # nine symbols, and not hex


def _look_alike(short: str) -> str:
    """The receipt as a hurried voter types it: lowercase, spaces, O for 0, l for 1."""
    typed = short.replace("0", "O").replace("1", "l").lower().replace("-", " ")
    return typed if typed != short.lower().replace("-", " ") else " " + typed + " "


@pytest.fixture
def cast_receipts(demo_app, ready_vote):
    """An open vote with ballots cast until a receipt holds a 0 or a 1 (so look-alikes
    matter); returns (public id, [short codes], [trackers])."""
    vote_id, _ = ready_vote
    with demo_app.app_context():
        vote = db.session.get(ConfidenceVote, vote_id)
        for voter in vote.voters[:17]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        shorts, trackers = [], []
        for voter in vote.voters[:17]:
            code = desk.issue_code(vote, voter)
            ballot = encrypt_ballot(casting.context_of(vote), [0, 1, 2, 0, 1, 2])
            receipt = casting.cast_ballot(vote.id, code, ballot)
            shorts.append(receipt.short_code)
            trackers.append(receipt.tracker)
            if any(ch in receipt.short_code for ch in "01"):
                break
        db.session.commit()
        return vote.public_id, shorts, trackers


def test_the_board_finds_a_receipt_typed_with_look_alikes(client, cast_receipts) -> None:
    public_id, shorts, trackers = cast_receipts
    short = shorts[-1]
    assert any(ch in short for ch in "01"), "no receipt with 0 or 1 in 17 ballots"
    for typed in (short, short.lower(), short.replace("-", ""), _look_alike(short)):
        page = client.get(f"/board/{public_id}", query_string={"tracker": typed}).get_data(
            as_text=True
        )
        assert f'data-found="{short}"' in page, typed
        assert f'value="{short}"' in page  # the field shows the receipt as the booth did
    page = client.get(f"/board/{public_id}", query_string={"tracker": trackers[-1][:12]})
    assert f'data-found="{short}"' in page.get_data(as_text=True)


def test_the_board_explains_a_text_that_cannot_be_a_receipt(client, cast_receipts) -> None:
    public_id, shorts, _ = cast_receipts
    wrong = shorts[-1][:-1] + "U"  # U never appears in a receipt
    page = client.get(f"/board/{public_id}", query_string={"tracker": wrong}).get_data(as_text=True)
    assert "data-found" not in page and "Không tìm thấy" not in page
    error = page.split("data-receipt-error", 1)[1].split("</p>", 1)[0]
    assert "hidden" not in error.split(">", 1)[0] and "gồm 8 ký tự" in error
    other = "ZZZZ-ZZZZ" if "ZZZZ-ZZZZ" not in shorts else "YYYY-YYYY"
    page = client.get(f"/board/{public_id}", query_string={"tracker": other}).get_data(as_text=True)
    assert "Không tìm thấy mã biên nhận này" in page


def test_find_receipt_matches_short_codes_and_tracker_prefixes(demo_app, cast_receipts) -> None:
    public_id, shorts, trackers = cast_receipts
    with demo_app.app_context():
        vote = db.session.query(ConfidenceVote).filter_by(public_id=public_id).one()
        entries = casting.board_entries(vote)
        first = find_receipt(entries, receipt_query(_look_alike(shorts[0])))
        assert first is not None and first.tracker == trackers[0]
        last = find_receipt(entries, trackers[-1][:8].upper())
        assert last is not None and last.tracker == trackers[-1]
        assert find_receipt(entries, trackers[-1][:7].upper()) is None  # too short to be sure
