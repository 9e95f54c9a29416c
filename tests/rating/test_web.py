"""The rating pages: who may see and do what, the dashboard, entry with checks, overrides, re-rating, import."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ballot.db import db
from ballot.rating.models import Rating, RatingOverride, RatingRevision
from ballot.rating.rules import Level
from ballot.rating.years import create_year
from tests.conftest import csrf_token

DECISION = "/ratings/2023/member/M00001/decision"


@pytest.fixture
def year(app, tree):
    with app.app_context():
        create_year(2023)
        db.session.commit()
    return 2023


def _post(client, path: str, data: dict[str, object], page: str = "/ratings/2023/member/M00001"):
    token = csrf_token(client, page)
    # The entry page's forms carry prefixes, so each expects its own "<prefix>-csrf_token".
    tokens = {
        f"{prefix}csrf_token": token
        for prefix in ("", "self-", "proposal-", "decision-", "rerate-")
    }
    return client.post(path, data={**tokens, **data})


@pytest.mark.parametrize("role", ["desk"])
def test_desk_clerks_see_nothing_of_ratings(client, auth, make_user, year, role) -> None:
    make_user(role, role)
    auth.login(role, f"{role}-password-1")
    for path in (
        "/ratings/",
        "/ratings/2023/",
        "/ratings/2023/units/B1",
        "/ratings/2023/checks",
        "/ratings/2023/pending",
        "/ratings/2023/report.pdf",
        "/ratings/2023/member/M00001",
        "/ratings/2023/import",
        "/ratings/2023/export.xlsx",
    ):
        assert client.get(path).status_code == 403, path
    assert "Đánh giá, xếp loại" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["observer", "counting"])
def test_observers_and_counting_read_the_dashboard_but_decide_nothing(
    client, auth, make_user, year, role
) -> None:
    make_user(role, role)
    auth.login(role, f"{role}-password-1")
    for path in (
        "/ratings/",
        "/ratings/2023/",
        "/ratings/2023/units/B1",
        "/ratings/2023/checks",
        "/ratings/2023/pending",
        "/ratings/2023/report.pdf",
    ):
        assert client.get(path).status_code == 200, path
    for path in (
        "/ratings/2023/member/M00001",
        "/ratings/2023/import",
        "/ratings/2023/export.xlsx",
        "/ratings/2023/search?q=M0",
    ):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/ratings/2023/")
    for step in ("self", "proposal", "decision", "re-rating"):
        response = client.post(f"/ratings/2023/member/M00001/{step}", data={"csrf_token": token})
        assert response.status_code == 403, step
    assert (
        client.post("/ratings/years", data={"csrf_token": token, "year": 2024}).status_code == 403
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, year) -> None:
    response = client.get("/ratings/2023/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_dashboard_shows_each_target_in_vietnamese_numbers(
    app, client, auth, make_user, year
) -> None:
    make_user("admin")
    auth.login()
    _post(client, DECISION, {"decision-level": "good"})
    html = client.get("/ratings/2023/").get_data(as_text=True)
    assert "Chỉ tiêu 7" in html and "Đảng viên Hoàn thành tốt nhiệm vụ trở lên" in html
    assert "10,00%" in html and "1</strong>/10" in html  # 1 of 10 members, 9 not yet rated, kept in
    assert "9 đảng viên chưa xếp loại, vẫn tính vào tổng số." in html
    assert "Chưa đạt" in html and "<svg" in html and "style=" not in html.split("<main")[1]
    unit = client.get("/ratings/2023/units/B1").get_data(as_text=True)
    assert "Chi bộ 1 - Sở Tài chính" in unit and "Nguyễn Văn Số 2" in unit  # not yet rated, listed


def test_entry_shows_the_steps_and_a_check_blocks_the_decision_until_a_reason(
    app, client, auth, make_user, year
) -> None:
    make_user("admin")
    auth.login()
    page = client.get("/ratings/2023/member/M00001")
    assert page.status_code == 200 and "Tự đánh giá" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Rating)) is None  # looking creates nothing
    _post(client, "/ratings/2023/member/M00001/self", {"self-self_level": "good"})
    _post(client, "/ratings/2023/member/M00001/proposal", {"proposal-proposed_level": "good"})
    refused = _post(client, DECISION, {"decision-level": "good", "decision-discipline": "warning"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kết quả này chưa qua kiểm tra" in html and "Bị kỷ luật trong năm" in html
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert rating.level is None and rating.discipline is None  # nothing recorded
    accepted = _post(
        client,
        DECISION,
        {
            "decision-level": "good",
            "decision-discipline": "warning",
            "decision-override_reason": "Tự giác báo cáo, đã khắc phục trước kỳ xếp loại",
        },
    )
    assert accepted.status_code == 302
    page = client.get("/ratings/2023/member/M00001").get_data(as_text=True)
    assert "Đã chấp nhận với lý do" in page and "Admin" in page  # who decided
    checks = client.get("/ratings/2023/checks").get_data(as_text=True)
    assert "Đã chấp nhận có ghi lý do (1)" in checks and "Tự giác báo cáo" in checks


def test_a_low_confidence_leader_is_flagged_on_entry(
    app, client, auth, make_user, year, monkeypatch
) -> None:
    from fractions import Fraction

    from ballot.rating import sources

    with app.app_context():
        from ballot.org.models import Member

        leader = db.session.scalar(select(Member.id).where(Member.code == "M00001"))
    monkeypatch.setattr(
        sources, "low_confidence_by_member", lambda year: {leader: Fraction(13, 22)}
    )
    make_user("admin")
    auth.login()
    response = _post(client, DECISION, {"decision-level": "good"})
    assert response.status_code == 422 and "59,09%" in response.get_data(as_text=True)


def test_re_rating_needs_a_reason_and_is_recorded(app, client, auth, make_user, year) -> None:
    make_user("admin")
    auth.login()
    _post(client, DECISION, {"decision-level": "good"})
    again = _post(client, DECISION, {"decision-level": "excellent"})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Rating.level)) == Level.GOOD  # a second decision is refused
    no_reason = _post(
        client, "/ratings/2023/member/M00001/re-rating", {"rerate-level": "completed"}
    )
    assert no_reason.status_code == 422
    done = _post(
        client,
        "/ratings/2023/member/M00001/re-rating",
        {"rerate-level": "completed", "rerate-reason": "Kết luận kiểm tra ngày 15/3"},
    )
    assert done.status_code == 302
    with app.app_context():
        revision = db.session.scalars(select(RatingRevision)).one()
        assert (revision.previous_level, revision.level) == (Level.GOOD, Level.COMPLETED)
    html = client.get("/ratings/2023/member/M00001").get_data(as_text=True)
    assert "Kết luận kiểm tra ngày 15/3" in html


def test_import_page_names_the_bad_line_then_imports_the_fixed_file_and_targets_move(
    app, client, auth, make_user, year
) -> None:
    make_user("admin")
    auth.login()
    rows = "\n".join(f"M{n:05d};HTTNV" for n in range(1, 11))
    broken = ("Mã đảng viên;Xếp loại\n" + rows.replace("M00007;HTTNV", "M00007;Tot")).encode()
    token = csrf_token(client, "/ratings/2023/import")
    response = client.post(
        "/ratings/2023/import",
        content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(broken), "xep-loai.csv"), "apply": "Nhập"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Không nhập dòng nào: 1 lỗi" in html
    assert "Dòng 8: xếp loại «Tot» không hợp lệ" in html
    with app.app_context():
        assert db.session.scalar(select(Rating)) is None
    fixed = ("Mã đảng viên;Xếp loại\n" + rows).encode()
    checked = client.post(
        "/ratings/2023/import",
        content_type="multipart/form-data",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(fixed), "xep-loai.csv"),
            "check": "Kiểm tra",
        },
    )
    assert "hợp lệ: 10 dòng" in checked.get_data(as_text=True)
    done = client.post(
        "/ratings/2023/import",
        content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(fixed), "xep-loai.csv"), "apply": "Nhập"},
    )
    assert done.status_code == 302
    assert "100,00%" in client.get("/ratings/2023/").get_data(as_text=True)


def test_exports_open_and_carry_the_figures(app, client, auth, make_user, year) -> None:
    from openpyxl import load_workbook

    make_user("admin")
    auth.login()
    _post(client, DECISION, {"decision-level": "good"})
    xlsx = client.get("/ratings/2023/export.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["Xếp loại 2023", "Chỉ tiêu"]
    assert workbook["Chỉ tiêu"]["D4"].value == "10,00%"
    pending = load_workbook(io.BytesIO(client.get("/ratings/2023/pending.xlsx").data)).active
    assert pending.max_row == 1 + 9 + 2  # nine members and both organisations still to rate
    pdf = client.get("/ratings/2023/report.pdf")
    assert pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2023" in text
    assert "1/10" in text and "10,00%" in text and "Chưa đạt" in text


def test_the_administrator_opens_a_year_under_a_rule_set(
    app, client, auth, make_user, tree
) -> None:
    make_user("admin")
    auth.login()
    token = csrf_token(client, "/ratings/")
    response = client.post(
        "/ratings/years",
        data={"csrf_token": token, "year": "2025", "rule_set": "", "cap_basis": "good_and_above"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/ratings/2025/")
    html = client.get("/ratings/2025/").get_data(as_text=True)
    assert "Quy định 366-QĐ/TW (2025)" in html and "Hoàn thành tốt nhiệm vụ trở lên" in html
    with app.app_context():
        assert db.session.scalar(select(RatingOverride)) is None
