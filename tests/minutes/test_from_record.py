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
from ballot.i18n import hex_groups
from ballot.voting.models import BoardEntry, ConfidenceVote, VoteState, VoteTrustee
from ballot.voting.published import forget_cache

PUBLIC = "https://ballot.dukhoi.travinh.vn"


@pytest.fixture
def app_config() -> dict[str, str]:
    return {"PUBLIC_BASE_URL": PUBLIC}


@pytest.fixture
def counted(demo_votes_app):
    """The demo with its counted rehearsal; returns the rehearsal's public id."""
    with demo_votes_app.app_context():
        vote = db.session.scalar(
            select(ConfidenceVote).where(ConfidenceVote.state == VoteState.COUNTED)
        )
        return vote.public_id


def _refusals(app) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "results.refused")
        ).scalar_one()


def _outputs(client, runner, public_id, tmp_path):
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


def test_outputs_agree_with_the_record_file(app, counted, client, auth, runner, tmp_path) -> None:
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
    # hashes are written as the minutes print them: upper case, groups of four
    assert hex_groups(hashlib.sha256(saved).hexdigest()) in verified.output
    assert hex_groups(doc["closing"]["hash"]) in verified.output
    assert hex_groups(doc["fingerprint"]) in verified.output
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


def _tamper_board(vote: ConfidenceVote) -> None:
    """A curious administrator swaps one row of one ballot on the board for another ballot's
    (both well-formed ciphertexts), after the record was checked."""
    entries = db.session.scalars(
        select(BoardEntry).where(BoardEntry.vote_id == vote.id).order_by(BoardEntry.seq)
    ).all()
    first, second = json.loads(entries[0].ballot), json.loads(entries[1].ballot)
    first["rows"][0] = second["rows"][0]
    db.session.execute(
        update(BoardEntry)
        .where(BoardEntry.id == entries[0].id)
        .values(ballot=json.dumps(first, separators=(",", ":")))
    )


def _tamper_manifest(vote: ConfidenceVote) -> None:
    manifest = json.loads(json.dumps(vote.manifest))
    manifest["subjects"][0]["name"] += " (sửa)"
    db.session.execute(
        update(ConfidenceVote).where(ConfidenceVote.id == vote.id).values(manifest=manifest)
    )


@pytest.mark.parametrize(
    "tamper",
    [_tamper_counts, _tamper_received, _tamper_share, _tamper_board, _tamper_manifest],
)
def test_an_edited_stored_result_makes_every_output_refuse_with_an_audit_entry(
    app, counted, client, auth, runner, tmp_path, tamper
) -> None:
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


def test_a_board_edited_after_counting_is_checked_once_and_refused_on_every_request(
    app, counted, client, auth, monkeypatch
) -> None:
    """The cache holds the refusal as it holds a proof: the projector polling a tampered vote
    gets 409 each time, each refusal is logged, and the record is checked once."""
    from ballot.voting import published

    auth.login("kiemphieu1", "kp1-demo-2024")
    assert client.get(f"/count/{counted}/results").status_code == 200
    with app.app_context():
        _tamper_board(
            db.session.scalars(
                select(ConfidenceVote).where(ConfidenceVote.public_id == counted)
            ).one()
        )
        db.session.commit()
    calls: list[int] = []
    real = published._prove

    def counted_prove(vote: ConfidenceVote) -> published.VerifiedRecord | published.Refusal:
        calls.append(vote.id)
        return real(vote)

    monkeypatch.setattr(published, "_prove", counted_prove)
    before = _refusals(app)
    for _ in range(3):
        response = client.get(f"/api/v1/votes/{counted}/results")
        assert response.status_code == 409
        assert response.json["error"]["code"] == "record_mismatch"
    assert len(calls) == 1 and _refusals(app) == before + 3


def _pdf_text(data: bytes) -> str:
    from tests.minutes.conftest import pdf_pages

    return " ".join(pdf_pages(data))


def _docx_text(data: bytes) -> str:
    from tests.minutes.conftest import docx_text

    return docx_text(data)


def _grouped(hex_digest: str) -> str:
    digits = hex_digest.upper()  # the one written form of a hash (docs/glossary.md)
    groups = [digits[i : i + 4] for i in range(0, 64, 4)]
    return " ".join(groups[:8]) + " " + " ".join(groups[8:])


def test_the_minutes_print_each_anchor_of_the_record_under_its_label(
    app, counted, client, auth
) -> None:
    import hashlib

    from ballot.audit.models import AuditHead

    auth.login("kiemphieu1", "kp1-demo-2024")
    record = client.get(f"/api/v1/votes/{counted}/record").data
    doc = json.loads(record)
    with app.app_context():
        head_before = db.session.get_one(AuditHead, 1).hash
    pdf = client.get(f"/documents/{counted}/minutes.pdf")
    word = client.get(f"/documents/{counted}/minutes.docx")
    assert pdf.status_code == 200 and word.status_code == 200
    for text in (_pdf_text(pdf.data), _docx_text(word.data)):
        text = text.replace("Trang 3/4 ", "").replace("Trang 2/4 ", "")
        assert (
            "1. Dấu vân tay của cuộc lấy phiếu (mã băm thông tin cuộc lấy phiếu): "
            + _grouped(doc["fingerprint"])
            in text
        )
        assert "2. Mã băm khóa sổ bảng phiếu: " + _grouped(doc["closing"]["hash"]) in text
        assert (
            "3. Mã băm SHA-256 của tệp hồ sơ kiểm phiếu: "
            + _grouped(hashlib.sha256(record).hexdigest())
            in text
        )
        # the head of the audit log when the minutes were made (the download is logged after)
        assert "4. Mã băm cuối của nhật ký hệ thống khi in biên bản: " in text
        compact = text.replace(" ", "")  # a long address wraps inside the annex's line
        assert f"ballotverify{PUBLIC}/api/v1/votes/{counted}/record" in compact
    assert _grouped(head_before) in _pdf_text(pdf.data)
    # the rehearsal's minutes took the first number of the organ's register for 2023
    assert "Số 01-BB/ĐUK" in _pdf_text(pdf.data)


def test_a_vote_held_at_22_04_vietnam_time_prints_22_gio_04_phut(
    app, counted, client, auth, monkeypatch
) -> None:
    import time as clock
    from datetime import UTC, datetime, timedelta

    monkeypatch.setenv("TZ", "UTC")  # the server runs in UTC
    clock.tzset()
    with app.app_context():
        vote = db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.public_id == counted))
        assert vote is not None
        vote.opened_at = datetime(2023, 12, 5, 15, 4, tzinfo=UTC)  # 22:04 in Trà Vinh
        vote.closed_at = datetime(2023, 12, 5, 15, 31, tzinfo=UTC)  # 22:31
        vote.counted_at = datetime(2023, 12, 5, 15, 47, tzinfo=UTC)  # 22:47
        db.session.commit()
        db.session.expire_all()
        again = db.session.get_one(ConfidenceVote, vote.id)
        assert again.opened_at is not None
        assert again.opened_at.utcoffset() == timedelta(0)  # aware UTC, on every database
    auth.login("kiemphieu1", "kp1-demo-2024")
    texts = {
        fmt: (_pdf_text if fmt == "pdf" else _docx_text)(
            client.get(f"/documents/{counted}/minutes.{fmt}").data
        )
        for fmt in ("pdf", "docx")
    }
    for fmt, text in texts.items():
        assert "Vào lúc 22 giờ 04 phút, ngày 05 tháng 12 năm 2023" in text, fmt
        assert "Việc kiểm phiếu kết thúc vào lúc 22 giờ 47 phút, cùng ngày." in text, fmt
        assert "Trà Vinh, ngày 05 tháng 12 năm 2023" in text, fmt
        assert "15 giờ 04" not in text
    for fmt in ("pdf", "docx"):
        data = client.get(f"/documents/{counted}/issuance.{fmt}").data
        text = _pdf_text(data) if fmt == "pdf" else _docx_text(data)
        assert "Số liệu tính đến 22 giờ 31 phút, ngày 05 tháng 12 năm 2023." in text, fmt
    monkeypatch.delenv("TZ")
    clock.tzset()


def test_the_minutes_carry_the_day_the_vote_was_held_and_the_page_warns(
    app, counted, client, auth
) -> None:
    from datetime import UTC, datetime

    with app.app_context():
        vote = db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.public_id == counted))
        assert vote is not None
        # 00:30 on 6 December in Vietnam, the evening of 5 December in UTC; the conference
        # was held on 5 December only.
        vote.opened_at = datetime(2023, 12, 5, 17, 30, tzinfo=UTC)
        vote.counted_at = datetime(2023, 12, 5, 18, 0, tzinfo=UTC)
        db.session.commit()
    auth.login("kiemphieu1", "kp1-demo-2024")
    page = client.get(f"/count/{counted}/results").get_data(as_text=True)
    assert "ngày 06/12/2023, ngoài ngày họp của hội nghị (05/12/2023)" in page
    text = _pdf_text(client.get(f"/documents/{counted}/minutes.pdf").data)
    assert "Trà Vinh, ngày 06 tháng 12 năm 2023" in text
    assert "Vào lúc 00 giờ 30 phút, ngày 06 tháng 12 năm 2023" in text


def test_minutes_refuse_an_unset_or_loopback_public_address(app, counted, client, auth) -> None:
    auth.login("kiemphieu1", "kp1-demo-2024")
    for base in ("", "http://127.0.0.1:5000", "http://localhost", "http://0.0.0.0:8000"):
        app.config["PUBLIC_BASE_URL"] = base
        refused = client.get(f"/documents/{counted}/minutes.pdf")
        assert refused.status_code == 409, base
        assert "PUBLIC_BASE_URL" in refused.get_data(as_text=True)
    app.config["PUBLIC_BASE_URL"] = "http://192.168.1.10:5000"  # the LAN address is reachable
    assert client.get(f"/documents/{counted}/minutes.pdf").status_code == 200


def test_the_minutes_number_is_set_before_export_from_the_register(
    app, counted, client, auth
) -> None:
    from ballot.org import numbering
    from ballot.org.models import Organisation
    from tests.conftest import csrf_token

    with app.app_context():  # another document already holds number 05 of 2023
        organ = db.session.scalar(select(Organisation).where(Organisation.symbol == "ĐUK"))
        assert organ is not None
        numbering.take(organ, 2023, numbering.MINUTES, "vote:another", 5)
        db.session.commit()
    auth.login("kiemphieu1", "kp1-demo-2024")
    token = csrf_token(client, f"/count/{counted}/results")
    taken = client.post(
        f"/documents/{counted}/number", data={"csrf_token": token, "number": "5"},
        follow_redirects=True,
    )  # fmt: skip
    assert "đã cấp cho văn bản khác" in taken.get_data(as_text=True)
    page = client.post(
        f"/documents/{counted}/number", data={"csrf_token": token, "number": "7"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "Biên bản mang số 07-BB/ĐUK." in page
    text = _pdf_text(client.get(f"/documents/{counted}/minutes.pdf").data)
    assert "Số 07-BB/ĐUK" in text and "(Kèm theo Biên bản kiểm phiếu số 07-BB/ĐUK)" in text
