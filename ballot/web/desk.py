"""The desk: attendance against the quorum, one-time ballot codes and printable slips."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.voting import desk, issuance
from ballot.voting.models import VoteVoter
from ballot.web.access import roles_required
from ballot.web.votes import EmptyForm, get_vote

bp = Blueprint("desk", __name__, url_prefix="/desk")


def _voter(vote_id: int, voter_id: int) -> VoteVoter:
    voter = db.session.get(VoteVoter, voter_id)
    if voter is None or voter.vote_id != vote_id:
        abort(404)
    return voter


@bp.get("/<public_id>")
@roles_required(Role.DESK, Role.ADMIN)
def roll(public_id: str):
    """The roll of summoned members with attendance and code status."""
    vote = get_vote(public_id)
    return render_template(
        "desk/roll.html", vote=vote, counts=desk.turnout(vote), button=EmptyForm()
    )


@bp.post("/<public_id>/voters/<int:voter_id>/present/<int:present>")
@roles_required(Role.DESK, Role.ADMIN)
def set_present(public_id: str, voter_id: int, present: int):
    """Mark a member present (1) or absent (0)."""
    vote = get_vote(public_id)
    if EmptyForm().validate_on_submit():
        voter = _voter(vote.id, voter_id)
        warning = desk.set_present(vote, voter, bool(present))
        if warning:
            flash(warning, "warning")
        audit.record(
            g.user,
            "attendance.marked",
            f"vote:{vote.public_id}",
            {"voter": voter.full_name, "rank": voter.rank, "present": bool(present)},
        )
        db.session.commit()
    return redirect(url_for("desk.roll", public_id=public_id) + f"#voter-{voter_id}")


def _slip(vote_public_id: str, voter: VoteVoter, code: str, reissued: bool):
    booth = (
        url_for("booth.booth", public_id=vote_public_id, _external=True)
        + "#"
        + code.replace("-", "")
    )
    qr = segno.make(booth, error="m").svg_inline(scale=5, border=2)
    response = make_response(
        render_template(
            "desk/slip.html", voter=voter, code=code, booth_url=booth, qr_svg=qr, reissued=reissued
        )
    )
    # The code is shown once, on this page; no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<public_id>/voters/<int:voter_id>/issue")
@roles_required(Role.DESK, Role.ADMIN)
def issue(public_id: str, voter_id: int):
    """Issue a one-time code to a present member and show the slip to print."""
    vote = get_vote(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    voter = _voter(vote.id, voter_id)
    ((_, code),) = issuance.issue_batch(vote, [voter])
    issuance.record_issuance(g.user, vote, [voter])
    db.session.commit()
    return _slip(vote.public_id, voter, code, reissued=False)


@bp.post("/<public_id>/voters/<int:voter_id>/reissue")
@roles_required(Role.DESK, Role.ADMIN)
def reissue(public_id: str, voter_id: int):
    """Revoke a member's lost, unused slip and issue a new one."""
    vote = get_vote(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    voter = _voter(vote.id, voter_id)
    code = desk.revoke_and_reissue(vote, voter)
    issuance.record_issuance(g.user, vote, [voter], reissue=True)
    db.session.commit()
    flash(_("Đã hủy mã cũ và cấp mã mới."), "warning")
    return _slip(vote.public_id, voter, code, reissued=True)
