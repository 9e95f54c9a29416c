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
def attendance_text(request) -> str:  # type: ignore[no-untyped-def]
    ctx = make_attendance()
    return _read(request.param, render_attendance_pdf(ctx), render_attendance_docx(ctx))


@pytest.fixture(scope="module", params=["pdf", "docx"])
def issuance_text(request) -> str:  # type: ignore[no-untyped-def]
    ctx = make_issuance()
    return _read(request.param, render_issuance_pdf(ctx), render_issuance_docx(ctx))


def test_attendance_lists_everyone_summoned_with_their_status(attendance_text) -> None:
    text = attendance_text
    assert "DANH SÁCH ĐẠI BIỂU CÓ MẶT" in text
    assert (
        "Tổng số người được triệu tập: 22 đồng chí; có mặt: 17 đồng chí; vắng mặt: 5 đồng chí."
    ) in text
    assert "TT Họ và tên Chức vụ Có mặt / Vắng mặt Ký tên" in text
    assert "2 Trần Thị Kim Phượng Phó Bí thư Thường trực Đảng ủy Khối Có mặt" in text
    for name, position, *_ in SUBJECTS:
        assert f"{name} {position} Có mặt" in text
    assert f"18 {ABSENT[0]} Ủy viên Ban Chấp hành Vắng mặt (có lý do)" in text
    assert f"19 {ABSENT[1]} Ủy viên Ban Chấp hành Vắng mặt" in text
    # Statuses, not the column heading (which the PDF repeats on every page).
    assert len(re.findall(r"Có mặt(?! /)", text)) == 17
    assert len(re.findall(r"(?<!/ )Vắng mặt", text)) == len(ABSENT)
    assert f"TRƯỞNG BAN KIỂM PHIẾU (Ký, ghi rõ họ tên) {CHAIR}" in text


def test_attendance_pdf_pages_are_numbered() -> None:
    pages = pdf_pages(render_attendance_pdf(make_attendance()))
    assert len(pages) == 2  # 22 rows with room to sign do not fit on one A4 page
    assert all(f"Trang {i}/2" in page for i, page in enumerate(pages, start=1))


def test_issuance_log_gives_counts(issuance_text) -> None:
    text = issuance_text
    assert "SỔ THEO DÕI CẤP MÃ BỎ PHIẾU" in text
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
    assert "Trang 1/1" in text


def test_issuance_log_contains_nothing_that_looks_like_a_code(issuance_text) -> None:
    for pattern in CODE_LIKE:
        assert pattern.findall(issuance_text) == []


def test_the_code_pattern_would_catch_a_code() -> None:
    """Guard the guard: the patterns above do match codes and trackers."""
    for sample in ("mã K7Q2-M9XD", "ABCD-EFGH", "mã 7f3a9c21e0 đã dùng"):
        assert any(p.search(sample) for p in CODE_LIKE)
