"""Election minutes built from a simulated, verified election record (no database)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from ballot.crypto.election_record import verify_election_record
from ballot.crypto.election_sim import simulate_election
from ballot.elections.rules import Kind
from ballot.minutes import Candidate, ElectionMinutesContext, OrgHeader
from ballot.minutes.election_context import record_figures
from ballot.voting.published import record_bytes

ORG = OrgHeader(
    superior_name="ĐẢNG BỘ TỈNH TRÀ VINH",
    name="ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    place="Trà Vinh",
    document_number="Số 07-BB/ĐUK",
)
TITLE = "Bầu Ban Thường vụ Đảng ủy Khối khóa VIII"
CONFERENCE = "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 15"
CHAIR = "Lê Hoàng Phúc"
MEMBERS = ("Phạm Thị Thu Trang", "Ngô Quốc Việt")
RECORD_URL = "https://ballot.dukhoi.travinh.vn/api/v1/votes/E7/record"
AUDIT_HEAD = hashlib.sha256(b"audit head").hexdigest()
#: The simulated names "Ứng cử viên 0j" replaced by people, in list (ABC) order.
NAMES = (
    "Đặng Văn Lực",
    "Huỳnh Văn Dũng",
    "Lữ Công Tạo",
    "Nguyễn Văn Tám",
    "Trần Thị Kim Phượng",
    "Võ Thị Hồng Nhung",
)


@cache
def simulated() -> tuple[dict[str, Any], str]:
    """7 delegates × 6 candidates × 4 seats, verified; and the record file's SHA-256."""
    sim = simulate_election(
        voters=7, candidates=6, seats=4, seed="minutes", kind=Kind.DELEGATES,
        surplus_decision="Đại hội biểu quyết thông qua danh sách 06 người, số dư 50%",
    )  # fmt: skip
    report = verify_election_record(sim.record)
    assert report.failure is None and [c[0] for c in report.counts or []] == sim.counts
    return sim.record, hashlib.sha256(record_bytes(sim.record)).hexdigest()


def from_record(**changes: Any) -> ElectionMinutesContext:
    """The minutes of the simulated election, with people's names on the list."""
    record, sha = simulated()
    figures = record_figures(record)
    figures["candidates"] = tuple(
        replace(c, full_name=name, position="Ủy viên Ban Chấp hành")
        for c, name in zip(figures["candidates"], NAMES, strict=True)
    )
    ctx = ElectionMinutesContext(
        organisation=ORG,
        document_date=date(2025, 3, 4),
        title="Bầu đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XII",
        conference_name="Đại hội đại biểu Đảng bộ Khối lần thứ VIII",
        conference_place="Hội trường Đảng ủy Khối",
        started_at=datetime(2025, 3, 4, 1, 30, tzinfo=UTC),  # 08:30 in Trà Vinh
        counting_ended_at=datetime(2025, 3, 4, 17, 5, tzinfo=UTC),  # 00:05 the next day
        counting_chair=CHAIR,
        counting_members=MEMBERS,
        absent_names=(),
        record_sha256_hex=sha,
        audit_head_hex=AUDIT_HEAD,
        record_url=RECORD_URL,
        **figures,
    )
    return replace(ctx, **changes)


def constructed(votes: tuple[int, ...], seats: int, **changes: Any) -> ElectionMinutesContext:
    """A standing committee election with chosen votes: 9 summoned, 8 present (one absent
    with a reason), 8 ballots, counts as given (a tie or a majority are easy to set up)."""
    record, sha = simulated()
    names = (*NAMES, "Kiên Thị Sa Rươne", "Thạch Thị Sô Phia")
    fields: dict[str, Any] = {
        "organisation": ORG,
        "document_date": date(2025, 3, 4),
        "title": TITLE,
        "conference_name": CONFERENCE,
        "conference_place": "Hội trường Đảng ủy Khối",
        "started_at": datetime(2025, 3, 4, 7, 0, tzinfo=UTC),  # 14:00
        "counting_ended_at": datetime(2025, 3, 4, 7, 40, tzinfo=UTC),
        "counting_chair": CHAIR,
        "counting_members": MEMBERS,
        "kind": Kind.STANDING.value,
        "seats": seats,
        "candidates": tuple(
            Candidate(names[i], "Ủy viên Ban Chấp hành", v) for i, v in enumerate(votes)
        ),
        "majority_base": "convened",
        "convened": 9,
        "summoned": 9,
        "present": 8,
        "absent_names": ("Trương Minh Khoa",),
        "absent_reasons": ("đi công tác nước ngoài",),
        "issued": 8,
        "received": 8,
        "valid": 8,
        "invalid": 0,
        "trustee_threshold": 2,
        "trustee_count": 3,
        "fingerprint_hex": record["fingerprint"],
        "closing_hash_hex": record["closing"]["hash"],
        "record_sha256_hex": sha,
        "audit_head_hex": AUDIT_HEAD,
        "record_url": RECORD_URL,
    }
    fields.update(changes)
    return ElectionMinutesContext(**fields)
