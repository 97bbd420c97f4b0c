"""The typed parameters of every rule (DOMAIN §5): numbers with ranges, fractions, yes/no,
one of a list, several of a list. ``validate(code, variant, parameters)`` returns the cleaned
parameters or raises DomainError naming the field in Chinese; the rule page builds its form
fields from the same specs, so no rule set with a bad row can be saved (issue 11 defect 3).

A rule code without a schema (one another app adds) keeps free parameters, checked only to be
a JSON object."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.core.errors import DomainError

from .decision_core import parse_fraction
from .eligibility import EDUCATION_LABEL, EDUCATION_ORDER, SANCTION_LABEL


@dataclass(frozen=True)
class Spec:
    label: object
    kind: str                      # int | fraction | bool | choice | multi | months_map | fraction_map | choice_map
    min: float | None = None
    max: float | None = None
    choices: tuple = ()            # ((value, label), ...) for choice / multi / months_map keys
    required: bool = True
    help: object = ""
    extra: dict = field(default_factory=dict)


def Int(label, lo, hi, **kw) -> Spec:
    return Spec(label, "int", lo, hi, **kw)


def Frac(label, lo=0, hi=1, **kw) -> Spec:
    return Spec(label, "fraction", lo, hi, help=gettext_lazy("分数或百分数，如 2/3、25%"), **kw)


def Bool(label, **kw) -> Spec:
    return Spec(label, "bool", **kw)


def One(label, choices, **kw) -> Spec:
    return Spec(label, "choice", choices=tuple(choices), **kw)


def Many(label, choices, **kw) -> Spec:
    return Spec(label, "multi", choices=tuple(choices), **kw)


EDUCATION = tuple((v, EDUCATION_LABEL[v]) for v in EDUCATION_ORDER)
GRADES = (("excellent", gettext_lazy("优秀")), ("competent", gettext_lazy("称职")),
          ("basically_competent", gettext_lazy("基本称职")), ("incompetent", gettext_lazy("不称职")))
STANCES = (("agree", gettext_lazy("同意")), ("disagree", gettext_lazy("不同意")), ("defer", gettext_lazy("缓议")))
FOUR_CHECKS = (("file", gettext_lazy("干部档案")), ("personal_matters_report", gettext_lazy("个人有关事项报告")),
               ("discipline_opinion", gettext_lazy("纪检监察机关意见")), ("complaints", gettext_lazy("信访举报")))
KINSHIP = (("spouse", gettext_lazy("夫妻关系")), ("lineal", gettext_lazy("直系血亲")),
           ("collateral3", gettext_lazy("三代以内旁系血亲")), ("in_law", gettext_lazy("近姻亲")))
R29_FIELDS = (("name", gettext_lazy("姓名")), ("sex", gettext_lazy("性别")), ("ethnicity", gettext_lazy("民族")),
              ("birth_month", gettext_lazy("出生年月")), ("political_status", gettext_lazy("政治面貌")),
              ("education", gettext_lazy("学历")), ("degree", gettext_lazy("学位")),
              ("work_started", gettext_lazy("参加工作时间")), ("current_post", gettext_lazy("现任职务")),
              ("proposed_post", gettext_lazy("拟任职务")), ("resume", gettext_lazy("简要经历")))
R28_ORDER = (("surname_strokes", gettext_lazy("姓氏笔画数")), ("stroke_order", gettext_lazy("起笔笔形")),
             ("next_character", gettext_lazy("第二字")))
CHANNELS = (("open_nomination", gettext_lazy("海选（会议推荐）")), ("performance", gettext_lazy("实绩备案提名")),
            ("reserve_direct", gettext_lazy("后备干部直接提名")), ("self_nomination", gettext_lazy("自荐")),
            ("public_selection", gettext_lazy("公开选拔")), ("recruitment", gettext_lazy("公开招录")),
            ("competitive_posting", gettext_lazy("竞争上岗")), ("two_way_selection", gettext_lazy("双向选择")),
            ("village_to_township", gettext_lazy("优秀村干部进入乡镇机关")))
INSPECTION_KINDS = (("any", gettext_lazy("任一种考察")), ("tracking", gettext_lazy("跟踪考察")),
                    ("source_tracing", gettext_lazy("溯源考察")), ("circles", gettext_lazy("生活圈社交圈考察")))

_R1 = {
    "min_work_years": Int(gettext_lazy("最低工龄（年）"), 0, 40),
    "min_grassroots_years": Int(gettext_lazy("最低基层工作经历（年）"), 0, 40),
    "deputy_before_head_years": Int(gettext_lazy("副职提任正职须任副职（年）"), 0, 20),
    "lower_head_before_deputy_years": Int(gettext_lazy("下级正职提任上级副职须任职（年）"), 0, 20),
    "min_education": One(gettext_lazy("最低学历"), EDUCATION),
    "party_post_min_party_years": Int(gettext_lazy("党委职务最低党龄（年）"), 0, 40, required=False),
}

SCHEMAS: dict[str, dict[str, Spec]] = {
    "R1": _R1,
    "R2": {
        "max_levels": Int(gettext_lazy("最多越级（级）"), 0, 2),
        "no_exception_during_probation": Bool(gettext_lazy("试用期内不得破格")),
        "min_years_since_promotion": Int(gettext_lazy("提拔任职满（年）方可破格"), 0, 10),
        "needs_higher_approval": Bool(gettext_lazy("须报上级组织部门同意")),
        "reason_in_publicity": Bool(gettext_lazy("公示中说明破格理由")),
    },
    "R6": {"valid_months": Int(gettext_lazy("推荐结果有效期（月）"), 1, 60)},
    "R7": {
        "turnout": Frac(gettext_lazy("参会率下限")),
        "turnout_inclusive": Bool(gettext_lazy("参会率达到下限即有效")),
        "threshold": Frac(gettext_lazy("得票集中度门槛")),
        "threshold_strict": Bool(gettext_lazy("须超过门槛（不含等于）")),
        "margin": Frac(gettext_lazy("得票接近的差距")),
        "slate_ratio": Spec(gettext_lazy("差额提名倍数"), "fraction", 1, 10,
                            help=gettext_lazy("拟选职数的倍数，如 2")),
        "min_share": Frac(gettext_lazy("差额提名最低得票率")),
    },
    "R8": {
        "grade_window_years": Int(gettext_lazy("考核等次回溯年数"), 1, 10),
        "barred_grades": Many(gettext_lazy("不得列为考察对象的等次"), GRADES),
        "bar_lobbying": Bool(gettext_lazy("跑官拉票者不得列为考察对象")),
        "bar_emigrated_family": Bool(gettext_lazy("配偶（子女）移居境外者不得列为考察对象")),
    },
    "R10": {"min_members": Int(gettext_lazy("考察组最少人数"), 2, 20)},
    "R11": {
        "required_kind": One(gettext_lazy("须有的考察报告种类"), INSPECTION_KINDS),
        "by_channel": Spec(gettext_lazy("按提名渠道须有的考察种类"), "choice_map", choices=INSPECTION_KINDS,
                           extra={"keys": CHANNELS}),
        "signed": Bool(gettext_lazy("报告须经考察组签字")),
    },
    "R13": {"checks": Many(gettext_lazy("必核事项"), FOUR_CHECKS)},
    "R15": {
        "quorum": Frac(gettext_lazy("法定到会比例"), 0.5, 1),
        "pass": Frac(gettext_lazy("通过比例（超过）"), 0.5, 1),
        "pass_base": One(gettext_lazy("通过比例的基数"), (("expected", gettext_lazy("应到会成员")),
                                                    ("expected_minus_recused", gettext_lazy("应到会成员减回避人数")))),
        "choices": Many(gettext_lazy("表态选项"), STANCES),
    },
    "R17": {"working_days": Int(gettext_lazy("公示期（工作日）"), 5, 30)},
    "R18": {"probation_months": Int(gettext_lazy("试用期（月）"), 0, 36)},
    "R19": {"degrees": Many(gettext_lazy("须回避的亲属关系"), KINSHIP)},
    "R20": {"superior_subordinate": Bool(gettext_lazy("直接上下级须回避"))},
    "R23": {
        "grades": Many(gettext_lazy("等次"), GRADES),
        "excellent_share": Frac(gettext_lazy("优秀比例上限")),
        "team_excellent_share": Frac(gettext_lazy("班子优秀时个人优秀比例上限")),
        "team_average_share": Frac(gettext_lazy("班子一般时个人优秀比例上限")),
        "team_poor_share": Frac(gettext_lazy("班子较差时个人优秀比例上限")),
    },
    "R24": {
        "max_entry_age": Int(gettext_lazy("入库年龄上限"), 25, 60),
        "min_education": One(gettext_lazy("入库最低学历"), EDUCATION, required=False),
        "grade_window_years": Int(gettext_lazy("考核等次回溯年数"), 1, 10, required=False),
        "barred_grades": Many(gettext_lazy("不得入库的等次"), GRADES, required=False),
        "bar_open_problem_files": Bool(gettext_lazy("有未办结信访举报者不得入库"), required=False),
        "tiers": Many(gettext_lazy("层级"), ((1, "1"), (2, "2"), (3, "3"))),
        "women_min_share": Frac(gettext_lazy("女干部比例下限")),
        "non_party_min_share": Frac(gettext_lazy("党外干部比例下限")),
        "under_40_min_share": Frac(gettext_lazy("40 岁以下比例下限"), required=False),
        "under_35_min_share": Frac(gettext_lazy("35 岁以下比例下限"), required=False),
        "fulltime_degree_min_share": Frac(gettext_lazy("全日制本科以上比例下限"), required=False),
        "ready_soon_min_share": Frac(gettext_lazy("近期可提拔人选比例下限"), required=False),
        # the R24/training row: direct nomination of class graduates
        "valid_months": Int(gettext_lazy("结业后可直接提名的期限（月）"), 1, 120),
        "min_attendance": Frac(gettext_lazy("结业最低出勤率")),
        "direct_tier": One(gettext_lazy("可直接提名的层级"), ((1, "1"), (2, "2"), (3, "3"))),
    },
    "R25": {"bar_months": Spec(gettext_lazy("影响期（月）"), "months_map", 0, 120,
                               choices=tuple(SANCTION_LABEL.items()))},
    "R28": {"order": Many(gettext_lazy("排序依据"), R28_ORDER)},
    "TWS": {"rule": One(gettext_lazy("采用的稳定匹配"), (("staff_optimal", gettext_lazy("人员最优（人员提出）")),
                                                   ("section_optimal", gettext_lazy("科室最优（科室提出）"))))},
    "R29": {"fields": Many(gettext_lazy("公示内容"), R29_FIELDS)},
}
# R7's two rows hold different parameters (the meeting row and the dispersion row); so do R24's
# (the pool and the training row).
VARIANT_FIELDS = {("R24", ""): ("max_entry_age", "min_education", "grade_window_years", "barred_grades",
                                 "bar_open_problem_files", "tiers", "women_min_share", "non_party_min_share",
                                 "under_40_min_share", "under_35_min_share", "fulltime_degree_min_share",
                                 "ready_soon_min_share"),
                  ("R24", "training"): ("valid_months", "min_attendance", "direct_tier"),
                  ("R7", ""): ("turnout",),
                  ("R7", "dispersion"): ("turnout_inclusive", "threshold", "threshold_strict", "margin",
                                         "slate_ratio", "min_share")}


# Rows other apps add (assessment's R25/accountability, the reserve's R24 rows...), registered
# from their AppConfig.ready(): (code, variant) → specs. They take precedence over SCHEMAS[code].
VARIANT_SCHEMAS: dict[tuple[str, str], dict[str, Spec]] = {}


def register_schema(code: str, variant: str, specs: dict[str, Spec]) -> None:
    """Another app's rule row gets typed parameters, validated and edited like the cases' own."""
    VARIANT_SCHEMAS[(code, variant or "")] = dict(specs)


def schema_for(code: str, variant: str = "") -> dict[str, Spec] | None:
    if (code, variant or "") in VARIANT_SCHEMAS:
        return VARIANT_SCHEMAS[(code, variant or "")]
    specs = SCHEMAS.get(code)
    if specs is None:
        return None
    keep = VARIANT_FIELDS.get((code, variant or ""))
    return {k: v for k, v in specs.items() if keep is None or k in keep}


def _bad(code: str, spec: Spec, why: str) -> DomainError:
    return DomainError("rule.bad_parameter", _("%(code)s 的参数“%(field)s”%(why)s") % {
        "code": code, "field": spec.label, "why": why}, {"field": str(spec.label)})


def _number(text) -> Fraction:
    if isinstance(text, bool):  # true is not a fraction, even though Python counts it as 1
        raise ValueError("bool")
    return parse_fraction(text)


def _range_text(spec: Spec) -> str:
    return _("应在 %(lo)s 至 %(hi)s 之间。") % {"lo": _fmt(spec.min), "hi": _fmt(spec.max)}


def _fmt(x) -> str:
    f = Fraction(x).limit_denominator(1000)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def clean_value(code: str, spec: Spec, value):
    if spec.kind == "int":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().lstrip("-").isdigit())):
            raise _bad(code, spec, _("必须是整数，%(range)s") % {"range": _range_text(spec)})
        value = int(value)
        if not spec.min <= value <= spec.max:
            raise _bad(code, spec, _range_text(spec))
        return value
    if spec.kind == "fraction":
        try:
            number = _number(value)
        except (ValueError, ZeroDivisionError, TypeError):
            raise _bad(code, spec, _("必须是分数或百分数（如 2/3、25%%），%(range)s") % {"range": _range_text(spec)}) from None
        if not spec.min <= number <= spec.max:
            raise _bad(code, spec, _range_text(spec))
        return value.strip() if isinstance(value, str) else value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise _bad(code, spec, _("只能是“是”或“否”。"))
        return value
    values = [v for v, _label in spec.choices]
    if spec.kind == "choice":
        if value not in values:
            raise _bad(code, spec, _("只能是：%(c)s。") % {"c": "、".join(str(lbl) for _v, lbl in spec.choices)})
        return value
    if spec.kind == "multi":
        if not isinstance(value, list) or any(v not in values for v in value) or len(set(map(str, value))) != len(value):
            raise _bad(code, spec, _("只能从以下各项中选择（不重复）：%(c)s。") % {
                "c": "、".join(str(lbl) for _v, lbl in spec.choices)})
        return value
    if spec.kind == "months_map":
        if not isinstance(value, dict) or any(k not in values for k in value):
            raise _bad(code, spec, _("只能列以下处分：%(c)s。") % {"c": "、".join(str(lbl) for _v, lbl in spec.choices)})
        for k, months in value.items():
            if isinstance(months, bool) or not isinstance(months, int) or not spec.min <= months <= spec.max:
                raise _bad(code, spec, _("中“%(k)s”必须是整数，%(range)s") % {
                    "k": dict(spec.choices)[k], "range": _range_text(spec)})
        return value
    if spec.kind == "fraction_map":
        if not isinstance(value, dict) or any(k not in values for k in value):
            raise _bad(code, spec, _("只能按以下各项设置：%(c)s。") % {"c": "、".join(str(lbl) for _v, lbl in spec.choices)})
        for k, number in value.items():
            try:
                ok = spec.min <= _number(number) <= spec.max
            except (ValueError, ZeroDivisionError, TypeError):
                ok = False
            if not ok:
                raise _bad(code, spec, _("中“%(k)s”必须是数字，%(range)s") % {
                    "k": dict(spec.choices)[k], "range": _range_text(spec)})
        return value
    if spec.kind == "choice_map":
        keys = dict(spec.extra["keys"])
        if not isinstance(value, dict) or any(k not in keys for k in value):
            raise _bad(code, spec, _("只能按以下渠道设置：%(c)s。") % {"c": "、".join(str(v) for v in keys.values())})
        for k, v in value.items():
            if v not in values:
                raise _bad(code, spec, _("中“%(k)s”只能是：%(c)s。") % {
                    "k": keys[k], "c": "、".join(str(lbl) for _v, lbl in spec.choices)})
        return value
    raise ValueError(spec.kind)


def validate(code: str, variant: str, parameters) -> dict:
    """Cleaned parameters of rule ``code``/``variant``; DomainError naming the first bad field."""
    if not isinstance(parameters, dict):
        raise DomainError("rule.bad_parameters", _("参数必须是 JSON 对象，例如 {\"working_days\": 5}。"))
    specs = schema_for(code, variant)
    if specs is None:
        return dict(parameters)
    unknown = sorted(set(parameters) - set(specs))
    if unknown:
        raise DomainError("rule.unknown_parameter", _("%(code)s 没有参数：%(names)s。") % {
            "code": code, "names": "、".join(unknown)})
    out = {}
    for key, spec in specs.items():
        if key not in parameters:
            if spec.required:
                raise DomainError("rule.missing_parameter", _("%(code)s 缺少参数“%(field)s”。") % {
                    "code": code, "field": spec.label}, {"field": str(spec.label)})
            continue
        out[key] = clean_value(code, spec, parameters[key])
    return out


def problems(rules) -> list[str]:
    """Messages for every row of a rule set that does not meet its schema (empty: all good)."""
    out = []
    for rule in rules:
        try:
            validate(rule.code, rule.variant, rule.parameters)
        except DomainError as exc:
            out.append(exc.message)
    return out
