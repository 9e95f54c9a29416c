"""A small document model that both renderers draw, so PDF and DOCX never drift apart.

The composers (`compose.py`, `election_compose.py`, `lists.py`, with the parts they share in
`sections.py`) decide every word and every column; `pdf.py` and `docx.py` only decide how a
paragraph, a table or a signature block looks in their format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right", "justify"]

#: Type sizes in points, shared so the PDF and the DOCX look alike (Nghị định 30: 13–14 pt
#: body; tables may be smaller so that eleven columns fit across A4).
BODY_PT = 13.0
HEADER_PT = 13.0
TITLE_PT = 15.0
TABLE_PT = 10.5


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    align: Align = "justify"
    indent: bool = True  #: first-line indent, as body text in Vietnamese documents has
    keep_with_next: bool = False  #: section headings stay with what they introduce
    space_before: float = 0.0  #: points


def para(text: str, *, bold: bool = False, italic: bool = False, **layout: object) -> Para:
    """One-run paragraph; layout keywords are those of Para."""
    return Para((Run(text, bold, italic),), **layout)  # type: ignore[arg-type]


def heading(text: str) -> Para:
    return Para(
        (Run(text, bold=True),), align="left", indent=True, keep_with_next=True, space_before=6.0
    )


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    align: Align = "center"


#: A grid position covered by a neighbour's colspan/rowspan.
COVERED = None


@dataclass(frozen=True)
class Table:
    widths_mm: tuple[float, ...]
    head: tuple[tuple[Cell | None, ...], ...]  #: repeated on every page
    body: tuple[tuple[Cell | None, ...], ...]
    min_row_height_mm: float = 0.0  #: room to sign in the attendance list
    font_pt: float = TABLE_PT
    keep_together: bool = False  #: short tables are easier to check when not split


@dataclass(frozen=True)
class QRPanel:
    """A QR code of `url` beside paragraphs that explain how to check the record."""

    url: str
    lines: tuple[Para, ...]
    size_mm: float = 32.0


@dataclass(frozen=True)
class SignatureColumn:
    title: str  #: "T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN": one printed line per "\n"
    names: tuple[str, ...]  #: each gets its own room to sign
    note: str = "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class Signatures:
    columns: tuple[SignatureColumn, ...]
    room_mm: float = 16.0  #: blank height above each name


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page (the annex)."""


@dataclass(frozen=True)
class KeepTogether:
    """Blocks printed on one page: the end of the minutes never leaves the signatures alone
    on the last page, nor a page that can be swapped under them."""

    blocks: tuple[Para | Table | QRPanel | Signatures, ...]


Block = Para | Table | QRPanel | Signatures | PageBreak | KeepTogether


@dataclass(frozen=True)
class Header:
    """Two columns in the layout of party documents (Hướng dẫn 36-HD/VPTW, Nghị định 30)."""

    superior_name: str
    name: str
    document_number: str
    national_heading: str
    place_and_date: str


@dataclass(frozen=True)
class Document:
    title: str  #: first title line, also the file's metadata title
    header: Header
    title_lines: tuple[str, ...]  #: printed bold and centred under the title
    blocks: tuple[Block, ...]
    author: str = ""


def page_label(page: int, pages: int) -> str:
    """The page number, printed from page 2 on (Hướng dẫn 36-HD/VPTW: the first page carries
    none); "x/y" so that a missing or added page shows."""
    return f"Trang {page}/{pages}"
