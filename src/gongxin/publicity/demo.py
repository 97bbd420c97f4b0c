"""Demo notices (ctx.today is 20 November 2026): one pre-appointment notice still in its
period with open feedback, one finished with every item answered and its people appointed
on probation, an older one whose probations end soon, a vacancy notice and exam results.
Drafts that the cases demo left at the publicity stage are published."""

import datetime as dt

from django.db.models import Count, Q

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


def _candidates(ctx, rng, level_below: int, n: int, used: set[int]):
    """``n`` active cadres one step below ``level_below`` (a promotion), aged 45 or less."""
    try:
        from gongxin.cases.models import Candidate

        used |= set(Candidate.objects.values_list("cadre_id", flat=True))
    except ImportError:
        pass
    pool = list(Cadre.objects.filter(status="active", rank__level__lt=level_below, rank__level__gte=level_below - 10,
                                     birth_date__gte=dt.date(ctx.year - 45, 1, 1))
                .exclude(pk__in=used).select_related("rank", "org_unit").order_by("id")[:400])
    rng.shuffle(pool)
    picked = pool[:n]
    used |= {c.pk for c in picked}
    return picked


def _publish_as_of(day, **kwargs):
    """The demo's history: publish as the clerk did on ``day`` (publish_notice refuses a start
    before the day it runs, so past notices are published as on their own day)."""
    from unittest import mock

    with mock.patch.object(actions, "_today", return_value=day):
        return actions.publish_notice(start=day, **kwargs)


def _notice_with_people(ctx, clerk, title, unit, pairs, start, name_order="surname"):
    notice = actions.create_notice(
        acting_user=clerk, kind=NoticeKind.PRE_APPOINTMENT, title=title, org_unit=unit, name_order=name_order,
        body="经县委常委会研究，拟任用以下同志。现予公示，公示期间对公示对象有意见的，可通过本平台反映，"
             "也可来信、来电、来访。反映问题要实事求是，以真实姓名反映的优先核查。",
        contact="县委组织部干部监督室，电话 0543-5321234，惠民县政府大院 3 号楼 205 室")
    for cadre, post in pairs:
        actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cadre, post=post)
    return _publish_as_of(start, acting_user=clerk, notice=notice)


def build(ctx) -> None:
    data = ctx.data
    clerk = data.get("clerk") or ctx.admin
    rng = ctx.rng_for("publicity")
    county = data.get("county") or data.get("root")
    if county is None:
        from gongxin.people.models import OrgUnit

        county = OrgUnit.objects.filter(parent__isnull=True).first()
    if county is None:
        ctx.log("publicity: no units, nothing to do")
        return
    today = ctx.today

    # Drafts the cases demo left at the publicity stage: publish them three days ago.
    for notice in Notice.objects.filter(status=NoticeStatus.DRAFT, kind=NoticeKind.PRE_APPOINTMENT,
                                        case_id__isnull=False):
        _publish_as_of(today - dt.timedelta(days=3), acting_user=clerk, notice=notice)

    posts = sorted((p for p in _free_posts() if p.rank.level >= 20), key=lambda p: (-p.rank.level, p.pk))
    used: set[int] = set()
    if len(posts) < 9:
        ctx.log(f"publicity: only {len(posts)} free leadership posts; demo notices shortened")

    def pairs_for(k):
        pairs = []
        while posts and len(pairs) < k:
            post = posts.pop(0)
            people = _candidates(ctx, rng, post.rank.level, 1, used)
            if people:
                pairs.append((people[0], post))
        return pairs

    made = {"notices": 0, "feedback": 0, "appointments": 0}

    # 1. November 2026: in its period on ctx.today, with open and answered feedback.
    live_pairs = pairs_for(4)
    if live_pairs:
        live = _notice_with_people(ctx, clerk, "2026年11月县管领导干部任前公示", county, live_pairs,
                                   dt.date(2026, 11, 17), name_order="full_name")
        entries = list(live.entries.order_by("position"))
        for i, (category, text) in enumerate(FEEDBACK):
            fb = actions.submit_feedback(notice=live, entry=entries[i % len(entries)] if i != 4 else None,
                                         category=category, text=text, received_at=_at(dt.date(2026, 11, 17 + i % 4), 10 + i),
                                         contact_name="" if i % 2 else "王先生", contact="" if i % 2 else "电话 139****1234")
            made["feedback"] += 1
            if i in (2, 4):
                actions.reply_feedback(acting_user=clerk, feedback=fb, reply=REPLIES[i], resolve=True)
            elif i == 1:
                actions.assign_feedback(acting_user=clerk, feedback=fb, assignee=clerk)
        made["notices"] += 1

    # 2. December 2025: finished, appointed; probation ends in December 2026 (ending soon).
    old_pairs = pairs_for(2)
    if old_pairs:
        old = _notice_with_people(ctx, clerk, "2025年12月县管领导干部任前公示", county, old_pairs, dt.date(2025, 12, 1))
        actions.close_notice(acting_user=clerk, notice=old, today=dt.date(2025, 12, 10))
        for cadre, post in old_pairs:
            try:
                actions.appoint(acting_user=clerk, cadre=cadre, post=post, start=dt.date(2025, 12, 20), notice=old,
                                document_number="惠组任〔2025〕31号", today=dt.date(2025, 12, 20))
                made["appointments"] += 1
            except DomainError as exc:
                ctx.log(f"publicity: appointment skipped: {exc.message}")
        made["notices"] += 1

    # 3. October 2026: publicity over, feedback answered, people appointed on probation.
    done_pairs = pairs_for(3)
    if done_pairs:
        done = _notice_with_people(ctx, clerk, "2026年10月县管领导干部任前公示", county, done_pairs, dt.date(2026, 10, 26))
        for i, (category, text) in enumerate(FEEDBACK[:3]):
            entry = done.entries.order_by("position")[i % done.entries.count()] if i != 2 else None
            fb = actions.submit_feedback(notice=done, entry=entry, category=category, text=text,
                                         contact="" if i % 2 else "138****5678",
                                         received_at=_at(dt.date(2026, 10, 27 + i), 9 + i))
            actions.reply_feedback(acting_user=clerk, feedback=fb, reply=REPLIES[i], finding="走访核实、查阅档案。",
                                   resolve=True)
            made["feedback"] += 1
        actions.close_notice(acting_user=clerk, notice=done, today=dt.date(2026, 11, 2))
        for cadre, post in done_pairs:
            try:
                actions.appoint(acting_user=clerk, cadre=cadre, post=post, start=dt.date(2026, 11, 6), notice=done,
                                document_number="惠组任〔2026〕27号", today=dt.date(2026, 11, 6))
                made["appointments"] += 1
            except DomainError as exc:
                ctx.log(f"publicity: appointment skipped: {exc.message}")
        made["notices"] += 1
        appointed = actions.create_notice(acting_user=clerk, kind=NoticeKind.APPOINTMENT, org_unit=county,
                                          title="关于2026年10月任前公示人员任职的通知",
                                          body="经县委研究决定，任前公示期满无异议的同志已按程序任职，试用期一年。")
        for cadre, post in done_pairs:
            actions.add_notice_entry(acting_user=clerk, notice=appointed, cadre=cadre, post=post)
        _publish_as_of(dt.date(2026, 11, 6), acting_user=clerk, notice=appointed)
        made["notices"] += 1

    # 4. A vacancy notice and exam results (no period; published).
    vacancy = actions.create_notice(
        acting_user=clerk, kind=NoticeKind.VACANCY, org_unit=county, title="2026年乡镇领导职位空缺及自荐公告",
        body="因工作需要，现有乡镇党委书记、乡镇长职位空缺。符合任职条件的干部可于 2026 年 12 月 5 日前自荐报名，"
             "须具有大专以上学历、5 年以上工作经历和 2 年以上基层工作经历。")
    _publish_as_of(dt.date(2026, 11, 16), acting_user=clerk, notice=vacancy)
    exam = actions.create_notice(acting_user=clerk, kind=NoticeKind.EXAM_RESULTS, org_unit=county,
                                 title="2026年公开选拔副科级领导干部笔试成绩公告", name_order="full_name",
                                 body="笔试成绩现予公布，按姓名笔画排序。对成绩有疑问的，可在公告之日起 3 个工作日内申请复核。")
    for cadre in _candidates(ctx, rng, 20, 8, used):
        actions.add_notice_entry(acting_user=clerk, notice=exam, cadre=cadre, proposed_post="",
                                 extra=f"笔试成绩 {rng.randint(620, 920) / 10:.1f} 分")
    _publish_as_of(dt.date(2026, 9, 14), acting_user=clerk, notice=exam)
    actions.close_notice(acting_user=clerk, notice=exam, today=today)
    made["notices"] += 2
    data["publicity"] = made
    ctx.log(f"publicity: {made['notices']} notices, {made['feedback']} feedback items, "
            f"{made['appointments']} appointments")
