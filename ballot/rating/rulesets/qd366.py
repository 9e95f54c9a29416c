"""Quy định 366-QĐ/TW (30/8/2025) with Hướng dẫn 43-HD/BTCTW: from the 2025 rating on.

Its own list (it replaces 124-QĐ/TW, Chương III, Điều 11: scores out of 100, 90/70/50). Each
rule names its clause and the public page it was checked against; rules no page confirmed
say so.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from ballot.rating.rules import (
    Band,
    CapBasis,
    CapRule,
    Ceiling,
    Exclusion,
    Level,
    RuleSet,
    ScoreScale,
    Source,
    SubjectKind,
    Trigger,
    TriggerSource,
)

MEMBER, ORG = SubjectKind.MEMBER, SubjectKind.ORGANISATION
QD = "Quy định 366-QĐ/TW"
HD = "Hướng dẫn 43-HD/BTCTW"
LAODONG = (
    "laodong.vn: «Điểm đánh giá để tính xếp loại tập thể, cá nhân hoàn thành xuất sắc / tốt "
    "nhiệm vụ» (Điều 11, 09/2025); thanhnien.vn «thang điểm 100» (20/09/2025); "
    "thuvienphapluat.vn «Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ năm 2025» (khoản 1 "
    "Điều 11, 09/12/2025)"
)
UNCHECKED = "chưa đối chiếu được với văn bản công bố; theo DOMAIN.md (đã sửa vòng này)"
FAILED = Source(QD, "Điều 11, mức «Không hoàn thành nhiệm vụ»", secondary=UNCHECKED)

TRIGGERS = (
    Trigger(
        "discipline",
        _l("Bị kỷ luật trong năm (hình thức của Đảng, chính quyền hoặc đoàn thể)"),
        MEMBER,
        FAILED,
        TriggerSource.DISCIPLINE,
    ),
    Trigger(
        "low_confidence",
        _l("Cán bộ lãnh đạo có trên 50% phiếu tín nhiệm thấp trong năm"),
        MEMBER,
        FAILED,
        TriggerSource.LOW_CONFIDENCE,
    ),
    Trigger(
        "tasks_undone",
        _l("Trên 50% nhiệm vụ không hoàn thành"),
        MEMBER,
        FAILED,
    ),
    Trigger(
        "degradation",
        _l(
            "Bị kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, «tự diễn biến», «tự chuyển hóa»"
        ),
        MEMBER,
        FAILED,
    ),
    Trigger(
        "forbidden_acts",
        _l("Vi phạm những điều đảng viên không được làm hoặc trách nhiệm nêu gương"),
        MEMBER,
        FAILED,
    ),
    Trigger(
        "unit_under_50",
        _l(
            "Cán bộ lãnh đạo: đơn vị do mình phụ trách hoàn thành dưới 50% chỉ tiêu, nhiệm vụ "
            "và có chỉ tiêu chủ yếu không đạt"
        ),
        MEMBER,
        FAILED,
    ),
    Trigger(
        "corruption",
        _l("Cán bộ lãnh đạo: để xảy ra tham nhũng, tiêu cực nghiêm trọng trong phạm vi phụ trách"),
        MEMBER,
        FAILED,
    ),
    Trigger(
        "sick_leave",
        _l("Nghỉ ốm từ 3 tháng trở lên trong năm (không xếp loại từ Hoàn thành tốt trở lên)"),
        MEMBER,
        Source(HD, "mục xếp loại đảng viên", secondary=UNCHECKED),
        max_level=Level.COMPLETED,
    ),
    Trigger("org_disciplined", _l("Tập thể lãnh đạo bị kỷ luật trong năm"), ORG, FAILED),
    Trigger(
        "subunits_disciplined",
        _l("Trên 20% số đơn vị trực thuộc bị kỷ luật trong năm"),
        ORG,
        FAILED,
    ),
    Trigger(
        "org_corruption",
        _l("Tổ chức hoặc đơn vị trực thuộc để xảy ra tham nhũng, tiêu cực"),
        ORG,
        FAILED,
    ),
    Trigger("disunity", _l("Bị kết luận mất đoàn kết nghiêm trọng"), ORG, FAILED),
    Trigger(
        "leader_disciplined",
        _l("Có thành viên tập thể lãnh đạo bị kỷ luật (không xếp loại Hoàn thành xuất sắc)"),
        ORG,
        Source(QD, "Điều 11, khoản 1 (tập thể)", secondary=LAODONG),
        max_level=Level.GOOD,
    ),
)

CEILINGS = (
    Ceiling(
        "members_completed",
        _l("Tổ chức Hoàn thành xuất sắc cần mọi đảng viên Hoàn thành nhiệm vụ trở lên"),
        ORG,
        Source(HD, "mục xếp loại tổ chức cơ sở đảng", secondary=UNCHECKED),
    ),
    Ceiling(
        "secretary_not_above",
        _l("Bí thư không xếp loại cao hơn tổ chức mình lãnh đạo"),
        MEMBER,
        Source(HD, "mục xếp loại cá nhân lãnh đạo", secondary=UNCHECKED),
    ),
)

NOT_RATED = Source(HD, "mục đối tượng đánh giá, xếp loại", secondary=UNCHECKED)
EXCLUSIONS = (
    Exclusion("exempt", _l("Được miễn công tác và sinh hoạt đảng"), MEMBER, NOT_RATED),
    Exclusion("suspended", _l("Đang bị đình chỉ sinh hoạt đảng"), MEMBER, NOT_RATED),
    Exclusion("admitted_recently", _l("Mới kết nạp dưới 6 tháng"), MEMBER, NOT_RATED),
    Exclusion("founded_recently", _l("Mới thành lập dưới 6 tháng"), ORG, NOT_RATED),
)

BANDS = Source(QD, "Điều 11", secondary=LAODONG)
LOCAL = Source("Đảng ủy Khối (lựa chọn của địa phương)", local=True)

RULE_SET = RuleSet(
    code="366-QD-TW",
    title="Quy định 366-QĐ/TW",
    issued=date(2025, 8, 30),
    effective_from=date(2025, 8, 30),
    first_year=2025,
    guidance=HD,
    levels=(Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED),
    levels_source=BANDS,
    score_scale=ScoreScale(
        maximum=Decimal(100),
        bands=(
            Band(Level.EXCELLENT, Decimal(90), BANDS),
            Band(Level.GOOD, Decimal(70), BANDS),
            Band(Level.COMPLETED, Decimal(50), BANDS),
        ),
    ),
    cap=CapRule(
        share=Fraction(20, 100),
        source=Source(QD, "Điều 11", secondary=UNCHECKED),
        outstanding_share=Fraction(25, 100),
        outstanding_source=LOCAL,
        basis=CapBasis.GOOD,
        basis_source=LOCAL,
    ),
    low_confidence_over=Fraction(1, 2),
    triggers=TRIGGERS,
    ceilings=CEILINGS,
    exclusions=EXCLUSIONS,
)
