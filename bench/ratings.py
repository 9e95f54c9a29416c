"""Benchmark the ratings: importing 6,102 rows (target ≤ 3 s) and targets for 100,000 members (≤ 300 ms).

    python bench/ratings.py [--json] [--database-url postgresql+psycopg://root@127.0.0.1:5432/test]

Without --database-url a temporary SQLite file is used. On PostgreSQL a private schema is
created and dropped. The import is timed end to end: reading the XLSX, checking every row,
bulk writing, commit. The targets are timed as the dashboard computes them (aggregate SQL),
median of 7 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from sqlalchemy import insert, select

from ballot.app import create_app
from ballot.instance import upgrade_database

SECRET = "bench-secret-" + "x" * 40


def build_tree(members: int, basics: int = 83) -> list[int]:
    """Create a committee, `basics` basic organisations (every third with cells) and members."""
    from ballot.db import db
    from ballot.org.models import Organisation, OrgKind

    root = Organisation(code="ROOT", name="Đảng bộ Khối", kind=OrgKind.COMMITTEE)
    db.session.add(root)
    db.session.flush()
    units = []
    for index in range(1, basics + 1):
        basic = Organisation(
            code=f"CS{index:02d}",
            name=f"Tổ chức cơ sở {index}",
            kind=OrgKind.BASIC,
            parent_id=root.id,
        )
        db.session.add(basic)
        db.session.flush()
        if index % 3 == 1:
            for cell_no in range(1, 3 + index % 2):
                cell = Organisation(
                    code=f"CS{index:02d}-CB{cell_no:02d}",
                    name=f"Chi bộ {cell_no}",
                    kind=OrgKind.CELL,
                    parent_id=basic.id,
                )
                db.session.add(cell)
                db.session.flush()
                units.append(cell.id)
        else:
            units.append(basic.id)
    add_members(1, members, units)
    return units


def add_members(first: int, last: int, units: list[int]) -> None:
    from ballot.db import db
    from ballot.org.models import Member

    rows = [
        {
            "code": f"DV{n:06d}",
            "full_name": f"Đảng viên {n}",
            "organisation_id": units[n % len(units)],
            "active": True,
        }
        for n in range(first, last + 1)
    ]
    for start in range(0, len(rows), 20000):
        db.session.execute(insert(Member), rows[start : start + 20000])


def workbook(count: int, rng: random.Random) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đảng viên", "Họ và tên", "Năm", "Điểm", "Xếp loại", "Kỷ luật", "Lý do"])
    for n in range(1, count + 1):
        level = "Hoàn thành tốt nhiệm vụ" if rng.random() < 0.94 else "Hoàn thành nhiệm vụ"
        sheet.append([f"DV{n:06d}", f"Đảng viên {n}", 2023, None, level, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(database_url: str) -> dict[str, object]:
    from ballot.db import db
    from ballot.org.models import Member
    from ballot.rating.imports import import_ratings
    from ballot.rating.models import Rating
    from ballot.rating.targets import compute_targets
    from ballot.rating.years import create_year

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": SECRET,
                "CODE_HASH_KEY": SECRET,
                "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.sqlite",
            },
            instance_path=str(Path(tmp) / "instance"),
        )
        upgrade_database(app)
        rng = random.Random(7)
        with app.app_context():
            units = build_tree(6102)
            year = create_year(2023)
            db.session.commit()
            data = workbook(6102, rng)
            started, cpu = time.perf_counter(), time.process_time()
            report = import_ratings(
                year, data, "bench.xlsx", by=None, dry_run=False, low_confidence={}
            )
            db.session.commit()
            import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
            assert report.applied and report.new == 6102, report.errors[:3]

            add_members(6103, 100_000, units)
            big = create_year(2024)
            ids = list(db.session.scalars(select(Member.id)))
            levels = ["excellent"] * 10 + ["good"] * 83 + ["completed"] * 5 + ["failed"] + [None]
            rows = []
            for member_id in ids:
                level = rng.choice(levels)
                rows.append(
                    {
                        "year_id": big.id,
                        "member_id": member_id,
                        "level": level,
                        "decided_at": None if level is None else year.created_at,
                        "outstanding": False,
                    }
                )
            for start in range(0, len(rows), 20000):
                db.session.execute(insert(Rating), rows[start : start + 20000])
            db.session.commit()
            compute_targets(big)  # warm-up
            times = []
            for _ in range(7):
                started = time.perf_counter()
                figures = compute_targets(big)
                times.append((time.perf_counter() - started) * 1000)
            assert figures.members.total == 100_000
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    return {
        "import_6102_s": round(import_s, 3),
        "import_6102_cpu_s": round(import_cpu, 3),
        "targets_100k_ms": round(statistics.median(times), 1),
        "targets_100k_ms_runs": [round(t, 1) for t in times],
        "database": dialect,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()
    url, schema, admin = args.database_url, "", ""
    if url.startswith("postgresql"):
        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", url)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    try:
        result = run(url)
    finally:
        if schema:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['database']}: import 6,102 rows {result['import_6102_s']} s (target ≤ 3 s); "
            f"targets for 100,000 members {result['targets_100k_ms']} ms median (target ≤ 300 ms)"
        )


if __name__ == "__main__":
    main()
