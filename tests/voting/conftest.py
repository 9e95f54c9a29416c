"""Fixtures for the vote: the demo organisation, a draft vote, a vote ready to open."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.org.models import Conference
from tests.conftest import register_seed, seeded


@pytest.fixture
def counting_users(demo_app):
    with demo_app.app_context():
        return [
            u.id
            for u in db.session.scalars(
                select(User).where(User.role == Role.COUNTING).order_by(User.id)
            )
        ]


def _make_ready_vote(_: object) -> tuple[int, Any]:
    """Create a vote on the demo, name its counting members the committee (2 of 3) and run
    the key ceremony in process: (vote id, member keys)."""
    from ballot.voting import setup
    from ballot.voting.simulate import run_key_ceremony

    conference = db.session.scalars(select(Conference).limit(1)).one()
    vote = setup.create_vote(
        conference, "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
    )
    users = list(
        db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
    )
    setup.set_counting_committee(vote, users, users[0], threshold=2)
    keys = run_key_ceremony(vote)
    db.session.flush()
    return vote.id, keys


register_seed("ready_vote", "demo_app", _make_ready_vote)


@pytest.fixture
def ready_vote(demo_app):  # type: ignore[no-untyped-def]
    """A vote with its keys made (2 of 3): returns (vote id, member keys). The database is a
    copy of a template made once per worker process (tests/conftest.py)."""
    vote_id, keys = seeded(demo_app, "ready_vote")
    return vote_id, list(keys)  # the keys themselves are immutable
