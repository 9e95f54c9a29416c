"""Downloads of the official documents: minutes, attendance list, issuance log."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, url_for

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.minutes.documents import render_document
from ballot.web.access import require_committee, roles_required
from ballot.web.votes import get_vote

bp = Blueprint("documents", __name__, url_prefix="/documents")

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


FILE_NAMES = {
    "minutes": "bien-ban-kiem-phieu",
    "attendance": "danh-sach-dai-bieu",
    "issuance": "nhat-ky-phat-ma",
}


@bp.get("/<public_id>/<kind>.<fmt>")
@roles_required(Role.ADMIN, Role.COUNTING)
def download(public_id: str, kind: str, fmt: str):
    """Download the minutes, the attendance list or the issuance log as PDF or DOCX."""
    if kind not in FILE_NAMES or fmt not in MIME:
        abort(404)
    vote = get_vote(public_id)
    require_committee(vote)
    record_url = url_for("api.record", public_id=vote.public_id, _external=True)
    data = render_document(vote, kind, fmt, record_url)
    audit.record(
        g.user, "document.downloaded", f"vote:{vote.public_id}", {"document": kind, "format": fmt}
    )
    db.session.commit()
    response = Response(data, mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{FILE_NAMES[kind]}-{vote.id}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
