"""Quy định 124-QĐ/TW (04/10/2023) with Hướng dẫn 25-HD/BTCTW: the 2023 and 2024 ratings.

Every rule names its clause. The official texts were not at hand; each rule was checked
against the public pages named in `secondary` (searched this round), and a rule that no page
confirmed says so ("chưa đối chiếu được").
"""

from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from ballot.rating.rules import (
    CapBasis,
    CapRule,
    Ceiling,
    Exclusion,
    Level,
    RuleSet,
    Source,
    SubjectKind,
    Trigger,
    TriggerSource,
)

MEMBER, ORG = SubjectKind.MEMBER, SubjectKind.ORGANISATION
QD = "Quy định 124-QĐ/TW"
HD = "Hướng dẫn 25-HD/BTCTW"
#: The government's summary of the "Không hoàn thành nhiệm vụ" cases of Điều 12.
CHINHPHU = (
    "xaydungchinhsach.chinhphu.vn: «Quy định 124-QĐ/TW: các trường hợp tập thể, cá nhân được "
    "xếp loại không hoàn thành nhiệm vụ» (09/10/2023)"
)
LAWNET = "lawnet.vn: Article 12 of Regulation 124-QD/TW 2023 (English summary, 07/02/2025)"
UNCHECKED = "chưa đối chiếu được với văn bản công bố; theo DOMAIN.md (đã sửa vòng này)"

FAILED_CASES = Source(QD, "Điều 12, mức «Không hoàn thành nhiệm vụ»", secondary=CHINHPHU)

TRIGGERS = (
    Trigger(
        "discipline",
        _l("Bị kỷ luật trong năm (hình thức của Đảng, chính quyền hoặc đoàn thể)"),
        MEMBER,
        FAILED_CASES,
        TriggerSource.DISCIPLINE,
    ),
    Trigger(
        "low_confidence",
        _l("Cán bộ lãnh đạo có trên 50% phiếu tín nhiệm thấp trong năm"),
        MEMBER,
        Source(QD, "Điều 12, cá nhân giữ chức vụ lãnh đạo", secondary=UNCHECKED),
        TriggerSource.LOW_CONFIDENCE,
    ),
    Trigger(
        "tasks_undone",
        _l("Chỉ hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao"),
        MEMBER,
        FAILED_CASES,
    ),
    Trigger(
        "degradation",
        _l(
            "Bị kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, «tự diễn biến», «tự chuyển hóa»"
        ),
        MEMBER,
        FAILED_CASES,
    ),
    Trigger(
        "forbidden_acts",
        _l("Vi phạm những điều đảng viên không được làm hoặc trách nhiệm nêu gương"),
        MEMBER,
        FAILED_CASES,
    ),
    Trigger(
        "unit_under_50",
        _l(
            "Cán bộ lãnh đạo: đơn vị do mình phụ trách hoàn thành dưới 50% chỉ tiêu, nhiệm vụ "
            "và có chỉ tiêu chủ yếu không đạt"
        ),
        MEMBER,
        FAILED_CASES,
    ),
    Trigger(
        "corruption",
        _l("Cán bộ lãnh đạo: để xảy ra tham nhũng, tiêu cực nghiêm trọng trong phạm vi phụ trách"),
        MEMBER,
        Source(QD, "Điều 12, cá nhân giữ chức vụ lãnh đạo", secondary=UNCHECKED),
    ),
    Trigger(
        "sick_leave",
        _l("Nghỉ ốm từ 3 tháng trở lên trong năm (không xếp loại từ Hoàn thành tốt trở lên)"),
        MEMBER,
        Source(
            HD,
            "mục xếp loại đảng viên",
            secondary=(
                "cùng quy tắc cho cán bộ, công chức, viên chức (nghỉ từ 03 tháng: không xếp "
                "loại từ hoàn thành tốt trở lên), Nghị định 48/2023/NĐ-CP, hỏi đáp "
                "thuvienphapluat.vn; " + UNCHECKED
            ),
        ),
        max_level=Level.COMPLETED,
    ),
    Trigger(
        "org_disciplined",
        _l("Tập thể lãnh đạo bị kỷ luật trong năm"),
        ORG,
        FAILED_CASES,
    ),
    Trigger(
        "subunits_disciplined",
        _l("Trên 20% số đơn vị trực thuộc bị kỷ luật trong năm"),
        ORG,
        FAILED_CASES,
    ),
    Trigger(
        "org_corruption",
        _l("Tổ chức hoặc đơn vị trực thuộc để xảy ra tham nhũng, lãng phí, tiêu cực bị xử lý"),
        ORG,
        FAILED_CASES,
    ),
    Trigger(
        "disunity",
        _l("Bị kết luận mất đoàn kết nội bộ"),
        ORG,
        FAILED_CASES,
    ),
    Trigger(
        "org_tasks_under_50",
        _l("Tổ chức hoàn thành dưới 50% chỉ tiêu, nhiệm vụ và có chỉ tiêu chủ yếu không đạt"),
        ORG,
        FAILED_CASES,
    ),
    Trigger(
        "leader_disciplined",
        _l("Có thành viên tập thể lãnh đạo bị kỷ luật (không xếp loại Hoàn thành xuất sắc)"),
        ORG,
        Source(QD, "Điều 12, mức «Hoàn thành xuất sắc nhiệm vụ» (tập thể)", secondary=LAWNET),
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

NOT_RATED = Source(
    HD,
    "mục đối tượng đánh giá, xếp loại",
    secondary=(
        "quy tắc của Hướng dẫn 21-HD/BTCTW (18/10/2019) mà HD 25 kế thừa: luatvietnam.vn "
        "«Không đánh giá, xếp loại Đảng viên bị đình chỉ sinh hoạt Đảng»"
    ),
)
EXCLUSIONS = (
    Exclusion("exempt", _l("Được miễn công tác và sinh hoạt đảng"), MEMBER, NOT_RATED),
    Exclusion("suspended", _l("Đang bị đình chỉ sinh hoạt đảng"), MEMBER, NOT_RATED),
    Exclusion(
        "admitted_recently",
        _l("Mới kết nạp dưới 6 tháng"),
        MEMBER,
        Source(HD, "mục đối tượng đánh giá, xếp loại", secondary=UNCHECKED),
    ),
    Exclusion(
        "founded_recently",
        _l("Mới thành lập dưới 6 tháng"),
        ORG,
        Source(HD, "mục đối tượng đánh giá, xếp loại", secondary=UNCHECKED),
    ),
)

LOCAL = Source("Đảng ủy Khối (lựa chọn của địa phương)", local=True)

RULE_SET = RuleSet(
    code="124-QD-TW",
    title="Quy định 124-QĐ/TW",
    issued=date(2023, 10, 4),
    effective_from=date(2023, 10, 4),
    first_year=2023,
    last_year=2024,
    guidance=HD,
    levels=(Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED),
    levels_source=Source(QD, "Điều 12", secondary=LAWNET),
    # The regulation rates by criteria, not by a score: a score may be recorded (local
    # scoring frames use one) but is not checked against the level.
    score_scale=None,
    cap=CapRule(
        share=Fraction(20, 100),
        source=Source(QD, "Điều 12, mức «Hoàn thành xuất sắc nhiệm vụ»", secondary=LAWNET),
        outstanding_share=Fraction(25, 100),
        outstanding_source=LOCAL,
        basis=CapBasis.GOOD,
        basis_source=Source(
            "Đảng ủy Khối (lựa chọn của địa phương)",
            secondary="lawnet.vn (124) và thuvienphapluat.vn (HD 21-HD/BTCTW 2019: «không vượt "
            "quá 20% số đảng viên được xếp loại Hoàn thành tốt nhiệm vụ trong từng tổ chức cơ sở "
            "đảng») đọc «Hoàn thành tốt»; nguồn khác đọc «Hoàn thành tốt trở lên»",
            local=True,
        ),
    ),
    low_confidence_over=Fraction(1, 2),
    triggers=TRIGGERS,
    ceilings=CEILINGS,
    exclusions=EXCLUSIONS,
)
