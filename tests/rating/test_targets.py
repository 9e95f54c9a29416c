"""Targets 6 and 7: exact arithmetic at the edges, and members not yet rated kept in the denominator."""

from __future__ import annotations

from fractions import Fraction

from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.decide import create_year, decide, rating_of
from ballot.rating.lists import not_rated_members
from ballot.rating.rules import Level
from ballot.rating.targets import TARGETS, compute_targets, units_pulling_down
from tests.rating.conftest import build_tree

T6A, T6B, T7 = TARGETS


def test_over_90_percent_means_strictly_over() -> None:
    assert not T7.met(9, 10)  # exactly 90% is not "over 90%"
    assert not T7.met(900, 1000)
    assert T7.met(9001, 10000)
    assert T7.met(10, 10)
    assert not T7.met(0, 0)  # nothing to count is not a target met


def test_100_percent_means_every_one() -> None:
    assert T6A.met(83, 83)
    assert not T6A.met(82, 83)
    assert T6A.goal == Fraction(1) and not T6A.strict
    assert T6B.goal == Fraction(9, 10) and T6B.strict


def _rate(year, codes_levels: dict[str, Level]) -> None:
    for code, level in codes_levels.items():
        subject = (
            db.session.query(Member).filter_by(code=code).one_or_none()
            or db.session.query(Organisation).filter_by(code=code).one()
        )
        decide(rating_of(year, subject), level=level, score=None, by=None, low_confidence={})


def test_exactly_90_percent_of_members_is_not_met_and_unrated_stay_in_the_denominator(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 4, "B1-C2": 3, "B2": 3})
        year = create_year(2023)
        _rate(year, {f"M{n:05d}": Level.GOOD for n in range(1, 10)})  # 9 good, M00010 not rated
        figures = compute_targets(year)
        t7 = figures.result("7")
        assert (t7.numerator, t7.denominator, t7.pending) == (9, 10, 1)
        assert t7.share == Fraction(9, 10) and not t7.met
        assert t7.percent_text == "90,00%"
        assert [row[0] for row in not_rated_members(year)] == ["M00010"]

        _rate(year, {"M00010": Level.COMPLETED})  # rated, but below good: still 90%
        t7 = compute_targets(year).result("7")
        assert (t7.numerator, t7.denominator, t7.pending, t7.met) == (9, 10, 0, False)


def test_over_90_percent_is_met_and_json_holds_each_figure(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 4, "B1-C2": 3, "B2": 3})
        year = create_year(2023)
        _rate(year, {f"M{n:05d}": Level.GOOD for n in range(1, 11)})
        _rate(year, {"B1": Level.GOOD, "B2": Level.COMPLETED})
        figures = compute_targets(year)
        data = figures.as_json()
        by_code = {t["code"]: t for t in data["targets"]}
        assert by_code["7"] == {
            **by_code["7"],
            "numerator": 10,
            "denominator": 10,
            "percentage": 100.0,
            "met": True,
            "not_rated": 0,
        }
        assert by_code["6a"]["met"] is True and by_code["6a"]["percentage_vn"] == "100,00%"
        assert (by_code["6b"]["numerator"], by_code["6b"]["denominator"], by_code["6b"]["met"]) == (
            1,
            2,
            False,
        )
        assert data["members"]["good"] == 10 and data["organisations"]["not_rated"] == 0


def test_an_organisation_not_yet_rated_keeps_target_6_from_100_percent(app) -> None:
    with app.app_context():
        tree = build_tree({"B1-C1": 1, "B1-C2": 1, "B2": 1})
        year = create_year(2023)
        _rate(year, {"B1": Level.GOOD})
        figures = compute_targets(year)
        t6a = figures.result("6a")
        assert (t6a.numerator, t6a.denominator, t6a.pending, t6a.met) == (1, 2, 1, False)
        assert [u.code for u in units_pulling_down(figures, T6A)] == ["B2"]
        assert figures.organisations.pending == 1
        assert tree.b2 in {u.id for u in figures.units}


def test_drill_down_rolls_cells_up_into_their_basic_organisation(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 4, "B1-C2": 3, "B2": 3})
        year = create_year(2023)
        _rate(
            year,
            {
                "M00002": Level.GOOD,
                "M00003": Level.GOOD,
                "M00004": Level.GOOD,
                "M00005": Level.GOOD,
                "M00006": Level.GOOD,
                "M00008": Level.GOOD,
                "M00009": Level.COMPLETED,
                "M00010": Level.FAILED,
                "M00001": Level.EXCELLENT,
            },
        )  # the excellent last: within 20% of B1's five good
        figures = compute_targets(year)
        b1 = next(u for u in figures.units if u.code == "B1")
        assert [c.code for c in b1.cells] == ["B1-C1", "B1-C2"]
        assert (
            b1.members.total == 7
            and b1.members.at_least(Level.GOOD) == 6
            and b1.members.pending == 1
        )
        assert (b1.cells[1].members.count(Level.GOOD), b1.cells[1].members.pending) == (2, 1)
        assert figures.members.total == 10
        # B2 (1/3) pulls target 7 down more than B1 (6/7, its unrated member counted)
        assert [u.code for u in units_pulling_down(figures, T7)] == ["B2", "B1"]


def test_inactive_members_count_only_when_rated_that_year(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 2, "B1-C2": 0, "B2": 1})
        year = create_year(2023)
        _rate(year, {"M00001": Level.GOOD})
        for member in db.session.query(Member).filter(Member.code.in_(["M00001", "M00002"])):
            member.active = False
        db.session.flush()
        t7 = compute_targets(year).result("7")
        assert (t7.numerator, t7.denominator) == (
            1,
            2,
        )  # M00001 rated and left; M00002 left unrated
