"""Small fixtures for the rating tests: a tiny organisation tree and helpers to rate it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import insert, select

from ballot.db import db
from ballot.org.models import Member, Organisation, OrgKind


@dataclass
class Tree:
    """Two basic organisations: B1 with cells B1-C1 and B1-C2, and B2 without cells."""

    root: int
    b1: int
    c1: int
    c2: int
    b2: int


def build_tree(members_per_unit: dict[str, int]) -> Tree:
    root = Organisation(
        code="ROOT",
        name="Đảng bộ Khối",
        kind=OrgKind.COMMITTEE,
        superior_name="ĐẢNG BỘ TỈNH",
        place="Trà Vinh",
    )
    db.session.add(root)
    db.session.flush()
    b1 = Organisation(code="B1", name="Đảng bộ Sở Tài chính", kind=OrgKind.BASIC, parent_id=root.id)
    b2 = Organisation(code="B2", name="Chi bộ Sở Tư pháp", kind=OrgKind.BASIC, parent_id=root.id)
    db.session.add_all([b1, b2])
    db.session.flush()
    c1 = Organisation(
        code="B1-C1", name="Chi bộ 1 - Sở Tài chính", kind=OrgKind.CELL, parent_id=b1.id
    )
    c2 = Organisation(
        code="B1-C2", name="Chi bộ 2 - Sở Tài chính", kind=OrgKind.CELL, parent_id=b1.id
    )
    db.session.add_all([c1, c2])
    db.session.flush()
    tree = Tree(root.id, b1.id, c1.id, c2.id, b2.id)
    units = {"B1-C1": c1.id, "B1-C2": c2.id, "B2": b2.id}
    rows = []
    number = 0
    for unit, count in members_per_unit.items():
        for _ in range(count):
            number += 1
            rows.append(
                {
                    "code": f"M{number:05d}",
                    "full_name": f"Nguyễn Văn Số {number}",
                    "organisation_id": units[unit],
                    "active": True,
                }
            )
    if rows:
        db.session.execute(insert(Member), rows)
    db.session.flush()
    return tree


def member_id(code: str) -> int:
    found = db.session.scalar(select(Member.id).where(Member.code == code))
    assert found is not None
    return found


@pytest.fixture
def tree(app: Flask) -> Tree:
    """The small tree with 4 + 3 + 3 members (M00001-M00004 in B1-C1, ...05-07 in B1-C2, ...08-10 in B2)."""
    with app.app_context():
        built = build_tree({"B1-C1": 4, "B1-C2": 3, "B2": 3})
        db.session.commit()
        return built
