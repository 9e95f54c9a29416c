"""The vote through its pages and its JSON API (ballots encrypted by the Python library)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ballot.crypto.ballot import encrypt_ballot
from ballot.db import db
from ballot.voting import casting, counting, desk
from ballot.voting.models import BallotCode, BoardEntry, ConfidenceVote
from tests.conftest import csrf_token


def _vote(app, vote_id):
    return db.session.get(ConfidenceVote, vote_id)


@pytest.fixture
def open_vote(demo_app, ready_vote):
    """An open vote with 17 present; returns (vote id, public id, keys)."""
    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = _vote(demo_app, vote_id)
        for voter in vote.voters[:17]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        db.session.commit()
        return vote_id, vote.public_id, keys


def _issue_codes(client, auth, public_id, count):
    auth.login("desk", "desk-demo-2024")
    page = client.get(f"/desk/{public_id}").get_data(as_text=True)
    voter_ids = re.findall(r'/voters/(\d+)/issue"', page)[:count]
    token = csrf_token(client, f"/desk/{public_id}")
    found = []
    for voter_id in voter_ids:
        slip = client.post(f"/desk/{public_id}/voters/{voter_id}/issue", data={"csrf_token": token})
        assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
        html = slip.get_data(as_text=True)
        found.append(re.search(r"data-code>([0-9A-Z*~$=-]+)<", html).group(1))
        assert "<svg" in html  # the QR code
    auth.logout()
    return found


def _ballot(app, vote_id, choices):
    with app.app_context():
        return encrypt_ballot(casting.context_of(_vote(app, vote_id)), choices)


def test_desk_issues_codes_that_are_stored_only_as_keyed_hashes(
    demo_app, open_vote, client, auth
) -> None:
    vote_id, public_id, _ = open_vote
    codes = _issue_codes(client, auth, public_id, 3)
    assert len(set(codes)) == 3 and all(len(c.replace("-", "")) == 14 for c in codes)
    with demo_app.app_context():
        stored = db.session.scalars(select(BallotCode.code_hash)).all()
        assert len(stored) == 3
        for code in codes:
            assert all(code.replace("-", "") not in h.upper() for h in stored)
        with db.engine.connect() as conn:  # nothing in any table holds a code in clear
            for table in db.metadata.sorted_tables:
                for row in conn.execute(table.select()):
                    assert not any(
                        code.replace("-", "") in str(value) for value in row for code in codes
                    )


def test_cast_through_the_api_and_find_the_receipt_on_the_board(
    demo_app, open_vote, client, auth
) -> None:
    vote_id, public_id, _ = open_vote
    (code,) = _issue_codes(client, auth, public_id, 1)
    assert client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": code}).json == {
        "ok": True
    }
    ballot = _ballot(demo_app, vote_id, [0, 1, 2, None, 0, 2])
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot}
    )
    assert response.status_code == 201
    receipt = response.json
    assert receipt["seq"] == 1 and len(receipt["short_code"]) == 9
    # a retry after a lost response: the same receipt, no second ballot
    again = client.post(f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot})
    assert (
        again.status_code == 200
        and again.json["tracker"] == receipt["tracker"]
        and again.json["repeated"]
    )
    # a different ballot with the used code is refused
    other = _ballot(demo_app, vote_id, [2, 2, 2, 2, 2, 2])
    refused = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": other}
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "used_code"
    assert refused.json["error"]["message_vi"] == "Mã phiếu này đã được dùng để bỏ phiếu."
    assert refused.json["error"]["message"] == "This ballot code was already used to vote."
    board = client.get(f"/board/{public_id}?tracker={receipt['short_code']}").get_data(as_text=True)
    assert f'data-found="{receipt["short_code"]}"' in board
    api_board = client.get(f"/api/v1/votes/{public_id}/board").json
    assert [e["tracker"] for e in api_board["entries"]] == [receipt["tracker"]]
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 1


@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (
            lambda b, c: ({"code": c[:-1] + ("0" if c[-1] != "0" else "1"), "ballot": b}),
            400,
            "mistyped_code",
        ),
        (lambda b, c: ({"code": "0000-0000-0000-01", "ballot": b}), 400, "mistyped_code"),
        (
            lambda b, c: ({"code": c, "ballot": {**b, "fingerprint": "00" * 32}}),
            400,
            "invalid_ballot",
        ),
        (lambda b, c: ({"code": c, "ballot": {"rows": "nope"}}), 400, "invalid_ballot"),
        (lambda b, c: ({"code": c, "ballot": _bad_point(b)}), 400, "invalid_ballot"),
        (lambda b, c: ({"code": c, "ballot": _bad_proof(b)}), 400, "invalid_ballot"),
        (lambda b, c: ({"code": 12345, "ballot": b}), 400, "mistyped_code"),
        (lambda b, c: ["not", "an", "object"], 400, "bad_json"),
    ],
)
def test_bad_casts_get_a_clear_error_and_change_nothing(
    demo_app, open_vote, client, auth, mutate, status, code
) -> None:
    vote_id, public_id, _ = open_vote
    (slip,) = _issue_codes(client, auth, public_id, 1)
    ballot = _ballot(demo_app, vote_id, [0, 0, 0, 0, 0, 0])
    response = client.post(f"/api/v1/votes/{public_id}/ballots", json=mutate(ballot, slip))
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code and response.json["error"]["message_vi"]
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 0
        state = db.session.scalar(select(BallotCode.state))
        assert state is not None and state.value == "issued"
        assert _vote(demo_app, vote_id).ballots_cast == 0


def _bad_point(ballot):
    ballot["rows"][0]["cts"][0]["a"] = "01" + "00" * 31  # the identity
    return ballot


def _bad_proof(ballot):
    proof = ballot["rows"][1]["cts"][2]["proof"]
    proof[1] = proof[3]
    return ballot


def test_copied_ciphertext_is_refused(demo_app, open_vote, client, auth) -> None:
    vote_id, public_id, _ = open_vote
    first, second = _issue_codes(client, auth, public_id, 2)
    ballot = _ballot(demo_app, vote_id, [0, 1, 2, 0, 1, 2])
    assert (
        client.post(
            f"/api/v1/votes/{public_id}/ballots", json={"code": first, "ballot": ballot}
        ).status_code
        == 201
    )
    copied = client.post(
        f"/api/v1/votes/{public_id}/ballots", json={"code": second, "ballot": ballot}
    )
    assert copied.status_code == 400 and copied.json["error"]["code"] == "duplicate_ciphertext"
    with demo_app.app_context():
        states = sorted(s.value for s in db.session.scalars(select(BallotCode.state)))
        assert states == ["issued", "used"]  # the second code is still usable


def test_unknown_code_closed_vote_and_oversized_body(demo_app, open_vote, client, auth) -> None:
    vote_id, public_id, _ = open_vote
    from ballot.voting.codes import new_code

    unknown = client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": new_code()})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "unknown_code"
    big = client.post(
        f"/api/v1/votes/{public_id}/ballots",
        data=b"{" + b" " * (5 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    assert big.status_code == 413
    with demo_app.app_context():
        counting.close_vote(_vote(demo_app, vote_id))
        db.session.commit()
    closed = client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": new_code()})
    assert closed.status_code == 409 and closed.json["error"]["code"] == "vote_closed"


def test_repeated_wrong_codes_from_one_device_are_rate_limited(demo_app, open_vote, client) -> None:
    _, public_id, _ = open_vote
    from ballot.voting.codes import new_code

    statuses = [
        client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": new_code()}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429


def test_revoked_slip_is_refused_and_counted(demo_app, open_vote, client, auth) -> None:
    vote_id, public_id, _ = open_vote
    (lost,) = _issue_codes(client, auth, public_id, 1)
    auth.login("desk", "desk-demo-2024")
    page = client.get(f"/desk/{public_id}").get_data(as_text=True)
    voter_id = re.findall(r'/voters/(\d+)/reissue"', page)[0]
    token = csrf_token(client, f"/desk/{public_id}")
    # without a reason nothing is revoked
    refused = client.post(
        f"/desk/{public_id}/voters/{voter_id}/reissue",
        data={"csrf_token": token, "reason": "  "},
        headers={"Referer": f"http://localhost/desk/{public_id}"},
        follow_redirects=True,
    )
    assert "Hãy ghi lý do hủy mã phiếu." in refused.get_data(as_text=True)
    assert client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": lost}).json == {
        "ok": True
    }
    slip = client.post(
        f"/desk/{public_id}/voters/{voter_id}/reissue",
        data={"csrf_token": token, "reason": "làm mất phiếu mã"},
    )
    new = re.findall(r"data-code>([0-9A-Z*~$=-]+)<", slip.get_data(as_text=True))[0]
    assert new != lost
    assert "Số mã đã hủy và cấp lại: 1" in client.get(f"/desk/{public_id}").get_data(as_text=True)
    revoked = client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": lost})
    assert revoked.status_code == 403 and revoked.json["error"]["code"] == "revoked_code"
    assert client.post(f"/api/v1/votes/{public_id}/codes/check", json={"code": new}).json == {
        "ok": True
    }


def test_roles_on_vote_pages(demo_app, open_vote, client, auth) -> None:
    _, public_id, _ = open_vote
    auth.login("observer", "observer-demo-2024")
    assert client.get(f"/desk/{public_id}").status_code == 403
    assert client.get(f"/count/{public_id}").status_code == 200
    assert client.get(f"/count/{public_id}/ceremony").status_code == 403
    token = csrf_token(client, f"/count/{public_id}")
    assert client.post(f"/count/{public_id}/close", data={"csrf_token": token}).status_code == 403
    auth.logout()
    auth.login("kiemphieu2", "kp2-demo-2024")  # a member, but not the chair
    token = csrf_token(client, f"/count/{public_id}")
    response = client.post(
        f"/count/{public_id}/close",
        data={"csrf_token": token},
        headers={"Referer": f"http://localhost/count/{public_id}"},
    )
    assert response.status_code == 303
    assert "Chỉ Trưởng ban" in client.get(f"/count/{public_id}").get_data(as_text=True)


def test_open_is_refused_below_quorum_on_the_page(demo_app, ready_vote, client, auth) -> None:
    vote_id, _ = ready_vote
    with demo_app.app_context():
        public_id = _vote(demo_app, vote_id).public_id
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, f"/votes/{public_id}")
    response = client.post(
        f"/votes/{public_id}/open",
        data={"csrf_token": token},
        headers={"Referer": f"http://localhost/votes/{public_id}"},
        follow_redirects=True,
    )
    assert "Chưa đủ số lượng: có mặt 0, cần ít nhất 15 trong số 22" in response.get_data(
        as_text=True
    )
    # the same refusal in the English interface is English, its figures filled in
    client.get("/lang/en")
    english = client.post(
        f"/votes/{public_id}/open",
        data={"csrf_token": token},
        headers={"Referer": f"http://localhost/votes/{public_id}"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Quorum not reached: 0 present, at least 15 of the 22 summoned are needed." in english
    assert "Chưa đủ số lượng" not in english
    with demo_app.app_context():
        assert _vote(demo_app, vote_id).state.value == "ready"


@pytest.fixture
def counted_vote(demo_app, open_vote):
    """A counted vote: 17 present, 4 ballots cast (one with a blank row), 2 of 3 decrypted."""
    from ballot.voting.simulate import cast_choices, decrypt_as

    vote_id, public_id, keys = open_vote
    with demo_app.app_context():
        vote = _vote(demo_app, vote_id)
        codes = [desk.issue_code(vote, voter) for voter in vote.voters[:4]]
        db.session.commit()
        for code, choices in zip(
            codes,
            [[0, 0, 2, 0, 1, 2], [0, 1, 2, 0, 1, 2], [1, 2, 2, 0, None, 2], [0, 0, 2, 1, 1, 0]],
            strict=True,
        ):
            cast_choices(vote, code, choices)
        vote = _vote(demo_app, vote_id)
        counting.close_vote(vote)
        db.session.commit()
        decrypt_as(vote, keys[:2])
        db.session.commit()
    return vote_id, public_id


def test_minutes_are_refused_before_results_and_to_desk_and_observers(
    demo_app, open_vote, client, auth
) -> None:
    _, public_id, _ = open_vote
    auth.login("admin", "admin-demo-2024")
    early = client.get(f"/documents/{public_id}/minutes.pdf")
    assert early.status_code == 409 and "Chưa có kết quả" in early.get_data(as_text=True)
    auth.logout()
    for user, password in (("desk", "desk-demo-2024"), ("observer", "observer-demo-2024")):
        auth.login(user, password)
        assert client.get(f"/documents/{public_id}/minutes.pdf").status_code == 403
        assert client.get(f"/documents/{public_id}/minutes.docx").status_code == 403
        auth.logout()


def test_results_page_and_documents_after_counting(demo_app, counted_vote, client, auth) -> None:
    import io

    import docx
    from pypdf import PdfReader

    _, public_id = counted_vote
    demo_app.config["PUBLIC_BASE_URL"] = "https://ballot.dukhoi.travinh.vn"
    auth.login("kiemphieu1", "kp1-demo-2024")
    page = client.get(f"/count/{public_id}/results").get_data(as_text=True)
    # subject 3: 4 "low" of 4 received → 100,00% and the 2/3 flag; subject 5: one blank row
    assert "100,00%" in page and "Từ 2/3 phiếu tín nhiệm thấp trở lên" in page
    # the projector shows the same flags, the fingerprint and the closing hash, one format
    with demo_app.app_context():
        vote = db.session.scalar(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        )
        assert vote is not None and vote.fingerprint is not None and vote.closing is not None
        fingerprint, closing = vote.fingerprint, vote.closing["hash"]
    projector = client.get(f"/count/{public_id}/projector").get_data(as_text=True)
    assert 'data-flag="dismiss"' in projector and "Từ 2/3 phiếu tín nhiệm thấp trở lên" in projector
    # the flag's line is read out in the same words on the page, the projector and the minutes
    line = (
        "Đồng chí Lữ Công Tạo (100,00% phiếu tín nhiệm thấp) có từ 2/3 trở lên tổng số phiếu "
        "thu về đánh giá tín nhiệm thấp; theo Quy định 96-QĐ/TW, cấp có thẩm quyền xem xét, "
        "thực hiện quy trình miễn nhiệm theo Quy định 41-QĐ/TW."
    )
    assert line in " ".join(page.split()) and line in " ".join(projector.split())
    upper = fingerprint.upper()
    assert f"<mark>{upper[0:4]} {upper[4:8]} {upper[8:12]} {upper[12:16]}</mark>" in projector
    assert f'data-closing="{closing}"' in projector and closing[:4].upper() in projector
    assert "75,00%" in page and "25,00%" in page
    pdf = client.get(f"/documents/{public_id}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages
    )
    assert "BIÊN BẢN KIỂM PHIẾU" in text, text
    assert "Trần Thị Kim Phượng" in text and "75,00%" in text
    assert line in text
    word = client.get(f"/documents/{public_id}/minutes.docx")
    document = docx.Document(io.BytesIO(word.data))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Lữ Công Tạo" in cells and "100,00%" in cells
    for kind in ("attendance", "issuance"):
        for fmt in ("pdf", "docx"):
            assert client.get(f"/documents/{public_id}/{kind}.{fmt}").status_code == 200
    record = client.get(f"/api/v1/votes/{public_id}/record").json
    from ballot.crypto.record import verify_record

    assert verify_record(record).ok


def test_openapi_describes_every_api_route(app, client) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
    }
    assert routes == set(document["paths"])
