"""The log: one key=value line per event on stderr, configured once; refused casts with their
error code and never the code or the ballot; start-up, migrations, closing and counting."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from ballot.cli import init_command
from ballot.db import db
from ballot.logs import configure_logging, log_event
from ballot.voting import casting, counting, desk
from ballot.voting.models import ConfidenceVote
from ballot.voting.simulate import decrypt_as
from tests.voting.conftest import counting_users, ready_vote

__all__ = ["counting_users", "ready_vote"]

LINE = re.compile(
    r"^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00 level=(?P<level>[A-Z]+) "
    r"logger=(?P<logger>\S+) (?P<rest>.*)$"
)


def _ours(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if getattr(h, "ballot_handler", False)]


@pytest.fixture
def stream() -> io.StringIO:
    """Our handler writing into a buffer (tests/conftest.py puts the root logger back)."""
    buffer = io.StringIO()
    configure_logging("INFO", stream=buffer)
    return buffer


def test_a_line_per_event_as_key_value_pairs_in_vietnam_time(stream: io.StringIO) -> None:
    log = logging.getLogger("ballot.test")
    log_event(log, "vote.closed", vote="Q4M2K", ballots=21, note="hai từ")
    log.debug("not at INFO")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        log.exception("with a traceback")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the traceback stays on its line
    first = LINE.match(lines[0])
    assert first and first["level"] == "INFO" and first["logger"] == "ballot.test"
    assert first["rest"] == 'event=vote.closed vote=Q4M2K ballots=21 note="hai từ"'
    second = LINE.match(lines[1])
    assert second and second["level"] == "ERROR"
    assert second["rest"].startswith('msg="with a traceback" exc="Traceback')
    assert "boom\\nsecond line" in second["rest"]


def test_configured_once_whatever_the_number_of_apps(stream: io.StringIO) -> None:
    root = logging.getLogger()
    configure_logging("WARNING")
    configure_logging("DEBUG")
    assert len(_ours(root)) == 1 and root.level == logging.DEBUG


def test_init_logs_start_up_and_migrations_to_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(init_command, ["--instance", str(tmp_path / "i")])
    again = CliRunner().invoke(init_command, ["--instance", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "event=app.ready" in result.stderr and "database=sqlite" in result.stderr
    assert re.search(r"event=migrations.applied before=empty after=\d{4}", result.stderr)
    assert "event=migrations.current revision=" in again.stderr
    assert "Context impl" not in result.stderr  # Alembic's chatter is kept out
    for line in result.stderr.splitlines():
        assert LINE.match(line), line


def _cast(client: Any, public_id: str, code: str, ballot: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot})


def test_refused_casts_are_logged_with_their_error_code_never_the_code_or_ballot(
    demo_app: Flask, ready_vote: tuple[int, Any], client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from ballot.crypto.ballot import encrypt_ballot

    vote_id, keys = ready_vote
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        for voter in vote.voters[:17]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        code = desk.issue_code(vote, vote.voters[0])
        public_id = vote.public_id
        ballot = encrypt_ballot(casting.context_of(vote), [0] * len(vote.subjects))
        db.session.commit()

    caplog.set_level(logging.INFO, logger="ballot")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert _cast(client, public_id, wrong, ballot).status_code == 400
    assert _cast(client, public_id, code, {"rows": "nope"}).status_code == 400
    accepted = _cast(client, public_id, code, ballot)
    assert accepted.status_code == 201
    assert _cast(client, public_id, code, {**ballot, "rows": ballot["rows"][::-1]}).status_code in (
        400,
        409,
    )

    refusals = [r for r in caplog.records if r.getMessage() == "cast.refused"]
    fields = [r.event_fields for r in refusals]  # type: ignore[attr-defined]
    assert [f["error"] for f in fields[:2]] == ["mistyped_code", "invalid_ballot"]
    assert len(fields) == 3 and all(f["vote"] == public_id for f in fields)
    assert all(set(f) == {"endpoint", "vote", "error", "status"} for f in fields)
    text = caplog.text + json.dumps(fields)
    for secret in (code, code.replace("-", ""), wrong, ballot["rows"][0]["cts"][0]["a"]):
        assert secret not in text
    # the accepted ballot left no line at all (its time would date its board entry)
    assert not [r for r in caplog.records if r.name == "ballot.web.api" and r not in refusals]

    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        counting.close_vote(vote)
        db.session.commit()
        decrypt_as(vote, keys[:2])
        db.session.commit()
    events = [r.getMessage() for r in caplog.records if r.name == "ballot.voting.counting"]
    assert events == [
        "vote.closed",
        "decryption.share_accepted",
        "decryption.share_accepted",
        "vote.counted",
    ]
