"""Demo pre-appointment notices, each the notice of a real selection case (motion → decision →
publicity), on the demo's calendar (``ctx.on``; the build day is "today"): one still in its period
with open and answered feedback; one finished, every item answered, its people appointed on
probation; an older one whose probations end soon. Drafts that the cases demo left at the
publicity stage are published. The demo publishes no notice that no process produced: the
vacancy notice is the self-nomination case's (cases demo); exam results wait for the exams app."""

import datetime as dt

from django.db.models import Count, Q

from gongxin.cases import eligibility as core
from gongxin.cases.demo import publish_publicity
from gongxin.cases.demo_flow import Nominee, decision_members, finish_case, run_case_to_publicity
from gongxin.cases.facts import evaluate_cadre
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import DomainError
from gongxin.people.models import Cadre, Post, PostKind

from . import actions
from .models import FeedbackCategory, Notice, NoticeKind, NoticeStatus

FEEDBACK = [
    (FeedbackCategory.CONDUCT, "反映该同志在村级道路项目验收中把关不严，请组织核实。"),
    (FeedbackCategory.INTEGRITY, "听说该同志亲属承包了镇里的绿化工程，是否存在利益关联？"),
    (FeedbackCategory.PERFORMANCE, "该同志在古城开发拆迁工作中表现突出，群众评价很好，支持任用。"),
    (FeedbackCategory.QUALIFICATION, "该同志档案中的参加工作时间与本人简历不一致，请核对。"),
    (FeedbackCategory.PROCEDURE, "请问本次推荐的范围和参加人数是多少？"),
]
REPLIES = [
    "经组织部会同纪委监委核查，项目验收由镇、县两级共同组织，该同志履行了相应职责，反映问题不属实。",
    "经核查，该同志亲属未承包相关工程，反映问题不属实。感谢您的监督。",
    "感谢您的意见，已转考察组参考。",
    "经查阅干部档案，参加工作时间以档案认定为准，已与本人核对一致。",
    "本次会议推荐范围为镇领导班子成员、机关中层干部和村党组织书记，共 86 人参加，详见推荐公告。",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _free_posts(exclude_ids=()):
    qs = (Post.objects.filter(is_active=True, kind=PostKind.LEADERSHIP)
          .annotate(filled=Count("holdings", filter=Q(holdings__end__isnull=True)))
          .select_related("org_unit", "rank").order_by("org_unit__path", "id"))
    try:
        from gongxin.cases.models import CasePost

        exclude_ids = set(exclude_ids) | set(CasePost.objects.values_list("post_id", flat=True))
    except ImportError:
        pass
    return [p for p in qs if p.filled < p.headcount and p.pk not in exclude_ids]


def _candidate_for(ctx, rng, post, used: set[int]):
    """An active cadre one step below ``post`` (a promotion), aged 45 or less, whom the
    eligibility engine lets into the post."""
    from gongxin.cases.models import Candidate

    used |= set(Candidate.objects.values_list("cadre_id", flat=True))
    level = post.rank.level
    pool = list(Cadre.objects.filter(status="active", rank__level__lt=level, rank__level__gte=level - 10,
                                     birth_date__gte=ctx.today.replace(year=ctx.today.year - 45, day=1))
                .exclude(pk__in=used).select_related("rank", "org_unit").order_by("id")[:400])
    rng.shuffle(pool)
    rule_set = rule_set_in_force(on=ctx.today)
    for cadre in pool:
        if core.passed(evaluate_cadre(cadre, post, rule_set=rule_set, on=ctx.today)):
            used.add(cadre.pk)
            return cadre
    return None


def _case_notice(ctx, clerk, title, pairs, *, motion, decided, start):
    """A selection case for ``pairs`` carried to its published pre-appointment notice."""
    county = ctx.data.get("county") or ctx.data.get("root")
    case = run_case_to_publicity(
        acting_user=clerk, title=title, org_unit=county, posts=[post for _c, post in pairs],
        candidates_with_channels=[Nominee(cadre, "performance", post=post,
                                          evidence={"note": "组织推荐：近三年年度考核称职以上，实绩突出"})
                                  for cadre, post in pairs],
        motion_date=motion, decided_on=decided, publicity_start=start, members=decision_members(ctx),
        reviewers=ctx.data.get("reviewers"))
    return case, Notice.objects.get(case_id=case.pk, kind=NoticeKind.PRE_APPOINTMENT)


def build(ctx) -> None:
    data = ctx.data
    clerk = data.get("clerk") or ctx.admin
    rng = ctx.rng_for("publicity")
    if not (data.get("county") or data.get("root")):
        ctx.log("publicity: no units, nothing to do")
        return
    today = ctx.today

    # Drafts the cases demo left at the publicity stage: published three days ago.
    from gongxin.cases.models import Case

    for notice in Notice.objects.filter(status=NoticeStatus.DRAFT, kind=NoticeKind.PRE_APPOINTMENT,
                                        case_id__isnull=False):
        publish_publicity(Case.objects.get(pk=notice.case_id), acting_user=clerk, start=today - dt.timedelta(days=3))

    posts = sorted((p for p in _free_posts() if p.rank.level >= 20), key=lambda p: (-p.rank.level, p.pk))
    used: set[int] = set()
    if len(posts) < 9:
        ctx.stop("publicity", "the notices", f"only {len(posts)} free leadership posts")

    def pairs_for(k):
        pairs = []
        while posts and len(pairs) < k:
            post = posts.pop(0)
            cadre = _candidate_for(ctx, rng, post, used)
            if cadre:
                pairs.append((cadre, post))
        return pairs

    made = {"notices": 0, "feedback": 0, "appointments": 0}

    def step(what, fn):
        try:
            fn()
        except DomainError as exc:
            ctx.stop("publicity", what, f"{exc.message} {exc.details.get('blockers', '')}".strip())

    # 1. In its period today, with open and answered feedback.
    def live():
        pairs = pairs_for(4)
        _case, notice = _case_notice(ctx, clerk, f"{ctx.on(11, 17).year}年县管领导干部选任（第三批）",
                                     pairs, motion=ctx.on(10, 9), decided=ctx.on(11, 13), start=ctx.on(11, 17))
        entries = list(notice.entries.order_by("position"))
        for i, (category, text) in enumerate(FEEDBACK):
            fb = actions.submit_feedback(notice=notice, entry=entries[i % len(entries)] if i != 4 else None,
                                         category=category, text=text, received_at=_at(ctx.on(11, 17 + i % 3), 10 + i),
                                         contact_name="" if i % 2 else "王先生", contact="" if i % 2 else "电话 139****1234")
            made["feedback"] += 1
            if i in (2, 4):
                actions.reply_feedback(acting_user=clerk, feedback=fb, reply=REPLIES[i], resolve=True)
            elif i == 1:
                actions.assign_feedback(acting_user=clerk, feedback=fb, assignee=clerk)
        made["notices"] += 1

    # 2. A year ago: finished, appointed; the probations end within a month.
    def old():
        pairs = pairs_for(2)
        case, _notice = _case_notice(ctx, clerk, f"{ctx.on(12, 1, 2025).year}年县管领导干部选任（第四批）",
                                     pairs, motion=ctx.on(10, 20, 2025), decided=ctx.on(11, 25, 2025),
                                     start=ctx.on(12, 1, 2025))
        case = finish_case(case, acting_user=clerk, appointed_on=ctx.on(12, 20, 2025))
        made["appointments"] += case.candidates.filter(status="appointed").count()
        made["notices"] += 1

    # 3. Last month: publicity over, every feedback item answered, people appointed on probation.
    def done():
        pairs = pairs_for(3)
        case, notice = _case_notice(ctx, clerk, f"{ctx.on(10, 26).year}年县管领导干部选任（第二批）",
                                    pairs, motion=ctx.on(9, 7), decided=ctx.on(10, 22), start=ctx.on(10, 26))
        entries = list(notice.entries.order_by("position"))
        for i, (category, text) in enumerate(FEEDBACK[:3]):
            fb = actions.submit_feedback(notice=notice, entry=entries[i % len(entries)] if i != 2 else None,
                                         category=category, text=text, contact="" if i % 2 else "138****5678",
                                         received_at=_at(ctx.on(10, 27 + i), 9 + i))
            actions.reply_feedback(acting_user=clerk, feedback=fb, reply=REPLIES[i], finding="走访核实、查阅档案。",
                                   resolve=True)
            made["feedback"] += 1
        case = finish_case(case, acting_user=clerk, appointed_on=ctx.on(11, 6))
        made["appointments"] += case.candidates.filter(status="appointed").count()
        made["notices"] += 1

    step("the notice in its period", live)
    step("the notice of a year ago", old)
    step("last month's notice", done)
    data["publicity"] = made
    ctx.built("publicity", f"{made['notices']} 份任前公示（均来自选任案件），{made['feedback']} 条群众反馈，"
                           f"公示期满后 {made['appointments']} 人任职")


def catch_up(ctx) -> None:
    """Close the notices a county running the worker would have closed by today, each on the day
    it closed (the day after its period, or the day its last feedback item was answered if that
    came later); notices whose feedback is still open stay published (closing.py)."""
    from django.db.models import Max

    from gongxin.core.demo import as_on

    from . import closing

    closed = 0
    due = closing.due(ctx.today).annotate(last_answer=Max("feedback__resolved_at")).order_by("period_end", "pk")
    for notice in list(due):
        day = notice.period_end + dt.timedelta(days=1)
        if notice.last_answer is not None:
            from django.utils import timezone

            day = max(day, timezone.localdate(notice.last_answer))
        day = min(day, ctx.today)
        with as_on(day):
            actions.close_notice(acting_user=None, notice=notice, today=day, automatic=True)
        closed += 1
    if closed:
        ctx.log(f"定时任务补办（公示）：{closed} 份公示期满、反馈均已办结的公告由系统在期满次日自动结束")
