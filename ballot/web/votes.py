"""Administrator pages: create a vote, preview the ballot, choose the counting committee, open."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ballot import audit
from ballot.auth.models import Role, User
from ballot.crypto.dkg import minimum_threshold, threshold_allowed
from ballot.db import db
from ballot.org.conferences import conferences, dates_text, default_vote_title
from ballot.org.models import Committee, CommitteeKind, Conference
from ballot.voting import ceremony, desk, setup
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.rules import VoteRules
from ballot.web.access import login_required, require_committee, roles_required

bp = Blueprint("votes", __name__, url_prefix="/votes")


class EmptyForm(FlaskForm):
    """CSRF only, for POST buttons."""


class NewVoteForm(FlaskForm):
    conference = SelectField(_l("Hội nghị"), coerce=int, validators=[DataRequired()])
    title = StringField(
        _l("Tiêu đề"),
        description=_l("Để trống: tiêu đề nêu tên hội nghị (“… tại Hội nghị … lần thứ …”)."),
        validators=[Optional(), Length(max=500)],
    )
    leave_off = SelectMultipleField(
        _l("Không đưa vào phiếu (nghỉ hưu, mới bổ nhiệm trong năm)"), coerce=int
    )
    blank_row_allowed = BooleanField(
        _l("Cho phép để trống một dòng (tính là phiếu không hợp lệ đối với người đó)"), default=True
    )
    dismiss_inclusive = BooleanField(
        _l("Ngưỡng 2/3 phiếu tín nhiệm thấp tính cả trường hợp bằng 2/3 (“từ 2/3”)"), default=True
    )


class CommitteeForm(FlaskForm):
    members = SelectMultipleField(_l("Thành viên Ban kiểm phiếu"), coerce=int)
    chair = SelectField(_l("Trưởng ban"), coerce=int)
    threshold = IntegerField(
        _l("Số thành viên cần để giải mã (t)"), default=2, validators=[NumberRange(min=2, max=9)]
    )

    def validate_members(self, field: SelectMultipleField) -> None:
        if not 2 <= len(field.data or []) <= 9:
            raise ValidationError(
                _("Chọn từ 2 đến 9 thành viên Ban kiểm phiếu (thường là 3 đến 5).")
            )

    def validate_threshold(self, field: IntegerField) -> None:
        """t >= 2 and t > n/2 (issue 14.1): one member never decrypts alone, and no two
        separate groups of the committee can each decrypt."""
        n = len(self.members.data or [])
        if field.data is not None and 2 <= n <= 9 and not threshold_allowed(field.data, n):
            raise ValidationError(
                _(
                    "Với %(n)s thành viên, số thành viên cần để giải mã phải từ %(least)s đến "
                    "%(n)s (ít nhất 2 và hơn một nửa Ban kiểm phiếu).",
                    n=n,
                    least=minimum_threshold(n),
                )
            )


def _taken(title: str) -> bool:
    return (
        db.session.scalar(select(ConfidenceVote.id).where(ConfidenceVote.title == title.strip()))
        is not None
    )


def _unused_title(base: str) -> str:
    """The default title, numbered when a vote already bears it ("… (lần 2)"), so that no two
    rows in a list look alike."""
    title, n = base, 1
    while _taken(title):
        n += 1
        title = f"{base} (lần {n})"  # a title is a document's text: always Vietnamese
    return title


def _title_is_free(form: NewVoteForm) -> bool:
    """Refuse a title another vote already has: counting members pick votes by title."""
    if _taken(form.title.data or ""):
        form.title.errors = [
            *form.title.errors,
            _("Đã có cuộc lấy phiếu tín nhiệm mang tiêu đề này; hãy đặt tiêu đề khác."),
        ]
        return False
    return True


def get_vote(public_id: str) -> ConfidenceVote:
    vote = db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.public_id == public_id))
    if vote is None:
        abort(404)
    return vote


@bp.get("/")
@login_required
def index():
    """List the votes of every conference."""
    votes = list(db.session.scalars(select(ConfidenceVote).order_by(ConfidenceVote.id.desc())))
    return render_template("votes/index.html", votes=votes, turnout=desk.turnout)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    """Create a confidence vote in a conference."""
    form = NewVoteForm()
    form.conference.choices = [(c.id, f"{c.name} ({dates_text(c)})") for c in conferences()]
    standing = db.session.scalar(select(Committee).where(Committee.kind == CommitteeKind.STANDING))
    form.leave_off.choices = (
        [(s.member_id, s.member.full_name) for s in standing.seats] if standing else []
    )
    if request.method == "GET" and not form.title.data and form.conference.choices:
        # the default names the conference, numbered when a vote already bears it
        first = db.session.get_one(Conference, form.conference.choices[0][0])
        form.title.data = _unused_title(default_vote_title(first))
    if form.validate_on_submit() and _title_is_free(form):
        conference = db.session.get_one(Conference, form.conference.data)
        rules = VoteRules(
            blank_row_allowed=bool(form.blank_row_allowed.data),
            dismiss_inclusive=bool(form.dismiss_inclusive.data),
        )
        title = (form.title.data or "").strip() or _unused_title(default_vote_title(conference))
        vote = setup.create_vote(conference, title, rules, form.leave_off.data or [])
        audit.record(
            g.user,
            "vote.created",
            f"vote:{vote.public_id}",
            {
                "title": vote.title,
                "conference": conference.name,
                "subjects": [s.full_name for s in vote.subjects],
            },
        )
        db.session.commit()
        flash(_("Đã tạo cuộc lấy phiếu tín nhiệm."), "success")
        return redirect(url_for("votes.show", public_id=vote.public_id))
    return render_template("votes/new.html", form=form)


@bp.route("/<public_id>", methods=["GET", "POST"])
@login_required
def show(public_id: str):
    """The vote's setup: ballot preview, rules, roll, counting committee and keys."""
    vote = get_vote(public_id)
    form = CommitteeForm()
    counting = list(
        db.session.scalars(
            select(User).where(User.role == Role.COUNTING, User.active).order_by(User.id)
        )
    )
    form.members.choices = [(u.id, u.full_name) for u in counting]
    form.chair.choices = [(u.id, u.full_name) for u in counting]
    if request.method == "POST":
        if not _is_admin():
            abort(403)
        if form.validate_on_submit():
            chosen = [u for u in counting if u.id in (form.members.data or [])]
            chair = next((u for u in counting if u.id == form.chair.data), None)
            if chair is None:
                flash(_("Hãy chọn Trưởng ban trong số thành viên."), "error")
            else:
                setup.set_counting_committee(vote, chosen, chair, form.threshold.data or 0)
                audit.record(
                    g.user,
                    "vote.committee_set",
                    f"vote:{vote.public_id}",
                    {
                        "members": [u.username for u in chosen],
                        "chair": chair.username,
                        "threshold": vote.threshold,
                    },
                )
                db.session.commit()
                flash(
                    _("Đã ghi nhận Ban kiểm phiếu; các thành viên có thể bắt đầu lễ tạo khóa."),
                    "success",
                )
                return redirect(url_for("votes.show", public_id=public_id))
    return render_template(
        "votes/show.html",
        vote=vote,
        form=form,
        button=EmptyForm(),
        counts=desk.turnout(vote),
        rules=setup.rules_of(vote),
        absent_committee=desk.absent_committee_members(vote) if vote.trustees else [],
        VoteState=VoteState,
    )


def _is_admin() -> bool:
    from flask import g

    return g.user is not None and g.user.role is Role.ADMIN


@bp.post("/<public_id>/open")
@roles_required(Role.ADMIN, Role.COUNTING)
def open_vote(public_id: str):
    """Open the vote (refused below quorum or before the keys exist); a counting member only
    for a vote whose committee they sit on."""
    vote = get_vote(public_id)
    require_committee(vote)
    if EmptyForm().validate_on_submit():
        desk.open_vote(vote)
        counts = desk.turnout(vote)
        audit.record(
            g.user,
            "vote.opened",
            f"vote:{vote.public_id}",
            {"summoned": counts.summoned, "present": counts.present},
        )
        db.session.commit()
        flash(_("Đã mở bỏ phiếu."), "success")
    return redirect(request.referrer or url_for("votes.show", public_id=public_id))


@bp.post("/<public_id>/ceremony/reset")
@roles_required(Role.ADMIN)
def reset_ceremony(public_id: str):
    """Start the key ceremony again."""
    vote = get_vote(public_id)
    if EmptyForm().validate_on_submit():
        ceremony.reset_ceremony(vote)
        audit.record(g.user, "vote.ceremony_reset", f"vote:{vote.public_id}")
        db.session.commit()
        flash(_("Đã bắt đầu lại lễ tạo khóa."), "warning")
    return redirect(url_for("votes.show", public_id=public_id))
