"""The rating pages: a fired check shows its source; "không xếp loại" set in the UI, counted
on its own dashboard line with a drill-down; the rule set's page lists every source."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ballot.db import db
from ballot.rating.models import Rating
from ballot.rating.years import create_year
from tests.conftest import csrf_token


@pytest.fixture
def year(app, tree):
    with app.app_context():
        create_year(2023)
        db.session.commit()
    return 2023


def _post(client, path: str, data: dict[str, object], page: str):
    token = csrf_token(client, page)
    prefixes = ("", "self-", "proposal-", "decision-", "rerate-", "notrated-")
    return client.post(path, data={**{f"{p}csrf_token": token for p in prefixes}, **data})


def test_a_fired_check_shows_its_source_beside_it(client, auth, make_user, year) -> None:
    make_user("admin")
    auth.login()
    page = "/ratings/2023/member/M00001"
    refused = _post(
        client,
        page + "/decision",
        {"decision-level": "good", "decision-discipline": "salary_downgrade"},
        page,
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Bị kỷ luật trong năm" in html
    assert "Căn cứ: Quy định 124-QĐ/TW, Điều 12" in html


def test_not_rated_is_set_in_the_ui_and_counted_on_its_own_line(
    app, client, auth, make_user, year
) -> None:
    make_user("admin")
    auth.login()
    page = "/ratings/2023/member/M00002"
    done = _post(
        client,
        page + "/not-rated",
        {"notrated-reason": "exempt", "notrated-on": "2023-12-05"},
        page,
    )
    assert done.status_code == 302
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert (rating.not_rated, str(rating.not_rated_on), rating.level) == (
            "exempt",
            "2023-12-05",
            None,
        )
    entry = client.get(page).get_data(as_text=True)
    assert "Được miễn công tác và sinh hoạt đảng" in entry and "05/12/2023" in entry
    dashboard = client.get("/ratings/2023/").get_data(as_text=True)
    assert "1 đảng viên và 0 tổ chức cơ sở đảng không xếp loại" in dashboard
    assert "/ratings/2023/not-rated?reason=exempt" in dashboard
    assert "<strong>0</strong>/9 đảng viên" in dashboard  # target 7: 10 members, one not rated
    listing = client.get("/ratings/2023/not-rated?reason=exempt").get_data(as_text=True)
    assert "M00002" in listing and "05/12/2023" in listing
    assert client.get("/ratings/2023/not-rated?reason=nope").status_code == 404
    wrong = _post(
        client,
        page + "/not-rated",
        {"notrated-reason": "founded_recently", "notrated-on": "2023-12-05"},
        page,
    )
    assert wrong.status_code == 422  # an organisation's reason is not a choice for a member
    undone = _post(client, page + "/not-rated", {"notrated-clear": "x"}, page)
    assert undone.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Rating)).one().not_rated is None


def test_the_rule_set_page_lists_each_rule_with_its_source_and_local_choices(
    client, auth, make_user, year
) -> None:
    make_user("observer", "observer")
    auth.login("observer", "observer-password-1")
    html = client.get("/ratings/2023/rules").get_data(as_text=True)
    assert "Quy định 124-QĐ/TW, Điều 12" in html and "Hướng dẫn 25-HD/BTCTW" in html
    assert "lựa chọn của địa phương" in html and "Đối chiếu:" in html
    assert "Mới kết nạp dưới 6 tháng" in html and "Nghỉ ốm từ 3 tháng" in html
