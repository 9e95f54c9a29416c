"""The counting committee: live turnout, key ceremony, closing, decryption, results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ballot import audit
from ballot.audit.service import head as audit_head
from ballot.auth.models import Role
from ballot.db import db
from ballot.org import numbering
from ballot.org.conferences import session_date_warning
from ballot.voting import counting, desk, publication, published, setup
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState, VoteTrustee
from ballot.web import elections
from ballot.web.access import (
    login_required,
    may_see_results,
    require_committee,
    roles_required,
)
from ballot.web.documents import NumberForm
from ballot.web.votes import EmptyForm, get_vote

bp = Blueprint("count", __name__, url_prefix="/count")

READERS = (Role.COUNTING, Role.ADMIN, Role.OBSERVER)


def _my_trustee(vote: ConfidenceVote) -> VoteTrustee | None:
    return next((t for t in vote.trustees if t.user_id == g.user.id), None)


def _no_store(html: str):
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<public_id>")
@roles_required(*READERS)
def console(public_id: str):
    """Turnout, updated live, and the committee's next actions. Never anything about choices."""
    vote = get_vote(public_id)
    require_committee(vote)
    return _no_store(
        render_template(
            "count/console.html",
            vote=vote,
            counts=desk.turnout(vote),
            me=_my_trustee(vote),
            button=EmptyForm(),
            VoteState=VoteState,
        )
    )


@bp.get("/<public_id>/projector")
@login_required
def projector(public_id: str):
    """The room's reference on the projector: state, turnout against the quorum, the
    committee's threshold, the fingerprint; after closing the closing hash; then the results,
    for the roles that may see them (ballot.voting.publication): the desk sees turnout only
    until the chair publishes."""
    vote = get_vote(public_id)
    if vote.is_election:
        return _no_store(elections.projector_page(vote))
    rows = counting.results(vote) if may_see_results(vote) else None
    return _no_store(
        render_template(
            "count/projector.html",
            vote=vote,
            counts=desk.turnout(vote),
            rows=rows,
            levels=vote.levels,
            rules=setup.rules_of(vote),
        )
    )


@bp.post("/<public_id>/close")
@roles_required(Role.COUNTING)
def close(public_id: str):
    """The chair closes the vote: no ballot is accepted after, and the board is frozen."""
    vote = get_vote(public_id)
    _require_chair(vote)
    if EmptyForm().validate_on_submit():
        counting.close_vote(vote)
        closing = vote.closing or {}
        audit.record(
            g.user,
            "vote.closed",
            f"vote:{vote.public_id}",
            {
                "count": closing.get("count"),
                "closing_hash": closing.get("hash"),
                "attendance": closing.get("attendance"),
            },
        )
        db.session.commit()
        counting.scrub_storage()
        flash(_("Đã khóa sổ: bảng phiếu công khai không nhận thêm phiếu."), "success")
    return redirect(url_for("count.console", public_id=public_id))


def _require_chair(vote: ConfidenceVote, code: str = "not_chair") -> None:
    me = _my_trustee(vote)
    if me is None or not me.is_chair:
        raise VoteError(code, 403)


@bp.post("/<public_id>/publish")
@roles_required(Role.COUNTING)
def publish(public_id: str):
    """The chair publishes the counted results: from now on anyone may read them (results
    page, projector, API, election record)."""
    vote = get_vote(public_id)
    _require_chair(vote, "not_chair_publish")
    if EmptyForm().validate_on_submit():
        publication.publish(vote)
        audit.record(g.user, "vote.published", f"vote:{vote.public_id}", {})
        db.session.commit()
        flash(_("Đã công bố kết quả."), "success")
    return redirect(url_for("count.results", public_id=public_id))


def _member_device_page(public_id: str, template: str):
    """A page whose work runs on a committee member's own device (members of this vote only)."""
    vote = get_vote(public_id)
    if _my_trustee(vote) is None:
        abort(403)
    return _no_store(render_template(template, vote=vote))


@bp.get("/<public_id>/ceremony")
@roles_required(Role.COUNTING)
def ceremony(public_id: str):
    """This member's part of the key ceremony, run on their own device."""
    return _member_device_page(public_id, "count/ceremony.html")


@bp.get("/<public_id>/decrypt")
@roles_required(Role.COUNTING)
def decrypt(public_id: str):
    """This member loads their key file and decrypts the aggregate on their own device."""
    return _member_device_page(public_id, "count/decrypt.html")


@bp.get("/<public_id>/results")
@login_required
def results(public_id: str):
    """Results per subject with percentages of ballots received and the regulation's flags
    (the roles that may see them before publication; everyone logged in after)."""
    vote = get_vote(public_id)
    if vote.is_election:  # candidates ranked, who is elected and why (190-QĐ/TW)
        if vote.state is VoteState.COUNTED and not may_see_results(vote):
            abort(403)
        return _no_store(elections.results_page(vote, _my_trustee(vote)))
    rows = counting.results(vote)
    if not may_see_results(vote):
        abort(403)
    return _no_store(
        render_template(
            "count/results.html",
            vote=vote,
            rows=rows,
            proof=published.verified_record(vote),
            levels=vote.levels,
            counts=desk.turnout(vote),
            rules=setup.rules_of(vote),
            me=_my_trustee(vote),
            button=EmptyForm(),
            audit_head=audit_head(),
            session_warning=session_date_warning(vote),
            minutes_number=numbering.find(numbering.MINUTES, f"vote:{vote.public_id}"),
            number_form=NumberForm(),
        )
    )
