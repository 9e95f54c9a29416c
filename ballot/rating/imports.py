"""Import a year's ratings from XLSX or CSV: all rows or none, every bad row named.

(The module is `imports`, not `import`: a keyword cannot be imported by name.)

Each row is the competent committee's decision on a member (a row with a member code) or on
a basic organisation (a row with no member code), or a "không xếp loại" with its reason (the
column «Không xếp loại»). The file is read and each row planned first; then every row is
applied through `decide.py` (the same code path as the rating page) inside a savepoint, the
members before the organisations so that each ceiling sees the whole file. When any row is
wrong, the savepoint is rolled back: nothing is written, and the report names each bad line
with its reason in plain Vietnamese. A row that trips a check, or that changes a rating
already decided, is accepted only with a reason in the «Lý do» column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from ballot.auth.models import User
from ballot.db import db
from ballot.rating import decide
from ballot.rating.checks import (
    CapGroup,
    CheckCode,
    Finding,
    check_cap,
)
from ballot.rating.import_rows import Directory, ImportReport, Planned, plan_row
from ballot.rating.models import Rating, RatingYear
from ballot.rating.rules import (
    Level,
    SubjectKind,
)
from ballot.rating.sheets import SheetError, header_label, read_rows

#: A checked decision on an unsaved rating, written in bulk by decide.record_new_decisions
#: (batch.py).
NewDecision = tuple[Rating, Level, Decimal | None, list[Finding], str | None]
#: The cap group of the basic organisations themselves (others are keyed by basic organisation).
_ORGS = -1


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
    if "level" not in columns and "not_rated" not in columns:
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

    directory = Directory(year)
    planned = [p for row in rows if (p := plan_row(year, row, directory, report, low_confidence))]
    _check_caps(year, planned, directory, report)
    if not report.ok:
        report.errors.sort(key=lambda e: e.line or 0)
        return report
    # The ceilings that look at other rows (an organisation's members, its secretary) are
    # checked while applying, in a savepoint that is rolled back on any error or dry run.
    savepoint = db.session.begin_nested()
    _apply(year, planned, filename, by, low_confidence, report)
    if report.ok and not dry_run:
        savepoint.commit()
        report.applied = True
    else:
        savepoint.rollback()
    report.errors.sort(key=lambda e: e.line or 0)
    return report


def _check_caps(
    year: RatingYear, planned: list[Planned], directory: Directory, report: ImportReport
) -> None:
    """Check the cap on the final state: decided ratings not in the file, plus the file's levels."""
    groups: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    member_basic = {m.id: bid for m, bid in directory.members.values()}
    for (kind, sid), rating in directory.ratings.items():
        if (kind, sid) in directory.seen or rating.level not in (Level.EXCELLENT, Level.GOOD):
            continue
        key = _ORGS if kind == SubjectKind.ORGANISATION else member_basic.get(sid)
        groups[key][0 if rating.level == Level.EXCELLENT else 1] += 1
    excellent_rows: dict[int | None, list[Planned]] = defaultdict(list)
    for plan in planned:
        key = _ORGS if plan.kind == SubjectKind.ORGANISATION else plan.basic_id
        if plan.level == Level.EXCELLENT:
            groups[key][0] += 1
            excellent_rows[key].append(plan)
        elif plan.level == Level.GOOD:
            groups[key][1] += 1
    outstanding = {sid for (k, sid), r in directory.ratings.items() if r.outstanding}
    for key, rows in excellent_rows.items():
        excellent, good = groups[key]
        name = (
            _("Các tổ chức cơ sở đảng")
            if key == _ORGS
            else _("Đảng viên của %(unit)s", unit=directory.name(key))
        )
        share = year.cap_share(key in outstanding)
        finding = check_cap(
            year.rules,
            share,
            year.effective_cap_basis,
            CapGroup(excellent, good, key in outstanding),
            name,
        )
        if finding is None:
            continue
        missing = [p.line for p in rows if not p.reason]
        if missing:
            report.error(
                missing[0],
                _(
                    "Dòng %(lines)s: %(message)s Hãy giảm số Hoàn thành xuất sắc nhiệm vụ hoặc "
                    "ghi lý do ở cột «%(column)s».",
                    lines=", ".join(str(n) for n in missing),
                    message=finding.message,
                    column=header_label("reason"),
                ),
            )
        else:
            for plan in rows:
                plan.cap_override = True


def _apply(
    year: RatingYear,
    planned: list[Planned],
    filename: str,
    by: User | None,
    low_confidence: Mapping[int, Fraction],
    report: ImportReport,
) -> None:
    """Apply every row through decide.py: members first, then organisations (whose ceilings
    look at their members and their secretary)."""
    source = _("Nhập từ tệp %(name)s", name=filename)[:255]
    ordered = sorted(planned, key=lambda p: (p.kind == SubjectKind.ORGANISATION, p.line))
    with decide.batch():
        new: list[NewDecision] = []
        members_done = False
        for plan in ordered:
            if plan.kind == SubjectKind.ORGANISATION and not members_done:
                # The organisations' ceilings look at their members: write those first.
                decide.record_new_decisions(new, by, source)
                decide.flush()
                new, members_done = [], True
            try:
                _apply_row(year, plan, source, by, low_confidence, report, new)
            except decide.RatingError as exc:
                report.row_error(plan.line, str(exc))
        if report.ok:
            decide.record_new_decisions(new, by, source)


def _apply_row(
    year: RatingYear,
    plan: Planned,
    source: str,
    by: User | None,
    low_confidence: Mapping[int, Fraction],
    report: ImportReport,
    new: list[NewDecision],
) -> None:
    """Apply one row through decide.py. A decision on a subject with no rating yet is checked
    here on an unsaved rating and written with the others in bulk (`new`)."""
    existing = plan.existing
    if existing is not None:
        rating = existing
    elif plan.not_rated is not None:
        rating = decide.start_rating(year, plan.subject)
    else:
        rating = decide.new_rating(year, plan.subject)
    report.organisations += plan.kind == SubjectKind.ORGANISATION
    if plan.not_rated is not None:
        if rating.not_rated == plan.not_rated:
            report.unchanged += 1
            return
        assert plan.not_rated_on is not None  # noqa: S101 - planned with a date  # nosec B101
        decide.set_not_rated(rating, reason=plan.not_rated, on=plan.not_rated_on, by=by)
        report.not_rated += 1
        return
    assert plan.level is not None  # noqa: S101 - a planned row has a level or a reason  # nosec B101
    if rating.excluded:
        decide.clear_not_rated(rating)
    decide.set_facts(
        rating,
        discipline=plan.discipline,
        triggers=rating.trigger_codes,
        outstanding=rating.outstanding,
    )
    findings = decide.findings_for(rating, plan.level, plan.score, low_confidence, cap=False)
    if plan.cap_override:
        findings.append(_cap_finding(year))
    if findings and not plan.reason:
        report.row_error(
            plan.line,
            " ".join(f.message for f in findings)
            + " "
            + _("Sửa xếp loại hoặc ghi lý do ở cột «%(column)s».", column=header_label("reason")),
        )
        return
    report.overrides += len(findings)
    if existing is not None and existing.decided:
        if (existing.level, existing.score) != (plan.level, plan.score):
            decide.re_rate(
                rating,
                level=plan.level,
                score=plan.score,
                reason=plan.reason,
                by=by,
                low_confidence=low_confidence,
                findings=findings,
            )
            report.re_rated += 1
        elif findings:
            decide.accept_findings(rating, plan.level, findings, plan.reason, by)
            report.updated += 1
        else:
            report.unchanged += 1
        return
    if plan.self_level is not None:
        decide.record_self_assessment(rating, level=plan.self_level, score=plan.self_score, by=by)
    if plan.proposed_level is not None:
        decide.record_proposal(rating, level=plan.proposed_level, by=by)
    if existing is None:
        report.new += 1
        new.append((rating, plan.level, plan.score, findings, plan.reason))
        return
    report.updated += 1
    decide.record_decision(rating, plan.level, plan.score, findings, plan.reason, by, source)


def _cap_finding(year: RatingYear) -> Finding:
    return Finding(
        CheckCode.CAP, _("Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ."), year.rules.cap.source
    )
