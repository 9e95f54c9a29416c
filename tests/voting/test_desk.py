"""The desk as a check-in: buttons that name the action, absences with reasons, one print run
of slips for everyone present, latecomers one at a time, revoking only with a reason."""

from __future__ import annotations

import re

from sqlalchemy import select

from ballot.audit.models import AuditEntry
from ballot.db import db
from ballot.voting.models import BallotCode, ConfidenceVote
from tests.conftest import csrf_token


def _roll(client, public_id):
    return client.get(f"/desk/{public_id}").get_data(as_text=True)


def _attendance(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-voter="(\d+)" data-attendance="(\w+)"', html))


def test_check_in_report_absent_and_print_everyone_present(
    demo_app, ready_vote, client, auth
) -> None:
    vote_id, _keys = ready_vote
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        public_id = vote.public_id
        ids = {v.rank: v.id for v in vote.voters}
    auth.login("desk", "desk-demo-2024")
    page = _roll(client, public_id)
    # before check-in nobody is "absent": they are not checked in yet, and the buttons say what they do
    assert set(_attendance(page).values()) == {"unknown"}
    assert page.count("Điểm danh có mặt") == 22 and page.count("Báo vắng…") == 22
    assert "Vắng mặt</span>" not in page
    token = csrf_token(client, f"/desk/{public_id}")
    for rank in (3, 1, 2, 5, 4):
        client.post(f"/desk/{public_id}/voters/{ids[rank]}/present/1", data={"csrf_token": token})
    client.post(
        f"/desk/{public_id}/voters/{ids[6]}/present/0",
        data={"csrf_token": token, "reason": "Đi công tác tại Hà Nội"},
    )
    page = _roll(client, public_id)
    attendance = _attendance(page)
    assert [attendance[str(r)] for r in range(1, 8)] == ["present"] * 5 + ["absent", "unknown"]
    assert "Lý do: Đi công tác tại Hà Nội" in page
    assert "Phát và in phiếu mã cho 5 đại biểu có mặt" in page

    sheet = client.post(f"/desk/{public_id}/issue-all", data={"csrf_token": token})
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    html = sheet.get_data(as_text=True)
    codes = re.findall(r"data-code>([0-9A-Z*~$=-]+)<", html)
    stubs = re.findall(r'<p class="stub">(\d+)\. ', html)
    assert len(set(codes)) == 5 and stubs == ["1", "2", "3", "4", "5"]  # roll order
    assert html.count("<svg") == 5
    with demo_app.app_context():
        assert len(db.session.scalars(select(BallotCode)).all()) == 5
        batch = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("code.issued%"))
        ).all()
        assert [e.action for e in batch] == ["code.issued"]  # one entry, no per-slip time
        assert batch[0].details["count"] == 5
        assert all(code not in str(batch[0].details) for code in codes)
    page = _roll(client, public_id)
    assert "Mọi đại biểu có mặt đều đã nhận mã phiếu." in page
    # a second run has nobody to print for: refused, nothing issued
    again = client.post(
        f"/desk/{public_id}/issue-all",
        data={"csrf_token": token},
        headers={"Referer": f"http://localhost/desk/{public_id}"},
        follow_redirects=True,
    )
    assert "Không còn đại biểu có mặt nào chưa nhận mã phiếu." in again.get_data(as_text=True)
    # a latecomer is checked in and gets one slip of their own
    client.post(f"/desk/{public_id}/voters/{ids[7]}/present/1", data={"csrf_token": token})
    page = _roll(client, public_id)
    assert f'/voters/{ids[7]}/issue"' in page
    single = client.post(f"/desk/{public_id}/voters/{ids[7]}/issue", data={"csrf_token": token})
    assert len(re.findall(r"data-code>", single.get_data(as_text=True))) == 1
    with demo_app.app_context():
        assert len(db.session.scalars(select(BallotCode)).all()) == 6


def test_revoking_asks_for_confirmation_and_a_reason(demo_app, ready_vote, client, auth) -> None:
    vote_id, _keys = ready_vote
    with demo_app.app_context():
        public_id = db.session.get_one(ConfidenceVote, vote_id).public_id
    auth.login("desk", "desk-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    voter_id = re.findall(r'/voters/(\d+)/present/1"', _roll(client, public_id))[0]
    client.post(f"/desk/{public_id}/voters/{voter_id}/present/1", data={"csrf_token": token})
    client.post(f"/desk/{public_id}/issue-all", data={"csrf_token": token})
    page = _roll(client, public_id)
    form = re.search(r'<form method="post" action="[^"]+/reissue"\s+data-confirm="([^"]+)"', page)
    assert form and "Mã cũ sẽ không dùng được nữa" in form.group(1)
    assert re.search(r'name="reason" maxlength="200" required', page)
    refused = client.post(
        f"/desk/{public_id}/voters/{voter_id}/reissue",
        data={"csrf_token": token},
        headers={"Referer": f"http://localhost/desk/{public_id}"},
        follow_redirects=True,
    )
    assert "Hãy ghi lý do hủy mã phiếu." in refused.get_data(as_text=True)
    with demo_app.app_context():
        assert len(db.session.scalars(select(BallotCode)).all()) == 1
    client.post(
        f"/desk/{public_id}/voters/{voter_id}/reissue",
        data={"csrf_token": token, "reason": "Rơi mất phiếu mã"},
    )
    with demo_app.app_context():
        assert sorted(c.state.value for c in db.session.scalars(select(BallotCode))) == [
            "issued",
            "revoked",
        ]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "code.reissued"))
        assert entry is not None and entry.details["reason"] == "Rơi mất phiếu mã"
