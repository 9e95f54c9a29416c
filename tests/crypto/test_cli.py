"""The `verify` and `simulate` commands, run through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ballot.crypto.cli import simulate_command, verify_command


def test_simulate_then_verify(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    runner = CliRunner()
    result = runner.invoke(
        simulate_command,
        ["--voters", "4", "--subjects", "2", "--levels", "3", "--threshold", "2/3",
         "--blank-rate", "0.2", "--seed", "cli", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Tín nhiệm cao" in result.output and "Plaintext counts" in result.output
    record = json.loads(out.read_text("utf-8"))
    counts = [s["counts"] for s in record["result"]["subjects"]]
    for subject, row in zip(record["manifest"]["subjects"], counts, strict=True):
        assert f"{subject['name']} | " + " | ".join(map(str, row)) in result.output

    verified = runner.invoke(verify_command, [str(out)])
    assert verified.exit_code == 0, verified.output
    assert "hồ sơ kiểm phiếu hợp lệ" in verified.output and "the record is valid" in verified.output

    record["result"]["subjects"][0]["counts"][0] += 1
    out.write_text(json.dumps(record), "utf-8")
    failed = runner.invoke(verify_command, [str(out)])
    assert failed.exit_code == 1
    assert "step 10" in failed.output and "bước 10" in failed.output


def test_simulation_with_a_seed_is_reproducible(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--voters", "2", "--subjects", "1", "--threshold", "2/2", "--seed", "s"]
    runner.invoke(simulate_command, [*args, "-o", str(tmp_path / "a.json")])
    runner.invoke(simulate_command, [*args, "-o", str(tmp_path / "b.json")])
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_verify_reports_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    result = CliRunner().invoke(verify_command, [str(bad)])
    assert result.exit_code == 1
    missing = CliRunner().invoke(verify_command, [str(tmp_path / "none.json")])
    assert missing.exit_code == 1


def test_simulate_refuses_a_bad_threshold(tmp_path: Path) -> None:
    for value in ("3/2", "0/3", "two", "1/1", "1/3", "2/4", "1/64"):  # t >= 2 and t > n/2
        result = CliRunner().invoke(
            simulate_command,
            [
                "--voters",
                "1",
                "--subjects",
                "1",
                "--threshold",
                value,
                "-o",
                str(tmp_path / "r.json"),
            ],
        )
        assert result.exit_code == 2
