"""`ballot conferences add|list|edit`: conferences as first-class data on the command line."""

from __future__ import annotations

import json
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from ballot.db import db
from ballot.localtime import short
from ballot.org.conferences import (
    ConferenceFields,
    conferences,
    create_conference,
    dates_text,
    edit_conference,
)
from ballot.org.models import Conference
from ballot.voting.errors import VoteError


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise click.BadParameter("use YYYY-MM-DD or DD/MM/YYYY (ngày dạng 2024-01-02 hoặc 02/01/2024)")


def _options(required: bool):  # type: ignore[no-untyped-def]
    def decorate(command):  # type: ignore[no-untyped-def]
        for option in reversed(
            [
                click.option("--number", type=click.IntRange(1, 999), help="lần thứ"),
                click.option(
                    "--date", "held_on", callback=_day, required=required, help="first day"
                ),
                click.option("--end-date", "ends_on", callback=_day, help="last day, if several"),
                click.option("--place", help="where it is held"),
                click.option("--organ", help="the convening organ (Ban Chấp hành Đảng bộ Khối)"),
                click.option("--term", help="the term (khóa VIII, nhiệm kỳ 2020 - 2025)"),
                click.option("--name", help="full name; default: Hội nghị <organ> lần thứ <n>"),
            ]
        ):
            command = option(command)
        return command

    return decorate


def _row(c: Conference) -> dict[str, object]:
    return {
        "id": c.id,
        "name": c.name,
        "number": c.number,
        "dates": dates_text(c),
        "held_on": c.held_on.isoformat(),
        "ends_on": c.ends_on.isoformat() if c.ends_on else None,
        "place": c.place,
        "convening_organ": c.convening_organ,
        "term": c.term,
        "created_at": short(c.created_at),
    }


def _fail(exc: VoteError) -> click.ClickException:
    return click.ClickException(f"{exc.en} ({exc.vi})")


@click.group("conferences")
def conferences_group() -> None:
    """Add, list and edit conferences (hội nghị)."""


@conferences_group.command("add")
@_options(required=True)
@with_appcontext
def add_command(**values: object) -> None:
    """Add a conference."""
    fields = ConferenceFields(
        number=values["number"],  # type: ignore[arg-type]
        held_on=values["held_on"],  # type: ignore[arg-type]
        ends_on=values["ends_on"],  # type: ignore[arg-type]
        place=str(values["place"] or ""),
        convening_organ=str(values["organ"] or ""),
        term=str(values["term"] or ""),
        name=str(values["name"] or ""),
    )
    try:
        conference = create_conference(fields)
    except VoteError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    click.echo(f"Đã thêm / Added {conference.id}: {conference.name} ({dates_text(conference)})")


@conferences_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@with_appcontext
def list_command(fmt: str) -> None:
    """List the conferences, newest first (dates in Vietnam time)."""
    rows = [_row(c) for c in conferences()]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Chưa có hội nghị nào / No conferences yet.")
    for r in rows:
        click.echo(f"{r['id']:>3}  {r['dates']:<23}  {r['name']} — {r['place'] or ''}")


@conferences_group.command("edit")
@click.argument("conference_id", type=int)
@_options(required=False)
@with_appcontext
def edit_command(conference_id: int, **values: object) -> None:
    """Change a conference: only the options given change."""
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise click.ClickException(
            f"No conference {conference_id} (không tìm thấy hội nghị). See `ballot conferences list`."
        )
    organ = values["organ"] if values["organ"] is not None else conference.convening_organ
    name = values["name"]
    if name is None and values["number"] is None and values["organ"] is None:
        name = conference.name  # keep a name typed earlier unless what it is made of changes
    fields = ConferenceFields(
        number=values["number"] if values["number"] is not None else conference.number,  # type: ignore[arg-type]
        held_on=values["held_on"] or conference.held_on,  # type: ignore[arg-type]
        ends_on=values["ends_on"] if values["ends_on"] is not None else conference.ends_on,  # type: ignore[arg-type]
        place=str(values["place"] if values["place"] is not None else conference.place or ""),
        convening_organ=str(organ or ""),
        term=str(values["term"] if values["term"] is not None else conference.term or ""),
        name=str(name or ""),
    )
    try:
        edit_conference(conference, fields)
    except VoteError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    click.echo(f"Đã sửa / Updated {conference.id}: {conference.name} ({dates_text(conference)})")
