"""The three steps, who did each and when, the decision's checks with overrides, re-rating."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.checks import CheckCode
from ballot.rating.decide import (
    ChecksFailed,
    RatingError,
    create_year,
    decide,
    rating_of,
    re_rate,
    record_proposal,
    record_self_assessment,
    set_facts,
)
from ballot.rating.findings import year_findings
from ballot.rating.models import RatingOverride, RatingRevision
from ballot.rating.rules import Discipline, Level
from tests.rating.conftest import build_tree


def _member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def test_three_steps_record_who_and_when_then_the_decision_is_locked(app, make_user) -> None:
    make_user("chief", "admin")
    with app.app_context():
        from ballot.auth.models import User

        chief = db.session.scalars(select(User)).one()
        build_tree({"B1-C1": 1, "B1-C2": 0, "B2": 0})
        year = create_year(2025)
        assert year.rule_set == "366-QD-TW"
        rating = rating_of(year, _member("M00001"))
        record_self_assessment(rating, level=Level.EXCELLENT, score=Decimal("91.5"), by=chief)
        record_proposal(rating, level=Level.GOOD, by=chief)
        decide(rating, level=Level.GOOD, score=Decimal("85"), by=chief, low_confidence={})
        assert (rating.self_level, rating.self_score, rating.proposed_level, rating.level) == (
            Level.EXCELLENT,
            Decimal("91.5"),
            Level.GOOD,
            Level.GOOD,
        )
        assert rating.self_by_id == rating.proposed_by_id == rating.decided_by_id == chief.id
        assert rating.self_at and rating.proposed_at and rating.decided_at
        with pytest.raises(RatingError, match="đánh giá lại"):
            record_self_assessment(rating, level=Level.GOOD, score=None, by=chief)
        with pytest.raises(RatingError):
            decide(rating, level=Level.EXCELLENT, score=Decimal("95"), by=chief, low_confidence={})


def test_scores_outside_the_scale_are_refused(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 1, "B1-C2": 0, "B2": 0})
        rating = rating_of(create_year(2025), _member("M00001"))
        with pytest.raises(RatingError, match="0 đến 100"):
            record_self_assessment(rating, level=Level.GOOD, score=Decimal("100.01"), by=None)


def test_a_disciplined_member_rated_above_failed_needs_a_written_reason(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 1, "B1-C2": 0, "B2": 0})
        year = create_year(2023)
        rating = rating_of(year, _member("M00001"))
        set_facts(rating, discipline=Discipline.REPRIMAND, triggers=[])
        with pytest.raises(ChecksFailed) as failed:
            decide(
                rating,
                level=Level.COMPLETED,
                score=None,
                by=None,
                low_confidence={},
                override_reason="  ",
            )
        assert [f.code for f in failed.value.findings] == [CheckCode.DISCIPLINE]
        assert rating.level is None
        decide(
            rating,
            level=Level.COMPLETED,
            score=None,
            by=None,
            low_confidence={},
            override_reason="Tự giác báo cáo, đã khắc phục",
        )
        override = db.session.scalars(select(RatingOverride)).one()
        assert (override.check_code, override.level, override.reason) == (
            "discipline",
            Level.COMPLETED,
            "Tự giác báo cáo, đã khắc phục",
        )
        findings = year_findings(year, {})
        assert len(findings) == 1 and findings[0].overridden
        assert findings[0].overrides[0].reason == "Tự giác báo cáo, đã khắc phục"


def test_a_leader_over_half_low_confidence_is_flagged_from_the_mapping(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 2, "B1-C2": 0, "B2": 0})
        year = create_year(2023)
        leader, other = _member("M00001"), _member("M00002")
        shares = {leader.id: Fraction(12, 22), other.id: Fraction(11, 22)}
        with pytest.raises(ChecksFailed) as failed:
            decide(
                rating_of(year, leader),
                level=Level.GOOD,
                score=None,
                by=None,
                low_confidence=shares,
            )
        assert "54,55%" in failed.value.findings[0].message
        decide(
            rating_of(year, other), level=Level.GOOD, score=None, by=None, low_confidence=shares
        )  # 50%: fine
        decide(
            rating_of(year, leader), level=Level.FAILED, score=None, by=None, low_confidence=shares
        )
        assert year_findings(year, shares) == []


def test_a_recorded_trigger_and_a_score_that_disagrees_are_checked(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 2, "B1-C2": 0, "B2": 0})
        year = create_year(2025)
        rating = rating_of(year, _member("M00001"))
        set_facts(rating, discipline=None, triggers=["tasks_undone"])
        with pytest.raises(ChecksFailed) as failed:
            decide(rating, level=Level.GOOD, score=Decimal("69.99"), by=None, low_confidence={})
        assert [f.code for f in failed.value.findings] == [CheckCode.TRIGGER, CheckCode.SCORE_LEVEL]
        with pytest.raises(RatingError):
            set_facts(rating, discipline=None, triggers=["disunity"])  # an organisation's trigger


def test_the_cap_fires_when_an_excellent_would_exceed_20_percent_of_good(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 6, "B1-C2": 0, "B2": 1})
        year = create_year(2023)
        for n in range(1, 6):
            decide(
                rating_of(year, _member(f"M{n:05d}")),
                level=Level.GOOD,
                score=None,
                by=None,
                low_confidence={},
            )
        decide(
            rating_of(year, _member("M00006")),
            level=Level.EXCELLENT,
            score=None,
            by=None,
            low_confidence={},
        )
        # B2's only member: excellent with nobody good in B2 is over that unit's cap
        with pytest.raises(ChecksFailed) as failed:
            decide(
                rating_of(year, _member("M00007")),
                level=Level.EXCELLENT,
                score=None,
                by=None,
                low_confidence={},
            )
        assert failed.value.findings[0].code == CheckCode.CAP
        assert "tối đa 0" in failed.value.findings[0].message


def test_re_rating_needs_a_reason_and_keeps_the_previous_level(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 1, "B1-C2": 0, "B2": 0})
        year = create_year(2023)
        rating = rating_of(year, _member("M00001"))
        with pytest.raises(RatingError, match="Chưa có quyết định"):
            re_rate(rating, level=Level.GOOD, score=None, reason="x", by=None, low_confidence={})
        decide(rating, level=Level.GOOD, score=None, by=None, low_confidence={})
        with pytest.raises(RatingError, match="lý do"):
            re_rate(
                rating, level=Level.COMPLETED, score=None, reason="   ", by=None, low_confidence={}
            )
        re_rate(
            rating,
            level=Level.COMPLETED,
            score=None,
            reason="Phát hiện vi phạm sau khi xếp loại",
            by=None,
            low_confidence={},
        )
        revision = db.session.scalars(select(RatingRevision)).one()
        assert (revision.previous_level, revision.level, revision.reason) == (
            Level.GOOD,
            Level.COMPLETED,
            "Phát hiện vi phạm sau khi xếp loại",
        )
        assert rating.level == Level.COMPLETED


def test_only_basic_organisations_are_rated_as_organisations(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        cell = db.session.get_one(Organisation, tree.c1)
        with pytest.raises(RatingError):
            rating_of(year, cell)
        with pytest.raises(RatingError, match="đã có"):
            create_year(2023)
        with pytest.raises(RatingError):
            create_year(2024, "no-such-rules")
