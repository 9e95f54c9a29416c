"""The desk: attendance against the quorum, one-time ballot codes and printable slips."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ballot import audit
from ballot.auth.models import Role
from ballot.db import db
from ballot.voting import desk, issuance
from ballot.voting.models import ConfidenceVote, VoteVoter
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
    """Check a member in as present (1), or report them absent (0) with an optional reason."""
    vote = get_vote(public_id)
    if EmptyForm().validate_on_submit():
        voter = _voter(vote.id, voter_id)
        reason = None if present else (request.form.get("reason") or "").strip()[:200] or None
        if desk.set_present(vote, voter, bool(present), reason):
            flash(
                _(
                    "Đồng chí %(name)s là thành viên Ban kiểm phiếu do Hội nghị bầu. Ban kiểm "
                    "phiếu phải có mặt: không thể mở bỏ phiếu cho đến khi đồng chí có mặt hoặc "
                    "Ban kiểm phiếu được thay đổi.",
                    name=voter.full_name,
                ),
                "warning",
            )
        details: dict[str, object] = {"voter": voter.full_name, "rank": voter.rank}
        details["present"] = bool(present)
        if reason:
            details["reason"] = reason
        audit.record(g.user, "attendance.marked", f"vote:{vote.public_id}", details)
        db.session.commit()
    return redirect(url_for("desk.roll", public_id=public_id) + f"#voter-{voter_id}")


def _booth_link(vote_public_id: str, code: str) -> str:
    return (
        url_for("booth.booth", public_id=vote_public_id, _external=True)
        + "#"
        + code.replace("-", "")
    )


def _slips(vote: ConfidenceVote, issued: list[tuple[VoteVoter, str]], reissued: bool):
    """The page of slips to print and cut (A4, several to a sheet), never cached."""
    slips = []
    for voter, code in issued:
        link = _booth_link(vote.public_id, code)
        qr = segno.make(link, error="m").svg_inline(scale=4, border=1)
        slips.append({"voter": voter, "code": code, "qr_svg": qr})
    booth_url = url_for("booth.booth", public_id=vote.public_id, _external=True)
    response = make_response(
        render_template(
            "desk/slip.html", vote=vote, slips=slips, booth_url=booth_url, reissued=reissued
        )
    )
    # The codes are shown once, on this page; no cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<public_id>/issue-all")
@roles_required(Role.DESK, Role.ADMIN)
def issue_all(public_id: str):
    """Issue codes to everyone present without one, in roll order, and show the sheets."""
    vote = get_vote(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    waiting = desk.waiting_for_codes(vote)
    issued = issuance.issue_batch(vote, waiting)
    # One entry for the print run: who received a slip, never when each one did.
    issuance.record_issuance(g.user, vote, waiting)
    db.session.commit()
    return _slips(vote, issued, reissued=False)


@bp.post("/<public_id>/voters/<int:voter_id>/issue")
@roles_required(Role.DESK, Role.ADMIN)
def issue(public_id: str, voter_id: int):
    """Issue a one-time code to a present member (a latecomer) and show the slip to print."""
    vote = get_vote(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    voter = _voter(vote.id, voter_id)
    ((_, code),) = issuance.issue_batch(vote, [voter])
    issuance.record_issuance(g.user, vote, [voter])
    db.session.commit()
    return _slips(vote, [(voter, code)], reissued=False)


@bp.post("/<public_id>/voters/<int:voter_id>/reissue")
@roles_required(Role.DESK, Role.ADMIN)
def reissue(public_id: str, voter_id: int):
    """Revoke a member's lost, unused slip for the reason given, and issue a new one."""
    vote = get_vote(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    voter = _voter(vote.id, voter_id)
    reason = (request.form.get("reason") or "").strip()[:200]
    code = desk.revoke_and_reissue(vote, voter, reason)
    issuance.record_issuance(g.user, vote, [voter], reissue=True, reason=reason)
    db.session.commit()
    flash(_("Đã hủy mã cũ và cấp mã mới."), "warning")
    return _slips(vote, [(voter, code)], reissued=True)
