"""Fixtures for the security tests: an open vote with codes, ballots, the keys, a snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from ballot.db import db
from ballot.voting import casting, counting, desk
from ballot.voting.models import ConfidenceVote
from tests.voting.conftest import counting_users, ready_vote

__all__ = ["counting_users", "ready_vote"]


def get_vote(vote_id: int) -> ConfidenceVote:
    return db.session.get_one(ConfidenceVote, vote_id)


@pytest.fixture
def open_vote(demo_app: Flask, ready_vote: tuple[int, Any]) -> tuple[int, str, Any]:
    """An open vote, 17 of 22 present: (vote id, public id, the members' keys)."""
    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = get_vote(vote_id)
        for voter in vote.voters[:17]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        db.session.commit()
        return vote_id, vote.public_id, keys


@pytest.fixture
def issue(demo_app: Flask) -> Callable[[int, int], list[str]]:
    """Issue codes to the first `count` present members without one; returns the codes."""

    def make(vote_id: int, count: int) -> list[str]:
        with demo_app.app_context():
            vote = get_vote(vote_id)
            holders = [v for v in vote.voters if v.present and not v.has_code][:count]
            found = [desk.issue_code(vote, voter) for voter in holders]
            db.session.commit()
            return found

    return make


@pytest.fixture
def encrypt(demo_app: Flask) -> Callable[[int, list[int | None]], dict[str, Any]]:
    """Encrypt choices for a vote as a tablet does."""
    from ballot.crypto.ballot import encrypt_ballot

    def make(vote_id: int, choices: list[int | None]) -> dict[str, Any]:
        with demo_app.app_context():
            return encrypt_ballot(casting.context_of(get_vote(vote_id)), choices)

    return make


def snapshot(app: Flask, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), to compare before and after a request."""
    with app.app_context():
        out = {}
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                if table.name in skip:
                    continue
                rows = conn.execute(select(table)).all()
                out[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
        return out


@pytest.fixture
def counted_vote(
    demo_app: Flask, open_vote: tuple[int, str, Any], issue, encrypt
) -> tuple[int, str]:
    """A counted vote: 3 ballots cast, closed, decrypted by members 1 and 2."""
    from ballot.voting.simulate import decrypt_as

    vote_id, public_id, keys = open_vote
    slips = issue(vote_id, 3)
    with demo_app.app_context():
        for code in slips:
            casting.cast_ballot(vote_id, code, encrypt(vote_id, [0, 1, 2, 0, 1, 2]))
        vote = get_vote(vote_id)
        counting.close_vote(vote)
        decrypt_as(vote, keys[:2])
        db.session.commit()
    return vote_id, public_id


@pytest.fixture
def published_vote(demo_app: Flask, counted_vote: tuple[int, str]) -> tuple[int, str]:
    """The counted vote, its results published by the chair."""
    from ballot.voting import publication

    vote_id, public_id = counted_vote
    with demo_app.app_context():
        publication.publish(get_vote(vote_id))
        db.session.commit()
    return vote_id, public_id
