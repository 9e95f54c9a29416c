"""What readers see: the years, targets 6 and 7 with their drill-down, the not-rated line,
the year's checks, the report."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from ballot.db import db, utcnow
from ballot.localtime import local
from ballot.rating import queries, sources
from ballot.rating.findings import year_findings
from ballot.rating.forms import YearForm
from ballot.rating.report import render_report, report_data
from ballot.rating.rules import Level
from ballot.rating.targets import (
    TARGETS,
    compute_targets,
    excluded_subjects,
    members_below,
    not_rated_members,
    units_pulling_down,
)
from ballot.web.access import roles_required
from ballot.web.rating.base import READERS, bp, year_or_404


def download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/")
@roles_required(*READERS)
def index():
    """List the rating years; the administrator opens a new one here."""
    years = queries.years()
    figures = {y.year: compute_targets(y) for y in years[:3]}
    return render_template(
        "rating/index.html",
        years=years,
        figures=figures,
        form=YearForm(year=local(utcnow()).year - 1),
    )


@bp.get("/<int:year>/")
@roles_required(*READERS)
def dashboard(year: int):
    """Show targets 6 and 7, the not-rated line, and the units that pull the targets down."""
    rating_year = year_or_404(year)
    figures = compute_targets(rating_year)
    pulling = {t.code: units_pulling_down(figures, t) for t in TARGETS}
    open_checks = sum(
        not f.overridden for f in year_findings(rating_year, sources.low_confidence_by_member(year))
    )
    return render_template(
        "rating/dashboard.html",
        year=rating_year,
        figures=figures,
        pulling=pulling,
        open_checks=open_checks,
    )


@bp.get("/<int:year>/units/<code>")
@roles_required(*READERS)
def unit(year: int, code: str):
    """Drill down into a basic organisation: its cells, and the members who pull its figure down."""
    rating_year = year_or_404(year)
    org = queries.basic_by_code(code)
    if org is None:
        abort(404)
    figures = compute_targets(rating_year)
    figure = next(u for u in figures.units if u.id == org.id)
    return render_template(
        "rating/unit.html",
        year=rating_year,
        org=org,
        figure=figure,
        below=members_below(rating_year, org.id, Level.GOOD),
        pending=not_rated_members(rating_year, org.id),
    )


@bp.get("/<int:year>/pending")
@roles_required(*READERS)
def pending(year: int):
    """List every member with no decision yet ("chưa xếp loại": they stay in the denominator)."""
    rating_year = year_or_404(year)
    return render_template(
        "rating/pending.html", year=rating_year, rows=not_rated_members(rating_year)
    )


@bp.get("/<int:year>/not-rated")
@roles_required(*READERS)
def excluded(year: int):
    """List those set apart as "không xếp loại", with reason and date (outside the denominators)."""
    rating_year = year_or_404(year)
    reason = request.args.get("reason") or None
    if reason is not None and rating_year.rules.exclusion(reason) is None:
        abort(404)
    return render_template(
        "rating/excluded.html",
        year=rating_year,
        rows=excluded_subjects(rating_year, reason),
        reason=rating_year.rules.exclusion(reason) if reason else None,
    )


@bp.get("/<int:year>/checks")
@roles_required(*READERS)
def checks(year: int):
    """List the year's checks: open ones, then those accepted with a written reason."""
    rating_year = year_or_404(year)
    findings = year_findings(rating_year, sources.low_confidence_by_member(year))
    return render_template("rating/checks.html", year=rating_year, findings=findings)


@bp.get("/<int:year>/rules")
@roles_required(*READERS)
def rules(year: int):
    """Show the year's rule set: every trigger, ceiling, exclusion, score band and cap with its source."""
    rating_year = year_or_404(year)
    return render_template("rating/rules.html", year=rating_year, rules=rating_year.rules)


@bp.get("/<int:year>/report.pdf")
@roles_required(*READERS)
def report_pdf(year: int):
    """Download the year's report as PDF."""
    rating_year = year_or_404(year)
    findings = year_findings(rating_year, sources.low_confidence_by_member(year))
    today = local(utcnow()).date()  # Vietnam's date, whatever the server's zone
    data = render_report(report_data(rating_year, compute_targets(rating_year), findings, today))
    db.session.commit()  # the report's number, taken from the organ's register
    return download(data, f"bao-cao-xep-loai-{year}.pdf", "application/pdf")
