"""The attendance list and the code issuance log, read back from both formats."""

from __future__ import annotations

import re

import pytest

from ballot.minutes import (
    render_attendance_docx,
    render_attendance_pdf,
    render_issuance_docx,
    render_issuance_pdf,
)
from tests.minutes.conftest import (
    ABSENT,
    CHAIR,
    SUBJECTS,
    docx_text,
    make_attendance,
    make_issuance,
    pdf_pages,
)

#: What a one-time code or a tracker could look like: "K7Q2-M9XD", "ABCD-EFGH", "7f3a9c21e0".
CODE_LIKE = [
    re.compile(r"\b[A-Za-z0-9]{4,}-[A-Za-z0-9]{4,}\b"),
    re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{6,}\b"),
]


def _read(kind: str, pdf_bytes: bytes, docx_bytes: bytes) -> str:
    return " ".join(pdf_pages(pdf_bytes)) if kind == "pdf" else docx_text(docx_bytes)


@pytest.fixture(scope="module", params=["pdf", "docx"])
def attendance_text(request) -> str:
    ctx = make_attendance()
    return _read(request.param, render_attendance_pdf(ctx), render_attendance_docx(ctx))


@pytest.fixture(scope="module", params=["pdf", "docx"])
def issuance_text(request) -> str:
    ctx = make_issuance()
    return _read(request.param, render_issuance_pdf(ctx), render_issuance_docx(ctx))


def test_attendance_lists_present_and_absent_in_their_own_sections(attendance_text) -> None:
    text = attendance_text
    assert "DANH SÁCH ĐẠI BIỂU ĐƯỢC TRIỆU TẬP" in text
    assert (
        "Tổng số người được triệu tập: 22 đồng chí; có mặt: 17 đồng chí; vắng mặt: 05 đồng chí."
    ) in text
    present, absent = text.split("II. ĐẠI BIỂU VẮNG MẶT (05 đồng chí)")
    assert "I. ĐẠI BIỂU CÓ MẶT (17 đồng chí)" in present
    assert "TT Họ và tên Chức vụ Ký tên" in present
    assert "2 Trần Thị Kim Phượng Phó Bí thư Thường trực Đảng ủy Khối" in present
    for name, position, *_ in SUBJECTS:
        assert f"{name} {position}" in present and name not in absent
    assert "TT Họ và tên Chức vụ Lý do vắng mặt" in absent
    assert f"1 {ABSENT[0]} Ủy viên Ban Chấp hành có lý do" in absent
    assert f"2 {ABSENT[1]} Ủy viên Ban Chấp hành Không rõ lý do" in absent
    assert all(name not in present for name in ABSENT)
    assert f"TRƯỞNG BAN KIỂM PHIẾU (Ký, ghi rõ họ tên) {CHAIR}" in text


def test_attendance_pdf_pages_are_numbered_from_page_two() -> None:
    pages = pdf_pages(render_attendance_pdf(make_attendance()))
    assert len(pages) == 2  # 17 rows with room to sign, then the absent: two A4 pages
    assert "Trang 1/" not in pages[0] and "Trang 2/2" in pages[1]


def test_issuance_log_gives_counts(issuance_text) -> None:
    text = issuance_text
    assert "SỔ CẤP MÃ BỎ PHIẾU" in text
    assert "Số liệu tính đến 09 giờ 05 phút, ngày 02 tháng 01 năm 2024." in text
    for row in (
        "1 Số mã bỏ phiếu đã cấp lần đầu 17",
        "2 Số mã bị thu hồi, hủy trước khi sử dụng 2",
        "3 Số mã cấp lại thay mã bị thu hồi 2",
        "4 Số mã có hiệu lực (cấp lần đầu + cấp lại − thu hồi) 17",
        "5 Số mã đã dùng để bỏ phiếu 17",
        "6 Số mã có hiệu lực nhưng không dùng đến 0",
    ):
        assert row in text


def test_issuance_log_contains_nothing_that_looks_like_a_code(issuance_text) -> None:
    for pattern in CODE_LIKE:
        assert pattern.findall(issuance_text) == []


def test_the_code_pattern_would_catch_a_code() -> None:
    """Guard the guard: the patterns above do match codes and trackers."""
    for sample in ("mã K7Q2-M9XD", "ABCD-EFGH", "mã 7f3a9c21e0 đã dùng"):
        assert any(p.search(sample) for p in CODE_LIKE)
