"""Draw a composed Document as an A4 PDF with reportlab platypus."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape  # escapes our output, parses nothing  # nosec B406

import segno
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from ballot.minutes import blocks as model
from ballot.minutes import compose, election_compose, fonts, lists
from ballot.minutes.blocks import (
    BODY_PT,
    HEADER_PT,
    TITLE_PT,
    Block,
    Document,
    Header,
    Para,
    QRPanel,
    Run,
    Signatures,
    Table,
    page_label,
)
from ballot.minutes.context import AttendanceContext, IssuanceContext, MinutesContext
from ballot.minutes.election_context import ElectionMinutesContext

#: Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _markup(runs: tuple[Run, ...]) -> str:
    """reportlab paragraphs take XML-ish markup: escape the text, then add the styles."""
    out = []
    for run in runs:
        piece = escape(_nfc(run.text))
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        out.append(piece)
    return "".join(out)


def _style(
    size: float = BODY_PT,
    align: str = "justify",
    indent: bool = False,
    before: float = 0.0,
    after: float = 4.0,
) -> ParagraphStyle:
    return ParagraphStyle(
        "p",
        fontName=fonts.FAMILY,
        fontSize=size,
        leading=size * 1.25,
        alignment=ALIGN[align],
        firstLineIndent=10 * mm if indent else 0,
        spaceBefore=before,
        spaceAfter=after,
    )


def _line(
    text: str,
    size: float = BODY_PT,
    align: str = "center",
    *,
    bold: bool = False,
    italic: bool = False,
    after: float = 0.0,
) -> Paragraph:
    """One styled run: header lines, titles, table cells, signature blocks."""
    return Paragraph(_markup((Run(text, bold, italic),)), _style(size, align, after=after))


def _para(block: Para, size: float = BODY_PT) -> Paragraph:
    return Paragraph(
        _markup(block.runs), _style(size, block.align, block.indent, block.space_before)
    )


def _grid(
    data: Sequence[Sequence[object]], style: Sequence[tuple[object, ...]] = (), **options: object
) -> RLTable:
    """A reportlab Table set in our font: its default, Helvetica, would otherwise be referenced
    (not embedded) by every page with an empty cell."""
    table = RLTable(data, **options)  # type: ignore[arg-type]
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.face()), *style]))
    return table


class _QRCode(Flowable):
    """The record's URL as vector modules: sharp at any zoom and any printer resolution."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(url, error="m", micro=False).matrix
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        quiet = 2  # modules of white border inside the flowable; the panel adds the rest
        n = len(self.matrix)
        cell = self.size / (n + 2 * quiet)
        self.canv.setFillColorRGB(0, 0, 0)
        for y, row in enumerate(self.matrix):
            x = 0
            while x < n:  # one rectangle per horizontal run of dark modules
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < n and row[x]:
                    x += 1
                self.canv.rect(
                    (start + quiet) * cell,
                    self.size - (y + quiet + 1) * cell,
                    (x - start) * cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def _table(block: Table) -> Flowable:
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if block.min_row_height_mm:
        # reportlab only knows fixed row heights; padding gives "at least" this height.
        pad = max(2.0, (block.min_row_height_mm * mm - block.font_pt * 1.25) / 2)
        cmds += [
            ("TOPPADDING", (0, len(block.head)), (-1, -1), pad),
            ("BOTTOMPADDING", (0, len(block.head)), (-1, -1), pad),
        ]
    data = []
    for r, row in enumerate(block.head + block.body):
        cells: list[object] = []
        for c, cell in enumerate(row):
            if cell is None:
                cells.append("")
                continue
            if cell.colspan > 1 or cell.rowspan > 1:
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            cells.append(_line(cell.text, block.font_pt, cell.align, bold=cell.bold))
        data.append(cells)
    table = _grid(
        data,
        cmds,
        colWidths=[w * mm for w in block.widths_mm],
        repeatRows=len(block.head),
        hAlign="CENTER",
    )
    return table


def _qr_panel(block: QRPanel) -> RLTable:
    side = block.size_mm * mm
    text = [_para(line, size=BODY_PT - 1) for line in block.lines]
    return _grid(
        [[_QRCode(block.url, side), text]],
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)],
        colWidths=[side + 4 * mm, None],
    )


def _signatures(block: Signatures) -> RLTable:
    cols = []
    for col in block.columns:
        cell: list[Flowable] = []
        if col.title:
            cell += [_line(line, bold=True) for line in col.title.split("\n")]
            cell += [_line(col.note, italic=True)]
            for name in col.names:
                cell += [Spacer(1, block.room_mm * mm), _line(name, bold=True)]
        cols.append(cell)
    return _grid([cols], [("VALIGN", (0, 0), (-1, -1), "TOP")], hAlign="CENTER", spaceBefore=4 * mm)


def party_heading(h: Header, width: float) -> Flowable:
    """The top of a party document (Hướng dẫn 36-HD/VPTW): the superior body and the issuing
    organ with "*" and the number under it on the left; "ĐẢNG CỘNG SẢN VIỆT NAM" underlined
    with the place and date in words under it on the right. Shared by every PDF we issue."""
    fonts.register()
    left = [
        _line(h.superior_name, HEADER_PT),
        _line(h.name, HEADER_PT, bold=True),
        _line("*", HEADER_PT),
    ]
    if h.document_number:
        left.append(_line(h.document_number, HEADER_PT))
    right = [
        Paragraph(
            f"<b><u>{escape(_nfc(h.national_heading))}</u></b>",
            _style(HEADER_PT + 1, "center", after=8),
        ),
        _line(h.place_and_date, HEADER_PT, italic=True),
    ]
    no_pad = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    return _grid([[left, right]], no_pad, colWidths=[width * 0.46, width * 0.54])


def _header(document: Document, width: float) -> list[Flowable]:
    """The party heading; then the title, centred."""
    return [
        party_heading(document.header, width),
        Spacer(1, 10 * mm),
        _line(document.title, TITLE_PT, bold=True, after=2),
        *(_line(line, BODY_PT + 1, bold=True, after=2) for line in document.title_lines),
        Spacer(1, 6 * mm),
    ]


def _flowable(block: Block) -> Flowable:
    if isinstance(block, model.PageBreak):
        return PageBreak()
    if isinstance(block, model.KeepTogether):
        return KeepTogether([_flowable(inner) for inner in block.blocks])
    if isinstance(block, Para):
        return _para(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, QRPanel):
        return _qr_panel(block)
    return _signatures(block)


class _Template(BaseDocTemplate):
    """A4 with the Nghị định 30 margins and "Trang x/y" at the foot of every page but the first."""

    def __init__(self, out: io.BytesIO, document: Document) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=_nfc(document.title),
            author=_nfc(document.author),
            subject=_nfc(" ".join(document.title_lines)),
            creator="ballot",
            invariant=1,  # same context, same bytes: the record can be re-made
            # Else every page refers to Helvetica, a font the file neither embeds nor uses.
            initialFontName=fonts.face(),
            initialFontSize=BODY_PT,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame])])

    def foot(self, canvas: Canvas, page: int, pages: int) -> None:
        if page == 1:  # the first page carries no number (Hướng dẫn 36-HD/VPTW)
            return
        canvas.saveState()
        canvas.setFont(fonts.face(), 11)
        canvas.drawCentredString(self.leftMargin + self.width / 2, 10 * mm, page_label(page, pages))
        canvas.restoreState()

    def canvas_maker(self) -> type[Canvas]:
        """A canvas that holds every page until the document ends, then writes "Trang x/y"
        on each: the page count is known after one layout pass instead of two."""
        foot = self.foot

        class _HeldPages(Canvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._held: list[dict[str, Any]] = []

            def showPage(self) -> None:
                self._held.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                for state in self._held:
                    self.__dict__.update(state)
                    body: list[str] = self._code  # type: ignore[has-type]
                    self._code = []
                    foot(self, self._pageNumber, len(self._held))
                    self._code.extend(body)  # the foot first, as a page callback draws it
                    Canvas.showPage(self)
                Canvas.save(self)

        return _HeldPages


def _story(document: Document, width: float) -> list[Flowable]:
    """Header, then the blocks; headings travel with what follows them.

    Grouping is done here rather than with reportlab's keepWithNext, which does not pull a
    KeepTogether (or a table) into the group and so left a heading alone at a page foot.
    """
    story = _header(document, width)
    pending: list[Flowable] = []
    for block in document.blocks:
        flowable = _flowable(block)
        if isinstance(block, Para) and block.keep_with_next:
            pending.append(flowable)
            continue
        if isinstance(block, Table) and not block.keep_together:
            # A table that may break: its headings need only its header and first rows on
            # the same page, not the whole table (which would leave page 1 half empty).
            first = _table(replace(block, body=block.body[:2]))
            needed = sum(f.wrap(width, 10_000)[1] + 6 for f in [*pending, first])
            story += [CondPageBreak(needed), *pending, flowable]
            pending = []
            continue
        if pending or (isinstance(block, Table) and block.keep_together):
            flowable = KeepTogether([*pending, flowable])
            pending = []
        story.append(flowable)
    return story + pending


def render(document: Document) -> bytes:
    """Lay the document out once; the pages are numbered when it ends ("Trang x/y")."""
    fonts.register()
    out = io.BytesIO()
    template = _Template(out, document)
    template.build(_story(document, template.width), canvasmaker=template.canvas_maker())
    return out.getvalue()


def render_minutes_pdf(ctx: MinutesContext) -> bytes:
    return render(compose.minutes(ctx))


def render_election_minutes_pdf(ctx: ElectionMinutesContext) -> bytes:
    return render(election_compose.election_minutes(ctx))


def render_attendance_pdf(ctx: AttendanceContext) -> bytes:
    return render(lists.attendance(ctx))


def render_issuance_pdf(ctx: IssuanceContext) -> bytes:
    return render(lists.issuance(ctx))
