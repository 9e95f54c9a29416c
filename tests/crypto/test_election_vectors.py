"""The committed election vectors regenerate byte for byte and verify."""

from __future__ import annotations

import json
from pathlib import Path

from ballot.crypto.context import ElectionContext
from ballot.crypto.election import Shape, verify_election_ballot
from ballot.crypto.group import Point
from tests.vectors.generate import render
from tests.vectors.generate_election import election_vectors

FILE = Path(__file__).parents[1] / "vectors" / "election.json"


def test_election_vectors_regenerate_identically() -> None:
    assert FILE.read_text("utf-8") == render(election_vectors())


def test_election_vectors_verify() -> None:
    data = json.loads(FILE.read_text("utf-8"))
    key = Point.from_hex(data["K"])
    for case in data["cases"]:
        shape = Shape(case["candidates"], case["seats"], case["min_kept"])
        ctx = ElectionContext(bytes.fromhex(data["fp"]), key, shape.candidates, 1, True)
        parsed, _ = verify_election_ballot(ctx, shape, case["ballot"])
        assert parsed.tracker.hex() == case["tracker"]
        assert len(case["ballot"]["range"]["bits"]) == len(case["weights"])


def test_election_vector_record_verifies() -> None:
    from ballot.crypto.election_record import verify_election_record

    data = json.loads(FILE.read_text("utf-8"))
    assert verify_election_record(data["record"]).ok
