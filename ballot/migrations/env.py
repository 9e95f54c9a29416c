"""Alembic environment for ballot: runs inside the Flask app that Flask-Migrate provides."""

from alembic import context
from flask import current_app

config = context.config
db = current_app.extensions["migrate"].db


def run_offline() -> None:
    """Emit SQL for the configured URL without connecting."""
    context.configure(
        url=str(db.engine.url),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Apply migrations over the app's own engine (batch mode so SQLite can alter tables)."""
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
