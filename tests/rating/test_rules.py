"""Rule sets as data: levels from scores at the boundaries, triggers, the excellence cap."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ballot.rating.checks import SubjectFacts, check_subject
from ballot.rating.rules import (
    CapBasis,
    Discipline,
    Level,
    SubjectKind,
    cap_limit,
    discipline_forces_failure,
    low_confidence_forces_failure,
    over_cap,
    score_agrees,
)
from ballot.rating.rulesets import all_rule_sets, get_rule_set, rule_set_for_year

QD124 = get_rule_set("124-QD-TW")
QD366 = get_rule_set("366-QD-TW")


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", Level.FAILED),
        ("49.99", Level.FAILED),
        ("50", Level.COMPLETED),
        ("50.00", Level.COMPLETED),
        ("69.99", Level.COMPLETED),
        ("70", Level.GOOD),
        ("89.99", Level.GOOD),
        ("90", Level.EXCELLENT),
        ("100", Level.EXCELLENT),
    ],
)
def test_366_scores_reach_levels_at_90_70_50(score: str, level: Level) -> None:
    assert QD366.score_scale is not None
    assert QD366.score_scale.level_for(Decimal(score)) == level
    assert score_agrees(QD366, Decimal(score), level)


def test_a_score_just_under_a_threshold_disagrees_with_the_higher_level() -> None:
    assert not score_agrees(QD366, Decimal("89.99"), Level.EXCELLENT)
    assert not score_agrees(QD366, Decimal("69.99"), Level.GOOD)
    assert not score_agrees(QD366, Decimal("49.99"), Level.COMPLETED)
    assert not score_agrees(QD366, Decimal("95"), Level.GOOD)  # above the range is wrong too


def test_124_has_no_score_scale_so_any_score_agrees() -> None:
    assert QD124.score_scale is None
    assert score_agrees(QD124, Decimal("12"), Level.EXCELLENT)


def test_both_rule_sets_keep_the_four_levels_and_the_registry_finds_them_by_year() -> None:
    assert [r.code for r in all_rule_sets()] == ["124-QD-TW", "366-QD-TW"]
    for rules in all_rule_sets():
        assert rules.levels == (Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED)
    assert rule_set_for_year(2023) is QD124
    assert rule_set_for_year(2024) is QD124
    assert rule_set_for_year(2025) is QD366
    with pytest.raises(KeyError):
        get_rule_set("no-such-rule")


def test_discipline_from_reprimand_up_forces_failure() -> None:
    assert not discipline_forces_failure(QD124, None)
    for discipline in Discipline:
        assert discipline_forces_failure(QD124, discipline)


def test_low_confidence_forces_failure_only_when_strictly_over_half() -> None:
    assert not low_confidence_forces_failure(QD366, None)
    assert not low_confidence_forces_failure(QD366, Fraction(11, 22))  # exactly 50%
    assert low_confidence_forces_failure(QD366, Fraction(12, 22))
    assert low_confidence_forces_failure(QD366, Fraction(501, 1000))


def test_recorded_triggers_are_split_by_subject() -> None:
    members = {t.code for t in QD124.recorded_triggers_for(SubjectKind.MEMBER)}
    orgs = {t.code for t in QD124.recorded_triggers_for(SubjectKind.ORGANISATION)}
    assert {"tasks_undone", "corruption", "unit_under_70"} == members
    assert {"disunity", "personnel_errors", "leader_disciplined", "org_tasks_undone"} == orgs
    assert {t.code for t in QD124.triggers_for(SubjectKind.MEMBER)} >= {
        "discipline",
        "low_confidence",
    }


@pytest.mark.parametrize(
    ("basis", "excellent", "good", "outstanding", "over"),
    [
        (CapBasis.GOOD, 2, 10, False, False),  # 2 <= 20% of 10
        (CapBasis.GOOD, 3, 10, False, True),
        (CapBasis.GOOD, 1, 0, False, True),  # nobody good yet: no room for excellent
        (CapBasis.GOOD, 3, 12, True, False),  # outstanding unit: 25% of 12 = 3
        (CapBasis.GOOD, 4, 12, True, True),
        (CapBasis.GOOD_AND_ABOVE, 2, 8, False, False),  # 20% of (8 + 2) = 2
        (CapBasis.GOOD_AND_ABOVE, 3, 8, False, True),  # 20% of 11 = 2.2
        (CapBasis.GOOD_AND_ABOVE, 3, 12, False, False),  # 20% of 15 = 3
    ],
)
def test_the_excellence_cap_with_both_denominators(
    basis: CapBasis, excellent: int, good: int, outstanding: bool, over: bool
) -> None:
    assert over_cap(QD124, basis, excellent, good, outstanding) is over


def test_cap_limit_is_an_exact_fraction() -> None:
    assert cap_limit(QD124, CapBasis.GOOD_AND_ABOVE, 3, 8, False) == Fraction(11, 5)


def test_checks_name_each_rule_broken() -> None:
    facts = SubjectFacts(
        SubjectKind.MEMBER,
        Level.GOOD,
        Decimal("95"),
        Discipline.WARNING,
        ("tasks_undone",),
        Fraction(3, 5),
    )
    codes = [f.code for f in check_subject(QD366, facts)]
    assert codes == ["discipline", "low_confidence", "trigger", "score_level"]


def test_failed_because_of_a_trigger_is_consistent_whatever_the_score() -> None:
    facts = SubjectFacts(SubjectKind.MEMBER, Level.FAILED, Decimal("95"), Discipline.REPRIMAND)
    assert check_subject(QD366, facts) == []
    plain = SubjectFacts(SubjectKind.MEMBER, Level.FAILED, Decimal("95"))
    assert [f.code for f in check_subject(QD366, plain)] == ["score_level"]


def test_a_clean_rating_has_no_findings() -> None:
    assert check_subject(QD366, SubjectFacts(SubjectKind.MEMBER, Level.GOOD, Decimal("80"))) == []
    assert check_subject(QD366, SubjectFacts(SubjectKind.MEMBER, None)) == []
