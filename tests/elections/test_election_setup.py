"""Creating an election: the list checked against Art. 14 of 190-QĐ/TW, refusals with a
stable code in Vietnamese and English, nothing stored when refused; the manifest's rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ballot.db import db
from ballot.elections.rules import Kind, MajorityBase
from ballot.org.models import Conference
from ballot.voting.election_setup import create_election
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteKind, VoteState

from .conftest import TITLE, standing_list


def names(n: int) -> list[tuple[str, str]]:
    return [(f"Đảng viên Số {i:02d}", "Đảng viên") for i in range(1, n + 1)]


def _refused(kind: Kind, seats: int, listed: list[tuple[str, str]], **kw: object) -> VoteError:
    conference = db.session.scalars(select(Conference).limit(1)).one()
    before = db.session.scalar(select(func.count()).select_from(ConfidenceVote))
    with pytest.raises(VoteError) as caught:
        create_election(conference, TITLE, kind, seats, listed, **kw)  # type: ignore[arg-type]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ConfidenceVote)) == before
    assert caught.value.status == 400 or caught.value.status == 409
    assert caught.value.vi != caught.value.en
    return caught.value


def test_an_election_is_a_vote_of_kind_election_with_its_list_and_rules(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        vote = create_election(conference, TITLE, Kind.STANDING, 6, standing_list())
        db.session.commit()
        assert vote.kind is VoteKind.ELECTION and vote.is_election
        assert vote.state is VoteState.DRAFT and vote.round_no == 1 and vote.previous_id is None
        assert [s.full_name for s in vote.subjects] == [n for n, _ in standing_list()]
        assert vote.levels == [["keep", "Giữ lại"]]
        assert len(vote.voters) == 22  # the Executive Committee elects
        assert vote.election == {
            "regulation": "190-QĐ/TW", "kind": "standing_committee", "seats": 6,
            "candidates": 7, "min_kept": 1, "with_surplus": True, "majority_base": "convened",
            "surplus_decision": "", "convened": 22,
        }  # fmt: skip


def test_a_confidence_vote_stays_of_kind_confidence(demo_app) -> None:
    from ballot.voting.setup import create_vote

    with demo_app.app_context():
        vote = create_vote(
            db.session.scalars(select(Conference).limit(1)).one(), "Lấy phiếu tín nhiệm thử"
        )
        db.session.commit()
        db.session.refresh(vote)
        assert vote.kind is VoteKind.CONFIDENCE and vote.election is None and not vote.is_election


def test_a_list_without_surplus_is_marked_agree(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        vote = create_election(conference, TITLE, Kind.SECRETARY, 1, [("Nguyễn Văn A", "")])
        assert vote.levels == [["agree", "Đồng ý"]]
        assert (vote.election or {})["min_kept"] == 0 and (vote.election or {})[
            "with_surplus"
        ] is False


@pytest.mark.parametrize(
    ("kind", "seats", "count", "kw", "code", "vi_part"),
    [
        (Kind.STANDING, 6, 6, {}, "election_no_surplus", "phải có số dư"),
        (Kind.COMMITTEE, 33, 33, {}, "election_no_surplus", "phải có số dư"),
        (Kind.STANDING, 6, 8, {}, "election_surplus_over", "số dư tối đa là 1"),
        (Kind.COMMITTEE, 33, 43, {}, "election_surplus_over", "số dư tối đa là 9"),
        # Art. 14.1 caps the committee lists whatever the conference decides
        (Kind.COMMITTEE, 33, 43, {"surplus_decision": "Đại hội biểu quyết"},
         "election_surplus_over", "30%"),
        (Kind.DELEGATES, 10, 14, {}, "election_surplus_decision", "quyết định của đại hội"),
        (Kind.STANDING, 6, 5, {}, "election_list_short", "ít hơn số lượng cần bầu"),
        (Kind.SECRETARY, 0, 1, {}, "election_seats", "ít nhất là 1"),
        (Kind.STANDING, 6, 7, {"convened": 23}, "election_bad_convened", "từ 1 đến 22"),
        (Kind.STANDING, 6, 7, {"convened": 0}, "election_bad_convened", "từ 1 đến 22"),
    ],
)  # fmt: skip
def test_lists_that_break_article_14_are_refused_and_nothing_is_stored(
    demo_app, kind, seats, count, kw, code, vi_part
) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        error = _refused(kind, seats, names(count), **kw)
        assert error.code == code
        assert vi_part in error.vi
        assert error.to_json()["error"]["code"] == code


def test_a_longer_list_is_allowed_with_the_conferences_recorded_decision(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        decision = "Đại hội biểu quyết thông qua danh sách 14 người (biên bản số 3)"
        vote = create_election(
            conference, TITLE, Kind.DELEGATES, 10, names(14), surplus_decision=decision
        )
        assert (vote.election or {})["surplus_decision"] == decision


def test_names_blank_repeated_or_missing_are_refused(demo_app) -> None:
    with demo_app.app_context():
        assert _refused(Kind.SECRETARY, 1, []).code == "election_no_candidates"
        assert _refused(Kind.STANDING, 1, [("A B", ""), ("  ", "")]).code == (
            "election_bad_candidate"
        )
        twice = [("Nguyễn Văn A", ""), ("nguyễn  văn a", "")]
        assert _refused(Kind.STANDING, 1, twice).code == "election_duplicate_candidate"
        assert _refused(Kind.STANDING, 1, [("x" * 121, ""), ("B", "")]).code == (
            "election_bad_candidate"
        )


def test_a_further_round_needs_a_counted_election(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        first = create_election(conference, TITLE, Kind.STANDING, 6, standing_list())
        db.session.commit()
        error = _refused(Kind.STANDING, 1, names(2), previous=first)
        assert error.code == "election_bad_previous"


def test_the_majority_base_and_convened_number_are_recorded(demo_app) -> None:
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        vote = create_election(
            conference, TITLE, Kind.STANDING, 6, standing_list(),
            majority_base=MajorityBase.VALID, convened=21,
        )  # fmt: skip
        assert (vote.election or {})["majority_base"] == "valid_ballots"
        assert (vote.election or {})["convened"] == 21


def test_the_manifest_carries_rules_election(demo_app, ready_election) -> None:
    from ballot.crypto.election import shape_of

    vote_id, _keys = ready_election
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.READY
        manifest = vote.manifest
        assert manifest is not None
        assert manifest["rules"]["election"] == vote.election
        assert manifest["levels"] == [{"code": "keep", "label": "Giữ lại"}]
        assert [s["name"] for s in manifest["subjects"]] == [n for n, _ in standing_list()]
        shape = shape_of(manifest)
        assert (shape.candidates, shape.seats, shape.min_kept) == (7, 6, 1)
