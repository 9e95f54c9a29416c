"""Issue 14.10: every field the ceremony API takes is checked; a bad one is a 400 with a
stable code, never a 500, and nothing is stored.

Members 2 and 3 commit through the service; member 1 (kiemphieu1) talks to the API.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import select

from ballot.auth.models import User
from ballot.crypto import dkg
from ballot.db import db
from ballot.org.models import Conference
from ballot.voting import ceremony, setup
from ballot.voting.models import ConfidenceVote
from tests.conftest import csrf_token

POINT_IDENTITY = "01" + "00" * 31
#: The stable codes a refusal may carry, per step ("bad_json": strict parsing, "bad_body":
#: not exactly {"message": ...} / {"messages": ...}).
COMMIT_CODES = {"bad_commit", "commit_for_other", "bad_body", "bad_json"}
SHARE_CODES = {"bad_shares", "bad_shares_list", "bad_share_message", "share_for_other"} | {
    "bad_body",
    "bad_json",
}
DONE_CODES = {"bad_done_message", "done_for_other", "bad_body", "bad_json"}


@pytest.fixture
def dealing(demo_app, counting_users, client, auth) -> dict[str, Any]:
    """A 2-of-3 ceremony where members 2 and 3 have committed; member 1 is logged in."""
    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, "Thử lễ tạo khóa")
        users = [db.session.get_one(User, uid) for uid in counting_users[:3]]
        setup.set_counting_committee(vote, users, users[0], 2)
        cid = ceremony.ceremony_id_of(vote)
        started = [dkg.start_member(cid, x, 2, 3) for x in (1, 2, 3)]
        for trustee, (_, message) in zip(vote.trustees[1:], started[1:], strict=True):
            ceremony.post_commit(vote, trustee, message)
        db.session.commit()
        public_id, vote_id = vote.public_id, vote.id
    auth.login("kiemphieu1", "kp1-demo-2024")
    return {
        "id": vote_id,
        "url": f"/api/v1/votes/{public_id}/ceremony",
        "token": csrf_token(client, "/"),
        "started": started,
        "cid": cid,
    }


def _stored(app, vote_id: int) -> list[tuple[Any, Any, Any]]:
    with app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        return [(t.commit_message, t.share_messages, t.done_message) for t in vote.trustees]


def _post(client, arena: dict[str, Any], step: str, body: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        f"{arena['url']}/{step}",
        data=data,
        content_type="application/json",
        headers={"X-CSRFToken": arena["token"]},
    )


def _commit_shapes(good: dict[str, Any]) -> list[Any]:
    def change(**fields: Any) -> dict[str, Any]:
        return {"message": copy.deepcopy(good) | fields}

    missing = copy.deepcopy(good)
    del missing["pok"]
    return [
        change(**{"from": True}),
        change(**{"from": "1"}),
        change(**{"from": [1]}),
        change(**{"from": 2}),  # another member's commitments
        change(**{"from": 10**30}),
        change(ceremony_id="ab" * 31),
        change(ceremony_id=None),
        change(ceremony_key=good["ceremony_key"].upper()),
        change(ceremony_key=POINT_IDENTITY),
        change(ceremony_key=5),
        change(commitments=good["commitments"][:1]),
        change(commitments=good["commitments"][0]),
        change(commitments=[{"x": 1}, 2]),
        change(pok=good["pok"][:1]),
        change(pok=["zz" * 32, good["pok"][1]]),
        change(pok={"c": 1}),
        change(type="dkg/share"),
        change(extra=1),
        {"message": missing},
        {"message": [good]},
        {"message": "x"},
        {"message": good, "extra": 1},
        {"messages": [good]},
        {},
        [good],
    ]


def test_bad_commit_messages_are_refused_field_by_field(demo_app, client, dealing) -> None:
    good = dealing["started"][0][1]
    before = _stored(demo_app, dealing["id"])
    for body in _commit_shapes(good):
        response = _post(client, dealing, "commit", body)
        assert response.status_code == 400, (body, response.get_data(as_text=True)[:300])
        assert response.json["error"]["code"] in COMMIT_CODES, body
        assert _stored(demo_app, dealing["id"]) == before
    for text in (b'{"message": {"from": 1.0}}', b'{"message": 1, "message": 2}', b"{"):
        response = _post(client, dealing, "commit", text)
        assert response.status_code == 400 and response.json["error"]["code"] == "bad_json"
    assert _post(client, dealing, "commit", {"message": good}).status_code == 200


def _share_shapes(good: list[dict[str, Any]], cid: bytes) -> list[Any]:
    def change(i: int, **fields: Any) -> dict[str, Any]:
        messages = copy.deepcopy(good)
        messages[i] = messages[i] | fields
        return {"messages": messages}

    missing = copy.deepcopy(good)
    del missing[0]["ephemeral"]
    return [
        change(0, to="abc"),  # the issue's 500
        change(0, to=[2]),  # the issue's 500
        change(0, to=True),
        change(0, to=None),
        change(0, to=1),  # to itself
        change(0, to=3),  # two shares for member 3, none for member 2
        change(0, to=4),
        change(0, to=-2),
        change(0, to=2**80),
        change(1, **{"from": 2}),
        change(1, **{"from": True}),
        change(0, ceremony_id=cid.hex()[:-2] + "00"),
        change(0, ephemeral=POINT_IDENTITY),
        change(0, ephemeral=good[0]["ephemeral"][:-2]),
        change(0, ephemeral=[good[0]["ephemeral"]]),
        change(0, ciphertext=good[0]["ciphertext"][:-2]),
        change(0, ciphertext=good[0]["ciphertext"] + "00"),
        change(0, ciphertext=good[0]["ciphertext"].upper()),
        change(0, ciphertext=0),
        change(0, type="dkg/commit"),
        change(0, extra="x"),
        {"messages": missing},
        {"messages": good[:1]},
        {"messages": [*good, good[0]]},
        {"messages": [1, 2]},
        {"messages": {"0": good[0]}},
        {"messages": "abc"},
        {"messages": good, "message": good[0]},
        {"message": good},
    ]


def test_bad_share_messages_are_refused_field_by_field(demo_app, client, dealing) -> None:
    secret, mine = dealing["started"][0]
    assert _post(client, dealing, "commit", {"message": mine}).status_code == 200
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, dealing["id"])
        commits = dkg.check_commits(dealing["cid"], 2, 3, ceremony.commit_messages(vote) or [])
    good = dkg.deal_shares(secret, commits)
    before = _stored(demo_app, dealing["id"])
    for body in _share_shapes(good, dealing["cid"]):
        response = _post(client, dealing, "shares", body)
        assert response.status_code == 400, (body, response.get_data(as_text=True)[:300])
        assert response.json["error"]["code"] in SHARE_CODES, body
        assert _stored(demo_app, dealing["id"]) == before
    assert _post(client, dealing, "shares", {"messages": good}).status_code == 200


def test_bad_done_messages_are_refused_field_by_field(demo_app, client, dealing) -> None:
    secret, mine = dealing["started"][0]
    assert _post(client, dealing, "commit", {"message": mine}).status_code == 200
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, dealing["id"])
        commits = dkg.check_commits(dealing["cid"], 2, 3, ceremony.commit_messages(vote) or [])
    inbox = [m for s, _ in dealing["started"][1:] for m in dkg.deal_shares(s, commits)]
    _, done = dkg.finish_member(secret, commits, inbox)
    other_done = dkg.finish_member(dealing["started"][1][0], commits, inbox + dkg.deal_shares(secret, commits))[1]  # fmt: skip
    shapes = [
        {"message": done | {"from": True}},
        {"message": done | {"from": "1"}},
        {"message": done | {"from": 2}},
        {"message": other_done},
        {"message": done | {"transcript": done["transcript"][:-2]}},
        {"message": done | {"transcript": 7}},
        {"message": done | {"public_key": POINT_IDENTITY}},
        {"message": done | {"verification_key": other_done["verification_key"]}},
        {"message": done | {"type": "dkg/commit"}},
        {"message": done | {"extra": 1}},
        {"message": {k: v for k, v in done.items() if k != "transcript"}},
        {"message": [done]},
        {"message": done, "x": 1},
    ]
    before = _stored(demo_app, dealing["id"])
    for body in shapes:
        response = _post(client, dealing, "done", body)
        assert response.status_code == 400, (body, response.get_data(as_text=True)[:300])
        assert response.json["error"]["code"] in DONE_CODES, body
        assert _stored(demo_app, dealing["id"]) == before
    assert _post(client, dealing, "done", {"message": done}).status_code == 200


def test_the_issues_shapes_name_the_field(demo_app, client, dealing) -> None:
    """`"to": "abc"` and `"to": [2]` (a 500 before) are 400s that say which share is wrong."""
    secret, mine = dealing["started"][0]
    assert _post(client, dealing, "commit", {"message": mine}).status_code == 200
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, dealing["id"])
        commits = dkg.check_commits(dealing["cid"], 2, 3, ceremony.commit_messages(vote) or [])
    good = dkg.deal_shares(secret, commits)
    for to in ("abc", [2]):
        body = {"messages": [good[0] | {"to": to}, good[1]]}
        error = _post(client, dealing, "shares", body).json["error"]
        assert error["code"] == "bad_share_message"
        assert error["message"].startswith("Encrypted key share 1 is invalid")
        assert "'to' out of range" in error["message"]
        assert error["message_vi"].startswith("Phần khóa đã mã hóa thứ 1 không hợp lệ")
    response = _post(client, dealing, "shares", {"messages": good, "extra": 1})
    assert response.json["error"] == {
        "code": "bad_body",
        "message": "The data sent must hold exactly one field, “messages”.",
        "message_vi": "Dữ liệu gửi lên phải có đúng một trường “messages”.",
    }
