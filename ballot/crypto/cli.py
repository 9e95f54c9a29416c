"""Command-line tools (plain click; the app registers them in its `ballot` group)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from .dkg import minimum_threshold, threshold_allowed
from .election_record import FORMAT as ELECTION_FORMAT
from .election_record import verify_election_record
from .election_sim import simulate_election
from .encoding import parse_json
from .errors import EncodingError
from .record import verify_record
from .simulate import plaintext_table, simulate

#: Largest record read from a URL (1,600 ballots of 6 × 3 make about 10 MB).
MAX_RECORD_BYTES = 256 * 1024 * 1024


def _read_record(source: str) -> bytes:
    """The record's bytes from a file, or from an http(s) URL (as printed in the minutes)."""
    if source.startswith(("http://", "https://")):
        import urllib.request

        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 - http(s) only, checked above  # nosec B310
            data: bytes = response.read(MAX_RECORD_BYTES + 1)
        if len(data) > MAX_RECORD_BYTES:
            raise OSError("the record is larger than 256 MB")
        return data
    return Path(source).read_bytes()


def _grouped(hex_digest: str) -> str:
    """A hash as the minutes print it: upper case, groups of four (docs/glossary.md; the app's
    own helper is ballot.i18n.hex_groups, which this Flask-free library cannot import)."""
    digits = hex_digest.upper()
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def summary_lines(doc: dict[str, Any], counts: list[list[int]], data: bytes) -> list[str]:
    """What the signed minutes print, to compare line by line: per-subject counts, the
    election fingerprint, the closing hash and the SHA-256 of the file that was read."""
    manifest = doc["manifest"]
    labels = [str(level["label"]) for level in manifest["levels"]]
    received = int(doc["result"]["received"])
    out = [f"Số phiếu thu về / Ballots received: {received}"]
    for i, (subject, row) in enumerate(zip(manifest["subjects"], counts, strict=True), 1):
        parts = ", ".join(f"{label} {n}" for label, n in zip(labels, row, strict=True))
        blank = received - sum(row)
        out.append(f"  {i}. {subject['name']}: {parts}; không hợp lệ / invalid {blank}")
    return out + anchor_lines(doc, data)


def anchor_lines(doc: dict[str, Any], data: bytes) -> list[str]:
    """The record's anchors as the minutes print them (§8.1, §11): the election fingerprint,
    the closing hash and the SHA-256 of the file that was read; the same for both formats."""
    return [
        f"Dấu vân tay của cuộc lấy phiếu / Election fingerprint: {_grouped(doc['fingerprint'])}",
        f"Mã băm khóa sổ / Closing hash: {_grouped(doc['closing']['hash'])}",
        f"SHA-256 của tệp hồ sơ / SHA-256 of the record file: {_grouped(hashlib.sha256(data).hexdigest())}",
    ]


@click.command("verify")
@click.argument("record")
def verify_command(record: str) -> None:
    """Re-check an election record (a file, or the URL printed in the minutes) from the record
    alone: exit 0 if everything holds, 1 naming the first failure."""
    try:
        data = _read_record(record)
        doc = parse_json(data)
    except OSError as exc:
        click.echo(f"Không đọc được hồ sơ kiểm phiếu / Cannot read the record: {exc}", err=True)
        sys.exit(1)
    except EncodingError as exc:  # duplicate keys, floats, big integers, not JSON, not UTF-8
        click.echo(
            f"Không đọc được hồ sơ kiểm phiếu / Cannot read the record: {exc.vi} / {exc.en}",
            err=True,
        )
        sys.exit(1)
    election = isinstance(doc, dict) and doc.get("format") == ELECTION_FORMAT
    report = verify_election_record(doc) if election else verify_record(doc)
    for line in report.lines():
        click.echo(line)
    failure = report.failure
    if failure is not None:
        click.echo(
            f"KẾT QUẢ: KHÔNG HỢP LỆ — bước {failure.step}: {failure.detail_vi}\n"
            f"RESULT: INVALID — step {failure.step}: {failure.detail_en}"
        )
        sys.exit(1)
    lines = anchor_lines(doc, data) if election else summary_lines(doc, report.counts or [], data)
    for line in lines:
        click.echo(line)
    click.echo(
        "KẾT QUẢ: hồ sơ kiểm phiếu hợp lệ, mọi kiểm tra đều đúng.\n"
        "RESULT: the record is valid; every check holds."
    )
    if election:
        from ballot.elections.report import outcome_lines

        for line in outcome_lines(doc):
            click.echo(line)


def _threshold(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        t_text, n_text = value.split("/")
        t, n = int(t_text), int(n_text)
    except ValueError:
        raise click.BadParameter("use T/N, e.g. 2/3") from None
    if not threshold_allowed(t, n):
        raise click.BadParameter(
            f"need 2 <= N <= 64, T >= 2 and T > N/2 (for N = {n}: T from "
            f"{minimum_threshold(n)} to {n})"
        )
    return t, n


@click.command("simulate")
@click.option("--voters", type=click.IntRange(0, 100_000), required=True)
@click.option("--subjects", type=click.IntRange(1, 1000), default=None)
@click.option("--levels", type=click.IntRange(1, 16), default=3, show_default=True)
@click.option("--threshold", "committee", default="2/3", callback=_threshold, help="T/N")
@click.option("--election", is_flag=True, help="an election (190-QĐ/TW): --candidates, --seats")
@click.option("--candidates", type=click.IntRange(1, 1000), default=None)
@click.option("--seats", type=click.IntRange(1, 1000), default=None)
@click.option("--blank-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--seed", default=None, help="reproducible run (never for a real vote)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def simulate_command(
    voters: int,
    subjects: int,
    levels: int,
    committee: tuple[int, int],
    blank_rate: float,
    seed: str | None,
    output: Path,
    election: bool,
    candidates: int | None,
    seats: int | None,
) -> None:
    """Simulate a whole vote (or, with --election, an election) in-process and write its
    record."""
    t, n = committee
    if election:
        _simulate_election(voters, candidates, seats, t, n, seed, output)
        return
    if subjects is None:
        raise click.UsageError("--subjects is required (or use --election)")
    sim = simulate(
        voters=voters, subjects=subjects, levels=levels, threshold=t, trustees=n,
        blank_rate=blank_rate, seed=seed,
    )  # fmt: skip
    output.write_text(json.dumps(sim.record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"Đã ghi hồ sơ kiểm phiếu / Record written: {output}")
    click.echo(f"Giải mã bởi thành viên / Decrypted by members: {sim.decrypting}")
    click.echo("Số phiếu theo lựa chọn gốc / Plaintext counts used:")
    for line in plaintext_table(sim.record["manifest"], sim.counts, sim.blanks):
        click.echo("  " + line)


def _simulate_election(
    voters: int, candidates: int | None, seats: int | None, t: int, n: int, seed: str | None,
    output: Path,
) -> None:  # fmt: skip
    from ballot.elections.rules import RuleError

    if candidates is None or seats is None:
        raise click.UsageError("--election needs --candidates and --seats")
    try:
        sim = simulate_election(
            voters=voters, candidates=candidates, seats=seats, threshold=t, trustees=n, seed=seed
        )
    except RuleError as exc:
        raise click.UsageError(f"{exc.vi} / {exc.en}") from None
    output.write_text(json.dumps(sim.record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"Đã ghi biên bản bầu cử / Election record written: {output}")
    click.echo(f"Giải mã bởi thành viên / Decrypted by members: {sim.decrypting}")
    click.echo("Số phiếu theo lựa chọn gốc / Plaintext votes per candidate: " + str(sim.counts))
