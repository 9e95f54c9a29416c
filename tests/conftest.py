"""Shared fixtures: an app on a fresh, migrated database per test (SQLite or PostgreSQL).

The schema is migrated once per session into a template; each test starts from a copy of it
(SQLite: a copy of the file; PostgreSQL, with BALLOT_TEST_DATABASE_URL set to
postgresql+psycopg://root@127.0.0.1:5432/test: one private schema emptied by TRUNCATE ...
RESTART IDENTITY after each test). A test that asks for `demo_app` starts from a second
template holding the demo organisation, seeded once per session instead of once per test
(seeding 6,102 members took about a second, and a hundred tests ask for it).

Tests marked `slow` (the crash campaign, the whole vote in a browser) run only with
`--runslow`, and without it the fuzzer tries 50 examples per test instead of 250; CI passes
it (.ci/run). Under pytest-xdist each worker process makes its own templates.
"""

from __future__ import annotations

import logging
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
from ballot.instance import upgrade_database

PG_URL = os.environ.get("BALLOT_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-" + "x" * 32
#: Set in app.extensions when the app's database was copied from the demo template.
DEMO_LOADED = "tests.demo_loaded"
#: Fuzzing examples per test in the quick run (the full run, --runslow, keeps the file's own).
QUICK_FUZZ_EXAMPLES = 50


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
    """A migrated database from which each test starts, and (made on first use) the same
    with the demo organisation loaded."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.schema = ""
        self.demo_schema = ""
        self.demo_path: Path | None = None
        if PG_URL:
            self.schema = "t_" + uuid.uuid4().hex[:12]
            self.admin_url = re.sub(r"^postgresql\+psycopg://", "postgresql://", PG_URL)
            self._pg(f'CREATE SCHEMA "{self.schema}"')
            self.url = _with_schema(PG_URL, self.schema)
        else:
            self.path = tmp / "template.sqlite"
            self.url = "sqlite:///" + str(self.path)
        app = create_app(base_test_config(self.url), instance_path=str(tmp / "template-instance"))
        upgrade_database(app)
        with app.app_context():
            from ballot.db import db

            self.tables = [t.name for t in db.metadata.sorted_tables]
            _close(app)

    def _pg(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def _make_demo(self) -> None:
        """Seed the demo organisation once into its own copy of the template."""
        from ballot.db import db
        from ballot.demo import seed_demo

        if PG_URL:
            self.demo_schema = self.schema + "_demo"
            self._pg(f'CREATE SCHEMA "{self.demo_schema}"')
            url = _with_schema(PG_URL, self.demo_schema)
            app = create_app(base_test_config(url), instance_path=str(self.tmp / "demo-instance"))
            upgrade_database(app)  # PostgreSQL cannot copy a schema; migrating one is quick
        else:
            self.demo_path = self.tmp / "demo.sqlite"
            shutil.copyfile(self.path, self.demo_path)
            url = "sqlite:///" + str(self.demo_path)
            app = create_app(base_test_config(url), instance_path=str(self.tmp / "demo-instance"))
        with app.app_context():
            seed_demo(votes=False)
            db.session.commit()
            _close(app)

    def fresh_url(self, tmp_path: Path, demo: bool = False) -> str:
        """Return a database URL holding a migrated schema for one test: empty, or with the
        demo organisation when `demo` is true."""
        if demo and not (self.demo_path or self.demo_schema):
            self._make_demo()
        if PG_URL:
            if demo:
                self._copy_demo_rows()
            return self.url
        target = tmp_path / "ballot.sqlite"
        shutil.copyfile(self.demo_path if demo else self.path, target)  # type: ignore[arg-type]
        return "sqlite:///" + str(target)

    def _copy_demo_rows(self) -> None:
        """Copy the demo's rows into the test's schema (emptied first: the session's first
        test finds the rows the migrations insert), parents before children, and move each id
        sequence past the copied ids."""
        import psycopg

        self.reset()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for table in self.tables:
                conn.execute(  # type: ignore[call-overload]
                    f'INSERT INTO "{self.schema}"."{table}" '  # noqa: S608 - our own table names
                    f'SELECT * FROM "{self.demo_schema}"."{table}"'
                )
            serials = conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND column_default LIKE 'nextval%%'",
                (self.schema,),
            ).fetchall()
            for table, column in serials:
                conn.execute(  # type: ignore[call-overload]
                    f"SELECT setval("  # noqa: S608 - our own table and column names
                    f'pg_get_serial_sequence(\'"{self.schema}"."{table}"\', '
                    f"'{column}'), COALESCE(MAX(\"{column}\"), 0) + 1, false) "
                    f'FROM "{self.schema}"."{table}"'
                )

    def reset(self) -> None:
        """Empty every table (PostgreSQL); SQLite tests throw their copy away instead."""
        if not PG_URL:
            return
        names = ", ".join(f'"{self.schema}"."{t}"' for t in self.tables)
        self._pg(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

    def drop(self) -> None:
        if PG_URL:
            self._pg(
                *(
                    f'DROP SCHEMA "{schema}" CASCADE'
                    for schema in (self.schema, self.demo_schema)
                    if schema
                )
            )


def _close(app: Flask) -> None:
    """Close every connection of `app` (inside its app context): on SQLite the last close
    folds the write-ahead log into the file, which is then safe to copy."""
    from ballot.db import db

    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Put the root logger back after each test: a command that makes a site's app (`init`,
    `serve`) configures logging for the process, as it should outside tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


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
    request: pytest.FixtureRequest,
    database_template: DatabaseTemplate,
    tmp_path: Path,
    app_config: dict[str, Any],
) -> Iterator[Flask]:
    """An app on a fresh, migrated database (holding the demo organisation when the test
    also asks for `demo_app`)."""
    demo = "demo_app" in request.fixturenames
    url = database_template.fresh_url(tmp_path, demo=demo)
    app = create_app(base_test_config(url, **app_config), instance_path=str(tmp_path / "instance"))
    if demo:
        app.extensions[DEMO_LOADED] = True
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
    """The app with the demo organisation loaded (without the demo's votes)."""
    if not app.extensions.get(DEMO_LOADED):  # asked for by request.getfixturevalue
        from ballot.db import db
        from ballot.demo import seed_demo

        with app.app_context():
            seed_demo(votes=False)
            db.session.commit()
    return app


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (the crash campaign, whole votes in a browser); "
        "CI passes it",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Without --runslow, the property-based fuzzing (tests/security/test_fuzz.py) tries 50
    examples per test instead of its 250; BALLOT_FUZZ_EXAMPLES, when set, wins either way."""
    if not config.getoption("--runslow"):
        os.environ.setdefault("BALLOT_FUZZ_EXAMPLES", str(QUICK_FUZZ_EXAMPLES))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the `slow` tests unless --runslow is given (the skip says so in the summary)."""
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
