"""Import every model module so that the metadata (and Alembic) knows all tables."""

from ballot.audit.models import AuditEntry, AuditHead
from ballot.auth.models import Role, Throttle, User, UserSession
from ballot.org.models import (
    Committee,
    CommitteeKind,
    Conference,
    DocumentNumber,
    Member,
    Organisation,
    OrgKind,
    Position,
    Seat,
)
from ballot.rating.models import Rating, RatingOverride, RatingRevision, RatingTrigger, RatingYear
from ballot.voting.models import (
    BallotCode,
    BoardEntry,
    BoardPoint,
    ConfidenceVote,
    VoteSubject,
    VoteTrustee,
    VoteVoter,
)

__all__ = [
    "AuditEntry",
    "AuditHead",
    "BallotCode",
    "BoardEntry",
    "BoardPoint",
    "ConfidenceVote",
    "VoteSubject",
    "VoteTrustee",
    "VoteVoter",
    "Committee",
    "CommitteeKind",
    "Conference",
    "DocumentNumber",
    "Member",
    "OrgKind",
    "Organisation",
    "Position",
    "Rating",
    "RatingOverride",
    "RatingRevision",
    "RatingTrigger",
    "RatingYear",
    "Role",
    "Seat",
    "Throttle",
    "User",
    "UserSession",
]
