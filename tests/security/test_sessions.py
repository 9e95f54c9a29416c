"""Issue 14.4: sessions live on the server. A cookie copied before logout, a password change
or a disabled account is worth nothing after it; a demo instance does not face the network
with its published passwords."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ballot.auth.models import User, UserSession
from ballot.db import db
from tests.conftest import AuthActions, csrf_token


def _stolen(app: Flask, victim: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of the victim's session cookie."""
    cookie = victim.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _is_admin(client: FlaskClient) -> bool:
    return client.get("/votes/new").status_code == 200


def test_a_cookie_copied_before_logout_is_worthless_after_it(app, client, auth, make_user) -> None:
    make_user("admin")
    assert auth.login("admin", "admin-password-1").status_code == 302
    thief = _stolen(app, client)
    assert _is_admin(thief)  # the copy works while the session lives
    auth.logout()
    assert not _is_admin(client)
    assert thief.get("/votes/new").status_code == 302  # sent to the login page
    with app.app_context():
        assert db.session.scalar(select(UserSession)) is None


def test_the_database_holds_only_a_hash_of_the_session_token(app, client, auth, make_user) -> None:
    make_user("admin")
    auth.login("admin", "admin-password-1")
    with client.session_transaction() as session:
        token = session["sid"]
    with app.app_context():
        rows = list(db.session.scalars(select(UserSession)))
    assert len(rows) == 1 and token not in rows[0].id and len(rows[0].id) == 64
    # a database reader who writes the stored value into a cookie is not logged in
    forger = app.test_client()
    with forger.session_transaction() as session:
        session["sid"], session["user_id"] = rows[0].id, rows[0].user_id
    assert not _is_admin(forger)


def test_a_password_change_ends_every_other_session(app, client, auth, make_user) -> None:
    make_user("admin")
    auth.login("admin", "admin-password-1")
    thief = _stolen(app, client)
    other = app.test_client()
    AuthActions(other).login("admin", "admin-password-1")
    assert _is_admin(thief) and _is_admin(other)
    token = csrf_token(client, "/account/password")
    wrong = client.post(
        "/account/password",
        data={"csrf_token": token, "current": "nope", "new": "x" * 12, "confirm": "x" * 12},
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    short = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": "admin-password-1",
            "new": "short",
            "confirm": "short",
        },
    )
    assert short.status_code == 200 and _is_admin(thief)  # nothing changed
    done = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": "admin-password-1",
            "new": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert done.status_code == 302
    assert _is_admin(client)  # this browser carries on with a new session
    assert not _is_admin(thief) and not _is_admin(other)
    fresh = app.test_client()
    assert AuthActions(fresh).login("admin", "admin-password-1").status_code == 200
    assert AuthActions(fresh).login("admin", "a new long password").status_code == 302
    with app.app_context():
        from ballot.audit.service import iter_entries

        assert "auth.password_changed" in [e.action for e in iter_entries()]


def test_ballot_users_disable_and_passwd_end_sessions(app, client, auth, make_user, runner) -> None:
    make_user("admin")
    make_user("desk", "desk")
    auth.login("desk", "desk-password-1")
    assert client.get("/desk/none").status_code == 404  # logged in as the desk
    result = runner.invoke(args=["users", "disable", "desk"])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output, result.output
    assert client.get("/desk/none").status_code == 302
    assert auth.login("desk", "desk-password-1").status_code == 200  # refused
    assert runner.invoke(args=["users", "enable", "desk"]).exit_code == 0
    assert auth.login("desk", "desk-password-1").status_code == 302

    admin = app.test_client()
    AuthActions(admin).login("admin", "admin-password-1")
    result = runner.invoke(
        args=["users", "passwd", "admin"], input="another password 2\nanother password 2\n"
    )
    assert result.exit_code == 0 and "1 session(s) ended" in result.output, result.output
    assert not _is_admin(admin)
    short = runner.invoke(args=["users", "passwd", "admin", "--password", "short"])
    assert short.exit_code == 1 and "10" in short.output
    unknown = runner.invoke(args=["users", "disable", "nobody"])
    assert unknown.exit_code == 1 and "nobody" in unknown.output
    listed = runner.invoke(args=["users", "list"]).output
    assert "admin" in listed and "desk" in listed and "active" in listed


def test_a_session_older_than_its_lifetime_is_over(app, client, auth, make_user) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    make_user("admin")
    auth.login("admin", "admin-password-1")
    with app.app_context():
        from ballot.db import utcnow

        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(hours=17)))
        db.session.commit()
    assert not _is_admin(client)


def test_a_demo_instance_does_not_face_the_network_with_published_passwords(
    demo_app, runner
) -> None:
    import pytest

    from ballot.serving import DemoPasswordsError, demo_guard

    assert demo_guard(demo_app, "127.0.0.1", allow=False) is None
    assert demo_guard(demo_app, "localhost", allow=False) is None
    for host in ("0.0.0.0", "192.168.1.10", "::"):
        with pytest.raises(DemoPasswordsError, match="ballot users passwd"):
            demo_guard(demo_app, host, allow=False)
    warning = demo_guard(demo_app, "0.0.0.0", allow=True)
    assert warning is not None and "WARNING" in warning and "admin" in warning
    # once every demo account has a new password (or is disabled), it serves
    from ballot.demo import DEMO_LOGINS

    for username, *_ in DEMO_LOGINS:
        if username == "observer":
            result = runner.invoke(args=["users", "disable", username])
        else:
            result = runner.invoke(
                args=["users", "passwd", username, "--password", f"{username}-changed-2025"]
            )
        assert result.exit_code == 0, result.output
    assert demo_guard(demo_app, "0.0.0.0", allow=False) is None
    with demo_app.app_context():
        observer = db.session.scalars(select(User).where(User.username == "observer")).one()
        assert observer.active is False
