"""The words and tables of the attendance list and the code issuance log."""

from __future__ import annotations

from ballot.minutes import text
from ballot.minutes.blocks import (
    Block,
    Cell,
    Document,
    Para,
    Run,
    SignatureColumn,
    Signatures,
    Table,
    heading,
    para,
)
from ballot.minutes.context import AttendanceContext, AttendanceRow, IssuanceContext, Signer
from ballot.minutes.sections import header, title_lines

ATTENDANCE_TITLE = "DANH SÁCH ĐẠI BIỂU ĐƯỢC TRIỆU TẬP"
ISSUANCE_TITLE = "SỔ CẤP MÃ BỎ PHIẾU"
#: TT, name, position, signature (present) or reason (absent): 165 mm between the margins.
ROLL_WIDTHS = (10.0, 50.0, 60.0, 45.0)
ISSUANCE_WIDTHS = (12.0, 118.0, 35.0)


def _signed_by(signer: Signer) -> Signatures:
    """One signature, on the right as Nghị định 30 places the signer of a document."""
    return Signatures((SignatureColumn("", ()), SignatureColumn(signer.title, (signer.name,))))


def _roll(rows: tuple[AttendanceRow, ...], last: str, sign_room: bool) -> Table:
    head = (
        (
            Cell("TT", bold=True),
            Cell("Họ và tên", bold=True),
            Cell("Chức vụ", bold=True),
            Cell(last, bold=True),
        ),
    )
    body = tuple(
        (
            Cell(str(i)),
            Cell(row.full_name, align="left"),
            Cell(row.position, align="left"),
            Cell(row.note, align="left"),
        )
        for i, row in enumerate(rows, start=1)
    )
    return Table(
        ROLL_WIDTHS, head, body, min_row_height_mm=10.0 if sign_room else 0.0, font_pt=12.0
    )


def _sections(
    ctx_rows: tuple[AttendanceRow, ...], present_last: str, absent_last: str, sign: bool
) -> list[Block]:
    """Present members, then absent ones, each under its own heading with its own count."""
    present = tuple(r for r in ctx_rows if r.present)
    absent = tuple(r for r in ctx_rows if not r.present)
    blocks: list[Block] = [
        heading(f"I. ĐẠI BIỂU CÓ MẶT ({text.people(len(present))})"),
        _roll(present, present_last, sign) if present else para("Không có."),
        heading(f"II. ĐẠI BIỂU VẮNG MẶT ({text.people(len(absent))})"),
    ]
    blank = tuple(
        AttendanceRow(r.no, r.full_name, r.position, False, r.note or "Không rõ lý do")
        for r in absent
    )
    blocks.append(_roll(blank, absent_last, False) if absent else para("Không có."))
    return blocks


def attendance(ctx: AttendanceContext) -> Document:
    """Compose the list of those summoned: present members sign, absent ones with a reason."""
    absent = len(ctx.rows) - ctx.present
    blocks: list[Block] = [
        Para(
            (
                Run("Tổng số người được triệu tập: "),
                Run(text.people(len(ctx.rows)), True),
                Run("; có mặt: "),
                Run(text.people(ctx.present), True),
                Run("; vắng mặt: "),
                Run(text.people(absent), True),
                Run("."),
            )
        ),
        *_sections(
            tuple(
                AttendanceRow(r.no, r.full_name, r.position, r.present, "" if r.present else r.note)
                for r in ctx.rows
            ),
            "Ký tên",
            "Lý do vắng mặt",
            True,
        ),
        _signed_by(ctx.signer),
    ]
    return Document(
        title=ATTENDANCE_TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=title_lines(ctx.conference_name, ctx.vote_title),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )


def issuance(ctx: IssuanceContext) -> Document:
    """Compose the issuance log: how many one-time codes went which way, never the codes."""
    n = text.count
    rows = (
        ("Số mã bỏ phiếu đã cấp lần đầu", ctx.issued),
        ("Số mã bị thu hồi, hủy trước khi sử dụng", ctx.revoked),
        ("Số mã cấp lại thay mã bị thu hồi", ctx.reissued),
        ("Số mã có hiệu lực (cấp lần đầu + cấp lại − thu hồi)", ctx.valid_codes),
        ("Số mã đã dùng để bỏ phiếu", ctx.used),
        ("Số mã có hiệu lực nhưng không dùng đến", ctx.unused),
    )
    head = ((Cell("TT", bold=True), Cell("Nội dung", bold=True), Cell("Số lượng", bold=True)),)
    body = tuple(
        (Cell(str(i)), Cell(label, align="left"), Cell(n(value)))
        for i, (label, value) in enumerate(rows, start=1)
    )
    recorded = text.local(ctx.recorded_at)
    roll = (
        _sections(ctx.rows, "Nhận mã bỏ phiếu", "Lý do vắng mặt (không cấp mã)", False)
        if ctx.rows
        else []
    )
    blocks: list[Block] = [
        para(f"Số liệu tính đến {text.clock(recorded)}, {text.long_date(recorded.date())}."),
        heading("SỐ LƯỢNG MÃ BỎ PHIẾU"),
        Table(ISSUANCE_WIDTHS, head, body, font_pt=13.0, keep_together=True),
        *roll,
        para(
            "Sổ này chỉ ghi số lượng mã và việc đại biểu đã nhận mã hay chưa. Bản thân mã bỏ "
            "phiếu không được ghi vào sổ và không gắn với người nhận mã hay với lá phiếu, để "
            "bảo đảm bí mật của lá phiếu.",
            italic=True,
            space_before=6.0,
        ),
        _signed_by(ctx.signer),
    ]
    return Document(
        title=ISSUANCE_TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=title_lines(ctx.vote_title),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )
