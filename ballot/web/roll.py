"""The roll of an election on its setup page (danh sách đại biểu được triệu tập): the
administrator uploads a workbook or CSV file, or pastes one delegate per line; "Xem trước"
checks every line and shows the counts and each line's error without changing anything;
"Thay danh sách" checks the same way and replaces the summoned list only when no line is
wrong (ballot.voting.roll)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.rating.sheets import SheetError
from ballot.voting import desk
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.roll import (
    MAX_ROWS,
    RollPlan,
    RollRow,
    plan_roll,
    rows_from_file,
    rows_from_text,
    set_roll,
)
from ballot.web.access import roles_required
from ballot.web.votes import get_vote

bp = Blueprint("roll", __name__, url_prefix="/votes")


class RollForm(FlaskForm):
    file = FileField(
        _l("Tệp Excel (.xlsx) hoặc CSV"),
        validators=[Optional(), FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv."))],
    )
    text = TextAreaField(
        _l("Hoặc dán danh sách (mỗi dòng một người: Họ và tên; Chức vụ, đơn vị)"),
        validators=[Optional(), Length(max=400_000)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    convened = IntegerField(
        _l("Số người triệu tập dùng để tính quá một nửa (để trống: theo danh sách)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_ROWS)],
    )
    preview = SubmitField(_l("Xem trước (chưa thay)"))
    replace = SubmitField(_l("Thay danh sách"))


def may_change(vote: ConfidenceVote) -> bool:
    """The roll can be replaced while the manifest is not frozen (ballot.voting.roll)."""
    return vote.is_election and vote.state in (VoteState.DRAFT, VoteState.CEREMONY)


def _rows(form: RollForm) -> tuple[list[RollRow], str]:
    """The rows of the upload (a file wins over pasted text) and the file's name ("" for
    pasted text)."""
    upload = form.file.data
    filename = str(getattr(upload, "filename", None) or "")
    if upload is not None and filename:
        return rows_from_file(upload.read(), filename), filename
    return rows_from_text(form.text.data or ""), ""


@bp.route("/<public_id>/roll", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def roll(public_id: str):
    """Preview or replace the roll of an election being set up."""
    vote = get_vote(public_id)
    if not vote.is_election:
        abort(404)
    form = RollForm()
    plan: RollPlan | None = None
    source, file_error, status = "", None, 200
    if form.is_submitted() and not may_change(vote):
        file_error, status = VoteError("roll_frozen", 409).message(), 409
    elif form.validate_on_submit():
        try:
            rows, source = _rows(form)
        except SheetError as exc:
            file_error, status = str(exc), 400
        else:
            plan = plan_roll(vote, rows, form.convened.data)
            if plan.ok and form.replace.data:
                return _replace(vote, rows, form.convened.data, source)
            status = 200 if plan.ok else 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "votes/roll.html",
        vote=vote,
        form=form,
        plan=plan,
        source=source or _("văn bản dán vào"),
        from_file=bool(source),
        file_error=file_error,
        counts=desk.turnout(vote),
        may_change=may_change(vote),
    ), status


def _replace(vote: ConfidenceVote, rows: list[RollRow], convened: int | None, source: str) -> Any:
    """Replace the roll (checked again whole by set_roll), record it in the log, back to setup."""
    before = len(vote.voters)
    plan = set_roll(vote, rows, convened)
    audit.record(
        g.user,
        "election.roll_set",
        f"vote:{vote.public_id}",
        {"file": source, "summoned": len(plan.rows), "before": before,
         "matched": plan.matched, "convened": plan.convened},
    )  # fmt: skip
    db.session.commit()
    flash(
        _(
            "Đã thay danh sách đại biểu được triệu tập: %(n)s người (%(m)s khớp với đảng viên).",
            n=len(plan.rows),
            m=plan.matched,
        ),
        "success",
    )
    return redirect(url_for("votes.show", public_id=vote.public_id) + "#roll")


def init_app(app: Any) -> None:
    app.jinja_env.globals["roll_form"] = RollForm
    app.jinja_env.globals["roll_may_change"] = may_change
    app.register_blueprint(bp)
