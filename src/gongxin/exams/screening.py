"""Screening (资格审查): the eligibility engine (cases/eligibility.py) on the registrant's
facts against the announcement's requirements, and the channel's own rules:

- competitive posting: only staff of the unit (or its sections);
- village to township: only serving village cadres, with the years and annual grades the
  EXM/village rule row sets;
- a post reserved for veterans: only veterans.

Each result is the engine's ``RuleResult`` (outcome, reason in Chinese, source). Checks that
belong to inspection, not to an exam's registration (the four checks, recommendation
validity), are left out."""

import datetime as dt

from django.utils import timezone

from gongxin.cases import eligibility as core
from gongxin.cases.eligibility import N_
from gongxin.people.models import OrgUnitKind, PostHolding, PostKind

from .models import ExamChannel

LEFT_OUT = {"R13.checks", "R6.valid", "R2.exception"}
CHANNEL_SPEC = core.RuleSpec({}, N_("报考渠道条件"), N_("考试公告"))
VETERAN_SPEC = core.RuleSpec({}, N_("定向岗位条件"), N_("考试公告"))


def post_requirement(exam, exam_post) -> core.PostRequirement:
    req = exam.requirements or {}
    post = exam_post.post
    return core.PostRequirement(
        title=exam_post.title, rank_level=post.rank.level if post else core.DEFAULT_RANK_LEVEL,
        is_head=bool(post and post.rank.is_head), is_party_post=bool(post and "书记" in post.title),
        # a listed post says what it is; an unlisted one is a leadership post only in public selection
        is_leading=post.kind == PostKind.LEADERSHIP if post else exam.channel == ExamChannel.PUBLIC_SELECTION,
        min_education=req.get("min_education") or None, max_age=req.get("max_age"),
        min_work_years=req.get("min_work_years"))


def _facts(registration, on):
    if registration.cadre_id:
        from gongxin.cases.facts import build_facts

        return build_facts(registration.cadre, on=on)
    return core.CadreFacts(birth=registration.birth_date, education=registration.education, name=registration.name)


def screen(registration, *, rule_specs: dict, village: dict, on: dt.date | None = None) -> list[core.RuleResult]:
    """Every check for one registration, in a fixed order."""
    on = on or timezone.localdate()
    exam, exam_post = registration.exam, registration.exam_post
    facts = _facts(registration, on)
    if registration.cadre_id is None:
        # a member of the public is held to the notice's own conditions, not the cadre rules (R1)
        rule_specs = {k: v for k, v in rule_specs.items() if not k.startswith("R1")}
    results = [r for r in core.evaluate(facts, post_requirement(exam, exam_post), rule_specs, on=on)
               if r.item not in LEFT_OUT and r.outcome != core.PENDING]
    if registration.cadre_id is None:
        # a member of the public has no record of grades, sanctions or rank: only the notice's own conditions
        results = [r for r in results if r.item in ("notice.age", "R1.education", "R1.work")]
    results.extend(channel_results(registration, village=village, on=on, facts=facts))
    return results


def channel_results(registration, *, village: dict, on: dt.date, facts) -> list[core.RuleResult]:
    exam, post = registration.exam, registration.exam_post
    out = []

    def add(spec, item, ok, message, **args):
        out.append(core.RuleResult(item.split(".")[0], item, spec.name, core.PASS if ok else core.FAIL,
                                   message, args, spec.source))

    if exam.channel == ExamChannel.COMPETITIVE_POSTING:
        cadre = registration.cadre
        unit = exam.org_unit
        ok = cadre is not None and (cadre.org_unit_id == unit.pk or (
            cadre.org_unit.parent_id == unit.pk and cadre.org_unit.kind == OrgUnitKind.SECTION))
        add(CHANNEL_SPEC, "channel.unit_staff", ok,
            N_("%(name)s 是 %(unit)s 在职人员") if ok else N_("竞争上岗只面向 %(unit)s 在职人员，%(name)s 不是本单位人员"),
            name=registration.name, unit=unit.name)
    if exam.channel == ExamChannel.VILLAGE_TO_TOWNSHIP:
        out.extend(_village(registration, village, on, facts))
    if exam.channel in (ExamChannel.PUBLIC_SELECTION, ExamChannel.COMPETITIVE_POSTING,
                        ExamChannel.VILLAGE_TO_TOWNSHIP) and registration.cadre_id is None:
        add(CHANNEL_SPEC, "channel.cadre", False, N_("%(channel)s只面向在职干部，须登录后报名"),
            channel=exam.get_channel_display())
    if post.veterans_only:
        ok = registration.is_veteran
        add(VETERAN_SPEC, "channel.veteran", ok,
            N_("职位 %(post)s 面向退役士兵，本人为退役士兵") if ok else N_("职位 %(post)s 只面向退役士兵"),
            post=post.title)
    return out


def _village(registration, village: dict, on: dt.date, facts) -> list[core.RuleResult]:
    spec = core.RuleSpec(village, village.get("_name", N_("优秀村干部进入乡镇机关")), village.get("_source", ""))
    out = []

    def add(item, ok, message, **args):
        out.append(core.RuleResult("EXM", item, spec.name, core.PASS if ok else core.FAIL, message, args, spec.source))

    cadre = registration.cadre
    if cadre is None or cadre.org_unit.kind != OrgUnitKind.VILLAGE:
        add("EXM.village", False, N_("只面向现任村（社区）干部"))
        return out
    need = int(village.get("min_years", 3))
    starts = list(PostHolding.objects.filter(cadre=cadre, end__isnull=True, post__org_unit__kind=OrgUnitKind.VILLAGE)
                  .values_list("start", flat=True))
    since = min(starts) if starts else None
    if since is None:
        add("EXM.village_years", False, N_("没有在村（社区）任职的记录，无法核对连续任职 %(need)s 年"), need=need)
    else:
        years = core.full_years(since, on)
        add("EXM.village_years", years >= need,
            N_("%(since)s 起在村任职，已满 %(need)s 年") if years >= need else
            N_("%(since)s 起在村任职，不满 %(need)s 年"), since=since, need=need)
    window = int(village.get("grade_window_years", 3))
    allowed = set(village.get("required_grades", ["excellent", "competent"]))
    years = range(on.year - window, on.year)
    missing = [y for y in years if y not in facts.grades]
    below = [(y, facts.grades[y]) for y in years if y in facts.grades and facts.grades[y] not in allowed]
    if below:
        y, g = below[-1]
        add("EXM.village_grades", False, N_("%(year)s 年度考核为%(grade)s，未达到要求"),
            year=y, grade=core.GRADE_LABEL.get(g, g))
    elif missing:
        add("EXM.village_grades", False, N_("%(years)s 年度没有考核等次"), years="、".join(map(str, missing)))
    else:
        add("EXM.village_grades", True, N_("近 %(n)s 年年度考核均为%(grades)s"), n=window,
            grades="或".join(core.GRADE_LABEL[g] for g in ("excellent", "competent") if g in allowed))
    return out
