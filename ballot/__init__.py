"""`ballot`: secret, verifiable confidence votes on tablets and annual quality ratings.

This file stays light: `import ballot.crypto` must not load Flask. The application factory
is `ballot.app.create_app`.
"""
