"""The commands that run inside an app: registered on `app.cli` by the factory (so
`flask --app ballot.app demo` works) and on the `ballot` console script.

The commands that make their own app from an instance folder (init, serve, backup, restore)
live in ballot/cli.py, the entry point, above the factory: keeping them apart is what keeps
`ballot.app` from importing the module that imports it.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ballot.auth.cli import users
from ballot.crypto.cli import simulate_command, verify_command
from ballot.org.cli import conferences_group
from ballot.rating.cli import ratings
from ballot.voting.cli import minutes_command, votes


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo organisation, committees, conference and accounts (once)."""
    from ballot.db import db
    from ballot.demo import seed_demo

    result = seed_demo()
    db.session.commit()
    print_demo(result)


def print_demo(result: dict[str, object]) -> None:
    """Say whether the demo was loaded and print its logins."""
    if result["created"]:
        click.echo("Demo data loaded (dữ liệu mẫu đã được tạo).")
    else:
        click.echo("Demo data already present, nothing duplicated (dữ liệu mẫu đã có sẵn).")
    click.echo("Demo logins (tài khoản mẫu):")
    for username, password, role in result["logins"]:  # type: ignore[attr-defined]
        click.echo(f"  {role:<10} {username:<12} {password}")


@click.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["admin", "desk", "counting", "observer"]),
    default="admin",
    show_default=True,
)
@click.option("--full-name", default=None, help="Full name shown in the interface.")
@click.password_option(help="Password (asked twice when omitted).")
@with_appcontext
def create_user_command(username: str, role: str, full_name: str | None, password: str) -> None:
    """Create a login account (the first administrator, for instance)."""
    from ballot.auth.models import Role, User
    from ballot.auth.passwords import hash_password
    from ballot.db import db

    if len(password) < 10:
        raise click.ClickException(
            "Password must have at least 10 characters (mật khẩu tối thiểu 10 ký tự)."
        )
    if db.session.scalar(select(User).where(User.username == username)) is not None:
        raise click.ClickException(f"User {username!r} already exists (tài khoản đã tồn tại).")
    db.session.add(
        User(
            username=username,
            full_name=full_name or username,
            password_hash=hash_password(password),
            role=Role(role),
        )
    )
    db.session.commit()
    click.echo(f"Created {role} account {username!r}.")


#: Every command that runs inside an app. `verify` and `simulate` need no app at all (the
#: FlaskGroup finds them without loading one).
APP_COMMANDS: list[click.Command] = [
    demo_command,
    create_user_command,
    votes,
    minutes_command,
    verify_command,
    simulate_command,
    ratings,
    users,
    conferences_group,
]
