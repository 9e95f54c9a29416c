"""Small elections shared by the crypto tests (no Flask app needed)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from ballot.crypto.context import ElectionContext
from ballot.crypto.dkg import MemberKey, ceremony_id, run_ceremony
from ballot.crypto.manifest import build_manifest, context_from_manifest
from ballot.crypto.simulate import DEFAULT_RULES, Simulation, simulate


@dataclass
class Election:
    manifest: dict[str, Any]
    ctx: ElectionContext
    keys: list[MemberKey]
    messages: list[dict[str, Any]]


def make_election(
    subjects: int = 2, levels: int = 3, t: int = 2, n: int = 3, blank: bool = True
) -> Election:
    """A manifest after a real in-process key ceremony."""
    names = [f"Thành viên {x}" for x in range(1, n + 1)]
    messages, keys = run_ceremony(ceremony_id("TEST-1", t, names), t, n)
    manifest = build_manifest(
        vote_id="TEST-1",
        title="Lấy phiếu tín nhiệm thử",
        conference="Hội nghị thử",
        subjects=[(f"Người {i}", "Ủy viên") for i in range(1, subjects + 1)],
        levels=[(f"l{k}", f"Mức {k}") for k in range(1, levels + 1)],
        rules=DEFAULT_RULES | {"blank_row_allowed": blank},
        trustees=names,
        threshold=t,
        commit_messages=messages,
    )
    return Election(manifest, context_from_manifest(manifest), keys, messages)


@pytest.fixture(scope="session")
def election() -> Election:
    return make_election()


@pytest.fixture(scope="session")
def election_row1() -> Election:
    return make_election(blank=False)


@pytest.fixture(scope="session")
def small_simulation() -> Simulation:
    return simulate(
        voters=3, subjects=2, levels=2, threshold=2, trustees=3, blank_rate=0.3, seed="small"
    )


@pytest.fixture
def small_record(small_simulation: Simulation) -> dict[str, Any]:
    return copy.deepcopy(small_simulation.record)
