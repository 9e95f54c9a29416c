"""The words and tables of the election minutes (biên bản kiểm phiếu bầu cử).

Same party layout as the confidence vote's minutes (Hướng dẫn 36-HD/VPTW; shared parts in
`sections.py`); the rules are those of Quy chế bầu cử trong Đảng (190-QĐ/TW) as encoded,
with their sources, in `ballot/elections/rules.py`:
- Art. 14: the list, its surplus (at most 30%) and the conference's decision;
- Art. 15 (text of 244 Art. 17): valid and invalid ballots;
- Art. 30: the majority base and who is elected; ties and further rounds as rules.py says.
"""

from __future__ import annotations

from ballot.elections import rules as er
from ballot.minutes import text
from ballot.minutes.blocks import Block, Cell, Document, Para, Run, Table, heading, para
from ballot.minutes.context import percent_of
from ballot.minutes.election_context import ElectionMinutesContext
from ballot.minutes.sections import (
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

TITLE = "BIÊN BẢN KIỂM PHIẾU BẦU CỬ"
REGULATION = "Quy chế bầu cử trong Đảng (ban hành kèm theo Quyết định số 190-QĐ/TW)"
#: Rank, name, votes, share of valid ballots, result: 165 mm between the margins.
RESULT_WIDTHS = (15.0, 46.0, 18.0, 19.0, 67.0)
#: What the "Kết quả" column says for each status of rules.outcome.
MARK = {
    er.Status.ELECTED: "Trúng cử",
    er.Status.TIED: "Ngang phiếu ở suất cuối",
    er.Status.NOT_ELECTED: "Không trúng cử (đã đủ số lượng)",
    er.Status.NO_MAJORITY: "Không trúng cử (không quá một nửa)",
}


def _body(ctx: ElectionMinutesContext) -> str:
    """Who decides: "Đại hội" at a congress, "Hội nghị" at a conference."""
    return "Đại hội" if ctx.conference_name.lower().startswith("đại hội") else "Hội nghị"


def _opening(ctx: ElectionMinutesContext) -> list[Block]:
    start = text.local(ctx.started_at)
    again = f" vòng {ctx.round_no}" if ctx.round_no > 1 else ""
    return [
        para(
            f"Vào lúc {text.clock(start)}, {text.long_date(start.date())}, tại "
            f"{ctx.conference_place}, {ctx.conference_name} tiến hành bầu cử{again} bằng "
            f"phiếu kín theo {REGULATION}."
        )
    ]


def _list(ctx: ElectionMinutesContext) -> list[Block]:
    """Section II: what is elected, how many, the list and its surplus (Art. 14)."""
    rules = ctx.rules
    surplus = rules.candidates - rules.seats
    if rules.with_surplus:
        share = percent_of(surplus, rules.seats)
        shape = f" (số dư {text.people(surplus)}, bằng {share} số lượng cần bầu)"
        how = (
            "Danh sách có số dư: đại biểu giữ lại tên người mình bầu, gạch tên người không "
            "bầu. Phiếu giữ lại nhiều hơn số lượng cần bầu, hoặc gạch tên tất cả những người "
            "trong danh sách, là phiếu không hợp lệ."
        )
    else:
        shape = " (danh sách không có số dư)"
        how = (
            "Danh sách không có số dư: phiếu bầu có hai cột “đồng ý”, “không đồng ý” đối với "
            "từng người; chỉ phiếu “đồng ý” được tính là phiếu bầu cho người đó."
        )
    blocks: list[Block] = [
        heading("II. NỘI DUNG BẦU CỬ VÀ DANH SÁCH BẦU CỬ"),
        fact("Bầu", er.KIND_VI[rules.kind]),
        fact("Số lượng cần bầu", text.people(rules.seats)),
        fact("Số người trong danh sách bầu cử", text.people(rules.candidates), shape),
        para(how),
    ]
    if surplus > er.max_surplus(rules.seats):  # Art. 14.3: over 30%, by decision only
        blocks.append(
            para(
                f"Số dư vượt quá 30% số lượng cần bầu, theo quyết định của {_body(ctx)}: "
                f"{rules.surplus_decision.rstrip('.')}."
            )
        )
    elif rules.surplus_decision:
        blocks.append(
            para(f"Quyết định của {_body(ctx)} về số dư: {rules.surplus_decision.rstrip('.')}.")
        )
    return blocks


def _turnout(ctx: ElectionMinutesContext) -> list[Block]:
    """Section III: attendance (the record's) and ballots (Art. 15 of 190, text of 244
    Art. 17)."""
    n = text.padded
    kept = f"giữ lại từ {ctx.rules.min_kept} đến {ctx.rules.seats} người"
    if not ctx.rules.with_surplus:
        kept = f"“đồng ý” với từ 0 đến {ctx.rules.seats} người"
    unreturned = ctx.issued - ctx.received
    return [
        heading("III. ĐẠI BIỂU VÀ SỐ PHIẾU"),
        # Art. 30.2-30.3 (rule "majority"): those convened, the default majority base.
        fact("Tổng số đại biểu được triệu tập", text.people(ctx.summoned)),
        # Art. 30.3: the record's attendance; absence is what the base may be net of.
        fact(
            "Số đại biểu có mặt",
            text.people(ctx.present),
            f" ({percent_of(ctx.present, ctx.summoned)} số đại biểu được triệu tập)",
        ),
        fact(
            "Số đại biểu vắng mặt",
            text.people(len(ctx.absent_names)),
            absentees(ctx.absent_names, ctx.absent_reasons),
        ),
        # Art. 15 (text of 244 Art. 17): ballots issued by the counting committee (the
        # record's attendance.issued) and received (the closed board's count).
        fact("Số phiếu phát ra", f"{n(ctx.issued)} phiếu"),
        fact(
            "Số phiếu thu về",
            f"{n(ctx.received)} phiếu",
            f" (không thu về {n(unreturned)} phiếu)" if unreturned else "",
        ),
        # Art. 15 (text of 244 Art. 17.2, rules "kept_at_most_seats", "not_all_crossed"):
        # keeping more names than the seats, or crossing out every name on a list with
        # surplus, makes a ballot invalid.
        fact("Số phiếu hợp lệ", f"{n(ctx.valid)} phiếu"),
        fact("Số phiếu không hợp lệ", f"{n(ctx.invalid)} phiếu"),
        # docs/protocol.md §10.6: the booth sends only valid ballots, invalid is 0.
        para(
            f"Phiếu bầu điện tử chỉ gửi được khi hợp lệ ({kept}); máy tính bảng không cho "
            "gửi phiếu không hợp lệ và mỗi phiếu trên bảng phiếu kèm bằng chứng toán học "
            "về điều đó."
        ),
    ]


def _results_table(ctx: ElectionMinutesContext) -> Table:
    head = (
        tuple(
            Cell(label, bold=True)
            for label in ("Thứ tự", "Họ và tên", "Số phiếu bầu", "Tỷ lệ", "Kết quả")
        ),
    )
    body = tuple(
        (
            Cell(str(r.rank)),
            Cell(ctx.candidates[r.index].full_name, align="left"),
            Cell(text.count(r.votes)),
            Cell(percent_of(r.votes, ctx.valid)),
            Cell(MARK[r.status], align="left"),
        )
        for r in ctx.outcome.ranked
    )
    # A congress's list of 40 names breaks across pages: the header row is repeated.
    return Table(RESULT_WIDTHS, head, body, font_pt=12.0)


def _results(ctx: ElectionMinutesContext) -> list[Block]:
    return [
        heading("IV. KẾT QUẢ KIỂM PHIẾU"),
        para(
            "Xếp theo số phiếu bầu từ cao xuống thấp (người có số phiếu ngang nhau cùng thứ "
            f"tự); tỷ lệ tính trên số phiếu hợp lệ ({text.padded(ctx.valid)} phiếu).",
            italic=True,
            keep_with_next=True,
        ),
        _results_table(ctx),
    ]


def _base(ctx: ElectionMinutesContext) -> str:
    """The majority base stated (Art. 30)."""
    if ctx.rules.majority_base is er.MajorityBase.VALID:
        what = f"số phiếu hợp lệ ({text.padded(ctx.base)} phiếu), theo quyết định của {_body(ctx)}"
    elif ctx.convened == ctx.summoned:
        what = f"tổng số đại biểu được triệu tập ({text.people(ctx.base)})"
    else:  # the desk entered the number net of those Art. 30.2-30.3 leave out
        what = (
            "số đại biểu được triệu tập, trừ những trường hợp Quy chế cho phép không tính "
            f"({text.people(ctx.base)})"
        )
    return (
        f"Theo Điều 30 {REGULATION}, người trúng cử phải có số phiếu bầu quá một nửa so với "
        f"{what}, tức là từ {text.padded(ctx.needed)} phiếu trở lên; nếu số người đạt quá "
        "một nửa nhiều hơn số lượng cần bầu thì lấy theo thứ tự số phiếu từ cao xuống thấp "
        "đến đủ số lượng cần bầu."
    )


def _who(ctx: ElectionMinutesContext, indices: list[int]) -> str:
    by_rank = {r.index: r for r in ctx.outcome.ranked}
    return ", ".join(
        f"{ctx.candidates[i].full_name} ({text.count(by_rank[i].votes)} phiếu)"
        for i in sorted(indices, key=lambda i: (by_rank[i].rank, i))
    )


def _elected(ctx: ElectionMinutesContext) -> list[Block]:
    """Section V: the base, who is elected, ties and whether a further round is needed."""
    out, seats = ctx.outcome, ctx.rules.seats
    tied = [r.index for r in out.ranked if r.status is er.Status.TIED]
    blocks: list[Block] = [heading("V. KẾT QUẢ BẦU CỬ"), para(_base(ctx))]
    named = f": {_who(ctx, out.elected)}" if out.elected else ""
    blocks.append(
        Para(
            (
                Run("Số người trúng cử: "),
                Run(f"{text.padded(len(out.elected))}/{text.padded(seats)}", bold=True),
                Run(f" đồng chí{named}."),
            )
        )
    )
    if tied:  # rule "tie_last_seat" (no article found, rules.py): none of the tied is elected
        blocks.append(
            para(
                f"Các đồng chí {_who(ctx, tied)} có số phiếu ngang nhau ở suất cuối: chưa "
                "đồng chí nào trong số này trúng cử."
            )
        )
    if out.seats_left:  # rule "further_round" (244 Art. 20.2): the conference decides
        among = ", ".join(ctx.candidates[i].full_name for i in out.further_round)
        blocks.append(
            Para(
                (
                    Run("Cần bầu tiếp: ", bold=True),
                    Run(
                        f"số người trúng cử còn thiếu {text.people(out.seats_left)} so với số "
                        f"lượng cần bầu; "
                        f"{_body(ctx)} xem xét, quyết định việc bầu tiếp (vòng "
                        f"{ctx.round_no + 1}) trong số các đồng chí: {among}."
                    ),
                )
            )
        )
    else:
        blocks.append(para("Đã bầu đủ số lượng cần bầu; không phải bầu tiếp."))
    return blocks


def _anchors(ctx: ElectionMinutesContext) -> Anchors:
    return Anchors(
        section="VI",
        what="cuộc bầu cử",
        fingerprint_hex=ctx.fingerprint_hex,
        closing_hash_hex=ctx.closing_hash_hex,
        record_sha256_hex=ctx.record_sha256_hex,
        audit_head_hex=ctx.audit_head_hex,
        record_url=ctx.record_url,
    )


def _annex(ctx: ElectionMinutesContext) -> list[Block]:
    how = encryption_note(
        ctx.trustee_threshold, ctx.trustee_count, "tổng số phiếu bầu của từng người"
    )
    how += (
        " Mỗi phiếu còn kèm bằng chứng rằng số người được giữ lại nằm trong giới hạn Quy chế "
        "bầu cử cho phép, mà không để lộ đó là những người nào."
    )
    words = AnnexText(
        "Biên bản kiểm phiếu bầu cử",
        how,
        "số phiếu bầu của từng người, thứ tự và người trúng cử",
        "IV",
    )
    return annex(_anchors(ctx), ctx.organisation.document_number, words)


def election_minutes(ctx: ElectionMinutesContext) -> Document:
    """Compose the election minutes in the order the counting committee reads them out."""
    blocks = (
        _opening(ctx)
        + committee(ctx.counting_chair, ctx.counting_members, _body(ctx))
        + _list(ctx)
        + _turnout(ctx)
        + _results(ctx)
        + _elected(ctx)
        + closing(
            _anchors(ctx),
            ctx.started_at,
            ctx.counting_ended_at,
            ctx.copies,
            ctx.counting_chair,
            ctx.counting_members,
        )
        + _annex(ctx)
    )
    # a further round's title names its round ("…, vòng 2"); else the title line does
    named = ctx.round_no == 1 or f"vòng {ctx.round_no}" in ctx.title.lower()
    titles = [ctx.title] + ([] if named else [f"(Vòng {ctx.round_no})"])
    return Document(
        title=TITLE,
        header=header(ctx.organisation, ctx.document_date),
        title_lines=title_lines(*titles),
        blocks=tuple(blocks),
        author=ctx.organisation.name,
    )
