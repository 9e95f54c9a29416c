"""The election minutes (biên bản kiểm phiếu bầu cử) in both formats, from plain data: every
figure, the ranking, who is elected and why, ties and further rounds, the anchors."""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import cache

import pytest
from docx import Document as DocxFile
from docx.oxml.ns import qn

from ballot.elections.rules import RuleError
from ballot.i18n import hex_groups
from ballot.minutes import (
    Candidate,
    ElectionMinutesContext,
    render_election_minutes_docx,
    render_election_minutes_pdf,
)
from tests.minutes.conftest import docx_text, pdf_pages
from tests.minutes.election_data import (
    AUDIT_HEAD,
    CHAIR,
    MEMBERS,
    RECORD_URL,
    constructed,
    from_record,
    simulated,
)


@cache
def files(name: str) -> tuple[list[str], str]:
    """(PDF pages' text, DOCX text) of one of the contexts below, rendered once."""
    ctx = CONTEXTS[name]()
    return pdf_pages(render_election_minutes_pdf(ctx)), docx_text(render_election_minutes_docx(ctx))


CONTEXTS = {
    "record": from_record,
    # 3 seats of 4, 9 convened (need 5): 8 and 6 elected, 5 and 5 tied for the last seat
    "tie": lambda: constructed((8, 6, 5, 5), 3),
    # 3 seats of 4: 7, 6 and 6 elected, the fourth over half but the seats are filled
    "full": lambda: constructed((7, 6, 6, 5), 3),
    # the secretary, one name, no surplus, majority of the valid ballots (by decision)
    "single": lambda: constructed(
        (6,), 1, kind="secretary", majority_base="valid_ballots", round_no=2
    ),
}


def both(name: str) -> list[str]:
    pages, docx = files(name)
    return [" ".join(pages), docx]


def test_the_simulated_election_is_stated_in_both_files() -> None:
    record, sha = simulated()
    expected = [
        "ĐẢNG BỘ TỈNH TRÀ VINH",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "Số 07-BB/ĐUK",  # the number from the register, under the organ
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Trà Vinh, ngày 04 tháng 3 năm 2025",
        "BIÊN BẢN KIỂM PHIẾU BẦU CỬ",
        "Bầu đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XII",
        # 01:30 UTC is 08:30 in Vietnam; the counting ended at 00:05 the next day there
        "Vào lúc 08 giờ 30 phút, ngày 04 tháng 3 năm 2025, tại Hội trường Đảng ủy Khối, "
        "Đại hội đại biểu Đảng bộ Khối lần thứ VIII tiến hành bầu cử bằng phiếu kín theo "
        "Quy chế bầu cử trong Đảng (ban hành kèm theo Quyết định số 190-QĐ/TW).",
        "Việc kiểm phiếu kết thúc vào lúc 00 giờ 05 phút, ngày 05 tháng 3 năm 2025.",
        "Ban kiểm phiếu do Đại hội bầu, gồm 03 đồng chí:",  # at a congress
        f"1. Đồng chí {CHAIR}, Trưởng ban;",
        f"3. Đồng chí {MEMBERS[1]}, Ủy viên.",
        "Bầu: Đại biểu dự đại hội cấp trên.",
        "Số lượng cần bầu: 04 đồng chí.",
        "Số người trong danh sách bầu cử: 06 đồng chí (số dư 02 đồng chí, bằng 50,00% số "
        "lượng cần bầu).",
        "Số dư vượt quá 30% số lượng cần bầu, theo quyết định của Đại hội: Đại hội biểu "
        "quyết thông qua danh sách 06 người, số dư 50%.",
        "gạch tên người không bầu",
        "Tổng số đại biểu được triệu tập: 07 đồng chí.",
        "Số đại biểu có mặt: 07 đồng chí (100,00% số đại biểu được triệu tập).",
        "Số đại biểu vắng mặt: 00 đồng chí.",
        "Số phiếu phát ra: 07 phiếu.",
        "Số phiếu thu về: 07 phiếu.",
        "Số phiếu hợp lệ: 07 phiếu.",
        "Số phiếu không hợp lệ: 00 phiếu.",
        "Phiếu bầu điện tử chỉ gửi được khi hợp lệ (giữ lại từ 1 đến 4 người)",
        "tỷ lệ tính trên số phiếu hợp lệ (07 phiếu).",
        "Theo Điều 30 Quy chế bầu cử trong Đảng (ban hành kèm theo Quyết định số "
        "190-QĐ/TW), người trúng cử phải có số phiếu bầu quá một nửa so với tổng số đại "
        "biểu được triệu tập (07 đồng chí), tức là từ 04 phiếu trở lên;",
        "Số người trúng cử: 02/04 đồng chí: Đặng Văn Lực (7 phiếu), Nguyễn Văn Tám (4 phiếu).",
        "Cần bầu tiếp: số người trúng cử còn thiếu 02 đồng chí so với số lượng cần bầu; Đại "
        "hội xem xét, quyết định việc bầu tiếp (vòng 2) trong số các đồng chí: Huỳnh "
        "Văn Dũng, Lữ Công Tạo, Trần Thị Kim Phượng, Võ Thị Hồng Nhung.",
        "VI. SỐ LIỆU ĐỐI CHIẾU VỚI HỒ SƠ KIỂM PHIẾU ĐIỆN TỬ",
        "1. Dấu vân tay của cuộc bầu cử (mã băm thông tin cuộc bầu cử):",
        "Biên bản lập thành 02 bản có giá trị như nhau.",
        "T/M BAN KIỂM PHIẾU TRƯỞNG BAN",
        "CÁC ỦY VIÊN BAN KIỂM PHIẾU",
        "PHỤ LỤC",
        "(Kèm theo Biên bản kiểm phiếu bầu cử số 07-BB/ĐUK)",
        "ít nhất 2 trong số 3 thành viên Ban kiểm phiếu",
        f"Bước 2. Chạy lệnh ballot verify {RECORD_URL}",
        "Đối chiếu từng giá trị lệnh in ra với mục IV và mục VI của biên bản",
        "mang mã băm ghi ở mục VI.4",
        RECORD_URL,
    ]
    for text in both("record"):
        for phrase in expected:
            assert phrase in text, phrase
        # the record's anchors, each as printed: upper case in groups of four
        for value in (record["fingerprint"], record["closing"]["hash"], sha, AUDIT_HEAD):
            assert hex_groups(value) in text


def test_the_ranking_table_reads_the_same_in_both_files() -> None:
    # Written out by hand: votes of 7 valid ballots, ranked; equal votes share a rank.
    rows = [
        "1 Đặng Văn Lực 7 100,00% Trúng cử",
        "2 Nguyễn Văn Tám 4 57,14% Trúng cử",
        "3 Huỳnh Văn Dũng 3 42,86% Không trúng cử (không quá một nửa)",
        "3 Lữ Công Tạo 3 42,86% Không trúng cử (không quá một nửa)",
        "3 Trần Thị Kim Phượng 3 42,86% Không trúng cử (không quá một nửa)",
        "3 Võ Thị Hồng Nhung 3 42,86% Không trúng cử (không quá một nửa)",
    ]
    head = "Thứ tự Họ và tên Số phiếu bầu Tỷ lệ Kết quả " + " ".join(rows)
    for text in both("record"):
        assert head in text


def test_a_tie_at_the_last_seat_elects_none_of_the_tied() -> None:
    rows = (
        "1 Đặng Văn Lực 8 100,00% Trúng cử "
        "2 Huỳnh Văn Dũng 6 75,00% Trúng cử "
        "3 Lữ Công Tạo 5 62,50% Ngang phiếu ở suất cuối "
        "3 Nguyễn Văn Tám 5 62,50% Ngang phiếu ở suất cuối"
    )
    for text in both("tie"):
        assert rows in text
        assert "Ban Thường vụ" in text and "(số dư 01 đồng chí, bằng 33,33%" in text
        assert "tổng số đại biểu được triệu tập (09 đồng chí), tức là từ 05 phiếu" in text
        assert "Số người trúng cử: 02/03 đồng chí: Đặng Văn Lực (8 phiếu), Huỳnh Văn Dũng" in text
        assert (
            "Các đồng chí Lữ Công Tạo (5 phiếu), Nguyễn Văn Tám (5 phiếu) có số phiếu ngang "
            "nhau ở suất cuối: chưa đồng chí nào trong số này trúng cử." in text
        )
        assert (
            "còn thiếu 01 đồng chí so với số lượng cần bầu; Hội nghị xem xét, quyết định "
            "việc bầu tiếp (vòng 2) trong số các đồng chí: Lữ Công Tạo, Nguyễn Văn Tám."
        ) in text
        # the absent member with the reason given
        assert (
            "Số đại biểu vắng mặt: 01 đồng chí, gồm: đồng chí Trương Minh Khoa (đi công tác "
            "nước ngoài)." in text
        )
        assert "Số đại biểu có mặt: 08 đồng chí (88,89% số đại biểu được triệu tập)." in text
        assert "Vào lúc 14 giờ 00 phút" in text  # 07:00 UTC
        assert "Ban kiểm phiếu do Hội nghị bầu, gồm 03 đồng chí:" in text
        assert "kết thúc vào lúc 14 giờ 40 phút, cùng ngày." in text


def test_all_seats_filled_needs_no_further_round() -> None:
    for text in both("full"):
        assert "1 Đặng Văn Lực 7 87,50% Trúng cử 2 Huỳnh Văn Dũng 6 75,00% Trúng cử" in text
        assert "2 Lữ Công Tạo 6 75,00% Trúng cử" in text
        # 5 of 9 convened is more than half, but the three seats are taken
        assert "4 Nguyễn Văn Tám 5 62,50% Không trúng cử (đã đủ số lượng)" in text
        assert "Số người trúng cử: 03/03 đồng chí" in text
        assert "Đã bầu đủ số lượng cần bầu; không phải bầu tiếp." in text
        assert "Cần bầu tiếp" not in text and "Ngang phiếu" not in text


def test_a_list_without_surplus_and_a_base_of_valid_ballots() -> None:
    for text in both("single"):
        assert "(Vòng 2)" in text and "tiến hành bầu cử vòng 2 bằng phiếu kín" in text
        assert "Bầu: Bí thư." in text
        assert "Số người trong danh sách bầu cử: 01 đồng chí (danh sách không có số dư)." in text
        assert "chỉ phiếu “đồng ý” được tính là phiếu bầu cho người đó" in text
        assert "(“đồng ý” với từ 0 đến 1 người)" in text
        assert (
            "quá một nửa so với số phiếu hợp lệ (08 phiếu), theo quyết định của Hội nghị, "
            "tức là từ 05 phiếu trở lên" in text
        )
        assert "1 Đặng Văn Lực 6 75,00% Trúng cử" in text
        assert "(Kèm theo Biên bản kiểm phiếu bầu cử số 07-BB/ĐUK)" in text


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_the_pdf_and_the_docx_say_the_same_words(name: str) -> None:
    pages, docx = files(name)
    footer = re.compile(r"Trang \d+/\d+")
    pdf_words = Counter(footer.sub(" ", " ".join(pages)).split())
    docx_words = Counter(footer.sub(" ", docx).split())
    assert pdf_words == docx_words


def test_pages_are_numbered_from_two_and_the_annex_stands_alone() -> None:
    pages, _ = files("record")
    assert len(pages) >= 3 and "Trang 1/" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Trang {number}/{len(pages)}" in page
    assert pages[-1].split(" ", 2)[2].startswith("PHỤ LỤC")
    signed = next(p for p in reversed(pages) if "(Ký, ghi rõ họ tên)" in p)
    assert "Việc kiểm phiếu kết thúc" in signed and "4. Mã băm cuối" in signed


def test_a_congress_list_repeats_the_table_header_on_every_page() -> None:
    votes = tuple(300 - 5 * j for j in range(40))  # 33 of 40, 300 valid ballots
    ctx = _congress(votes)
    pages = pdf_pages(render_election_minutes_pdf(ctx))
    rows = [p for p in pages if re.search(r"Đại biểu số \d\d", p)]
    headed = [p for p in rows if "Thứ tự Họ và tên Số phiếu bầu Tỷ lệ Kết quả" in p]
    assert len(rows) >= 2 and headed == rows
    doc = DocxFile(io.BytesIO(render_election_minutes_docx(ctx)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Thứ tự")
    row = table.rows[0]._tr.trPr
    assert row is not None and row.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 41
    assert len(doc.inline_shapes) == 1  # the QR code of the record's address, in the annex


def _congress(votes: tuple[int, ...]) -> ElectionMinutesContext:
    """The Executive Committee elected by a congress: 33 of 40, 300 delegates."""
    return constructed(
        (),
        33,
        kind="committee",
        candidates=tuple(Candidate(f"Đại biểu số {j + 1:02d}", "", v) for j, v in enumerate(votes)),
        summoned=300,
        present=300,
        absent_names=(),
        absent_reasons=(),
        issued=300,
        received=300,
        valid=300,
        convened=300,
    )


def test_a_list_the_regulation_refuses_cannot_be_printed() -> None:
    with pytest.raises(RuleError):  # Art. 14.1: standing committee, surplus 2 of 3 > 30%
        constructed((8, 6, 5, 4, 1), 3)
    with pytest.raises(RuleError):  # Art. 14.1: a standing committee list needs a surplus
        constructed((8, 6, 5), 3)
    with pytest.raises(RuleError):  # Art. 14.3: over 30% needs the conference's decision
        from_record(surplus_decision="")


@pytest.mark.parametrize(
    "changes",
    [
        {"valid": 7},  # valid + invalid must be the ballots received
        {"received": 9},  # more received than issued
        {"summoned": 10},  # summoned ≠ present + absent
        {"closing_hash_hex": "ab" * 31},  # not a SHA-256
        {"convened": 10},  # more convened (Art. 30) than summoned
    ],
)
def test_figures_that_cannot_be_true_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        constructed((8, 6, 5, 5), 3, **changes)
    with pytest.raises(ValueError):  # a count above the valid ballots
        constructed((9, 6, 5, 4), 3)
    with pytest.raises(ValueError):  # more names kept than 3 seats × 8 ballots (Art. 15)
        constructed((8, 8, 5, 5), 3)


def test_a_convened_number_net_of_exclusions_is_stated_as_such() -> None:
    # 9 summoned, the desk entered 7 convened (Art. 30.2-30.3): 4 votes are needed, not 5
    ctx = constructed((8, 6, 4, 4), 3, convened=7)
    text = docx_text(render_election_minutes_docx(ctx))
    assert (
        "so với số đại biểu được triệu tập, trừ những trường hợp Quy chế cho phép không tính "
        "(07 đồng chí), tức là từ 04 phiếu trở lên" in text
    )
    assert "3 Lữ Công Tạo 4 50,00% Ngang phiếu ở suất cuối" in text
