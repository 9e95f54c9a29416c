"""Every output takes its results from the verified record, and refuses when the database
disagrees with it, writing the refusal to the audit log."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from ballot.audit.models import AuditEntry
from ballot.crypto.cli import verify_command
from ballot.db import db
from ballot.voting.models import ConfidenceVote, VoteState, VoteTrustee
from ballot.voting.published import forget_cache


@pytest.fixture
def counted(app):  # type: ignore[no-untyped-def]
    """The demo with its counted rehearsal; returns the rehearsal's public id."""
    from ballot.demo import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()
        vote = db.session.scalar(
            select(ConfidenceVote).where(ConfidenceVote.state == VoteState.COUNTED)
        )
        return vote.public_id


def _refusals(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "results.refused")
        )


def _outputs(client, runner, public_id, tmp_path):  # type: ignore[no-untyped-def]
    """(name, status or exit code, text) for every output that shows or prints results."""
    out = []
    for path in (
        f"/count/{public_id}/results",
        f"/count/{public_id}/projector",
        f"/api/v1/votes/{public_id}/results",
        f"/api/v1/votes/{public_id}/record",
        f"/documents/{public_id}/minutes.pdf",
        f"/documents/{public_id}/minutes.docx",
    ):
        response = client.get(path)
        text = response.data.decode() if response.status_code != 200 else ""
        out.append((path, response.status_code, text))
    for args in (
        ["votes", "record", public_id, "-o", str(tmp_path / "r.json")],
        [
            "minutes",
            public_id,
            "-o",
            str(tmp_path / "m.pdf"),
            "--base-url",
            "https://bp.example.vn",
        ],
    ):
        result = runner.invoke(args=args)
        out.append((" ".join(args[:2]), result.exit_code, result.output))
    return out


def test_outputs_agree_with_the_record_file(app, counted, client, auth, runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    auth.login("kiemphieu1", "kp1-demo-2024")
    for name, status, _ in _outputs(client, runner, counted, tmp_path):
        assert status in (200, 0), name
    record = client.get(f"/api/v1/votes/{counted}/record").data
    saved = (tmp_path / "r.json").read_bytes()
    assert saved == record  # one serialisation: the SHA-256 printed is the file's
    api = client.get(f"/api/v1/votes/{counted}/results").json
    doc = json.loads(record)
    levels = [level["code"] for level in doc["manifest"]["levels"]]
    assert [s["counts"] for s in doc["result"]["subjects"]] == [
        [s["counts"][code] for code in levels] for s in api["subjects"]
    ]
    verified = CliRunner().invoke(verify_command, [str(tmp_path / "r.json")])
    import hashlib

    assert verified.exit_code == 0, verified.output
    assert hashlib.sha256(saved).hexdigest() in verified.output
    assert doc["closing"]["hash"] in verified.output and doc["fingerprint"] in verified.output
    first = doc["manifest"]["subjects"][0]["name"]
    assert f"1. {first}: Tín nhiệm cao {doc['result']['subjects'][0]['counts'][0]}" in (
        verified.output
    )


def _tamper_counts(vote: ConfidenceVote) -> None:
    counts = [list(row) for row in vote.counts or []]
    counts[0][0], counts[0][2] = counts[0][0] - 1, counts[0][2] + 1  # one "high" made "low"
    db.session.execute(
        update(ConfidenceVote).where(ConfidenceVote.id == vote.id).values(counts=counts)
    )


def _tamper_received(vote: ConfidenceVote) -> None:
    db.session.execute(
        update(ConfidenceVote)
        .where(ConfidenceVote.id == vote.id)
        .values(ballots_cast=vote.ballots_cast + 1)
    )


def _tamper_share(vote: ConfidenceVote) -> None:
    trustee = next(t for t in vote.trustees if t.decryption_share is not None)
    share = dict(trustee.decryption_share or {})
    share["parts"] = list(reversed(share["parts"]))  # another subject's partial decryptions
    db.session.execute(
        update(VoteTrustee).where(VoteTrustee.id == trustee.id).values(decryption_share=share)
    )


@pytest.mark.parametrize("tamper", [_tamper_counts, _tamper_received, _tamper_share])
def test_an_edited_stored_result_makes_every_output_refuse_with_an_audit_entry(
    app, counted, client, auth, runner, tmp_path, tamper
) -> None:  # type: ignore[no-untyped-def]
    auth.login("kiemphieu1", "kp1-demo-2024")
    assert client.get(f"/count/{counted}/results").status_code == 200  # cached proof is warm
    with app.app_context():
        vote = db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.public_id == counted))
        tamper(vote)
        db.session.commit()
    before = _refusals(app)
    outputs = _outputs(client, runner, counted, tmp_path)
    for name, status, text in outputs:
        assert status in (409, 1), (name, status)
        if name.startswith("/api/"):
            assert json.loads(text)["error"]["code"] == "record_mismatch"
            assert "disagree with the verified record" in text
        elif name.startswith("/"):
            assert "không khớp với hồ sơ kiểm phiếu" in text, name
        else:
            assert "không khớp với hồ sơ kiểm phiếu" in text, name
    assert _refusals(app) == before + len(outputs)
    forget_cache()  # a fresh process checks the whole record again and still refuses
    assert client.get(f"/count/{counted}/results").status_code == 409
