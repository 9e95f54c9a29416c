"""Small things a room notices: distinct vote titles and the site's icon."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ballot.db import db
from ballot.voting.models import ConfidenceVote
from tests.conftest import csrf_token


def _default_title(client) -> str:
    page = client.get("/votes/new").get_data(as_text=True)
    return re.search(r'id="title"[^>]*value="([^"]*)"', page).group(1)  # type: ignore[union-attr]


def test_a_new_vote_never_gets_the_title_of_an_existing_one(
    demo_app, ready_vote, client, auth
) -> None:
    with demo_app.app_context():
        existing = db.session.scalar(select(ConfidenceVote.title))
    auth.login("admin", "admin-demo-2024")
    proposed = _default_title(client)
    # the default names the conference; a title already used is numbered "(lần 2)"
    assert proposed != existing and "lần thứ" in proposed
    assert not proposed.endswith(")")
    token = csrf_token(client, "/votes/new")
    conference = re.search(
        r'<option[^>]*value="(\d+)"', client.get("/votes/new").get_data(as_text=True)
    ).group(1)  # type: ignore[union-attr]
    refused = client.post(
        "/votes/new",
        data={"csrf_token": token, "conference": conference, "title": existing},
    )
    assert "Đã có cuộc lấy phiếu tín nhiệm mang tiêu đề này" in refused.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConfidenceVote)) == 1
    made = client.post(
        "/votes/new", data={"csrf_token": token, "conference": conference, "title": proposed}
    )
    assert made.status_code == 302
    assert _default_title(client) == f"{proposed} (lần 2)"


def test_the_site_has_an_icon(client) -> None:
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and b"<svg" in svg.data
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
