"""The words and tables of the counting minutes (biên bản kiểm phiếu), from a MinutesContext.

Layout of party documents (Hướng dẫn 36-HD/VPTW, 2018; DOMAIN.md "Official documents"):
organ heading left with "*" and the number "Số …-BB/…" under it, "ĐẢNG CỘNG SẢN VIỆT NAM"
right with place and date in words, counts of people as "02 đồng chí", the number of copies,
"T/M BAN KIỂM PHIẾU / TRƯỞNG BAN" with the members' signatures. What a counting committee
needs to check the result by computer goes to an annex page, so the body stays plain.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ballot.minutes import fonts, text
from ballot.minutes.blocks import (
    BODY_PT,
    COVERED,
    Block,
    Cell,
    Document,
    Header,
    KeepTogether,
    PageBreak,
    Para,
    QRPanel,
    Run,
    SignatureColumn,
    Signatures,
    Table,
    heading,
    para,
)
from ballot.minutes.context import MinutesContext, OrgHeader, Thresholds, percent_of
from ballot.voting import rules as vote_rules

TITLE = "BIÊN BẢN KIỂM PHIẾU"
CHAIR_TITLE = "T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN"
MEMBERS_TITLE = "CÁC ỦY VIÊN BAN KIỂM PHIẾU"
ANNEX_TITLE = "PHỤ LỤC"
#: TT, name, position, then (count, share) for three levels, valid, invalid: 165 mm between
#: the 30/15 mm margins. A share column is 15 mm so that "100,00%" never wraps.
RESULT_WIDTHS = (7.0, 27.0, 26.0, 11.5, 15.0, 11.5, 15.0, 11.5, 15.0, 11.5, 14.0)
TEXT_WIDTH_MM = 165.0


def header(org: OrgHeader, day: date) -> Header:
    return Header(
        superior_name=org.superior_name,
        name=org.name,
        document_number=org.document_number,
        national_heading=org.national_heading,
        place_and_date=text.place_and_date(org.place, day),
    )


def title_lines(*titles: str) -> tuple[str, ...]:
    """Each title broken into balanced lines, as both renderers print them."""
    out: list[str] = []
    for title in titles:
        out += fonts.balanced_lines(title, BODY_PT + 1, TEXT_WIDTH_MM - 10, bold=True)
    return tuple(out)


def rules_of(thresholds: Thresholds) -> vote_rules.VoteRules:
    """The vote's rules back from the printed thresholds, for the one flag wording."""
    return vote_rules.VoteRules(
        quorum=Fraction(thresholds.quorum.numerator, thresholds.quorum.denominator),
        consider=Fraction(thresholds.consider.numerator, thresholds.consider.denominator),
        dismiss=Fraction(thresholds.dismiss.numerator, thresholds.dismiss.denominator),
        dismiss_inclusive=thresholds.dismiss.inclusive,
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
    blocks: list[Block] = [
        heading("I. BAN KIỂM PHIẾU"),
        para(f"Ban kiểm phiếu do Hội nghị bầu, gồm {text.people(len(people))}:"),
    ]
    for i, (name, role) in enumerate(people, start=1):
        end = "." if i == len(people) else ";"
        blocks.append(para(f"{i}. Đồng chí {name}, {role}{end}"))
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


def _absentees(ctx: MinutesContext) -> str:
    if not ctx.absent_names:
        return ""
    reasons = ctx.absent_reasons or ("",) * len(ctx.absent_names)
    named = [
        f"đồng chí {name}" + (f" ({reason})" if reason else " (không rõ lý do)")
        for name, reason in zip(ctx.absent_names, reasons, strict=True)
    ]
    return ", gồm: " + ", ".join(named)


def _turnout(ctx: MinutesContext) -> list[Block]:
    n = text.padded
    return [
        heading("II. ĐẠI BIỂU VÀ SỐ PHIẾU"),
        _fact("Tổng số người được triệu tập", text.people(ctx.summoned)),
        _fact("Số đại biểu có mặt", text.people(ctx.present), f" ({_quorum(ctx)})"),
        _fact("Số đại biểu vắng mặt", text.people(len(ctx.absent_names)), _absentees(ctx)),
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
    # A long table may break across pages: its two header rows are repeated on each.
    return Table(RESULT_WIDTHS, head, tuple(body))


def _results(ctx: MinutesContext) -> list[Block]:
    return [
        heading("III. KẾT QUẢ KIỂM PHIẾU"),
        para(
            f"Tỷ lệ phần trăm tính trên tổng số phiếu thu về ({text.padded(ctx.received)} phiếu).",
            italic=True,
            keep_with_next=True,
        ),
        _results_table(ctx),
    ]


def _flags(ctx: MinutesContext) -> list[Block]:
    th = ctx.thresholds
    rules = rules_of(th)
    blocks: list[Block] = [heading(f"IV. ĐỐI CHIẾU VỚI {th.regulation.upper()}")]
    for s in ctx.subjects:
        flag = ctx.flag(s)
        if flag is not None:
            pct = percent_of(s.low, ctx.received)
            blocks.append(para("- " + vote_rules.flag_line(s.full_name, pct, flag, rules)))
    if len(blocks) == 1:
        blocks.append(para(vote_rules.no_flag_text(rules)))
    return blocks


def _anchor(label: str, hex_digest: str) -> list[Para]:
    """A label, then the value in groups of four, never split from each other."""
    lines = text.fingerprint_lines(hex_digest) if hex_digest else ("(chưa có)",)
    last = len(lines) - 1
    return [
        para(label, align="left", indent=True, keep_with_next=True),
        *(
            para(line, bold=True, align="center", indent=False, keep_with_next=i < last)
            for i, line in enumerate(lines)
        ),
    ]


def _anchors(ctx: MinutesContext) -> list[list[Para]]:
    """The values that tie this paper to the published record, each under its own label
    (the first group carries the section's heading and introduction)."""
    return [
        [
            heading("V. SỐ LIỆU ĐỐI CHIẾU VỚI HỒ SƠ KIỂM PHIẾU ĐIỆN TỬ"),
        para(
            "Đại biểu bỏ phiếu kín trên máy tính bảng; kết quả trên được giải mã từ hồ sơ kiểm "
            "phiếu điện tử. Các giá trị dưới đây dùng để đối chiếu hồ sơ đó với biên bản này "
            "(cách kiểm tra: xem Phụ lục kèm theo).",
            keep_with_next=True,
        ),
            *_anchor("1. Dấu vân tay của cuộc lấy phiếu (mã băm thông tin cuộc lấy phiếu):",
                     ctx.fingerprint_hex),
        ],
        _anchor("2. Mã băm khóa sổ bảng phiếu:", ctx.closing_hash_hex),
        _anchor("3. Mã băm SHA-256 của tệp hồ sơ kiểm phiếu:", ctx.record_sha256_hex),
        _anchor("4. Mã băm cuối của nhật ký hệ thống khi in biên bản:", ctx.audit_head_hex),
    ]  # fmt: skip


def _closing(ctx: MinutesContext) -> list[Block]:
    start, end = text.local(ctx.started_at), text.local(ctx.counting_ended_at)
    day = "cùng ngày" if end.date() == start.date() else text.long_date(end.date())
    columns = [SignatureColumn(CHAIR_TITLE, (ctx.counting_chair,))]
    if ctx.counting_members:
        columns.insert(0, SignatureColumn(MEMBERS_TITLE, ctx.counting_members))
    ending = para(
        f"Việc kiểm phiếu kết thúc vào lúc {text.clock(end)}, {day}. Biên bản lập thành "
        f"{text.padded(ctx.copies)} bản có giá trị như nhau.",
        space_before=6.0,
        keep_with_next=True,
    )
    *groups, last = _anchors(ctx)
    blocks: list[Block] = [block for group in groups for block in group]
    # The last anchor, the closing words and the signatures share the last page: it never
    # holds the signatures alone.
    return [*blocks, KeepTogether((*last, ending, Signatures(tuple(columns))))]


def _annex(ctx: MinutesContext) -> list[Block]:
    number = ctx.organisation.document_number
    of = (
        f"Biên bản kiểm phiếu {number.replace('Số ', 'số ', 1)}"
        if number
        else "Biên bản kiểm phiếu"
    )
    how = (
        "Mỗi phiếu được mã hóa ngay trên máy tính bảng trước khi gửi đi, nên không ai, kể cả "
        "Ban kiểm phiếu, đọc được phiếu của từng người. Các phiếu đã mã hóa được cộng với nhau "
        "(mã hóa đồng cấu); chỉ tổng số phiếu của từng mức tín nhiệm được giải mã, với sự tham "
        f"gia của ít nhất {ctx.trustee_threshold} trong số {ctx.trustee_count} thành viên Ban "
        "kiểm phiếu giữ khóa giải mã. Mỗi phiếu, mỗi phần giải mã đều kèm bằng chứng toán học "
        "để bất kỳ ai có hồ sơ kiểm tra lại được."
    )
    if ctx.method_note:
        how += " " + ctx.method_note
    left = {"align": "left", "indent": False}
    return [
        PageBreak(),
        para(ANNEX_TITLE, bold=True, align="center", indent=False),
        para("HƯỚNG DẪN KIỂM TRA KẾT QUẢ KIỂM PHIẾU", bold=True, align="center", indent=False),
        para(f"(Kèm theo {of})", italic=True, align="center", indent=False, space_before=2.0),
        heading("1. Hình thức bỏ phiếu và kiểm phiếu"),
        para(how),
        heading("2. Cách kiểm tra"),
        para("Bước 1. Tải hồ sơ kiểm phiếu điện tử tại địa chỉ dưới đây (hoặc quét mã QR)."),
        Para(
            (
                Run("Bước 2. Chạy lệnh "),
                Run(f"ballot verify {ctx.record_url}", bold=True),
                Run(
                    " (hoặc chỉ tên tệp đã tải). Lệnh kiểm tra lại toàn bộ hồ sơ, không cần biết "
                    "nội dung từng phiếu, rồi in số phiếu của từng đồng chí, dấu vân tay của "
                    "cuộc lấy phiếu, mã băm khóa sổ và mã băm SHA-256 của tệp đã đọc."
                ),
            )
        ),
        para(
            "Bước 3. Đối chiếu từng giá trị lệnh in ra với mục III và mục V của biên bản: "
            "mọi số liệu và mã băm phải trùng khớp. Chỉ cần một ký tự khác là hồ sơ hoặc biên "
            "bản đã bị thay đổi."
        ),
        para(
            "Bước 4. Nhật ký hệ thống (tải tại trang kết quả, định dạng JSON) phải có một mục "
            "mang mã băm ghi ở mục V.4, nối chuỗi đúng với các mục trước nó."
        ),
        QRPanel(
            ctx.record_url,
            (
                para("Địa chỉ hồ sơ kiểm phiếu điện tử:", **left),  # type: ignore[arg-type]
                para(ctx.record_url, bold=True, **left),  # type: ignore[arg-type]
            ),
        ),
    ]


def minutes(ctx: MinutesContext) -> Document:
    """Compose the counting minutes in the order the counting committee reads them out."""
    blocks = (
        _opening(ctx)
        + _committee(ctx)
        + _turnout(ctx)
        + _results(ctx)
        + _flags(ctx)
        + _closing(ctx)
        + _annex(ctx)
    )
    return Document(
        title=TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=title_lines(ctx.vote_title),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )
