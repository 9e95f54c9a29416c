"""Issue 14.11: records whose bytes say something other than what was checked are refused.

Each test performs one forgery of the issue on a genuine simulated record and shows that
`ballot verify` (strict parsing, then §8) refuses it, where a plain `json.loads` and
NFC-normalising canonical JSON had accepted it.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ballot.crypto.cli import verify_command
from ballot.crypto.encoding import canonical_json, h256, nfc, parse_json
from ballot.crypto.errors import EncodingError
from ballot.crypto.record import verify_record
from ballot.crypto.simulate import DEFAULT_RULES, simulate

#: A rule key with a diacritic, so that an NFD twin of it exists.
RULE_KEY = "miễn_trừ_dòng_trống"


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    rules = dict(DEFAULT_RULES) | {RULE_KEY: True}
    return simulate(
        voters=3, subjects=1, levels=3, threshold=2, trustees=3, seed="strict", rules=rules
    ).record


def _text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _verify_text(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "record.json"
    path.write_text(text, "utf-8")
    return CliRunner().invoke(verify_command, [str(path)])


def test_the_genuine_record_verifies(record: dict[str, Any], tmp_path: Path) -> None:
    assert verify_record(record).ok
    result = _verify_text(tmp_path, _text(record))
    assert result.exit_code == 0, result.output


def test_a_forged_title_first_and_the_real_one_last_is_refused(
    record: dict[str, Any], tmp_path: Path
) -> None:
    text = _text(record)
    real = json.dumps(record["manifest"]["title"], ensure_ascii=False)
    forged = text.replace(f'"title": {real}', f'"title": "Bầu bổ sung", "title": {real}', 1)
    assert forged != text
    assert json.loads(forged) == record  # what a plain parser would have checked
    result = _verify_text(tmp_path, forged)
    assert result.exit_code == 1
    assert "duplicate JSON key 'title'" in result.output
    assert "khóa JSON 'title' bị lặp" in result.output


def test_a_count_of_999_first_and_the_right_one_last_is_refused(
    record: dict[str, Any], tmp_path: Path
) -> None:
    text = json.dumps(record, ensure_ascii=False)
    counts = json.dumps(record["result"]["subjects"][0]["counts"])
    forged = text.replace(f'"counts": {counts}', f'"counts": [999, 0, 0], "counts": {counts}', 1)
    assert forged != text and json.loads(forged) == record
    result = _verify_text(tmp_path, forged)
    assert result.exit_code == 1 and "duplicate JSON key 'counts'" in result.output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"version": 1,', '"version": 1.0,'),
        ('"seq": 1,', '"seq": 1.0,'),
        ('"seq": 1,', '"seq": 1e0,'),
    ],
)
def test_a_float_standing_for_an_integer_is_refused(
    record: dict[str, Any], tmp_path: Path, old: str, new: str
) -> None:
    text = json.dumps(record, ensure_ascii=False)
    assert old in text
    forged = text.replace(old, new, 1)
    assert json.loads(forged) == record  # 1.0 == 1 for Python
    result = _verify_text(tmp_path, forged)
    assert result.exit_code == 1 and "not an integer" in result.output


@pytest.mark.parametrize(
    ("path", "step"),
    [
        (("version",), 1),
        (("manifest", "version"), 2),
        (("manifest", "trustees", 0, "index"), 2),
        (("board", 0, "seq"), 6),
        (("closing", "count"), 1),
        (("result", "received"), 11),
        (("result", "subjects", 0, "received"), 11),
    ],
)
def test_true_standing_for_an_integer_is_refused(
    record: dict[str, Any], path: tuple[Any, ...], step: int
) -> None:
    """`true` where 1 is expected: equal for Python's ==, refused as a type."""
    forged = copy.deepcopy(record)
    if path[0] in ("closing", "result"):  # make the genuine value 1 first
        forged = simulate(
            voters=1, subjects=1, levels=3, threshold=2, trustees=3, seed="one"
        ).record
    target = forged
    for step_key in path[:-1]:
        target = target[step_key]
    assert target[path[-1]] == 1
    target[path[-1]] = True
    failure = verify_record(forged).failure
    assert failure is not None and failure.step == step, failure


def test_an_nfd_twin_of_a_rules_key_with_another_value_is_refused(
    record: dict[str, Any],
) -> None:
    forged = copy.deepcopy(record)
    rules = forged["manifest"]["rules"]
    twin = unicodedata.normalize("NFD", RULE_KEY)
    assert twin != RULE_KEY
    # the twin first, the real key last: a normalising hash kept the real value
    forged["manifest"]["rules"] = {twin: False} | rules
    assert h256(canonical_json(nfc(forged["manifest"]))).hex() == record["fingerprint"]
    failure = verify_record(forged).failure
    assert failure is not None and failure.step == 2 and "NFC" in failure.detail_en


def test_an_nfd_level_label_with_an_unchanged_fingerprint_is_refused(
    record: dict[str, Any], tmp_path: Path
) -> None:
    forged = copy.deepcopy(record)
    label = forged["manifest"]["levels"][2]["label"]
    forged["manifest"]["levels"][2]["label"] = unicodedata.normalize("NFD", label)
    assert forged["manifest"]["levels"][2]["label"] != label
    assert h256(canonical_json(nfc(forged["manifest"]))).hex() == record["fingerprint"]
    failure = verify_record(forged).failure
    assert failure is not None and failure.step == 2 and "NFC" in failure.detail_en
    result = _verify_text(tmp_path, _text(forged))
    assert result.exit_code == 1 and "bước 2" in result.output


def test_an_integer_beyond_the_safe_range_in_rules_is_refused(
    record: dict[str, Any], tmp_path: Path
) -> None:
    forged = copy.deepcopy(record)
    forged["manifest"]["rules"]["max_members"] = 2**53
    failure = verify_record(forged).failure
    assert failure is not None and failure.step == 2 and "2^53" in failure.detail_en
    text = _text(record).replace('"quorum": [', '"max_members": 9007199254740993, "quorum": [', 1)
    result = _verify_text(tmp_path, text)
    assert result.exit_code == 1 and "beyond ±(2^53 − 1)" in result.output


def test_parse_json_reads_the_genuine_record_exactly(record: dict[str, Any]) -> None:
    assert parse_json(_text(record)) == record
    with pytest.raises(EncodingError):
        parse_json(_text(record) + "{}")
