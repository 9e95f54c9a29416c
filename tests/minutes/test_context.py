"""The arithmetic and wording rules the documents rely on, checked without rendering."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from ballot.minutes import FLAG_CONSIDER, FLAG_DISMISS, Bound, SubjectResult, Thresholds, percent_of
from ballot.minutes import text as wording
from tests.minutes.conftest import make_issuance, make_minutes


def test_percentages_are_of_ballots_received_rounded_half_up() -> None:
    assert percent_of(12, 17) == "70,59%"
    assert percent_of(10, 17) == "58,82%"
    assert percent_of(0, 17) == "0,00%"
    # 1/160 = 0,625 %: half-up gives 0,63 where float or banker's rounding would give 0,62.
    assert percent_of(1, 160) == "0,63%"
    assert percent_of(5990, 6046) == "99,07%"


def test_two_thirds_boundary_follows_the_configured_reading() -> None:
    from_two_thirds = Thresholds()
    above_two_thirds = Thresholds(dismiss=Bound(2, 3, inclusive=False))
    assert from_two_thirds.flag_for(12, 18) == FLAG_DISMISS
    assert above_two_thirds.flag_for(12, 18) == FLAG_CONSIDER
    assert above_two_thirds.flag_for(13, 18) == FLAG_DISMISS


def test_exactly_half_is_not_above_half() -> None:
    assert Thresholds().flag_for(9, 18) is None
    assert Thresholds().flag_for(10, 18) == FLAG_CONSIDER
    assert Thresholds(consider=Bound(1, 2, inclusive=True)).flag_for(9, 18) == FLAG_CONSIDER


def test_sample_vote_flags_one_to_consider_and_one_to_dismiss(minutes_ctx) -> None:
    flags = {s.full_name: minutes_ctx.flag(s) for s in minutes_ctx.subjects}
    assert flags["Thạch Thị Sô Phia"] == FLAG_CONSIDER  # 10 of 17
    assert flags["Huỳnh Văn Dũng"] == FLAG_DISMISS  # 12 of 17
    assert sum(flag is not None for flag in flags.values()) == 2


def test_band_wording_follows_the_boundaries() -> None:
    from ballot.minutes.compose import rules_of
    from ballot.voting.rules import consider_band, dismiss_band

    assert consider_band(rules_of(Thresholds())) == "trên 1/2 đến dưới 2/3"
    above = rules_of(Thresholds(dismiss=Bound(2, 3, inclusive=False)))
    assert consider_band(above) == "trên 1/2 đến 2/3"
    assert dismiss_band(above) == "trên 2/3"
    assert dismiss_band(rules_of(Thresholds())) == "từ 2/3 trở lên"


def test_dates_and_times_in_the_administrative_style() -> None:
    assert wording.long_date(date(2024, 1, 2)) == "ngày 02 tháng 01 năm 2024"
    assert wording.long_date(date(2024, 3, 15)) == "ngày 15 tháng 3 năm 2024"
    assert wording.clock(datetime(2024, 1, 2, 1, 5, tzinfo=UTC)) == "08 giờ 05 phút"


def test_fingerprint_is_grouped_for_reading_aloud(minutes_ctx) -> None:
    lines = wording.fingerprint_lines(minutes_ctx.fingerprint_hex)
    assert len(lines) == 2
    assert all(len(group) == 4 for line in lines for group in line.split())
    assert "".join(lines).replace(" ", "") == minutes_ctx.fingerprint_hex.upper()


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Trần Thị Kim Phượng")
    subject = SubjectResult(1, decomposed, "Phó Bí thư", 1, 0, 0, 0)
    assert subject.full_name == unicodedata.normalize("NFC", decomposed)
    assert subject.full_name != decomposed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"present": 18}, "summoned"),
        ({"received": 16}, "must equal ballots received"),
        ({"issued": 18}, "more ballots issued"),
        ({"ballots_with_blank_rows": 0}, "blank rows"),
        ({"ballots_with_blank_rows": 5}, "blank rows"),
        ({"fingerprint_hex": "abc"}, "64 hex"),
        ({"trustee_threshold": 6}, "t <= n"),
    ],
)
def test_an_inconsistent_record_cannot_be_printed(changes, message) -> None:
    with pytest.raises(ValueError, match=message):
        make_minutes(**changes)


def test_a_subject_row_must_account_for_every_ballot(minutes_ctx) -> None:
    short = replace(minutes_ctx.subjects[0], high=11)
    with pytest.raises(ValueError, match="Nguyễn Văn Tám"):
        replace(minutes_ctx, subjects=(short, *minutes_ctx.subjects[1:]))


def test_issuance_counts_must_add_up() -> None:
    assert make_issuance().unused == 0
    with pytest.raises(ValueError, match="more codes used"):
        make_issuance(used=18)


@pytest.mark.parametrize("dismiss_inclusive", [True, False])
@pytest.mark.parametrize("received", [1, 2, 3, 6, 17, 18, 22])
def test_the_minutes_flag_exactly_what_the_vote_rules_flag(dismiss_inclusive, received) -> None:
    """The printed minutes must never disagree with the results screen about a flag."""
    from ballot.voting.rules import VoteRules, low_confidence_flag

    rules = VoteRules(dismiss_inclusive=dismiss_inclusive)
    thresholds = Thresholds.from_fractions(
        rules.quorum, rules.consider, rules.dismiss, rules.dismiss_inclusive
    )
    for low in range(received + 1):
        assert thresholds.flag_for(low, received) == low_confidence_flag(rules, low, received)
