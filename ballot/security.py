"""HTTP hardening: a strict Content-Security-Policy (no inline script), framing, referrer and
content-type headers, HSTS and Secure cookies when served over TLS."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

#: Scripts only from this site (ES modules in static/js); inline style attributes are allowed
#: (progress bars), inline <script> is not. Nothing is loaded from elsewhere: the app runs on a LAN.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # same-origin: our own pages still send a Referer (used to return to a form after an error)
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response; Secure cookies when the site is on TLS."""
    app.after_request(_headers)
    if app.config.get("TLS"):
        app.config["SESSION_COOKIE_SECURE"] = True
