"""Readable election results from a verified record (ranking, percentages, who and why)."""

from __future__ import annotations

import copy

from ballot.crypto.election_sim import simulate_election
from ballot.elections.report import outcome_lines, record_outcome
from ballot.elections.rules import MajorityBase, Status


def test_outcome_lines_rank_with_percentages_and_reasons() -> None:
    record = simulate_election(voters=6, candidates=4, seats=3, seed="report").record
    record = copy.deepcopy(record)
    # what the rules do with these counts (the crypto is not re-checked here)
    record["result"]["counts"] = [6, 4, 4, 4]
    out = record_outcome(record)  # majority against the 6 convened
    assert out.elected == [0]
    assert {r.index: r.status for r in out.ranked}[1] is Status.TIED
    assert out.further_round == [1, 2, 3]
    lines = outcome_lines(record)
    # the percentages as the results page and the minutes print them: decimal comma, half up
    assert lines[2].startswith("1 | Ứng cử viên 01 | 6 | 100,00% | Trúng cử")
    assert "66,67%" in lines[3] and "Ngang phiếu" in lines[3]
    assert lines[-1].startswith("bầu tiếp trong số 3 người ngang phiếu cho 2 suất")


def test_majority_of_valid_ballots_when_the_conference_chose_it() -> None:
    record = copy.deepcopy(simulate_election(voters=6, candidates=4, seats=3, seed="r2").record)
    record["manifest"]["rules"]["election"]["majority_base"] = MajorityBase.VALID.value
    record["attendance"]["summoned"] = 100  # ignored for this base
    record["result"]["counts"] = [6, 5, 4, 3]
    assert record_outcome(record).elected == [0, 1, 2]
