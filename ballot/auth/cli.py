"""`ballot users`: list accounts, set a password, disable or enable an account, lift a login
backoff. A password change and a disabled account end every session of that account."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ballot import audit
from ballot.auth import accounts, throttle
from ballot.auth.models import User
from ballot.db import db


@click.group("users")
def users() -> None:
    """Manage login accounts (tài khoản đăng nhập)."""


def _user(username: str) -> User:
    try:
        return accounts.by_name(username)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("list")
@with_appcontext
def list_command() -> None:
    """List accounts with their role and whether they are active."""
    for user in db.session.scalars(select(User).order_by(User.id)):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username:<16} {user.role.value:<10} {state:<9} {user.full_name}")


@users.command("passwd")
@click.argument("username")
@click.password_option(help="New password (asked twice when omitted).")
@with_appcontext
def passwd_command(username: str, password: str) -> None:
    """Set a new password; every session of the account ends."""
    user = _user(username)
    try:
        ended = accounts.set_password(user, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record(None, "auth.password_changed", f"user:{user.username}", {"ended": ended})
    db.session.commit()
    accounts.forget_failures(user)
    click.echo(f"Password of {username!r} changed; {ended} session(s) ended (đã đổi mật khẩu).")


@users.command("disable")
@click.argument("username")
@with_appcontext
def disable_command(username: str) -> None:
    """Disable an account: it can no longer log in, and every session of it ends."""
    user = _user(username)
    ended = accounts.disable(user)
    audit.record(None, "auth.account_disabled", f"user:{user.username}", {"ended": ended})
    db.session.commit()
    click.echo(f"Account {username!r} disabled; {ended} session(s) ended (đã khóa tài khoản).")


@users.command("enable")
@click.argument("username")
@with_appcontext
def enable_command(username: str) -> None:
    """Enable a disabled account again."""
    user = _user(username)
    accounts.enable(user)
    audit.record(None, "auth.account_enabled", f"user:{user.username}", {})
    db.session.commit()
    click.echo(f"Account {username!r} enabled (đã mở lại tài khoản).")


@users.command("unlock")
@click.argument("username")
@with_appcontext
def unlock_command(username: str) -> None:
    """Lift the login backoff of an account (after someone guessed at it)."""
    throttle.clear(accounts.account_key(username))
    click.echo(f"Login backoff of {username!r} lifted.")
