"""The words and tables of the counting minutes (biên bản kiểm phiếu), from a MinutesContext."""

from __future__ import annotations

from datetime import date

from ballot.minutes import text
from ballot.minutes.blocks import (
    COVERED,
    Block,
    Cell,
    Document,
    Header,
    Para,
    QRPanel,
    Run,
    SignatureColumn,
    Signatures,
    Table,
    heading,
    para,
)
from ballot.minutes.context import (
    FLAG_CONSIDER,
    FLAG_DISMISS,
    MinutesContext,
    OrgHeader,
    percent_of,
)

TITLE = "BIÊN BẢN KIỂM PHIẾU"
CHAIR_TITLE = "TRƯỞNG BAN KIỂM PHIẾU"
MEMBERS_TITLE = "CÁC ỦY VIÊN"
#: Column widths in mm; they add up to the 165 mm between Nghị định 30's 30/15 mm margins.
RESULT_WIDTHS = (7.0, 28.0, 29.0, 11.0, 13.5, 11.0, 13.5, 11.0, 13.5, 12.0, 15.5)


def header(org: OrgHeader, day: date) -> Header:
    return Header(
        superior_name=org.superior_name,
        name=org.name,
        document_number=org.document_number,
        national_heading=org.national_heading,
        place_and_date=text.place_and_date(org.place, day),
    )


def _fact(label: str, value: str, rest: str = "") -> Para:
    """ "Label: value" with the figure in bold, so the numbers stand out when read aloud."""
    return Para((Run(f"{label}: "), Run(value, bold=True), Run(f"{rest}.")))


def _opening(ctx: MinutesContext) -> list[Block]:
    start = text.local(ctx.started_at)
    return [
        para(
            f"Vào lúc {text.clock(start)}, {text.long_date(start.date())}, tại "
            f"{ctx.conference_place}, {ctx.conference_name} tiến hành lấy phiếu tín nhiệm "
            f"theo {ctx.thresholds.regulation}."
        )
    ]


def _committee(ctx: MinutesContext) -> list[Block]:
    people = [(ctx.counting_chair, "Trưởng ban")]
    people += [(name, "Ủy viên") for name in ctx.counting_members]
    blocks: list[Block] = [heading("I. BAN KIỂM PHIẾU"), para("Ban kiểm phiếu gồm các đồng chí:")]
    for i, (name, role) in enumerate(people, start=1):
        end = "." if i == len(people) else ";"
        blocks.append(para(f"{i}. Đồng chí {name} — {role}{end}"))
    return blocks


def _quorum(ctx: MinutesContext) -> str:
    bound = ctx.thresholds.quorum
    share = (
        f"từ {bound.fraction} số người được triệu tập trở lên"
        if bound.inclusive
        else f"trên {bound.fraction} số người được triệu tập"
    )
    verdict = "đạt" if bound.reached_by(ctx.present, ctx.summoned) else "không đạt"
    return (
        f"{percent_of(ctx.present, ctx.summoned)} số người được triệu tập, {verdict} tỷ lệ {share}"
    )


def _turnout(ctx: MinutesContext) -> list[Block]:
    n = text.count
    names = ", gồm các đồng chí: " + ", ".join(ctx.absent_names) if ctx.absent_names else ""
    return [
        heading("II. ĐẠI BIỂU VÀ SỐ PHIẾU"),
        _fact("Tổng số người được triệu tập", f"{n(ctx.summoned)} đồng chí"),
        _fact("Số đại biểu có mặt", f"{n(ctx.present)} đồng chí", f" ({_quorum(ctx)})"),
        _fact("Số đại biểu vắng mặt", f"{n(len(ctx.absent_names))} đồng chí", names),
        _fact("Số phiếu phát ra", f"{n(ctx.issued)} phiếu"),
        _fact("Số phiếu thu về", f"{n(ctx.received)} phiếu"),
        *(
            [
                _fact(
                    "Số phiếu có ít nhất một dòng không đánh dấu",
                    f"{n(ctx.ballots_with_blank_rows)} phiếu",
                )
            ]
            if ctx.ballots_with_blank_rows is not None
            else []
        ),
        para(
            "Phiếu hợp lệ, không hợp lệ được xác định riêng đối với từng đồng chí được lấy "
            "phiếu: dòng không đánh dấu ô nào là phiếu không hợp lệ đối với đồng chí ở dòng "
            "đó. Số phiếu hợp lệ, không hợp lệ của từng đồng chí ghi tại bảng ở mục III."
        ),
    ]


def _results_table(ctx: MinutesContext) -> Table:
    def span(label: str, cols: int = 1, rows: int = 1) -> Cell:
        return Cell(label, colspan=cols, rowspan=rows, bold=True)

    head = (
        (
            span("TT", rows=2),
            span("Họ và tên", rows=2),
            span("Chức vụ", rows=2),
            span("Tín nhiệm cao", 2),
            COVERED,
            span("Tín nhiệm", 2),
            COVERED,
            span("Tín nhiệm thấp", 2),
            COVERED,
            span("Phiếu", 2),
            COVERED,
        ),
        (COVERED, COVERED, COVERED)
        + (span("Số phiếu"), span("Tỷ lệ")) * 3
        + (span("Hợp lệ"), span("Không hợp lệ")),
    )
    body = []
    for s in ctx.subjects:
        row: list[Cell | None] = [
            Cell(str(s.no)),
            Cell(s.full_name, align="left"),
            Cell(s.position, align="left"),
        ]
        for level in (s.high, s.normal, s.low):
            row += [Cell(text.count(level)), Cell(percent_of(level, ctx.received))]
        row += [Cell(text.count(s.valid)), Cell(text.count(s.invalid))]
        body.append(tuple(row))
    return Table(RESULT_WIDTHS, head, tuple(body), keep_together=True)


def _results(ctx: MinutesContext) -> list[Block]:
    return [
        heading("III. KẾT QUẢ KIỂM PHIẾU"),
        para(
            f"Tỷ lệ phần trăm tính trên tổng số phiếu thu về ({text.count(ctx.received)} phiếu).",
            italic=True,
            keep_with_next=True,
        ),
        _results_table(ctx),
    ]


def _flags(ctx: MinutesContext) -> list[Block]:
    th = ctx.thresholds
    blocks: list[Block] = [heading(f"IV. ĐỐI CHIẾU VỚI {th.regulation.upper()}")]
    for s in ctx.subjects:
        flag, pct = ctx.flag(s), percent_of(s.low, ctx.received)
        if flag == FLAG_DISMISS:
            blocks.append(para("- " + text.dismiss_flag(s.full_name, pct, th)))
        elif flag == FLAG_CONSIDER:
            blocks.append(para("- " + text.consider_flag(s.full_name, pct, th)))
    if len(blocks) == 1:
        blocks.append(para(text.no_flag(th)))
    return blocks


def _method(ctx: MinutesContext) -> list[Block]:
    how = (
        "Đại biểu bỏ phiếu kín trên máy tính bảng. Mỗi phiếu được mã hóa ngay trên máy tính "
        "bảng trước khi gửi đi, nên không ai, kể cả Ban kiểm phiếu, đọc được phiếu của từng "
        "người. Kết quả được cộng trực tiếp trên các phiếu đã mã hóa (mã hóa đồng cấu); chỉ "
        "tổng số phiếu của từng mức tín nhiệm được giải mã, với sự tham gia của ít nhất "
        f"{ctx.trustee_threshold} trong số {ctx.trustee_count} thành viên Ban kiểm phiếu giữ "
        "khóa giải mã."
    )
    if ctx.method_note:
        how += " " + ctx.method_note
    check = Para(
        (
            Run(
                "Các phiếu đã mã hóa, bằng chứng và kết quả được lưu trong hồ sơ kiểm "
                "phiếu. Người có hồ sơ kiểm tra lại được kết quả bằng lệnh "
            ),
            Run("ballot verify", bold=True),
            Run(", không cần biết nội dung từng phiếu."),
        )
    )
    fingerprint = tuple(
        para(line, bold=True, align="left", indent=False)
        for line in text.fingerprint_lines(ctx.fingerprint_hex)
    )
    panel = QRPanel(
        ctx.record_url,
        (
            para("Dấu vân tay của cuộc lấy phiếu (SHA-256):", align="left", indent=False),
            *fingerprint,
            para(f"Địa chỉ hồ sơ: {ctx.record_url}", align="left", indent=False),
            Para(
                (Run("Lệnh kiểm tra: "), Run(f"ballot verify {ctx.record_url}", bold=True)),
                align="left",
                indent=False,
            ),
        ),
    )
    return [heading("V. HÌNH THỨC BỎ PHIẾU VÀ KIỂM PHIẾU"), para(how), check, panel]


def _closing(ctx: MinutesContext) -> list[Block]:
    start, end = text.local(ctx.started_at), text.local(ctx.counting_ended_at)
    day = "cùng ngày" if end.date() == start.date() else text.long_date(end.date())
    columns = [SignatureColumn(CHAIR_TITLE, (ctx.counting_chair,))]
    if ctx.counting_members:
        columns.insert(0, SignatureColumn(MEMBERS_TITLE, ctx.counting_members))
    return [
        para(
            f"Việc kiểm phiếu kết thúc vào lúc {text.clock(end)}, {day}.",
            space_before=6.0,
            keep_with_next=True,
        ),
        Signatures(tuple(columns)),
    ]


def minutes(ctx: MinutesContext) -> Document:
    """Compose the counting minutes in the order the counting committee reads them out."""
    blocks = (
        _opening(ctx)
        + _committee(ctx)
        + _turnout(ctx)
        + _results(ctx)
        + _flags(ctx)
        + _method(ctx)
        + _closing(ctx)
    )
    return Document(
        title=TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=(ctx.vote_title,),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )
