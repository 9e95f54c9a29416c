"""Issue 14.1 at the service and the setup form: t >= 2 and t > n/2 for every vote.

The attack is an administrator (or a forged form post) choosing t = 1, or t = n/2, so that
one member alone, or two separate halves of the committee, can decrypt. Both are refused
and nothing changes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ballot.auth.models import User
from ballot.db import db
from ballot.org.models import Conference
from ballot.voting import setup
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from tests.conftest import csrf_token


@pytest.fixture
def four_members(demo_app, counting_users, make_user) -> list[int]:
    return [*counting_users[:3], make_user("kiemphieu4", "counting")]


def _draft(app) -> tuple[int, str]:
    with app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, "Thử ngưỡng giải mã")
        db.session.commit()
        return vote.id, vote.public_id


@pytest.mark.parametrize(("t", "n"), [(1, 3), (1, 2), (2, 4), (0, 3), (4, 3), (True, 3)])
def test_the_service_refuses_t_below_two_or_at_most_half(
    demo_app,
    four_members,
    t,
    n,
) -> None:
    vote_id, _ = _draft(demo_app)
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        users = [db.session.get_one(User, uid) for uid in four_members[:n]]
        with pytest.raises(VoteError) as refused:
            setup.set_counting_committee(vote, users, users[0], t)
        assert refused.value.code == "bad_threshold" and refused.value.status == 400
        assert "at least 2 and more than half" in refused.value.en
        assert "ít nhất 2 và hơn một nửa" in refused.value.vi
        db.session.rollback()
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.DRAFT and not vote.trustees


def test_the_service_refuses_a_committee_of_one(demo_app, counting_users) -> None:
    vote_id, _ = _draft(demo_app)
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        alone = db.session.get_one(User, counting_users[0])
        with pytest.raises(VoteError) as refused:
            setup.set_counting_committee(vote, [alone], alone, 1)
        assert refused.value.code == "bad_committee"


@pytest.mark.parametrize(("t", "n"), [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)])
def test_the_service_accepts_a_majority_of_at_least_two(demo_app, four_members, t, n) -> None:
    vote_id, _ = _draft(demo_app)
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        users = [db.session.get_one(User, uid) for uid in four_members[:n]]
        setup.set_counting_committee(vote, users, users[0], t)
        assert vote.state is VoteState.CEREMONY and (vote.threshold, vote.trustee_count) == (t, n)


@pytest.mark.parametrize(
    ("t", "n", "words"),
    [
        ("1", 3, "phải từ 2 đến 3"),
        ("2", 4, "phải từ 3 đến 4"),
        ("0", 3, ""),
        ("abc", 3, ""),
    ],
)
def test_the_setup_form_refuses_t_below_two_or_at_most_half(
    demo_app,
    four_members,
    client,
    auth,
    t,
    n,
    words,
) -> None:
    vote_id, public_id = _draft(demo_app)
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, f"/votes/{public_id}")
    response = client.post(
        f"/votes/{public_id}",
        data={
            "csrf_token": token,
            "members": [str(uid) for uid in four_members[:n]],
            "chair": str(four_members[0]),
            "threshold": t,
        },
    )
    assert response.status_code == 200  # the form again, with its error
    page = response.get_data(as_text=True)
    assert 'class="error"' in page
    if words:
        assert words in page
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.DRAFT and not vote.trustees


def test_the_setup_form_takes_two_of_three(demo_app, four_members, client, auth) -> None:
    vote_id, public_id = _draft(demo_app)
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, f"/votes/{public_id}")
    response = client.post(
        f"/votes/{public_id}",
        data={
            "csrf_token": token,
            "members": [str(uid) for uid in four_members[:3]],
            "chair": str(four_members[0]),
            "threshold": "2",
        },
    )
    assert response.status_code == 302
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.CEREMONY and vote.threshold == 2
