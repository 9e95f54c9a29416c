"""`ballot votes ...`, `ballot minutes ...` and `ballot verify` on a counted demo vote."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ballot.crypto.cli import verify_command


def test_votes_list_record_minutes_and_verify(demo_votes_app, runner, tmp_path) -> None:
    # the database is a copy of the seeded demo (tests/conftest.py); `ballot demo` leaves it
    seeded = runner.invoke(args=["demo"])
    assert seeded.exit_code == 0, seeded.output
    listed = runner.invoke(args=["votes", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    votes = json.loads(listed.output)
    counted = next(v for v in votes if v["state"] == "counted")
    assert counted["present"] == 20 and counted["ballots_cast"] == 20 and counted["summoned"] == 22
    waiting = next(v for v in votes if v["state"] == "ceremony")
    assert "Lấy phiếu tín nhiệm" in waiting["title"]
    text = runner.invoke(args=["votes", "list"])
    assert "counted" in text.output and "present 20/22" in text.output

    record = tmp_path / "record.json"
    written = runner.invoke(args=["votes", "record", str(counted["number"]), "-o", str(record)])
    assert written.exit_code == 0, written.output
    verified = CliRunner().invoke(verify_command, [str(record)])
    assert verified.exit_code == 0, verified.output

    early = runner.invoke(args=["votes", "record", waiting["id"], "-o", str(tmp_path / "x.json")])
    assert early.exit_code == 1 and "results are decrypted" in early.output
    missing = runner.invoke(args=["votes", "record", "999", "-o", str(tmp_path / "y.json")])
    assert missing.exit_code == 1 and "No vote '999'" in missing.output

    unset = runner.invoke(args=["minutes", str(counted["number"]), "-o", str(tmp_path / "u.pdf")])
    assert unset.exit_code == 1 and "PUBLIC_BASE_URL" in unset.output  # says how to set it
    for loopback in ("http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]/"):
        args = ["minutes", str(counted["number"]), "-o", str(tmp_path / "l.pdf")]
        refused = runner.invoke(args=[*args, "--base-url", loopback])
        assert refused.exit_code == 1 and "cannot be reached" in refused.output, loopback
    public = ["--base-url", "https://ballot.dukhoi.travinh.vn"]
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"minutes.{fmt}"
        made = runner.invoke(
            args=["minutes", str(counted["number"]), "--format", fmt, "-o", str(out), *public]
        )
        assert made.exit_code == 0, made.output
        assert out.read_bytes()[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    numbered = runner.invoke(
        args=["minutes", str(counted["number"]), "-o", str(tmp_path / "n.pdf"), "--number", "7"]
        + public
    )
    assert numbered.exit_code == 0 and "Số 07-BB/ĐUK" in numbered.output, numbered.output
    refused = runner.invoke(args=["minutes", waiting["id"], "-o", str(tmp_path / "m.pdf"), *public])
    assert refused.exit_code == 1 and "not decrypted" in refused.output


def test_verify_reads_the_record_from_the_url_printed_in_the_minutes(tmp_path, monkeypatch) -> None:
    import io
    import urllib.request

    from ballot.crypto.simulate import simulate

    record = simulate(voters=3, subjects=2, levels=3, threshold=2, trustees=3, seed="5").record
    served = json.dumps(record).encode()
    asked = []

    def fake_urlopen(url, timeout):
        asked.append(url)
        return io.BytesIO(served)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    url = "http://127.0.0.1:5000/api/v1/votes/x/record"
    result = CliRunner().invoke(verify_command, [url])
    assert result.exit_code == 0, result.output
    assert asked == [url] and "RESULT: the record is valid" in result.output
