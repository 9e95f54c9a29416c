"""The year's rating report carries the party-format heading, a number and the date in words."""

from __future__ import annotations

from ballot.rating.demo import DEMO_YEAR
from tests.minutes.conftest import pdf_pages


def test_the_rating_report_has_the_party_heading_a_number_and_the_date_in_words(
    demo_app, client, auth
) -> None:
    auth.login("admin", "admin-demo-2024")
    first = client.get(f"/ratings/{DEMO_YEAR}/report.pdf")
    assert first.status_code == 200, first.status_code
    text = " ".join(pdf_pages(first.data))
    head = text[: text.index("BÁO CÁO")]
    assert "ĐẢNG BỘ TỈNH TRÀ VINH ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH *" in head
    assert "ĐẢNG BỘ KHỐI" not in head
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head
    assert "Số 01-BC/ĐUK" in head
    assert "Trà Vinh, ngày " in head and " tháng " in head and " năm " in head
    # the report keeps its number from the register when printed again
    again = " ".join(pdf_pages(client.get(f"/ratings/{DEMO_YEAR}/report.pdf").data))
    assert "Số 01-BC/ĐUK" in again
