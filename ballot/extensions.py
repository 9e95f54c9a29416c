"""Flask extensions, instantiated here and bound in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from ballot.db import db

babel = Babel()
csrf = CSRFProtect()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter", "migrate"]
