"""Command-line tools (plain click; the app registers them in its `ballot` group)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .record import verify_record
from .simulate import plaintext_table, simulate

#: Largest record read from a URL (1,600 ballots of 6 × 3 make about 10 MB).
MAX_RECORD_BYTES = 256 * 1024 * 1024


def _read_record(source: str) -> str:
    """The record's text from a file, or from an http(s) URL (as printed in the minutes)."""
    if source.startswith(("http://", "https://")):
        import urllib.request

        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 - http(s) only, checked above
            data: bytes = response.read(MAX_RECORD_BYTES + 1)
        if len(data) > MAX_RECORD_BYTES:
            raise OSError("the record is larger than 256 MB")
        return data.decode("utf-8")
    return Path(source).read_text(encoding="utf-8")


@click.command("verify")
@click.argument("record")
def verify_command(record: str) -> None:
    """Re-check an election record (a file, or the URL printed in the minutes) from the record
    alone: exit 0 if everything holds, 1 naming the first failure."""
    try:
        doc = json.loads(_read_record(record))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"Không đọc được biên bản / Cannot read the record: {exc}", err=True)
        sys.exit(1)
    report = verify_record(doc)
    for line in report.lines():
        click.echo(line)
    failure = report.failure
    if failure is not None:
        click.echo(
            f"KẾT QUẢ: KHÔNG HỢP LỆ — bước {failure.step}: {failure.detail_vi}\n"
            f"RESULT: INVALID — step {failure.step}: {failure.detail_en}"
        )
        sys.exit(1)
    click.echo(
        "KẾT QUẢ: biên bản hợp lệ, mọi kiểm tra đều đúng.\n"
        "RESULT: the record is valid; every check holds."
    )


def _threshold(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        t_text, n_text = value.split("/")
        t, n = int(t_text), int(n_text)
    except ValueError:
        raise click.BadParameter("use T/N, e.g. 2/3") from None
    if not 1 <= t <= n <= 64:
        raise click.BadParameter("need 1 <= T <= N <= 64")
    return t, n


@click.command("simulate")
@click.option("--voters", type=click.IntRange(0, 100_000), required=True)
@click.option("--subjects", type=click.IntRange(1, 1000), required=True)
@click.option("--levels", type=click.IntRange(1, 16), default=3, show_default=True)
@click.option("--threshold", "committee", required=True, callback=_threshold, help="T/N")
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
) -> None:
    """Simulate a whole vote in-process and write its election record."""
    t, n = committee
    sim = simulate(
        voters=voters, subjects=subjects, levels=levels, threshold=t, trustees=n,
        blank_rate=blank_rate, seed=seed,
    )  # fmt: skip
    output.write_text(json.dumps(sim.record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"Đã ghi biên bản / Record written: {output}")
    click.echo(f"Giải mã bởi thành viên / Decrypted by members: {sim.decrypting}")
    click.echo("Số phiếu theo lựa chọn gốc / Plaintext counts used:")
    for line in plaintext_table(sim.record["manifest"], sim.counts, sim.blanks):
        click.echo("  " + line)
