"""The one place where roles are checked: logged-in user (server-side session), role,
membership of *this* vote's counting committee, and who may see a vote's results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, session, url_for

from ballot.auth import sessions
from ballot.auth.models import Role
from ballot.voting import publication
from ballot.voting.models import ConfidenceVote

F = TypeVar("F", bound=Callable[..., Any])

#: How long a login lasts at most (a conference day), unless SESSION_HOURS says otherwise.
SESSION_HOURS = 16


def session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config.get("SESSION_HOURS", SESSION_HOURS)))


def load_user() -> None:
    """Put the logged-in, active user (or None) on `g.user` for this request: the cookie's
    token must name a live row of `user_session` (ended by logout, a password change or a
    disabled account), whatever else the signed cookie says."""
    token = session.get("sid")
    user = sessions.find(token, session_lifetime()) if token else None
    if user is None or session.get("user_id") != user.id:
        user = None
        if token:  # a stale cookie: drop the login, keep the language
            session.pop("sid", None)
            session.pop("user_id", None)
    g.user = user


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow only logged-in users holding one of `roles`; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("user")
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def has_role(*roles: Role) -> bool:
    """Return True when the current user holds one of `roles` (for templates)."""
    user = g.get("user")
    return user is not None and user.role in roles


def on_committee(vote: ConfidenceVote) -> bool:
    """The current user is a member of this vote's counting committee."""
    user = g.get("user")
    return user is not None and any(t.user_id == user.id for t in vote.trustees)


def require_committee(vote: ConfidenceVote) -> None:
    """A counting-committee account acts only on the votes whose committee it sits on (403)."""
    user = g.get("user")
    if user is not None and user.role is Role.COUNTING and not on_committee(vote):
        abort(403)


def may_see_results(vote: ConfidenceVote) -> bool:
    """ballot.voting.publication's policy for the current user."""
    user = g.get("user")
    role = user.role.value if user is not None else None
    return publication.may_see_results(vote, role, on_committee(vote))
