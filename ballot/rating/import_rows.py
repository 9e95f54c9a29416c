"""Reading the rows of a ratings file: each row parsed, its subject found, and the checks a
row can see on its own (discipline, low confidence, recorded facts, the score) run; the
whole file's report. Applying the rows is `imports`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from ballot.db import db, utcnow
from ballot.localtime import local_date
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.checks import SubjectFacts, check_subject
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import Unit, basic_id_of_unit
from ballot.rating.rules import (
    DISCIPLINE_LABELS,
    LEVEL_LABELS,
    LEVEL_SHORT,
    Discipline,
    Level,
    SubjectKind,
)
from ballot.rating.sheets import SheetRow, fold, header_label

_LEVEL_WORDS = {
    fold(str(w)): lv for lv in Level for w in (lv.value, LEVEL_LABELS[lv], LEVEL_SHORT[lv])
}
_DISCIPLINE_WORDS = {fold(str(w)): d for d in Discipline for w in (d.value, DISCIPLINE_LABELS[d])}
_NO_DISCIPLINE = {"", "khong", "none", "-", "—"}


@dataclass(frozen=True)
class RowError:
    line: int | None
    message: str


@dataclass
class ImportReport:
    """What an import found and did. Nothing was written unless `applied`."""

    filename: str
    year: int
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    re_rated: int = 0
    unchanged: int = 0
    organisations: int = 0
    not_rated: int = 0
    overrides: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_error(self) -> bool:
        """True when the file itself could not be read (a 400 on the web)."""
        return any(e.line is None for e in self.errors)

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(RowError(line, message))

    def row_error(self, line: int, message: str) -> None:
        self.error(line, _("Dòng %(line)s: %(message)s", line=line, message=message))


@dataclass
class Planned:
    """A row that reads well, ready to apply."""

    line: int
    kind: SubjectKind
    subject: Member | Organisation
    basic_id: int | None
    level: Level | None
    score: Decimal | None
    discipline: Discipline | None
    self_score: Decimal | None
    self_level: Level | None
    proposed_level: Level | None
    reason: str
    existing: Rating | None
    not_rated: str | None = None
    not_rated_on: date | None = None
    cap_override: bool = False


def _parse_level(text: str) -> Level | None:
    return _LEVEL_WORDS.get(fold(text))


def _parse_score(text: str) -> Decimal:
    cleaned = text.replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _parse_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def vn_today() -> date:
    """Today's date in Vietnam (the date a "không xếp loại" is recorded by default)."""
    return local_date(utcnow())


class Directory:
    """Members, organisations and existing ratings, loaded once for the whole file."""

    def __init__(self, year: RatingYear) -> None:
        basic_id = basic_id_of_unit()
        self.members: dict[str, tuple[Member, int]] = {
            member.code: (member, bid)
            for member, bid in db.session.execute(
                select(Member, basic_id).join(Unit, Member.organisation_id == Unit.id)
            )
        }
        self.orgs = {o.id: o for o in db.session.scalars(select(Organisation))}
        self.basic_by_key: dict[str, int] = {}
        for oid, org in self.orgs.items():
            if org.kind == OrgKind.BASIC:
                self.basic_by_key[fold(org.code)] = oid
                self.basic_by_key.setdefault(fold(org.name), oid)
        self.ratings: dict[tuple[SubjectKind, int], Rating] = {}
        for rating in db.session.scalars(select(Rating).where(Rating.year_id == year.id)):
            self.ratings[(rating.kind, rating.member_id or rating.organisation_id or 0)] = rating
        #: (kind, subject id) -> the first line naming it in the file.
        self.seen: dict[tuple[SubjectKind, int], int] = {}

    def org_matches(self, oid: int | None, text: str) -> bool:
        org = self.orgs.get(oid) if oid is not None else None
        return org is not None and fold(text) in (fold(org.code), fold(org.name))

    def name(self, oid: int | None) -> str:
        org = self.orgs.get(oid) if oid is not None else None
        return org.name if org is not None else "—"


def plan_row(
    year: RatingYear,
    row: SheetRow,
    directory: Directory,
    report: ImportReport,
    low_confidence: Mapping[int, Fraction],
) -> Planned | None:
    v, line = row.values, row.line
    errors_before = len(report.errors)

    def err(message: str) -> None:
        report.row_error(line, message)

    if v.get("year") and v["year"] != str(year.year):
        err(_("ghi năm %(found)s, không phải năm %(year)s.", found=v["year"], year=year.year))
    not_rated, not_rated_on = None, None
    if v.get("not_rated"):
        found = [
            e
            for e in year.rules.exclusions
            if fold(v["not_rated"]) in (fold(e.code), fold(str(e.label)))
        ]
        if not found:
            err(
                _(
                    "lý do không xếp loại «%(value)s» không có trong %(rules)s (ghi một trong: %(choices)s).",
                    value=v["not_rated"],
                    rules=year.rules.title,
                    choices="; ".join(str(e.label) for e in year.rules.exclusions),
                )
            )
        else:
            not_rated = found[0].code
        not_rated_on = _parse_date(v["not_rated_on"]) if v.get("not_rated_on") else vn_today()
        if not_rated_on is None:
            err(
                _("ngày «%(value)s» không đọc được (ghi dạng 31/12/2023).", value=v["not_rated_on"])
            )
        if v.get("level"):
            err(
                _(
                    "dòng không xếp loại thì để trống cột «%(column)s».",
                    column=header_label("level"),
                )
            )
    level = _parse_level(v.get("level", "")) if v.get("level") else None
    if v.get("level") and level is None:
        err(
            _(
                "xếp loại «%(value)s» không hợp lệ (ghi một trong: %(choices)s).",
                value=v["level"],
                choices=", ".join(LEVEL_SHORT.values()),
            )
        )
    elif not v.get("level") and not v.get("not_rated"):
        err(_("chưa ghi xếp loại."))
    elif level is not None and level not in year.rules.levels:
        err(_("mức xếp loại không có trong %(rules)s.", rules=year.rules.title))
    scores: dict[str, Decimal | None] = {}
    maximum = year.rules.score_scale.maximum if year.rules.score_scale else Decimal(100)
    for key in ("score", "self_score"):
        scores[key] = None
        if v.get(key):
            try:
                scores[key] = _parse_score(v[key])
            except (InvalidOperation, ValueError):
                err(_("điểm «%(value)s» không phải là số.", value=v[key]))
                continue
            value = scores[key]
            if value is not None and not Decimal(0) <= value <= maximum:
                err(_("điểm %(value)s ngoài khoảng 0–%(max)s.", value=v[key], max=maximum))
    side_levels: dict[str, Level | None] = {}
    for key in ("self_level", "proposed_level"):
        side_levels[key] = _parse_level(v[key]) if v.get(key) else None
        if v.get(key) and side_levels[key] is None:
            err(
                _(
                    "cột «%(column)s» ghi «%(value)s», không phải một mức xếp loại.",
                    column=header_label(key),
                    value=v[key],
                )
            )
    discipline: Discipline | None = None
    if fold(v.get("discipline", "")) not in _NO_DISCIPLINE:
        discipline = _DISCIPLINE_WORDS.get(fold(v["discipline"]))
        if discipline is None:
            err(
                _(
                    "hình thức kỷ luật «%(value)s» không đọc được (ghi một trong: %(choices)s).",
                    value=v["discipline"],
                    choices=", ".join(str(label).lower() for label in DISCIPLINE_LABELS.values()),
                )
            )

    kind, subject, basic_id = _subject(v, directory, err)
    if kind is None or subject is None:
        return None
    subject_key = (kind, subject.id)
    if subject_key in directory.seen:
        err(
            _(
                "trùng với dòng %(first)s (cùng một %(who)s).",
                first=directory.seen[subject_key],
                who=_("đảng viên") if kind == SubjectKind.MEMBER else _("tổ chức"),
            )
        )
        return None
    directory.seen[subject_key] = line
    if len(report.errors) > errors_before:
        return None
    if kind == SubjectKind.ORGANISATION and discipline is not None:
        err(_("hình thức kỷ luật chỉ ghi cho đảng viên."))
        return None
    existing = directory.ratings.get(subject_key)
    reason = v.get("reason", "").strip()
    score = scores["score"]
    if level is not None and not reason:
        facts = SubjectFacts(
            kind,
            level,
            score,
            discipline,
            tuple(existing.trigger_codes) if existing is not None else (),
            low_confidence.get(subject.id) if kind == SubjectKind.MEMBER else None,
        )
        findings = check_subject(year.rules, facts)
        if findings:
            err(
                " ".join(f.message for f in findings)
                + " "
                + _(
                    "Sửa xếp loại hoặc ghi lý do ở cột «%(column)s».", column=header_label("reason")
                )
            )
            return None
    if (
        existing is not None
        and existing.decided
        and (existing.level, existing.score) != (level, score)
        and not reason
    ):
        err(
            _(
                "đã có quyết định xếp loại %(old)s; muốn đổi phải ghi lý do đánh giá lại ở cột «%(column)s».",
                old=LEVEL_LABELS[existing.level] if existing.level else "",
                column=header_label("reason"),
            )
        )
        return None
    return Planned(
        line,
        kind,
        subject,
        basic_id,
        level,
        score,
        discipline,
        scores["self_score"],
        side_levels["self_level"],
        side_levels["proposed_level"],
        reason,
        existing,
        not_rated,
        not_rated_on,
    )


def _subject(v: dict[str, str], directory: Directory, err):  # type: ignore[no-untyped-def]
    """Find the member or basic organisation a row is about; report mismatches through `err`."""
    code = v.get("member_code", "")
    if code:
        found = directory.members.get(code)
        if found is None:
            err(_("không có đảng viên mã «%(code)s».", code=code))
            return None, None, None
        member, basic_id = found
        if v.get("full_name") and fold(v["full_name"]) != fold(member.full_name):
            err(
                _(
                    "họ tên «%(given)s» không khớp với đảng viên %(code)s (%(name)s).",
                    given=v["full_name"],
                    code=code,
                    name=member.full_name,
                )
            )
        if v.get("organisation") and not directory.org_matches(basic_id, v["organisation"]):
            err(
                _(
                    "đảng viên %(code)s thuộc %(org)s, không phải «%(given)s».",
                    code=code,
                    org=directory.name(basic_id),
                    given=v["organisation"],
                )
            )
        unit_id = member.organisation_id
        if v.get("cell") and unit_id != basic_id and not directory.org_matches(unit_id, v["cell"]):
            err(
                _(
                    "đảng viên %(code)s sinh hoạt ở %(cell)s, không phải «%(given)s».",
                    code=code,
                    cell=directory.name(unit_id),
                    given=v["cell"],
                )
            )
        return SubjectKind.MEMBER, member, basic_id
    org_text = v.get("organisation", "")
    if not org_text:
        err(_("thiếu mã đảng viên (hoặc tên tổ chức cơ sở đảng cho dòng xếp loại tổ chức)."))
        return None, None, None
    oid = directory.basic_by_key.get(fold(org_text))
    if oid is None:
        err(_("không có tổ chức cơ sở đảng «%(org)s».", org=org_text))
        return None, None, None
    if v.get("cell"):
        err(_("dòng xếp loại tổ chức không ghi chi bộ; dòng đảng viên phải có mã đảng viên."))
        return None, None, None
    return SubjectKind.ORGANISATION, directory.orgs[oid], None
