"""The ratings blueprint, who may read and write, and the helpers every rating view shares."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort

from ballot.auth.models import Role
from ballot.i18n import vn_number, vn_percent
from ballot.rating.checks import CHECK_LABELS
from ballot.rating.decide import get_year
from ballot.rating.models import RatingYear
from ballot.rating.rules import CAP_BASIS_LABELS, DISCIPLINE_LABELS, LEVEL_LABELS, Level

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


def year_or_404(year: int) -> RatingYear:
    rating_year = get_year(year)
    if rating_year is None:
        abort(404)
    return rating_year
