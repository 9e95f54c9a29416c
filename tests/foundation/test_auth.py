"""Login, logout, rate limit, CSRF and role checks."""

from __future__ import annotations

from flask import Blueprint

from ballot.auth.models import Role
from ballot.auth.passwords import hash_password, verify_password
from ballot.web.access import roles_required
from tests.conftest import csrf_token


def test_password_hash_is_argon2id_and_verifies() -> None:
    encoded = hash_password("correct horse battery")
    assert encoded.startswith("$argon2id$")
    assert "correct horse" not in encoded
    assert verify_password(encoded, "correct horse battery")
    assert not verify_password(encoded, "wrong")
    assert not verify_password(None, "anything")


def test_login_success_shows_the_home_page(client, auth, make_user) -> None:
    make_user("admin")
    response = auth.login("admin", "admin-password-1")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Đăng xuất" in page and "Admin" in page


def test_login_failure_says_so_in_vietnamese(client, auth, make_user) -> None:
    make_user("admin")
    response = auth.login("admin", "wrong-password")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still anonymous


def test_failed_logins_are_rate_limited(client, auth, make_user) -> None:
    make_user("admin")
    codes = [auth.login("admin", "wrong").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5
    assert codes[5] == 429
    response = auth.login("admin", "admin-password-1")
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.get_data(as_text=True)


def test_logout_ends_the_session(client, auth, make_user) -> None:
    make_user("admin")
    auth.login("admin", "admin-password-1")
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_refused(client, make_user) -> None:
    make_user("admin")
    response = client.post("/login", data={"username": "admin", "password": "admin-password-1"})
    assert response.status_code == 400
    assert "biểu mẫu không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # nobody was logged in
    token = csrf_token(client)
    assert token
    response = client.post("/logout", data={})
    assert response.status_code == 400
    assert "biểu mẫu không hợp lệ" in response.get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client, make_user) -> None:
    make_user("admin")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "admin", "password": "admin-password-1", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_roles_are_checked_in_one_place(app, client, auth, make_user) -> None:
    bp = Blueprint("probe", __name__)

    @bp.get("/probe")
    @roles_required(Role.ADMIN)
    def probe():
        return "secret admin page"

    app.register_blueprint(bp)
    make_user("desk", "desk")
    assert client.get("/probe").status_code == 302  # anonymous: to the login page
    auth.login("desk", "desk-password-1")
    response = client.get("/probe")
    assert response.status_code == 403
    assert "Không có quyền" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(app, client, auth, make_user) -> None:
    from ballot.auth.models import User
    from ballot.db import db

    user_id = make_user("observer", "observer")
    with app.app_context():
        db.session.get_one(User, user_id).active = False
        db.session.commit()
    auth.login("observer", "observer-password-1")
    assert client.get("/").status_code == 302
