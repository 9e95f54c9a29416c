"""Races on one code, decryption shares from the wrong people, the ceremony's gatekeeping."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from ballot.auth.models import User
from ballot.crypto.ballot import encrypt_ballot
from ballot.crypto.tally import partial_decrypt
from ballot.db import db
from ballot.voting import casting, counting, desk, setup
from ballot.voting.errors import VoteError
from ballot.voting.models import BallotCode, BoardEntry, CodeState, ConfidenceVote, VoteState
from ballot.voting.simulate import cast_choices
from tests.conftest import csrf_token


def _open(app, vote_id, present=17):
    vote = db.session.get(ConfidenceVote, vote_id)
    for voter in vote.voters[:present]:
        desk.set_present(vote, voter, True)
    desk.open_vote(vote)
    return vote


def test_two_tablets_racing_with_one_code_exactly_one_wins(demo_app, ready_vote) -> None:
    vote_id, _ = ready_vote
    with demo_app.app_context():
        vote = _open(demo_app, vote_id)
        code = desk.issue_code(vote, vote.voters[0])
        db.session.commit()
        ctx = casting.context_of(vote)
        ballots = [encrypt_ballot(ctx, [0] * 6), encrypt_ballot(ctx, [2] * 6)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def tablet(ballot):
        with demo_app.app_context():
            barrier.wait()
            try:
                outcomes.append(casting.cast_ballot(vote_id, code, ballot))
            except VoteError as exc:
                outcomes.append(exc.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tablet, args=(b,)) for b in ballots]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    receipts = [o for o in outcomes if isinstance(o, casting.Receipt)]
    assert len(receipts) == 1 and outcomes.count("used_code") == 1, outcomes
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 1
        assert (
            db.session.scalar(
                select(ConfidenceVote.ballots_cast).where(ConfidenceVote.id == vote_id)
            )
            == 1
        )
        assert db.session.scalar(select(BallotCode.state)) is CodeState.USED


def test_vote_not_yet_open_refuses_ballots(demo_app, ready_vote) -> None:
    vote_id, _ = ready_vote
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        desk.set_present(vote, vote.voters[0], True)
        code = desk.issue_code(vote, vote.voters[0])  # codes may be printed before opening
        db.session.commit()
        try:
            cast_choices(vote, code, [0] * 6)
        except VoteError as exc:
            assert (
                exc.code == "vote_not_open" and exc.vi == "Cuộc lấy phiếu chưa bắt đầu nhận phiếu."
            )
        else:
            raise AssertionError("a ballot was accepted before the vote opened")
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 0


def test_shares_from_a_non_member_or_wrong_key_are_refused(
    demo_app, ready_vote, client, auth, make_user
) -> None:
    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = _open(demo_app, vote_id)
        codes = [desk.issue_code(vote, v) for v in vote.voters[:3]]
        db.session.commit()
        for code in codes:
            cast_choices(vote, code, [0, 1, 2, 0, 1, 2])
        vote = db.session.get_one(ConfidenceVote, vote_id)
        counting.close_vote(vote)
        db.session.commit()
        ctx = casting.context_of(vote)
        grid = counting.board_grid(vote)
        good = partial_decrypt(ctx, keys[1], grid)
        forged = partial_decrypt(ctx, keys[0], grid)
        forged["index"] = 2  # member 1's key passed off as member 2's share
        public_id = vote.public_id
    make_user("outsider", "counting")
    auth.login("outsider", "outsider-password-1")
    token = csrf_token(client, "/")
    response = client.post(
        f"/api/v1/votes/{public_id}/decryption",
        json={"share": good},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 403 and response.json["error"]["code"] == "not_a_trustee"
    auth.logout()
    auth.login("kiemphieu2", "kp2-demo-2024")
    token = csrf_token(client, "/")
    no_csrf = client.post(f"/api/v1/votes/{public_id}/decryption", json={"share": good})
    assert no_csrf.status_code == 400
    wrong = client.post(
        f"/api/v1/votes/{public_id}/decryption",
        json={"share": forged},
        headers={"X-CSRFToken": token},
    )
    assert wrong.status_code == 400 and wrong.json["error"]["code"] == "invalid_share"
    assert "Phần giải mã bị từ chối" in wrong.json["error"]["message_vi"]
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert all(t.decryption_share is None for t in vote.trustees) and vote.counts is None
    accepted = client.post(
        f"/api/v1/votes/{public_id}/decryption",
        json={"share": good},
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200 and accepted.json == {
        "ok": True,
        "decrypted": False,
        "state": "closed",
        "shares": 1,
        "threshold": 2,
    }
    assert client.get(f"/api/v1/votes/{public_id}/results").status_code == 409


def test_ceremony_api_only_for_the_committee(demo_app, counting_users, client, auth) -> None:
    from ballot.org.models import Conference

    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, "Thử")
        users = [db.session.get_one(User, uid) for uid in counting_users[:2]]
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        db.session.commit()
        public_id = vote.public_id
    assert client.get(f"/api/v1/votes/{public_id}/ceremony").status_code == 401
    auth.login("kiemphieu3", "kp3-demo-2024")  # a counting account, not on this committee
    assert (
        client.get(f"/api/v1/votes/{public_id}/ceremony").json["error"]["code"] == "not_a_trustee"
    )
    auth.logout()
    auth.login("kiemphieu1", "kp1-demo-2024")
    state = client.get(f"/api/v1/votes/{public_id}/ceremony").json
    assert state["me"] == 1 and state["size"] == 2 and state["commits"] is None
    token = csrf_token(client, "/")
    bad = client.post(
        f"/api/v1/votes/{public_id}/ceremony/commit",
        json={"message": {"type": "x"}},
        headers={"X-CSRFToken": token},
    )
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_commit"
    with demo_app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        assert vote.state is VoteState.CEREMONY and all(
            t.commit_message is None for t in vote.trustees
        )


def test_low_confidence_shares_feed_the_rating_checks(demo_app, ready_vote) -> None:
    from fractions import Fraction

    from ballot.rating.sources import low_confidence_by_member
    from ballot.voting.simulate import decrypt_as

    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = _open(demo_app, vote_id)
        codes = [desk.issue_code(vote, v) for v in vote.voters[:3]]
        db.session.commit()
        for code in codes:  # subject 1: "low" on all three; subject 2: none
            cast_choices(vote, code, [2, 0, 1, 0, 0, None])
        vote = db.session.get_one(ConfidenceVote, vote_id)
        counting.close_vote(vote)
        decrypt_as(vote, keys[:2])
        db.session.commit()
        shares = low_confidence_by_member(2024)  # the demo conference is on 02/01/2024
        first, second = vote.subjects[0].member_id, vote.subjects[1].member_id
        assert first is not None and second is not None
        assert shares[first] == Fraction(1) and shares[second] == Fraction(0)
        assert low_confidence_by_member(2023) == {}
