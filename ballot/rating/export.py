"""The year as plain rows, written to XLSX in the import's own columns (so it round-trips)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ballot.db import db
from ballot.i18n import vn_date, vn_number, vn_percent
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import (
    Unit,
    basic_id_of_unit,
    member_rating_join,
    member_unit_id,
    members_of_year,
)
from ballot.rating.rules import DISCIPLINE_LABELS, LEVEL_LABELS
from ballot.rating.sheets import HEADERS, header_label
from ballot.rating.targets import YearTargets


def _text(value: object) -> str:
    return "" if value is None else str(value)


def year_rows(year: RatingYear, only_pending: bool = False) -> list[dict[str, str]]:
    """Return one row per member of the year, then one per basic organisation (plain strings)."""
    basic = aliased(Organisation, name="basic")
    query = (
        select(
            Member.code,
            Member.full_name,
            basic.code,
            Unit.code,
            Unit.kind,
            Rating.self_score,
            Rating.self_level,
            Rating.proposed_level,
            Rating.score,
            Rating.level,
            Rating.discipline,
            Rating.not_rated,
            Rating.not_rated_on,
        )
        .select_from(Member)
        .outerjoin(Rating, member_rating_join(year))
        .join(Unit, member_unit_id() == Unit.id)
        .join(basic, basic.id == basic_id_of_unit())
        .where(members_of_year())
        .order_by(Member.code)
    )
    if only_pending:
        query = query.where(Rating.level.is_(None), Rating.not_rated.is_(None))
    labels = {e.code: str(e.label) for e in year.rules.exclusions}
    rows = []
    for (
        code,
        name,
        basic_code,
        unit_code,
        unit_kind,
        self_score,
        self_level,
        proposed,
        score,
        level,
        discipline,
        not_rated,
        not_rated_on,
    ) in db.session.execute(query):
        rows.append(
            {
                "member_code": code,
                "full_name": name,
                "organisation": basic_code,
                "cell": unit_code if unit_kind == OrgKind.CELL else "",
                "year": str(year.year),
                "self_score": _text(self_score),
                "self_level": _text(LEVEL_LABELS[self_level]) if self_level else "",
                "proposed_level": _text(LEVEL_LABELS[proposed]) if proposed else "",
                "score": _text(score),
                "level": _text(LEVEL_LABELS[level]) if level else "",
                "discipline": _text(DISCIPLINE_LABELS[discipline]) if discipline else "",
                "reason": "",
                "not_rated": labels.get(not_rated, "") if not_rated else "",
                "not_rated_on": vn_date(not_rated_on) if not_rated_on else "",
            }
        )
    org_query = (
        select(
            Organisation.code,
            Organisation.name,
            Rating.self_score,
            Rating.self_level,
            Rating.proposed_level,
            Rating.score,
            Rating.level,
            Rating.not_rated,
            Rating.not_rated_on,
        )
        .outerjoin(
            Rating, (Rating.organisation_id == Organisation.id) & (Rating.year_id == year.id)
        )
        .where(Organisation.kind == OrgKind.BASIC)
        .order_by(Organisation.code)
    )
    if only_pending:
        org_query = org_query.where(Rating.level.is_(None), Rating.not_rated.is_(None))
    for (
        code,
        _name,
        self_score,
        self_level,
        proposed,
        score,
        level,
        not_rated,
        not_rated_on,
    ) in db.session.execute(org_query):
        rows.append(
            {
                "member_code": "",
                "full_name": "",
                "organisation": code,
                "cell": "",
                "year": str(year.year),
                "self_score": _text(self_score),
                "self_level": _text(LEVEL_LABELS[self_level]) if self_level else "",
                "proposed_level": _text(LEVEL_LABELS[proposed]) if proposed else "",
                "score": _text(score),
                "level": _text(LEVEL_LABELS[level]) if level else "",
                "discipline": "",
                "reason": "",
                "not_rated": labels.get(not_rated, "") if not_rated else "",
                "not_rated_on": vn_date(not_rated_on) if not_rated_on else "",
            }
        )
    return rows


def rows_to_xlsx(
    rows: Iterable[dict[str, str]], title: str, targets: YearTargets | None = None
) -> bytes:
    """Write rows in the import's columns; add a sheet with the targets when given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet  # nosec B101
    sheet.title = title[:31]
    sheet.append([header_label(key) for key in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3121A")
    for row in rows:
        sheet.append([row[key] for key in HEADERS])
    widths = {
        "member_code": 12,
        "full_name": 28,
        "organisation": 14,
        "cell": 14,
        "year": 7,
        "self_score": 10,
        "self_level": 28,
        "proposed_level": 28,
        "score": 8,
        "level": 30,
        "discipline": 12,
        "reason": 40,
        "not_rated": 30,
        "not_rated_on": 14,
    }
    for index, key in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = widths[key]
    sheet.freeze_panes = "A2"
    if targets is not None:
        summary = workbook.create_sheet(_("Chỉ tiêu")[:31])
        summary.append(
            [
                _("Chỉ tiêu"),
                _("Đạt"),
                _("Tổng số"),
                _("Tỷ lệ"),
                _("Yêu cầu"),
                _("Kết quả"),
                _("Chưa xếp loại"),
            ]
        )
        for cell in summary[1]:
            cell.font = Font(bold=True)
        for result in targets.results:
            summary.append(
                [
                    str(result.target.label),
                    vn_number(result.numerator),
                    vn_number(result.denominator),
                    vn_percent(result.numerator, result.denominator),
                    result.target.goal_text,
                    _("Đạt") if result.met else _("Chưa đạt"),
                    vn_number(result.pending),
                ]
            )
        summary.column_dimensions["A"].width = 52
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
