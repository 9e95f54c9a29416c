"""Issue 14.14: who did not vote, and in what order. Code rows carry no issuance order (random
ids; after closing not even in the physical order of rows), and the audit log records
issuance by batch, members in roll order under one time."""

from __future__ import annotations

from sqlalchemy import select, text

from ballot.audit.models import AuditEntry
from ballot.db import db
from ballot.voting import casting, codes, counting, desk, issuance
from ballot.voting.models import BallotCode
from tests.conftest import PG_URL
from tests.security.conftest import get_vote


def _issue_one_by_one(app, vote_id: int, count: int) -> tuple[list[str], list[str]]:
    """Issue codes in a known order, each in its own transaction; returns them and their
    hashes."""
    hashes, slips = [], []
    with app.app_context():
        vote = get_vote(vote_id)
        for voter in [v for v in vote.voters if v.present][:count]:
            code = desk.issue_code(vote, voter)
            db.session.commit()
            normal = codes.normalise(code) or ""
            hashes.append(codes.code_hash(app.config["CODE_HASH_KEY"], vote.public_id, normal))
            slips.append(code)
    return slips, hashes


def test_code_rows_do_not_keep_the_order_of_issuance(demo_app, open_vote, encrypt) -> None:
    vote_id, _, _ = open_vote
    slips, issued = _issue_one_by_one(demo_app, vote_id, 16)
    with demo_app.app_context():
        rows = db.session.execute(select(BallotCode.id, BallotCode.code_hash)).all()
        by_id = [issued.index(h) for _, h in sorted(rows)]
        # a database reader sorting code rows by id gets no issuance order (1/16! by chance)
        assert by_id != list(range(16)) and by_id != list(range(15, -1, -1))
        ids = sorted(i for i, _ in rows)
        assert ids[-1] - ids[0] > 2**40 and all(
            b - a > 1 for a, b in zip(ids, ids[1:], strict=False)
        )
        if not PG_URL:  # the id is SQLite's rowid itself: no hidden rowid in insertion order
            pairs = db.session.execute(text("SELECT rowid, id FROM ballot_code")).all()
            assert all(rowid == row_id for rowid, row_id in pairs)
        # 12 of the 16 vote, in issuance order; after closing, even the physical order of
        # the rows is the random ids' order
        for code in slips[:12]:
            casting.cast_ballot(vote_id, code, encrypt(vote_id, [0, 1, 2, 0, 1, 2]))
        counting.close_vote(get_vote(vote_id))
        db.session.commit()
        counting.scrub_storage()
        if PG_URL:
            physical = db.session.execute(
                text("SELECT id FROM ballot_code ORDER BY ctid")
            ).scalars()
            assert list(physical) == ids
            voters = db.session.execute(
                text("SELECT xmin::text, id FROM vote_voter WHERE vote_id = :v ORDER BY ctid"),
                {"v": vote_id},
            ).all()
            # every roll row rewritten by the closing transaction, in roll order
            assert len({x for x, _ in voters}) == 1
            assert [i for _, i in voters] == sorted(i for _, i in voters)


def test_issuance_is_logged_by_batch_in_roll_order_under_one_time(demo_app, open_vote) -> None:
    vote_id, _, _ = open_vote
    with demo_app.app_context():
        vote = get_vote(vote_id)
        present = [v for v in vote.voters if v.present][:16]
        first, second = present[:8], present[8:]
        slips = issuance.issue_batch(vote, list(reversed(first)))
        issuance.record_issuance("desk", vote, list(reversed(first)))
        slips += issuance.issue_batch(vote, second)
        issuance.record_issuance("desk", vote, second)
        db.session.commit()
        assert [v.rank for v, _ in slips] == sorted(v.rank for v in present)
        entries = list(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "code.issued"))
        )
    assert len(entries) == 2  # two batches, two times: not sixteen
    for entry, batch in zip(entries, (first, second), strict=True):
        assert entry.details == {
            "count": 8,
            "voters": [{"rank": v.rank, "voter": v.full_name} for v in batch],
        }  # roll order whatever order they were handed over in; no time per member


def test_the_desk_records_issuance_without_any_code_or_time_per_member(
    demo_app, open_vote, client, auth
) -> None:
    import re

    from tests.conftest import csrf_token

    vote_id, public_id, _ = open_vote
    auth.login("desk", "desk-demo-2024")
    page = client.get(f"/desk/{public_id}").get_data(as_text=True)
    voter_id = re.findall(r"/voters/(\d+)/issue", page)[0]
    token = csrf_token(client, f"/desk/{public_id}")
    slip = client.post(f"/desk/{public_id}/voters/{voter_id}/issue", data={"csrf_token": token})
    code = re.findall(r"data-code>([0-9A-Z*~$=-]+)<", slip.get_data(as_text=True))[0]
    with demo_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "code.issued"))
        assert entry is not None and set(entry.details) == {"count", "voters"}
        assert code not in repr(entry.details) and code.replace("-", "") not in repr(entry.details)
        assert casting.board_entries(get_vote(vote_id)) == []
