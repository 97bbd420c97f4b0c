"""Eligibility engine (DOMAIN §5: R1, R2, R6, R8, R13, R25): a pure function of a cadre's facts,
a post's requirements and the rule parameters. Imports nothing from Django.

``evaluate(facts, post, rules, on=...)`` returns one ``RuleResult`` per check, each with its
outcome (pass / fail / pending / exception / na), the reason in Chinese and the rule's source.
Messages are Simplified Chinese msgids with ``%(name)s`` arguments; the Django side translates
``message`` and fills in ``args`` (``RuleResult.reason`` is the Chinese text)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Marks a msgid for extraction (makemessages --keyword=N_) without translating here."""
    return message


# 学历 in ascending order (same order as people.models.Education; a test checks it).
EDUCATION_ORDER = ["primary", "junior", "senior", "secondary_vocational", "associate", "bachelor", "master", "doctor"]
EDUCATION_LABEL = {"primary": "小学", "junior": "初中", "senior": "高中", "secondary_vocational": "中专",
                   "associate": "大专", "bachelor": "大学本科", "master": "研究生", "doctor": "博士研究生"}
GRADE_LABEL = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职", "incompetent": "不称职"}
SANCTION_LABEL = {"admonishment": "诫勉", "organizational_adjustment": "组织调整", "party_warning": "党内警告",
                  "party_serious_warning": "党内严重警告", "gov_warning": "政务警告", "gov_demerit": "记过",
                  "gov_major_demerit": "记大过", "gov_demotion": "降级", "gov_dismissal": "撤职"}
CHECK_LABEL = {"file": "干部档案", "personal_matters_report": "个人有关事项报告", "discipline_opinion": "纪检监察机关意见",
               "complaints": "信访举报"}

PASS, FAIL, PENDING, EXCEPTION, NA = "pass", "fail", "pending", "exception", "na"
LEVEL_STEP = 10          # one leadership level in Rank.level
COUNTY_LEVEL = 40        # 副处 and above use R1/county; below, the county's 科级 rows
DEFAULT_RANK_LEVEL = 10  # a cadre without a leadership rank counts as 科员
WAIVABLE = {"R1.work", "R1.grassroots", "R1.tenure", "R1.step"}


@dataclass(frozen=True)
class Sanction:
    kind: str            # key of R25 bar_months (admonishment, party_warning...)
    imposed_on: dt.date
    label: str = ""
    months: int | None = None   # the bar as decided (frozen at the decision); else R25's bar_months
    pending: bool = False       # still being looked into: promotion waits for the decision


@dataclass
class CadreFacts:
    birth: dt.date
    work_started: dt.date | None = None
    grassroots_days: int = 0
    rank_level: int | None = None
    rank_is_head: bool = False
    rank_since: dt.date | None = None
    post_since: dt.date | None = None
    education: str = ""
    party_joined: dt.date | None = None
    grades: Mapping[int, str] = field(default_factory=dict)
    sanctions: tuple = ()
    probation_end: dt.date | None = None
    last_promotion: dt.date | None = None
    personal_matters: str = ""          # "" unknown, ok, pending, discrepancy
    substantiated_problems: tuple = ()  # short Chinese descriptions
    lobbying: bool = False
    married: bool | None = None
    spouse_emigrated: bool = False
    children_all_emigrated: bool = False
    four_checks: Mapping[str, str] = field(default_factory=dict)  # check → done / pending / problem
    recommended_on: dt.date | None = None
    cadre_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class PostRequirement:
    title: str
    rank_level: int
    is_head: bool = False
    is_party_post: bool = False
    min_education: str | None = None
    max_age: int | None = None
    min_work_years: int | None = None
    # A leadership post (领导职务). R1's rows are the qualifications for leadership posts: a
    # middle-level (中层/股级) or general post takes the "non_leading" row when the county adds
    # one, and otherwise only the requirements its own notice or exam states.
    is_leading: bool = True


@dataclass(frozen=True)
class ExceptionRequest:
    """破格: the reason, the higher department's approval, and which checks it departs from."""
    reason: str = ""
    approval: str = ""
    items: tuple = ()   # e.g. ("R1.tenure",); empty = every waivable check that failed


@dataclass(frozen=True)
class RuleSpec:
    params: Mapping
    name: str = ""
    source: str = ""


@dataclass
class RuleResult:
    code: str
    item: str
    name: str
    outcome: str
    message: str
    args: dict
    source: str

    @property
    def reason(self) -> str:
        return self.message % self.args if self.args else self.message

    @property
    def passed(self) -> bool:
        """Pending (a check not yet run) does not fail at entry; at decision it is a failure."""
        return self.outcome != FAIL

    def as_dict(self) -> dict:
        return {"code": self.code, "item": self.item, "name": self.name, "outcome": self.outcome,
                "message": self.message, "args": {k: str(v) for k, v in self.args.items()},
                "reason": self.reason, "source": self.source}


# ---- date arithmetic ------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def probation_months(params: Mapping) -> int:
    """R18's probation length from its rule row: ``probation_months``, or whole
    ``probation_years``; one year when the row gives neither."""
    if "probation_years" in params:
        return int(params["probation_years"]) * 12
    return int(params.get("probation_months", 12))


def is_promotion(post_level: int, post_is_leadership: bool, rank_level: int | None,
                 rank_is_leadership: bool | None) -> bool:
    """Whether taking a post is a promotion (提拔), which R18 puts on probation: the post is of a
    higher level than the cadre's rank, or it is a leadership post (领导职务) and the cadre's rank of
    the same level is a grade of the parallel track (职级, such as 四级主任科员 beside 副科级), so
    the cadre takes a leading post of that level for the first time. A cadre without a rank is
    promoted by any post with a level."""
    if rank_level is None:
        return post_level > 0
    if post_level > rank_level:
        return True
    return post_level == rank_level and post_is_leadership and not rank_is_leadership


def probation_end(start: dt.date, months: int) -> dt.date:
    """The last day of probation: the day before the same date ``months`` later (a year from
    1 April ends on 31 March)."""
    return add_months(start, months) - dt.timedelta(days=1)


def add_years(day: dt.date, years: float) -> dt.date:
    return add_months(day, round(years * 12))


def full_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# ---- the engine ----------------------------------------------------------------------------

NON_LEADING = "non_leading"


def r1_variant(post: PostRequirement) -> str:
    """Which R1 row applies: county-level (县处级) or section-level (科级) leadership posts;
    posts that are not leadership posts never take a leadership row, whatever their rank."""
    if not post.is_leading:
        return NON_LEADING
    return "county" if post.rank_level >= COUNTY_LEVEL else "section"


def _spec(rules: Mapping[str, RuleSpec], key: str) -> RuleSpec:
    spec = rules.get(key)
    if spec is None:
        return RuleSpec(params={}, name=key, source="")
    if isinstance(spec, RuleSpec):
        return spec
    return RuleSpec(params=spec, name=key, source="")  # plain dict of parameters


NOTICE_SPEC = RuleSpec({}, N_("公告资格条件"), N_("职位空缺公告"))


class Evaluator:
    """The rules for one post, read once; call it with each cadre's facts. ``evaluate`` is the
    one-off form. ``moment`` is "entry" (a person enters a case: checks not yet run are
    pending) or "decision" (before the vote: pending counts as failed)."""

    def __init__(self, post: PostRequirement, rules: Mapping[str, RuleSpec], *, on: dt.date, moment: str = "entry"):
        self.post, self.on, self.moment = post, on, moment
        self.r1 = _spec(rules, f"R1/{r1_variant(post)}")
        p1 = self.r1.params
        self.need_work = max(int(p1.get("min_work_years", 0)), int(post.min_work_years or 0))
        self.need_grassroots = p1.get("min_grassroots_years", 0)
        self.tenure_key = "deputy_before_head_years" if post.is_head else "lower_head_before_deputy_years"
        self.tenure_years = p1.get(self.tenure_key, 0)
        self.tenure_label = N_("副职") if post.is_head else N_("下级正职")
        self.min_edu = post.min_education or p1.get("min_education")
        self.min_edu_index = EDUCATION_ORDER.index(self.min_edu) if self.min_edu else None
        self.need_party = p1.get("party_post_min_party_years", 0) if post.is_party_post else 0
        self.r2 = _spec(rules, "R2")
        self.r6 = _spec(rules, "R6")
        self.valid_months = int(self.r6.params.get("valid_months", 12))
        self.r8 = _spec(rules, "R8")
        self.window = int(self.r8.params.get("grade_window_years", 3))
        self.barred = set(self.r8.params.get("barred_grades", ["basically_competent", "incompetent"]))
        self.grade_years = range(on.year - self.window, on.year)
        self.bar_lobbying = self.r8.params.get("bar_lobbying", True)
        self.bar_emigrated = self.r8.params.get("bar_emigrated_family", True)
        self.r13 = _spec(rules, "R13")
        self.checks = list(self.r13.params.get("checks", list(CHECK_LABEL)))
        self.r25 = _spec(rules, "R25")
        self.bars = self.r25.params.get("bar_months", {})

    def __call__(self, facts: CadreFacts, exception: ExceptionRequest | None = None) -> list[RuleResult]:
        out: list[RuleResult] = []
        on, post, r1 = self.on, self.post, self.r1
        append = out.append

        def add(code, item, spec, outcome, message, **args):
            append(RuleResult(code, item, spec.name, outcome, message, args, spec.source))

        # R1 work years
        need = self.need_work
        if need:
            if facts.work_started is None:
                add("R1", "R1.work", r1, FAIL, N_("没有参加工作时间，无法核对 %(need)s 年以上工龄"), need=need)
            else:
                due = add_years(facts.work_started, need)
                ok = on >= due
                add("R1", "R1.work", r1, PASS if ok else FAIL,
                    N_("参加工作于 %(start)s，工龄 %(years)s 年，要求 %(need)s 年以上") if ok else
                    N_("参加工作于 %(start)s，工龄 %(years)s 年，不满 %(need)s 年（%(due)s 满）"),
                    start=facts.work_started, years=full_years(facts.work_started, on), need=need,
                    due=due)
        # R1 grassroots
        need_g = self.need_grassroots
        if need_g:
            ok = facts.grassroots_days >= need_g * 365
            add("R1", "R1.grassroots", r1, PASS if ok else FAIL,
                N_("基层工作经历 %(years)s 年，要求 %(need)s 年以上") if ok else
                N_("基层工作经历 %(years)s 年，不满 %(need)s 年"),
                years=f"{facts.grassroots_days / 365:.1f}", need=need_g)
        # R1 tenure in the current rank, by the step from the current rank to the post's
        level = facts.rank_level if facts.rank_level is not None else DEFAULT_RANK_LEVEL
        step = post.rank_level - level
        if not post.is_leading and self.tenure_key not in r1.params:
            add("R1", "R1.tenure", r1, NA, N_("非领导职务岗位，不适用领导职务的任职年限和层级要求"))
        elif step <= 0:
            add("R1", "R1.tenure", r1, PASS, N_("平级或低职级任职，无任职年限要求"))
        elif step == LEVEL_STEP:
            years, label = self.tenure_years, self.tenure_label
            if not years:
                add("R1", "R1.tenure", r1, PASS, N_("本级规则未设任职年限要求"))
            elif facts.rank_since is None:
                add("R1", "R1.tenure", r1, FAIL, N_("没有任现职级时间，无法核对在%(label)s岗位 %(need)s 年以上"),
                    label=label, need=years)
            else:
                due = add_years(facts.rank_since, years)
                ok = on >= due
                add("R1", "R1.tenure", r1, PASS if ok else FAIL,
                    N_("任现职级于 %(since)s，在%(label)s岗位已满 %(need)s 年") if ok else
                    N_("任现职级于 %(since)s，在%(label)s岗位不满 %(need)s 年（%(due)s 满）"),
                    since=facts.rank_since, label=label, need=years, due=due)
        else:
            add("R1", "R1.step", r1, FAIL, N_("从现职级到拟任职位跨越 %(levels)s 个层级，属越级提拔"),
                levels=step // LEVEL_STEP)
        # R1 education
        if self.min_edu:
            have = EDUCATION_ORDER.index(facts.education) if facts.education in EDUCATION_ORDER else -1
            ok = have >= self.min_edu_index
            add("R1", "R1.education", r1, PASS if ok else FAIL,
                N_("学历为%(have)s，要求%(need)s以上") if ok else N_("学历为%(have)s，低于%(need)s"),
                have=EDUCATION_LABEL.get(facts.education, "未填写"), need=EDUCATION_LABEL[self.min_edu])
        # R1 Party years for Party posts
        need_p = self.need_party
        if need_p:
            if facts.party_joined is None:
                add("R1", "R1.party", r1, FAIL, N_("担任党的领导职务须有 %(need)s 年以上党龄，本人无入党时间"),
                    need=need_p)
            else:
                ok = on >= add_years(facts.party_joined, need_p)
                add("R1", "R1.party", r1, PASS if ok else FAIL,
                    N_("入党于 %(since)s，党龄已满 %(need)s 年") if ok else
                    N_("入党于 %(since)s，党龄不满 %(need)s 年"), since=facts.party_joined, need=need_p)
        # Notice requirements (age)
        if post.max_age is not None:
            age = full_years(facts.birth, on)
            add("notice", "notice.age", NOTICE_SPEC, PASS if age <= post.max_age else FAIL,
                N_("年龄 %(age)s 岁，公告要求不超过 %(max)s 岁"), age=age, max=post.max_age)

        # R2 exceptions (破格)
        _apply_exception(out, facts, post, self.r2, exception, on=on, step=step)

        # R6 recommendation validity
        if facts.recommended_on is not None:
            until = add_months(facts.recommended_on, self.valid_months)
            ok = on <= until
            add("R6", "R6.valid", self.r6, PASS if ok else FAIL,
                N_("推荐日期 %(date)s，有效期至 %(until)s") if ok else
                N_("推荐日期 %(date)s，已超过 %(months)s 个月有效期"),
                date=facts.recommended_on, until=until, months=self.valid_months)

        # R8 not to be inspected
        r8, years = self.r8, self.grade_years
        bad = sorted((y, g) for y, g in facts.grades.items() if y in years and g in self.barred)
        if bad:
            y, g = bad[-1]
            add("R8", "R8.grades", r8, FAIL, N_("%(year)s 年度考核为%(grade)s，近 %(n)s 年内有基本称职以下等次"),
                year=y, grade=GRADE_LABEL.get(g, g), n=self.window)
        else:
            add("R8", "R8.grades", r8, PASS, N_("近 %(n)s 年（%(first)s—%(last)s）年度考核无基本称职以下等次"),
                n=self.window, first=years.start, last=years.stop - 1)
        if self.bar_lobbying:
            add("R8", "R8.lobbying", r8, FAIL if facts.lobbying else PASS,
                N_("查实有跑官、拉票等非组织行为") if facts.lobbying else N_("未发现跑官、拉票等非组织行为"))
        if self.bar_emigrated:
            if facts.married and facts.spouse_emigrated:
                add("R8", "R8.emigrated", r8, FAIL, N_("配偶已移居国（境）外"))
            elif facts.married is False and facts.children_all_emigrated:
                add("R8", "R8.emigrated", r8, FAIL, N_("无配偶，子女均已移居国（境）外"))
            else:
                add("R8", "R8.emigrated", r8, PASS, N_("无配偶或子女移居国（境）外的情形"))

        # R13 four checks and substantiated problems
        r13 = self.r13
        states = facts.four_checks
        if facts.personal_matters == "discrepancy":
            states = {**states, "personal_matters_report": "problem"}
        problems = [CHECK_LABEL.get(c, c) for c in self.checks if states.get(c) == "problem"]
        waiting = [CHECK_LABEL.get(c, c) for c in self.checks if states.get(c) not in ("done", "problem")]
        if problems:
            add("R13", "R13.checks", r13, FAIL, N_("%(checks)s发现问题，尚未查清"), checks="、".join(problems))
        elif waiting:
            add("R13", "R13.checks", r13, FAIL if self.moment == "decision" else PENDING,
                N_("%(checks)s尚未查核"), checks="、".join(waiting))
        else:
            add("R13", "R13.checks", r13, PASS, N_("凡提四必均已查核，未发现问题"))
        if facts.substantiated_problems:
            add("R13", "R13.problems", r13, FAIL, N_("问题档案中有经查属实的问题：%(items)s"),
                items="；".join(facts.substantiated_problems))

        # R25 sanctions and their periods
        active, pending = [], []
        for s in facts.sanctions:
            if s.pending:
                pending.append(s)
                continue
            months = s.months if s.months is not None else int(self.bars.get(s.kind, 12))
            until = add_months(s.imposed_on, months)
            if s.imposed_on <= on < until:
                active.append((until, s))
        if pending:
            s = min(pending, key=lambda s: s.imposed_on)
            add("R25", "R25.pending", self.r25, FAIL, N_("%(kind)s尚在调查（%(date)s 立案），作出结论前不得提拔"),
                kind=s.label or SANCTION_LABEL.get(s.kind, s.kind), date=s.imposed_on)
        if active:
            until, s = max(active, key=lambda t: t[0])
            add("R25", "R25.sanctions", self.r25, FAIL,
                N_("受到%(kind)s（%(date)s），影响期至 %(until)s，期内不得提拔"),
                kind=s.label or SANCTION_LABEL.get(s.kind, s.kind), date=s.imposed_on, until=until)
        elif not pending:
            add("R25", "R25.sanctions", self.r25, PASS, N_("无影响期内的问责或处分"))
        return out


def evaluate(facts: CadreFacts, post: PostRequirement, rules: Mapping[str, RuleSpec], *, on: dt.date,
             moment: str = "entry", exception: ExceptionRequest | None = None) -> list[RuleResult]:
    """Every check of every rule, in a fixed order (see ``Evaluator``)."""
    return Evaluator(post, rules, on=on, moment=moment)(facts, exception)


def _apply_exception(out: list[RuleResult], facts: CadreFacts, post: PostRequirement, r2: RuleSpec,
                     exception: ExceptionRequest | None, *, on: dt.date, step: int) -> None:
    failed = [r for r in out if r.outcome == FAIL and r.item in WAIVABLE]

    def add(outcome, message, **args):
        out.append(RuleResult("R2", "R2.exception", r2.name, outcome, message, args, r2.source))

    if exception is None:
        add(NA, N_("未申请破格"))
        return
    params = r2.params
    refusals = []
    if not exception.reason.strip():
        refusals.append(N_("未记录破格理由"))
    if params.get("needs_higher_approval", True) and not exception.approval.strip():
        refusals.append(N_("未经上级组织部门同意"))
    max_levels = int(params.get("max_levels", 1))
    if step > LEVEL_STEP * (max_levels + 1):
        refusals.append(N_("不得越两级提拔"))
    if params.get("no_exception_during_probation", True) and facts.probation_end and on < facts.probation_end:
        refusals.append(N_("任职试用期未满"))
    years = params.get("min_years_since_promotion", 1)
    if years and facts.last_promotion and on < add_years(facts.last_promotion, years):
        refusals.append(N_("提拔任职不满一年"))
    if refusals:
        add(FAIL, N_("不能破格：%(why)s"), why="；".join(refusals))
        return
    waived = [r for r in failed if not exception.items or r.item in exception.items]
    for r in waived:
        r.outcome = EXCEPTION
    add(PASS, N_("经上级批准破格（%(approval)s），理由：%(reason)s"), approval=exception.approval,
        reason=exception.reason)


def passed(results: list[RuleResult]) -> bool:
    return all(r.passed for r in results)


def failures(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if r.outcome == FAIL]
