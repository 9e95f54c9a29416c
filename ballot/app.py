"""The application factory: a table of contents of `register_*` calls."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from ballot.config import (
    DEFAULT_SECRET,
    ConfigurationError,
    Defaults,
    database_uri,
    default_instance_path,
    env_overrides,
)

PACKAGE_DIR = Path(__file__).resolve().parent
#: Templates live at the top of the repository (see DESIGN.md's layout); the wheel carries
#: them as ballot/templates (pyproject.toml's force-include), found first when installed.
TEMPLATES_DIR = next(
    (d for d in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates") if d.is_dir()),
    PACKAGE_DIR / "templates",
)
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Create the application: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or default_instance_path()).resolve()),
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
    )
    load_config(app, test_config)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Layer the configuration: defaults, then instance/config.py, then BALLOT_* variables.

    A test passes `test_config`, which replaces both the file and the environment so that a
    developer's own settings never leak into a test run.
    """
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(env_overrides())
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config, app.instance_path)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if not app.config.get("TESTING"):
        for key in ("SECRET_KEY", "CODE_HASH_KEY"):
            value = app.config.get(key)
            if not value or value == DEFAULT_SECRET or len(str(value)) < 32:
                raise ConfigurationError(
                    f"{key} is missing or is the default. Run `ballot init` to generate "
                    f"{os.path.join(app.instance_path, 'config.py')} "
                    "(chưa có khóa bí mật: hãy chạy `ballot init`)."
                )


def register_logging(app: Flask) -> None:
    """Send log lines to stderr as key=value pairs, once per process (tests leave logging to
    pytest); record that the app is ready and on which database (never its password)."""
    from ballot.logs import configure_logging, log_event

    if not app.testing:
        configure_logging(app.config["LOG_LEVEL"])
    log_event(
        logging.getLogger(__name__),
        "app.ready",
        instance=app.instance_path,
        database=str(app.config["SQLALCHEMY_DATABASE_URI"]).split(":", 1)[0],
    )


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    from ballot import i18n, security
    from ballot.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    import ballot.models  # noqa: F401  - every model known to the metadata and to Alembic


def register_blueprints(app: Flask) -> None:
    """Register one blueprint per audience."""
    from flask_babel import lazy_gettext as _l

    from ballot.auth.models import Role
    from ballot.web import (
        access,
        api,
        audit,
        auth,
        booth,
        conferences,
        count,
        desk,
        documents,
        elections,
        home,
        nav,
        rating,
        roll,
        votes,
    )

    app.before_request(access.load_user)
    audit.init_app(app)  # the audit log's pages and the record of logins
    app.jinja_env.globals["has_role"] = access.has_role
    nav.init_app(app)
    for blueprint in (
        auth.bp,
        home.bp,
        votes.bp,
        desk.bp,
        count.bp,
        booth.bp,
        documents.bp,
        api.bp,
        conferences.bp,
    ):
        app.register_blueprint(blueprint)
    elections.init_app(app)  # elections (bầu cử) share the votes' pages
    roll.init_app(app)  # an election's roll of summoned delegates
    nav.add_nav(
        app,
        "votes.index",
        _l("Lấy phiếu tín nhiệm, bầu cử"),
        Role.ADMIN,
        Role.DESK,
        Role.COUNTING,
        Role.OBSERVER,
    )
    nav.add_nav(app, "conferences.index", _l("Hội nghị"), Role.ADMIN, Role.COUNTING, Role.OBSERVER)
    app.register_blueprint(rating.bp)
    nav.add_nav(
        app, "rating.index", _l("Đánh giá, xếp loại"), Role.ADMIN, Role.COUNTING, Role.OBSERVER
    )


def register_errorhandlers(app: Flask) -> None:
    """Register the error pages."""
    from ballot.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    """Make the in-app commands reachable as `flask --app ballot.app ...` too."""
    from ballot.commands import APP_COMMANDS

    for command in APP_COMMANDS:
        app.cli.add_command(command)
