"""Issue 14.2 and 14.3: a counting member acts only on their own vote's committee; the
results are seen in the room by the roles that may, and by everyone once the chair
publishes them, on every route that shows them (page, projector, API, record, minutes)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ballot.db import db
from ballot.voting.models import VoteState
from tests.conftest import AuthActions, csrf_token
from tests.security.conftest import get_vote, snapshot

LOGINS = {
    "desk": ("desk", "desk-demo-2024"),
    "observer": ("observer", "observer-demo-2024"),
    "admin": ("admin", "admin-demo-2024"),
    "member": ("kiemphieu2", "kp2-demo-2024"),
    "chair": ("kiemphieu1", "kp1-demo-2024"),
    "outsider": ("outsider", "outsider-password-1"),
}


@pytest.fixture
def outsider(demo_app: Flask, make_user) -> int:
    """A counting-committee account that does not sit on the vote's committee."""
    return int(make_user("outsider", "counting"))


def _client(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        response = AuthActions(client).login(*LOGINS[role])
        assert response.status_code == 302, role
    return client


def test_a_counting_member_off_the_committee_can_do_nothing_to_the_vote(
    demo_app, ready_vote, outsider
) -> None:
    from ballot.voting import desk

    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = get_vote(vote_id)
        for voter in vote.voters[:17]:
            desk.set_present(vote, voter, True)
        db.session.commit()
        public_id = vote.public_id
    intruder = _client(demo_app, "outsider")
    token = csrf_token(intruder, "/votes/")
    headers = {"X-CSRFToken": token}
    skip = ("audit_entry", "audit_head", "user_session", "throttle", "user_account")
    before = snapshot(demo_app, skip=skip)

    # open the vote (the attack of issue 14.2), every page and API call of the committee
    assert intruder.post(f"/votes/{public_id}/open", data={"csrf_token": token}).status_code == 403
    for path in ("", "/ceremony", "/decrypt"):
        assert intruder.get(f"/count/{public_id}{path}").status_code == 403, path
    assert intruder.get(f"/documents/{public_id}/issuance.pdf").status_code == 403
    assert intruder.get(f"/api/v1/votes/{public_id}/ceremony").status_code == 403
    for step in ("commit", "shares", "done"):
        refused = intruder.post(
            f"/api/v1/votes/{public_id}/ceremony/{step}", json={"messages": []}, headers=headers
        )
        assert refused.status_code == 403 and refused.json is not None
        assert refused.json["error"]["code"] == "not_a_trustee"
    assert snapshot(demo_app, skip=skip) == before
    with demo_app.app_context():
        assert get_vote(vote_id).state is VoteState.READY

    # a member of this committee may open it: the refusal above was about membership
    member = _client(demo_app, "member")
    opened = member.post(
        f"/votes/{public_id}/open", data={"csrf_token": csrf_token(member, "/votes/")}
    )
    assert opened.status_code == 302
    assert intruder.post(f"/count/{public_id}/close", data={"csrf_token": token}).status_code == 403
    with demo_app.app_context():
        vote = get_vote(vote_id)
        assert vote.state is VoteState.OPEN
        from ballot.voting import counting
        from ballot.voting.simulate import decrypt_as

        counting.close_vote(vote)
        db.session.commit()
        share_key = keys[2]
        from ballot.crypto.tally import partial_decrypt
        from ballot.voting import casting

        share = partial_decrypt(casting.context_of(vote), share_key, counting.board_grid(vote))
    refused = intruder.post(
        f"/api/v1/votes/{public_id}/decryption", json={"share": share}, headers=headers
    )
    assert refused.status_code == 403 and refused.json is not None
    assert refused.json["error"]["code"] == "not_a_trustee"
    with demo_app.app_context():
        vote = get_vote(vote_id)
        assert all(t.decryption_share is None for t in vote.trustees)
        decrypt_as(vote, keys[:2])
        db.session.commit()
    assert (
        intruder.post(f"/count/{public_id}/publish", data={"csrf_token": token}).status_code == 403
    )
    assert intruder.get(f"/documents/{public_id}/minutes.pdf").status_code == 403
    with demo_app.app_context():
        assert get_vote(vote_id).published_at is None


ROLES = ["anonymous", "desk", "observer", "admin", "member", "outsider"]
#: Before publication: who sees the results on each route (the rest: 302 to the login page
#: for pages, 403 otherwise). The projector answers everyone logged in, with results or not.
BEFORE = {
    "page": {"observer", "admin", "member"},
    "projector": {"observer", "admin", "member"},
    "api": {"observer", "admin", "member"},
    "record": {"observer", "admin", "member"},
    "minutes": {"admin", "member"},
}
AFTER = {
    "page": {"desk", "observer", "admin", "member", "outsider"},
    "projector": {"desk", "observer", "admin", "member", "outsider"},
    "api": set(ROLES),
    "record": set(ROLES),
    "minutes": {"admin", "member"},  # the official documents stay with the office and committee
}


def _sees(client: FlaskClient, route: str, public_id: str) -> tuple[bool, int]:
    paths = {
        "page": f"/count/{public_id}/results",
        "projector": f"/count/{public_id}/projector",
        "api": f"/api/v1/votes/{public_id}/results",
        "record": f"/api/v1/votes/{public_id}/record",
        "minutes": f"/documents/{public_id}/minutes.pdf",
    }
    response = client.get(paths[route])
    status = response.status_code
    if route == "projector" and status == 200:
        return "data-results" in response.get_data(as_text=True), status  # the results table
    if route == "page" and status == 200:
        assert "data-subject=" in response.get_data(as_text=True)
    if route == "api" and status == 200:
        assert response.json is not None and response.json["subjects"][0]["counts"]
    return status == 200, status


def _check_matrix(app: Flask, public_id: str, allowed: dict[str, set[str]]) -> None:
    for role in ROLES:
        client = _client(app, role)
        for route, who in allowed.items():
            seen, status = _sees(client, route, public_id)
            assert seen == (role in who), (role, route, status)
            if not seen and route in ("api", "record"):
                assert status == 403, (role, route, status)
            if not seen and route in ("page", "minutes"):
                assert status == (302 if role == "anonymous" else 403), (role, route, status)


def test_results_on_every_route_for_every_role_before_and_after_publication(
    demo_app, counted_vote, outsider
) -> None:
    vote_id, public_id = counted_vote
    demo_app.config["PUBLIC_BASE_URL"] = "https://ballot.example.vn"  # printed in the minutes
    _check_matrix(demo_app, public_id, BEFORE)
    desk = _client(demo_app, "desk")
    projector = desk.get(f"/count/{public_id}/projector").get_data(as_text=True)
    assert 'data-field="ballots_cast"' in projector  # the desk's projector: turnout only

    # only the chair publishes, once; the publication is logged with its time
    member = _client(demo_app, "member")
    refused = member.post(
        f"/count/{public_id}/publish", data={"csrf_token": csrf_token(member, "/votes/")}
    )
    assert refused.status_code == 403
    chair = _client(demo_app, "chair")
    page = chair.get(f"/count/{public_id}/results").get_data(as_text=True)
    assert "Công bố kết quả" in page
    token = csrf_token(chair, f"/count/{public_id}/results")
    assert chair.post(f"/count/{public_id}/publish", data={"csrf_token": token}).status_code == 302
    again = chair.post(f"/count/{public_id}/publish", data={"csrf_token": token})
    assert again.status_code == 409
    with demo_app.app_context():
        from ballot.audit.service import iter_entries

        assert get_vote(vote_id).published_at is not None
        assert [e.action for e in iter_entries()].count("vote.published") == 1
    assert "Kết quả đã được Trưởng ban kiểm phiếu công bố" in chair.get(
        f"/count/{public_id}/results"
    ).get_data(as_text=True)
    _check_matrix(demo_app, public_id, AFTER)
    status = demo_app.test_client().get(f"/api/v1/votes/{public_id}").json
    assert status["published"] is True


def test_before_counting_nobody_gets_results(demo_app, open_vote) -> None:
    _, public_id, _ = open_vote
    admin = _client(demo_app, "admin")
    for path in ("results", "record"):
        response = admin.get(f"/api/v1/votes/{public_id}/{path}")
        assert response.status_code == 409 and response.json is not None
        assert response.json["error"]["code"] == "no_results"
    anonymous = demo_app.test_client().get(f"/api/v1/votes/{public_id}/results")
    assert anonymous.status_code == 409  # the same answer: nothing to see, for anyone
    assert admin.get(f"/count/{public_id}/results").status_code == 409
