"""The election minutes served for a counted election in the database: taken from the
verified record, in both formats, with the same roles and refusals as the confidence vote's."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
from sqlalchemy import func, select, update

from ballot.audit.models import AuditEntry
from ballot.db import db
from ballot.i18n import hex_groups
from ballot.voting.models import ConfidenceVote, VoteKind, VoteState
from ballot.voting.published import forget_cache
from tests.minutes.conftest import docx_text, pdf_pages

PUBLIC = "https://ballot.dukhoi.travinh.vn"
MARK = {
    "elected": "Trúng cử",
    "tied": "Ngang phiếu ở suất cuối",
    "not_elected": "Không trúng cử (đã đủ số lượng)",
    "no_majority": "Không trúng cử (không quá một nửa)",
}


@pytest.fixture
def app_config() -> dict[str, str]:
    return {"PUBLIC_BASE_URL": PUBLIC}


def _election(title: str | None = None) -> ConfidenceVote:
    query = select(ConfidenceVote).where(
        ConfidenceVote.kind == VoteKind.ELECTION, ConfidenceVote.state == VoteState.COUNTED
    )
    if title is not None:
        query = query.where(ConfidenceVote.title == title)
    return db.session.scalars(query.order_by(ConfidenceVote.id).limit(1)).one()


@pytest.fixture
def elected(demo_votes_app):
    """The demo with its counted rehearsal election (a copy of the seeded template, as
    `seed_demo()` leaves it); returns the election's public id."""
    with demo_votes_app.app_context():
        return _election().public_id


def _texts(client, public_id: str) -> dict[str, str]:
    out = {}
    for fmt in ("pdf", "docx"):
        response = client.get(f"/documents/{public_id}/minutes.{fmt}")
        assert response.status_code == 200, response.get_data(as_text=True)
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="bien-ban-kiem-phieu-bau-cu-')
        assert disposition.endswith(f'.{fmt}"')
        data = response.data
        out[fmt] = " ".join(pdf_pages(data)) if fmt == "pdf" else docx_text(data)
    return out


def test_the_route_serves_the_minutes_of_the_verified_record(app, elected, client, auth) -> None:
    from ballot.voting.election_results import election_results

    auth.login("kiemphieu1", "kp1-demo-2024")
    record = client.get(f"/api/v1/votes/{elected}/record").data
    doc = json.loads(record)
    counts = doc["result"]["counts"]
    names = [s["name"] for s in doc["manifest"]["subjects"]]
    with app.app_context():
        vote = _election()
        results = election_results(vote)  # the results page's view, computed apart
        ranked = [(c.rank, c.number - 1, c.status.value) for c in results.candidates]
        title, absent = (
            vote.title,
            [(v.full_name, v.absence_reason) for v in vote.voters if not v.present],
        )
    texts = _texts(client, elected)
    received = doc["result"]["received"]
    for fmt, text in texts.items():
        assert "BIÊN BẢN KIỂM PHIẾU BẦU CỬ" in text and title in text, fmt
        assert "Số 01-BB/ĐUK" in text  # the first number of the organ's register for 2023
        # the demo holds it at 15:00 Vietnam time on the conference's day
        assert "Vào lúc 15 giờ 00 phút, ngày 05 tháng 12 năm 2023" in text
        assert "Việc kiểm phiếu kết thúc vào lúc 15 giờ 30 phút, cùng ngày." in text
        assert "Bầu: Ban Thường vụ." in text and "Số lượng cần bầu: 06 đồng chí." in text
        assert "Số người trong danh sách bầu cử: 07 đồng chí (số dư 01 đồng chí" in text
        assert f"Tổng số đại biểu được triệu tập: {doc['attendance']['summoned']} đồng chí." in text
        assert f"Số đại biểu có mặt: {doc['attendance']['present']} đồng chí" in text
        assert (
            f"Số đại biểu vắng mặt: {len(absent):02d} đồng chí, gồm: "
            + ", ".join(f"đồng chí {name} ({reason})" for name, reason in absent)
            in text
        )
        assert f"Số phiếu phát ra: {doc['attendance']['issued']} phiếu." in text
        assert f"Số phiếu thu về: {received} phiếu." in text
        assert f"Số phiếu hợp lệ: {received} phiếu." in text
        assert "Số phiếu không hợp lệ: 00 phiếu." in text
        rows = " ".join(
            f"{rank} {names[i]} {counts[i]} {100 * counts[i] / received:.2f}%".replace(".", ",")
            + f" {MARK[status]}"
            for rank, i, status in ranked
        )
        assert "Thứ tự Họ và tên Số phiếu bầu Tỷ lệ Kết quả " + rows in text, fmt
        assert (
            f"so với tổng số đại biểu được triệu tập ({results.base} đồng chí), tức là từ "
            f"{results.base // 2 + 1} phiếu trở lên" in text
        )
        elected_names = [names[i] for _, i, s in ranked if s == "elected"]
        assert (
            f"Số người trúng cử: {len(elected_names):02d}/06 đồng chí: {elected_names[0]}" in text
        )
        compact = text.replace(" ", "")
        for value in (
            doc["fingerprint"],
            doc["closing"]["hash"],
            hashlib.sha256(record).hexdigest(),
        ):
            assert hex_groups(value).replace(" ", "") in compact, fmt
        assert f"ballotverify{PUBLIC}/api/v1/votes/{elected}/record" in compact


def test_the_pdf_and_the_docx_of_the_election_say_the_same_words(
    app, elected, client, auth
) -> None:
    import re

    auth.login("kiemphieu1", "kp1-demo-2024")
    texts = _texts(client, elected)
    footer = re.compile(r"Trang \d+/\d+")
    # each download is logged, so the audit log's head (anchor 4) moves between the two
    head = re.compile(r"khi in biên bản: (?:[0-9A-F]{4} ){16}")
    # the record's address wraps at another place in each format
    url = f"{PUBLIC}/api/v1/votes/{elected}/record"
    address = re.compile(r"\s?".join(map(re.escape, url)))
    words = [
        Counter(address.sub(" URL ", head.sub(" ", footer.sub(" ", t))).split())
        for t in texts.values()
    ]
    assert words[0] == words[1]
    assert all(len(head.findall(t)) == 1 for t in texts.values())


def _refusals(app) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "results.refused")
        ).scalar_one()


def test_a_tampered_stored_result_makes_the_minutes_refuse(
    app, elected, client, auth, runner, tmp_path
) -> None:
    auth.login("kiemphieu1", "kp1-demo-2024")
    assert client.get(f"/documents/{elected}/minutes.pdf").status_code == 200  # proof cached
    with app.app_context():
        vote = _election()
        counts = [list(row) for row in vote.counts or []]
        counts[0][0] += 1  # one more vote for the first name on the list
        db.session.execute(
            update(ConfidenceVote).where(ConfidenceVote.id == vote.id).values(counts=counts)
        )
        db.session.commit()
    before = _refusals(app)
    for fmt in ("pdf", "docx"):
        refused = client.get(f"/documents/{elected}/minutes.{fmt}")
        assert refused.status_code == 409, fmt
        assert "không khớp với hồ sơ kiểm phiếu" in refused.get_data(as_text=True)
    result = runner.invoke(
        args=["minutes", elected, "-o", str(tmp_path / "m.pdf"), "--base-url", PUBLIC]
    )
    assert result.exit_code == 1 and "không khớp với hồ sơ kiểm phiếu" in result.output
    assert not (tmp_path / "m.pdf").exists()
    assert _refusals(app) == before + 3
    forget_cache()  # a fresh process checks the whole record again and still refuses
    assert client.get(f"/documents/{elected}/minutes.docx").status_code == 409


def test_the_election_minutes_refuse_an_unset_or_loopback_address(
    app, elected, client, auth
) -> None:
    auth.login("kiemphieu1", "kp1-demo-2024")
    for base in ("", "http://127.0.0.1:5000", "http://localhost"):
        app.config["PUBLIC_BASE_URL"] = base
        refused = client.get(f"/documents/{elected}/minutes.docx")
        assert refused.status_code == 409 and "PUBLIC_BASE_URL" in refused.get_data(as_text=True)


def test_only_the_office_and_the_counting_committee_download_them(
    app, elected, client, auth
) -> None:
    assert client.get(f"/documents/{elected}/minutes.pdf").status_code in (302, 401)
    for user, password in (("desk", "desk-demo-2024"), ("observer", "observer-demo-2024")):
        auth.login(user, password)
        assert client.get(f"/documents/{elected}/minutes.pdf").status_code == 403, user
        client.post("/auth/logout")


def test_the_cli_writes_the_election_minutes(app, elected, runner, tmp_path) -> None:
    out = tmp_path / "bb.docx"
    result = runner.invoke(
        args=[
            "minutes",
            elected,
            "--format",
            "docx",
            "-o",
            str(out),
            "--base-url",
            "https://bp.example.vn",
        ]
    )
    assert result.exit_code == 0, result.output
    text = docx_text(out.read_bytes())
    assert "BIÊN BẢN KIỂM PHIẾU BẦU CỬ" in text
    assert f"https://bp.example.vn/api/v1/votes/{elected}/record" in text.replace(" ", "")


def test_a_tie_and_its_further_round_in_the_database(app, elected, client, auth) -> None:
    """2 seats of 3, all 22 present: A kept by 20, B and C by 12 each (22 convened, 12 needed):
    A is elected, B and C tie for the last seat; the further round is vòng 2 among them."""
    from ballot.auth.models import Role, User
    from ballot.elections.rules import Kind
    from ballot.org.models import Conference
    from ballot.voting.election_demo import hold, hold_counted_election
    from ballot.voting.election_rounds import create_further_round

    names = [("Huỳnh Thanh Bình", "Ủy viên"), ("Võ Thị Ngọc Lan", "Ủy viên"),
             ("Trần Văn Minh", "Ủy viên")]  # fmt: skip
    first = [[True, True, False]] * 10 + [[True, False, True]] * 10 + [[False, True, True]] * 2
    with app.app_context():
        conference = db.session.scalars(select(Conference).order_by(Conference.id).limit(1)).one()
        committee = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )[:3]
        held = hold_counted_election(
            conference, committee, title="Bầu bổ sung Ủy viên Ban Thường vụ", kind=Kind.STANDING,
            seats=2, candidates=names, choices=first,
        )  # fmt: skip
        db.session.commit()
        tie_id = held.vote.public_id
        second = create_further_round(held.vote)
        db.session.commit()
        again = hold(second, committee, [[True, False]] * 15 + [[False, True]] * 7, seed="v2")
        db.session.commit()
        round_two = again.vote.public_id
    auth.login("kiemphieu1", "kp1-demo-2024")
    for text in _texts(client, tie_id).values():
        assert (
            "1 Huỳnh Thanh Bình 20 90,91% Trúng cử "
            "2 Võ Thị Ngọc Lan 12 54,55% Ngang phiếu ở suất cuối "
            "2 Trần Văn Minh 12 54,55% Ngang phiếu ở suất cuối"
        ) in text
        assert "Số người trúng cử: 01/02 đồng chí: Huỳnh Thanh Bình (20 phiếu)." in text
        assert (
            "Các đồng chí Võ Thị Ngọc Lan (12 phiếu), Trần Văn Minh (12 phiếu) có số phiếu "
            "ngang nhau ở suất cuối: chưa đồng chí nào trong số này trúng cử." in text
        )
        assert (
            "quyết định việc bầu tiếp (vòng 2) trong số các đồng chí: Võ Thị Ngọc Lan, Trần "
            "Văn Minh." in text
        )
    for text in _texts(client, round_two).values():
        assert "Bầu bổ sung Ủy viên Ban Thường vụ (vòng 2)" in text
        assert "tiến hành bầu cử vòng 2 bằng phiếu kín" in text and "(Vòng 2)" not in text
        assert "Số lượng cần bầu: 01 đồng chí." in text
        assert "1 Võ Thị Ngọc Lan 15 68,18% Trúng cử" in text
        assert "Đã bầu đủ số lượng cần bầu; không phải bầu tiếp." in text


def test_the_minutes_refuse_when_the_results_shown_disagree_with_them(app, elected) -> None:
    from dataclasses import replace

    from ballot.elections.rules import Status
    from ballot.minutes.election_builder import election_minutes_context
    from ballot.voting.election_results import election_results
    from ballot.voting.errors import VoteError

    before = _refusals(app)
    with app.app_context(), app.test_request_context():
        vote = _election()
        results = election_results(vote)
        shown = replace(
            results, candidates=[replace(c, status=Status.ELECTED) for c in results.candidates]
        )
        with pytest.raises(VoteError) as refused:
            election_minutes_context(vote, shown, f"{PUBLIC}/api/v1/votes/x/record")
        assert refused.value.code == "record_mismatch"
        assert election_minutes_context(vote, results, f"{PUBLIC}/r").title == vote.title
    assert _refusals(app) == before + 1


def test_the_attendance_list_and_issuance_log_of_an_election(app, elected, client, auth) -> None:
    auth.login("kiemphieu1", "kp1-demo-2024")
    for kind, title in (("attendance", "DANH SÁCH ĐẠI BIỂU"), ("issuance", "SỔ CẤP MÃ BỎ PHIẾU")):
        response = client.get(f"/documents/{elected}/{kind}.pdf")
        assert response.status_code == 200, kind
        text = " ".join(pdf_pages(response.data))
        assert title in text and "Diễn tập: bầu Ban Thường vụ Đảng ủy Khối khóa VIII" in text


def test_the_number_set_on_the_results_page_is_the_election_minutes(
    app, elected, client, auth
) -> None:
    from tests.conftest import csrf_token

    auth.login("kiemphieu1", "kp1-demo-2024")
    results = client.get(f"/count/{elected}/results").get_data(as_text=True)
    assert f"/documents/{elected}/minutes.pdf" in results  # the page offers the minutes
    token = csrf_token(client, f"/count/{elected}/results")
    page = client.post(
        f"/documents/{elected}/number", data={"csrf_token": token, "number": "7"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "Biên bản mang số 07-BB/ĐUK." in page
    for text in _texts(client, elected).values():
        assert "Số 07-BB/ĐUK" in text
        assert "(Kèm theo Biên bản kiểm phiếu bầu cử số 07-BB/ĐUK)" in text
