"""Conference pages: the list, and creating or editing a conference (administrators)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.org.conferences import (
    ConferenceFields,
    conferences,
    create_conference,
    dates_text,
    edit_conference,
)
from ballot.org.models import Conference
from ballot.web.access import roles_required

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


class ConferenceForm(FlaskForm):
    number = IntegerField(_l("Lần thứ"), validators=[Optional(), NumberRange(min=1, max=999)])
    held_on = DateField(_l("Ngày họp (ngày đầu)"), validators=[DataRequired()])
    ends_on = DateField(_l("Ngày kết thúc (nếu họp nhiều ngày)"), validators=[Optional()])
    place = StringField(_l("Địa điểm"), validators=[Optional(), Length(max=255)])
    convening_organ = StringField(
        _l("Cơ quan triệu tập"),
        default="Ban Chấp hành Đảng bộ Khối",
        validators=[Optional(), Length(max=255)],
    )
    term = StringField(_l("Nhiệm kỳ, khóa"), validators=[Optional(), Length(max=120)])
    name = StringField(
        _l("Tên hội nghị (để trống: Hội nghị <cơ quan> lần thứ <số>)"),
        validators=[Optional(), Length(max=255)],
    )

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.held_on.data and field.data < self.held_on.data:
            raise ValidationError(_("Ngày kết thúc hội nghị không được trước ngày khai mạc."))

    def fields(self) -> ConferenceFields:
        return ConferenceFields(
            number=self.number.data,
            held_on=self.held_on.data,  # type: ignore[arg-type]
            ends_on=self.ends_on.data,
            place=self.place.data or "",
            convening_organ=self.convening_organ.data or "",
            term=self.term.data or "",
            name=self.name.data or "",
        )


@bp.get("/")
@roles_required(Role.ADMIN, Role.COUNTING, Role.OBSERVER)
def index():
    """List the conferences, newest first."""
    return render_template("org/conferences.html", conferences=conferences(), dates_text=dates_text)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    """Create a conference."""
    form = ConferenceForm()
    if form.validate_on_submit():
        conference = create_conference(form.fields())
        audit.record(
            g.user, "conference.created", f"conference:{conference.id}", _facts(conference)
        )
        db.session.commit()
        flash(_("Đã thêm hội nghị."), "success")
        return redirect(url_for("conferences.index"))
    return render_template("org/conference_form.html", form=form, conference=None)


@bp.route("/<int:conference_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(conference_id: int):
    """Edit a conference."""
    conference = db.get_or_404(Conference, conference_id)
    form = ConferenceForm(obj=conference)
    if form.validate_on_submit():
        edit_conference(conference, form.fields())
        audit.record(g.user, "conference.edited", f"conference:{conference.id}", _facts(conference))
        db.session.commit()
        flash(_("Đã lưu hội nghị."), "success")
        return redirect(url_for("conferences.index"))
    return render_template("org/conference_form.html", form=form, conference=conference)


def _facts(conference: Conference) -> dict[str, object]:
    return {
        "name": conference.name,
        "number": conference.number,
        "dates": dates_text(conference),
        "place": conference.place,
        "term": conference.term,
    }
