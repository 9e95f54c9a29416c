"""Reading a workbook or CSV file into rows of text, and the columns of a ratings file."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

#: Column key -> accepted headers (compared without case, accents or extra spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "member_code": ("Mã đảng viên", "Mã ĐV", "Mã", "Member code", "Code"),
    "full_name": ("Họ và tên", "Họ tên", "Full name", "Name"),
    "organisation": ("Tổ chức cơ sở đảng", "Tổ chức", "TCCS đảng", "Đảng bộ, chi bộ cơ sở", "Organisation",
                     "Organization"),
    "cell": ("Chi bộ", "Chi bộ trực thuộc", "Cell"),
    "year": ("Năm", "Year"),
    "self_score": ("Điểm tự chấm", "Self score"),
    "self_level": ("Tự xếp loại", "Self level"),
    "proposed_level": ("Chi bộ đề xuất", "Đề xuất", "Proposed level"),
    "score": ("Điểm", "Score"),
    "level": ("Xếp loại", "Mức xếp loại", "Kết quả xếp loại", "Level"),
    "discipline": ("Kỷ luật", "Hình thức kỷ luật", "Discipline"),
    "reason": ("Lý do", "Ghi chú lý do", "Reason"),
}
#: The headers we write, in order (exports and the template round-trip through the import).
HEADERS = ("member_code", "full_name", "organisation", "cell", "year", "self_score", "self_level",
           "proposed_level", "score", "level", "discipline", "reason")


def header_label(key: str) -> str:
    return COLUMNS[key][0]


def fold(text: str) -> str:
    """Return text without accents, case or repeated spaces, for comparing names and headers."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())


_HEADER_KEYS = {fold(header): key for key, headers in COLUMNS.items() for header in headers}


class SheetError(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    line: int
    values: dict[str, str]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SheetError(_("Không đọc được tệp Excel: %(error)s", error=exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell_text(v) for v in row]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise SheetError(_("Tệp CSV phải dùng bảng mã UTF-8.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    for line, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield line, [_cell_text(v) for v in row]


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[SheetRow]]:
    """Return the recognised column keys and the non-blank rows (with their line numbers)."""
    name = filename.lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(data)
    else:
        raise SheetError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    header: list[str | None] | None = None
    out: list[SheetRow] = []
    for line, cells in rows:
        if header is None:
            if not any(cells):
                continue
            header = [_HEADER_KEYS.get(fold(cell)) for cell in cells]
            unknown = [cell for cell, key in zip(cells, header, strict=True) if cell and key is None]
            if unknown:
                raise SheetError(_("Dòng %(line)s: không nhận ra cột %(columns)s.", line=line,
                                   columns=", ".join(f"«{c}»" for c in unknown)))
            continue
        if not any(cells):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header) if key}
        out.append(SheetRow(line, values))
    if header is None:
        raise SheetError(_("Tệp không có dữ liệu."))
    return [key for key in header if key], out
