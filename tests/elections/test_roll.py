"""The roll of an election (danh sách đại biểu được triệu tập, issue 16 "scale of a
congress"): replaced whole before the keys, every line checked first and nothing changed on
any error; the counting committee on it; the convened number following it; the setup page's
section (upload or paste, preview, errors per line, replace); the desk with 300 delegates;
and a whole election held with a pasted roll whose record verifies."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ballot.audit.models import AuditEntry
from ballot.auth.models import Role, User
from ballot.crypto.election_record import verify_election_record
from ballot.db import db
from ballot.elections.rules import Kind
from ballot.org.models import Conference, Member
from ballot.voting import desk, setup
from ballot.voting.election_demo import hold
from ballot.voting.election_rounds import create_further_round
from ballot.voting.election_setup import create_election
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState
from ballot.voting.published import election_record
from ballot.voting.roll import (
    MAX_ROWS,
    RollRefused,
    RollRow,
    plan_roll,
    rows_from_file,
    rows_from_text,
    set_roll,
)
from tests.conftest import AuthActions, csrf_token

from .conftest import TITLE, standing_list

LOGINS = {
    "admin": ("admin", "admin-demo-2024"),
    "desk": ("desk", "desk-demo-2024"),
    "observer": ("observer", "observer-demo-2024"),
    "counting": ("kiemphieu1", "kp1-demo-2024"),
}


def _counting() -> list[User]:
    query = select(User).where(User.role == Role.COUNTING).order_by(User.id)
    return list(db.session.scalars(query))[:3]


def _draft(convened: int | None = None) -> ConfidenceVote:
    conference = db.session.scalar(select(Conference).order_by(Conference.id))
    assert conference is not None
    return create_election(conference, TITLE, Kind.STANDING, 6, standing_list(), convened=convened)


def congress(n: int) -> list[RollRow]:
    """`n` delegates: the three counting members (their real names), then numbered ones."""
    out = [RollRow(i + 1, u.full_name, "Đại biểu chính thức") for i, u in enumerate(_counting())]
    for i in range(len(out) + 1, n + 1):
        out.append(RollRow(i, f"Đại biểu Số {i:03d}", f"Đảng bộ cơ sở {i % 40 + 1}"))
    return out


def _roll(vote: ConfidenceVote) -> list[tuple[int, str, str, int | None]]:
    return [(v.rank, v.full_name, v.position, v.member_id) for v in vote.voters]


def _client(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        assert AuthActions(client).login(*LOGINS[role]).status_code == 302, role
    return client


def test_a_congress_of_300_delegates_is_summoned_and_the_majority_base_follows(
    demo_app: Flask,
) -> None:
    with demo_app.app_context():
        vote = _draft()
        assert len(vote.voters) == 22 and vote.election is not None
        assert vote.election["convened"] == 22  # the Executive Committee, by default
        started = time.perf_counter()
        plan = set_roll(vote, congress(300))
        elapsed = time.perf_counter() - started
        db.session.commit()
        vote = db.session.get_one(ConfidenceVote, vote.id)
        assert [v.rank for v in vote.voters] == list(range(1, 301))
        assert vote.voters[3].full_name == "Đại biểu Số 004"
        assert vote.voters[3].position == "Đảng bộ cơ sở 5" and vote.voters[3].member_id is None
        assert vote.election is not None and vote.election["convened"] == 300
        # a counting member is matched to their member record when no other member of the
        # organisation bears the name (else the desk matches them by name)
        for user, voter in zip(_counting(), vote.voters[:3], strict=True):
            bearers = db.session.scalar(
                select(func.count()).where(Member.full_name == user.full_name)
            )
            assert voter.member_id == (user.member_id if bearers == 1 else None), bearers
        assert plan.matched == sum(v.member_id is not None for v in vote.voters)
        assert len(plan.rows) == 300
        assert desk.turnout(vote).summoned == 300 and desk.turnout(vote).quorum_needed == 200
        assert elapsed < 5, elapsed


def test_a_name_shared_by_two_members_of_the_organisation_stays_unmatched(
    demo_app: Flask,
) -> None:
    with demo_app.app_context():
        vote = _draft()
        shared = db.session.execute(
            select(Member.full_name).group_by(Member.full_name).having(func.count() > 1).limit(1)
        ).scalar_one()
        unique = db.session.execute(
            select(Member.full_name, func.min(Member.id))
            .group_by(Member.full_name)
            .having(func.count() == 1)
            .limit(1)
        ).one()
        rows = [*congress(5), RollRow(6, shared, "A"), RollRow(7, unique[0], "B")]
        set_roll(vote, rows)
        assert vote.voters[5].member_id is None and vote.voters[6].member_id == unique[1]
        # with the member's code the row is matched, whatever the name's other bearers
        code = db.session.scalars(select(Member.code).where(Member.full_name == shared)).first()
        set_roll(vote, [*congress(5), RollRow(6, shared, "A", code or "")])
        assert vote.voters[5].member_id is not None


BAD_ROLLS: dict[str, tuple[str, int | None, Any]] = {
    "empty name": ("roll_line_no_name", 4, lambda r: [*r[:3], RollRow(4, "", "Ủy viên"), *r[4:]]),
    "name too long": ("roll_line_name_long", 5, lambda r: [*r[:4], RollRow(5, "A" * 121), *r[5:]]),
    "position too long": (
        "roll_line_position_long", 6, lambda r: [*r[:5], RollRow(6, "Lê Văn Tư", "x" * 256)]
    ),
    "duplicate": ("roll_line_duplicate", 11, lambda r: [*r, RollRow(11, r[6].name, r[6].position)]),
    "unknown member code": (
        "roll_line_unknown_code", 11, lambda r: [*r, RollRow(11, "Lê Văn Tư", "", "DV99999")]
    ),
    "code of someone else": (
        "roll_line_code_name", 11, lambda r: [*r, RollRow(11, "Lê Văn Tư", "", "DV00001")]
    ),
    "too few": ("roll_too_few", None, lambda r: r[:2]),
    "too many": (
        "roll_too_many", None,
        lambda r: [*r, *(RollRow(i, f"Người {i}") for i in range(11, MAX_ROWS + 2))],
    ),
    "convened above the roll": ("roll_bad_convened", None, "convened"),
    "counting member left off": ("roll_missing_committee", None, "committee"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_ROLLS))
def test_each_refusal_names_its_line_and_leaves_the_summoned_list_untouched(
    demo_app: Flask, committee_ids: list[int], case: str
) -> None:
    code, line, make = BAD_ROLLS[case]
    with demo_app.app_context():
        vote = _draft(convened=20 if make == "convened" else None)
        rows = congress(10)
        if make == "committee":
            users = [db.session.get_one(User, uid) for uid in committee_ids]
            setup.set_counting_committee(vote, users, users[0], threshold=2)
            rows = congress(10)[1:]  # the first counting member is not on it
        elif make != "convened":
            rows = make(rows)
        db.session.commit()
        before, convened = _roll(vote), dict(vote.election or {})
        with pytest.raises(RollRefused) as refused:
            set_roll(vote, rows)
        problems = refused.value.problems
        assert refused.value.code == "roll_refused" and refused.value.status == 400
        assert [(n, e.code) for n, e in problems] == [(line, code)], problems
        message = problems[0][1]
        if line is not None:
            assert message.vi.startswith(f"Dòng {line}:") and message.en.startswith(f"Line {line}:")
        assert message.en != message.vi and "%(" not in message.en
        assert _roll(vote) == before and vote.election == convened
        db.session.rollback()
        vote = db.session.get_one(ConfidenceVote, vote.id)
        assert _roll(vote) == before and vote.election == convened


def test_every_wrong_line_is_named_at_once(demo_app: Flask) -> None:
    with demo_app.app_context():
        vote = _draft()
        text = "\n".join(
            [f"{u.full_name}; Ủy viên" for u in _counting()]
            + ["; không tên", "Lê Văn Tư; Sở Y tế", "Lê Văn Tư; Sở Y tế", "", "B" * 130]
        )
        plan = plan_roll(vote, rows_from_text(text))
        assert [(n, e.code) for n, e in plan.problems] == [
            (4, "roll_line_no_name"),
            (6, "roll_line_duplicate"),
            (8, "roll_line_name_long"),
        ]
        assert len(vote.voters) == 22


def test_the_roll_is_frozen_once_the_keys_exist(
    demo_app: Flask, ready_election: tuple[int, Any]
) -> None:
    vote_id, _keys = ready_election
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        assert vote.state is VoteState.READY
        before = _roll(vote)
        with pytest.raises(VoteError) as refused:
            set_roll(vote, congress(30))
        assert refused.value.code == "roll_frozen" and refused.value.status == 409
        assert "key ceremony" in refused.value.en and _roll(vote) == before


def test_a_confidence_vote_keeps_the_executive_committee(demo_app: Flask) -> None:
    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, "Lấy phiếu thử")
        with pytest.raises(VoteError) as refused:
            set_roll(vote, congress(30))
        assert refused.value.code == "not_an_election" and len(vote.voters) == 22


def test_the_counting_committee_must_be_on_the_roll(
    demo_app: Flask, committee_ids: list[int]
) -> None:
    with demo_app.app_context():
        vote = _draft()
        users = [db.session.get_one(User, uid) for uid in committee_ids]
        set_roll(vote, congress(40)[1:])  # the first counting member is not summoned
        with pytest.raises(VoteError) as refused:
            setup.set_counting_committee(vote, users, users[1], threshold=2)
        assert refused.value.code == "roll_committee_off" and users[0].full_name in refused.value.vi
        assert vote.state is VoteState.DRAFT and not vote.trustees
        set_roll(vote, congress(40))
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        assert all(voter is not None for _t, voter in desk.committee_voters(vote))
        # during the key ceremony the roll may still change, the committee kept on it
        set_roll(vote, congress(50))
        assert vote.state is VoteState.CEREMONY and len(vote.voters) == 50


def test_the_convened_number_follows_the_roll_unless_it_was_set(demo_app: Flask) -> None:
    with demo_app.app_context():
        following, fixed = _draft(), _draft(convened=20)
        fixed.title += " (2)"
        set_roll(following, congress(30))
        set_roll(fixed, congress(30))
        assert following.election is not None and following.election["convened"] == 30
        assert fixed.election is not None and fixed.election["convened"] == 20
        set_roll(following, congress(250), convened=240)
        assert following.election["convened"] == 240 and len(following.voters) == 250
        set_roll(following, congress(245))  # set, so kept
        assert following.election["convened"] == 240
        with pytest.raises(RollRefused) as refused:
            set_roll(following, congress(200))
        assert refused.value.problems[0][1].code == "roll_bad_convened"
        assert following.election["convened"] == 240 and len(following.voters) == 245


def test_file_readers_take_the_usual_shapes(demo_app: Flask) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH ĐẠI BIỂU CHÍNH THỨC DỰ ĐẠI HỘI"])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ghi chú"])
    sheet.append([1, "Nguyễn Văn An", "Bí thư", "Đảng bộ Sở Y tế"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị"])  # a page's header, repeated
    sheet.append([2, "Trần Thị Bình", None, "Chi bộ Văn phòng", "vắng"])
    buffer = io.BytesIO()
    book.save(buffer)
    with demo_app.test_request_context():
        rows = rows_from_file(buffer.getvalue(), "dai-bieu.xlsx")
        assert rows == [
            RollRow(3, "Nguyễn Văn An", "Bí thư, Đảng bộ Sở Y tế"),
            RollRow(6, "Trần Thị Bình", "Chi bộ Văn phòng"),
        ]
        csv = "Nguyễn Văn An;Bí thư\r\n3;Trần  Thị Bình;Chi bộ Văn phòng\r\n".encode()
        assert [(r.line, r.name, r.position) for r in rows_from_file(csv, "a.csv")] == [
            (1, "Nguyễn Văn An", "Bí thư"),
            (2, "Trần Thị Bình", "Chi bộ Văn phòng"),
        ]
        pasted = "1. Lê Văn Cường; Phó Bí thư; Sở Tài chính\n\n4\tVõ Thị Dung\tỦy viên\n"
        assert rows_from_text(pasted) == [
            RollRow(1, "Lê Văn Cường", "Phó Bí thư; Sở Tài chính"),
            RollRow(3, "Võ Thị Dung", "Ủy viên"),
        ]


# The page -------------------------------------------------------------------------------


def _draft_id(app: Flask) -> str:
    with app.app_context():
        vote = _draft()
        db.session.commit()
        return vote.public_id


def _post(client: FlaskClient, public_id: str, **data: Any) -> Any:
    data["csrf_token"] = csrf_token(client, f"/votes/{public_id}")
    return client.post(f"/votes/{public_id}/roll", data=data, content_type="multipart/form-data")


def _names(app: Flask, public_id: str) -> list[str]:
    with app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        return [v.full_name for v in vote.voters]


@pytest.mark.parametrize("role", ["desk", "observer", "counting"])
def test_only_the_administrator_may_change_the_roll(demo_app: Flask, role: str) -> None:
    public_id = _draft_id(demo_app)
    client = _client(demo_app, role)
    assert client.get(f"/votes/{public_id}/roll").status_code == 403
    assert client.post(f"/votes/{public_id}/roll", data={"text": "A; B"}).status_code in (400, 403)
    assert "roll-form" not in client.get(f"/votes/{public_id}").get_data(as_text=True)
    assert len(_names(demo_app, public_id)) == 22
    anonymous = _client(demo_app, "anonymous").get(f"/votes/{public_id}/roll")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_administrator_previews_then_replaces_a_pasted_roll(demo_app: Flask) -> None:
    public_id = _draft_id(demo_app)
    client = _client(demo_app, "admin")
    page = client.get(f"/votes/{public_id}").get_data(as_text=True)
    assert "Danh sách đại biểu được triệu tập" in page and "roll-form" in page
    assert client.get(f"/votes/{public_id}/roll").status_code == 200
    with demo_app.app_context():
        text = "\n".join(f"{r.name}; {r.position}" for r in congress(35))
    preview = _post(client, public_id, text=text, preview="y")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-roll-ok="35"' in body
    assert "Đại biểu Số 035" in body and len(_names(demo_app, public_id)) == 22
    done = _post(client, public_id, text=text, replace="y")
    assert done.status_code == 302 and done.headers["Location"].endswith("#roll")
    names = _names(demo_app, public_id)
    assert len(names) == 35 and names[-1] == "Đại biểu Số 035"
    shown = client.get(f"/votes/{public_id}").get_data(as_text=True)
    assert "Đã thay danh sách đại biểu được triệu tập: 35 người (" in shown
    with demo_app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "election.roll_set")
        ).one()
        assert entry.details["summoned"] == 35 and entry.details["before"] == 22
        assert entry.details["convened"] == 35 and entry.details["file"] == ""
    log = client.get("/audit/").get_data(as_text=True)
    assert "thay danh sách đại biểu được triệu tập của" in log and "văn bản dán vào" in log


def test_errors_are_listed_per_line_and_nothing_is_replaced(demo_app: Flask) -> None:
    public_id = _draft_id(demo_app)
    client = _client(demo_app, "admin")
    text = "Nguyễn Văn An; Bí thư\n; Phó Bí thư\nTrần Văn Ba; Ủy viên\nNguyễn Văn An; Bí thư\n"
    for button in ("preview", "replace"):
        refused = _post(client, public_id, text=text, **{button: "y"})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, button
        assert 'data-line="2"' in body and "Dòng 2: chưa ghi họ và tên." in body
        assert "Dòng 4: trùng với dòng 1" in body and 'data-roll-errors="2"' in body
        assert len(_names(demo_app, public_id)) == 22
    bad_file = _post(
        client, public_id, file=(io.BytesIO(b"PK\x03\x04junk"), "roll.xlsx"), replace="y"
    )
    assert bad_file.status_code == 400 and "Excel" in bad_file.get_data(as_text=True)


def test_an_uploaded_file_replaces_the_roll(demo_app: Flask) -> None:
    public_id = _draft_id(demo_app)
    client = _client(demo_app, "admin")
    with demo_app.app_context():
        lines = ["STT;Họ và tên;Chức vụ, đơn vị"]
        lines += [f"{r.line};{r.name};{r.position}" for r in congress(40)]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    preview = _post(client, public_id, file=(io.BytesIO(data), "dai-bieu.csv"), preview="y")
    assert preview.status_code == 200 and 'data-roll-ok="40"' in preview.get_data(as_text=True)
    done = _post(
        client, public_id, file=(io.BytesIO(data), "dai-bieu.csv"), convened="38", replace="y"
    )
    assert done.status_code == 302
    with demo_app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        assert len(vote.voters) == 40 and vote.election is not None
        assert vote.election["convened"] == 38


@pytest.mark.slow  # 300 delegates through the desk (~4 s)
def test_the_desk_marks_and_issues_codes_for_300_delegates(
    demo_app: Flask, committee_ids: list[int]
) -> None:
    from ballot.voting.simulate import run_key_ceremony

    with demo_app.app_context():
        vote = _draft()
        set_roll(vote, congress(300))
        users = [db.session.get_one(User, uid) for uid in committee_ids]
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        run_key_ceremony(vote)
        for voter in vote.voters[:250]:
            desk.set_present(vote, voter, True)
        db.session.commit()
        public_id, last = vote.public_id, vote.voters[299].id
    client = _client(demo_app, "desk")
    started = time.perf_counter()
    page = client.get(f"/desk/{public_id}")
    elapsed = time.perf_counter() - started
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and body.count("data-voter=") == 300, elapsed
    assert "Đại biểu Số 300" in body and elapsed < 3, elapsed
    token = csrf_token(client, f"/desk/{public_id}")
    marked = client.post(f"/desk/{public_id}/voters/{last}/present/1", data={"csrf_token": token})
    assert marked.status_code == 302
    issued = client.post(f"/desk/{public_id}/voters/{last}/issue", data={"csrf_token": token})
    assert issued.status_code == 200 and "Đại biểu Số 300" in issued.get_data(as_text=True)
    started = time.perf_counter()
    batch = client.post(f"/desk/{public_id}/issue-all", data={"csrf_token": token})
    assert batch.status_code == 200 and time.perf_counter() - started < 10
    with demo_app.app_context():
        counts = desk.turnout(db.session.get_one(ConfidenceVote, vote.id))
        assert (counts.summoned, counts.present, counts.codes_held) == (300, 251, 251)


def test_a_whole_election_held_with_a_pasted_roll_verifies(
    demo_app: Flask, committee_ids: list[int]
) -> None:
    with demo_app.app_context():
        vote = _draft()
        text = "\n".join(f"{i}. {r.name}; {r.position}" for i, r in enumerate(congress(30), 1))
        set_roll(vote, rows_from_text(text))
        db.session.commit()
        users = [db.session.get_one(User, uid) for uid in committee_ids]
        # 6 of 7; 27 present, each crossing out one of the last three names: 18 votes each
        # (over half of 30) for the last two seats, a tie that needs a further round
        choices = [[True] * 4 + [k != i % 3 for k in range(3)] for i in range(27)]
        held = hold(vote, users, choices, absent={10: "Đi công tác", 20: "Ốm", 25: "Ốm"})
        db.session.commit()
        vote = held.vote
        assert vote.state is VoteState.COUNTED and desk.turnout(vote).summoned == 30
        assert vote.manifest is not None
        assert vote.manifest["rules"]["election"]["convened"] == 30
        report = verify_election_record(election_record(vote))
        assert report.ok, report.failure
        assert report.counts is not None
        assert [row[0] for row in report.counts] == held.counts
        # the further round summons the same 30 delegates, with the same majority base
        second = create_further_round(vote)
        assert [v.full_name for v in second.voters] == [v.full_name for v in vote.voters]
        assert second.election is not None and second.election["convened"] == 30


def test_the_page_in_english_and_the_roll_frozen_after_the_keys(
    demo_app: Flask, ready_election: tuple[int, Any]
) -> None:
    vote_id, _keys = ready_election
    with demo_app.app_context():
        public_id = db.session.get_one(ConfidenceVote, vote_id).public_id
    client = _client(demo_app, "admin")
    page = client.get(f"/votes/{public_id}").get_data(as_text=True)
    assert "danh sách đại biểu được triệu tập đã chốt" in page and "roll-form" not in page
    refused = _post(client, public_id, text="A; B\nC; D\nE; F", replace="y")
    assert refused.status_code == 409 and len(_names(demo_app, public_id)) == 22
    client.get("/lang/en")
    draft = _draft_id(demo_app)
    english = _post(client, draft, text="Nguyễn Văn An; Bí thư\n; Phó Bí thư", preview="y")
    body = english.get_data(as_text=True)
    assert english.status_code == 400 and "Line 2: no full name." in body
    assert "Roll of summoned delegates" in body and "Dòng 2" not in body
