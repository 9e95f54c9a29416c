"""`ballot ratings import` and `ballot ratings targets`, through the `runner` fixture; the demo year."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from ballot.db import db
from ballot.rating.models import Rating


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "xep-loai.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_dry_run_then_import_then_targets_as_json(app, runner, tree, tmp_path) -> None:
    path = _write(
        tmp_path,
        "Mã đảng viên,Xếp loại\n" + "".join(f"M{n:05d},HTTNV\n" for n in range(1, 10)) + ",HTTNV\n",
    )
    bad = runner.invoke(args=["ratings", "import", str(path), "--year", "2023"])
    assert bad.exit_code == 1
    assert "Dòng 11: thiếu mã đảng viên" in bad.output and "không nhập dòng nào" in bad.output
    path.write_text(
        "Mã đảng viên,Xếp loại\n" + "".join(f"M{n:05d},HTTNV\n" for n in range(1, 10)),
        encoding="utf-8",
    )
    dry = runner.invoke(args=["ratings", "import", str(path), "--year", "2023", "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output and "mới 9" in dry.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 0
    done = runner.invoke(args=["ratings", "import", str(path), "--year", "2023"])
    assert done.exit_code == 0 and "Đã nhập" in done.output
    result = runner.invoke(args=["ratings", "targets", "--year", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    t7 = next(t for t in data["targets"] if t["code"] == "7")
    assert {k: t7[k] for k in ("numerator", "denominator", "percentage", "met", "not_rated")} == {
        "numerator": 9,
        "denominator": 10,
        "percentage": 90.0,
        "met": False,
        "not_rated": 1,
    }
    assert data["rule_set"] == "124-QD-TW"
    text = runner.invoke(args=["ratings", "targets", "--year", "2023"])
    assert "9/10 = 90,00%" in text.output and "CHƯA ĐẠT" in text.output


def test_targets_for_a_year_never_opened_is_an_error(runner, tree) -> None:
    result = runner.invoke(args=["ratings", "targets", "--year", "2031"])
    assert result.exit_code == 1 and "2031" in result.output


def test_export_writes_xlsx_and_pdf(runner, tree, tmp_path) -> None:
    path = _write(tmp_path, "Mã đảng viên,Xếp loại\nM00001,HTTNV\n")
    assert runner.invoke(args=["ratings", "import", str(path), "--year", "2023"]).exit_code == 0
    for name in ("ket-qua.xlsx", "bao-cao.pdf"):
        result = runner.invoke(
            args=["ratings", "export", "--year", "2023", "-o", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 1000


def test_the_demo_year_shows_plausible_2023_figures(demo_app, runner) -> None:
    data = json.loads(
        runner.invoke(args=["ratings", "targets", "--year", "2023", "--format", "json"]).output
    )
    targets = {t["code"]: t for t in data["targets"]}
    # 9 members and 1 organisation are not rated ("không xếp loại"): outside the denominators
    assert targets["7"]["denominator"] == 6102 - 9 and targets["7"]["met"]
    assert targets["7"]["excluded"]["count"] == 9
    assert {r["code"]: r["count"] for r in targets["7"]["excluded"]["reasons"]} == {
        "exempt": 3,
        "suspended": 1,
        "admitted_recently": 5,
    }
    assert 0.92 < targets["7"]["numerator"] / 6093 < 0.95
    assert 0 < targets["7"]["not_rated"] < 30
    assert targets["6a"]["excluded"]["count"] == 1
    assert (
        targets["6a"]["denominator"] == 82 and not targets["6a"]["met"]
    )  # some organisations pull it down
    assert data["members"]["failed"] > 0
    with demo_app.app_context():
        from ballot.rating.demo import seed_ratings
        from ballot.rating.findings import year_findings
        from ballot.rating.years import get_year

        year = get_year(2023)
        assert year is not None
        findings = year_findings(year, {})
        # Every ceiling holds or shows its override reason (the demo's one accepted override).
        assert findings and all(f.overridden for f in findings)
        assert seed_ratings() is False  # idempotent
