"""Demo votes: the seed's vote ready for its key ceremony, and a rehearsal already counted."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.localtime import zone
from ballot.org.models import Conference
from ballot.voting import counting, desk, setup
from ballot.voting.election_demo import seed_rehearsal_election
from ballot.voting.models import ConfidenceVote
from ballot.voting.simulate import cast_choices, decrypt_as, run_key_ceremony

SEED_TITLE = "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
REHEARSAL_TITLE = (
    "Diễn tập: lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII"
)

REHEARSAL_CONFERENCE = "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 16"

#: Chance of each level (high, normal, low) and of a blank row, per subject in ballot order.
_LEANINGS = [
    (0.86, 0.14, 0.0, 0.0),
    (0.77, 0.18, 0.05, 0.0),
    (0.73, 0.22, 0.0, 0.05),
    (0.64, 0.27, 0.09, 0.0),
    (0.59, 0.32, 0.05, 0.04),
    (0.55, 0.36, 0.09, 0.0),
]


def _committee() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
    )[:3]


def seed_votes(conference: Conference) -> None:
    """Create the demo votes once (idempotent by title): the seed's vote, the rehearsal
    conference with its counted confidence vote and its counted election."""
    if db.session.scalar(select(ConfidenceVote).where(ConfidenceVote.title == SEED_TITLE)) is None:
        _seed_and_rehearsal(conference)
    rehearsal_conf = db.session.scalar(
        select(Conference).where(Conference.name == REHEARSAL_CONFERENCE)
    )
    if rehearsal_conf is not None:
        seed_rehearsal_election(rehearsal_conf, _committee())


def _seed_and_rehearsal(conference: Conference) -> None:
    committee = _committee()
    vote = setup.create_vote(conference, SEED_TITLE)
    setup.set_counting_committee(vote, committee, committee[0], threshold=2)

    rehearsal_conf = Conference(
        organisation_id=conference.organisation_id,
        name=REHEARSAL_CONFERENCE,
        number=16,
        held_on=date(2023, 12, 5),
        place=conference.place,
        convening_organ=conference.convening_organ,
        term=conference.term,
    )
    db.session.add(rehearsal_conf)
    db.session.flush()
    _held_and_counted(rehearsal_conf, committee)


def _held_and_counted(conference: Conference, committee: list[User]) -> None:
    """A rehearsal held with simulated tablets and demo keys: 20 of 22 present, 2 of 3 decrypt."""
    rng = random.Random(16)  # noqa: S311 - demo choices, not secrets  # nosec B311
    vote = setup.create_vote(conference, REHEARSAL_TITLE)
    vote.rehearsal = True
    setup.set_counting_committee(vote, committee, committee[0], threshold=2)
    keys = run_key_ceremony(vote)
    absent = {4, 13}
    reasons = {4: "Đi công tác", 13: "Nghỉ ốm"}
    for voter in vote.voters:
        desk.set_present(vote, voter, voter.rank not in absent, reasons.get(voter.rank))
    desk.open_vote(vote)
    codes = [desk.issue_code(vote, v) for v in vote.voters if v.present]
    db.session.commit()  # casting commits ballot by ballot, as the booth does
    for code in codes:
        choices: list[int | None] = []
        for high, normal, low, _blank in _LEANINGS[: len(vote.subjects)]:
            draw = rng.random()
            choices.append(
                0
                if draw < high
                else 1
                if draw < high + normal
                else 2
                if draw < high + normal + low
                else None
            )
        cast_choices(vote, code, choices)
    vote = db.session.get_one(ConfidenceVote, vote.id)
    counting.close_vote(vote)
    decrypt_as(vote, [keys[0], keys[2]])
    # The rehearsal happened at its conference: its moments are that afternoon's, not today's.
    afternoon = datetime.combine(conference.held_on, time(14, 0), tzinfo=zone())
    vote.opened_at = afternoon
    vote.closed_at = afternoon + timedelta(minutes=25)
    vote.counted_at = afternoon + timedelta(minutes=40)
    db.session.flush()
