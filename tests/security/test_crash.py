"""Crash safety of the real server: SIGKILL at random moments while tablets cast ballots.

The campaign lives in bench/crash.py (docs/security.md records long runs); this is its short
version for CI, on SQLite, or on PostgreSQL when BALLOT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.conftest import PG_URL

BENCH = Path(__file__).resolve().parents[2] / "bench" / "crash.py"


def _campaign():
    spec = importlib.util.spec_from_file_location("bench_crash", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="process groups and SIGKILL")
def test_no_receipted_ballot_is_lost_when_the_server_is_killed_again_and_again() -> None:
    # proofs checked in the request thread: the server restarts in ~2 s instead of ~8 (no
    # worker processes to start); bench/crash.py runs the shipped default too
    result = _campaign().run(
        clients=24, kills=6, seed=8, database_url=PG_URL or None, spread=5.0, verify_processes=0
    )
    assert result["violations"] == []
    assert result["receipts"] == 24 and result["repeats_checked"] == 24
    assert result["connection_errors"] > 0  # the kills did cut clients off
