"""Rules of 190-QĐ/TW: list checks, ballot validity, who is elected, ties, further rounds."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ballot.elections.rules import (
    RULES,
    Kind,
    MajorityBase,
    Mark,
    RuleError,
    Status,
    check_ballot_marks,
    check_ballot_surplus,
    check_list,
    outcome,
    rules_from_manifest,
    votes_from_marks,
)


def test_every_rule_cites_an_article_and_a_source() -> None:
    for rule in RULES:
        assert rule.article and rule.source and rule.en and rule.vi
        assert "[S" in rule.source  # a numbered source from the module docstring


# --- lists (Art. 14) ---------------------------------------------------------------------


def test_committee_list_at_30_percent_is_accepted_and_over_is_refused() -> None:
    assert check_list(Kind.COMMITTEE, 33, 42).with_surplus  # 9/33 = 27%
    check_list(Kind.COMMITTEE, 10, 13)  # exactly 30%
    with pytest.raises(RuleError) as err:
        check_list(Kind.COMMITTEE, 10, 14)
    assert err.value.code == "surplus_cap"
    # Art. 14.1 fixes the cap for the committee: a conference decision does not lift it
    with pytest.raises(RuleError):
        check_list(Kind.STANDING, 10, 14, surplus_decision="Đại hội biểu quyết 100%")


def test_committee_list_needs_a_surplus() -> None:
    with pytest.raises(RuleError) as err:
        check_list(Kind.STANDING, 9, 9)
    assert err.value.code == "surplus_cap"


def test_other_lists_over_30_percent_need_a_recorded_decision() -> None:
    with pytest.raises(RuleError) as err:
        check_list(Kind.DELEGATES, 5, 7)
    assert err.value.code == "surplus_decided"
    rules = check_list(Kind.DELEGATES, 5, 7, surplus_decision="  Nghị quyết số 3 của đại hội ")
    assert rules.surplus_decision == "Nghị quyết số 3 của đại hội"
    assert rules.as_manifest()["surplus_decision"] == "Nghị quyết số 3 của đại hội"


def test_short_list_and_zero_seats_are_refused() -> None:
    with pytest.raises(RuleError):
        check_list(Kind.SECRETARY, 0, 1)
    with pytest.raises(RuleError) as err:
        check_list(Kind.INSPECTION, 5, 4)
    assert err.value.code == "list_short"


def test_manifest_round_trip() -> None:
    rules = check_list(Kind.COMMITTEE, 33, 40, majority_base=MajorityBase.VALID)
    assert rules_from_manifest(rules.as_manifest()) == rules
    assert rules.as_manifest()["min_kept"] == 1


# --- ballots (Art. 15, Art. 30.1) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kept", "valid", "rule"),
    [(9, True, ""), (5, True, ""), (1, True, ""), (10, False, "kept_at_most_seats"),
     (11, False, "kept_at_most_seats"), (0, False, "not_all_crossed")],
)  # fmt: skip
def test_ballot_on_a_list_with_surplus(kept: int, valid: bool, rule: str) -> None:
    rules = check_list(Kind.STANDING, 9, 11)
    result = check_ballot_surplus(rules, kept)
    assert result.valid is valid and result.rule == rule
    if not valid:
        assert result.vi and result.en


def test_kept_out_of_range_is_an_error() -> None:
    with pytest.raises(ValueError):
        check_ballot_surplus(check_list(Kind.STANDING, 9, 11), 12)


def test_list_without_surplus_both_or_neither_count_for_no_one_ballot_valid() -> None:
    rules = check_list(Kind.DEPUTY_SECRETARY, 3, 3)
    assert rules.min_kept == 0
    marks = [Mark.AGREE, Mark.BOTH, Mark.NEITHER]
    assert check_ballot_marks(rules, marks).valid
    assert votes_from_marks(marks) == [1, 0, 0]
    all_disagree = [Mark.DISAGREE] * 3
    assert check_ballot_marks(rules, all_disagree).valid
    assert votes_from_marks(all_disagree) == [0, 0, 0]


@pytest.mark.parametrize(
    ("mark", "valid"),
    [(Mark.AGREE, True), (Mark.DISAGREE, True), (Mark.BOTH, False), (Mark.NEITHER, False)],
)
def test_single_person_list_needs_exactly_one_box(mark: Mark, valid: bool) -> None:
    rules = check_list(Kind.SECRETARY, 1, 1)
    result = check_ballot_marks(rules, [mark])
    assert result.valid is valid
    if not valid:
        assert result.rule == "single_person"


# --- results (Art. 30, ties, further rounds) ---------------------------------------------


def test_elected_in_order_of_votes_up_to_the_seats() -> None:
    rules = check_list(Kind.STANDING, 3, 4, majority_base=MajorityBase.VALID)
    out = outcome(rules, [60, 90, 70, 80], valid=100)
    assert out.elected == [1, 3, 2]
    assert out.seats_left == 0 and out.further_round == []
    by_index = {r.index: r for r in out.ranked}
    assert by_index[0].status is Status.NOT_ELECTED  # 60 > 50 but no seat left
    assert by_index[1].rank == 1 and by_index[1].share_valid == Fraction(9, 10)
    assert [r.index for r in out.ranked] == [1, 3, 2, 0]


def test_exactly_half_is_not_more_than_half() -> None:
    rules = check_list(Kind.STANDING, 2, 3, majority_base=MajorityBase.VALID)
    out = outcome(rules, [51, 50, 49], valid=100)
    assert out.elected == [0]
    assert {r.index: r.status for r in out.ranked}[1] is Status.NO_MAJORITY
    assert out.seats_left == 1 and out.further_round == [1, 2]
    assert "bầu tiếp" in out.further_vi


def test_majority_against_the_convened_number() -> None:
    rules = check_list(Kind.COMMITTEE, 2, 3)
    # 200 delegates convened, 150 valid ballots: 90 of 150 is > half of valid but not of 200
    out = outcome(rules, [120, 101, 90], valid=150, convened=200)
    assert out.elected == [0, 1]
    assert {r.index: r.status for r in out.ranked}[2] is Status.NO_MAJORITY
    with pytest.raises(ValueError):
        outcome(rules, [120, 101, 90], valid=150)


def test_tie_at_the_last_seat_elects_none_of_the_tied() -> None:
    rules = check_list(Kind.STANDING, 3, 4, majority_base=MajorityBase.VALID)
    out = outcome(rules, [90, 70, 80, 70], valid=100)
    assert out.elected == [0, 2]
    assert out.seats_left == 1 and out.further_round == [1, 3]
    statuses = {r.index: r.status for r in out.ranked}
    assert statuses[1] is statuses[3] is Status.TIED
    assert {r.index: r.rank for r in out.ranked}[1] == 3


def test_tie_that_fits_within_the_seats_elects_all_tied() -> None:
    rules = check_list(Kind.STANDING, 3, 4, majority_base=MajorityBase.VALID)
    out = outcome(rules, [90, 70, 70, 60], valid=100)
    assert out.elected == [0, 1, 2] and out.further_round == []


def test_tie_below_the_majority_is_not_a_tie_for_a_seat() -> None:
    rules = check_list(Kind.STANDING, 2, 3, majority_base=MajorityBase.VALID)
    out = outcome(rules, [80, 40, 40], valid=100)
    assert out.elected == [0]
    assert {r.index: r.status for r in out.ranked}[1] is Status.NO_MAJORITY
    assert out.further_round == [1, 2]


def test_everyone_tied_for_fewer_seats() -> None:
    rules = check_list(Kind.STANDING, 2, 3, majority_base=MajorityBase.VALID)
    out = outcome(rules, [70, 70, 70], valid=100)
    assert out.elected == [] and out.further_round == [0, 1, 2] and out.seats_left == 2


def test_no_valid_ballot_elects_no_one() -> None:
    rules = check_list(Kind.STANDING, 2, 3, majority_base=MajorityBase.VALID)
    out = outcome(rules, [0, 0, 0], valid=0)
    assert out.elected == [] and out.seats_left == 2


def test_counts_must_be_consistent() -> None:
    rules = check_list(Kind.STANDING, 2, 3, majority_base=MajorityBase.VALID)
    with pytest.raises(ValueError):
        outcome(rules, [101, 0, 0], valid=100)
    with pytest.raises(ValueError):
        outcome(rules, [1, 0], valid=100)


def test_small_lists_may_always_hold_one_extra_name() -> None:
    check_list(Kind.STANDING, 3, 4)  # 33% > 30%, but a surplus is required (Art. 14.1)
    with pytest.raises(RuleError):
        check_list(Kind.STANDING, 3, 5)
    check_list(Kind.STANDING, 7, 9)  # 30% of 7 = 2.1 -> 2
    with pytest.raises(RuleError):
        check_list(Kind.STANDING, 7, 10)
