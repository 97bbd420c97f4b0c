"""The demo's exams (DOMAIN §3.5), built through the real actions; every figure printed is
counted from the data afterwards:

- public selection: last year's 10 section-level posts and this year's round for real vacant
  副科 leadership posts (the source's 15 where the county has them free, else fewer, said in the
  build line), cadres registering and screened by the engine, written and interview scores,
  rankings published;
- competitive posting in the 8 units with the most middle-level posts, 7 opened in each (the
  source's 56): the posts' holders stand down and compete with the unit's staff, ranked, the
  first two of each post the candidates for inspection;
- village cadres into the offices of 4 townships (the source's 11 places);
- recruitment over three years: graduate posts and posts reserved for veterans, applicants
  from the online registration list (several per place), ranked, admitted at 1:1.

This year's public selection, each unit's competitive posting and the village cadres' round
are linked to cases: their candidates for inspection enter the case through the exam and the
case runs to appointment (``demo_cases``). No one is appointed around a case.

Scores are drawn from a seeded stream; absences are marked as such (never zero)."""

# The package, by channel: ``selection``, ``posting``, ``village``, ``recruitment``; ``common``
# holds what they share; the cases they fill are opened and carried through ``demo_cases``.
import datetime as dt

from django.db.models import Q

from gongxin.core.demo import as_on
from gongxin.people.models import OrgUnit, OrgUnitKind, Post, PostKind

from .. import demo_cases
from ..models import ExamChannel, RegistrationStatus
from .posting import competitive_posting
from .recruitment import recruit_three_years
from .selection import public_selection
from .village import village_to_township


def build(ctx) -> None:
    clerk = ctx.data.get("clerk") or ctx.admin
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if clerk is None or root is None:
        ctx.stop("exams", "the exams", "no people/accounts demo data")
        return
    rng = ctx.rng_for("exams")
    selection, sel_rounds = public_selection(ctx, rng, clerk, root)
    posting, post_rounds = competitive_posting(ctx, rng, clerk)
    village_rounds = village_to_township(ctx, rng, clerk, root)
    recruitment = recruit_three_years(ctx, rng, clerk, root)
    appointed = _appoint(ctx, clerk, sel_rounds + post_rounds + village_rounds)
    # every figure below is counted from the rows just written
    sel = "、".join(f"{label}{exam.posts.count()}个职位（报名{exam.registrations.count()}人）" for label, exam in selection)
    opened = sum(e.posts.count() for e in posting)
    unit_ids = {e.org_unit_id for e in posting}
    middle = Post.objects.filter(Q(org_unit__in=unit_ids) | Q(org_unit__parent__in=unit_ids), kind=PostKind.MIDDLE,
                                 is_active=True).count()
    share = f"，占这些单位中层岗位 {middle} 个的 {opened * 100 // middle}%" if middle else ""
    why = ("（演示县各单位的中层岗位和每岗三名报名人员只够这些，少于原县的 56 个）" if opened < 56 else "")
    adm = {"grad": 0, "vet": 0, "pool": 0}
    for e in recruitment:
        adm["pool"] += e.registrations.count()
        adm["grad"] += e.registrations.filter(admitted_cadre__isnull=False, is_graduate=True).count()
        adm["vet"] += e.registrations.filter(admitted_cadre__isnull=False, is_veteran=True).count()
    village = ""
    for r in village_rounds:
        chosen = r.case.candidates.filter(status="appointed").select_related("post__org_unit")
        towns = {c.post.org_unit.parent_id if c.post.org_unit.kind == OrgUnitKind.SECTION else c.post.org_unit_id
                 for c in chosen}
        village = (f"；现任村干部报名 {r.exam.registrations.count()} 人（资格审查通过 "
                   f"{r.exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).count()} 人），"
                   f"选聘 {chosen.count()} 人进入 {len(towns)} 个乡镇机关")
    ctx.built("exams", f"公开选拔 {sel}；竞争上岗 {len(unit_ids)} 个单位拿出中层岗位 {opened} 个{share}，"
                       f"原任职人员全体起立参加竞争{why}；三年公开招录报名 {adm['pool']} 人，录用高校毕业生 {adm['grad']} 人、"
                       f"退役士兵 {adm['vet']} 人（均建立干部档案，试用期内任职）；{appointed}{village}")


def _appoint(ctx, clerk, rounds) -> str:
    """Each case-linked round's case carried to appointment (last year's a year earlier, its
    appointees' probation since decided); the words say how many were appointed through each
    channel (competitive posting summed over its units), and why this year's public selection
    has fewer posts than the source's 15 when the county has fewer vacant 副科 posts."""
    from gongxin.core.errors import DomainError

    done = []
    for r in rounds:
        if r.case.candidates.filter(status="active").count() == 0:
            ctx.stop("exams", f"the case of {r.exam.title}", "the ranking sent no candidate for inspection")
            continue
        back = dt.timedelta(days=r.days_back)
        try:
            r.case = demo_cases.carry_to_appointment(ctx, clerk, r.case, decided_on=ctx.on(8, 20) - back,
                                                     publicity_start=ctx.on(8, 24) - back,
                                                     appointed_on=ctx.on(9, 15) - back)
        except DomainError as exc:
            ctx.stop("exams", f"the case of {r.exam.title}",
                     f"{exc.message} {exc.details.get('blockers', '')}".strip())
            continue
        if r.days_back:
            _probation_decided(clerk, r.case, ctx.today)
        done.append(r)
    if not done:
        return "没有经考试渠道任职的案件"
    parts = []
    posting = [r for r in done if r.exam.channel == ExamChannel.COMPETITIVE_POSTING]
    for r in done:
        if r.exam.channel != ExamChannel.COMPETITIVE_POSTING:
            parts.append(f"{r.exam.written_on.year}年{r.exam.get_channel_display()}{r.exam.posts.count()}个职位"
                         f"经案件任职 {r.appointed} 人")
        elif r is posting[0]:
            parts.append(f"{r.exam.get_channel_display()}{len(posting)}个单位{sum(x.exam.posts.count() for x in posting)}"
                         f"个职位经案件任职 {sum(x.appointed for x in posting)} 人")
    sel = [r for r in rounds if r.exam.channel == ExamChannel.PUBLIC_SELECTION]
    note = ""
    if sel and sel[-1].exam.posts.count() < 15:
        note = f"（演示县可用的空缺副科领导职位只有 {sel[-1].exam.posts.count()} 个，今年公开选拔按此缩减，原县为 15 个）"
    return "；".join(parts) + note


def _probation_decided(clerk, case, today: dt.date) -> None:
    """The probation of a round a year old has run out: each appointee's end-of-probation
    assessment (试用期满考核) confirms them on the day it ends, when that day has come."""
    try:
        from gongxin.publicity import actions as publicity_actions
        from gongxin.publicity.models import Appointment, ProbationStatus
    except ImportError:
        return
    for a in Appointment.objects.filter(case_id=case.pk, probation_status=ProbationStatus.ON_PROBATION,
                                        probation_end__lte=today).order_by("pk"):
        with as_on(a.probation_end):
            publicity_actions.decide_probation(acting_user=clerk, appointment=a, decision="confirm",
                                               note="试用期满考核：德才表现和工作实绩称职，同意正式任职。")
