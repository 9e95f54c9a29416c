"""The schema comes from migrations, up from empty, and matches the models."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from sqlalchemy import inspect

from ballot.app import create_app
from ballot.db import db
from ballot.instance import upgrade_database
from tests.conftest import PG_URL, base_test_config


@pytest.fixture
def empty_database_url(tmp_path: Path):
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    schema = "m_" + uuid.uuid4().hex[:10]
    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", PG_URL)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{joiner}options=-csearch_path%3D{schema}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_migrations_build_the_schema_from_empty_and_match_the_models(
    empty_database_url, tmp_path
) -> None:
    app = create_app(base_test_config(empty_database_url), instance_path=str(tmp_path / "i"))
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
    upgrade_database(app)
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "organisation",
            "member",
            "committee",
            "seat",
            "conference",
            "user_account",
        } <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(directory=app.extensions["migrate"].directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
    upgrade_database(app)
    with app.app_context():
        assert "member" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_wal(app) -> None:
    if PG_URL:
        pytest.skip("SQLite pragmas do not apply to PostgreSQL runs")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_the_suite_runs_on_the_database_it_was_asked_for(app) -> None:
    expected = "postgresql" if os.environ.get("BALLOT_TEST_DATABASE_URL") else "sqlite"
    with app.app_context():
        assert db.engine.dialect.name == expected
