"""The one reader of workbooks and CSV files (ratings import), with its guards, and the
columns of a ratings file. There is no second reader and no fallback: a file the guards or
the reader refuse gets a Vietnamese message (a 400 on the web)."""

from __future__ import annotations

import csv
import io
import unicodedata
import xml.etree.ElementTree as ET  # every part passes _refuse_dtd first (whole part)  # nosec B405
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from xml.parsers import expat

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
    "not_rated": ("Không xếp loại", "Lý do không xếp loại", "Not rated"),
    "not_rated_on": ("Ngày không xếp loại", "Not rated on"),
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
    "not_rated",
    "not_rated_on",
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
#: A real workbook's parts compress at most ~20:1 (shared strings, repeated styles).
MAX_RATIO = 200
#: A CSV field longer than this is refused (no name, code or reason is anywhere near it).
MAX_CSV_FIELD = 128 * 1024
#: The parts read from a workbook, and the most of them (a workbook has a handful).
MAX_PARTS = 10_000


def _not_a_workbook() -> SheetError:
    return SheetError(
        _("Tệp không phải là tệp Excel (.xlsx) đọc được; hãy lưu lại bằng Excel rồi gửi lại.")
    )


class _Part:
    """One XML part of a workbook, read whole under the size guard, with its DTD guard."""

    def __init__(self, archive: zipfile.ZipFile, name: str, budget: list[int]) -> None:
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise _not_a_workbook() from None
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
            raise _bomb()
        with archive.open(info) as stream:
            # The declared size may lie: count what really comes out, whole part.
            data = stream.read(budget[0] + 1)
        budget[0] -= len(data)
        if budget[0] < 0:
            raise _bomb()
        _refuse_dtd(data)
        self.data = data


def _bomb() -> SheetError:
    return SheetError(_("Tệp quá lớn khi giải nén; đây không phải một tệp Excel bình thường."))


def _refuse_dtd(data: bytes) -> None:
    """Refuse a part that declares a DTD or an entity anywhere, or is not UTF-8 XML.

    A real workbook has no DTD. The whole part is searched (not a first block), and the
    parser below refuses a DTD again, so no entity is ever expanded.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise SheetError(_("Tệp Excel có phần không mã hóa UTF-8; vì an toàn, tệp bị từ chối."))
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise SheetError(_("Tệp Excel chứa khai báo DTD; vì an toàn, tệp bị từ chối."))


def _refuse(*_args: object) -> None:
    raise SheetError(_("Tệp Excel chứa khai báo DTD; vì an toàn, tệp bị từ chối."))


def _qualified(name: str) -> str:
    return "{" + name if "}" in name else name


def _parse(data: bytes, on_row: Callable[[ET.Element], None] | None = None) -> ET.Element:
    """Parse a part with expat, refusing any DTD, entity declaration or external entity.

    With `on_row`, each <row> is handed over when it ends and then cleared, so a large sheet
    is never held whole as a tree.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse  # type: ignore[assignment]
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attrs: dict[str, str]) -> None:
        builder.start(_qualified(name), {_qualified(k): v for k, v in attrs.items()})

    def end(name: str) -> None:
        element = builder.end(_qualified(name))
        if on_row is not None and element.tag == f"{_NS}row":
            on_row(element)
            element.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise _not_a_workbook() from None
    return builder.close()


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Read the first sheet's values from a workbook: the one reader, no fallback.

    Guards: the file must be a zip holding a workbook; the parts read may unpack to at most
    MAX_UNPACKED_BYTES in all (counted as they come out, not as declared); each part is read
    whole and refused if it declares a DTD or an entity, or is not UTF-8.
    """
    if not data:
        raise SheetError(_("Tệp rỗng (0 byte); hãy chọn đúng tệp cần nhập."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_workbook() from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _bomb()
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise _bomb()
        budget = [MAX_UNPACKED_BYTES]
        try:
            names = set(archive.namelist())
            shared: list[str] = []
            if "xl/sharedStrings.xml" in names:
                root = _parse(_Part(archive, "xl/sharedStrings.xml", budget).data)
                shared = [
                    "".join(t.text or "" for t in si.iter(f"{_NS}t"))
                    for si in root.iter(f"{_NS}si")
                ]
            book = _parse(_Part(archive, "xl/workbook.xml", budget).data)
            first = next(book.iter(f"{_NS}sheet")).get(_REL)
            rels = _parse(_Part(archive, "xl/_rels/workbook.xml.rels", budget).data)
            target = next(r.get("Target") for r in rels if r.get("Id") == first) or ""
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            return _sheet_rows(_Part(archive, path, budget).data, shared)
        except SheetError:
            raise
        except (StopIteration, IndexError, ValueError, zipfile.BadZipFile, EOFError):
            raise _not_a_workbook() from None
        except (zlib.error, NotImplementedError, RuntimeError):
            raise _not_a_workbook() from None


def _sheet_rows(data: bytes, shared: list[str]) -> list[tuple[int, list[str]]]:
    """Read the sheet's rows as they are parsed, clearing each (never the whole tree).

    The sheet can be large, so it goes through ElementTree's C parser; it is safe because
    `_refuse_dtd` has already searched the whole part: no DTD, no entity declaration, UTF-8
    only (an undeclared entity is then a parse error, refused as not a workbook).
    """
    out: list[tuple[int, list[str]]] = []
    pull: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    row_tag = f"{_NS}row"
    step = 1 << 20
    try:
        for start in range(0, len(data) + 1, step):
            if start < len(data):
                pull.feed(data[start : start + step])
            else:
                pull.close()
            for _event, element in pull.read_events():  # type: ignore[misc]
                if isinstance(element, ET.Element) and element.tag == row_tag:
                    out.append(_row(element, shared, len(out)))
                    element.clear()
    except ET.ParseError:
        raise _not_a_workbook() from None
    return out


def _row(element: ET.Element, shared: list[str], before: int) -> tuple[int, list[str]]:
    line = int(element.get("r") or before + 1)
    cells: list[str] = []
    for cell in element.iter(f"{_NS}c"):
        index = _column(cell.get("r") or "") if cell.get("r") else len(cells)
        if not 0 <= index < 16384:  # Excel's last column is XFD
            raise _not_a_workbook()
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
    return line, cells


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if not data:
        raise SheetError(_("Tệp rỗng (0 byte); hãy chọn đúng tệp cần nhập."))
    if data.startswith(b"PK\x03\x04"):
        raise SheetError(_("Tệp này là tệp Excel, không phải CSV: hãy đặt tên đuôi .xlsx."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise SheetError(_("Tệp CSV phải dùng bảng mã UTF-8.")) from exc
    if "\x00" in text:
        raise SheetError(_("Tệp không phải là tệp CSV (văn bản) đọc được."))
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_CSV_FIELD)
        for row in reader:
            out.append((reader.line_num, [_cell_text(v) for v in row]))
    except csv.Error:
        raise SheetError(
            _(
                "Dòng %(line)s: một ô dài quá %(kib)s KiB hoặc sai định dạng CSV; tệp bị từ chối.",
                line=reader.line_num,
                kib=MAX_CSV_FIELD // 1024,
            )
        ) from None
    finally:
        csv.field_size_limit(limit)
    return out


def read_cells(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """The first sheet's (or the CSV file's) rows as (line, cell texts), under the guards;
    the type is told by the name's ending. Also read by the delegate roll (ballot.voting.roll)."""
    name = filename.lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return _xlsx_rows(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _csv_rows(data)
    raise SheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[SheetRow]]:
    """Return the recognised column keys and the non-blank rows (with their line numbers)."""
    rows = read_cells(data, filename)
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
