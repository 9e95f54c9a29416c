"""The last two members of the key ceremony finish at nearly the same moment: the vote must
still become ready. A member's "done" is decided on the rows as they are now, not as they
were loaded before another member's "done" was committed (the browser test saw a vote left
in the ceremony with every member done)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ballot.auth.models import Role, User
from ballot.crypto.dkg import check_commits, deal_shares, finish_member, start_member
from ballot.db import db
from ballot.org.models import Conference
from ballot.voting import ceremony, setup
from ballot.voting.models import VoteState, VoteTrustee


def test_a_done_committed_meanwhile_by_another_member_is_seen(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, "Lấy phiếu tín nhiệm (hai thành viên xong cùng lúc)")
        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        cid = ceremony.ceremony_id_of(vote)
        secrets = []
        for trustee in vote.trustees:
            secret, message = start_member(cid, trustee.index, vote.threshold, vote.trustee_count)
            ceremony.post_commit(vote, trustee, message)
            secrets.append(secret)
        commits = check_commits(cid, 2, 3, ceremony.commit_messages(vote) or [])
        for trustee, secret in zip(vote.trustees, secrets, strict=True):
            ceremony.post_shares(vote, trustee, deal_shares(secret, commits))
        dones = [
            finish_member(secret, commits, ceremony.shares_for(vote, trustee) or [])[1]
            for trustee, secret in zip(vote.trustees, secrets, strict=True)
        ]
        ceremony.post_done(vote, vote.trustees[0], dones[0])
        db.session.commit()
        # This request has loaded the members: members 2 and 3 are not done yet...
        me = vote.trustees[2]
        assert [t.done_message is not None for t in vote.trustees] == [True, False, False]
        # ...when member 2's request commits its "done".
        with Session(db.engine) as other:
            row = other.get(VoteTrustee, vote.trustees[1].id)
            assert row is not None
            row.done_message = dones[1]
            other.commit()
        ceremony.post_done(vote, me, dones[2])
        db.session.commit()
        assert vote.state is VoteState.READY and vote.fingerprint
