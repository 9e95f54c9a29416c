"""Not rated ("không xếp loại") outside the denominators, the ceilings as checks before a
decision (with an override like a trigger), history kept across transfers, and the
low-confidence trigger read from official votes only."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Committee, CommitteeKind, Member, Organisation, Position, Seat
from ballot.rating.checks import CheckCode
from ballot.rating.decide import (
    ChecksFailed,
    RatingError,
    create_year,
    decide,
    rating_of,
    set_facts,
    set_not_rated,
)
from ballot.rating.findings import year_findings
from ballot.rating.lists import excluded_subjects
from ballot.rating.models import RatingOverride
from ballot.rating.rules import Level
from ballot.rating.targets import compute_targets
from tests.rating.conftest import build_tree


def _member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def _org(code: str) -> Organisation:
    return db.session.scalars(select(Organisation).where(Organisation.code == code)).one()


def _good(year, codes) -> None:
    for code in codes:
        decide(
            rating_of(year, _member(code)), level=Level.GOOD, score=None, by=None, low_confidence={}
        )


def test_54_of_60_not_met_becomes_54_of_59_met_when_one_is_admitted_under_6_months(
    app, runner
) -> None:
    """HD 25-HD/BTCTW: a member admitted under 6 months is not rated and leaves the denominator."""
    with app.app_context():
        build_tree({"B1-C1": 30, "B1-C2": 20, "B2": 10})
        year = create_year(2023)
        _good(year, [f"M{n:05d}" for n in range(1, 55)])  # 54 good, 6 left undecided
        t7 = compute_targets(year).result("7")
        assert (t7.numerator, t7.denominator, t7.percent_text, t7.met) == (54, 60, "90,00%", False)
        set_not_rated(
            rating_of(year, _member("M00060")),
            reason="admitted_recently",
            on=date(2023, 12, 1),
            by=None,
        )
        db.session.commit()
        t7 = compute_targets(year).result("7")
        assert (t7.numerator, t7.denominator, t7.percent_text, t7.met) == (54, 59, "91,53%", True)
        assert t7.excluded == {"admitted_recently": 1} and t7.pending == 5
    data = json.loads(
        runner.invoke(args=["ratings", "targets", "--year", "2023", "--format", "json"]).output
    )
    seven = next(t for t in data["targets"] if t["code"] == "7")
    assert (seven["numerator"], seven["denominator"], seven["met"]) == (54, 59, True)
    assert seven["excluded"] == {
        "count": 1,
        "reasons": [{"code": "admitted_recently", "label": "Mới kết nạp dưới 6 tháng", "count": 1}],
    }
    text = runner.invoke(args=["ratings", "targets", "--year", "2023"]).output
    assert "54/59 = 91,53%" in text and "không xếp loại 1" in text


def test_a_newly_founded_organisation_lets_target_6a_reach_100_percent(app) -> None:
    """HD 25-HD/BTCTW: an organisation founded under 6 months is not rated (target 6)."""
    with app.app_context():
        build_tree({"B1-C1": 1, "B1-C2": 1, "B2": 1})
        year = create_year(2023)
        decide(
            rating_of(year, _org("B1")), level=Level.GOOD, score=None, by=None, low_confidence={}
        )
        assert not compute_targets(year).result("6a").met  # B2 still counts, undecided
        set_not_rated(
            rating_of(year, _org("B2")), reason="founded_recently", on=date(2023, 11, 1), by=None
        )
        result = compute_targets(year).result("6a")
        assert (result.numerator, result.denominator, result.met) == (1, 1, True)
        assert [(row.code, row.reason) for row in excluded_subjects(year)] == [
            ("B2", "Mới thành lập dưới 6 tháng")
        ]


def test_not_rated_takes_only_the_rule_sets_reasons_and_is_apart_from_a_decision(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 2, "B1-C2": 0, "B2": 0})
        year = create_year(2023)
        rating = rating_of(year, _member("M00001"))
        with pytest.raises(RatingError, match="không có trong"):
            set_not_rated(
                rating, reason="founded_recently", on=date(2023, 12, 1), by=None
            )  # an org's reason
        set_not_rated(rating, reason="suspended", on=date(2023, 12, 1), by=None)
        with pytest.raises(RatingError, match="không xếp loại"):
            decide(rating, level=Level.GOOD, score=None, by=None, low_confidence={})
        decided = rating_of(year, _member("M00002"))
        decide(decided, level=Level.GOOD, score=None, by=None, low_confidence={})
        with pytest.raises(RatingError, match="Đã có quyết định"):
            set_not_rated(decided, reason="exempt", on=date(2023, 12, 1), by=None)


def test_an_excellent_organisation_with_a_failed_member_needs_an_override(app) -> None:
    """Ceiling: «xuất sắc» needs every member «Hoàn thành nhiệm vụ» or above (HD 25)."""
    with app.app_context():
        build_tree({"B1-C1": 0, "B1-C2": 0, "B2": 6})
        year = create_year(2023)
        _good(year, ["M00001", "M00002", "M00003", "M00004", "M00005"])
        decide(
            rating_of(year, _member("M00006")),
            level=Level.FAILED,
            score=None,
            by=None,
            low_confidence={},
        )
        db.session.commit()
        org = rating_of(year, _org("B2"))
        with pytest.raises(ChecksFailed) as failed:
            decide(org, level=Level.EXCELLENT, score=None, by=None, low_confidence={})
        finding = failed.value.findings[0]
        assert finding.code == CheckCode.MEMBERS_COMPLETED and "1 đảng viên" in finding.message
        assert finding.source_text.startswith("Hướng dẫn 25-HD/BTCTW")
        db.session.rollback()
        org = rating_of(year, _org("B2"))
        decide(
            org,
            level=Level.EXCELLENT,
            score=None,
            by=None,
            low_confidence={},
            override_reason="Đảng viên đã chuyển sinh hoạt tạm thời",
        )
        codes = {o.check_code for o in db.session.scalars(select(RatingOverride))}
        assert codes == {"members_completed", "cap"}  # the only organisation: over 20% of 0 too


def test_the_secretary_from_committee_data_is_not_rated_above_the_organisation(app) -> None:
    """Ceiling: the secretary (read from the organisation's committee) not above the organisation."""
    with app.app_context():
        build_tree({"B1-C1": 0, "B1-C2": 0, "B2": 3})
        committee = Committee(organisation_id=_org("B2").id, kind=CommitteeKind.EXECUTIVE, term="I")
        committee.seats.append(Seat(member_id=_member("M00003").id, position=Position.SECRETARY))
        db.session.add(committee)
        year = create_year(2023)
        org = rating_of(year, _org("B2"))
        assert org.leader_id == _member("M00003").id  # recorded from the committee data
        decide(org, level=Level.COMPLETED, score=None, by=None, low_confidence={})
        db.session.commit()
        with pytest.raises(ChecksFailed) as failed:
            decide(
                rating_of(year, _member("M00003")),
                level=Level.GOOD,
                score=None,
                by=None,
                low_confidence={},
            )
        assert [f.code for f in failed.value.findings] == [CheckCode.SECRETARY]
        db.session.rollback()
        decide(
            rating_of(year, _member("M00003")),
            level=Level.COMPLETED,
            score=None,
            by=None,
            low_confidence={},
        )
        assert year_findings(year, {}) == []


def test_sick_leave_of_3_months_bars_good_with_an_override_like_a_trigger(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 1, "B1-C2": 0, "B2": 0})
        year = create_year(2023)
        rating = rating_of(year, _member("M00001"))
        set_facts(rating, discipline=None, triggers=["sick_leave"])
        with pytest.raises(ChecksFailed) as failed:
            decide(rating, level=Level.GOOD, score=None, by=None, low_confidence={})
        assert failed.value.findings[0].code == CheckCode.CEILING
        decide(
            rating,
            level=Level.GOOD,
            score=None,
            by=None,
            low_confidence={},
            override_reason="Nghỉ ốm do tai nạn khi làm nhiệm vụ",
        )
        [found] = year_findings(year, {})
        assert found.overridden and found.finding.code == CheckCode.CEILING


def test_a_transfer_never_changes_a_past_year(app) -> None:
    """A rating keeps the member's organisation at decision time."""
    with app.app_context():
        build_tree({"B1-C1": 2, "B1-C2": 0, "B2": 2})
        year = create_year(2023)
        _good(year, ["M00001", "M00002", "M00003"])
        decide(
            rating_of(year, _member("M00004")),
            level=Level.COMPLETED,
            score=None,
            by=None,
            low_confidence={},
        )
        db.session.commit()

        def snapshot():
            figures = compute_targets(year)
            return {
                u.code: (u.members.total, u.members.at_least(Level.GOOD)) for u in figures.units
            }

        before = snapshot()
        assert before == {"B1": (2, 2), "B2": (2, 1)}
        _member("M00004").organisation_id = _org("B1-C1").id  # moves from B2 to a cell of B1
        _member("M00001").organisation_id = _org("B2").id
        db.session.commit()
        assert snapshot() == before
        year2024 = create_year(2024)
        decide(
            rating_of(year2024, _member("M00004")),
            level=Level.GOOD,
            score=None,
            by=None,
            low_confidence={},
        )
        assert snapshot() == before  # a new year's rating does not move the old one either
        units = {u.code: u.members.total for u in compute_targets(year2024).units}
        assert units == {"B1": 2, "B2": 2}  # 2024 counts everyone where they are now


def test_years_before_2023_are_refused_and_a_rule_set_must_govern_its_year(app) -> None:
    with app.app_context():
        with pytest.raises(RatingError, match="132-QĐ/TW"):
            create_year(2022)
        with pytest.raises(RatingError, match="không áp dụng cho năm 2023"):
            create_year(2023, "366-QD-TW")
        assert create_year(2025).rule_set == "366-QD-TW"
        local = create_year(2024, outstanding_cap_percent=30)
        assert str(local.cap_share(True)) == "3/10" and str(local.cap_share(False)) == "1/5"


def test_a_rehearsal_never_feeds_the_low_confidence_trigger(demo_votes_app) -> None:
    """DOMAIN.md: only official votes feed the low-confidence trigger, never a rehearsal."""
    from ballot.rating.sources import low_confidence_by_member, votes_of_member
    from ballot.voting.models import ConfidenceVote, VoteKind

    with demo_votes_app.app_context():  # the demo as seed_demo() leaves it, with its votes
        rehearsal = db.session.scalars(
            select(ConfidenceVote).where(
                ConfidenceVote.rehearsal.is_(True), ConfidenceVote.kind == VoteKind.CONFIDENCE
            )
        ).one()
        year = rehearsal.conference.held_on.year
        assert low_confidence_by_member(year) == {}
        subject = rehearsal.subjects[0].member_id
        assert subject is not None
        [line] = votes_of_member(year, subject)
        assert line.rehearsal
        rehearsal.rehearsal = False  # the same counted vote, were it official, would count
        assert subject in low_confidence_by_member(year)
        db.session.rollback()
        for election in db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.kind == VoteKind.ELECTION)
        ):
            election.rehearsal = False  # an election, official or not, rates no one
        assert low_confidence_by_member(year) == {}
        assert len(votes_of_member(year, subject)) == 1
        db.session.rollback()
