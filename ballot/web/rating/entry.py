"""The rating entry page: the subject, its context and forms (shared by the management views)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from ballot.org.models import Member, Organisation
from ballot.rating import queries, sources
from ballot.rating.decide import findings_for, rating_of
from ballot.rating.forms import (
    DecisionForm,
    NotRatedForm,
    ProposalForm,
    ReRatingForm,
    SelfAssessmentForm,
)
from ballot.rating.import_rows import vn_today
from ballot.rating.models import Rating
from ballot.web.rating.base import year_or_404


def subject_of(kind: str, code: str) -> Member | Organisation:
    subject = queries.member_by_code(code) if kind == "member" else queries.basic_by_code(code)
    if subject is None:
        abort(404)
    return subject


def _forms(rating: Rating) -> dict[str, Any]:
    rules = rating.year.rules
    facts = {
        "discipline": rating.discipline or "",
        "triggers": rating.trigger_codes,
        "outstanding": rating.outstanding,
        "leader_code": rating.leader.code if rating.leader is not None else "",
    }
    return {
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
            **facts,
        ),
        "rerate_form": ReRatingForm(
            rules, rating.kind, formdata=None, level=rating.level or "", score=rating.score, **facts
        ),
        "not_rated_form": NotRatedForm(rules, rating.kind, formdata=None, on=vn_today()),
    }


def render_entry(
    rating: Rating, subject: Member | Organisation, status: int = 200, **override: Any
):
    low_confidence = sources.low_confidence_by_member(rating.year.year)
    current = (
        findings_for(rating, rating.level, rating.score, low_confidence) if rating.decided else []
    )
    unit = queries.unit_of_rating(rating)
    context = {
        "year": rating.year,
        "rating": rating,
        "subject": subject,
        "unit": unit,
        "basic": queries.basic_of(unit) if unit is not None else subject,
        "kind": rating.kind.value,
        "current_findings": current,
        "accepted": {o.check_code: o for o in rating.overrides if o.level == rating.level},
        "low_confidence": low_confidence.get(rating.member_id) if rating.member_id else None,
        "votes": sources.votes_of_member(rating.year.year, rating.member_id)
        if rating.member_id
        else [],
        "exclusion": rating.year.rules.exclusion(rating.not_rated) if rating.not_rated else None,
        "pending_findings": [],
        **_forms(rating),
    }
    context.update(override)
    return render_template("rating/entry.html", **context), status


def step(year: int, kind: str, code: str) -> tuple[Rating, Member | Organisation]:
    rating_year = year_or_404(year)
    subject = subject_of(kind, code)
    return rating_of(rating_year, subject), subject
