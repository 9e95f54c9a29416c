"""The one reader's guards, each a clear 400 with a Vietnamese message, and the import's
messages in plain Vietnamese; a not-rated column; all or nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from ballot.db import db
from ballot.rating.imports import import_ratings
from ballot.rating.models import Rating
from ballot.rating.sheets import SheetError, read_rows
from ballot.rating.years import create_year
from tests.conftest import csrf_token

HEADER = "Mã đảng viên;Tổ chức cơ sở đảng;Xếp loại;Lý do;Không xếp loại"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _book(sheet: bytes, shared: bytes | None = None) -> bytes:
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "xl/workbook.xml": b"<workbook "
        + ns
        + b" "
        + rel
        + b'><sheets><sheet name="a" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships><Relationship Id="r1" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return _zip(parts)


SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3 \xc4\x91\xe1\xba\xa3ng vi\xc3\xaan</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>X\xe1\xba\xbfp lo\xe1\xba\xa1i</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>M00001</t></is></c><c r="B2" t="inlineStr"><is><t>HTTNV</t></is></c></row>'
    b"</sheetData></worksheet>"
)
#: A billion-laughs DTD placed after 8 KiB of whitespace (past any first-block peek).
LAUGHS = (
    b'<?xml version="1.0"?>' + b" " * 8192 + b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst>&x;</sst>'
LOWER = b'<?xml version="1.0"?><!doctype w><worksheet/>'
UTF16 = "<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE w><worksheet/>".encode("utf-16")


def test_the_reader_reads_a_plain_workbook_with_no_fallback(app) -> None:
    with app.app_context():
        columns, rows = read_rows(_book(SHEET), "a.xlsx")
        assert columns == ["member_code", "level"]
        assert [(r.line, r.values) for r in rows] == [
            (2, {"member_code": "M00001", "level": "HTTNV"})
        ]


CASES = {
    "zero-byte workbook": (b"", "a.xlsx", "Tệp rỗng (0 byte)"),
    "zero-byte csv": (b"", "a.csv", "Tệp rỗng (0 byte)"),
    "not a workbook": (b"%PDF-1.4 not a zip", "a.xlsx", "không phải là tệp Excel"),
    "broken zip": (b"PK\x03\x04 broken", "a.xlsx", "không phải là tệp Excel"),
    "a zip without a workbook": (_zip({"a.txt": b"x"}), "a.xlsx", "không phải là tệp Excel"),
    "DTD after 8 KiB": (_book(LAUGHS), "a.xlsx", "khai báo DTD"),
    "XXE in shared strings": (_book(SHEET, XXE), "a.xlsx", "khai báo DTD"),
    "lower-case doctype": (_book(LOWER), "a.xlsx", "khai báo DTD"),
    "UTF-16 part": (_book(UTF16), "a.xlsx", "không mã hóa UTF-8"),
    "zip bomb": (
        _book(b"<worksheet>" + b" " * (60 * 1024 * 1024) + b"</worksheet>"),
        "a.xlsx",
        "giải nén",
    ),
    "CSV field over 128 KiB": (
        b"M\xc3\xa3 \xc4\x91\xe1\xba\xa3ng vi\xc3\xaan;X\n" + b"x" * (129 * 1024) + b";y\n",
        "a.csv",
        "dài quá 128 KiB",
    ),
    "a workbook named .csv": (_book(SHEET), "a.csv", "là tệp Excel, không phải CSV"),
    "another kind of file": (b"hello", "a.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_reader_refuses_with_a_vietnamese_message(app, case) -> None:
    data, name, words = CASES[case]
    with app.app_context(), pytest.raises(SheetError, match=re.escape(words)):
        read_rows(data, name)


@pytest.mark.parametrize("case", [c for c in CASES if c != "another kind of file"])
def test_each_refused_file_is_a_clear_400_on_the_import_page(
    app, client, auth, make_user, tree, case
) -> None:
    data, name, words = CASES[case]
    with app.app_context():
        create_year(2023)
        db.session.commit()
    make_user("admin")
    auth.login()
    token = csrf_token(client, "/ratings/2023/import")
    response = client.post(
        "/ratings/2023/import",
        content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), "apply": "Nhập"},
    )
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 0


def _import(year, *lines: str, dry_run: bool = False):
    data = ("\n".join((HEADER, *lines)) + "\n").encode()
    return import_ratings(year, data, "f.csv", by=None, dry_run=dry_run, low_confidence={})


def test_a_duplicate_row_on_an_already_rated_year_names_the_first_line(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        assert _import(year, *[f"M{n:05d};;HTTNV;;" for n in range(1, 11)]).applied
        rows = [f"M{n:05d};;HTTNV;;" for n in range(1, 11)] + ["M00005;;HTNV;;"]
        report = _import(year, *rows)
        assert [(e.line, e.message) for e in report.errors] == [
            (12, "Dòng 12: trùng với dòng 6 (cùng một đảng viên).")
        ]


def test_the_cap_message_of_the_import_reads_naturally(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        report = _import(
            year, "M00008;;HTXSNV;;", "M00009;;HTTNV;;", "M00010;;HTTNV;;", dry_run=True
        )
        assert [e.message for e in report.errors] == [
            "Dòng 2: Đảng viên của Chi bộ Sở Tư pháp: 1 Hoàn thành xuất sắc nhiệm vụ, trong khi "
            "chỉ được tối đa 0 (20% của 2 người Hoàn thành tốt nhiệm vụ). Hãy giảm số Hoàn "
            "thành xuất sắc nhiệm vụ hoặc ghi lý do ở cột «Lý do»."
        ]


def test_a_not_rated_column_sets_members_and_organisations_apart(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        report = _import(
            year,
            "M00001;;;;Mới kết nạp dưới 6 tháng",
            "M00002;;;;suspended",
            ";B2;;;Mới thành lập dưới 6 tháng",
            "M00003;;HTTNV;;Mới kết nạp dưới 6 tháng",
        )
        assert [(e.line, e.message) for e in report.errors] == [
            (5, "Dòng 5: dòng không xếp loại thì để trống cột «Xếp loại».")
        ]
        report = _import(
            year,
            "M00001;;;;Mới kết nạp dưới 6 tháng",
            "M00002;;;;suspended",
            ";B2;;;Mới thành lập dưới 6 tháng",
        )
        assert report.applied and report.not_rated == 3
        reasons = dict(db.session.execute(select(Rating.member_id, Rating.not_rated)).all())
        assert sorted(v for v in reasons.values() if v) == [
            "admitted_recently",
            "founded_recently",
            "suspended",
        ]


def test_a_ceiling_found_while_applying_rolls_back_every_row(app, tree) -> None:
    """All or nothing: the secretary ceiling fires on the organisation's row, after its
    members (the secretary among them, read from the committee data) were applied."""
    from ballot.org.models import Committee, CommitteeKind, Member, Organisation, Position, Seat

    with app.app_context():
        b2 = db.session.scalar(select(Organisation.id).where(Organisation.code == "B2"))
        secretary = db.session.scalar(select(Member.id).where(Member.code == "M00008"))
        committee = Committee(organisation_id=b2, kind=CommitteeKind.EXECUTIVE, term="I")
        committee.seats.append(Seat(member_id=secretary, position=Position.SECRETARY))
        db.session.add(committee)
        year = create_year(2023)
        report = _import(year, ";B2;HTNV;;", "M00008;;HTTNV;;", "M00009;;HTTNV;;")
        assert not report.applied
        assert [e.line for e in report.errors] == [2]
        assert (
            "Bí thư của tổ chức đã được xếp loại Hoàn thành tốt nhiệm vụ"
            in report.errors[0].message
        )
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 0
