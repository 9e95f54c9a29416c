"""Import a year's ratings from XLSX or CSV: all rows or none, every bad row named.

(The module is `imports`, not `import`: a keyword cannot be imported by name.)

Each row is the competent committee's decision on a member (a row with a member code) or on
a basic organisation (a row with no member code). The whole file is checked first; when any
row is wrong, nothing is written and the report lists each bad line with its reason. A row
that trips a check (discipline, low confidence, a score that disagrees, the cap) or that
changes a rating already decided is accepted only with a reason in the "Lý do" column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from ballot.auth.models import User
from ballot.db import db, utcnow
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating.checks import CapGroup, CheckCode, SubjectFacts, check_cap, check_subject
from ballot.rating.models import Rating, RatingOverride, RatingTrigger, RatingYear
from ballot.rating.queries import Unit, basic_id_of_unit
from ballot.rating.rules import (
    DISCIPLINE_LABELS,
    LEVEL_LABELS,
    LEVEL_SHORT,
    Discipline,
    Level,
    SubjectKind,
)
from ballot.rating.sheets import SheetError, SheetRow, fold, header_label, read_rows

_LEVEL_WORDS = {
    fold(str(w)): lv for lv in Level for w in (lv.value, LEVEL_LABELS[lv], LEVEL_SHORT[lv])
}
_DISCIPLINE_WORDS = {fold(str(w)): d for d in Discipline for w in (d.value, DISCIPLINE_LABELS[d])}
_NO_DISCIPLINE = {"", "khong", "none", "-", "—"}
#: The cap group of the basic organisations themselves (other groups are keyed by basic organisation id).
_ORGS = -1


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
    overrides: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(RowError(line, message))


@dataclass
class _Planned:
    """A valid row, ready to write."""

    line: int
    kind: SubjectKind
    subject_id: int
    basic_id: int | None
    level: Level
    score: Decimal | None
    discipline: Discipline | None
    self_score: Decimal | None
    self_level: Level | None
    proposed_level: Level | None
    reason: str
    existing: Rating | None
    overrides: list[CheckCode] = field(default_factory=list)


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


class _Directory:
    """Members, organisations and existing ratings, loaded once for the whole file."""

    def __init__(self, year: RatingYear) -> None:
        basic_id = basic_id_of_unit()
        self.members = {
            code: (mid, name, unit_id, bid)
            for code, mid, name, unit_id, bid in db.session.execute(
                select(Member.code, Member.id, Member.full_name, Member.organisation_id, basic_id)
                .select_from(Member)
                .join(Unit, Member.organisation_id == Unit.id)
            )
        }
        self.orgs = {
            oid: (code, name, kind)
            for oid, code, name, kind in db.session.execute(
                select(Organisation.id, Organisation.code, Organisation.name, Organisation.kind)
            )
        }
        self.basic_by_key: dict[str, int] = {}
        for oid, (code, name, kind) in self.orgs.items():
            if kind == OrgKind.BASIC:
                self.basic_by_key[fold(code)] = oid
                self.basic_by_key.setdefault(fold(name), oid)
        self.ratings_by_member: dict[int, Rating] = {}
        self.ratings_by_org: dict[int, Rating] = {}
        for rating in db.session.scalars(select(Rating).where(Rating.year_id == year.id)):
            if rating.member_id is not None:
                self.ratings_by_member[rating.member_id] = rating
            elif rating.organisation_id is not None:
                self.ratings_by_org[rating.organisation_id] = rating
        self.triggers: dict[int, tuple[str, ...]] = defaultdict(tuple)
        for rating_id, code in db.session.execute(
            select(RatingTrigger.rating_id, RatingTrigger.code)
            .join(Rating)
            .where(Rating.year_id == year.id)
        ):
            self.triggers[rating_id] += (code,)

    def org_matches(self, oid: int | None, text: str) -> bool:
        if oid is None or oid not in self.orgs:
            return False
        code, name, _kind = self.orgs[oid]
        return fold(text) in (fold(code), fold(name))


def import_ratings(
    year: RatingYear,
    data: bytes,
    filename: str,
    *,
    by: User | None,
    dry_run: bool,
    low_confidence: Mapping[int, Fraction],
) -> ImportReport:
    """Check a file of decided ratings and, unless `dry_run` or any row is wrong, record it all."""
    report = ImportReport(filename=filename, year=year.year)
    try:
        columns, rows = read_rows(data, filename)
    except SheetError as exc:
        report.error(None, str(exc))
        return report
    report.rows = len(rows)
    if "level" not in columns:
        report.error(1, _("Thiếu cột «%(column)s».", column=header_label("level")))
    if "member_code" not in columns and "organisation" not in columns:
        report.error(
            1,
            _(
                "Cần cột «%(a)s» (đảng viên) hoặc «%(b)s» (tổ chức cơ sở đảng).",
                a=header_label("member_code"),
                b=header_label("organisation"),
            ),
        )
    if not rows and report.ok:
        report.error(None, _("Tệp không có dòng dữ liệu nào."))
    if not report.ok:
        return report

    directory = _Directory(year)
    planned = [p for row in rows if (p := _plan_row(year, row, directory, report, low_confidence))]
    _check_duplicates(planned, report)
    _check_caps(year, planned, directory, report)
    if report.ok:
        _count(planned, report)
        if not dry_run:
            _apply(year, planned, filename, by, low_confidence)
            report.applied = True
    report.errors.sort(key=lambda e: e.line or 0)
    return report


def _plan_row(
    year: RatingYear,
    row: SheetRow,
    directory: _Directory,
    report: ImportReport,
    low_confidence: Mapping[int, Fraction],
) -> _Planned | None:
    v, line = row.values, row.line
    errors_before = len(report.errors)

    def err(message: str) -> None:
        report.error(line, _("Dòng %(line)s: %(message)s", line=line, message=message))

    if v.get("year") and v["year"] != str(year.year):
        err(_("năm %(found)s, không phải %(year)s.", found=v["year"], year=year.year))
    level = _parse_level(v.get("level", ""))
    if level is None:
        err(
            _(
                "xếp loại «%(value)s» không hợp lệ (ghi một trong: %(choices)s).",
                value=v.get("level", ""),
                choices=", ".join(LEVEL_SHORT.values()),
            )
            if v.get("level")
            else _("thiếu xếp loại.")
        )
    elif level not in year.rules.levels:
        err(_("mức xếp loại không có trong %(rules)s.", rules=year.rules.title))
    scores: dict[str, Decimal | None] = {}
    for key in ("score", "self_score"):
        scores[key] = None
        if v.get(key):
            try:
                scores[key] = _parse_score(v[key])
            except (InvalidOperation, ValueError):
                err(_("điểm «%(value)s» không phải là số.", value=v[key]))
                continue
            maximum = year.rules.score_scale.maximum if year.rules.score_scale else Decimal(100)
            value = scores[key]
            if value is not None and not Decimal(0) <= value <= maximum:
                err(_("điểm %(value)s ngoài khoảng 0–%(max)s.", value=v[key], max=maximum))
    side_levels: dict[str, Level | None] = {}
    for key in ("self_level", "proposed_level"):
        side_levels[key] = _parse_level(v[key]) if v.get(key) else None
        if v.get(key) and side_levels[key] is None:
            err(
                _(
                    "cột «%(column)s»: «%(value)s» không phải mức xếp loại.",
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
                    "hình thức kỷ luật «%(value)s» không hợp lệ (khiển trách, cảnh cáo, cách chức, khai trừ).",
                    value=v["discipline"],
                )
            )

    kind, subject_id, basic_id, existing = _subject(v, directory, err)
    if len(report.errors) > errors_before or level is None or subject_id is None or kind is None:
        return None
    if kind == SubjectKind.ORGANISATION and discipline is not None:
        err(_("hình thức kỷ luật chỉ ghi cho đảng viên."))
        return None

    reason = v.get("reason", "").strip()
    score = scores["score"]
    plan = _Planned(
        line,
        kind,
        subject_id,
        basic_id,
        level,
        score,
        discipline,
        scores["self_score"],
        side_levels["self_level"],
        side_levels["proposed_level"],
        reason,
        existing,
    )
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
    facts = SubjectFacts(
        kind,
        level,
        score,
        discipline,
        directory.triggers[existing.id] if existing is not None else (),
        low_confidence.get(subject_id) if kind == SubjectKind.MEMBER else None,
    )
    findings = check_subject(year.rules, facts)
    if findings and not reason:
        err(
            " ".join(f.message for f in findings)
            + " "
            + _("Sửa xếp loại hoặc ghi lý do ở cột «%(column)s».", column=header_label("reason"))
        )
        return None
    plan.overrides = [f.code for f in findings]
    return plan


def _subject(v: dict[str, str], directory: _Directory, err):  # type: ignore[no-untyped-def]
    """Find the member or basic organisation a row is about; report mismatches through `err`."""
    code = v.get("member_code", "")
    if code:
        found = directory.members.get(code)
        if found is None:
            err(_("không có đảng viên mã «%(code)s».", code=code))
            return None, None, None, None
        mid, name, unit_id, basic_id = found
        if v.get("full_name") and fold(v["full_name"]) != fold(name):
            err(
                _(
                    "họ tên «%(given)s» không khớp với đảng viên %(code)s (%(name)s).",
                    given=v["full_name"],
                    code=code,
                    name=name,
                )
            )
        if v.get("organisation") and not directory.org_matches(basic_id, v["organisation"]):
            err(
                _(
                    "đảng viên %(code)s thuộc %(org)s, không phải «%(given)s».",
                    code=code,
                    org=directory.orgs[basic_id][1] if basic_id in directory.orgs else "—",
                    given=v["organisation"],
                )
            )
        if v.get("cell") and unit_id != basic_id and not directory.org_matches(unit_id, v["cell"]):
            err(
                _(
                    "đảng viên %(code)s sinh hoạt ở %(cell)s, không phải «%(given)s».",
                    code=code,
                    cell=directory.orgs[unit_id][1],
                    given=v["cell"],
                )
            )
        return SubjectKind.MEMBER, mid, basic_id, directory.ratings_by_member.get(mid)
    org_text = v.get("organisation", "")
    if not org_text:
        err(_("thiếu mã đảng viên (hoặc tên tổ chức cơ sở đảng cho dòng xếp loại tổ chức)."))
        return None, None, None, None
    oid = directory.basic_by_key.get(fold(org_text))
    if oid is None:
        err(_("không có tổ chức cơ sở đảng «%(org)s».", org=org_text))
        return None, None, None, None
    if v.get("cell"):
        err(_("dòng xếp loại tổ chức không ghi chi bộ; dòng đảng viên phải có mã đảng viên."))
        return None, None, None, None
    return SubjectKind.ORGANISATION, oid, None, directory.ratings_by_org.get(oid)


def _check_duplicates(planned: list[_Planned], report: ImportReport) -> None:
    seen: dict[tuple[SubjectKind, int], int] = {}
    for plan in planned:
        key = (plan.kind, plan.subject_id)
        if key in seen:
            report.error(
                plan.line,
                _(
                    "Dòng %(line)s: trùng với dòng %(first)s (cùng một người hoặc tổ chức).",
                    line=plan.line,
                    first=seen[key],
                ),
            )
        else:
            seen[key] = plan.line


def _check_caps(
    year: RatingYear, planned: list[_Planned], directory: _Directory, report: ImportReport
) -> None:
    """Check the cap on the final state: decided ratings not in the file, plus the file's levels."""
    in_file = {(p.kind, p.subject_id) for p in planned}
    basic_of = {mid: bid for mid, _name, _unit, bid in directory.members.values()}
    groups: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for mid, rating in directory.ratings_by_member.items():
        if (SubjectKind.MEMBER, mid) not in in_file and rating.level in (
            Level.EXCELLENT,
            Level.GOOD,
        ):
            groups[basic_of.get(mid)][0 if rating.level == Level.EXCELLENT else 1] += 1
    for oid, rating in directory.ratings_by_org.items():
        if (SubjectKind.ORGANISATION, oid) not in in_file and rating.level in (
            Level.EXCELLENT,
            Level.GOOD,
        ):
            groups[_ORGS][0 if rating.level == Level.EXCELLENT else 1] += 1
    excellent_rows: dict[int | None, list[_Planned]] = defaultdict(list)
    for plan in planned:
        key = _ORGS if plan.kind == SubjectKind.ORGANISATION else plan.basic_id
        if plan.level == Level.EXCELLENT:
            groups[key][0] += 1
            excellent_rows[key].append(plan)
        elif plan.level == Level.GOOD:
            groups[key][1] += 1
    outstanding = {oid for oid, r in directory.ratings_by_org.items() if r.outstanding}
    for key, rows in excellent_rows.items():
        excellent, good = groups[key]
        name = (
            _("Các tổ chức cơ sở đảng")
            if key == _ORGS
            else _(
                "Đảng viên của %(unit)s",
                unit=directory.orgs[key][1] if key in directory.orgs else "—",
            )
        )
        finding = check_cap(
            year.rules,
            year.effective_cap_basis,
            CapGroup(excellent, good, key in outstanding),
            name,
        )
        if finding is None:
            continue
        missing = [p.line for p in rows if not p.reason]
        if missing:
            lines = ", ".join(str(n) for n in missing)
            report.error(
                missing[0],
                _(
                    "Dòng %(lines)s: %(message)s Giảm số Hoàn thành xuất sắc hoặc ghi lý do "
                    "ở cột «%(column)s».",
                    lines=lines,
                    message=finding.message,
                    column=header_label("reason"),
                ),
            )
        else:
            for plan in rows:
                plan.overrides.append(CheckCode.CAP)


def _count(planned: list[_Planned], report: ImportReport) -> None:
    for plan in planned:
        existing = plan.existing
        if plan.kind == SubjectKind.ORGANISATION:
            report.organisations += 1
        if existing is None:
            report.new += 1
        elif not existing.decided:
            report.updated += 1
        elif (existing.level, existing.score) != (plan.level, plan.score):
            report.re_rated += 1
        elif existing.discipline != plan.discipline or plan.overrides:
            report.updated += 1
        else:
            report.unchanged += 1
        report.overrides += len(plan.overrides)


def _apply(
    year: RatingYear,
    planned: list[_Planned],
    filename: str,
    by: User | None,
    low_confidence: Mapping[int, Fraction],
) -> None:
    """Write the planned rows: bulk inserts for new ratings, bulk updates for the rest."""
    from ballot.rating.decide import re_rate

    now, by_id, source = (
        utcnow(),
        (by.id if by else None),
        _("Nhập từ tệp %(name)s", name=filename)[:255],
    )

    def decision(plan: _Planned) -> dict[str, object]:
        values: dict[str, object] = {
            "level": plan.level,
            "score": plan.score,
            "discipline": plan.discipline,
            "decided_by_id": by_id,
            "decided_at": now,
            "source": source,
        }
        if plan.self_level is not None or plan.self_score is not None:
            values.update(
                self_level=plan.self_level,
                self_score=plan.self_score,
                self_by_id=by_id,
                self_at=now,
            )
        if plan.proposed_level is not None:
            values.update(proposed_level=plan.proposed_level, proposed_by_id=by_id, proposed_at=now)
        return values

    new_rows, updates, overrides = [], [], []
    for plan in planned:
        existing = plan.existing
        if existing is None:
            row = {
                "year_id": year.id,
                "member_id": None,
                "organisation_id": None,
                "outstanding": False,
                "self_level": None,
                "self_score": None,
                "self_by_id": None,
                "self_at": None,
                "proposed_level": None,
                "proposed_by_id": None,
                "proposed_at": None,
                "created_at": now,
                **decision(plan),
            }
            row["member_id" if plan.kind == SubjectKind.MEMBER else "organisation_id"] = (
                plan.subject_id
            )
            new_rows.append(row)
        elif existing.decided and (existing.level, existing.score) != (plan.level, plan.score):
            existing.discipline = plan.discipline
            re_rate(
                existing,
                level=plan.level,
                score=plan.score,
                reason=plan.reason,
                by=by,
                low_confidence=dict(low_confidence),
            )
        elif existing.decided:
            existing.discipline = plan.discipline
            overrides += [(existing.id, code, plan) for code in plan.overrides]
        else:
            updates.append({"id": existing.id, **decision(plan)})
            overrides += [(existing.id, code, plan) for code in plan.overrides]
    if new_rows:
        db.session.execute(insert(Rating), new_rows)
        ids = dict(
            db.session.execute(
                select(Rating.member_id, Rating.id).where(
                    Rating.year_id == year.id, Rating.member_id.is_not(None)
                )
            ).all()
        )
        org_ids = dict(
            db.session.execute(
                select(Rating.organisation_id, Rating.id).where(
                    Rating.year_id == year.id, Rating.organisation_id.is_not(None)
                )
            ).all()
        )
        for plan in planned:
            if plan.existing is None:
                rid = (ids if plan.kind == SubjectKind.MEMBER else org_ids)[plan.subject_id]
                overrides += [(rid, code, plan) for code in plan.overrides]
    if updates:
        db.session.execute(update(Rating), updates)
    if overrides:
        existing_overrides = set(
            db.session.execute(
                select(RatingOverride.rating_id, RatingOverride.check_code).where(
                    RatingOverride.rating_id.in_({o[0] for o in overrides})
                )
            )
        )
        fresh = [
            {
                "rating_id": rid,
                "check_code": code.value,
                "level": plan.level,
                "reason": plan.reason,
                "by_id": by_id,
                "at": now,
            }
            for rid, code, plan in overrides
            if (rid, code.value) not in existing_overrides
        ]
        for rid, code, plan in overrides:
            if (rid, code.value) in existing_overrides:
                db.session.execute(
                    update(RatingOverride)
                    .where(RatingOverride.rating_id == rid, RatingOverride.check_code == code.value)
                    .values(level=plan.level, reason=plan.reason, by_id=by_id, at=now)
                )
        if fresh:
            db.session.execute(insert(RatingOverride), fresh)
    db.session.flush()
