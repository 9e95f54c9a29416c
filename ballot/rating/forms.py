"""Forms of the rating pages (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ballot.rating.rules import (
    CAP_BASIS_LABELS,
    DISCIPLINE_LABELS,
    LEVEL_LABELS,
    RuleSet,
    SubjectKind,
)
from ballot.rating.rulesets import all_rule_sets


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _levels(rules: RuleSet) -> list[tuple[str, str]]:
    return [(lv.value, str(LEVEL_LABELS[lv])) for lv in rules.levels]


def _score_field(label: object) -> DecimalField:
    return DecimalField(
        label,
        places=2,
        validators=[Optional(), NumberRange(0, 100)],
        render_kw={"inputmode": "decimal", "step": "0.01"},
    )


class YearForm(FlaskForm):
    year = IntegerField(_l("Năm đánh giá"), validators=[InputRequired(), NumberRange(2000, 2100)])
    rule_set = SelectField(_l("Theo quy định"))
    cap_basis = SelectField(_l("Tỷ lệ Hoàn thành xuất sắc tính trên (lựa chọn của địa phương)"))
    outstanding_cap = IntegerField(
        _l("Tỷ lệ xuất sắc của đơn vị tiêu biểu, % (lựa chọn của địa phương; mặc định 25)"),
        validators=[Optional(), NumberRange(0, 100)],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.rule_set.choices = [("", str(_l("Quy định có hiệu lực năm đó")))] + [
            (r.code, r.label) for r in all_rule_sets()
        ]
        self.cap_basis.choices = [("", str(_l("Mặc định của quy định")))] + [
            (basis.value, str(label)) for basis, label in CAP_BASIS_LABELS.items()
        ]


class SelfAssessmentForm(FlaskForm):
    self_score = _score_field(_l("Điểm tự chấm"))
    self_level = SelectField(_l("Tự xếp loại"), validators=[DataRequired()])

    def __init__(self, rules: RuleSet, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="self", **kwargs)
        self.self_level.choices = _levels(rules)


class ProposalForm(FlaskForm):
    proposed_level = SelectField(_l("Mức đề xuất"), validators=[DataRequired()])

    def __init__(self, rules: RuleSet, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="proposal", **kwargs)
        self.proposed_level.choices = _levels(rules)


class _Decision(FlaskForm):
    level = SelectField(_l("Xếp loại"), validators=[DataRequired()])
    score = _score_field(_l("Điểm"))
    discipline = SelectField(_l("Kỷ luật trong năm"), default="")
    triggers = MultiCheckboxField(_l("Căn cứ buộc xếp loại Không hoàn thành hoặc giới hạn mức"))
    outstanding = BooleanField(
        _l("Đơn vị tiêu biểu (tỷ lệ Hoàn thành xuất sắc của đảng viên cao hơn, theo địa phương)")
    )
    leader_code = StringField(
        _l("Mã đảng viên của bí thư (để trống: lấy từ cấp ủy)"),
        validators=[Optional(), Length(max=40)],
    )

    def __init__(
        self, rules: RuleSet, kind: SubjectKind, *args: object, prefix: str, **kwargs: object
    ) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        self.level.choices = _levels(rules)
        self.discipline.choices = [("", str(_l("Không")))] + [
            (d.value, str(label)) for d, label in DISCIPLINE_LABELS.items()
        ]
        self.triggers.choices = [(t.code, str(t.label)) for t in rules.recorded_triggers_for(kind)]
        if kind == SubjectKind.ORGANISATION:
            del self.discipline
        else:
            del self.outstanding
            del self.leader_code


class DecisionForm(_Decision):
    override_reason = TextAreaField(
        _l("Lý do giữ kết quả dù không qua kiểm tra"), validators=[Optional(), Length(max=2000)]
    )

    def __init__(self, rules: RuleSet, kind: SubjectKind, *args: object, **kwargs: object) -> None:
        super().__init__(rules, kind, *args, prefix="decision", **kwargs)


class ReRatingForm(_Decision):
    reason = TextAreaField(
        _l("Lý do đánh giá lại"), validators=[DataRequired(), Length(min=5, max=2000)]
    )

    def __init__(self, rules: RuleSet, kind: SubjectKind, *args: object, **kwargs: object) -> None:
        super().__init__(rules, kind, *args, prefix="rerate", **kwargs)


class NotRatedForm(FlaskForm):
    reason = SelectField(_l("Lý do không xếp loại"), validators=[DataRequired()])
    on = DateField(_l("Ngày ghi nhận"), validators=[InputRequired()])
    clear = SubmitField(_l("Bỏ ghi không xếp loại"))

    def __init__(self, rules: RuleSet, kind: SubjectKind, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="notrated", **kwargs)
        self.reason.choices = [(e.code, str(e.label)) for e in rules.exclusions_for(kind)]
        if self.clear.data:
            self.reason.validate_choice = False
            self.reason.validators = [Optional()]
            self.on.validators = [Optional()]


class ImportForm(FlaskForm):
    file = FileField(
        _l("Tệp Excel (.xlsx) hoặc CSV"),
        validators=[
            FileRequired(_l("Chọn tệp cần nhập.")),
            FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv.")),
        ],
    )
    check = SubmitField(_l("Kiểm tra (chưa ghi)"))
    apply = SubmitField(_l("Nhập"))
