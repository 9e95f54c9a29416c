"""HTTPS for the tablets (certificate, cheroot, Secure cookies, HSTS) and backup/restore."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import stat
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from ballot import tls
from ballot.app import create_app
from ballot.backup import BackupError, backup, pg_dump_advice, restore
from ballot.cli import main, write_instance_config
from ballot.db import db
from tests.conftest import PG_URL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_certificate_is_made_once_with_a_private_key_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    files = tls.ensure_certificate(tmp_path, ["10.1.2.3", "phong-hop.local"])
    assert files.created
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    certificate = tls.load_certificate(files.cert)
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", "phong-hop.local"} <= set(san.get_values_for_type(x509.DNSName))
    assert {"127.0.0.1", "10.1.2.3"} <= {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert files.ca is not None and stat.S_IMODE(files.ca.stat().st_mode) == 0o600
    authority = tls.load_certificate(files.ca)
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (
        ExtendedKeyUsageOID.SERVER_AUTH
        in certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    )
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime <= dt.timedelta(days=826)  # iPadOS refuses longer-lived server certificates
    again = tls.ensure_certificate(tmp_path)
    assert not again.created and tls.fingerprint(
        tls.load_certificate(again.trusted)
    ) == tls.fingerprint(authority)
    assert len(tls.fingerprint(certificate).split(":")) == 32
    assert tls.missing_addresses(certificate, ["10.1.2.3", "10.9.9.9"]) == ["10.9.9.9"]


def test_https_serves_secure_cookies_hsts_and_the_certificate(app, tmp_path: Path) -> None:
    files = tls.ensure_certificate(tmp_path)
    tls.prepare_app(app, files.trusted)
    port = _free_port()
    server = tls.make_server(app, "127.0.0.1", port, 2, files.cert, files.key)
    thread = threading.Thread(target=server.start, daemon=True)
    thread.start()
    try:
        context = ssl.create_default_context(
            cafile=str(files.trusted)
        )  # the tablet that installed it
        for _ in range(100):
            if server.ready:
                break
            time.sleep(0.05)
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/login", context=context) as response:
            assert response.status == 200
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
            cookie = response.headers["Set-Cookie"]
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        with urllib.request.urlopen(
            f"https://localhost:{port}/tls/certificate.crt", context=context
        ) as response:
            der = response.read()
        assert der == tls.load_certificate(files.trusted).public_bytes(serialization.Encoding.DER)
        # a tablet that does not trust the certificate is refused by its own TLS stack
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(
                f"https://127.0.0.1:{port}/login", context=ssl.create_default_context()
            )
    finally:
        server.stop()
        thread.join(5)


def test_serve_tls_prints_the_fingerprint_and_a_qr(tmp_path: Path, monkeypatch) -> None:
    started: dict[str, Any] = {}

    class FakeServer:
        def start(self) -> None:
            started["yes"] = True

    def fake_make_server(app, host, port, threads, cert, key):
        started.update(app=app, port=port, cert=cert, key=key)
        return FakeServer()

    monkeypatch.setattr(tls, "make_server", fake_make_server)
    monkeypatch.setenv("BALLOT_VERIFY_PROCESSES", "0")
    instance = tmp_path / "inst"
    result = CliRunner().invoke(
        main, ["serve", "--tls", "--instance", str(instance), "--port", "5443"]
    )
    assert result.exit_code == 0, result.output
    fingerprint = tls.fingerprint(tls.load_certificate(instance / "tls" / "ca.pem"))
    assert fingerprint in result.output and "https://127.0.0.1:5443/" in result.output
    assert "▀" in result.output or "█" in result.output  # the QR code, drawn with text
    assert (
        started["yes"]
        and started["app"].config["SESSION_COOKIE_SECURE"]
        and started["app"].config["TLS"]
    )
    # the organisation's own certificate and key
    own = tls.ensure_certificate(tmp_path / "org")
    again = CliRunner().invoke(
        main, ["serve", "--instance", str(instance), "--cert", str(own.cert), "--key", str(own.key)]
    )
    assert again.exit_code == 0, again.output
    assert (
        started["cert"] == own.cert
        and tls.fingerprint(tls.load_certificate(own.cert)) in again.output
        and tls.fingerprint(tls.load_certificate(own.trusted)) not in again.output
    )
    half = CliRunner().invoke(main, ["serve", "--instance", str(instance), "--cert", str(own.cert)])
    assert half.exit_code == 1 and "--key" in half.output


@pytest.mark.skipif(bool(PG_URL), reason="SQLite backup; PostgreSQL sites use pg_dump")
def test_backup_of_a_counted_vote_restores_into_a_fresh_instance_and_still_verifies(
    demo_app, open_vote, issue, encrypt, tmp_path: Path, monkeypatch
) -> None:
    from ballot import audit
    from ballot.crypto.record import verify_record
    from ballot.voting import casting, counting
    from ballot.voting.simulate import decrypt_as
    from tests.security.conftest import get_vote

    vote_id, public_id, keys = open_vote
    with demo_app.app_context():
        for code in issue(vote_id, 3):
            casting.cast_ballot(vote_id, code, encrypt(vote_id, [0, 1, 2, 0, 1, 2]))
        vote = get_vote(vote_id)
        counting.close_vote(vote)
        decrypt_as(vote, keys[:2])
        audit.record("kiemphieu1", "decryption.accepted", f"vote:{public_id}", {"trustee": 1})
        db.session.commit()
        record = counting.election_record(get_vote(vote_id))

    output = tmp_path / "saved" / "ballot.sqlite"
    target, digest = backup(demo_app, str(output))
    assert target == output and len(digest) == 64 and stat.S_IMODE(output.stat().st_mode) == 0o600
    with pytest.raises(BackupError, match="already exists"):
        backup(demo_app, str(output))

    monkeypatch.setenv("BALLOT_VERIFY_PROCESSES", "0")
    fresh = tmp_path / "fresh"
    write_instance_config(str(fresh))
    result = CliRunner().invoke(main, ["restore", str(output), "--instance", str(fresh)])
    assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(main, ["restore", str(output), "--instance", str(fresh)])
    assert refused.exit_code == 1 and "--force" in refused.output
    forced = CliRunner().invoke(main, ["restore", str(output), "--instance", str(fresh), "--force"])
    assert forced.exit_code == 0, forced.output

    restored = create_app(instance_path=str(fresh))
    with restored.app_context():
        again = counting.election_record(get_vote(vote_id))
        assert again == record and verify_record(again).ok
        # the fresh instance's own audit key is not the one that keyed this log: the chain
        # cannot be checked (nor extended unnoticed) without the original config.py
        assert not audit.verify_chain().ok
        db.engine.dispose()
    with demo_app.app_context():
        key = audit.service.audit_key().decode()
    monkeypatch.setenv("BALLOT_AUDIT_KEY", key)
    restored = create_app(instance_path=str(fresh))
    with restored.app_context():
        report = audit.verify_chain()
        assert report.ok and "backup.made" in [e.action for e in audit.service.iter_entries()]
        db.engine.dispose()


def test_backup_refuses_a_non_database_and_explains_postgresql(app, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database")
    if not PG_URL:
        with pytest.raises(BackupError):
            restore(app, str(junk), force=True)
    advice = pg_dump_advice("postgresql+psycopg://ballot@db.example:5433/ballot")
    assert (
        "pg_dump --format=custom" in advice and "--port=5433" in advice and "pg_restore" in advice
    )
    if PG_URL:
        with pytest.raises(BackupError, match="pg_dump"):
            backup(app, str(tmp_path / "x.sqlite"))
