"""Downloads of the official documents: minutes, attendance list, issuance log."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import DataRequired, NumberRange

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.minutes.builder import minutes_number
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
    "attendance": "danh-sach-dai-bieu-trieu-tap",
    "issuance": "so-cap-ma-bo-phieu",
}
ELECTION_MINUTES = "bien-ban-kiem-phieu-bau-cu"


@bp.get("/<public_id>/<kind>.<fmt>")
@roles_required(Role.ADMIN, Role.COUNTING)
def download(public_id: str, kind: str, fmt: str):
    """Download the minutes, the attendance list or the issuance log as PDF or DOCX."""
    if kind not in FILE_NAMES or fmt not in MIME:
        abort(404)
    vote = get_vote(public_id)
    require_committee(vote)
    data = render_document(vote, kind, fmt)
    audit.record(
        g.user, "document.downloaded", f"vote:{vote.public_id}", {"document": kind, "format": fmt}
    )
    db.session.commit()
    response = Response(data, mimetype=MIME[fmt])
    name = ELECTION_MINUTES if kind == "minutes" and vote.is_election else FILE_NAMES[kind]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{vote.id}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


class NumberForm(FlaskForm):
    number = IntegerField(
        _l("Số biên bản"), validators=[DataRequired(), NumberRange(min=1, max=99_999)]
    )


@bp.post("/<public_id>/number")
@roles_required(Role.ADMIN, Role.COUNTING)
def set_number(public_id: str):
    """Set the minutes' number from the organ's register before exporting them."""
    vote = get_vote(public_id)
    require_committee(vote)
    form = NumberForm()
    if form.validate_on_submit():
        label = minutes_number(vote, form.number.data)
        audit.record(g.user, "document.numbered", f"vote:{vote.public_id}", {"number": label})
        db.session.commit()
        flash(_("Đã đặt số biên bản: %(label)s.", label=label), "success")
    else:
        flash(_("Số biên bản phải là số nguyên từ 1 đến 99999."), "error")
    return redirect(url_for("count.results", public_id=public_id))
