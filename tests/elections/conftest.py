"""Fixtures for elections held in the app: the demo organisation's Executive Committee
electing its Standing Committee (6 of 7), keys made by 2 of 3 counting members."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.org.models import Conference

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


@pytest.fixture
def ready_election(demo_app, committee_ids):  # type: ignore[no-untyped-def]
    """An election of 6 of 7 with its keys made (2 of 3): returns (vote id, member keys)."""
    from ballot.elections.rules import Kind
    from ballot.voting import setup
    from ballot.voting.election_setup import create_election
    from ballot.voting.simulate import run_key_ceremony

    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        vote = create_election(conference, TITLE, Kind.STANDING, 6, standing_list())
        users = [db.session.get_one(User, uid) for uid in committee_ids]
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        keys = run_key_ceremony(vote)
        db.session.commit()
        return vote.id, keys


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
