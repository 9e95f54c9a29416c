"""Import every model module so that the metadata (and Alembic) knows all tables."""

from ballot.auth.models import Role, User
from ballot.org.models import (
    Committee,
    CommitteeKind,
    Conference,
    Member,
    Organisation,
    OrgKind,
    Position,
    Seat,
)

__all__ = [
    "Committee",
    "CommitteeKind",
    "Conference",
    "Member",
    "OrgKind",
    "Organisation",
    "Position",
    "Role",
    "Seat",
    "User",
]
