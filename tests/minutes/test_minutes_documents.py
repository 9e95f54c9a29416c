"""The counting minutes as the committee will sign them: every figure, in both formats."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from docx import Document as DocxFile
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from ballot.minutes import (
    Bound,
    Thresholds,
    render_minutes_docx,
    render_minutes_pdf,
)
from tests.minutes.conftest import (
    ABSENT,
    CHAIR,
    FINGERPRINT,
    MEMBERS,
    RECORD_URL,
    docx_text,
    make_minutes,
    pdf_pages,
)

#: Each subject's row as it must read: name, then count and share for high, normal and low
#: (of the 17 ballots received), then valid and invalid. Written out by hand on purpose.
EXPECTED_ROWS = [
    "1 Nguyễn Văn Tám Bí thư Đảng ủy Khối 12 70,59% 3 17,65% 1 5,88% 16 1",
    "2 Trần Thị Kim Phượng Phó Bí thư Thường trực Đảng ủy Khối 9 52,94% 6 35,29% 2 11,76% 17 0",
    "3 Lữ Công Tạo Phó Bí thư Đảng ủy Khối 14 82,35% 2 11,76% 0 0,00% 16 1",
    "4 Thạch Thị Sô Phia Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra "
    "2 11,76% 4 23,53% 10 58,82% 16 1",
    "5 Huỳnh Văn Dũng Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức 1 5,88% 3 17,65% 12 70,59% 16 1",
    "6 Võ Thị Hồng Nhung Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo "
    "11 64,71% 5 29,41% 1 5,88% 17 0",
]
EXPECTED_PHRASES = [
    "ĐẢNG BỘ TỈNH TRÀ VINH",
    "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Trà Vinh, ngày 02 tháng 01 năm 2024",
    "BIÊN BẢN KIỂM PHIẾU",
    "Lấy phiếu tín nhiệm đối với các đồng chí Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII",
    "Vào lúc 08 giờ 30 phút, ngày 02 tháng 01 năm 2024",
    "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 15",
    f"1. Đồng chí {CHAIR}, Trưởng ban;",
    "Ban kiểm phiếu do Hội nghị bầu, gồm 05 đồng chí:",
    "Tổng số người được triệu tập: 22 đồng chí.",
    "Số đại biểu có mặt: 17 đồng chí (77,27% số người được triệu tập, đạt tỷ lệ từ 2/3",
    "Số đại biểu vắng mặt: 05 đồng chí, gồm: "
    + ", ".join(f"đồng chí {name} (không rõ lý do)" for name in ABSENT)
    + ".",
    "Số phiếu phát ra: 17 phiếu.",
    "Số phiếu thu về: 17 phiếu.",
    "Số phiếu có ít nhất một dòng không đánh dấu: 03 phiếu.",
    "Tỷ lệ phần trăm tính trên tổng số phiếu thu về (17 phiếu).",
    "Tín nhiệm cao",
    "Tín nhiệm thấp",
    "Hợp lệ",
    "Không hợp lệ",
    "Đồng chí Thạch Thị Sô Phia (58,82% phiếu tín nhiệm thấp) có trên 1/2 đến dưới 2/3 tổng "
    "số phiếu thu về đánh giá tín nhiệm thấp; theo Quy định 96-QĐ/TW, cấp có thẩm quyền xem "
    "xét đưa ra khỏi quy hoạch các chức vụ cao hơn, cho thôi giữ chức vụ đang đảm nhiệm, bố "
    "trí công tác khác hoặc cho từ chức.",
    "Đồng chí Huỳnh Văn Dũng (70,59% phiếu tín nhiệm thấp) có từ 2/3 trở lên tổng số phiếu "
    "thu về đánh giá tín nhiệm thấp; theo Quy định 96-QĐ/TW, cấp có thẩm quyền xem xét, thực "
    "hiện quy trình miễn nhiệm theo Quy định 41-QĐ/TW.",
    "mã hóa ngay trên máy tính bảng",
    "mã hóa đồng cấu",
    "ít nhất 3 trong số 5 thành viên Ban kiểm phiếu",
    f"ballot verify {RECORD_URL}",
    "Việc kiểm phiếu kết thúc vào lúc 09 giờ 45 phút, cùng ngày.",
    "T/M BAN KIỂM PHIẾU TRƯỞNG BAN",
    "CÁC ỦY VIÊN BAN KIỂM PHIẾU",
    "Biên bản lập thành 02 bản có giá trị như nhau.",
    "PHỤ LỤC HƯỚNG DẪN KIỂM TRA KẾT QUẢ KIỂM PHIẾU",
    "(Ký, ghi rõ họ tên)",
    "Ủy viên Ban Thường vụ",
    "tín nhiệm thấp",
    "Phượng",
    "Trần Thị Kim Phượng",
    *MEMBERS,
]


def _text(kind: str, ctx=None) -> str:
    ctx = ctx or make_minutes()
    if kind == "pdf":
        return " ".join(pdf_pages(render_minutes_pdf(ctx)))
    return docx_text(render_minutes_docx(ctx))


@pytest.fixture(scope="module", params=["pdf", "docx"])
def text(request) -> str:
    return _text(request.param)


@pytest.mark.parametrize("row", EXPECTED_ROWS)
def test_each_subject_row_reads_with_counts_and_shares_of_received(text, row) -> None:
    assert row in text


@pytest.mark.parametrize("phrase", EXPECTED_PHRASES)
def test_header_turnout_flags_method_and_signatures(text, phrase) -> None:
    assert phrase in text


def test_fingerprint_is_printed_in_groups_of_four(text) -> None:
    groups = [FINGERPRINT[i : i + 4].upper() for i in range(0, 64, 4)]  # the one written form
    assert " ".join(groups[:8]) in text and " ".join(groups[8:]) in text


def test_text_is_nfc(text) -> None:
    assert unicodedata.normalize("NFC", text) == text


def test_pdf_and_docx_give_the_same_figures() -> None:
    figures = re.compile(r"\d+(?:,\d+)?%?")
    pdf = re.sub(r"Trang \d+/\d+", "", _text("pdf"))
    docx = re.sub(r"Trang \d+/\d+", "", _text("docx"))
    assert figures.findall(pdf) == figures.findall(docx)


def test_no_threshold_reached_is_said_in_words() -> None:
    ctx = make_minutes()
    calm = tuple(
        s.__class__(s.no, s.full_name, s.position, s.high + s.low, s.normal, 0, s.invalid)
        for s in ctx.subjects
    )
    for kind in ("pdf", "docx"):
        text = _text(kind, make_minutes(subjects=calm))
        assert (
            "Không có đồng chí nào có trên 1/2 tổng số phiếu thu về đánh giá tín nhiệm thấp"
        ) in text
        assert "miễn nhiệm" not in text


def test_above_two_thirds_reading_changes_the_wording() -> None:
    ctx = make_minutes(thresholds=Thresholds(dismiss=Bound(2, 3, inclusive=False)))
    text = _text("pdf", ctx)
    assert "(70,59% phiếu tín nhiệm thấp) có trên 2/3 tổng số phiếu thu về" in text
    assert "(58,82% phiếu tín nhiệm thấp) có trên 1/2 đến 2/3 tổng số phiếu thu về" in text


def test_pdf_pages_are_numbered_from_page_two() -> None:
    pages = pdf_pages(render_minutes_pdf(make_minutes()))
    assert len(pages) >= 3  # the minutes, then the annex on a page of its own
    assert "Trang 1/" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Trang {number}/{len(pages)}" in page
    assert pages[-1].split(" ", 2)[2].startswith("PHỤ LỤC")  # after "Trang x/y"


def test_pdf_embeds_the_bundled_font_only() -> None:
    reader = PdfReader(io.BytesIO(render_minutes_pdf(make_minutes())))
    seen = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"]  # an embedded TrueType subset
            assert "/ToUnicode" in font  # so text can be searched and copied
            seen.add(str(font["/BaseFont"]).split("+")[-1])
    assert seen == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}


def test_pdf_is_a4_and_reproducible() -> None:
    first = render_minutes_pdf(make_minutes())
    assert first == render_minutes_pdf(make_minutes())  # the record can be printed again
    box = PdfReader(io.BytesIO(first)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_docx_page_fonts_and_footer_follow_decree_30() -> None:
    doc = DocxFile(io.BytesIO(render_minutes_docx(make_minutes())))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    sides = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    margins = [round(m.mm) for m in sides if m is not None]
    assert len(margins) == 4
    assert 20 <= margins[0] <= 25 and 20 <= margins[1] <= 25
    assert 30 <= margins[2] <= 35 and 15 <= margins[3] <= 20
    normal = doc.styles["Normal"]
    assert Pt(13) <= normal.font.size <= Pt(14)
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(qn(f"w:{slot}")) == "Times New Roman"
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert footer.text.startswith("Trang ") and instructions == ["PAGE", "NUMPAGES"]
    # page 1 has its own footer, empty: numbers start on page 2 as in the PDF
    assert section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text == ""
    assert len(doc.inline_shapes) == 1  # the QR code of the record


def test_no_percentage_can_wrap_in_its_column() -> None:
    from ballot.minutes.blocks import TABLE_PT
    from ballot.minutes.compose import RESULT_WIDTHS
    from ballot.minutes.fonts import text_width_mm

    padding_mm = 2 * 2 * 25.4 / 72  # 2 pt each side in both renderers
    for column in (4, 6, 8):  # the three "Tỷ lệ" columns
        assert text_width_mm("100,00%", TABLE_PT) + padding_mm < RESULT_WIDTHS[column]
    assert text_width_mm("Không", TABLE_PT, bold=True) + padding_mm < RESULT_WIDTHS[-1]
    assert text_width_mm("phiếu", TABLE_PT, bold=True) + padding_mm < RESULT_WIDTHS[3]
    assert sum(RESULT_WIDTHS) == 165.0


def test_title_lines_are_balanced_and_leave_no_word_alone() -> None:
    from ballot.minutes.compose import title_lines

    lines = title_lines(
        "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII tại Hội nghị "
        "Ban Chấp hành Đảng bộ Khối lần thứ 17"
    )
    assert len(lines) == 2 and all(len(line.split()) >= 4 for line in lines)
    assert lines[-1].endswith("lần thứ 17")
    short = title_lines("Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII")
    assert short[-1] != "VIII" and abs(len(short[0]) - len(short[-1])) < 25


def test_the_last_page_of_the_minutes_holds_more_than_the_signatures() -> None:
    pages = pdf_pages(render_minutes_pdf(make_minutes()))
    last = next(p for p in reversed(pages) if "(Ký, ghi rõ họ tên)" in p)
    assert "Việc kiểm phiếu kết thúc vào lúc" in last and "4. Mã băm cuối" in last
    assert pages.index(last) == len(pages) - 2  # then the annex on its own page
