"""Reading a workbook or CSV file into rows of text, and the columns of a ratings file."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _

#: Column key -> accepted headers (compared without case, accents or extra spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "member_code": ("Mã đảng viên", "Mã ĐV", "Mã", "Member code", "Code"),
    "full_name": ("Họ và tên", "Họ tên", "Full name", "Name"),
    "organisation": (
        "Tổ chức cơ sở đảng",
        "Tổ chức",
        "TCCS đảng",
        "Đảng bộ, chi bộ cơ sở",
        "Organisation",
        "Organization",
    ),
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
HEADERS = (
    "member_code",
    "full_name",
    "organisation",
    "cell",
    "year",
    "self_score",
    "self_level",
    "proposed_level",
    "score",
    "level",
    "discipline",
    "reason",
)


def header_label(key: str) -> str:
    return COLUMNS[key][0]


@lru_cache(maxsize=8192)
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


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column(ref: str) -> int:
    number = 0
    for ch in ref:
        if not ch.isalpha():
            break
        number = number * 26 + ord(ch.upper()) - 64
    return number - 1


#: A ratings workbook of 100,000 rows unpacks to about 30 MB; anything far larger is refused.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def _refuse_bombs(archive: Any) -> None:
    """Refuse a workbook that would unpack to a huge size (zip bomb) or whose XML parts declare
    a DTD (entity expansion): a real workbook has neither. With no DTD, expat expands no
    entity, so parsing the parts with ElementTree is safe."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (
            total > MAX_UNPACKED_BYTES
            or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024
        ):
            raise SheetError(
                _("Tệp quá lớn khi giải nén; đây không phải một tệp Excel bình thường.")
            )
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise SheetError(_("Tệp Excel chứa khai báo DTD; vì an toàn, tệp bị từ chối."))


def _xlsx_rows_fast(data: bytes) -> list[tuple[int, list[str]]]:
    """Read the first sheet's values straight from the XML (openpyxl's reader is ~5x slower)."""
    import xml.etree.ElementTree as ET  # parts parsed only after _refuse_bombs  # nosec B405
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _refuse_bombs(archive)
        names = set(archive.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314 - guarded by _refuse_bombs  # nosec B314
            shared = [
                "".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")
            ]
        book = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - guarded by _refuse_bombs  # nosec B314
        first = next(book.iter(f"{_NS}sheet")).get(_REL)
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314 - guarded by _refuse_bombs  # nosec B314
        target = next(r.get("Target") for r in rels if r.get("Id") == first) or ""
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out: list[tuple[int, list[str]]] = []
        with archive.open(path) as sheet:
            for _event, element in ET.iterparse(sheet):  # noqa: S314 - guarded by _refuse_bombs  # nosec B314
                if element.tag != f"{_NS}row":
                    continue
                line = int(element.get("r") or len(out) + 1)
                cells: list[str] = []
                for cell in element.iter(f"{_NS}c"):
                    index = _column(cell.get("r") or "") if cell.get("r") else len(cells)
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in cell.iter(f"{_NS}t"))
                    else:
                        value = cell.find(f"{_NS}v")
                        raw = value.text if value is not None and value.text is not None else ""
                        if kind == "s" and raw:
                            text = shared[int(raw)]
                        elif kind in (None, "n") and raw:
                            number = float(raw)
                            text = str(int(number)) if number.is_integer() else raw
                        else:
                            text = raw
                    cells.extend([""] * (index - len(cells) + 1))
                    cells[index] = unicodedata.normalize("NFC", text).strip()
                out.append((line, cells))
                element.clear()
        return out


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from _xlsx_rows_fast(data)
        return
    except Exception:  # noqa: S110 - an unusual workbook: let openpyxl read it (issue 14.9 replaces this)  # nosec B110
        pass
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
    for line, row in enumerate(
        csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
    ):
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
            unknown = [
                cell for cell, key in zip(cells, header, strict=True) if cell and key is None
            ]
            if unknown:
                raise SheetError(
                    _(
                        "Dòng %(line)s: không nhận ra cột %(columns)s.",
                        line=line,
                        columns=", ".join(f"«{c}»" for c in unknown),
                    )
                )
            continue
        if not any(cells):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header) if key}
        out.append(SheetRow(line, values))
    if header is None:
        raise SheetError(_("Tệp không có dữ liệu."))
    return [key for key in header if key], out
