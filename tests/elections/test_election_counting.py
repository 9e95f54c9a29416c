"""Counting an election held in the database: closing, the candidates' shares, the record
built from the closed board and verified, results from the VERIFIED record (counts equal the
plaintext choices), 190-QĐ/TW's outcome incl. a tie at the last seat, a further round linked
to the first, the API's results and the record that `ballot verify` accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ballot.auth.models import User
from ballot.crypto.cli import verify_command
from ballot.db import db
from ballot.elections.rules import Kind, Status
from ballot.org.models import Conference
from ballot.voting import counting
from ballot.voting.election_demo import hold, hold_counted_election
from ballot.voting.election_results import election_results, percent_text
from ballot.voting.election_rounds import create_further_round
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState

from .conftest import TITLE, standing_list


def _committee(committee_ids: list[int]) -> list[User]:
    return [db.session.get_one(User, uid) for uid in committee_ids]


def _held(committee_ids, choices=None, **kw):  # type: ignore[no-untyped-def]
    conference = db.session.scalars(select(Conference).limit(1)).one()
    held = hold_counted_election(
        conference, _committee(committee_ids), title=TITLE, kind=Kind.STANDING, seats=6,
        candidates=standing_list(), choices=choices, absent={4: "Đi công tác", 13: "Ốm"}, **kw,
    )  # fmt: skip
    db.session.commit()
    return held


def test_results_come_from_the_verified_record_and_equal_the_plaintext_choices(
    demo_app, committee_ids
) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        held = _held(committee_ids, leanings=[0.9, 0.8, 0.95, 0.3, 0.9, 0.85, 0.9], seed="c1")
        vote = held.vote
        assert vote.state is VoteState.COUNTED and len(held.choices) == 20
        results = election_results(vote)
        assert results.received == results.valid == 20 and results.invalid == 0
        assert results.convened == results.base == 22 and results.majority_needed == 12
        by_number = {c.number: c for c in results.candidates}
        assert [by_number[j + 1].votes for j in range(7)] == held.counts
        assert [c.votes for c in results.candidates] == sorted(held.counts, reverse=True)
        for c in results.candidates:
            assert c.percent == percent_text(c.share) and "," in c.percent
            assert c.elected == (c.status is Status.ELECTED)
            assert c.elected == (2 * c.votes > 22 and c.rank <= 6)
        assert len(results.elected) <= 6
        assert results.proof.counts == tuple((n,) for n in held.counts)
        with pytest.raises(VoteError) as confidence_only:
            counting.results(vote)  # the confidence vote's results refuse an election cleanly
        assert confidence_only.value.code == "not_a_confidence_vote"


def test_a_tie_at_the_last_seat_and_a_further_round_linked_to_the_first(
    demo_app, committee_ids, tied_election
) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        first = db.session.get_one(ConfidenceVote, tied_election)
        results = election_results(first)
        assert [c.votes for c in results.candidates] == [20, 20, 20, 20, 14, 13, 13]
        assert [c.status for c in results.candidates[-2:]] == [Status.TIED, Status.TIED]
        assert len(results.elected) == 5 and results.seats_left == 1
        names = [n for n, _ in standing_list()]
        assert [c.full_name for c in results.further_round] == names[5:]
        assert "ngang phiếu" in results.further_vi

        second = create_further_round(first)
        db.session.commit()
        assert second.previous_id == first.id and second.round_no == 2
        assert second.title.endswith("(vòng 2)") and second.conference_id == first.conference_id
        assert [s.full_name for s in second.subjects] == names[5:]
        assert (second.election or {})["seats"] == 1 and (second.election or {})["convened"] == 22
        assert (second.election or {})["surplus_decision"].startswith(
            "Đại hội (hội nghị) quyết định"
        )
        # 12 keep the sixth name, 8 the seventh: 12 > 22 / 2
        held = hold(second, _committee(committee_ids), [[v < 12, v >= 12] for v in range(20)],
                    absent={4: "Đi công tác", 13: "Ốm"})  # fmt: skip
        db.session.commit()
        again = election_results(held.vote)
        assert again.round_no == 2 and [c.full_name for c in again.elected] == [names[5]]
        assert not again.needs_further_round
        with pytest.raises(VoteError) as none_left:
            create_further_round(held.vote)
        assert none_left.value.code == "no_further_round"


def test_api_results_and_the_record_checked_by_ballot_verify(
    demo_app, client, auth, tied_election, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        public_id = db.session.get_one(ConfidenceVote, tied_election).public_id
    assert client.get(f"/api/v1/votes/{public_id}/results").status_code == 403  # unpublished
    auth.login("admin", "admin-demo-2024")
    body = client.get(f"/api/v1/votes/{public_id}/results").get_json()
    assert body["kind"] == "election" and body["seats"] == 6 and body["valid"] == 20
    assert [c["votes"] for c in body["candidates"]] == [20, 20, 20, 20, 14, 13, 13]
    assert body["candidates"][0]["percent_valid"] == "100,00"
    assert body["candidates"][-1]["percent_valid"] == "65,00"
    assert body["candidates"][-1]["status"] == "tied" and body["seats_left"] == 1
    response = client.get(f"/api/v1/votes/{public_id}/record")
    assert response.status_code == 200
    path = tmp_path / "record.json"
    path.write_bytes(response.data)
    assert json.loads(response.data)["format"] == "ballot-election-record"
    verified = CliRunner().invoke(verify_command, [str(path)])
    assert verified.exit_code == 0, verified.output
    assert "the record is valid" in verified.output


def test_stored_counts_that_disagree_with_the_record_are_refused(demo_app, tied_election) -> None:  # type: ignore[no-untyped-def]
    from ballot.voting.published import forget_cache

    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, tied_election)
        election_results(vote)
        assert vote.counts is not None
        vote.counts = [[13], *vote.counts[1:]]
        db.session.commit()
        forget_cache()
        with pytest.raises(VoteError) as caught:
            election_results(db.session.get_one(ConfidenceVote, vote.id))
        assert caught.value.code == "record_mismatch"


def test_the_record_is_checked_once_while_requests_wait_for_it(
    demo_app, tied_election, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The projector and the pages asking at the same moment share one check of the record
    (a 300 × 40 election takes seconds to check), then read it from the cache."""
    import threading
    import time

    from ballot.voting import published

    vote_id = tied_election
    published.forget_cache()
    calls: list[int] = []
    real = published._prove

    def slow_prove(vote):  # type: ignore[no-untyped-def]
        calls.append(vote.id)
        time.sleep(0.5)
        return real(vote)

    monkeypatch.setattr(published, "_prove", slow_prove)
    seen: list[int] = []

    def ask() -> None:
        with demo_app.app_context():
            seen.append(election_results(db.session.get_one(ConfidenceVote, vote_id)).received)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [20, 20, 20] and calls == [vote_id]
