"""The threat model of docs/security.md, one attacker at a time: what each can try, refused.

Each test names the attacker it stands for; docs/security.md points here.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import cast

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select, text

from ballot.app import create_app
from ballot.crypto.ballot import encrypt_ballot
from ballot.crypto.elgamal import encrypt
from ballot.crypto.errors import NotEnoughShares
from ballot.crypto.group import Point, Scalar
from ballot.crypto.tally import partial_decrypt, tally
from ballot.db import db, utcnow
from ballot.voting import casting, counting, desk
from ballot.voting import codes as code_module
from ballot.voting.errors import VoteError
from ballot.voting.models import BallotCode, BoardEntry, CodeState, VoteState
from tests.conftest import PG_URL, base_test_config
from tests.security.conftest import get_vote, snapshot

# --- a curious administrator / a server operator with the database and CODE_HASH_KEY ------------


def test_codes_and_board_entries_store_nothing_that_links_them(
    demo_app, open_vote, issue, encrypt
) -> None:
    """With the database and CODE_HASH_KEY: used codes carry no holder, entries no time/IP/account."""
    vote_id, public_id, _ = open_vote
    slips = issue(vote_id, 3)
    with demo_app.app_context():
        for code in slips[:2]:
            casting.cast_ballot(vote_id, code, encrypt(vote_id, [0, 1, 2, 0, 1, 2]))
        vote = get_vote(vote_id)
        columns = {
            t: {c["name"] for c in inspect(db.engine).get_columns(t)}
            for t in ("ballot_code", "board_entry")
        }
        assert columns["ballot_code"] == {"id", "vote_id", "code_hash", "state", "holder_tag"}
        assert columns["board_entry"] == {"id", "vote_id", "seq", "tracker", "chain", "ballot"}
        # the key computes every member's holder tag, yet none points to a used code
        key = demo_app.config["CODE_HASH_KEY"]
        tags = {code_module.holder_tag(key, public_id, v.id): v.full_name for v in vote.voters}
        rows = db.session.execute(select(BallotCode.state, BallotCode.holder_tag)).all()
        assert sorted(s.value for s, _ in rows) == ["issued", "used", "used"]
        assert all(tag is None for state, tag in rows if state is CodeState.USED)
        assert [tags[cast(str, tag)] for state, tag in rows if state is CodeState.ISSUED] == [
            vote.voters[2].full_name
        ]
        # nothing refers to a board entry or a code from elsewhere
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_keys:
                assert fk.column.table.name not in ("board_entry", "ballot_code"), table.name
        for entry in casting.board_entries(vote):
            import json

            assert set(json.loads(entry.ballot)) == {"fingerprint", "rows"}


def _two_worlds(app, vote_id, encrypt, monkeypatch, tmp_path):
    """Members 1, 2, 3 cast ballots X, Y, Z in that order on the board; in the second world
    members 3, 1, 2 cast the same X, Y, Z in the same order. Returns both SQLite files."""
    fixed = [code_module.new_code() for _ in range(3)]
    monkeypatch.setattr(code_module, "new_code", iter(fixed).__next__)
    with app.app_context():
        vote = get_vote(vote_id)
        for voter in vote.voters[:3]:
            desk.issue_code(vote, voter)
        db.session.commit()
        path = Path(db.engine.url.database or "")
        db.engine.dispose()
    ballots = [encrypt(vote_id, choice) for choice in ([0] * 6, [1] * 6, [2] * 6)]
    other = tmp_path / "world-2.sqlite"
    shutil.copyfile(path, other)
    world_2 = create_app(
        base_test_config("sqlite:///" + str(other)), instance_path=str(tmp_path / "w2")
    )

    def cast_all(app: Flask, order: list[int]) -> None:
        with app.app_context():
            for ballot, holder in zip(ballots, order, strict=True):
                casting.cast_ballot(vote_id, fixed[holder], ballot)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()

    cast_all(app, [0, 1, 2])
    cast_all(world_2, [2, 0, 1])
    return app, world_2, path, other


def _fold_wal(file: Path, vacuum: bool) -> bytes:
    with sqlite3.connect(file) as conn:
        if vacuum:
            conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return file.read_bytes()


@pytest.mark.skipif(bool(PG_URL), reason="compares two SQLite files; see the PostgreSQL test below")
def test_the_database_is_the_same_whoever_cast_which_ballot(
    demo_app, open_vote, encrypt, monkeypatch, tmp_path
) -> None:
    """Every row of every table is the same in both worlds: the stored data cannot tell who
    cast which ballot. After VACUUM (and so in a backup: ballot.backup) the files are equal
    byte for byte too."""
    vote_id, _, _ = open_vote
    app_1, app_2, path_1, path_2 = _two_worlds(demo_app, vote_id, encrypt, monkeypatch, tmp_path)
    assert snapshot(app_1) == snapshot(app_2)
    assert _fold_wal(path_1, vacuum=True) == _fold_wal(path_2, vacuum=True)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite page layout")
def test_after_closing_the_sqlite_file_does_not_keep_the_order_codes_were_used(
    demo_app, open_vote, encrypt, monkeypatch, tmp_path
) -> None:
    """While the vote is open the file's free space reflects the order codes were used (a
    live observer's view, docs/security.md); closing rewrites the code rows and VACUUMs."""
    vote_id, _, _ = open_vote
    app_1, app_2, path_1, path_2 = _two_worlds(demo_app, vote_id, encrypt, monkeypatch, tmp_path)
    moment = utcnow()
    monkeypatch.setattr(counting, "utcnow", lambda: moment)
    for app in (app_1, app_2):
        with app.app_context():
            counting.close_vote(get_vote(vote_id))
            db.session.commit()
            counting.scrub_storage()
            db.session.remove()
            db.engine.dispose()
    assert _fold_wal(path_1, vacuum=False) == _fold_wal(path_2, vacuum=False)


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL row versions")
def test_postgres_row_versions_do_not_tie_a_used_code_to_its_board_entry(
    demo_app, open_vote, issue, encrypt
) -> None:
    """Casting writes the used code and the board entry in one transaction (equal xmin, seen
    by a live observer only); closing rewrites every code row, so afterwards nothing ties them."""
    vote_id, _, _ = open_vote
    slips = issue(vote_id, 2)
    with demo_app.app_context():
        for code in slips:
            casting.cast_ballot(vote_id, code, encrypt(vote_id, [0] * 6))
        counting.close_vote(get_vote(vote_id))
        db.session.commit()
        counting.scrub_storage()
        used = set(
            db.session.execute(
                text("SELECT xmin::text FROM ballot_code WHERE state = 'used'")
            ).scalars()
        )
        entries = set(db.session.execute(text("SELECT xmin::text FROM board_entry")).scalars())
        assert used and entries and not used & entries


# --- one dishonest counting-committee member ----------------------------------------------------


def test_one_trustees_share_alone_decrypts_nothing(demo_app, open_vote, issue, encrypt) -> None:
    vote_id, _, keys = open_vote
    slips = issue(vote_id, 3)
    with demo_app.app_context():
        for code, choice in zip(slips, ([0] * 6, [2] * 6, [1] * 6), strict=True):
            casting.cast_ballot(vote_id, code, encrypt(vote_id, choice))
        vote = get_vote(vote_id)
        counting.close_vote(vote)
        db.session.commit()
        ctx = casting.context_of(vote)
        grid = counting.board_grid(vote)
        alone = partial_decrypt(ctx, keys[0], grid)
        with pytest.raises(NotEnoughShares):
            tally(ctx, grid, [alone], 3)
        # even a member who pretends one share is enough gets no count out of it
        with pytest.raises(NotEnoughShares, match="does not decrypt"):
            tally(dataclasses.replace(ctx, threshold=1), grid, [alone], 3)
        # the server, too, waits for t valid shares before anything is decrypted
        assert counting.submit_share(vote, vote.trustees[0], alone) is None
        db.session.commit()
        assert vote.state is VoteState.CLOSED and vote.counts is None
        with pytest.raises(VoteError, match="not decrypted"):
            counting.results(vote)


def test_a_member_cannot_submit_a_share_for_another_member(
    demo_app, open_vote, issue, encrypt
) -> None:
    vote_id, _, keys = open_vote
    (code,) = issue(vote_id, 1)
    with demo_app.app_context():
        casting.cast_ballot(vote_id, code, encrypt(vote_id, [0] * 6))
        vote = get_vote(vote_id)
        counting.close_vote(vote)
        db.session.commit()
        theirs = partial_decrypt(casting.context_of(vote), keys[1], counting.board_grid(vote))
        with pytest.raises(VoteError) as refused:
            counting.submit_share(vote, vote.trustees[0], theirs)
        assert refused.value.code == "bad_share"


# --- a tampered tablet ---------------------------------------------------------------------------


def _overvote(ctx, ballot):
    """Put Enc(2) in one cell, keeping the cell's proof (a vote worth two)."""
    ballot["rows"][0]["cts"][0].update(encrypt(ctx.key, 2, Scalar.random()).to_json())
    return ballot


def _two_marks(ctx, ballot):
    """Graft a valid, proven 'mark' from another ballot into an empty cell of row 1."""
    other = encrypt_ballot(ctx, [1, 0, 0, 0, 0, 0])
    ballot["rows"][0]["cts"][1] = other["rows"][0]["cts"][1]
    return ballot


def _swapped_rows(ctx, ballot):
    ballot["rows"][0], ballot["rows"][1] = ballot["rows"][1], ballot["rows"][0]
    return ballot


def _swapped_cells(ctx, ballot):
    cts = ballot["rows"][2]["cts"]
    cts[0], cts[2] = cts[2], cts[0]
    return ballot


def _wrong_key(ctx, ballot):
    """A page tampered to encrypt under a key the counting committee does not hold."""
    return encrypt_ballot(dataclasses.replace(ctx, key=Point.base_times(Scalar.random())), [0] * 6)


def _extra_field(ctx, ballot):
    ballot["voter"] = "Nguyễn Văn Tám"
    return ballot


@pytest.mark.parametrize(
    "tamper", [_overvote, _two_marks, _swapped_rows, _swapped_cells, _wrong_key, _extra_field]
)
def test_a_tampered_ballot_from_a_tablet_is_refused_and_changes_nothing(
    demo_app, open_vote, issue, encrypt, client, tamper
) -> None:
    vote_id, public_id, _ = open_vote
    (code,) = issue(vote_id, 1)
    with demo_app.app_context():
        ctx = casting.context_of(get_vote(vote_id))
    ballot = tamper(ctx, encrypt(vote_id, [0, 0, 2, 1, 0, 0]))
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot}
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_ballot"
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 0
        assert (
            db.session.scalar(select(BallotCode.state)) is CodeState.ISSUED
        )  # the member can still vote


# --- a member trying to vote twice ---------------------------------------------------------------


def test_one_code_racing_from_several_tablets_gives_one_ballot(
    demo_app, open_vote, issue, encrypt
) -> None:
    vote_id, public_id, _ = open_vote
    (code,) = issue(vote_id, 1)
    ballots = [encrypt(vote_id, [k % 3] * 6) for k in range(6)]
    statuses: list[tuple[int, str]] = []
    barrier = threading.Barrier(len(ballots))

    def cast(ballot: dict) -> None:
        client = demo_app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot}
        )
        statuses.append((response.status_code, (response.json.get("error") or {}).get("code", "")))

    threads = [threading.Thread(target=cast, args=(b,)) for b in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [(201, "")] + [(409, "used_code")] * 5
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 1
        assert get_vote(vote_id).ballots_cast == 1


# --- a lost ballot slip ---------------------------------------------------------------------------


def test_a_lost_slip_used_by_its_finder_cannot_be_quietly_replaced(
    demo_app, open_vote, issue, encrypt
) -> None:
    """The finder voted first: the desk's revoke is refused (the code was used), so the member
    does not get a second ballot and the desk learns what happened."""
    vote_id, _, _ = open_vote
    (lost,) = issue(vote_id, 1)
    with demo_app.app_context():
        casting.cast_ballot(vote_id, lost, encrypt(vote_id, [2] * 6))
        vote = get_vote(vote_id)
        holder = next(v for v in vote.voters if v.has_code)
        with pytest.raises(VoteError) as refused:
            desk.revoke_and_reissue(vote, holder, "mất phiếu")
        assert refused.value.code == "nothing_to_revoke" and "đã được dùng" in refused.value.vi
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(BallotCode)) == 1
