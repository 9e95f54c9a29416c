"""The app factory: secrets, configuration layering, error pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ballot.app import create_app
from ballot.config import DEFAULT_SECRET, ConfigurationError, database_uri, env_overrides


def test_refuses_to_start_without_a_secret_outside_testing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BALLOT_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="ballot init"):
        create_app(instance_path=str(tmp_path))


def test_refuses_the_default_secret(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        f"SECRET_KEY = {DEFAULT_SECRET!r}\nCODE_HASH_KEY = 'y' * 40\n"
    )
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(instance_path=str(tmp_path))


def test_testing_config_may_use_any_secret(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "short"}, instance_path=str(tmp_path))
    assert app.testing


def test_config_layers_defaults_then_instance_file_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.py").write_text(
        "SECRET_KEY = 'k' * 40\nCODE_HASH_KEY = 'c' * 40\nORGANISATION_PLACE = 'Vĩnh Long'\n"
        "LOGIN_RATE_LIMIT = '3 per minute'\n"
    )
    monkeypatch.setenv("BALLOT_LOGIN_RATE_LIMIT", "9 per minute")
    monkeypatch.setenv("BALLOT_MAX_CONTENT_LENGTH", "1234")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["ORGANISATION_PLACE"] == "Vĩnh Long"  # from the instance file
    assert app.config["LOGIN_RATE_LIMIT"] == "9 per minute"  # the environment wins
    assert app.config["MAX_CONTENT_LENGTH"] == 1234  # JSON-decoded
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"  # a default
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(
        tmp_path.resolve() / "ballot.sqlite"
    )


def test_database_url_from_environment_selects_psycopg(tmp_path: Path) -> None:
    env = env_overrides({"BALLOT_DATABASE_URL": "postgresql://u@h:5432/db", "OTHER": "x"})
    assert env == {"DATABASE_URL": "postgresql://u@h:5432/db"}
    assert database_uri(env, str(tmp_path)) == "postgresql+psycopg://u@h:5432/db"


def test_session_cookie_flags(app) -> None:
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_error_pages_use_the_layout_in_vietnamese(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy" in html and 'class="topbar"' in html


def test_500_handler_rolls_back_and_renders(app, client) -> None:
    from ballot.db import db
    from ballot.org.models import Organisation, OrgKind

    @app.get("/boom")
    def boom():
        db.session.add(Organisation(code="X", name="X", kind=OrgKind.COMMITTEE))
        db.session.flush()
        raise RuntimeError("boom")

    app.testing = False  # let the handler run instead of propagating
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Organisation).count() == 0
