"""HTTP hardening: headers on every response, no inline script, no caching of booth, slips,
consoles or results, and size limits (413) on the API and on forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ballot.security import CSP
from tests.conftest import csrf_token

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BIG = 5 * 1024 * 1024  # over MAX_CONTENT_LENGTH (4 MiB)


def _hardened(response) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_policy_allows_only_this_sites_scripts() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no other host
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'" and directives["connect-src"] == "'self'"


def test_every_kind_of_response_carries_the_headers_and_hsts_only_over_https(
    counted_vote, client
) -> None:
    _, public_id = counted_vote
    for path in (
        "/login",
        f"/booth/{public_id}",
        f"/board/{public_id}",
        "/api/v1/votes",
        f"/api/v1/votes/{public_id}/record",
        "/no-such-page",
        "/api/v1/votes/nope",
    ):
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path  # 403: results not published
        _hardened(response)
        assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


#: The one non-script <script> allowed: the page scripts' messages, JSON rendered by Babel.
DATA_BLOCK = '<script type="application/json" id="messages">'


def test_templates_hold_no_inline_script() -> None:
    offenders = []
    for page in TEMPLATES.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and tag != DATA_BLOCK:
                offenders.append(f"{page.name}: {tag}")
        # A data block is never run; its JSON is escaped by tojson, so it cannot close the tag.
        for body in re.findall(re.escape(DATA_BLOCK) + r"(.*?)</script>", text, re.S):
            if not body.rstrip().endswith("| tojson }}"):
                offenders.append(f"{page.name}: a data block not rendered through tojson")
        offenders += [f"{page.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        offenders += [f"{page.name}: javascript:" for _ in re.findall(r"javascript:", text, re.I)]
    assert offenders == []


def test_secure_cookies_when_the_site_is_on_tls(demo_app) -> None:
    demo_app.config.update(TLS=True, SESSION_COOKIE_SECURE=True)  # what serve --tls sets
    client = demo_app.test_client()
    response = client.get("/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_app_factory_turns_on_secure_cookies_for_tls(database_template, tmp_path) -> None:
    from ballot.app import create_app
    from tests.conftest import base_test_config

    app = create_app(
        base_test_config(database_template.fresh_url(tmp_path), TLS=True),
        instance_path=str(tmp_path / "i"),
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_booth_slips_consoles_results_and_documents_are_never_cached(
    published_vote, client, auth
) -> None:
    _, public_id = published_vote
    client.application.config["PUBLIC_BASE_URL"] = "https://ballot.example.vn"  # for the minutes
    pages = [
        f"/booth/{public_id}",
        f"/board/{public_id}",
        f"/api/v1/votes/{public_id}",
        f"/api/v1/votes/{public_id}/manifest",
        f"/api/v1/votes/{public_id}/board",
        f"/api/v1/votes/{public_id}/results",
        f"/api/v1/votes/{public_id}/record",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"], path
    auth.login("kiemphieu1", "kp1-demo-2024")
    for path in (
        f"/count/{public_id}",
        f"/count/{public_id}/projector",
        f"/count/{public_id}/results",
        f"/count/{public_id}/ceremony",
        f"/count/{public_id}/decrypt",
        f"/votes/{public_id}",
        "/votes/",
        "/audit/",
        f"/documents/{public_id}/minutes.pdf",
        f"/documents/{public_id}/issuance.docx",
        "/",
    ):
        response = client.get(path)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"], path
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")  # static files may be cached


def test_a_slip_with_a_code_is_never_cached(open_vote, client, auth, demo_app) -> None:
    vote_id, public_id, _ = open_vote
    from tests.security.conftest import get_vote

    with demo_app.app_context():
        voter_id = get_vote(vote_id).voters[0].id
    auth.login("desk", "desk-demo-2024")
    slip = client.post(
        f"/desk/{public_id}/voters/{voter_id}/issue",
        data={"csrf_token": csrf_token(client, f"/desk/{public_id}")},
    )
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("size", [600 * 1024, BIG])
def test_oversized_api_bodies_get_413_and_a_vietnamese_message(
    open_vote, client, auth, size
) -> None:
    _, public_id, _ = open_vote
    body = b'{"code": "' + b"A" * size + b'"}'
    for path in (f"/api/v1/votes/{public_id}/codes/check", f"/api/v1/votes/{public_id}/ballots"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 413, path
        assert response.json["error"]["message_vi"]
    auth.login("kiemphieu1", "kp1-demo-2024")
    headers = {"X-CSRFToken": csrf_token(client, f"/count/{public_id}")}
    for path in (
        f"/api/v1/votes/{public_id}/ceremony/commit",
        f"/api/v1/votes/{public_id}/decryption",
    ):
        response = client.post(path, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 413, path
        assert response.json["error"]["message_vi"]


def test_oversized_forms_get_413_and_change_nothing(open_vote, client, auth, demo_app) -> None:
    from tests.security.conftest import snapshot

    _, public_id, _ = open_vote
    before = snapshot(demo_app, skip=("audit_entry", "audit_head"))
    big = "x" * BIG
    response = client.post("/login", data={"username": "admin", "password": big, "csrf_token": "t"})
    assert response.status_code == 413 and "Dữ liệu quá lớn" in response.get_data(as_text=True)
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, "/votes/new")
    for path in (
        "/votes/new",
        f"/votes/{public_id}",
        f"/desk/{public_id}/voters/1/present/1",
        f"/votes/{public_id}/open",
    ):
        response = client.post(path, data={"csrf_token": token, "title": big})
        assert response.status_code == 413, path
        assert "Dữ liệu quá lớn" in response.get_data(as_text=True)
    logins = ("user_account", "user_session", "throttle")
    assert snapshot(demo_app, skip=("audit_entry", "audit_head", *logins)) == {
        k: v for k, v in before.items() if k not in logins
    }


def test_json_nested_too_deeply_is_bad_input_not_a_crash(open_vote, client) -> None:
    """Found by tests/security/test_fuzz.py: the parser's RecursionError used to be a 500."""
    _, public_id, _ = open_vote
    body = b'{"code":' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    response = client.post(
        f"/api/v1/votes/{public_id}/ballots", data=body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_json"


def test_a_number_in_a_url_beyond_an_integer_column_is_a_404(open_vote, client, auth) -> None:
    """Found by tests/security/test_fuzz.py: 2**63 in a URL overflowed the database driver (a 500)."""
    _, public_id, _ = open_vote
    auth.login("admin", "admin-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    for number in (2**31, 2**63, 2**70):
        assert (
            client.post(
                f"/desk/{public_id}/voters/{number}/issue", data={"csrf_token": token}
            ).status_code
            == 404
        )
        assert client.get(f"/ratings/{number}/").status_code == 404
    assert (
        client.post(
            f"/desk/{public_id}/voters/{2**31 - 1}/issue", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_a_nul_character_in_a_url_or_a_form_is_bad_input(open_vote, client) -> None:
    """Found by tests/security/test_fuzz.py on PostgreSQL, whose text cannot hold NUL: a 500."""
    _, public_id, _ = open_vote
    assert client.post("/api/v1/votes/%00/ballots", json={}).status_code == 400
    assert client.get(f"/board/{public_id}", query_string={"tracker": "\x00"}).status_code == 400
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"username": "ad\x00min", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
