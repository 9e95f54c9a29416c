"""Demo data shaped like the seed article: the Đảng bộ Khối of Trà Vinh and its committees."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import insert, select

from ballot.auth.models import Role, User
from ballot.auth.passwords import hash_password
from ballot.db import db
from ballot.org.models import (
    Committee,
    CommitteeKind,
    Conference,
    Member,
    Organisation,
    OrgKind,
    Position,
    Seat,
)
from ballot.rating.demo import seed_ratings
from ballot.voting.demo import seed_votes

ROOT_CODE = "DBK"
MEMBER_TOTAL = 6102
BASIC_TOTAL = 83

#: The Standing Committee (6): three names from the seed, three made up.
STANDING = [
    ("Nguyễn Văn Tám", Position.SECRETARY),
    ("Trần Thị Kim Phượng", Position.STANDING_DEPUTY),
    ("Lữ Công Tạo", Position.DEPUTY),
    ("Huỳnh Thanh Bình", Position.STANDING_MEMBER),
    ("Võ Thị Ngọc Lan", Position.STANDING_MEMBER),
    ("Thạch Sô Phal", Position.STANDING_MEMBER),
]
#: The other 16 Executive Committee members (made-up names).
EXECUTIVE = [
    "Lê Minh Hoàng",
    "Phạm Thị Ngọc Hân",
    "Kim Thị Sa Rây",
    "Đặng Quốc Khánh",
    "Nguyễn Thị Thu Hà",
    "Trương Văn Hùng",
    "Sơn Thị Phương",
    "Dương Hữu Phước",
    "Ngô Thanh Tùng",
    "Lâm Thị Mỹ Dung",
    "Bùi Văn Sang",
    "Thạch Thị Chanh Đa",
    "Hồ Minh Trí",
    "Phan Thị Yến Nhi",
    "Cao Văn Lợi",
    "Đỗ Thị Kim Ngân",
]
DEMO_LOGINS = [
    ("admin", "admin-demo-2024", Role.ADMIN, "Văn phòng Đảng ủy Khối"),
    ("desk", "desk-demo-2024", Role.DESK, "Bàn tiếp đón đại biểu"),
    ("kiemphieu1", "kp1-demo-2024", Role.COUNTING, "Đặng Quốc Khánh"),
    ("kiemphieu2", "kp2-demo-2024", Role.COUNTING, "Nguyễn Thị Thu Hà"),
    ("kiemphieu3", "kp3-demo-2024", Role.COUNTING, "Trương Văn Hùng"),
    ("observer", "observer-demo-2024", Role.OBSERVER, "Đại diện Ban Tổ chức Tỉnh ủy"),
]

_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lâm",
    "Thạch",
    "Kim",
    "Sơn",
    "Lý",
    "Cao",
]
_MIDDLE_M = ["Văn", "Minh", "Thanh", "Quốc", "Hữu", "Hoàng", "Công", "Tấn"]
_MIDDLE_F = ["Thị", "Thị Ngọc", "Thị Kim", "Thị Mỹ", "Thị Thu", "Ngọc", "Thị Bích"]
_GIVEN_M = [
    "An",
    "Bình",
    "Dũng",
    "Hải",
    "Hùng",
    "Khang",
    "Long",
    "Nam",
    "Phúc",
    "Quang",
    "Sang",
    "Tâm",
    "Trung",
    "Tuấn",
    "Vinh",
    "Đức",
    "Hiếu",
    "Lộc",
    "Thắng",
    "Toàn",
]
_GIVEN_F = [
    "Châu",
    "Hạnh",
    "Hoa",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Nhung",
    "Phương",
    "Thảo",
    "Trang",
    "Vy",
    "Yến",
    "Hương",
    "Loan",
    "Diễm",
    "Xuân",
    "Tuyết",
    "Hằng",
    "Quyên",
]
_BODIES = [
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Thông tin và Truyền thông",
    "Sở Kế hoạch và Đầu tư",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Văn phòng HĐND tỉnh",
    "Ban Dân tộc tỉnh",
    "Đài Phát thanh và Truyền hình",
    "Báo Trà Vinh",
    "Bệnh viện Đa khoa tỉnh",
    "Trường Đại học Trà Vinh",
    "Trường Cao đẳng Nghề",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh",
    "Cục Hải quan",
    "Ngân hàng Nhà nước Chi nhánh tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Cục Thống kê tỉnh",
    "Công ty Cổ phần Cấp thoát nước",
    "Công ty Điện lực",
    "Công ty Xổ số kiến thiết",
    "Công ty TNHH MTV Công trình đô thị",
    "Viễn thông Trà Vinh",
    "Bưu điện tỉnh",
]


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.45
    middle = rng.choice(_MIDDLE_F if female else _MIDDLE_M)
    given = rng.choice(_GIVEN_F if female else _GIVEN_M)
    return f"{rng.choice(_FAMILY)} {middle} {given}"


def _basic_names() -> list[str]:
    names = []
    for index in range(BASIC_TOTAL):
        body = _BODIES[index % len(_BODIES)]
        round_ = index // len(_BODIES)
        kind = "Đảng bộ" if index % 3 == 0 else "Chi bộ"
        suffix = "" if round_ == 0 else f" - đơn vị {round_ + 1}"
        names.append(f"{kind} {body}{suffix}")
    return names


def seed_demo(votes: bool = True) -> dict[str, object]:
    """Create the demo organisation once; return whether it was created and the demo logins.

    `votes=False` leaves out the two demo votes (tests that set up their own).
    """
    logins = [(u, p, r.value) for u, p, r, _ in DEMO_LOGINS]
    existing = db.session.scalar(select(Organisation).where(Organisation.code == ROOT_CODE))
    if existing is not None:
        return {"created": False, "logins": logins}

    rng = random.Random(2024)  # noqa: S311 - demo names, not secrets  # nosec B311
    root = Organisation(
        code=ROOT_CODE,
        name="Đảng bộ Khối các cơ quan và Doanh nghiệp tỉnh Trà Vinh",
        kind=OrgKind.COMMITTEE,
        superior_name="ĐẢNG BỘ TỈNH TRÀ VINH",
        header_name="ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        place="Trà Vinh",
        symbol="ĐUK",
    )
    db.session.add(root)
    db.session.flush()

    # Basic organisations; every third is a đảng bộ cơ sở with two or three cells.
    units: list[int] = []  # organisations where members attend
    office_id = None
    for index, name in enumerate(_basic_names(), start=1):
        basic = Organisation(
            code=f"CS{index:02d}", name=name, kind=OrgKind.BASIC, parent_id=root.id
        )
        db.session.add(basic)
        db.session.flush()
        if name.startswith("Đảng bộ"):
            for cell_no in range(1, 2 + index % 2 + 1):
                cell = Organisation(
                    code=f"CS{index:02d}-CB{cell_no:02d}",
                    name=f"Chi bộ {cell_no} - {name[8:]}",
                    kind=OrgKind.CELL,
                    parent_id=basic.id,
                )
                db.session.add(cell)
                db.session.flush()
                units.append(cell.id)
        else:
            units.append(basic.id)
        if office_id is None:
            office_id = units[-1]

    # The 22 Executive Committee members first, then the rest of the 6,102 members.
    named = [name for name, _ in STANDING] + EXECUTIVE
    rows = []
    for number in range(1, MEMBER_TOTAL + 1):
        full_name = named[number - 1] if number <= len(named) else _name(rng)
        unit = (
            units[(number - 1) % len(units)] if number > len(named) else units[number % len(units)]
        )
        rows.append(
            {
                "code": f"DV{number:05d}",
                "full_name": full_name,
                "organisation_id": unit,
                "active": True,
            }
        )
    db.session.execute(insert(Member), rows)
    members = {
        m.code: m
        for m in db.session.scalars(
            select(Member).where(Member.code.in_([f"DV{n:05d}" for n in range(1, len(named) + 1)]))
        )
    }

    executive = Committee(
        organisation_id=root.id, kind=CommitteeKind.EXECUTIVE, term="VIII", term_years="2020 - 2025"
    )
    standing = Committee(
        organisation_id=root.id, kind=CommitteeKind.STANDING, term="VIII", term_years="2020 - 2025"
    )
    db.session.add_all([executive, standing])
    for rank, (_, position) in enumerate(STANDING, start=1):
        member = members[f"DV{rank:05d}"]
        standing.seats.append(Seat(member=member, position=position, rank=rank))
        executive.seats.append(Seat(member=member, position=position, rank=rank))
    for rank in range(len(STANDING) + 1, len(named) + 1):
        executive.seats.append(
            Seat(member=members[f"DV{rank:05d}"], position=Position.EXECUTIVE_MEMBER, rank=rank)
        )

    conference = Conference(
        organisation_id=root.id,
        name="Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 17",
        number=17,
        held_on=date(2024, 1, 2),
        place="Hội trường Đảng ủy Khối các cơ quan và Doanh nghiệp tỉnh Trà Vinh",
        convening_organ="Ban Chấp hành Đảng bộ Khối",
        term="khóa VIII",
    )
    db.session.add(conference)

    by_name = {m.full_name: m for m in members.values()}
    for username, password, role, full_name in DEMO_LOGINS:
        account_member = by_name.get(full_name)
        db.session.add(
            User(
                username=username,
                full_name=full_name,
                password_hash=hash_password(password),
                role=role,
                member_id=account_member.id if account_member else None,
            )
        )
    db.session.flush()
    if votes:
        seed_votes(conference)
    seed_ratings()
    return {"created": True, "logins": logins}
