"""Conferences as first-class data (CLI and pages), default titles naming the conference,
and a counting committee that must be present."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ballot.auth.models import User
from ballot.db import db
from ballot.org.models import Conference
from ballot.voting import desk, setup
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from tests.conftest import csrf_token


def test_conferences_add_list_edit_on_the_command_line(demo_app, runner) -> None:
    added = runner.invoke(
        args=["conferences", "add", "--number", "18", "--date", "2024-06-20",
              "--end-date", "21/06/2024", "--place", "Hội trường Tỉnh ủy", "--term", "khóa VIII"]
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 18 (20/06/2024 – 21/06/2024)" in (
        added.output
    )
    rows = json.loads(runner.invoke(args=["conferences", "list", "--format", "json"]).output)
    new = rows[0]
    assert new["number"] == 18 and new["place"] == "Hội trường Tỉnh ủy"
    assert new["held_on"] == "2024-06-20" and new["ends_on"] == "2024-06-21"
    edited = runner.invoke(
        args=["conferences", "edit", str(new["id"]), "--number", "19", "--place", "Hội trường B"]
    )
    assert edited.exit_code == 0, edited.output
    with demo_app.app_context():
        conference = db.session.get_one(Conference, new["id"])
        assert conference.number == 19 and conference.place == "Hội trường B"
        assert conference.name.endswith("lần thứ 19") and conference.term == "khóa VIII"
    before = runner.invoke(args=["conferences", "list", "--format", "json"]).output
    bad = runner.invoke(args=["conferences", "edit", str(new["id"]), "--end-date", "2024-06-01"])
    assert bad.exit_code == 1 and "không được trước ngày khai mạc" in bad.output
    assert runner.invoke(args=["conferences", "list", "--format", "json"]).output == before
    assert runner.invoke(args=["conferences", "edit", "999"]).exit_code == 1
    listed = runner.invoke(args=["conferences", "list"]).output
    assert "lần thứ 19" in listed and "lần thứ 17" in listed


def test_conferences_are_created_and_edited_through_the_pages(demo_app, client, auth) -> None:
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, "/conferences/new")
    form = {
        "csrf_token": token, "number": "20", "held_on": "2024-07-01", "ends_on": "",
        "place": "Hội trường Đảng ủy Khối", "convening_organ": "Ban Chấp hành Đảng bộ Khối",
        "term": "khóa VIII", "name": "",
    }  # fmt: skip
    created = client.post("/conferences/new", data=form, follow_redirects=True)
    assert "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 20" in created.get_data(as_text=True)
    with demo_app.app_context():
        conference = db.session.scalar(select(Conference).where(Conference.number == 20))
        assert conference is not None
        conference_id = conference.id
    wrong = client.post(f"/conferences/{conference_id}", data={**form, "ends_on": "2024-06-30"})
    assert "không được trước ngày khai mạc" in wrong.get_data(as_text=True)
    client.post(f"/conferences/{conference_id}", data={**form, "place": "Phòng họp số 2"})
    with demo_app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        assert conference.place == "Phòng họp số 2" and conference.ends_on is None
    auth.logout()
    auth.login("desk", "desk-demo-2024")
    assert client.get("/conferences/new").status_code == 403


def test_a_new_vote_is_titled_after_its_conference(demo_app, client, auth) -> None:
    from datetime import date

    from ballot.org.conferences import ConferenceFields, create_conference

    with demo_app.app_context():
        other = create_conference(ConferenceFields(number=18, held_on=date(2024, 6, 20)))
        db.session.commit()
        ids = [c.id for c in db.session.scalars(select(Conference).order_by(Conference.id))]
    auth.login("admin", "admin-demo-2024")
    for conference_id in ids:
        token = csrf_token(client, "/votes/new")
        made = client.post(
            "/votes/new",
            data={"csrf_token": token, "conference": str(conference_id), "title": "",
                  "blank_row_allowed": "y", "dismiss_inclusive": "y"},
        )  # fmt: skip
        assert made.status_code == 302
    with demo_app.app_context():
        titles = [v.title for v in db.session.scalars(select(ConfidenceVote))]
        assert len(set(titles)) == len(titles) == 2
        assert any(t.endswith("tại Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 17") for t in titles)
        assert any(t.endswith("lần thứ 18") for t in titles) and other.id in ids


def test_an_absent_counting_member_warns_and_blocks_opening_until_the_committee_changes(
    demo_app, ready_vote, make_user, client, auth
) -> None:
    from ballot.voting.simulate import run_key_ceremony

    vote_id, _ = ready_vote
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        for voter in vote.voters[:18]:
            desk.set_present(vote, voter, True)
        members = dict(desk.committee_voters(vote))
        chair_line = next(v for t, v in members.items() if t.is_chair)
        assert all(v is not None for v in members.values()) and chair_line is not None
        db.session.commit()
        chair_voter_id, public_id = chair_line.id, vote.public_id
    # the desk marks the chair of the counting committee absent: a warning, not a refusal
    auth.login("desk", "desk-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    marked = client.post(
        f"/desk/{public_id}/voters/{chair_voter_id}/present/0",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "là thành viên Ban kiểm phiếu do Hội nghị bầu" in marked.get_data(as_text=True)
    auth.logout()
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        with pytest.raises(VoteError) as refused:
            desk.open_vote(vote)
        assert refused.value.code == "committee_absent"
        assert "Đặng Quốc Khánh" in refused.value.vi
        db.session.rollback()
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.READY and vote.opened_at is None
        # the committee is changed: a present member replaces the absent chair
        replacement = vote.voters[0]
    auth.login("admin", "admin-demo-2024")
    page = client.get(f"/votes/{public_id}").get_data(as_text=True)
    assert "Thành viên Ban kiểm phiếu không có mặt: Đặng Quốc Khánh" in page
    auth.logout()
    new_id = make_user("kiemphieu4", "counting", member_id=replacement.member_id)
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        users = [
            db.session.get_one(User, i) for i in (new_id, *[t.user_id for t in vote.trustees][1:])
        ]
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        assert vote.state is VoteState.CEREMONY and vote.fingerprint is None
        run_key_ceremony(vote)
        assert desk.absent_committee_members(vote) == []
        desk.open_vote(vote)
        assert vote.state is VoteState.OPEN
