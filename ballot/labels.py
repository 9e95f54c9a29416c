"""Vietnamese labels (through Flask-Babel) for the domain's codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ballot.auth.models import Role
from ballot.org.models import CommitteeKind, Position

ROLE_LABELS = {
    Role.ADMIN: _l("Quản trị"),
    Role.DESK: _l("Bàn tiếp đón"),
    Role.COUNTING: _l("Ban kiểm phiếu"),
    Role.OBSERVER: _l("Quan sát"),
}
COMMITTEE_LABELS = {
    CommitteeKind.EXECUTIVE: _l("Ban Chấp hành"),
    CommitteeKind.STANDING: _l("Ban Thường vụ"),
}
POSITION_LABELS = {
    Position.SECRETARY: _l("Bí thư"),
    Position.STANDING_DEPUTY: _l("Phó Bí thư Thường trực"),
    Position.DEPUTY: _l("Phó Bí thư"),
    Position.STANDING_MEMBER: _l("Ủy viên Ban Thường vụ"),
    Position.EXECUTIVE_MEMBER: _l("Ủy viên Ban Chấp hành"),
}


def role_label(role: Role | str) -> str:
    """Return the Vietnamese name of a role."""
    return str(ROLE_LABELS.get(Role(role), role))


def committee_label(kind: CommitteeKind | str) -> str:
    """Return the Vietnamese name of a committee kind."""
    return str(COMMITTEE_LABELS.get(CommitteeKind(kind), kind))


def position_label(position: Position | str) -> str:
    """Return the Vietnamese name of a position."""
    return str(POSITION_LABELS.get(Position(position), position))


#: Positions as printed on ballots and in minutes: always Vietnamese, whatever the UI language.
POSITION_VI = {
    Position.SECRETARY: "Bí thư",
    Position.STANDING_DEPUTY: "Phó Bí thư Thường trực",
    Position.DEPUTY: "Phó Bí thư",
    Position.STANDING_MEMBER: "Ủy viên Ban Thường vụ",
    Position.EXECUTIVE_MEMBER: "Ủy viên Ban Chấp hành",
}


#: The ballot's three levels (Quy định 96-QĐ/TW) as the interface names them; the ballot itself
#: always prints the manifest's Vietnamese labels.
LEVEL_LABELS = {
    "high": _l("Tín nhiệm cao"),
    "normal": _l("Tín nhiệm"),
    "low": _l("Tín nhiệm thấp"),
}


def level_label(code: str, label: str) -> str:
    """The interface's name for a ballot level (the manifest's own label when unknown)."""
    known = LEVEL_LABELS.get(code)
    return str(known) if known is not None else label
