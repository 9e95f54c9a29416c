"""Import from XLSX and CSV: a dry run names every bad row; any error means nothing is imported."""

from __future__ import annotations

import io
from typing import cast

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, insert, select

from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.export import rows_to_xlsx, year_rows
from ballot.rating.imports import import_ratings
from ballot.rating.models import Rating, RatingOverride, RatingRevision
from ballot.rating.rules import Discipline, Level
from ballot.rating.years import create_year
from tests.rating.conftest import build_tree

HEADER = "Mã đảng viên;Họ và tên;Tổ chức cơ sở đảng;Chi bộ;Năm;Điểm;Xếp loại;Kỷ luật;Lý do"


def _csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode("utf-8")


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Rating)) or 0


def test_a_clean_csv_imports_members_and_organisations(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        data = _csv(
            "M00001;Nguyễn Văn Số 1;B1;B1-C1;2023;;Hoàn thành tốt nhiệm vụ;;",
            "M00008;nguyễn văn số 8;Chi bộ Sở Tư pháp;;2023;;HTNV;;",
            ";;B2;;2023;;HTTNV;;",
        )
        dry = import_ratings(year, data, "ket-qua.csv", by=None, dry_run=True, low_confidence={})
        assert dry.ok and not dry.applied and (dry.new, dry.organisations) == (3, 1)
        assert _count() == 0
        report = import_ratings(
            year, data, "ket-qua.csv", by=None, dry_run=False, low_confidence={}
        )
        assert report.applied and report.new == 3
        levels = dict(
            db.session.execute(
                select(Member.code, Rating.level).join(Rating, Rating.member_id == Member.id)
            ).all()
        )
        assert levels == {"M00001": Level.GOOD, "M00008": Level.COMPLETED}
        assert (
            db.session.scalar(select(Rating.source).where(Rating.member_id.is_not(None)).limit(1))
            == "Nhập từ tệp ket-qua.csv"
        )
        again = import_ratings(year, data, "ket-qua.csv", by=None, dry_run=False, low_confidence={})
        assert again.applied and again.unchanged == 3 and _count() == 3


def test_every_bad_row_is_named_with_its_line_and_reason(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        data = _csv(
            "M00001;Nguyễn Văn Số 1;B1;B1-C1;2023;;Tốt lắm;;",  # line 2: level
            "M09999;Ai Đó;B1;;2023;;HTTNV;;",  # line 3: unknown member
            "M00002;Trần Văn Khác;B1;;2023;;HTTNV;;",  # line 4: name
            "M00003;Nguyễn Văn Số 3;B2;;2023;;HTTNV;;",  # line 5: organisation
            "M00004;;;;2022;;HTTNV;;",  # line 6: year
            "M00005;;;;2023;abc;HTTNV;;",  # line 7: score
            "M00006;;;;2023;;HTTNV;Nhắc nhở;",  # line 8: discipline
            "M00007;;;;2023;;HTTNV;Khiển trách;",  # line 9: check, no reason
            "M00008;;;;2023;;HTTNV;;",
            "M00008;;;;2023;;HTTNV;;",
        )  # line 11: duplicate
        report = import_ratings(year, data, "sai.csv", by=None, dry_run=False, low_confidence={})
        assert not report.applied and _count() == 0
        by_line = {e.line: e.message for e in report.errors}
        assert sorted(cast(dict[int, str], by_line)) == [2, 3, 4, 5, 6, 7, 8, 9, 11]
        assert "Dòng 2: xếp loại «Tốt lắm» không hợp lệ" in by_line[2]
        assert "không có đảng viên mã «M09999»" in by_line[3]
        assert "không khớp với đảng viên M00002" in by_line[4]
        assert "thuộc Đảng bộ Sở Tài chính" in by_line[5]
        assert "ghi năm 2022, không phải năm 2023" in by_line[6]
        assert "không phải là số" in by_line[7]
        assert "hình thức kỷ luật «Nhắc nhở»" in by_line[8]
        assert "Bị kỷ luật trong năm" in by_line[9] and "cột «Lý do»" in by_line[9]
        assert "trùng với dòng 10" in by_line[11]


def test_a_reason_accepts_a_check_and_changes_to_decided_ratings_are_re_ratings(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        first = _csv(
            "M00001;;;;;;HTTNV;;", "M00002;;;;;;HTNV;Khiển trách;Tự giác báo cáo, đã khắc phục"
        )
        assert import_ratings(
            year, first, "a.csv", by=None, dry_run=False, low_confidence={}
        ).applied
        override = db.session.scalars(select(RatingOverride)).one()
        assert (override.check_code, override.reason) == (
            "discipline",
            "Tự giác báo cáo, đã khắc phục",
        )
        change = _csv("M00001;;;;;;HTNV;;")
        refused = import_ratings(year, change, "b.csv", by=None, dry_run=False, low_confidence={})
        assert not refused.ok and "đánh giá lại" in refused.errors[0].message
        accepted = import_ratings(
            year,
            _csv("M00001;;;;;;HTNV;;Chi bộ họp lại ngày 20/1"),
            "c.csv",
            by=None,
            dry_run=False,
            low_confidence={},
        )
        assert accepted.applied and accepted.re_rated == 1
        revision = db.session.scalars(select(RatingRevision)).one()
        assert (revision.previous_level, revision.level, revision.reason) == (
            Level.GOOD,
            Level.COMPLETED,
            "Chi bộ họp lại ngày 20/1",
        )
        assert (
            db.session.scalar(
                select(Rating.discipline).where(
                    Rating.member_id.is_not(None),
                    Rating.level == Level.COMPLETED,
                    Rating.discipline.is_not(None),
                )
            )
            == Discipline.REPRIMAND
        )


def test_the_cap_is_checked_on_the_whole_file(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        rows = [f"M{n:05d};;;;;;HTTNV;;" for n in range(2, 8)] + [
            "M00001;;;;;;HTXSNV;;",
            "M00008;;;;;;HTXSNV;;",
        ]
        report = import_ratings(
            year, _csv(*rows), "cap.csv", by=None, dry_run=True, low_confidence={}
        )
        # B1: 1 excellent for 6 good is within 20%; B2: 1 excellent, 0 good is not
        assert [e.line for e in report.errors] == [9]
        assert (
            "Chi bộ Sở Tư pháp" in report.errors[0].message
            and "tối đa 0" in report.errors[0].message
        )


def test_xlsx_export_round_trips_through_the_import(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        import_ratings(
            year,
            _csv("M00001;;;;;;HTTNV;;", ";;B1;;;;HTTNV;;"),
            "a.csv",
            by=None,
            dry_run=False,
            low_confidence={},
        )
        data = rows_to_xlsx(year_rows(year), "Xếp loại 2023")
        sheet = load_workbook(io.BytesIO(data)).active
        header = [c.value for c in sheet[1]]
        assert header[:4] == ["Mã đảng viên", "Họ và tên", "Tổ chức cơ sở đảng", "Chi bộ"]
        assert sheet.max_row == 1 + 10 + 2  # every member, then every basic organisation
        report = import_ratings(year, data, "export.xlsx", by=None, dry_run=True, low_confidence={})
        assert not report.ok  # the members not yet rated have no level
        assert {e.line for e in report.errors} == set(range(3, 12)) | {13}
        assert all("chưa ghi xếp loại" in e.message for e in report.errors)


def test_unreadable_files_and_missing_columns_are_reported(app, tree) -> None:
    with app.app_context():
        year = create_year(2023)
        assert (
            "Chỉ nhận tệp"
            in import_ratings(year, b"x", "a.pdf", by=None, dry_run=True, low_confidence={})
            .errors[0]
            .message
        )
        assert (
            "Excel"
            in import_ratings(
                year, b"not a zip", "a.xlsx", by=None, dry_run=True, low_confidence={}
            )
            .errors[0]
            .message
        )
        report = import_ratings(
            year,
            "Mã đảng viên,Màu\nM00001,đỏ\n".encode(),
            "a.csv",
            by=None,
            dry_run=True,
            low_confidence={},
        )
        assert "không nhận ra cột «Màu»" in report.errors[0].message


@pytest.mark.slow  # 6,000 rows (~2 s); a small file with bad rows imports nothing above
def test_6000_good_rows_and_one_bad_row_at_the_end_import_nothing(app) -> None:
    with app.app_context():
        build_tree({"B1-C1": 0, "B1-C2": 0, "B2": 0})
        unit = db.session.scalar(select(Organisation.id).where(Organisation.code == "B1-C1"))
        db.session.execute(
            insert(Member),
            [
                {
                    "code": f"D{n:05d}",
                    "full_name": f"Đảng viên {n}",
                    "organisation_id": unit,
                    "active": True,
                }
                for n in range(1, 6001)
            ],
        )
        year = create_year(2023)
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Mã đảng viên", "Họ và tên", "Năm", "Xếp loại"])
        for n in range(1, 6001):
            sheet.append([f"D{n:05d}", f"Đảng viên {n}", 2023, "Hoàn thành tốt nhiệm vụ"])
        sheet.append(["D99999", "Không Có Thật", 2023, "Hoàn thành tốt nhiệm vụ"])
        out = io.BytesIO()
        workbook.save(out)
        report = import_ratings(
            year, out.getvalue(), "lon.xlsx", by=None, dry_run=False, low_confidence={}
        )
        assert not report.applied and report.rows == 6001
        assert [(e.line, e.message) for e in report.errors] == [
            (6002, "Dòng 6002: không có đảng viên mã «D99999».")
        ]
        assert _count() == 0
