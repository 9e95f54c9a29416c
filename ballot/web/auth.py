"""Login and logout."""

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
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ballot.auth.models import User
from ballot.auth.passwords import hash_password, needs_rehash, verify_password
from ballot.db import db, utcnow
from ballot.extensions import limiter

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 200
)
def login():
    """Log a user in; a failed attempt re-shows the form and counts against the rate limit."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        ok = verify_password(user.password_hash if user else None, form.password.data or "")
        if user is not None and ok and user.active:
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data or "")
            user.last_login_at = utcnow()
            session.clear()
            session["user_id"] = user.id
            session.permanent = False
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Sai tên đăng nhập hoặc mật khẩu."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log the current user out."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.app_context_processor
def inject_user() -> dict[str, object]:
    return {"current_user": g.get("user")}
