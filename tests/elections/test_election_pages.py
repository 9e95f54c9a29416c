"""The election's pages: creating one (admin only; the surplus check explained and refused
in Vietnamese; the conference's decision recorded), the vote list with its kind, the results
page and projector ranking the candidates, and a further round created from the results."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ballot.audit.models import AuditEntry
from ballot.db import db
from ballot.voting.models import ConfidenceVote, VoteKind
from tests.conftest import AuthActions, csrf_token

LOGINS = {
    "admin": ("admin", "admin-demo-2024"),
    "desk": ("desk", "desk-demo-2024"),
    "observer": ("observer", "observer-demo-2024"),
    "chair": ("kiemphieu1", "kp1-demo-2024"),
}
NEW = "/votes/elections/new"


def _client(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        assert AuthActions(client).login(*LOGINS[role]).status_code == 302, role
    return client


def _elections(app: Flask) -> list[ConfidenceVote]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ConfidenceVote).where(ConfidenceVote.kind == VoteKind.ELECTION)
            )
        )


def _form(client: FlaskClient, **fields: object) -> dict[str, object]:
    with client.application.app_context():
        from ballot.org.models import Conference

        conference = db.session.scalar(select(Conference.id))
    data = {
        "csrf_token": csrf_token(client, NEW), "conference": conference,
        "kind": "standing_committee", "seats": 6, "abc": "y", "majority_base": "convened",
    }  # fmt: skip
    data.update(fields)
    return data


def _executive_ids(app: Flask, n: int) -> list[int]:
    from ballot.web.elections import executive_seats

    with app.app_context():
        return [s.member_id for s in executive_seats()[:n]]


def test_only_the_administrator_creates_an_election(demo_app) -> None:  # type: ignore[no-untyped-def]
    assert _client(demo_app, "anonymous").get(NEW).status_code == 302
    for role in ("desk", "observer", "chair"):
        assert _client(demo_app, role).get(NEW).status_code == 403, role
    admin = _client(demo_app, "admin")
    page = admin.get(NEW).get_data(as_text=True)
    assert "Tạo cuộc bầu cử" in page and "Điều 14 Quy định 190-QĐ/TW" in page
    assert "bầu 6: tối đa 7 người" in page and "bầu 33: tối đa 42 người" in page
    forbidden = _client(demo_app, "desk")
    token = csrf_token(forbidden, "/votes/")
    assert forbidden.post(NEW, data={"csrf_token": token}).status_code == 403
    assert _elections(demo_app) == []


def test_an_election_created_from_members_in_abc_order(demo_app) -> None:  # type: ignore[no-untyped-def]
    admin = _client(demo_app, "admin")
    members = _executive_ids(demo_app, 7)
    response = admin.post(NEW, data=_form(admin, members=members))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [vote] = _elections(demo_app)
    assert response.headers["Location"].endswith(f"/votes/{vote.public_id}")
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote.id)
        names = [s.full_name for s in vote.subjects]
        assert len(names) == 7 and all(s.member_id in members for s in vote.subjects)
        from ballot.voting.election_setup import abc_key

        assert names == sorted(names, key=abc_key)
        assert vote.title.startswith("Bầu Ban Thường vụ tại ")
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "election.created"))
        assert entry is not None and entry.details["seats"] == 6
    show = admin.get(f"/votes/{vote.public_id}").get_data(as_text=True)
    assert "Mẫu phiếu bầu" in show and "giữ lại từ 1 đến 6 người" in show
    listing = admin.get("/votes/").get_data(as_text=True)
    assert 'data-kind="election"' in listing and "Bầu cử" in listing


def test_a_list_over_the_surplus_is_refused_in_vietnamese_and_nothing_is_stored(
    demo_app,
) -> None:  # type: ignore[no-untyped-def]
    admin = _client(demo_app, "admin")
    response = admin.post(NEW, data=_form(admin, members=_executive_ids(demo_app, 8)))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-error="election_surplus_over"' in page
    assert "số dư tối đa là 1; danh sách đang dư 2" in page
    typed = "\n".join(f"Đảng viên Số {i:02d}; Đảng viên" for i in range(14))
    refused = admin.post(NEW, data=_form(admin, kind="delegates", seats=10, typed=typed))
    assert 'data-error="election_surplus_decision"' in refused.get_data(as_text=True)
    assert _elections(demo_app) == []

    decision = "Đại hội biểu quyết thông qua danh sách 14 người"
    allowed = admin.post(
        NEW, data=_form(admin, kind="delegates", seats=10, typed=typed, surplus_decision=decision)
    )
    assert allowed.status_code == 302
    [vote] = _elections(demo_app)
    assert (vote.election or {})["surplus_decision"] == decision
    assert decision in admin.get(f"/votes/{vote.public_id}").get_data(as_text=True)
    english = _client(demo_app, "admin")
    english.get("/lang/en")
    again = english.post(NEW, data=_form(english, members=_executive_ids(demo_app, 8)))
    assert "the surplus is at most 30%" in again.get_data(as_text=True)


def test_results_page_and_projector_rank_the_candidates(demo_app, tied_election) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        public_id = db.session.get_one(ConfidenceVote, tied_election).public_id
    results, projector = f"/count/{public_id}/results", f"/count/{public_id}/projector"
    for role in ("admin", "observer", "chair"):
        page = _client(demo_app, role).get(results)
        assert page.status_code == 200, role
        html = page.get_data(as_text=True)
        assert "Kết quả bầu cử" in html and html.count('data-status="elected"') == 5
        assert html.count('data-status="tied"') == 2 and "65,00%" in html
        assert "Bầu tiếp trong số 2 người ngang phiếu cho 1 suất" in html
    desk = _client(demo_app, "desk")
    assert desk.get(results).status_code == 403
    turnout_only = desk.get(projector).get_data(as_text=True)
    assert "data-results" not in turnout_only and "Dấu vân tay của cuộc bầu cử" in turnout_only
    room = _client(demo_app, "observer").get(projector).get_data(as_text=True)
    assert "data-results" in room and room.count("data-candidate=") == 7
    english = _client(demo_app, "admin")
    english.get("/lang/en")
    html = english.get(results).get_data(as_text=True)
    assert "Election results" in html and "Tied at the last seat" in html


def test_a_further_round_is_created_from_the_results_page(demo_app, tied_election) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        first = db.session.get_one(ConfidenceVote, tied_election)
        public_id, first_id = first.public_id, first.id
    path = f"/votes/{public_id}/further-round"
    chair = _client(demo_app, "chair")
    token = csrf_token(chair, f"/count/{public_id}/results")
    assert chair.post(path, data={"csrf_token": token}).status_code == 403
    admin = _client(demo_app, "admin")
    token = csrf_token(admin, f"/count/{public_id}/results")
    response = admin.post(path, data={"csrf_token": token, "decision": "Đại hội quyết định"})
    assert response.status_code == 302
    with demo_app.app_context():
        second = db.session.scalar(
            select(ConfidenceVote).where(ConfidenceVote.previous_id == first_id)
        )
        assert second is not None and second.round_no == 2
        assert response.headers["Location"].endswith(f"/votes/{second.public_id}")
        assert (second.election or {})["surplus_decision"] == "Đại hội quyết định"
        count = db.session.scalar(select(func.count()).select_from(ConfidenceVote))
    page = admin.get(f"/count/{public_id}/results").get_data(as_text=True)
    assert "Đã tạo:" in page and second.title in page
    show = admin.get(f"/votes/{second.public_id}").get_data(as_text=True)
    assert "vòng 2" in show
    twice = admin.post(path, data={"csrf_token": token})
    assert twice.status_code == 409
    assert "đã được tạo" in twice.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConfidenceVote)) == count
