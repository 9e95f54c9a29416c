"""Shared fixtures: an app on a fresh, migrated database per test (SQLite or PostgreSQL).

Set BALLOT_TEST_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/test to run the same
suite on PostgreSQL: the session migrates one private schema, and each test starts from
empty tables (TRUNCATE ... RESTART IDENTITY). Without it, each test gets a copy of a
migrated SQLite file.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ballot.app import create_app
from ballot.cli import upgrade_database

PG_URL = os.environ.get("BALLOT_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-" + "x" * 32


def _with_schema(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def base_test_config(database_url: str, **extra: Any) -> dict[str, Any]:
    """Return the configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "CODE_HASH_KEY": TEST_SECRET + "-codes",
        "DATABASE_URL": database_url,
        "SERVER_NAME": None,
        # Argon2id stays memory-hard in tests, with less memory so the suite runs quickly.
        "ARGON2_MEMORY_KIB": 1024,
        "ARGON2_TIME_COST": 1,
        "ARGON2_PARALLELISM": 1,
        # ballots are checked in the request thread (the process pool is for production)
        "VERIFY_PROCESSES": 0,
    }
    config.update(extra)
    return config


class DatabaseTemplate:
    """A migrated database from which each test starts."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.schema = ""
        if PG_URL:
            import psycopg

            self.schema = "t_" + uuid.uuid4().hex[:12]
            self.admin_url = re.sub(r"^postgresql\+psycopg://", "postgresql://", PG_URL)
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{self.schema}"')
            self.url = _with_schema(PG_URL, self.schema)
        else:
            self.path = tmp / "template.sqlite"
            self.url = "sqlite:///" + str(self.path)
        app = create_app(base_test_config(self.url), instance_path=str(tmp / "template-instance"))
        upgrade_database(app)
        with app.app_context():
            from ballot.db import db

            self.tables = [t.name for t in db.metadata.sorted_tables]
            db.engine.dispose()

    def fresh_url(self, tmp_path: Path) -> str:
        """Return a database URL holding an empty, migrated schema for one test."""
        if PG_URL:
            return self.url
        target = tmp_path / "ballot.sqlite"
        shutil.copyfile(self.path, target)
        return "sqlite:///" + str(target)

    def reset(self) -> None:
        """Empty every table (PostgreSQL); SQLite tests throw their copy away instead."""
        if not PG_URL:
            return
        import psycopg

        names = ", ".join(f'"{self.schema}"."{t}"' for t in self.tables)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

    def drop(self) -> None:
        if PG_URL:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{self.schema}" CASCADE')


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplate]:
    template = DatabaseTemplate(tmp_path_factory.mktemp("db-template"))
    yield template
    template.drop()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration for the `app` fixture; override in a test module to change it."""
    return {}


@pytest.fixture
def app(
    database_template: DatabaseTemplate, tmp_path: Path, app_config: dict[str, Any]
) -> Iterator[Flask]:
    """An app on a fresh, migrated database."""
    url = database_template.fresh_url(tmp_path)
    app = create_app(base_test_config(url, **app_config), instance_path=str(tmp_path / "instance"))
    yield app
    with app.app_context():
        from ballot.db import db

        db.session.remove()
        db.engine.dispose()
    database_template.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return the session's CSRF token, read from a page that holds a form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str = "admin", password: str = "admin-password-1"):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/login")
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def logout(self):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Create a user with a role; the password is `<username>-password-1`."""
    from ballot.auth.models import Role, User
    from ballot.auth.passwords import hash_password
    from ballot.db import db

    def make(username: str = "admin", role: str = "admin", member_id: int | None = None) -> int:
        with app.app_context():
            user = User(
                username=username,
                full_name=username.title(),
                role=Role(role),
                password_hash=hash_password(f"{username}-password-1"),
                member_id=member_id,
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """The app with the demo organisation loaded."""
    from ballot.db import db
    from ballot.demo import seed_demo

    with app.app_context():
        seed_demo(votes=False)
        db.session.commit()
    return app
