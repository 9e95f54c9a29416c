"""Management of files: import a year's ratings (all or nothing; a refused file is a 400 with
a Vietnamese message) and export them."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ballot.db import db
from ballot.rating import sources
from ballot.rating.export import rows_to_xlsx, year_rows
from ballot.rating.forms import ImportForm
from ballot.rating.imports import import_ratings
from ballot.rating.targets import compute_targets
from ballot.web.access import roles_required
from ballot.web.rating.base import WRITERS, bp, year_or_404
from ballot.web.rating.display import download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/<int:year>/import", methods=["GET", "POST"])
@roles_required(*WRITERS)
def import_file(year: int):
    """Check a file (dry run) or import it: all rows, or none when any row is wrong (400)."""
    rating_year = year_or_404(year)
    form = ImportForm()
    report, status = None, 200
    if request.method == "POST" and not form.validate_on_submit():
        status = 400
    elif form.validate_on_submit():
        upload = form.file.data
        report = import_ratings(
            rating_year,
            upload.read(),
            upload.filename or "upload",
            by=g.user,
            dry_run=not form.apply.data,
            low_confidence=sources.low_confidence_by_member(year),
        )
        if report.applied:
            db.session.commit()
            flash(_("Đã nhập %(rows)s dòng từ %(name)s.", rows=report.rows, name=report.filename))
            return redirect(url_for(".dashboard", year=year))
        db.session.rollback()
        status = 200 if report.ok else 400
    return render_template("rating/import.html", year=rating_year, form=form, report=report), status


@bp.get("/<int:year>/export.xlsx")
@roles_required(*WRITERS)
def export_xlsx(year: int):
    """Download every rating of the year (the import's columns) with a sheet of the targets."""
    rating_year = year_or_404(year)
    data = rows_to_xlsx(
        year_rows(rating_year), _("Xếp loại %(year)s", year=year), compute_targets(rating_year)
    )
    return download(data, f"xep-loai-{year}.xlsx", XLSX)


@bp.get("/<int:year>/pending.xlsx")
@roles_required(*WRITERS)
def pending_xlsx(year: int):
    """Download those not yet rated, ready to fill in and import."""
    rating_year = year_or_404(year)
    data = rows_to_xlsx(
        year_rows(rating_year, only_pending=True), _("Chưa xếp loại %(year)s", year=year)
    )
    return download(data, f"chua-xep-loai-{year}.xlsx", XLSX)
