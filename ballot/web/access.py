"""The one place where roles are checked."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from ballot.auth.models import Role, User
from ballot.db import db

F = TypeVar("F", bound=Callable[..., Any])


def load_user() -> None:
    """Put the logged-in, active user (or None) on `g.user` for this request."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id is not None else None
    g.user = user if user is not None and user.active else None


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
