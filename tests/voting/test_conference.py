"""A whole conference at the service level: 22 summoned, 17 present, 2 of 3 decrypt."""

from __future__ import annotations

import random

import pytest

from ballot.crypto.record import verify_record
from ballot.db import db
from ballot.voting import counting, desk
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.simulate import cast_choices, decrypt_as


@pytest.mark.slow  # a whole 22-member conference (~3 s)
def test_full_conference_counts_equal_the_choices_and_the_record_verifies(
    demo_app, ready_vote
) -> None:
    vote_id, keys = ready_vote
    rng = random.Random(17)
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.READY and len(vote.voters) == 22 and len(vote.subjects) == 6
        for voter in vote.voters[:14]:
            desk.set_present(vote, voter, True)
        with pytest.raises(VoteError) as below:
            desk.open_vote(vote)
        assert below.value.code == "no_quorum" and "cần ít nhất 15" in below.value.vi
        for voter in vote.voters[14:17]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        codes = [desk.issue_code(vote, voter) for voter in vote.voters[:17]]
        db.session.commit()

        expected = [[0, 0, 0] for _ in range(6)]
        for code in codes:
            choices = [rng.choice([0, 1, 2, 2, None]) for _ in range(6)]
            for i, c in enumerate(choices):
                if c is not None:
                    expected[i][c] += 1
            receipt = cast_choices(vote, code, choices)
            assert len(receipt.short_code) == 9
        vote = db.session.get_one(ConfidenceVote, vote_id)
        counting.close_vote(vote)
        db.session.commit()
        assert vote.closing is not None and vote.closing["count"] == 17
        with pytest.raises(VoteError):
            counting.results(vote)  # nobody sees a count before t shares
        assert decrypt_as(vote, keys[:1]) is None
        assert vote.counts is None
        counts = decrypt_as(vote, keys[2:3])
        db.session.commit()
        assert counts == expected
        rows = counting.results(vote)
        assert [r.counts for r in rows] == expected
        assert all(r.received == 17 and r.invalid == 17 - sum(r.counts) for r in rows)
        record = counting.election_record(vote)
        report = verify_record(record)
        assert report.ok, report
        assert report.counts == expected
