"""The year's rating report as a PDF, drawn from plain data (never live ORM objects)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape  # escapes our output, parses nothing  # nosec B406

from flask_babel import gettext as _
from sqlalchemy import select

from ballot.db import db
from ballot.i18n import vn_number, vn_percent
from ballot.org import numbering
from ballot.org.models import Organisation, OrgKind
from ballot.rating.findings import YearFinding
from ballot.rating.models import RatingYear
from ballot.rating.rules import LEVEL_LABELS, Level
from ballot.rating.targets import YearTargets, units_pulling_down


@dataclass(frozen=True)
class TargetLine:
    label: str
    numerator: int
    denominator: int
    goal: str
    met: bool
    pending: int
    excluded: int = 0


@dataclass(frozen=True)
class UnitLine:
    code: str
    name: str
    own_level: str
    members: int
    good_or_above: int
    pending: int


@dataclass(frozen=True)
class ReportData:
    organisation: str  #: the issuing organ as headed ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN ...")
    superior: str
    place: str
    year: int
    rule_set: str
    printed_on: date
    targets: list[TargetLine]
    members: dict[str, int]
    organisations: dict[str, int]
    weak_units: list[UnitLine]
    open_findings: int
    overridden_findings: int
    number: str = ""  #: "Số 01-BC/ĐUK" from the organ's register


def report_data(
    year: RatingYear, figures: YearTargets, findings: list[YearFinding], printed_on: date
) -> ReportData:
    """Turn the year's figures into the plain data the report is drawn from."""
    root = db.session.scalar(select(Organisation).where(Organisation.kind == OrgKind.COMMITTEE))
    weak: dict[str, UnitLine] = {}
    for result in figures.results:
        for unit in units_pulling_down(figures, result.target):
            weak.setdefault(
                unit.code,
                UnitLine(
                    unit.code,
                    unit.name,
                    str(LEVEL_LABELS[unit.own_level]) if unit.own_level else _("Chưa xếp loại"),
                    unit.members.total,
                    unit.members.at_least(Level.GOOD),
                    unit.members.pending,
                ),
            )
    number = ""
    if root is not None:  # the report's number from the organ's register (Hướng dẫn 36)
        number = numbering.take(
            root, printed_on.year, numbering.REPORT, f"rating:{year.year}"
        ).label
    return ReportData(
        organisation=(root.header_name or root.name) if root else "",
        superior=(root.superior_name or "") if root else "",
        place=(root.place or "") if root else "",
        year=year.year,
        rule_set=year.rules.label,
        printed_on=printed_on,
        targets=[
            TargetLine(
                str(r.target.label),
                r.numerator,
                r.denominator,
                r.target.goal_text,
                r.met,
                r.pending,
                r.excluded_total,
            )
            for r in figures.results
        ],
        members=dict(figures.members.bars()),
        organisations=dict(figures.organisations.bars()),
        weak_units=sorted(weak.values(), key=lambda u: u.code),
        open_findings=sum(not f.overridden for f in findings),
        overridden_findings=sum(f.overridden for f in findings),
        number=number,
    )


def _font() -> tuple[str, str]:
    """Return (regular, bold) font names able to print Vietnamese (the minutes' fonts)."""
    from ballot.minutes import fonts

    fonts.register()
    return fonts.face(), fonts.face(bold=True)


def _heading(data: ReportData, width: float) -> object:
    """The party-format heading (the minutes' own), with the number and the date in words."""
    from ballot.minutes.blocks import Header
    from ballot.minutes.pdf import party_heading
    from ballot.minutes.text import place_and_date

    return party_heading(
        Header(
            superior_name=data.superior.upper(),
            name=data.organisation.upper(),
            document_number=data.number,
            national_heading="ĐẢNG CỘNG SẢN VIỆT NAM",
            place_and_date=place_and_date(data.place, data.printed_on),
        ),
        width,
    )


def render_report(data: ReportData) -> bytes:
    """Draw the report: header, targets 6 and 7, the distributions, the units pulling down."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _font()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12)
    title = ParagraphStyle(
        "title",
        parent=body,
        fontName=bold,
        fontSize=14,
        leading=18,
        alignment=1,
        spaceBefore=10,
        spaceAfter=4,
    )
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, spaceBefore=10, spaceAfter=4)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), regular, 10),
            ("FONT", (0, 0), (-1, 0), bold, 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e4e4")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    )
    story = [
        _heading(data, A4[0] - 35 * mm),
        Spacer(1, 6 * mm),
        p(_("BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM %(year)s", year=data.year), title),
        p(
            _("Thực hiện theo %(rules)s.", rules=data.rule_set),
            ParagraphStyle("c", parent=body, alignment=1),
        ),
        p(_("1. Chỉ tiêu 6 và 7 của Nghị quyết"), h2),
    ]
    rows = [[p(_("Chỉ tiêu"), small), _("Đạt / Tổng số"), _("Tỷ lệ"), _("Yêu cầu"), _("Kết quả")]]
    for t in data.targets:
        rows.append(
            [
                p(t.label, small),
                f"{vn_number(t.numerator)}/{vn_number(t.denominator)}",
                vn_percent(t.numerator, t.denominator),
                t.goal,
                _("Đạt") if t.met else _("Chưa đạt"),
            ]
        )
    table = Table(rows, colWidths=[70 * mm, 32 * mm, 22 * mm, 20 * mm, 22 * mm])
    table.setStyle(grid)
    story += [table, Spacer(1, 4)]
    pending = [t for t in data.targets if t.pending]
    for t in pending:
        story.append(
            p(
                _(
                    "%(label)s: %(n)s chưa xếp loại, vẫn tính vào tổng số.",
                    label=t.label,
                    n=vn_number(t.pending),
                ),
                small,
            )
        )

    for t in data.targets:
        if t.excluded:
            story.append(
                p(
                    _(
                        "%(label)s: %(n)s không xếp loại, không tính vào tổng số.",
                        label=t.label,
                        n=vn_number(t.excluded),
                    ),
                    small,
                )
            )

    story.append(p(_("2. Kết quả xếp loại"), h2))
    keys = [lv.value for lv in Level] + ["pending"]
    labels = [str(LEVEL_LABELS[lv]) for lv in Level] + [_("Chưa xếp loại")]
    dist = [
        [
            p(_("Mức"), small),
            p(_("Đảng viên"), small),
            p(_("Tỷ lệ"), small),
            p(_("Tổ chức cơ sở đảng"), small),
            p(_("Tỷ lệ"), small),
        ]
    ]
    m_total, o_total = sum(data.members.values()), sum(data.organisations.values())
    for key, label in zip(keys, labels, strict=True):
        dist.append(
            [
                p(label, small),
                vn_number(data.members.get(key, 0)),
                vn_percent(data.members.get(key, 0), m_total),
                vn_number(data.organisations.get(key, 0)),
                vn_percent(data.organisations.get(key, 0), o_total),
            ]
        )
    dist.append([p(_("Tổng số"), small), vn_number(m_total), "", vn_number(o_total), ""])
    table = Table(dist, colWidths=[62 * mm, 26 * mm, 22 * mm, 34 * mm, 22 * mm])
    table.setStyle(grid)
    story.append(table)

    if data.weak_units:
        story.append(p(_("3. Tổ chức cơ sở đảng kéo tỷ lệ xuống"), h2))
        rows = [
            [
                _("Mã"),
                p(_("Tổ chức cơ sở đảng"), small),
                p(_("Xếp loại tổ chức"), small),
                _("HTT trở lên"),
                _("Chưa XL"),
            ]
        ]
        for u in data.weak_units:
            rows.append(
                [
                    u.code,
                    p(u.name, small),
                    p(u.own_level, small),
                    f"{vn_number(u.good_or_above)}/{vn_number(u.members)} "
                    f"({vn_percent(u.good_or_above, u.members)})",
                    vn_number(u.pending),
                ]
            )
        table = Table(rows, colWidths=[16 * mm, 62 * mm, 40 * mm, 40 * mm, 18 * mm], repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    story.append(p(_("4. Kiểm tra"), h2))
    story.append(
        p(
            _(
                "%(open)s trường hợp chưa xử lý; %(over)s trường hợp được chấp nhận có ghi lý do.",
                open=vn_number(data.open_findings),
                over=vn_number(data.overridden_findings),
            )
        )
    )

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Báo cáo xếp loại chất lượng năm %(year)s", year=data.year),
        author=data.organisation,
    )
    doc.build(story)
    return out.getvalue()
