"""Login, logout and password change, on server-side sessions (ballot.auth.sessions).

Login attempts are taken from two budgets in the database before the password is checked
(ballot.auth.throttle): per client address (LOGIN_RATE_LIMIT, a success is given back) and
per account, with exponential backoff after LOGIN_FREE_FAILURES failures (a success clears
it). Parallel requests cannot slip past either: each must win its compare-and-swap first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ballot import audit
from ballot.auth import accounts, sessions, throttle
from ballot.auth.models import User
from ballot.auth.passwords import hash_password, needs_rehash, verify_password
from ballot.db import db, utcnow
from ballot.web.access import login_required, session_lifetime

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(
        _l("Mật khẩu mới (tối thiểu 10 ký tự)"),
        validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD, max=200)],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[DataRequired(), EqualTo("new", message=_l("Hai mật khẩu mới không khớp."))],
    )


def _safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _backoff() -> throttle.Backoff:
    config = current_app.config
    return throttle.Backoff(
        free=int(config.get("LOGIN_FREE_FAILURES", 5)),
        base=float(config.get("LOGIN_BACKOFF_SECONDS", 5)),
        cap=float(config.get("LOGIN_BACKOFF_MAX_SECONDS", 900)),
    )


def _take_attempt(username: str) -> None:
    """Take one attempt from the address's budget, then from the account's; 429 when either
    is spent (nothing else happens: no password is checked)."""
    address = accounts.address_key(request.remote_addr or "")
    decision = throttle.take(address, throttle.Window.parse(current_app.config["LOGIN_RATE_LIMIT"]))
    if decision.allowed:
        decision = throttle.take(accounts.account_key(username), _backoff())
    if not decision.allowed:
        raise TooManyRequests(retry_after=decision.retry_after)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a user in; a failed attempt re-shows the form and counts against both budgets."""
    form = LoginForm()
    if form.validate_on_submit():
        name = form.username.data or ""
        _take_attempt(name)
        user = db.session.scalar(select(User).where(User.username == name))
        ok = verify_password(user.password_hash if user else None, form.password.data or "")
        if user is not None and ok and user.active:
            throttle.give_back(accounts.address_key(request.remote_addr or ""))
            throttle.clear(accounts.account_key(name))
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data or "")
            user.last_login_at = utcnow()
            sessions.purge(session_lifetime())
            lang = session.get("lang")
            session.clear()
            session["sid"] = sessions.start(user)
            session["user_id"] = user.id
            if lang:
                session["lang"] = lang
            session.permanent = False
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Sai tên đăng nhập hoặc mật khẩu."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log the current user out: the session ends on the server, not only in this browser."""
    sessions.end(session.get("sid"))
    db.session.commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password: every session of the account ends, this one starts anew."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = g.user
        if not verify_password(user.password_hash, form.current.data or ""):
            flash(_("Mật khẩu hiện tại không đúng."), "error")
        else:
            ended = accounts.set_password(user, form.new.data or "")
            audit.record(user, "auth.password_changed", f"user:{user.username}", {"ended": ended})
            session["sid"] = sessions.start(user)
            db.session.commit()
            accounts.forget_failures(user)
            flash(_("Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)


@bp.app_context_processor
def inject_user() -> dict[str, object]:
    return {"current_user": g.get("user")}
