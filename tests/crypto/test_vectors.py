"""The committed known-answer vectors regenerate byte for byte, and say what they claim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ballot.crypto.ballot import verify_ballot
from ballot.crypto.context import ElectionContext
from ballot.crypto.dkg import check_commits, public_keys
from ballot.crypto.encoding import canonical_json
from ballot.crypto.group import Point, Scalar
from ballot.crypto.keyfile import open_key, parse_card
from ballot.crypto.manifest import context_from_manifest, verify_manifest_keys
from tests.vectors.generate import VECTORS, render

DIR = Path(__file__).parents[1] / "vectors"


def load(name: str) -> Any:
    return json.loads((DIR / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_vector_file_regenerates_identically(name: str) -> None:
    assert (DIR / f"{name}.json").read_text("utf-8") == render(VECTORS[name]())


def test_sample_manifest_is_a_valid_manifest() -> None:
    vector = load("canonical_json")
    ctx = context_from_manifest(vector["manifest"])
    verify_manifest_keys(vector["manifest"])
    assert ctx.fp.hex() == vector["fingerprint"]
    assert canonical_json(vector["manifest"]).hex() == vector["manifest_canonical_hex"]


def test_vector_ballots_verify_and_their_trackers_match() -> None:
    for case in load("ballot_2x3")["ballots"]:
        ctx = ElectionContext(
            bytes.fromhex(case["fp"]), Point.from_hex(case["K"]), 2, 3, case["blank_row_allowed"]
        )
        checked = verify_ballot(ctx, case["ballot"])
        assert checked.tracker.hex() == case["tracker"]
        assert checked.canonical.hex() == case["canonical_hex"]


def test_vector_key_ceremony_and_key_file_are_consistent() -> None:
    vector = load("dkg")
    commits = check_commits(
        bytes.fromhex(vector["ceremony_id"]), 2, 3, [m["commit"] for m in vector["members"]]
    )
    public_key, vkeys = public_keys(commits)
    assert public_key.hex() == vector["final"]["public_key"]
    for share, vkey in zip(vector["final"]["secret_shares"], vkeys, strict=True):
        assert Point.base_times(Scalar.from_hex(share)) == vkey
    keyfile = load("keyfile")
    key = open_key(parse_card(keyfile["card_text"]), keyfile["passphrase"])
    assert key.share.hex() == keyfile["share"] == vector["final"]["secret_shares"][1]
