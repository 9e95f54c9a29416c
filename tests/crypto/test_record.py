"""The election record: a valid one verifies; any single change is reported."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from ballot.crypto.record import verify_record
from ballot.crypto.simulate import Simulation, simulate

Path = tuple[str | int, ...]


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every leaf (string, number, boolean) of a JSON value with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def mutated(leaf: Any) -> Any:
    """A different value of the same JSON type."""
    if isinstance(leaf, bool):
        return not leaf
    if isinstance(leaf, int):
        return leaf + 1
    if isinstance(leaf, str):
        if leaf and all(c in "0123456789abcdef" for c in leaf):
            return ("1" if leaf[0] == "0" else "0") + leaf[1:]  # still hex, another value
        return leaf + "x"
    raise AssertionError(f"unexpected leaf {leaf!r}")


def set_at(doc: Any, path: Path, value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def test_a_valid_record_verifies(small_simulation: Simulation) -> None:
    report = verify_record(small_simulation.record)
    assert report.ok, report.lines()
    assert report.counts == small_simulation.counts
    assert len(report.checks) == 11


def first_and_last_of_each_kind(found: list[tuple[Path, Any]]) -> list[tuple[Path, Any]]:
    """The first and the last leaf of each kind, a kind being a path with its list positions
    left out (212 leaves, 50 kinds, 81 leaves chosen in the small record)."""
    first: dict[Path, tuple[Path, Any]] = {}
    last: dict[Path, tuple[Path, Any]] = {}
    for path, value in found:
        kind = tuple("*" if isinstance(key, int) else key for key in path)
        first.setdefault(kind, (path, value))
        last[kind] = (path, value)
    chosen = {path: (path, value) for path, value in [*first.values(), *last.values()]}
    return list(chosen.values())


def test_every_single_leaf_mutation_is_reported(
    small_simulation: Simulation, runslow: bool
) -> None:
    """Every leaf under --runslow (3-4 s); the quick run changes the first and the last leaf
    of each kind."""
    record = small_simulation.record
    all_leaves = list(leaves(record))
    assert len(all_leaves) > 150
    missed = []
    for path, value in all_leaves if runslow else first_and_last_of_each_kind(all_leaves):
        doc = copy.deepcopy(record)
        set_at(doc, path, mutated(value))
        if verify_record(doc).ok:
            missed.append(path)
    assert missed == []


def test_failures_name_the_step(small_record: dict[str, Any]) -> None:
    small_record["board"][1]["ballot"]["rows"][0]["cts"][0]["proof"][0] = "00" * 32
    report = verify_record(small_record)
    failure = report.failure
    assert failure is not None and failure.step == 6
    assert "board entry 2" in failure.detail_en and "mục 2" in failure.detail_vi
    assert "SAI / FAILED" in "\n".join(report.lines())


@pytest.mark.parametrize(
    ("change", "step"),
    [
        (lambda r: r["board"].pop(), 7),  # the last ballot dropped: the closing disagrees
        (lambda r: r["board"].reverse(), 6),
        (lambda r: r["board"].append(copy.deepcopy(r["board"][0]) | {"seq": 4}), 6),
        (lambda r: r["decryption"].pop(), 9),
        (lambda r: r["decryption"].reverse(), 9),
        (lambda r: r.pop("result"), 1),
        (lambda r: r.update(extra=1), 1),
        (lambda r: r["manifest"]["subjects"].pop(), 3),
        (lambda r: r["attendance"].update(summoned=10, present=5, issued=3), 5),
        (lambda r: r["attendance"].update(issued=2, present=2, summoned=3), 7),
        (lambda r: r["result"]["subjects"][0].update(valid=0, invalid=3), 11),
    ],
)
def test_structural_changes_are_reported(
    small_record: dict[str, Any], change: Any, step: int
) -> None:
    change(small_record)
    failure = verify_record(small_record).failure
    assert failure is not None
    assert failure.step == step, failure


def test_records_that_are_not_even_json_objects_are_reported() -> None:
    not_objects: list[object] = [None, [], "record", {"format": "ballot-record"}]
    for doc in not_objects:
        failure = verify_record(doc).failure
        assert failure is not None and failure.step == 1


def test_an_empty_board_tallies_to_zero() -> None:
    sim = simulate(voters=0, subjects=1, levels=3, threshold=2, trustees=3, seed="empty")
    report = verify_record(sim.record)
    assert report.ok, report.lines()
    assert report.counts == [[0, 0, 0]]


def test_row1_vote_record_verifies() -> None:
    rules = {"quorum": [1, 2], "thresholds": {}, "blank_row_allowed": False}
    sim = simulate(
        voters=2, subjects=2, levels=4, threshold=2, trustees=2, seed="row1", rules=rules
    )
    report = verify_record(sim.record)
    assert report.ok, report.lines()
    assert all(s["invalid"] == 0 for s in sim.record["result"]["subjects"])
