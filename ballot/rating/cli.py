"""`ballot ratings ...`: import a year's ratings and print targets 6 and 7."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

ratings = AppGroup("ratings", help="Annual quality ratings (đánh giá, xếp loại chất lượng).")


@ratings.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The rating year, e.g. 2023.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--rule-set",
    default=None,
    help="Rule set for a year not yet opened (default: the one in force that year).",
)
def import_command(file: Path, year: int, dry_run: bool, rule_set: str | None) -> None:
    """Import decided ratings from an XLSX or CSV file: all rows, or none when any is wrong."""
    from ballot.db import db
    from ballot.i18n import vn_number
    from ballot.rating.errors import RatingError
    from ballot.rating.imports import import_ratings
    from ballot.rating.sources import low_confidence_by_member
    from ballot.rating.years import create_year, get_year

    rating_year = get_year(year)
    if rating_year is None:
        try:
            rating_year = create_year(year, rule_set)
        except RatingError as exc:
            raise click.ClickException(str(exc)) from exc
    report = import_ratings(
        rating_year,
        file.read_bytes(),
        file.name,
        by=None,
        dry_run=dry_run,
        low_confidence=low_confidence_by_member(year),
    )
    click.echo(
        f"{file.name}: {vn_number(report.rows)} dòng (rows), năm {year}, {rating_year.rules.label}"
    )
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(f"  ✗ {error.message}", err=True)
        raise click.ClickException(
            f"{vn_number(len(report.errors))} lỗi; không nhập dòng nào ({len(report.errors)} errors, nothing imported)."
        )
    summary = (
        f"mới {vn_number(report.new)}, cập nhật {vn_number(report.updated)}, "
        f"đánh giá lại {vn_number(report.re_rated)}, không đổi {vn_number(report.unchanged)}, "
        f"vượt kiểm tra có lý do {vn_number(report.overrides)}"
    )
    if dry_run:
        db.session.rollback()
        click.echo(f"Kiểm tra xong, không có lỗi (dry run, nothing written): {summary}.")
        return
    db.session.commit()
    click.echo(f"Đã nhập (imported): {summary}.")


@ratings.command("targets")
@click.option("--year", type=int, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def targets_command(year: int, fmt: str) -> None:
    """Print targets 6 and 7 of a year: numerator, denominator, percentage, met or not, and
    those not rated ("không xếp loại", outside the denominator) with their reasons."""
    from ballot.i18n import vn_number
    from ballot.rating.targets import compute_targets
    from ballot.rating.years import get_year

    rating_year = get_year(year)
    if rating_year is None:
        raise click.ClickException(f"Chưa có năm đánh giá {year} (no rating year {year}).")
    figures = compute_targets(rating_year)
    if fmt == "json":
        click.echo(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Năm {year} — {rating_year.rules.label}")
    for result in figures.results:
        mark = "ĐẠT" if result.met else "CHƯA ĐẠT"
        click.echo(
            f"  [{result.target.code:>2}] {result.target.label}: "
            f"{vn_number(result.numerator)}/{vn_number(result.denominator)} = {result.percent_text} "
            f"(yêu cầu {result.target.goal_text}) {mark}"
            + (f"; chưa xếp loại {vn_number(result.pending)}" if result.pending else "")
            + (
                f"; không xếp loại {vn_number(result.excluded_total)} (không tính vào tổng số: "
                + ", ".join(
                    f"{result.reason_labels.get(code, code)} {vn_number(n)}"
                    for code, n in sorted(result.excluded.items())
                )
                + ")"
                if result.excluded_total
                else ""
            )
        )


@ratings.command("export")
@click.option("--year", type=int, required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .xlsx (every rating) or .pdf (the report).",
)
def export_command(year: int, output: Path) -> None:
    """Write the year's ratings as XLSX or its report as PDF."""
    from ballot.db import db, utcnow
    from ballot.localtime import local
    from ballot.rating.export import rows_to_xlsx, year_rows
    from ballot.rating.findings import year_findings
    from ballot.rating.report import render_report, report_data
    from ballot.rating.sources import low_confidence_by_member
    from ballot.rating.targets import compute_targets
    from ballot.rating.years import get_year

    rating_year = get_year(year)
    if rating_year is None:
        raise click.ClickException(f"Chưa có năm đánh giá {year} (no rating year {year}).")
    figures = compute_targets(rating_year)
    if output.suffix.lower() == ".pdf":
        findings = year_findings(rating_year, low_confidence_by_member(year))
        today = local(utcnow()).date()  # Vietnam's date, whatever the server's zone
        output.write_bytes(render_report(report_data(rating_year, figures, findings, today)))
        db.session.commit()  # the report's number, taken from the organ's register
    elif output.suffix.lower() == ".xlsx":
        output.write_bytes(rows_to_xlsx(year_rows(rating_year), f"Xếp loại {year}", figures))
    else:
        raise click.ClickException("Use a .xlsx or .pdf file name.")
    click.echo(f"Wrote {output}")
