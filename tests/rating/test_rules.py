"""Rule sets as data, each rule with its source: triggers, ceilings, exclusions, score bands
and the cap on both rule sets (124-QĐ/TW with HD 25 for 2023–2024, 366-QĐ/TW with HD 43 from
2025). Each test names the clause it checks."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ballot.rating.checks import CapGroup, CheckCode, SubjectFacts, check_cap, check_subject
from ballot.rating.rules import (
    CapBasis,
    Discipline,
    Level,
    SubjectKind,
    TriggerSource,
    cap_limit,
    discipline_forces_failure,
    low_confidence_forces_failure,
    over_cap,
    score_agrees,
)
from ballot.rating.rulesets import NoRuleSet, all_rule_sets, get_rule_set, rule_set_for_year

QD124 = get_rule_set("124-QD-TW")
QD366 = get_rule_set("366-QD-TW")
BOTH = pytest.mark.parametrize("rules", [QD124, QD366], ids=["124", "366"])
M, ORG = SubjectKind.MEMBER, SubjectKind.ORGANISATION


def _codes(rules, **facts):
    kind = facts.pop("kind", M)
    return [f.code for f in check_subject(rules, SubjectFacts(kind, **facts))]


def test_every_rule_of_both_rule_sets_names_its_document_and_clause() -> None:
    for rules in all_rule_sets():
        sources = [rules.levels_source, rules.cap.source, rules.cap.basis_source]
        sources += [rules.cap.outstanding_source]
        sources += [t.source for t in rules.triggers] + [c.source for c in rules.ceilings]
        sources += [e.source for e in rules.exclusions]
        if rules.score_scale:
            sources += [b.source for b in rules.score_scale.bands]
        for source in sources:
            assert source.document and (source.clause or source.local), source
            # A rule is either local, or checked against a named page, or says it was not.
            assert source.local or source.secondary, source


def test_the_local_choices_are_marked_local_on_both_rule_sets() -> None:
    for rules in all_rule_sets():
        assert rules.cap.outstanding_source.local and rules.cap.basis_source.local
        assert not rules.cap.source.local


def test_366_keeps_its_own_list_not_124s() -> None:
    assert QD366.triggers is not QD124.triggers
    assert QD366.trigger("discipline").source.document == "Quy định 366-QĐ/TW"  # type: ignore[union-attr]
    assert QD124.trigger("discipline").source.document == "Quy định 124-QĐ/TW"  # type: ignore[union-attr]
    assert QD366.trigger("personnel_errors") is None and QD124.trigger("personnel_errors") is None


def test_years_map_to_their_rule_set_and_years_before_2023_are_refused() -> None:
    assert [r.code for r in all_rule_sets()] == ["124-QD-TW", "366-QD-TW"]
    assert rule_set_for_year(2023) is QD124 and rule_set_for_year(2024) is QD124
    assert rule_set_for_year(2025) is QD366 and rule_set_for_year(2030) is QD366
    for year in (2019, 2022):
        with pytest.raises(NoRuleSet):
            rule_set_for_year(year)
    with pytest.raises(KeyError):
        get_rule_set("no-such-rule")


@BOTH
@pytest.mark.parametrize("discipline", list(Discipline))
def test_any_discipline_form_party_state_or_mass_organisation_forces_failed(
    rules, discipline
) -> None:
    """124-QĐ/TW Điều 12 / 366-QĐ/TW Điều 11: «bị xử lý kỷ luật trong năm», any form ("Hạ bậc lương" too)."""
    assert discipline_forces_failure(rules, discipline)
    assert _codes(rules, level=Level.COMPLETED, discipline=discipline) == [CheckCode.DISCIPLINE]
    assert _codes(rules, level=Level.FAILED, discipline=discipline) == []
    assert not discipline_forces_failure(rules, None)


@BOTH
def test_a_leader_over_half_low_confidence_is_failed_exactly_half_is_not(rules) -> None:
    """Cán bộ lãnh đạo có trên 50% phiếu tín nhiệm thấp (124 Điều 12 / 366 Điều 11)."""
    assert not low_confidence_forces_failure(rules, Fraction(11, 22))
    assert low_confidence_forces_failure(rules, Fraction(12, 22))
    assert _codes(rules, level=Level.GOOD, low_confidence=Fraction(12, 22)) == [
        CheckCode.LOW_CONFIDENCE
    ]


@BOTH
@pytest.mark.parametrize(
    "code",
    ["tasks_undone", "degradation", "forbidden_acts", "unit_under_50", "corruption"],
)
def test_each_member_trigger_forces_failed(rules, code) -> None:
    """Member and leader triggers of 124 Điều 12 / 366 Điều 11 (the leader's unit under 50%, not 70%)."""
    trigger = rules.trigger(code)
    assert trigger is not None and trigger.applies_to == M and trigger.max_level == Level.FAILED
    assert _codes(rules, level=Level.COMPLETED, triggers=(code,)) == [CheckCode.TRIGGER]
    assert _codes(rules, level=Level.FAILED, triggers=(code,)) == []


def test_the_leaders_unit_trigger_is_under_50_percent_with_main_targets_missed() -> None:
    """124-QĐ/TW Điều 12: «hoàn thành dưới 50% ... và có các chỉ tiêu chủ yếu không đạt»."""
    for rules in (QD124, QD366):
        label = str(rules.trigger("unit_under_50").label)  # type: ignore[union-attr]
        assert "dưới 50%" in label and "chủ yếu" in label
        assert rules.trigger("unit_under_70") is None


@BOTH
def test_collective_triggers_force_failed(rules) -> None:
    """Tập thể: bị kỷ luật, trên 20% đơn vị trực thuộc bị kỷ luật, tham nhũng, mất đoàn kết."""
    for code in ("org_disciplined", "subunits_disciplined", "org_corruption", "disunity"):
        assert _codes(rules, kind=ORG, level=Level.GOOD, triggers=(code,)) == [CheckCode.TRIGGER]


@BOTH
def test_one_disciplined_leadership_member_only_bars_excellent(rules) -> None:
    """124 Điều 12 / 366 Điều 11, mức xuất sắc: «không có thành viên tập thể lãnh đạo bị kỷ luật»."""
    fact = ("leader_disciplined",)
    assert _codes(rules, kind=ORG, level=Level.EXCELLENT, triggers=fact) == [CheckCode.CEILING]
    assert _codes(rules, kind=ORG, level=Level.GOOD, triggers=fact) == []


@BOTH
def test_three_months_sick_leave_bars_good_and_above(rules) -> None:
    """Nghỉ ốm từ 3 tháng trở lên: không xếp loại từ Hoàn thành tốt trở lên (HD 25 / HD 43)."""
    fact = ("sick_leave",)
    assert _codes(rules, level=Level.GOOD, triggers=fact) == [CheckCode.CEILING]
    assert _codes(rules, level=Level.EXCELLENT, triggers=fact) == [CheckCode.CEILING]
    assert _codes(rules, level=Level.COMPLETED, triggers=fact) == []


@BOTH
def test_an_excellent_organisation_needs_every_member_completed_or_above(rules) -> None:
    """Ceiling «members_completed» (HD 25 / HD 43, xếp loại tổ chức cơ sở đảng)."""
    assert _codes(rules, kind=ORG, level=Level.EXCELLENT, failed_members=1) == [
        CheckCode.MEMBERS_COMPLETED
    ]
    assert _codes(rules, kind=ORG, level=Level.GOOD, failed_members=1) == []
    assert _codes(rules, kind=ORG, level=Level.EXCELLENT) == []


@BOTH
def test_a_secretary_is_not_rated_above_their_organisation(rules) -> None:
    """Ceiling «secretary_not_above» (HD 25 / HD 43, cá nhân lãnh đạo), from both sides."""
    assert _codes(rules, level=Level.EXCELLENT, led_level=Level.GOOD) == [CheckCode.SECRETARY]
    assert _codes(rules, level=Level.GOOD, led_level=Level.GOOD) == []
    assert _codes(rules, kind=ORG, level=Level.COMPLETED, leader_level=Level.GOOD) == [
        CheckCode.SECRETARY
    ]


@BOTH
def test_the_exclusions_are_the_four_reasons_with_sources(rules) -> None:
    """Không xếp loại: miễn công tác và sinh hoạt, đình chỉ sinh hoạt, kết nạp/thành lập < 6 tháng."""
    assert {e.code for e in rules.exclusions_for(M)} == {
        "exempt",
        "suspended",
        "admitted_recently",
    }
    assert {e.code for e in rules.exclusions_for(ORG)} == {"founded_recently"}


@pytest.mark.parametrize(
    ("score", "level"),
    [("49.99", Level.FAILED), ("50", Level.COMPLETED), ("69.99", Level.COMPLETED)]
    + [
        ("70", Level.GOOD),
        ("89.99", Level.GOOD),
        ("90", Level.EXCELLENT),
        ("100", Level.EXCELLENT),
    ],
)
def test_366_score_bands_at_90_70_50(score: str, level: Level) -> None:
    """366-QĐ/TW Điều 11: xuất sắc từ 90, tốt 70 đến dưới 90, hoàn thành 50 đến dưới 70."""
    assert QD366.score_scale is not None
    assert QD366.score_scale.level_for(Decimal(score)) == level
    assert score_agrees(QD366, Decimal(score), level)


def test_the_366_score_check_fires_upwards_only() -> None:
    """366-QĐ/TW Điều 11: the score is necessary, not sufficient; 95 points rated «tốt» is fine."""
    assert score_agrees(QD366, Decimal("95"), Level.GOOD)
    assert _codes(QD366, level=Level.GOOD, score=Decimal("95")) == []
    assert _codes(QD366, level=Level.COMPLETED, score=Decimal("95")) == []
    assert _codes(QD366, level=Level.EXCELLENT, score=Decimal("89.99")) == [CheckCode.SCORE_LEVEL]
    assert _codes(QD366, level=Level.COMPLETED, score=Decimal("49.99")) == [CheckCode.SCORE_LEVEL]
    assert _codes(QD366, level=Level.FAILED, score=Decimal("95")) == []


def test_124_has_no_score_scale_so_any_score_agrees() -> None:
    assert QD124.score_scale is None
    assert score_agrees(QD124, Decimal("12"), Level.EXCELLENT)


@pytest.mark.parametrize(
    ("basis", "share", "excellent", "good", "over"),
    [
        (CapBasis.GOOD, Fraction(1, 5), 2, 10, False),
        (CapBasis.GOOD, Fraction(1, 5), 3, 10, True),
        (CapBasis.GOOD, Fraction(1, 5), 1, 0, True),
        (CapBasis.GOOD, Fraction(1, 4), 3, 12, False),  # outstanding unit (local 25%)
        (CapBasis.GOOD, Fraction(1, 4), 4, 12, True),
        (CapBasis.GOOD_AND_ABOVE, Fraction(1, 5), 2, 8, False),
        (CapBasis.GOOD_AND_ABOVE, Fraction(1, 5), 3, 8, True),
        (CapBasis.GOOD_AND_ABOVE, Fraction(1, 5), 3, 12, False),
    ],
)
def test_the_excellence_cap_with_both_denominators(basis, share, excellent, good, over) -> None:
    """124 Điều 12: xuất sắc không quá 20% số Hoàn thành tốt; the denominator is a local choice."""
    assert over_cap(share, basis, excellent, good) is over
    assert cap_limit(Fraction(1, 5), CapBasis.GOOD_AND_ABOVE, 3, 8) == Fraction(11, 5)


def test_the_cap_message_reads_naturally() -> None:
    finding = check_cap(QD124, Fraction(1, 5), CapBasis.GOOD, CapGroup(1, 3), "Chi bộ Sở Tư pháp")
    assert finding is not None
    assert finding.message == (
        "Chi bộ Sở Tư pháp: 1 Hoàn thành xuất sắc nhiệm vụ, trong khi chỉ được tối đa 0 "
        "(20% của 3 người Hoàn thành tốt nhiệm vụ)."
    )
    assert finding.source_text == "Quy định 124-QĐ/TW, Điều 12, mức «Hoàn thành xuất sắc nhiệm vụ»"


def test_recorded_facts_are_split_by_subject_and_discipline_is_its_own_column() -> None:
    members = {t.code for t in QD124.recorded_triggers_for(M)}
    assert {"tasks_undone", "unit_under_50", "corruption", "sick_leave"} <= members
    assert QD124.by_origin(TriggerSource.DISCIPLINE) is not None
    assert "discipline" not in members and "low_confidence" not in members


def test_docs_ratings_explains_every_rule_by_its_code() -> None:
    """docs/ratings.md names every trigger, ceiling and exclusion of both rule sets."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "ratings.md").read_text("utf-8")
    for rules in all_rule_sets():
        codes = [t.code for t in rules.triggers] + [c.code for c in rules.ceilings]
        codes += [e.code for e in rules.exclusions]
        for code in codes:
            assert f"`{code}`" in text, code
