"""`ballot votes ...` and `ballot minutes ...` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ballot.db import db
from ballot.i18n import hex_groups
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote


def find_vote(identifier: str) -> ConfidenceVote:
    """A vote by its number or its public id; a clear error otherwise."""
    query = select(ConfidenceVote)
    if identifier.isdigit():
        query = query.where(ConfidenceVote.id == int(identifier))
    else:
        query = query.where(ConfidenceVote.public_id == identifier)
    vote = db.session.scalar(query)
    if vote is None:
        raise click.ClickException(
            f"No vote {identifier!r} (không tìm thấy cuộc bỏ phiếu). See `ballot votes list`."
        )
    return vote


@click.group("votes")
def votes() -> None:
    """List votes and export their records."""


@votes.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@with_appcontext
def list_command(fmt: str) -> None:
    """List the votes and elections: id, kind, title, conference, state, counts."""
    from ballot.voting.desk import vote_summary

    rows = []
    for vote in db.session.scalars(select(ConfidenceVote).order_by(ConfidenceVote.id)):
        rows.append({"number": vote.id, **vote_summary(vote)})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No votes yet (chưa có cuộc bỏ phiếu nào).")
    for row in rows:
        click.echo(
            f"{row['number']:>3}  {row['kind']:<10}  {row['state']:<8}  "
            f"present {row['present']}/{row['summoned']}  "
            f"cast {row['ballots_cast']}  {row['title']} — {row['conference']}  [{row['id']}]"
        )


@votes.command("record")
@click.argument("vote_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def record_command(vote_id: str, output: Path) -> None:
    """Write a counted vote's election record (check it with `ballot verify`)."""
    from ballot.voting.published import verified_record

    vote = find_vote(vote_id)
    try:
        proof = verified_record(vote, missing="no_record")
    except VoteError as exc:
        raise click.ClickException(f"{exc.vi} ({exc.en})") from exc
    output.write_bytes(proof.data)
    click.echo(
        f"Wrote {output} ({proof.received} ballots, fingerprint {hex_groups(proof.fingerprint)}, "
        f"SHA-256 {hex_groups(proof.sha256)})."
    )


@click.command("minutes")
@click.argument("vote_id")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True
)
@click.option(
    "--document",
    type=click.Choice(["minutes", "attendance", "issuance"]),
    default="minutes",
    show_default=True,
    help="The counting minutes, the attendance list or the issuance log.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--base-url",
    default=None,
    help="The deployment's public address, where the record is published (printed with a "
    "QR code in the minutes' annex); default: PUBLIC_BASE_URL from the configuration.",
)
@click.option(
    "--number",
    type=click.IntRange(1, 99_999),
    default=None,
    help="The minutes' number in the organ's register for the year (else the next free one).",
)
@with_appcontext
def minutes_command(
    vote_id: str, fmt: str, document: str, output: Path, base_url: str | None, number: int | None
) -> None:
    """Write the counting minutes (biên bản kiểm phiếu) or another document as PDF or DOCX."""
    from flask import current_app

    from ballot.minutes.builder import minutes_number
    from ballot.minutes.documents import render_document

    vote = find_vote(vote_id)
    try:
        with current_app.test_request_context():
            if number is not None:
                click.echo(f"Số biên bản / Minutes number: {minutes_number(vote, number)}")
            data = render_document(vote, document, fmt, base_url)
    except VoteError as exc:
        raise click.ClickException(f"{exc.vi} ({exc.en})") from exc
    db.session.commit()  # the number taken from the register
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).")
