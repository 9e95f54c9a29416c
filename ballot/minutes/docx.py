"""Write a composed Document as an editable DOCX (Word, LibreOffice) with python-docx.

The office may need to retype a name or add a number before printing; the PDF stays the
reference. Both come from the same Document, so their words and figures are the same.
"""

from __future__ import annotations

import io
import unicodedata

import segno
from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from ballot.minutes import blocks as model
from ballot.minutes import compose, election_compose, fonts, lists
from ballot.minutes.blocks import (
    BODY_PT,
    HEADER_PT,
    TITLE_PT,
    Block,
    Document,
    Para,
    QRPanel,
    Run,
    Signatures,
    Table,
)
from ballot.minutes.context import AttendanceContext, IssuanceContext, MinutesContext
from ballot.minutes.election_context import ElectionMinutesContext

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
TEXT_WIDTH_MM = 165.0  # A4 less the 30 mm and 15 mm side margins


def _set_font(rpr: BaseOxmlElement) -> None:
    """Name the font for every script slot and drop theme fonts, which would win otherwise.

    Word picks the east-Asian or complex-script slot for some characters; if only ascii is
    set, parts of a Vietnamese line can fall back to the theme font (Calibri, Cambria).
    """
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{slot}"), fonts.DOCX_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")  # spell-checking and hyphenation in Vietnamese


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.footer_distance = Mm(8)
    _set_font(
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    normal = doc.styles["Normal"]
    normal.font.name = fonts.DOCX_FONT
    normal.font.size = Pt(BODY_PT)
    _set_font(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1


def _run(paragraph: Paragraph, run: Run, size: float | None = None) -> DocxRun:
    r = paragraph.add_run(unicodedata.normalize("NFC", run.text))
    r.bold, r.italic = run.bold or None, run.italic or None
    if size:
        r.font.size = Pt(size)
    return r


def _fill(paragraph: Paragraph, block: Para, size: float | None = None, keep: bool = False) -> None:
    fmt = paragraph.paragraph_format
    paragraph.alignment = ALIGN[block.align]
    fmt.first_line_indent = Mm(10) if block.indent else None
    fmt.keep_with_next = block.keep_with_next or keep or None
    if block.space_before:
        fmt.space_before = Pt(block.space_before)
    for run in block.runs:
        _run(paragraph, run, size)


def _line(
    container: DocxDocument | _Cell,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    after: float = 0,
    first: bool = False,
) -> Paragraph:
    """A centred line in a cell or the body; `first` reuses the empty paragraph a cell starts with."""
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(after)
    r = _run(p, Run(text, bold, italic), size)
    r.underline = underline or None
    return p


def _grid(doc: DocxDocument, widths_mm: tuple[float, ...], rows: int, borders: bool) -> DocxTable:
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    if borders:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # keep our widths instead of fitting to the content
    table._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):  # Word's 1.9 mm default would wrap "70,59%" in its column
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    return table


def _header(doc: DocxDocument, document: Document) -> None:
    h = document.header
    left, right = _grid(doc, (TEXT_WIDTH_MM * 0.46, TEXT_WIDTH_MM * 0.54), 1, False).rows[0].cells
    _line(left, h.superior_name, size=HEADER_PT, first=True)
    _line(left, h.name, size=HEADER_PT, bold=True)
    _line(left, "*", size=HEADER_PT)
    if h.document_number:
        _line(left, h.document_number, size=HEADER_PT)
    _line(
        right,
        h.national_heading,
        size=HEADER_PT + 1,
        bold=True,
        underline=True,
        after=8,
        first=True,
    )
    _line(right, h.place_and_date, size=HEADER_PT, italic=True)
    _line(
        doc, document.title, size=TITLE_PT, bold=True, after=2
    ).paragraph_format.space_before = Pt(24)
    for line in document.title_lines:
        _line(doc, line, size=BODY_PT + 1, bold=True, after=2)
    doc.add_paragraph().paragraph_format.space_after = Pt(6)


def _table(doc: DocxDocument, block: Table) -> None:
    rows = block.head + block.body
    table = _grid(doc, block.widths_mm, len(rows), True)
    # Merge first, then fetch each row's cells once: python-docx's table.cell(r, c) walks the
    # whole grid on every call, which made a 40-row table cost a quarter of a second.
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None and (cell.colspan > 1 or cell.rowspan > 1):
                table.cell(r, c).merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
    for r, row in enumerate(rows):
        tr = table.rows[r]
        cells = tr.cells
        tr._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        # Word keeps a table on one page when every row but the last keeps with the next.
        keep = block.keep_together and r < len(rows) - 1
        if r < len(block.head):  # Word repeats these rows at the top of every page
            tr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        elif block.min_row_height_mm:
            tr.height, tr.height_rule = Mm(block.min_row_height_mm), WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = cells[c]
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = target.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = keep or None
            _fill(
                p,
                Para((Run(cell.text, bold=cell.bold),), align=cell.align, indent=False),
                block.font_pt,
            )


def _qr_panel(doc: DocxDocument, block: QRPanel) -> None:
    side = block.size_mm + 4
    qr_cell, text_cell = _grid(doc, (side, TEXT_WIDTH_MM - side), 1, False).rows[0].cells
    png = io.BytesIO()
    segno.make(block.url, error="m", micro=False).save(png, kind="png", scale=8, border=2)
    png.seek(0)
    qr_cell.paragraphs[0].add_run().add_picture(png, width=Mm(block.size_mm))
    text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, line in enumerate(block.lines):
        p = text_cell.paragraphs[0] if i == 0 else text_cell.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        _fill(p, line, BODY_PT - 1)


def _signatures(doc: DocxDocument, block: Signatures) -> None:
    width = TEXT_WIDTH_MM / len(block.columns)
    row = _grid(doc, (width,) * len(block.columns), 1, False).rows[0]
    # A signature block split over two pages invites a page to be swapped under it.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells = row.cells
    for cell, col in zip(cells, block.columns, strict=True):
        if not col.title:
            continue
        for i, line in enumerate(col.title.split("\n")):
            _line(cell, line, bold=True, first=i == 0)
        _line(cell, col.note, italic=True)
        for name in col.names:
            _line(cell, name, bold=True).paragraph_format.space_before = Mm(block.room_mm)


def _footer(doc: DocxDocument) -> None:
    """ "Trang x/y" with PAGE and NUMPAGES fields, which Word and LibreOffice fill in, from
    page 2 on: the first page has its own, empty footer (Hướng dẫn 36-HD/VPTW)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, Run("Trang "), 11)
    _field(p, "PAGE")
    _run(p, Run("/"), 11)
    _field(p, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, "1" until updated, end), as Word writes."""

    def char(kind: str) -> BaseOxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    for element in (char("begin"), instr, char("separate"), None, char("end")):
        run = _run(paragraph, Run("1" if element is None else ""), 11)
        if element is not None:
            run._r.append(element)


def _block(doc: DocxDocument, block: Block, keep: bool = False) -> None:
    if isinstance(block, model.PageBreak):
        # A page break closing an empty paragraph: what follows starts the next page.
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, model.KeepTogether):
        # Word keeps paragraphs with the next one; the signature row cannot split.
        for inner in block.blocks:
            _block(doc, inner, keep=True)
    elif isinstance(block, Para):
        _fill(doc.add_paragraph(), block, keep=keep)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, QRPanel):
        _qr_panel(doc, block)
    else:
        _signatures(doc, block)


def render(document: Document) -> bytes:
    """Return the DOCX bytes of a composed document."""
    doc = new_document()
    _setup(doc)
    _header(doc, document)
    for block in document.blocks:
        _block(doc, block)
    _footer(doc)
    props = doc.core_properties
    props.title, props.author, props.language = document.title, document.author, "vi-VN"
    props.subject = " ".join(document.title_lines)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_minutes_docx(ctx: MinutesContext) -> bytes:
    return render(compose.minutes(ctx))


def render_election_minutes_docx(ctx: ElectionMinutesContext) -> bytes:
    return render(election_compose.election_minutes(ctx))


def render_attendance_docx(ctx: AttendanceContext) -> bytes:
    return render(lists.attendance(ctx))


def render_issuance_docx(ctx: IssuanceContext) -> bytes:
    return render(lists.issuance(ctx))
