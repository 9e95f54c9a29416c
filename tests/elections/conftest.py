"""Fixtures for elections held in the app: the demo organisation's Executive Committee
electing its Standing Committee (6 of 7), keys made by 2 of 3 counting members."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.org.models import Conference
from tests.conftest import register_seed, seeded

TITLE = "Bầu Ban Thường vụ Đảng ủy Khối (thử nghiệm)"


def standing_list() -> list[tuple[str, str]]:
    """Seven names of the Executive Committee, in ABC order of their given names."""
    return [
        ("Huỳnh Thanh Bình", "Ủy viên Ban Chấp hành"),
        ("Võ Thị Ngọc Lan", "Ủy viên Ban Chấp hành"),
        ("Trần Văn Minh", "Ủy viên Ban Chấp hành"),
        ("Thạch Sô Phal", "Ủy viên Ban Chấp hành"),
        ("Trần Thị Kim Phượng", "Phó Bí thư"),
        ("Nguyễn Văn Tâm", "Ủy viên Ban Chấp hành"),
        ("Lê Hoàng Yến", "Ủy viên Ban Chấp hành"),
    ]


@pytest.fixture
def committee_ids(demo_app):  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        return [
            u.id
            for u in db.session.scalars(
                select(User).where(User.role == Role.COUNTING).order_by(User.id)
            )
        ][:3]


def _counting_members() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
    )[:3]


def _make_ready_election(_: object) -> tuple[int, Any]:
    """An election of 6 of 7 on the demo, its keys made by 2 of 3 counting members."""
    from ballot.elections.rules import Kind
    from ballot.voting import setup
    from ballot.voting.election_setup import create_election
    from ballot.voting.simulate import run_key_ceremony

    conference = db.session.scalars(select(Conference).limit(1)).one()
    vote = create_election(conference, TITLE, Kind.STANDING, 6, standing_list())
    users = _counting_members()
    setup.set_counting_committee(vote, users, users[0], threshold=2)
    keys = run_key_ceremony(vote)
    db.session.flush()
    return vote.id, keys


def tie_choices() -> list[list[bool]]:
    """20 ballots, each keeping 6 of 7: the first four names on all, the fifth on 14, the
    sixth and seventh on 13 each — tied at the last seat, both over half of 22."""
    out = []
    for v in range(20):
        if v < 14:
            out.append([True] * 4 + [True, v < 7, v >= 7])
        else:
            out.append([True] * 4 + [False, True, True])
    return out


def hold_tied_election(_: object = None) -> int:
    """The election held and counted with `tie_choices()` (20 of 22 present): its vote id."""
    from ballot.elections.rules import Kind
    from ballot.voting.election_demo import hold_counted_election

    conference = db.session.scalars(select(Conference).limit(1)).one()
    held = hold_counted_election(
        conference, _counting_members(), title=TITLE, kind=Kind.STANDING, seats=6,
        candidates=standing_list(), choices=tie_choices(), absent={4: "Đi công tác", 13: "Ốm"},
    )  # fmt: skip
    db.session.flush()
    return held.vote.id


register_seed("ready_election", "demo_app", _make_ready_election)
register_seed("tied_election", "demo_app", hold_tied_election)


@pytest.fixture
def ready_election(demo_app):  # type: ignore[no-untyped-def]
    """An election of 6 of 7 with its keys made (2 of 3): returns (vote id, member keys).
    The database is a copy of a template made once per worker (tests/conftest.py)."""
    vote_id, keys = seeded(demo_app, "ready_election")
    return vote_id, list(keys)


@pytest.fixture
def tied_election(demo_app):  # type: ignore[no-untyped-def]
    """The election counted with a tie at the last seat (`tie_choices()`): its vote id."""
    return seeded(demo_app, "tied_election")


@pytest.fixture
def open_election(demo_app, ready_election):  # type: ignore[no-untyped-def]
    """The election open with 20 of 22 present; returns (vote id, public id, keys, codes)."""
    from ballot.voting import desk
    from ballot.voting.models import ConfidenceVote

    vote_id, keys = ready_election
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        for voter in vote.voters:
            desk.set_present(vote, voter, voter.rank not in (4, 13), None)
        desk.open_vote(vote)
        codes = [desk.issue_code(vote, v) for v in vote.voters if v.present]
        db.session.commit()
        return vote_id, vote.public_id, keys, codes
