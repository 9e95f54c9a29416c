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
    para,
)
from ballot.minutes.compose import header
from ballot.minutes.context import AttendanceContext, IssuanceContext, Signer

ATTENDANCE_TITLE = "DANH SÁCH ĐẠI BIỂU CÓ MẶT"
ISSUANCE_TITLE = "SỔ THEO DÕI CẤP MÃ BỎ PHIẾU"
#: TT, name, position, present/absent, signature: 165 mm between the margins.
ATTENDANCE_WIDTHS = (10.0, 45.0, 45.0, 25.0, 40.0)
ISSUANCE_WIDTHS = (12.0, 118.0, 35.0)


def _signed_by(signer: Signer) -> Signatures:
    """One signature, on the right as Nghị định 30 places the signer of a document."""
    return Signatures((SignatureColumn("", ()), SignatureColumn(signer.title, (signer.name,))))


def attendance(ctx: AttendanceContext) -> Document:
    """Compose the list of those summoned; present members sign in the last column."""
    n = text.count
    head = (
        (
            Cell("TT", bold=True),
            Cell("Họ và tên", bold=True),
            Cell("Chức vụ", bold=True),
            Cell("Có mặt / Vắng mặt", bold=True),
            Cell("Ký tên", bold=True),
        ),
    )
    body = []
    for row in ctx.rows:
        status = "Có mặt" if row.present else "Vắng mặt"
        if row.note:
            status += f" ({row.note})"
        body.append(
            (
                Cell(str(row.no)),
                Cell(row.full_name, align="left"),
                Cell(row.position, align="left"),
                Cell(status),
                Cell(""),
            )
        )
    absent = len(ctx.rows) - ctx.present
    blocks: list[Block] = [
        Para(
            (
                Run("Tổng số người được triệu tập: "),
                Run(f"{n(len(ctx.rows))} đồng chí", True),
                Run("; có mặt: "),
                Run(f"{n(ctx.present)} đồng chí", True),
                Run("; vắng mặt: "),
                Run(f"{n(absent)} đồng chí", True),
                Run("."),
            )
        ),
        Table(ATTENDANCE_WIDTHS, head, tuple(body), min_row_height_mm=10.0, font_pt=12.0),
        _signed_by(ctx.signer),
    ]
    return Document(
        title=ATTENDANCE_TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=(ctx.conference_name, ctx.vote_title),
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
    blocks: list[Block] = [
        para(f"Số liệu tính đến {text.clock(recorded)}, {text.long_date(recorded.date())}."),
        Table(ISSUANCE_WIDTHS, head, body, font_pt=13.0, keep_together=True),
        para(
            "Sổ này chỉ ghi số lượng. Mã bỏ phiếu không được ghi vào sổ và không gắn với "
            "người nhận mã, để bảo đảm bí mật của lá phiếu.",
            italic=True,
            space_before=6.0,
        ),
        _signed_by(ctx.signer),
    ]
    return Document(
        title=ISSUANCE_TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=(ctx.vote_title,),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )
