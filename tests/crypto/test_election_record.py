"""A whole simulated election (CI size) verifies; tampering with it is caught and named."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ballot.crypto.cli import simulate_command, verify_command
from ballot.crypto.election_record import verify_election_record
from ballot.crypto.election_sim import ElectionSimulation, simulate_election
from ballot.crypto.errors import InvalidBallot
from ballot.elections.report import record_outcome


@pytest.fixture(scope="module")
def sim() -> ElectionSimulation:
    return simulate_election(voters=20, candidates=8, seats=5, seed="ci-election")


def failed_step(record: dict[str, Any]) -> int:
    failure = verify_election_record(record).failure
    assert failure is not None
    return failure.step


def test_simulated_record_verifies_and_counts_match(sim: ElectionSimulation) -> None:
    report = verify_election_record(sim.record)
    assert report.ok, report.lines()
    assert report.counts == [[c] for c in sim.counts]
    result = sim.record["result"]
    assert result["valid"] == result["received"] == 20 and result["invalid"] == 0
    out = record_outcome(sim.record)
    assert len(out.elected) + out.seats_left == 5


def test_tampered_count_fails_the_combination(sim: ElectionSimulation) -> None:
    bad = copy.deepcopy(sim.record)
    bad["result"]["counts"][0] += 1
    assert failed_step(bad) == 10


def test_tampered_ballot_fails_the_board(sim: ElectionSimulation) -> None:
    bad = copy.deepcopy(sim.record)
    proof = bad["board"][3]["ballot"]["range"]["proof"]
    proof[2], proof[1] = proof[1][:64], proof[2]
    assert failed_step(bad) == 6
    report = verify_election_record(bad)
    assert report.failure is not None and "entry 4" in report.failure.detail_en


def test_dropped_or_repeated_ballot_is_caught(sim: ElectionSimulation) -> None:
    dropped = copy.deepcopy(sim.record)
    del dropped["board"][5]
    assert failed_step(dropped) == 6  # seq and chain no longer match
    repeated = copy.deepcopy(sim.record)
    entry = copy.deepcopy(repeated["board"][0])
    entry["seq"] = 21
    repeated["board"].append(entry)
    assert failed_step(repeated) == 6


def test_invalid_count_claimed_is_refused(sim: ElectionSimulation) -> None:
    bad = copy.deepcopy(sim.record)
    bad["result"]["invalid"] = 1
    bad["result"]["valid"] = 19
    assert failed_step(bad) == 11


def test_v1_verifier_is_not_fooled_and_shape_is_checked(sim: ElectionSimulation) -> None:
    bad = copy.deepcopy(sim.record)
    bad["manifest"]["rules"]["election"]["seats"] = 9  # more seats than candidates
    assert failed_step(bad) == 2
    bad = copy.deepcopy(sim.record)
    bad["manifest"]["rules"]["election"]["min_kept"] = 0  # a surplus list allowing "none"
    assert failed_step(bad) == 2
    bad = copy.deepcopy(sim.record)
    bad["extra"] = 1
    assert failed_step(bad) == 1


def test_cli_simulate_and_verify_an_election(tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    runner = CliRunner()
    result = runner.invoke(
        simulate_command,
        ["--election", "--voters", "12", "--candidates", "6", "--seats", "4", "--seed", "x",
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text("utf-8"))
    assert record["format"] == "ballot-election-record"
    checked = runner.invoke(verify_command, [str(out)])
    assert checked.exit_code == 0, checked.output
    assert (
        "Trúng cử / Elected" in checked.output and "RESULT: the record is valid" in checked.output
    )
    record["result"]["counts"][1] += 1
    out.write_text(json.dumps(record), "utf-8")
    failed = runner.invoke(verify_command, [str(out)])
    assert failed.exit_code == 1 and "step 10" in failed.output


def test_cli_refuses_a_list_the_rules_refuse(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        simulate_command,
        ["--election", "--voters", "3", "--candidates", "3", "--seats", "4", "-o",
         str(tmp_path / "x.json")],
    )  # fmt: skip
    assert result.exit_code == 2 and "3" in result.output
    missing = CliRunner().invoke(simulate_command, ["--voters", "3", "-o", str(tmp_path / "y")])
    assert missing.exit_code == 2 and "--subjects" in missing.output


def test_board_checked_in_worker_processes_matches_in_process(
    sim: ElectionSimulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ballot.crypto import election_record
    from ballot.crypto.election import shape_of
    from ballot.crypto.manifest import context_from_manifest
    from ballot.crypto.tally import aggregate_to_json

    manifest, board = sim.record["manifest"], sim.record["board"]
    ctx, shape = context_from_manifest(manifest), shape_of(manifest)
    inline = election_record.verify_election_board(ctx, shape, board)
    monkeypatch.setattr(election_record, "MIN_ENTRIES", 1)
    pooled = election_record.verify_election_board(ctx, shape, board, manifest, workers=2)
    assert (pooled.head, pooled.count) == (inline.head, inline.count)
    assert aggregate_to_json(pooled.aggregate) == aggregate_to_json(inline.aggregate)
    bad = copy.deepcopy(board)
    bad[13]["ballot"]["cts"][2]["proof"][5] = bad[13]["ballot"]["cts"][2]["proof"][6]
    with pytest.raises(InvalidBallot, match="entry 14"):
        election_record.verify_election_board(ctx, shape, bad, manifest, workers=2)


def test_empty_board_and_list_without_surplus_verify() -> None:
    empty = simulate_election(voters=0, candidates=3, seats=2, seed="empty")
    assert verify_election_record(empty.record).ok
    assert empty.record["result"]["counts"] == [0, 0, 0]
    agree = simulate_election(voters=4, candidates=3, seats=3, seed="agree")
    assert verify_election_record(agree.record).ok
    election = agree.record["manifest"]["rules"]["election"]
    assert election["min_kept"] == 0 and election["surplus_decision"] == ""
    assert agree.record["manifest"]["levels"] == [{"code": "agree", "label": "Đồng ý"}]


@pytest.mark.parametrize(
    ("where", "value", "step"),
    [(("version",), True, 1), (("board", 0, "seq"), True, 6), (("result", "invalid"), False, 11)],
    ids=["version true", "seq true", "invalid false"],
)
def test_exact_types_true_is_not_1_and_false_is_not_0(
    sim: ElectionSimulation, where: tuple[Any, ...], value: bool, step: int
) -> None:
    """§2.1: a record's integers are integers; JSON true/false never stand for 1/0."""
    bad = copy.deepcopy(sim.record)
    target: Any = bad
    for key in where[:-1]:
        target = target[key]
    assert target[where[-1]] == value  # the genuine value equals the bool in Python's eyes
    target[where[-1]] = value
    assert failed_step(bad) == step


def test_kind_and_majority_base_must_be_values_of_10_2(sim: ElectionSimulation) -> None:
    """Who is elected cannot be stated otherwise (§10.8 check 2); the crypto library's list
    of values is the rule set's."""
    from ballot.crypto.election import KINDS, MAJORITY_BASES
    from ballot.elections.rules import Kind, MajorityBase

    assert set(KINDS) == {k.value for k in Kind}
    assert set(MAJORITY_BASES) == {b.value for b in MajorityBase}
    for key, value in (("kind", "president"), ("majority_base", "present")):
        bad = copy.deepcopy(sim.record)
        bad["manifest"]["rules"]["election"][key] = value
        assert failed_step(bad) == 2


def test_cli_prints_the_anchors_of_an_election_record(
    sim: ElectionSimulation, tmp_path: Path
) -> None:
    import hashlib

    path = tmp_path / "e.json"
    data = json.dumps(sim.record).encode()
    path.write_bytes(data)
    out = CliRunner().invoke(verify_command, [str(path)])
    assert out.exit_code == 0, out.output
    grouped = " ".join(hashlib.sha256(data).hexdigest().upper()[i : i + 4] for i in range(0, 64, 4))
    assert f"SHA-256 of the record file: {grouped}" in out.output
    assert sim.record["closing"]["hash"][:4].upper() in out.output
    assert "Election fingerprint" in out.output
