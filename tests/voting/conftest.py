"""Fixtures for the vote: the demo organisation, a draft vote, a vote ready to open."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.org.models import Conference


@pytest.fixture
def counting_users(demo_app):
    with demo_app.app_context():
        return [
            u.id
            for u in db.session.scalars(
                select(User).where(User.role == Role.COUNTING).order_by(User.id)
            )
        ]


@pytest.fixture
def ready_vote(demo_app, counting_users):
    """A vote with its keys made (2 of 3): returns (vote id, member keys)."""
    from ballot.voting import setup
    from ballot.voting.simulate import run_key_ceremony

    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        vote = setup.create_vote(
            conference, "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
        )
        users = [db.session.get(User, uid) for uid in counting_users]
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        keys = run_key_ceremony(vote)
        db.session.commit()
        return vote.id, keys
