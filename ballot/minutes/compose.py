"""The words and tables of the counting minutes (biên bản kiểm phiếu), from a MinutesContext.

Layout of party documents (Hướng dẫn 36-HD/VPTW, 2018; DOMAIN.md "Official documents"):
organ heading left with "*" and the number "Số …-BB/…" under it, "ĐẢNG CỘNG SẢN VIỆT NAM"
right with place and date in words, counts of people as "02 đồng chí", the number of copies,
"T/M BAN KIỂM PHIẾU / TRƯỞNG BAN" with the members' signatures. What a counting committee
needs to check the result by computer goes to an annex page, so the body stays plain.
"""

from __future__ import annotations

from fractions import Fraction

from ballot.minutes import text
from ballot.minutes.blocks import COVERED, Block, Cell, Document, Table, heading, para
from ballot.minutes.context import MinutesContext, Thresholds, percent_of
from ballot.minutes.sections import (
    TEXT_WIDTH_MM,
    Anchors,
    AnnexText,
    absentees,
    annex,
    closing,
    committee,
    encryption_note,
    fact,
    header,
    title_lines,
)
from ballot.voting import rules as vote_rules

__all__ = ["TEXT_WIDTH_MM", "header", "minutes", "rules_of", "title_lines"]

TITLE = "BIÊN BẢN KIỂM PHIẾU"
#: TT, name, position, then (count, share) for three levels, valid, invalid: 165 mm between
#: the 30/15 mm margins. A share column is 15 mm so that "100,00%" never wraps.
RESULT_WIDTHS = (7.0, 27.0, 26.0, 11.5, 15.0, 11.5, 15.0, 11.5, 15.0, 11.5, 14.0)


def rules_of(thresholds: Thresholds) -> vote_rules.VoteRules:
    """The vote's rules back from the printed thresholds, for the one flag wording."""
    return vote_rules.VoteRules(
        quorum=Fraction(thresholds.quorum.numerator, thresholds.quorum.denominator),
        consider=Fraction(thresholds.consider.numerator, thresholds.consider.denominator),
        dismiss=Fraction(thresholds.dismiss.numerator, thresholds.dismiss.denominator),
        dismiss_inclusive=thresholds.dismiss.inclusive,
    )


def _opening(ctx: MinutesContext) -> list[Block]:
    start = text.local(ctx.started_at)
    return [
        para(
            f"Vào lúc {text.clock(start)}, {text.long_date(start.date())}, tại "
            f"{ctx.conference_place}, {ctx.conference_name} tiến hành lấy phiếu tín nhiệm "
            f"theo {ctx.thresholds.regulation}."
        )
    ]


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
    n = text.padded
    return [
        heading("II. ĐẠI BIỂU VÀ SỐ PHIẾU"),
        fact("Tổng số người được triệu tập", text.people(ctx.summoned)),
        fact("Số đại biểu có mặt", text.people(ctx.present), f" ({_quorum(ctx)})"),
        fact(
            "Số đại biểu vắng mặt",
            text.people(len(ctx.absent_names)),
            absentees(ctx.absent_names, ctx.absent_reasons),
        ),
        fact("Số phiếu phát ra", f"{n(ctx.issued)} phiếu"),
        fact("Số phiếu thu về", f"{n(ctx.received)} phiếu"),
        *(
            [
                fact(
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


def _anchors(ctx: MinutesContext) -> Anchors:
    return Anchors(
        section="V",
        what="cuộc lấy phiếu",
        fingerprint_hex=ctx.fingerprint_hex,
        closing_hash_hex=ctx.closing_hash_hex,
        record_sha256_hex=ctx.record_sha256_hex,
        audit_head_hex=ctx.audit_head_hex,
        record_url=ctx.record_url,
    )


def _closing(ctx: MinutesContext) -> list[Block]:
    return closing(
        _anchors(ctx),
        ctx.started_at,
        ctx.counting_ended_at,
        ctx.copies,
        ctx.counting_chair,
        ctx.counting_members,
    )


def _annex(ctx: MinutesContext) -> list[Block]:
    how = encryption_note(
        ctx.trustee_threshold, ctx.trustee_count, "tổng số phiếu của từng mức tín nhiệm"
    )
    if ctx.method_note:
        how += " " + ctx.method_note
    words = AnnexText("Biên bản kiểm phiếu", how, "số phiếu của từng đồng chí", "III")
    return annex(_anchors(ctx), ctx.organisation.document_number, words)


def minutes(ctx: MinutesContext) -> Document:
    """Compose the counting minutes in the order the counting committee reads them out."""
    blocks = (
        _opening(ctx)
        + committee(ctx.counting_chair, ctx.counting_members)
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
