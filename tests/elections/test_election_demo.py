"""The demo holds a counted rehearsal election (the Standing Committee elected by the
Executive Committee at the rehearsal conference), once, and its record passes `ballot verify`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from ballot.crypto.cli import verify_command
from ballot.db import db
from ballot.org.models import Conference
from ballot.voting.demo import REHEARSAL_CONFERENCE, seed_votes
from ballot.voting.election_demo import REHEARSAL_ELECTION_TITLE
from ballot.voting.election_results import election_results
from ballot.voting.models import ConfidenceVote, VoteKind, VoteState


@pytest.mark.slow  # seeds the demo's votes twice (~3 s); the templates seed them too
def test_the_demo_election_is_counted_verified_and_seeded_once(
    demo_app, client, auth, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        conference = db.session.scalars(select(Conference).order_by(Conference.id).limit(1)).one()
        seed_votes(conference)
        db.session.commit()
        seed_votes(conference)  # idempotent
        db.session.commit()
        elections = list(
            db.session.scalars(
                select(ConfidenceVote).where(ConfidenceVote.kind == VoteKind.ELECTION)
            )
        )
        assert [e.title for e in elections] == [REHEARSAL_ELECTION_TITLE]
        vote = elections[0]
        assert vote.state is VoteState.COUNTED and vote.rehearsal
        assert vote.conference.name == REHEARSAL_CONFERENCE
        assert len(vote.voters) == 22 and sum(v.present for v in vote.voters) == 20
        assert len(vote.subjects) == 7 and (vote.election or {})["seats"] == 6
        assert sum(1 for t in vote.trustees if t.decryption_share) == 2
        results = election_results(vote)
        assert results.received == 20
        assert len(results.elected) == 6  # the demo's leanings elect six
        assert db.session.scalar(select(func.count()).select_from(ConfidenceVote)) == 3
        public_id = vote.public_id
    listed = demo_app.test_cli_runner().invoke(args=["votes", "list"]).output
    assert f"election    counted   present 20/22  cast 20  {REHEARSAL_ELECTION_TITLE}" in listed
    auth.login("admin", "admin-demo-2024")
    response = client.get(f"/api/v1/votes/{public_id}/record")
    assert response.status_code == 200
    path = tmp_path / "demo-election.json"
    path.write_bytes(response.data)
    verified = CliRunner().invoke(verify_command, [str(path)])
    assert verified.exit_code == 0, verified.output
    assert "hồ sơ kiểm phiếu hợp lệ" in verified.output
