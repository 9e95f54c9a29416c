"""Casting an election ballot through the API: a ballot encrypted by Python is accepted and
put on the board; a malformed, out-of-range, forged or foreign ballot is refused with its
error code, and nothing is stored (no board entry, the code still unused)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select

from ballot.crypto.election import Shape, encrypt_election_ballot, shape_of
from ballot.crypto.manifest import context_from_manifest
from ballot.db import db
from ballot.voting.models import BallotCode, BoardEntry, CodeState, ConfidenceVote


def _ballot(app, vote_id: int, kept: list[bool], shape: Shape | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with app.app_context():
        manifest = db.session.get_one(ConfidenceVote, vote_id).manifest
    assert manifest is not None
    ctx = context_from_manifest(manifest)
    return encrypt_election_ballot(ctx, shape or shape_of(manifest), kept)


def _stored(app, vote_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        entries = db.session.scalar(
            select(func.count()).select_from(BoardEntry).where(BoardEntry.vote_id == vote_id)
        )
        used = db.session.scalar(
            select(func.count())
            .select_from(BallotCode)
            .where(BallotCode.vote_id == vote_id, BallotCode.state == CodeState.USED)
        )
        return entries or 0, used or 0


def test_an_election_ballot_encrypted_by_python_is_cast_through_the_api(
    demo_app, client, open_election
) -> None:  # type: ignore[no-untyped-def]
    vote_id, public_id, _keys, codes = open_election
    manifest = client.get(f"/api/v1/votes/{public_id}/manifest").get_json()["manifest"]
    assert manifest["rules"]["election"]["seats"] == 6
    kept = [True, True, False, True, True, True, False]
    ballot = _ballot(demo_app, vote_id, kept)
    assert client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": codes[0]}).json == {
        "ok": True
    }
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[0], "ballot": ballot}
    )
    assert response.status_code == 201, response.get_json()
    receipt = response.get_json()
    assert receipt["seq"] == 1 and len(receipt["tracker"]) == 64
    board = client.get(f"/api/v1/votes/{public_id}/board").get_json()
    assert [e["tracker"] for e in board["entries"]] == [receipt["tracker"]]
    assert board["entries"][0]["ballot"] == ballot
    again = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[0], "ballot": ballot}
    )
    assert again.status_code == 200 and again.get_json()["repeated"] is True
    assert _stored(demo_app, vote_id) == (1, 1)


def _forged_proof(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    proof = forged["cts"][2]["proof"]
    proof[-1], proof[-2] = proof[-2], proof[-1]  # swap z0 and z1
    return forged


def _swapped_candidates(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    forged["cts"][0], forged["cts"][1] = forged["cts"][1], forged["cts"][0]
    return forged


def _missing_range(ballot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ballot.items() if k != "range"}


def _other_fingerprint(ballot: dict[str, Any]) -> dict[str, Any]:
    return {**ballot, "fingerprint": "00" * 32}


@pytest.mark.parametrize(
    "mutate", [_forged_proof, _swapped_candidates, _missing_range, _other_fingerprint]
)
def test_a_malformed_or_forged_election_ballot_is_refused_and_nothing_is_stored(
    demo_app, client, open_election, mutate
) -> None:  # type: ignore[no-untyped-def]
    vote_id, public_id, _keys, codes = open_election
    ballot = mutate(_ballot(demo_app, vote_id, [True] * 6 + [False]))
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[1], "ballot": ballot}
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_ballot" and error["message_vi"].startswith("Phiếu bị từ chối")
    assert _stored(demo_app, vote_id) == (0, 0)


def test_a_ballot_keeping_more_names_than_seats_is_refused(demo_app, client, open_election) -> None:  # type: ignore[no-untyped-def]
    """All 7 kept for 6 seats: each 0/1 proof is honest and the range bits have the right
    count (the range 0..6 needs 3 bits as 0..5 does), but the range proof cannot hold."""
    vote_id, public_id, _keys, codes = open_election
    wide = Shape(candidates=7, seats=7, min_kept=1)
    assert wide.bits == shape_of(_manifest(demo_app, vote_id)).bits
    ballot = _ballot(demo_app, vote_id, [True] * 7, shape=wide)
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[2], "ballot": ballot}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_ballot"
    assert "1 to 6 names" in response.get_json()["error"]["message"]
    assert _stored(demo_app, vote_id) == (0, 0)


def test_a_confidence_ballot_is_refused_by_an_election(demo_app, client, open_election) -> None:  # type: ignore[no-untyped-def]
    from ballot.crypto.ballot import encrypt_ballot

    vote_id, public_id, _keys, codes = open_election
    ctx = context_from_manifest(_manifest(demo_app, vote_id))
    ballot = encrypt_ballot(ctx, [0] * 7)
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[3], "ballot": ballot}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_ballot"
    assert _stored(demo_app, vote_id) == (0, 0)


def _manifest(app, vote_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with app.app_context():
        manifest = db.session.get_one(ConfidenceVote, vote_id).manifest
        assert manifest is not None
        return manifest


NODE_SCRIPT = """
import { readFileSync } from "node:fs";
const root = process.argv[2];
const { loadManifest } = await import(root + "/manifest.js");
const { electionShape, encryptElectionBallot } = await import(root + "/election.js");
const body = JSON.parse(readFileSync(0, "utf8"));
const ctx = await loadManifest(JSON.stringify(body.manifest), body.fingerprint);
const { ballot } = await encryptElectionBallot(ctx, electionShape(body.manifest), body.kept);
process.stdout.write(JSON.stringify(ballot));
"""


def test_a_ballot_encrypted_by_the_browsers_code_is_accepted(
    demo_app, client, open_election, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The booth's JavaScript loads the app's manifest (rules.election with "convened"),
    checks its fingerprint and encrypts; the server accepts the ballot."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    vote_id, public_id, _keys, codes = open_election
    body = client.get(f"/api/v1/votes/{public_id}/manifest").get_json()
    script = tmp_path / "encrypt.mjs"
    script.write_text(NODE_SCRIPT, "utf-8")
    crypto = Path(__file__).resolve().parents[2] / "ballot" / "static" / "js" / "crypto"
    kept = [True, False, True, True, True, True, True]
    done = subprocess.run(
        [node, str(script), str(crypto)],
        input=json.dumps({**body, "kept": kept}),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ballot = json.loads(done.stdout)
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": codes[4], "ballot": ballot}
    )
    assert response.status_code == 201, response.get_json()
    assert _stored(demo_app, vote_id) == (1, 1)
