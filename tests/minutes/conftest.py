"""A confidence vote as the seed describes it: 22 summoned, 17 present, 6 subjects."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from docx import Document as DocxFile
from pypdf import PdfReader

from ballot.minutes import (
    AttendanceContext,
    AttendanceRow,
    IssuanceContext,
    MinutesContext,
    OrgHeader,
    Signer,
    SubjectResult,
)

ICT = timezone(timedelta(hours=7))
ORG = OrgHeader(
    superior_name="ĐẢNG BỘ TỈNH TRÀ VINH",
    name="ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    place="Trà Vinh",
)
VOTE_TITLE = "Lấy phiếu tín nhiệm đối với các đồng chí Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
CONFERENCE = "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 15"
ABSENT = (
    "Nguyễn Thị Ngọc Hân",
    "Kiên Thị Sa Rươne",
    "Trương Minh Khoa",
    "Đặng Văn Lực",
    "Lâm Thị Yến",
)
#: (name, position, high, normal, low, invalid): 17 ballots received for every row.
SUBJECTS = (
    ("Nguyễn Văn Tám", "Bí thư Đảng ủy Khối", 12, 3, 1, 1),
    ("Trần Thị Kim Phượng", "Phó Bí thư Thường trực Đảng ủy Khối", 9, 6, 2, 0),
    ("Lữ Công Tạo", "Phó Bí thư Đảng ủy Khối", 14, 2, 0, 1),
    ("Thạch Thị Sô Phia", "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra", 2, 4, 10, 1),
    ("Huỳnh Văn Dũng", "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức", 1, 3, 12, 1),
    ("Võ Thị Hồng Nhung", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo", 11, 5, 1, 0),
)
CHAIR = "Lê Hoàng Phúc"
MEMBERS = ("Phạm Thị Thu Trang", "Ngô Quốc Việt", "Sơn Thị Chanh Đa", "Đoàn Minh Triết")
FINGERPRINT = hashlib.sha256("hồ sơ kiểm phiếu mẫu".encode()).hexdigest()
RECORD_URL = "https://ballot.example.vn/votes/7/record"


def make_minutes(**changes: Any) -> MinutesContext:
    ctx = MinutesContext(
        organisation=ORG,
        document_date=date(2024, 1, 2),
        vote_title=VOTE_TITLE,
        conference_name=CONFERENCE,
        conference_place="Hội trường Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        started_at=datetime(2024, 1, 2, 1, 30, tzinfo=UTC),  # 08:30 in Trà Vinh
        counting_ended_at=datetime(2024, 1, 2, 9, 45, tzinfo=ICT),
        counting_chair=CHAIR,
        counting_members=MEMBERS,
        summoned=22,
        present=17,
        absent_names=ABSENT,
        issued=17,
        received=17,
        ballots_with_blank_rows=3,
        subjects=tuple(SubjectResult(i, *row) for i, row in enumerate(SUBJECTS, start=1)),
        trustee_threshold=3,
        trustee_count=5,
        fingerprint_hex=FINGERPRINT,
        record_url=RECORD_URL,
    )
    return replace(ctx, **changes)


def make_attendance(**changes: Any) -> AttendanceContext:
    present = [(name, position) for name, position, *_ in SUBJECTS]
    present += [(f"Ủy viên {i}", "Ủy viên Ban Chấp hành") for i in range(1, 12)]
    rows = [AttendanceRow(i, name, pos, True) for i, (name, pos) in enumerate(present, 1)]
    rows += [
        AttendanceRow(
            len(rows) + i, name, "Ủy viên Ban Chấp hành", False, "có lý do" if i % 2 else ""
        )
        for i, name in enumerate(ABSENT, start=1)
    ]
    ctx = AttendanceContext(
        organisation=ORG,
        document_date=date(2024, 1, 2),
        conference_name=CONFERENCE,
        vote_title=VOTE_TITLE,
        rows=tuple(rows),
        signer=Signer("TRƯỞNG BAN KIỂM PHIẾU", CHAIR),
    )
    return replace(ctx, **changes)


def make_issuance(**changes: Any) -> IssuanceContext:
    ctx = IssuanceContext(
        organisation=ORG,
        document_date=date(2024, 1, 2),
        vote_title=VOTE_TITLE,
        recorded_at=datetime(2024, 1, 2, 9, 5, tzinfo=ICT),
        issued=17,
        revoked=2,
        reissued=2,
        used=17,
        signer=Signer("TRƯỞNG BAN KIỂM PHIẾU", CHAIR),
    )
    return replace(ctx, **changes)


@pytest.fixture
def minutes_ctx() -> MinutesContext:
    return make_minutes()


@pytest.fixture
def attendance_ctx() -> AttendanceContext:
    return make_attendance()


@pytest.fixture
def issuance_ctx() -> IssuanceContext:
    return make_issuance()


def flat(text: str) -> str:
    """Collapse line breaks and runs of spaces: a name may wrap inside a table cell."""
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    """Text of each page, as a reader copying from the PDF would get it."""
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    """Text of the body paragraphs, every table cell (nested too) and the footers."""
    doc = DocxFile(io.BytesIO(data))
    parts: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                seen = set()
                for row in block.rows:
                    for cell in row.cells:  # a merged cell is listed once per grid slot
                        if cell._tc not in seen:  # the set keeps lxml's proxies alive
                            seen.add(cell._tc)
                            walk(cell)
            else:
                parts.append(block.text)

    walk(doc)
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return flat(" ".join(parts))
