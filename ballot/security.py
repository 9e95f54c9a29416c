"""HTTP hardening: a strict Content-Security-Policy (no inline script), framing, referrer and
content-type headers, no caching of dynamic pages, HSTS and Secure cookies when served over
TLS. (The audit log's pages and the record of logins are registered with the blueprints.)"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

#: Scripts only from this site (ES modules in static/js); inline style attributes are allowed
#: (progress bars), inline <script> is not. Nothing is loaded from elsewhere: the app runs on a LAN.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # same-origin: our own pages still send a Referer (used to return to a form after an error)
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    # Booth, slips, consoles, results, API answers: no browser or proxy may keep a copy (a
    # shared tablet must not show the previous voter's page from its cache). Static files
    # keep their own validators; a view may still choose its own Cache-Control.
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _refuse_nul() -> None:
    """A NUL character in the path, the query or a form field is bad input (400): PostgreSQL
    text cannot hold one, and the query would fail with a 500 (found by the fuzzer)."""
    if "\x00" in request.path or any(
        "\x00" in key + value for key, value in request.args.items(multi=True)
    ):
        abort(400)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and any(
        "\x00" in key + value for key, value in request.form.items(multi=True)
    ):
        abort(400)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested deeper than the parser's stack allows is bad
    input (ValueError: the API answers 400), not a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in URLs, at most 2**31 - 1 (an INTEGER column): a larger number is a 404,
    not an overflow in the database driver (a 500)."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, 2**31 - 1 if max is None else max, signed)


def init_app(app: Flask) -> None:
    """Add the security headers to every response; Secure cookies when the site is on TLS."""
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter  # before the blueprints' rules
    app.before_request(_refuse_nul)
    app.after_request(_headers)
    if app.config.get("TLS"):
        app.config["SESSION_COOKIE_SECURE"] = True


def secure_instance(path: str | os.PathLike[str]) -> None:
    """The instance folder and every folder in it 0700, every file 0600 (config, database
    and its WAL, certificates, backups): other accounts on the laptop read nothing. POSIX
    only (on Windows the folder's ACL is what protects it). Symbolic links are left alone."""
    root = Path(path)
    if os.name != "posix" or not root.is_dir():
        return
    root.chmod(0o700)
    for folder, subfolders, files in os.walk(root):
        for name in subfolders:
            item = Path(folder) / name
            if not item.is_symlink():
                item.chmod(0o700)
        for name in files:
            item = Path(folder) / name
            if not item.is_symlink() and stat.S_IMODE(item.lstat().st_mode) != 0o600:
                item.chmod(0o600)
