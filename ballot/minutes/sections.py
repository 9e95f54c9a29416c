"""Parts every set of counting minutes shares: the confidence vote's (`compose.py`) and the
election's (`election_compose.py`) use the same heading, committee, anchors under their
labels, closing words with the signatures, and technical annex, so they never drift apart.

Layout of party documents (Hướng dẫn 36-HD/VPTW, 2018; DOMAIN.md "Official documents").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ballot.minutes import fonts, text
from ballot.minutes.blocks import (
    BODY_PT,
    Block,
    Header,
    KeepTogether,
    PageBreak,
    Para,
    QRPanel,
    Run,
    SignatureColumn,
    Signatures,
    heading,
    para,
)
from ballot.minutes.context import OrgHeader

CHAIR_TITLE = "T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN"
MEMBERS_TITLE = "CÁC ỦY VIÊN BAN KIỂM PHIẾU"
ANNEX_TITLE = "PHỤ LỤC"
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


def fact(label: str, value: str, rest: str = "") -> Para:
    """ "Label: value" with the figure in bold, so the numbers stand out when read aloud."""
    return Para((Run(f"{label}: "), Run(value, bold=True), Run(f"{rest}.")))


def committee(chair: str, members: tuple[str, ...], body: str = "Hội nghị") -> list[Block]:
    """Section I: the counting committee the conference (`body`: "Hội nghị", or "Đại hội"
    at a congress) elected, chair first."""
    people = [(chair, "Trưởng ban")] + [(name, "Ủy viên") for name in members]
    blocks: list[Block] = [
        heading("I. BAN KIỂM PHIẾU"),
        para(f"Ban kiểm phiếu do {body} bầu, gồm {text.people(len(people))}:"),
    ]
    for i, (name, role) in enumerate(people, start=1):
        end = "." if i == len(people) else ";"
        blocks.append(para(f"{i}. Đồng chí {name}, {role}{end}"))
    return blocks


def absentees(names: tuple[str, ...], reasons: tuple[str, ...]) -> str:
    """ ", gồm: đồng chí A (ốm), đồng chí B (không rõ lý do)" or "" when nobody is absent."""
    if not names:
        return ""
    reasons = reasons or ("",) * len(names)
    named = [
        f"đồng chí {name}" + (f" ({reason})" if reason else " (không rõ lý do)")
        for name, reason in zip(names, reasons, strict=True)
    ]
    return ", gồm: " + ", ".join(named)


@dataclass(frozen=True)
class Anchors:
    """The values that tie the paper to the published record, and where to fetch it."""

    section: str  #: "V": the section the anchors are printed in
    what: str  #: "cuộc lấy phiếu" / "cuộc bầu cử", in the fingerprint's label
    fingerprint_hex: str
    closing_hash_hex: str
    record_sha256_hex: str
    audit_head_hex: str
    record_url: str


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


def _anchor_groups(a: Anchors) -> list[list[Para]]:
    """Each anchor under its own label (the first group carries the section's heading and
    introduction)."""
    return [
        [
            heading(f"{a.section}. SỐ LIỆU ĐỐI CHIẾU VỚI HỒ SƠ KIỂM PHIẾU ĐIỆN TỬ"),
            para(
                "Đại biểu bỏ phiếu kín trên máy tính bảng; kết quả trên được giải mã từ hồ sơ "
                "kiểm phiếu điện tử. Các giá trị dưới đây dùng để đối chiếu hồ sơ đó với biên "
                "bản này (cách kiểm tra: xem Phụ lục kèm theo).",
                keep_with_next=True,
            ),
            *_anchor(f"1. Dấu vân tay của {a.what} (mã băm thông tin {a.what}):",
                     a.fingerprint_hex),
        ],
        _anchor("2. Mã băm khóa sổ bảng phiếu:", a.closing_hash_hex),
        _anchor("3. Mã băm SHA-256 của tệp hồ sơ kiểm phiếu:", a.record_sha256_hex),
        _anchor("4. Mã băm cuối của nhật ký hệ thống khi in biên bản:", a.audit_head_hex),
    ]  # fmt: skip


def closing(
    anchors: Anchors,
    started_at: datetime,
    ended_at: datetime,
    copies: int,
    chair: str,
    members: tuple[str, ...],
) -> list[Block]:
    """The anchors, the end of the counting, the copies, and the signatures (T/M BAN KIỂM
    PHIẾU, Trưởng ban, on the right; the members on the left)."""
    start, end = text.local(started_at), text.local(ended_at)
    day = "cùng ngày" if end.date() == start.date() else text.long_date(end.date())
    columns = [SignatureColumn(CHAIR_TITLE, (chair,))]
    if members:
        columns.insert(0, SignatureColumn(MEMBERS_TITLE, members))
    ending = para(
        f"Việc kiểm phiếu kết thúc vào lúc {text.clock(end)}, {day}. Biên bản lập thành "
        f"{text.padded(copies)} bản có giá trị như nhau.",
        space_before=6.0,
        keep_with_next=True,
    )
    *groups, last = _anchor_groups(anchors)
    blocks: list[Block] = [block for group in groups for block in group]
    # The last anchor, the closing words and the signatures share the last page: it never
    # holds the signatures alone.
    return [*blocks, KeepTogether((*last, ending, Signatures(tuple(columns))))]


@dataclass(frozen=True)
class AnnexText:
    """What differs between the annexes of the two kinds of minutes."""

    minutes_name: str  #: "Biên bản kiểm phiếu" / "Biên bản kiểm phiếu bầu cử"
    how: str  #: section 1: how the ballots were cast and counted
    prints: str  #: what `ballot verify` prints besides the anchors
    results_section: str  #: "III": the section with the counts


def annex(a: Anchors, number: str, words: AnnexText) -> list[Block]:
    """The technical annex on its own page: how the vote was counted and how anyone checks
    the record against the minutes (`ballot verify` at the public address, QR code)."""
    of = f"{words.minutes_name} {number.replace('Số ', 'số ', 1)}" if number else words.minutes_name
    left = {"align": "left", "indent": False}
    return [
        PageBreak(),
        para(ANNEX_TITLE, bold=True, align="center", indent=False),
        para("HƯỚNG DẪN KIỂM TRA KẾT QUẢ KIỂM PHIẾU", bold=True, align="center", indent=False),
        para(f"(Kèm theo {of})", italic=True, align="center", indent=False, space_before=2.0),
        heading("1. Hình thức bỏ phiếu và kiểm phiếu"),
        para(words.how),
        heading("2. Cách kiểm tra"),
        para("Bước 1. Tải hồ sơ kiểm phiếu điện tử tại địa chỉ dưới đây (hoặc quét mã QR)."),
        Para(
            (
                Run("Bước 2. Chạy lệnh "),
                Run(f"ballot verify {a.record_url}", bold=True),
                Run(
                    " (hoặc chỉ tên tệp đã tải). Lệnh kiểm tra lại toàn bộ hồ sơ, không cần biết "
                    f"nội dung từng phiếu, rồi in {words.prints}, dấu vân tay của {a.what}, "
                    "mã băm khóa sổ và mã băm SHA-256 của tệp đã đọc."
                ),
            )
        ),
        para(
            f"Bước 3. Đối chiếu từng giá trị lệnh in ra với mục {words.results_section} và mục "
            f"{a.section} của biên bản: mọi số liệu và mã băm phải trùng khớp. Chỉ cần một ký "
            "tự khác là hồ sơ hoặc biên bản đã bị thay đổi."
        ),
        para(
            "Bước 4. Nhật ký hệ thống (tải tại trang kết quả, định dạng JSON) phải có một mục "
            f"mang mã băm ghi ở mục {a.section}.4, nối chuỗi đúng với các mục trước nó."
        ),
        QRPanel(
            a.record_url,
            (
                para("Địa chỉ hồ sơ kiểm phiếu điện tử:", **left),  # type: ignore[arg-type]
                para(a.record_url, bold=True, **left),  # type: ignore[arg-type]
            ),
        ),
    ]


def encryption_note(threshold: int, trustees: int, decrypted: str) -> str:
    """Section 1 of the annex: secrecy by encryption on the tablet, homomorphic sums, only
    `decrypted` (the totals) decrypted by at least t of the n key holders."""
    return (
        "Mỗi phiếu được mã hóa ngay trên máy tính bảng trước khi gửi đi, nên không ai, kể cả "
        "Ban kiểm phiếu, đọc được phiếu của từng người. Các phiếu đã mã hóa được cộng với nhau "
        f"(mã hóa đồng cấu); chỉ {decrypted} được giải mã, với sự tham "
        f"gia của ít nhất {threshold} trong số {trustees} thành viên Ban "
        "kiểm phiếu giữ khóa giải mã. Mỗi phiếu, mỗi phần giải mã đều kèm bằng chứng toán học "
        "để bất kỳ ai có hồ sơ kiểm tra lại được."
    )
