"""What the administrator does: open a year, record the three steps and the decision (checks
before it, an override needs a reason), set a subject apart as "không xếp loại", re-rate.
Import and export are in `files`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ballot.db import db
from ballot.rating import queries, sources
from ballot.rating.decide import (
    ChecksFailed,
    RatingError,
    blank_rating,
    clear_not_rated,
    create_year,
    decide,
    find_rating,
    re_rate,
    record_proposal,
    record_self_assessment,
    set_facts,
    set_not_rated,
)
from ballot.rating.forms import (
    DecisionForm,
    NotRatedForm,
    ProposalForm,
    ReRatingForm,
    SelfAssessmentForm,
    YearForm,
)
from ballot.rating.models import Rating
from ballot.rating.rules import CapBasis, Discipline, Level
from ballot.web.access import roles_required
from ballot.web.rating.base import WRITERS, bp, year_or_404
from ballot.web.rating.entry import render_entry, step, subject_of


@bp.post("/years")
@roles_required(*WRITERS)
def create():
    """Open a rating year under the rule set that governs it."""
    form = YearForm()
    if form.validate_on_submit():
        try:
            year = create_year(
                form.year.data or 0,
                form.rule_set.data or None,
                CapBasis(form.cap_basis.data) if form.cap_basis.data else None,
                form.outstanding_cap.data,
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


@bp.get("/<int:year>/search")
@roles_required(*WRITERS)
def search(year: int):
    """Find a member or a basic organisation to rate, by code or name."""
    rating_year = year_or_404(year)
    query = (request.args.get("q") or "").strip()
    members, orgs = queries.search(rating_year, query) if query else ([], [])
    return render_template(
        "rating/search.html", year=rating_year, q=query, members=members, orgs=orgs
    )


@bp.get("/<int:year>/<any(member, organisation):kind>/<code>")
@roles_required(*WRITERS)
def entry(year: int, kind: str, code: str):
    """Show a rating's steps, who did each and when, its checks, and the forms for the next step."""
    rating_year = year_or_404(year)
    subject = subject_of(kind, code)
    rating = find_rating(rating_year, subject) or blank_rating(rating_year, subject)
    return render_entry(rating, subject)


def _act(
    year: int,
    kind: str,
    code: str,
    form_name: str,
    make: Callable[..., Any],
    act: Callable[[Rating, Any], None],
    done: str,
):
    """Validate a step's form, run it, commit, and say so; a RatingError rolls back and flashes.

    A decision that trips a check comes back with the findings and the reason field (422).
    """
    rating, subject = step(year, kind, code)
    with_kind = make in (DecisionForm, ReRatingForm, NotRatedForm)
    form = make(rating.year.rules, rating.kind) if with_kind else make(rating.year.rules)
    if not form.validate_on_submit():
        return render_entry(rating, subject, 422, **{form_name: form})
    try:
        act(rating, form)
    except ChecksFailed as exc:
        db.session.rollback()
        rating, subject = step(year, kind, code)
        form.override_reason.errors = [str(exc)]
        return render_entry(
            rating, subject, 422, pending_findings=exc.findings, **{form_name: form}
        )
    except RatingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for(".entry", year=year, kind=kind, code=code))


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/self")
@roles_required(*WRITERS)
def self_assessment(year: int, kind: str, code: str):
    """Record step 1, the self-assessment."""

    def act(rating: Rating, form: SelfAssessmentForm) -> None:
        record_self_assessment(
            rating, level=Level(form.self_level.data), score=form.self_score.data, by=g.user
        )

    return _act(
        year, kind, code, "self_form", SelfAssessmentForm, act, _("Đã ghi kết quả tự đánh giá.")
    )


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/proposal")
@roles_required(*WRITERS)
def proposal(year: int, kind: str, code: str):
    """Record step 2, the party cell's proposal."""

    def act(rating: Rating, form: ProposalForm) -> None:
        record_proposal(rating, level=Level(form.proposed_level.data), by=g.user)

    return _act(year, kind, code, "proposal_form", ProposalForm, act, _("Đã ghi mức đề xuất."))


def _facts(rating: Rating, form: DecisionForm | ReRatingForm) -> None:
    discipline = getattr(form, "discipline", None)
    outstanding = getattr(form, "outstanding", None)
    leader_field = getattr(form, "leader_code", None)
    leader = None
    if leader_field is not None and (leader_field.data or "").strip():
        leader = queries.member_by_code(leader_field.data.strip())
        if leader is None:
            raise RatingError(_("Không có đảng viên mã «%(code)s».", code=leader_field.data))
    set_facts(
        rating,
        discipline=Discipline(discipline.data)
        if discipline is not None and discipline.data
        else None,
        triggers=form.triggers.data or [],
        outstanding=bool(outstanding.data) if outstanding is not None else False,
        leader=leader,
    )


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/decision")
@roles_required(*WRITERS)
def decision(year: int, kind: str, code: str):
    """Record step 3, the committee's decision; a check that fires needs a written reason."""

    def act(rating: Rating, form: DecisionForm) -> None:
        _facts(rating, form)
        decide(
            rating,
            level=Level(form.level.data),
            score=form.score.data,
            by=g.user,
            low_confidence=sources.low_confidence_by_member(year),
            override_reason=form.override_reason.data,
        )

    return _act(
        year, kind, code, "decision_form", DecisionForm, act, _("Đã ghi quyết định xếp loại.")
    )


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/re-rating")
@roles_required(*WRITERS)
def re_rating(year: int, kind: str, code: str):
    """Change a decided rating: recorded with the reason, the previous level and who did it."""

    def act(rating: Rating, form: ReRatingForm) -> None:
        _facts(rating, form)
        re_rate(
            rating,
            level=Level(form.level.data),
            score=form.score.data,
            reason=form.reason.data or "",
            by=g.user,
            low_confidence=sources.low_confidence_by_member(year),
        )

    return _act(
        year, kind, code, "rerate_form", ReRatingForm, act, _("Đã ghi kết quả đánh giá lại.")
    )


@bp.post("/<int:year>/<any(member, organisation):kind>/<code>/not-rated")
@roles_required(*WRITERS)
def not_rated(year: int, kind: str, code: str):
    """Set a subject apart as "không xếp loại" with a reason from the rule set, or undo it."""

    def act(rating: Rating, form: NotRatedForm) -> None:
        if form.clear.data:
            clear_not_rated(rating)
        else:
            set_not_rated(rating, reason=form.reason.data, on=form.on.data, by=g.user)

    return _act(
        year,
        kind,
        code,
        "not_rated_form",
        NotRatedForm,
        act,
        _("Đã ghi tình trạng không xếp loại."),
    )
