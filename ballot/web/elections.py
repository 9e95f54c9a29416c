"""Elections in the administrator's pages: create one in a conference (the list, the number
to elect, the surplus check of Art. 14 of 190-QĐ/TW and the conference's decision), its
results page and projector (candidates ranked, who is elected and why), and a further round
created from a result that needs one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ballot import audit
from ballot.audit.service import head as audit_head
from ballot.auth.models import Role
from ballot.db import db
from ballot.elections.rules import KIND_VI, Kind, MajorityBase, max_surplus
from ballot.labels import POSITION_VI
from ballot.org import numbering
from ballot.org.conferences import conferences, dates_text, session_date_warning
from ballot.org.models import Committee, CommitteeKind, Conference, Seat
from ballot.voting import desk
from ballot.voting.election_results import ElectionResults, election_results
from ballot.voting.election_rounds import create_further_round, default_decision
from ballot.voting.election_setup import Candidate, abc_key, create_election
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.web.access import may_see_results, roles_required
from ballot.web.documents import NumberForm
from ballot.web.votes import EmptyForm, _taken, _unused_title, get_vote

bp = Blueprint("elections", __name__, url_prefix="/votes")

#: What is elected, as the form and the pages name it (190-QĐ/TW Art. 3.1).
KIND_LABELS = {
    Kind.COMMITTEE: _l("Ban Chấp hành (cấp ủy)"),
    Kind.STANDING: _l("Ban Thường vụ"),
    Kind.SECRETARY: _l("Bí thư"),
    Kind.DEPUTY_SECRETARY: _l("Phó Bí thư"),
    Kind.INSPECTION: _l("Ủy ban Kiểm tra"),
    Kind.INSPECTION_CHAIR: _l("Chủ nhiệm Ủy ban Kiểm tra"),
    Kind.DELEGATES: _l("Đại biểu dự đại hội cấp trên"),
}
BASE_LABELS = {
    MajorityBase.CONVENED: _l("Số người được triệu tập (Điều 30 Quy định 190-QĐ/TW)"),
    MajorityBase.VALID: _l("Số phiếu hợp lệ (khi đại hội quyết định như vậy)"),
}


class NewElectionForm(FlaskForm):
    conference = SelectField(_l("Hội nghị"), coerce=int, validators=[DataRequired()])
    kind = SelectField(_l("Bầu"), default=Kind.STANDING.value)
    seats = IntegerField(
        _l("Số lượng cần bầu"), validators=[DataRequired(), NumberRange(min=1, max=1000)]
    )
    members = SelectMultipleField(_l("Chọn từ Ban Chấp hành"), coerce=int)
    typed = TextAreaField(
        _l("Hoặc gõ tên (mỗi dòng một người: Họ và tên; chức vụ)"),
        validators=[Optional(), Length(max=20000)],
    )
    abc = BooleanField(_l("Xếp danh sách theo vần ABC của tên"), default=True)
    surplus_decision = TextAreaField(
        _l("Quyết định của đại hội (hội nghị) về số dư, nếu có (ghi vào biên bản)"),
        validators=[Optional(), Length(max=2000)],
    )
    majority_base = SelectField(_l("Quá một nửa tính trên"), default=MajorityBase.CONVENED.value)
    convened = IntegerField(
        _l("Số người được triệu tập dùng để tính (để trống: toàn bộ người được triệu tập)"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
    )
    title = StringField(
        _l("Tiêu đề"),
        description=_l("Để trống: “Bầu … tại hội nghị …”."),
        validators=[Optional(), Length(max=500)],
    )


class FurtherRoundForm(FlaskForm):
    decision = TextAreaField(
        _l("Quyết định của đại hội (hội nghị) về việc bầu tiếp"),
        validators=[Optional(), Length(max=2000)],
    )


def executive_seats() -> list[Seat]:
    """Members of the Executive Committees, the people an election chooses among by default."""
    return list(
        db.session.scalars(
            select(Seat)
            .join(Committee)
            .where(Committee.kind == CommitteeKind.EXECUTIVE)
            .order_by(Seat.committee_id, Seat.rank)
        )
    )


def typed_candidates(text: str) -> list[Candidate]:
    out = []
    for line in text.splitlines():
        if line.strip():
            name, _sep, position = line.partition(";")
            out.append(Candidate(name.strip(), position.strip()))
    return out


def surplus_table() -> list[tuple[int, int]]:
    """(seats, most names on a list with a capped surplus) for the form's explanation."""
    return [(s, s + max_surplus(s)) for s in (1, 3, 6, 9, 11, 15, 33)]


def _candidates(form: NewElectionForm, seats: list[Seat]) -> list[Candidate]:
    chosen = [
        Candidate(s.member.full_name, POSITION_VI[s.position], s.member_id)
        for s in seats
        if s.member_id in (form.members.data or [])
    ]
    listed = chosen + typed_candidates(form.typed.data or "")
    return sorted(listed, key=lambda c: abc_key(c.name)) if form.abc.data else listed


@bp.route("/elections/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    """Create an election in a conference: what is elected, how many, and the list."""
    form = NewElectionForm()
    form.conference.choices = [(c.id, f"{c.name} ({dates_text(c)})") for c in conferences()]
    form.kind.choices = [(k.value, label) for k, label in KIND_LABELS.items()]
    form.majority_base.choices = [(k.value, label) for k, label in BASE_LABELS.items()]
    seats = executive_seats()
    form.members.choices = [(s.member_id, s.member.full_name) for s in seats]
    error: VoteError | None = None
    if form.validate_on_submit():
        conference = db.session.get_one(Conference, form.conference.data)
        kind = Kind(form.kind.data)
        title = " ".join((form.title.data or "").split()) or _unused_title(
            f"Bầu {KIND_VI[kind]} tại {conference.name}"  # a title is a document's text: Vietnamese
        )
        if _taken(title):
            form.title.errors = [_("Đã có cuộc bầu cử hoặc cuộc lấy phiếu mang tiêu đề này.")]
        else:
            try:
                vote = create_election(
                    conference, title, kind, form.seats.data or 0, _candidates(form, seats),
                    surplus_decision=form.surplus_decision.data or "",
                    majority_base=MajorityBase(form.majority_base.data),
                    convened=form.convened.data,
                )  # fmt: skip
            except VoteError as exc:
                db.session.rollback()
                error = exc
            else:
                _audit_created(vote, conference)
                flash(_("Đã tạo cuộc bầu cử."), "success")
                return redirect(url_for("votes.show", public_id=vote.public_id))
    return render_template(
        "votes/new_election.html",
        form=form,
        seats=seats,
        error=error,
        surplus_table=surplus_table(),
        position_vi=POSITION_VI,
    )


def _audit_created(vote: ConfidenceVote, conference: Conference) -> None:
    audit.record(
        g.user,
        "election.created",
        f"vote:{vote.public_id}",
        {
            "title": vote.title,
            "conference": conference.name,
            "seats": (vote.election or {}).get("seats"),
            "subjects": [s.full_name for s in vote.subjects],
            "surplus_decision": (vote.election or {}).get("surplus_decision", ""),
            "round": vote.round_no,
            "previous": vote.previous.public_id if vote.previous else None,
        },
    )
    db.session.commit()


@bp.post("/<public_id>/further-round")
@roles_required(Role.ADMIN)
def further_round(public_id: str):
    """Create the next round of a counted election whose result needs one."""
    vote = get_vote(public_id)
    form = FurtherRoundForm()
    if not form.validate_on_submit():
        abort(400)
    second = create_further_round(vote, form.decision.data or "")
    _audit_created(second, vote.conference)
    flash(_("Đã tạo vòng bầu tiếp theo."), "success")
    return redirect(url_for("votes.show", public_id=second.public_id))


def later_rounds(vote: ConfidenceVote) -> list[ConfidenceVote]:
    return list(
        db.session.scalars(
            select(ConfidenceVote)
            .where(ConfidenceVote.previous_id == vote.id)
            .order_by(ConfidenceVote.id)
        )
    )


def page_context(vote: ConfidenceVote, results: ElectionResults) -> dict[str, Any]:
    return {
        "vote": vote,
        "results": results,
        "kind_label": KIND_LABELS[results.rules.kind],
        "base_label": BASE_LABELS[results.rules.majority_base],
        "later": later_rounds(vote),
    }


def results_page(vote: ConfidenceVote, me: Any) -> str:
    """The results page of a counted election (the caller checked who may see it)."""
    results = election_results(vote)
    form = FurtherRoundForm()
    form.decision.data = default_decision(vote)
    return render_template(
        "count/election_results.html",
        **page_context(vote, results),
        proof=results.proof,
        counts=desk.turnout(vote),
        me=me,
        button=EmptyForm(),
        round_form=form,
        audit_head=audit_head(),
        session_warning=session_date_warning(vote),
        minutes_number=numbering.find(numbering.MINUTES, f"vote:{vote.public_id}"),
        number_form=NumberForm(),
    )


def projector_page(vote: ConfidenceVote) -> str:
    """The projector of an election: turnout until counted, then the ranking (for the roles
    that may see results)."""
    results = (
        election_results(vote)
        if vote.state is VoteState.COUNTED and may_see_results(vote)
        else None
    )
    context = page_context(vote, results) if results else {"vote": vote, "results": None}
    return render_template(
        "count/election_projector.html",
        **context,
        counts=desk.turnout(vote),
        election=vote.election or {},
        kind_labels=KIND_LABELS,
    )


def kind_label(vote: ConfidenceVote) -> str:
    """What an election elects, in the reader's language (for lists and headings)."""
    kind = (vote.election or {}).get("kind")
    return str(KIND_LABELS[Kind(kind)]) if kind else ""


def init_app(app: Any) -> None:
    app.jinja_env.globals["election_kind_label"] = kind_label
    app.jinja_env.globals["base_labels"] = BASE_LABELS
    app.register_blueprint(bp)


__all__ = ["bp", "init_app", "projector_page", "results_page"]
