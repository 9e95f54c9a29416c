"""Configuration defaults and the layering: defaults, then instance/config.py, then BALLOT_* env."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: Marker for "no secret configured"; create_app refuses to start with it outside testing.
DEFAULT_SECRET = "change-me"  # noqa: S105 - a sentinel that is refused, not a secret  # nosec B105


class ConfigurationError(RuntimeError):
    """The site's configuration cannot be used as it is; the message says how to fix it."""


class Defaults:
    """Settings every site starts from; override in instance/config.py or BALLOT_* env."""

    SECRET_KEY = DEFAULT_SECRET
    #: Key of the keyed hash (HMAC-SHA256) under which one-time ballot codes are stored.
    CODE_HASH_KEY = DEFAULT_SECRET
    DATABASE_URL = ""  # empty: sqlite file in the instance folder
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    #: Zone every time is shown in (pages, documents, exports, CLI); empty: the Babel zone.
    TIMEZONE = ""
    #: The deployment's public address ("https://ballot.example.vn"): the minutes print the
    #: record's link and QR code under it, and refuse a loopback or unset address.
    PUBLIC_BASE_URL = ""
    #: "Biên bản lập thành 02 bản".
    MINUTES_COPIES = 2
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # switched on when served over TLS
    WTF_CSRF_TIME_LIMIT = None  # a conference day is long; the token lives with the session
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    #: Failed logins allowed per client address and minute.
    LOGIN_RATE_LIMIT = "5 per minute"
    #: Processes that check ballot proofs (None: one per core; 0: in the request thread).
    VERIFY_PROCESSES: int | None = None
    #: Wrong ballot codes allowed per tablet (address) and minute.
    CODE_RATE_LIMIT = "10 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Least level of the log lines written to stderr (DEBUG, INFO, WARNING, ERROR).
    LOG_LEVEL = "INFO"
    #: Organisation shown in headers and minutes.
    ORGANISATION_PLACE = "Trà Vinh"


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return settings given as BALLOT_<NAME> environment variables.

    Values that parse as JSON (numbers, true/false, lists) are decoded; anything else is
    kept as a string, so `BALLOT_DATABASE_URL=postgresql+psycopg://...` works as written.
    """
    environ = dict(os.environ if environ is None else environ)
    out: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith("BALLOT_") or key in {"BALLOT_INSTANCE_PATH"}:
            continue
        name = key.removeprefix("BALLOT_")
        try:
            out[name] = json.loads(raw)
        except ValueError:
            out[name] = raw
    return out


def database_uri(config: dict[str, Any], instance_path: str) -> str:
    """Return the SQLAlchemy URI: DATABASE_URL if set, else instance/ballot.sqlite."""
    url = str(config.get("DATABASE_URL") or "")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "ballot.sqlite")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def default_instance_path() -> str:
    """Return BALLOT_INSTANCE_PATH, or ./instance under the working directory."""
    return os.environ.get("BALLOT_INSTANCE_PATH") or str(Path.cwd() / "instance")
