"""The audit log for the counting committee and the administrator: entries, chain check,
export; and the record of logins (registered on the app, so ballot/web/auth.py stays as is)."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, Flask, Response, current_app, g, render_template, request, session
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ballot.audit import service
from ballot.audit.labels import PROBLEM_LABELS, Names, action_label, describe
from ballot.audit.models import AuditEntry
from ballot.auth.models import Role, User
from ballot.db import db
from ballot.i18n import hex_groups, vn_datetime
from ballot.labels import role_label
from ballot.messages import render_code
from ballot.voting.models import ConfidenceVote
from ballot.web.access import roles_required

bp = Blueprint("audit", __name__, url_prefix="/audit")

READERS = (Role.ADMIN, Role.COUNTING)
ROLE_CODES = {role.value for role in Role}
PAGE_SIZE = 200


@bp.get("/")
@roles_required(*READERS)
def log():
    """The log, newest first, with the result of re-checking the whole chain."""
    report = service.verify_chain()
    before = request.args.get("before", type=int)
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(PAGE_SIZE)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    entries = list(db.session.scalars(query))
    names = _names(entries)
    rows = [
        {
            "entry": e,
            "at": vn_datetime(e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)),
            "actor": names.user(e.actor) if e.actor != service.SYSTEM else _("Hệ thống"),
            "role": role_label(e.actor_role) if e.actor_role in ROLE_CODES else "",
            "action": action_label(e.action),
            "sentence": describe(e.action, e.actor, e.target, e.details, names),
        }
        for e in entries
    ]
    response = Response(
        render_template(
            "audit/log.html",
            report=report,
            rows=rows,
            problem_labels=PROBLEM_LABELS,
            page_size=PAGE_SIZE,
            last_seq=entries[-1].seq if entries else None,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _names(entries: list[AuditEntry]) -> Names:
    """Full names of the accounts and titles of the votes these entries mention."""
    usernames: set[str] = set()
    vote_ids: set[str] = set()
    for e in entries:
        usernames.add(e.actor)
        kind, _sep, key = e.target.partition(":")
        if kind == "user":
            usernames.add(key)
        elif kind == "vote":
            vote_ids.add(key)
        details = e.details or {}
        usernames.update(str(u) for u in details.get("members") or [])
        if "chair" in details:
            usernames.add(str(details["chair"]))
    users = db.session.execute(
        select(User.username, User.full_name).where(User.username.in_(usernames))
    ).all()
    votes = db.session.execute(
        select(ConfidenceVote.public_id, ConfidenceVote.title).where(
            ConfidenceVote.public_id.in_(vote_ids)
        )
    ).all()
    return Names(
        users={u: n for u, n in users},
        votes={v: t for v, t in votes},
        reason=render_code,
        hash_text=hex_groups,
    )


@bp.get("/export.<fmt>")
@roles_required(*READERS)
def export(fmt: str):
    """Download the whole log (JSON to re-verify, CSV for a spreadsheet), to file with the minutes."""
    if fmt not in ("json", "csv"):
        return Response(status=404)
    service.record(g.user, "audit.exported", "audit", {"format": fmt})
    db.session.commit()
    data = service.export_json() if fmt == "json" else service.export_csv()
    mimetype = "application/json" if fmt == "json" else "text/csv"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="nhat-ky-he-thong.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _record_login(response: Response) -> Response:
    """Write successful and failed logins (and logouts) to the log, after the view ran.

    A failed login names the account only when it exists: an unknown "username" may be a
    password typed in the wrong box. Refusals by the rate limit or CSRF are not logged (the
    rate limit already bounds how many failures one address can add).
    """
    if request.method != "POST" or request.endpoint not in ("auth.login", "auth.logout"):
        return response
    try:
        if request.endpoint == "auth.logout":
            if g.get("user") is not None and response.status_code == 302:
                service.record(g.user, "auth.logout", f"user:{g.user.username}")
                db.session.commit()
            return response
        address = request.remote_addr or ""
        if response.status_code == 302 and session.get("user_id") is not None:
            user = db.session.get(User, session["user_id"])
            service.record(
                user, "auth.login", f"user:{user.username if user else '?'}", {"address": address}
            )
            db.session.commit()
        elif response.status_code == 200 and request.form.get("csrf_token"):
            name = (request.form.get("username") or "")[:80]
            known = db.session.scalar(select(User).where(User.username == name)) if name else None
            service.record(
                None,
                "auth.login_failed",
                f"user:{known.username}" if known else "user:?",
                {"address": address, "known_account": known is not None},
            )
            db.session.commit()
    except SQLAlchemyError:  # a login is not refused because its audit entry could not be written
        db.session.rollback()
        current_app.logger.exception("could not record a login in the audit log")
    return response


def init_app(app: Flask) -> None:
    """Register the audit pages, their navigation entry, and the login record."""
    from flask_babel import lazy_gettext as _l

    from ballot.web import nav

    app.register_blueprint(bp)
    app.after_request(_record_login)
    nav.add_nav(app, "audit.log", _l("Nhật ký hệ thống"), *READERS)
