"""Annual ratings: the targets dashboard and drill-down (readers), entry, checks, import (admin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ballot.auth.models import Role
from ballot.db import db, utcnow
from ballot.i18n import vn_number, vn_percent
from ballot.localtime import local
from ballot.org.models import Member, Organisation, OrgKind
from ballot.rating import sources
from ballot.rating.checks import CHECK_LABELS, year_findings
from ballot.rating.decide import (
    ChecksFailed,
    RatingError,
    blank_rating,
    create_year,
    decide,
    find_rating,
    findings_for,
    get_year,
    rating_of,
    re_rate,
    record_proposal,
    record_self_assessment,
    set_facts,
)
from ballot.rating.export import rows_to_xlsx, year_rows
from ballot.rating.forms import (
    DecisionForm,
    ImportForm,
    ProposalForm,
    ReRatingForm,
    SelfAssessmentForm,
    YearForm,
)
from ballot.rating.imports import import_ratings
from ballot.rating.models import Rating, RatingYear
from ballot.rating.queries import basic_organisation_of
from ballot.rating.report import render_report, report_data
from ballot.rating.rules import (
    CAP_BASIS_LABELS,
    DISCIPLINE_LABELS,
    LEVEL_LABELS,
    CapBasis,
    Discipline,
    Level,
)
from ballot.rating.targets import (
    TARGETS,
    compute_targets,
    members_below,
    not_rated_members,
    units_pulling_down,
)
from ballot.web.access import roles_required

bp = Blueprint("rating", __name__, url_prefix="/ratings")

#: Who may read the dashboard; only the administrator records and decides.
READERS = (Role.ADMIN, Role.OBSERVER, Role.COUNTING)
WRITERS = (Role.ADMIN,)


@bp.context_processor
def rating_labels() -> dict[str, Any]:
    return {
        "level_labels": LEVEL_LABELS,
        "discipline_labels": DISCIPLINE_LABELS,
        "check_labels": CHECK_LABELS,
        "cap_basis_labels": CAP_BASIS_LABELS,
        "Level": Level,
        "vn_percent": vn_percent,
        "vn_number": vn_number,
    }


def _year_or_404(year: int) -> RatingYear:
    rating_year = get_year(year)
    if rating_year is None:
        abort(404)
    return rating_year


@bp.get("/")
@roles_required(*READERS)
def index():
    """List the rating years; the administrator opens a new one here."""
    years = list(db.session.scalars(select(RatingYear).order_by(RatingYear.year.desc())))
    figures = {y.year: compute_targets(y) for y in years[:3]}
    return render_template(
        "rating/index.html", years=years, figures=figures, form=YearForm(year=date.today().year - 1)
    )


@bp.post("/years")
@roles_required(*WRITERS)
def create():
    """Open a rating year under a rule set."""
    form = YearForm()
    if form.validate_on_submit():
        try:
            year = create_year(
                form.year.data or 0,
                form.rule_set.data or None,
                CapBasis(form.cap_basis.data) if form.cap_basis.data else None,
            )
        except RatingError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Đã mở năm đánh giá %(year)s theo %(rules)s.",
                    year=year.year,
                    rules=year.rules.label,
                )
            )
            return redirect(url_for(".dashboard", year=year.year))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".index"))


@bp.get("/<int:year>/")
@roles_required(*READERS)
def dashboard(year: int):
    """Show targets 6 and 7 with their distributions and the units that pull them down."""
    rating_year = _year_or_404(year)
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
    rating_year = _year_or_404(year)
    org = db.session.scalar(
        select(Organisation).where(Organisation.code == code, Organisation.kind == OrgKind.BASIC)
    )
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
    """List every member with no decision yet (they stay in the denominator)."""
    rating_year = _year_or_404(year)
    return render_template(
        "rating/pending.html", year=rating_year, rows=not_rated_members(rating_year)
    )


@bp.get("/<int:year>/checks")
@roles_required(*READERS)
def checks(year: int):
    """List the year's checks: open ones, then those accepted with a written reason."""
    rating_year = _year_or_404(year)
    findings = year_findings(rating_year, sources.low_confidence_by_member(year))
    return render_template("rating/checks.html", year=rating_year, findings=findings)


@bp.get("/<int:year>/search")
@roles_required(*WRITERS)
def search(year: int):
    """Find a member or a basic organisation to rate, by code or name."""
    from flask import request

    rating_year = _year_or_404(year)
    query = (request.args.get("q") or "").strip()
    members: list[tuple[Member, Rating | None]] = []
    orgs: list[Organisation] = []
    if query:
        like = f"%{query}%"
        members = [
            (m, r)
            for m, r in db.session.execute(
                select(Member, Rating)
                .outerjoin(
                    Rating, (Rating.member_id == Member.id) & (Rating.year_id == rating_year.id)
                )
                .where(or_(Member.code.ilike(like), Member.full_name.ilike(like)))
                .order_by(Member.code)
                .limit(50)
            )
        ]
        orgs = list(
            db.session.scalars(
                select(Organisation)
                .where(
                    Organisation.kind == OrgKind.BASIC,
                    or_(Organisation.code.ilike(like), Organisation.name.ilike(like)),
                )
                .order_by(Organisation.code)
                .limit(20)
            )
        )
    return render_template(
        "rating/search.html", year=rating_year, q=query, members=members, orgs=orgs
    )


# --- Entry: the three steps, the decision's checks, re-rating -------------------------------


def _subject(kind: str, code: str) -> Member | Organisation:
    if kind == "member":
        member = db.session.scalar(select(Member).where(Member.code == code))
        if member is None:
            abort(404)
        return member
    org = db.session.scalar(
        select(Organisation).where(Organisation.code == code, Organisation.kind == OrgKind.BASIC)
    )
    if org is None:
        abort(404)
    return org


def _forms(rating: Rating, **override: Any) -> dict[str, Any]:
    rules = rating.year.rules
    forms: dict[str, Any] = {
        "self_form": SelfAssessmentForm(
            rules, formdata=None, self_score=rating.self_score, self_level=(rating.self_level or "")
        ),
        "proposal_form": ProposalForm(
            rules, formdata=None, proposed_level=rating.proposed_level or rating.self_level or ""
        ),
        "decision_form": DecisionForm(
            rules,
            rating.kind,
            formdata=None,
            level=rating.proposed_level or rating.self_level or "",
            score=rating.self_score,
            discipline=rating.discipline or "",
            triggers=rating.trigger_codes,
            outstanding=rating.outstanding,
        ),
        "rerate_form": ReRatingForm(
            rules,
            rating.kind,
            formdata=None,
            level=rating.level or "",
            score=rating.score,
            discipline=rating.discipline or "",
            triggers=rating.trigger_codes,
            outstanding=rating.outstanding,
        ),
    }
    forms.update(override)
    return forms


def _render_entry(
    rating: Rating, subject: Member | Organisation, status: int = 200, **override: Any
):
    low_confidence = sources.low_confidence_by_member(rating.year.year)
    current = (
        findings_for(rating, rating.level, rating.score, low_confidence) if rating.decided else []
    )
    accepted = {o.check_code: o for o in rating.overrides if o.level == rating.level}
    share = low_confidence.get(rating.member_id) if rating.member_id is not None else None
    basic = basic_organisation_of(subject) if isinstance(subject, Member) else subject
    context = {
        "year": rating.year,
        "rating": rating,
        "subject": subject,
        "basic": basic,
        "kind": rating.kind.value,
        "current_findings": current,
        "accepted": accepted,
        "low_confidence": share,
        "pending_findings": [],
        **_forms(rating),
    }
    context.update(override)
    return render_template("rating/entry.html", **context), status


@bp.get("/<int:year>/<any(member, organisation):kind>/<code>")
@roles_required(*WRITERS)
def entry(year: int, kind: str, code: str):
    """Show a rating's steps, who did each and when, its checks, and the forms for the next step."""
    rating_year = _year_or_404(year)
    subject = _subject(kind, code)
    rating = find_rating(rating_year, subject) or blank_rating(rating_year, subject)
    return _render_entry(rating, subject)


def _step(year: int, kind: str, code: str) -> tuple[Rating, Member | Organisation]:
    rating_year = _year_or_404(year)
    subject = _subject(kind, code)
    return rating_of(rating_year, subject), subject


def _back(rating: Rating, kind: str, code: str):
    return redirect(url_for(".entry", year=rating.year.year, kind=kind, code=code))


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/self")
@roles_required(*WRITERS)
def self_assessment(year: int, kind: str, code: str):
    """Record step 1, the self-assessment."""
    rating, subject = _step(year, kind, code)
    form = SelfAssessmentForm(rating.year.rules)
    if not form.validate_on_submit():
        return _render_entry(rating, subject, 422, self_form=form)
    try:
        record_self_assessment(
            rating, level=Level(form.self_level.data), score=form.self_score.data, by=g.user
        )
    except RatingError as exc:
        flash(str(exc), "error")
        return _back(rating, kind, code)
    db.session.commit()
    flash(_("Đã ghi kết quả tự đánh giá."))
    return _back(rating, kind, code)


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/proposal")
@roles_required(*WRITERS)
def proposal(year: int, kind: str, code: str):
    """Record step 2, the party cell's proposal."""
    rating, subject = _step(year, kind, code)
    form = ProposalForm(rating.year.rules)
    if not form.validate_on_submit():
        return _render_entry(rating, subject, 422, proposal_form=form)
    try:
        record_proposal(rating, level=Level(form.proposed_level.data), by=g.user)
    except RatingError as exc:
        flash(str(exc), "error")
        return _back(rating, kind, code)
    db.session.commit()
    flash(_("Đã ghi mức đề xuất."))
    return _back(rating, kind, code)


def _facts(rating: Rating, form: DecisionForm | ReRatingForm) -> None:
    discipline_field = getattr(form, "discipline", None)
    outstanding_field = getattr(form, "outstanding", None)
    set_facts(
        rating,
        discipline=Discipline(discipline_field.data)
        if discipline_field is not None and discipline_field.data
        else None,
        triggers=form.triggers.data or [],
        outstanding=bool(outstanding_field.data) if outstanding_field is not None else False,
    )


def _score(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/decision")
@roles_required(*WRITERS)
def decision(year: int, kind: str, code: str):
    """Record step 3, the committee's decision; a check that fires needs a written reason."""
    rating, subject = _step(year, kind, code)
    form = DecisionForm(rating.year.rules, rating.kind)
    if not form.validate_on_submit():
        return _render_entry(rating, subject, 422, decision_form=form)
    try:
        _facts(rating, form)
        decide(
            rating,
            level=Level(form.level.data),
            score=_score(form.score.data),
            by=g.user,
            low_confidence=sources.low_confidence_by_member(year),
            override_reason=form.override_reason.data,
        )
    except ChecksFailed as exc:
        db.session.rollback()
        rating, subject = _step(year, kind, code)
        form.override_reason.errors = [str(exc)]
        return _render_entry(
            rating, subject, 422, decision_form=form, pending_findings=exc.findings
        )
    except RatingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(rating, kind, code)
    db.session.commit()
    flash(_("Đã ghi quyết định xếp loại."))
    return _back(rating, kind, code)


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/re-rating")
@roles_required(*WRITERS)
def re_rating(year: int, kind: str, code: str):
    """Change a decided rating: recorded with the reason, the previous level and who did it."""
    rating, subject = _step(year, kind, code)
    form = ReRatingForm(rating.year.rules, rating.kind)
    if not form.validate_on_submit():
        return _render_entry(rating, subject, 422, rerate_form=form)
    try:
        _facts(rating, form)
        re_rate(
            rating,
            level=Level(form.level.data),
            score=_score(form.score.data),
            reason=form.reason.data or "",
            by=g.user,
            low_confidence=sources.low_confidence_by_member(year),
        )
    except RatingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(rating, kind, code)
    db.session.commit()
    flash(_("Đã ghi kết quả đánh giá lại."))
    return _back(rating, kind, code)


# --- Import and export -----------------------------------------------------------------------


@bp.route("/<int:year>/import", methods=["GET", "POST"])
@roles_required(*WRITERS)
def import_file(year: int):
    """Check a file (dry run) or import it: all rows, or none when any row is wrong."""
    rating_year = _year_or_404(year)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        dry_run = not form.apply.data
        report = import_ratings(
            rating_year,
            upload.read(),
            upload.filename or "upload",
            by=g.user,
            dry_run=dry_run,
            low_confidence=sources.low_confidence_by_member(year),
        )
        if report.applied:
            db.session.commit()
            flash(_("Đã nhập %(rows)s dòng từ %(name)s.", rows=report.rows, name=report.filename))
            return redirect(url_for(".dashboard", year=year))
        db.session.rollback()
    return render_template("rating/import.html", year=rating_year, form=form, report=report)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<int:year>/export.xlsx")
@roles_required(*WRITERS)
def export_xlsx(year: int):
    """Download every rating of the year (the import's columns) with a sheet of the targets."""
    rating_year = _year_or_404(year)
    data = rows_to_xlsx(
        year_rows(rating_year), _("Xếp loại %(year)s", year=year), compute_targets(rating_year)
    )
    return _download(data, f"xep-loai-{year}.xlsx", XLSX)


@bp.get("/<int:year>/pending.xlsx")
@roles_required(*WRITERS)
def pending_xlsx(year: int):
    """Download those not yet rated, ready to fill in and import."""
    rating_year = _year_or_404(year)
    data = rows_to_xlsx(
        year_rows(rating_year, only_pending=True), _("Chưa xếp loại %(year)s", year=year)
    )
    return _download(data, f"chua-xep-loai-{year}.xlsx", XLSX)


@bp.get("/<int:year>/report.pdf")
@roles_required(*READERS)
def report_pdf(year: int):
    """Download the year's report as PDF."""
    rating_year = _year_or_404(year)
    findings = year_findings(rating_year, sources.low_confidence_by_member(year))
    today = local(utcnow()).date()  # Vietnam's date, whatever the server's zone
    data = render_report(report_data(rating_year, compute_targets(rating_year), findings, today))
    db.session.commit()  # the report's number, taken from the organ's register
    return _download(data, f"bao-cao-xep-loai-{year}.pdf", "application/pdf")
