"""The home page: the organisation, its committees and members, and the conferences."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ballot.db import db
from ballot.org.models import Committee, Conference, Member, Organisation, OrgKind, Seat
from ballot.web.access import login_required

bp = Blueprint("home", __name__)


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it first (pages also link the SVG)."""
    response = send_from_directory(
        current_app.static_folder or "static", "favicon.ico", mimetype="image/vnd.microsoft.icon"
    )
    response.cache_control.max_age = 86400
    return response


@bp.get("/")
@login_required
def index():
    """Show the organisation, its committees with their seats, and its conferences."""
    root = db.session.scalar(select(Organisation).where(Organisation.kind == OrgKind.COMMITTEE))
    committees = []
    conferences = []
    counts = {"basic": 0, "cells": 0, "members": 0}
    if root is not None:
        committees = list(
            db.session.scalars(
                select(Committee)
                .where(Committee.organisation_id == root.id)
                .options(selectinload(Committee.seats).selectinload(Seat.member))
                .order_by(Committee.kind)
            )
        )
        conferences = list(
            db.session.scalars(
                select(Conference)
                .where(Conference.organisation_id == root.id)
                .order_by(Conference.held_on.desc())
            )
        )
        kinds: dict[OrgKind, int] = dict(
            db.session.execute(
                select(Organisation.kind, func.count()).group_by(Organisation.kind)
            ).all()
        )
        counts = {
            "basic": kinds.get(OrgKind.BASIC, 0),
            "cells": kinds.get(OrgKind.CELL, 0),
            "members": db.session.scalar(select(func.count()).select_from(Member)) or 0,
        }
    return render_template(
        "home/index.html",
        root=root,
        committees=committees,
        conferences=conferences,
        counts=counts,
    )
