"""Console commands and the demo data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from ballot.cli import init_command, main
from ballot.db import db
from ballot.org.models import Committee, CommitteeKind, Conference, Member, Organisation, OrgKind


def test_init_creates_owner_only_secrets_and_the_schema(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    result = CliRunner().invoke(init_command, ["--instance", str(instance)])
    assert result.exit_code == 0, result.output
    config = instance / "config.py"
    assert "Created" in result.output and "Database ready" in result.output
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600
    text = config.read_text()
    assert "SECRET_KEY = '" in text and "change-me" not in text
    assert (instance / "ballot.sqlite").exists()
    again = CliRunner().invoke(init_command, ["--instance", str(instance)])
    assert again.exit_code == 0 and "Kept existing" in again.output
    assert config.read_text() == text  # secrets are never regenerated under a running site


def test_ballot_group_lists_its_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("init", "serve", "demo", "create-user"):
        assert name in result.output


@pytest.mark.slow  # seeds the whole demo (~2 s); the templates and `serve --demo` seed it too
def test_demo_is_loaded_once(app, runner) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded" in first.output and "admin-demo-2024" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Member)) == 6102
        assert (
            db.session.scalar(select(func.count()).where(Organisation.kind == OrgKind.BASIC)) == 83
        )
        executive = db.session.scalar(
            select(Committee).where(Committee.kind == CommitteeKind.EXECUTIVE)
        )
        standing = db.session.scalar(
            select(Committee).where(Committee.kind == CommitteeKind.STANDING)
        )
        assert executive is not None and standing is not None
        assert len(executive.seats) == 22 and len(standing.seats) == 6
        assert [s.member.full_name for s in standing.seats[:3]] == [
            "Nguyễn Văn Tám",
            "Trần Thị Kim Phượng",
            "Lữ Công Tạo",
        ]
        conference = db.session.scalar(select(Conference).where(Conference.number == 17))
        assert conference is not None and conference.held_on is not None
        assert conference.name == "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 17"
        assert conference.held_on.isoformat() == "2024-01-02"
        from ballot.voting.models import ConfidenceVote

        states = sorted(
            (v.kind.value, v.state.value) for v in db.session.scalars(select(ConfidenceVote))
        )
        # the seed's vote to run, a rehearsal counted, and the rehearsal election counted
        assert states == [
            ("confidence", "ceremony"),
            ("confidence", "counted"),
            ("election", "counted"),
        ]


def test_demo_admin_sees_the_committees_in_vietnamese(demo_app, client, auth) -> None:
    auth.login("admin", "admin-demo-2024")
    html = client.get("/").get_data(as_text=True)
    assert "Đảng bộ Khối các cơ quan và Doanh nghiệp tỉnh Trà Vinh" in html
    assert "Ban Thường vụ khóa VIII" in html and "Ban Chấp hành khóa VIII" in html
    assert "Phó Bí thư Thường trực" in html and "6.102" in html
    assert "02/01/2024" in html


def test_create_user_and_its_errors(app, runner, client, auth) -> None:
    result = runner.invoke(
        args=["create-user", "chief", "--role", "admin", "--password", "long-enough-pw"]
    )
    assert result.exit_code == 0 and "Created admin account 'chief'" in result.output
    again = runner.invoke(args=["create-user", "chief", "--password", "long-enough-pw"])
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["create-user", "other", "--password", "short"])
    assert short.exit_code == 1 and "10 characters" in short.output
    assert auth.login("chief", "long-enough-pw").status_code == 302


@pytest.mark.slow  # a fresh instance, migrated and seeded (~5 s)
def test_serve_initialises_seeds_and_hands_over_to_the_server(tmp_path: Path, monkeypatch) -> None:
    served = {}

    class FakeServer:
        def start(self) -> None:
            served["started"] = True

    def fake_make_server(app, host, port, threads, cert=None, key=None):
        served.update(app=app, host=host, port=port)
        return FakeServer()

    from ballot import serving

    monkeypatch.setattr(serving, "make_server", fake_make_server)
    monkeypatch.setenv("BALLOT_VERIFY_PROCESSES", "0")
    monkeypatch.setenv("BALLOT_ARGON2_MEMORY_KIB", "1024")
    instance = tmp_path / "inst"
    args = ["serve", "--demo", "--instance", str(instance), "--host", "0.0.0.0", "--port", "5099"]
    refused = CliRunner().invoke(main, args)  # the published demo passwords, on the network
    assert refused.exit_code == 1 and "--allow-demo-passwords" in refused.output
    assert "started" not in served
    result = CliRunner().invoke(main, [*args, "--allow-demo-passwords"])
    assert result.exit_code == 0, result.output
    assert "Demo data" in result.output and "http://0.0.0.0:5099" in result.output
    assert "WARNING" in result.output
    assert served["port"] == 5099 and served["host"] == "0.0.0.0" and served["started"]
    second = CliRunner().invoke(main, [*args, "--allow-demo-passwords"])
    assert "already present" in second.output
