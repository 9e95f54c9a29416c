"""Conferences as first-class data: create, edit, name them, and the dates votes are held on.

Services flush and never commit; bad input raises `VoteError` (a code; words in ballot/messages.py)
and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ballot.db import db
from ballot.localtime import local_date, short_date
from ballot.org.models import Conference, Organisation, OrgKind
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote

#: The organ that convenes a conference when none is given.
DEFAULT_ORGAN = "Ban Chấp hành Đảng bộ Khối"


@dataclass(frozen=True)
class ConferenceFields:
    """What a user types for a conference (the form and the CLI share it)."""

    number: int | None
    held_on: date
    ends_on: date | None = None
    place: str = ""
    convening_organ: str = ""
    term: str = ""
    name: str = ""  #: left empty: "Hội nghị <organ> lần thứ <number>"


def default_name(organ: str, number: int | None) -> str:
    """ "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 17"."""
    name = f"Hội nghị {organ or DEFAULT_ORGAN}"
    return f"{name} lần thứ {number}" if number else name


def _bad(code: str, **params: object) -> VoteError:
    return VoteError(code, 400, **params)


def _check(fields: ConferenceFields) -> None:
    if fields.number is not None and not 1 <= fields.number <= 999:
        raise _bad("bad_conference_number")
    if fields.ends_on is not None and fields.ends_on < fields.held_on:
        raise _bad("bad_conference_dates")
    for value, limit in ((fields.place, 255), (fields.convening_organ, 255), (fields.term, 120)):
        if len(value) > limit:
            raise _bad("conference_field_too_long", limit=limit)
    if len(fields.name) > 255:
        raise _bad("conference_field_too_long", limit=255)


def _apply(conference: Conference, fields: ConferenceFields) -> None:
    organ = fields.convening_organ.strip() or DEFAULT_ORGAN
    conference.number = fields.number
    conference.held_on = fields.held_on
    conference.ends_on = fields.ends_on if fields.ends_on != fields.held_on else None
    conference.place = fields.place.strip() or None
    conference.convening_organ = organ
    conference.term = fields.term.strip() or None
    conference.name = fields.name.strip() or default_name(organ, fields.number)


def root_organisation() -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.kind == OrgKind.COMMITTEE)
    )
    if organisation is None:
        raise VoteError("no_organisation", 409)
    return organisation


def create_conference(fields: ConferenceFields) -> Conference:
    """Add a conference of the committee's own organisation."""
    _check(fields)
    conference = Conference(organisation_id=root_organisation().id, name="", held_on=fields.held_on)
    _apply(conference, fields)
    db.session.add(conference)
    db.session.flush()
    return conference


def edit_conference(conference: Conference, fields: ConferenceFields) -> None:
    """Change a conference; the votes held at it keep their own records."""
    _check(fields)
    _apply(conference, fields)
    db.session.flush()


def conferences() -> list[Conference]:
    return list(db.session.scalars(select(Conference).order_by(Conference.held_on.desc())))


def dates_text(conference: Conference) -> str:
    """ "02/01/2024" or "02/01/2024 – 03/01/2024"."""
    if conference.ends_on is None or conference.ends_on == conference.held_on:
        return short_date(conference.held_on)
    return f"{short_date(conference.held_on)} – {short_date(conference.ends_on)}"


def default_vote_title(conference: Conference) -> str:
    """A title naming the conference, so two conferences' votes never share a title."""
    term = f" {conference.term}" if conference.term else ""
    base = f"Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ{term} tại {conference.name}"
    taken = set(
        db.session.scalars(
            select(ConfidenceVote.title).where(ConfidenceVote.conference_id == conference.id)
        )
    )
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base} (lần {n})"
    return title


def session_day(vote: ConfidenceVote) -> date | None:
    """The day (site time) of the session in which the vote was held: the day it opened."""
    return local_date(vote.opened_at) if vote.opened_at is not None else None


def session_date_warning(vote: ConfidenceVote) -> str | None:
    """A warning when the vote was held outside the conference's dates (the minutes carry the
    day the vote was held, which is then not a day of the conference)."""
    day = session_day(vote)
    if day is None or vote.conference.covers(day):
        return None
    return _(
        "Cuộc bỏ phiếu được tiến hành ngày %(day)s, ngoài ngày họp của hội nghị (%(dates)s). "
        "Biên bản ghi ngày tiến hành bỏ phiếu; hãy kiểm tra lại ngày của hội nghị.",
        day=short_date(day),
        dates=dates_text(vote.conference),
    )
