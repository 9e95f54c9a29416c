"""The `ballot` console script: the entry point, above the application factory.

It holds the commands that make their own app from an instance folder (init, serve, backup,
restore) and adds the in-app commands of ballot/commands.py. `flask --app ballot.app ...`
reaches the in-app commands and Flask's own (`db`, `run`).
"""

from __future__ import annotations

import logging
import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, NoAppException

from ballot.app import create_app
from ballot.backup import backup, restore
from ballot.commands import APP_COMMANDS, print_demo
from ballot.config import ConfigurationError, default_instance_path
from ballot.instance import upgrade_database, write_instance_config
from ballot.logs import log_event

log = logging.getLogger(__name__)

INSTANCE_OPTION = click.option(
    "--instance",
    type=click.Path(file_okay=False),
    default=None,
    help="Instance folder (default: BALLOT_INSTANCE_PATH or ./instance).",
)


def make_app(instance: str | None) -> Flask:
    """The site's app on `instance` (default: BALLOT_INSTANCE_PATH or ./instance), or a
    clear message when its configuration cannot be used."""
    try:
        return create_app(instance_path=instance)
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("init")
@INSTANCE_OPTION
def init_command(instance: str | None) -> None:
    """Create the instance folder, its secrets and the database schema."""
    instance = instance or default_instance_path()
    path, created = write_instance_config(instance)
    click.echo(f"{'Created' if created else 'Kept existing'} {path}")
    app = make_app(instance)
    upgrade_database(app)
    from ballot.security import secure_instance

    secure_instance(app.instance_path)
    click.echo(f"Database ready: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")


@click.command("serve")
@click.option("--demo", is_flag=True, help="Load the demo data first (once).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets tablets on the LAN connect.",
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@INSTANCE_OPTION
@click.option(
    "--tls",
    is_flag=True,
    help="Serve HTTPS with the instance's own certificate, "
    "made once in instance/tls/; prints its fingerprint for the tablets.",
)
@click.option(
    "--cert",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="The organisation's certificate (PEM) instead; implies --tls.",
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="The private key (PEM) of --cert.",
)
@click.option(
    "--allow-demo-passwords",
    is_flag=True,
    help="Serve on a non-loopback address although demo accounts keep their published "
    "passwords (a throwaway demonstration only; prints a warning).",
)
def serve_command(
    demo: bool,
    host: str,
    port: int,
    threads: int,
    instance: str | None,
    tls: bool = False,
    cert: str | None = None,
    key: str | None = None,
    allow_demo_passwords: bool = False,
) -> None:
    """Serve the application (cheroot, plain HTTP or HTTPS with --tls), initialising the
    instance when needed. The server refuses bodies over MAX_CONTENT_LENGTH itself."""
    from ballot.security import secure_instance
    from ballot.serving import DemoPasswordsError, demo_guard, make_server

    os.umask(0o077)  # the database, its WAL, certificates and backups: owner only
    instance = instance or default_instance_path()
    path, created = write_instance_config(instance)
    if created:
        click.echo(f"Created {path} with fresh secrets.")
    app = make_app(instance)
    upgrade_database(app)
    if demo:
        from ballot.db import db
        from ballot.demo import seed_demo

        with app.app_context():
            result = seed_demo()
            db.session.commit()
            print_demo(result)
    try:
        warning = demo_guard(app, host, allow_demo_passwords)
    except DemoPasswordsError as exc:
        raise click.ClickException(str(exc)) from exc
    if warning:
        click.echo(warning, err=True)
    secure_instance(app.instance_path)
    from ballot.voting.verifier import warm_up

    warm_up(app.config.get("VERIFY_PROCESSES"))
    secure = bool(tls or cert or key)
    log_event(
        log,
        "server.start",
        host=host,
        port=port,
        threads=threads,
        tls=secure,
        server="cheroot",
        instance=app.instance_path,
    )
    if secure:
        from ballot.tls import serve_over_tls

        try:
            serve_over_tls(app, instance, host, port, threads, cert, key, echo=click.echo)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        return
    click.echo(f"Serving on http://{host}:{port} (Ctrl+C to stop)")
    server = make_server(app, host, port, threads)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    log_event(log, "server.stop", host=host, port=port)


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: instance/backups/ballot-YYYYMMDD-HHMMSS.sqlite).",
)
@INSTANCE_OPTION
def backup_command(output: str | None, instance: str | None) -> None:
    """Copy the database to a file while the server keeps running (SQLite), or say how (PostgreSQL)."""
    target, digest = backup(make_app(instance), output)
    click.echo(f"Backup written to {target} (đã sao lưu)\nSHA-256 {digest}")
    click.echo(
        "Keep instance/config.py apart and as safe: its CODE_HASH_KEY and AUDIT_KEY are not in "
        "the backup."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace an existing database (stop the server first).")
@INSTANCE_OPTION
def restore_command(file: str, force: bool, instance: str | None) -> None:
    """Restore a backup made by `ballot backup` into this instance (SQLite)."""
    app = make_app(instance)
    target = restore(app, file, force)
    upgrade_database(app)  # a backup from an older version gets the newer migrations
    click.echo(f"Restored {file} into {target} (đã khôi phục).")


#: Every `ballot` command: the instance commands here, then the in-app ones.
COMMANDS: list[click.Command] = [
    init_command,
    serve_command,
    backup_command,
    restore_command,
    *APP_COMMANDS,
]


def _app_for_group() -> Flask:
    """The app whose commands `ballot --help` lists: a missing instance is one clear line
    (Flask prints a traceback for any other exception)."""
    try:
        return create_app()
    except ConfigurationError as exc:
        raise NoAppException(str(exc)) from exc


main = FlaskGroup(
    name="ballot",
    help="ballot: secret, verifiable confidence votes and quality ratings.",
    create_app=lambda: _app_for_group(),
    add_default_commands=True,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

__all__ = [
    "COMMANDS",
    "init_command",
    "main",
    "make_app",
    "upgrade_database",
    "write_instance_config",
]
