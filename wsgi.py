"""WSGI entry point for production servers: `gunicorn wsgi:app` or any WSGI server."""

from ballot.app import create_app

app = create_app()
