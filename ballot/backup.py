"""`ballot backup` and `ballot restore` (the commands are in ballot/cli.py): a consistent copy
of the SQLite database, and back.

The copy is taken with SQLite's online backup API (sqlite3.Connection.backup), so the server
may keep running; then it is VACUUMed (a fresh file whose page layout keeps no trace of the
order in which rows were changed, see docs/security.md) and checked. PostgreSQL sites use
pg_dump; the command prints how.

What a backup holds: the whole database (roll, codes as keyed hashes, board, audit log,
ratings). It does not hold instance/config.py: keep that file apart and as safe, since
CODE_HASH_KEY is needed to accept codes issued before the backup.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask


class BackupError(click.ClickException):
    """A backup or restore that cannot be done; the message says why and what to do."""


def sqlite_path(app: Flask) -> Path | None:
    """The SQLite file of `app`, or None when the database is not SQLite."""
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not uri.startswith("sqlite:///"):
        return None
    return Path(uri.removeprefix("sqlite:///"))


def pg_dump_advice(uri: str) -> str:
    """How to back up and restore a PostgreSQL database with its own tools."""
    parts = urlsplit(uri.replace("+psycopg", ""))
    database = parts.path.lstrip("/") or "ballot"
    return (
        "This site uses PostgreSQL: back it up with pg_dump (Cơ sở dữ liệu PostgreSQL: sao lưu bằng pg_dump):\n"
        f"  pg_dump --format=custom --file=ballot-$(date +%Y%m%d-%H%M).dump --host={parts.hostname or 'localhost'} "
        f"--port={parts.port or 5432} --username={parts.username or 'postgres'} {database}\n"
        "and restore into an empty database with:\n"
        f"  pg_restore --clean --if-exists --no-owner --dbname={database} FILE.dump\n"
        "Keep instance/config.py (its CODE_HASH_KEY) with the dump, as safely."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        has_schema = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    finally:
        conn.close()
    if not result or result[0] != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")
    if not has_schema or has_schema[0] != 1:
        raise BackupError(f"{path} is not a ballot database (no alembic_version table)")


def copy_database(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` (a new file, owner-only) with the online
    backup API, then VACUUM it into a single self-contained file and check it."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose another name (tệp đã tồn tại).")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=256)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("VACUUM")
    finally:
        src.close()
        dst.close()
    _check(target)


def backup(app: Flask, output: str | None) -> tuple[Path, str]:
    """Back up `app`'s SQLite database; returns the file and its SHA-256."""
    source = sqlite_path(app)
    if source is None:
        raise BackupError(pg_dump_advice(str(app.config["SQLALCHEMY_DATABASE_URI"])))
    if not source.exists():
        raise BackupError(f"no database at {source}; run `ballot init` first.")
    from ballot import audit
    from ballot.db import db

    target = (
        Path(output)
        if output
        else (Path(app.instance_path) / "backups" / f"ballot-{datetime.now():%Y%m%d-%H%M%S}.sqlite")
    )
    with app.app_context():  # the backup holds its own entry in the log
        audit.record(None, "backup.made", "database", {"file": target.name})
        db.session.commit()
        db.engine.dispose()
    copy_database(source, target)
    return target, _sha256(target)


def restore(app: Flask, file: str, force: bool) -> Path:
    """Put a backup in place of `app`'s SQLite database (refused if one exists, unless force)."""
    target = sqlite_path(app)
    if target is None:
        raise BackupError(pg_dump_advice(str(app.config["SQLALCHEMY_DATABASE_URI"])))
    source = Path(file)
    if not source.is_file():
        raise BackupError(f"no such file: {source}")
    _check(source)
    wal = [Path(f"{target}-wal"), Path(f"{target}-shm")]
    if target.exists() and not force:
        raise BackupError(
            f"{target} exists; stop the server, then run again with --force to replace it "
            "(cơ sở dữ liệu đã tồn tại: dừng máy chủ rồi chạy lại với --force)."
        )
    if force and any(p.exists() for p in wal):
        click.echo(
            f"Warning: {wal[0].name} exists: the database may be open. Stop the server first.",
            err=True,
        )
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    copy_database(source, staging)
    for stale in wal:  # a write-ahead log of the old database must never meet the new one
        stale.unlink(missing_ok=True)
    os.replace(staging, target)
    return target
