"""Demo cases at every stage (DOMAIN §7): the open-nomination case the meetings demo fills,
and one case each at motion, nomination (with a vacancy notice open for self-nomination),
candidates, inspection, decision, publicity, appointment and closed, plus a suspended and a
withdrawn one. Later stages' guards (inspection, publicity) are satisfied through their own
actions, never bypassed."""

import datetime as dt
import secrets

from django.db.models import Count, Q
from django.utils import timezone

from gongxin.accounts.actions import create_account
from gongxin.core.errors import DomainError
from gongxin.people.models import Cadre, Post, PostKind

from . import actions
from . import eligibility as core
from .demo_flow import between, entered_on
from .facts import evaluate_cadre
from .models import CasePost, CaseStage, Channel
from .rules import rule_set_in_force

STAGES_WANTED = ["motion", "nomination", "candidates", "inspection", "decision", "publicity", "appointment", "closed"]


# ---- helpers also used by tests: satisfy the later stages' guards with real records -------------

def clear_inspection(candidate, *, acting_user, reviewers=None) -> None:
    """Joint review answered "clear" by every department and the four checks recorded, through
    the inspection app's actions (no-op without that app)."""
    try:
        from gongxin.inspection import actions as ia
        from gongxin.inspection import workflow as iw
        from gongxin.inspection.models import ReviewRequest
    except ImportError:
        return
    from gongxin.accounts.models import User

    reviewers = reviewers or {}
    today = timezone.localdate()
    if not ReviewRequest.objects.filter(candidate=candidate).exists():
        ia.send_review_requests(acting_user=acting_user, candidate=candidate, deadline=today + dt.timedelta(days=10))
    for request in ReviewRequest.objects.filter(candidate=candidate, answer="pending").select_related("department"):
        code = request.department.code
        officer = reviewers.get(code) or User.objects.filter(role="reviewer", review_department=code).first()
        if officer is None:
            officer = create_account(acting_user=acting_user, username=f"reviewer_{code}_auto",
                                     password=secrets.token_urlsafe(24), role="reviewer", data_scope="self",
                                     review_department=code, full_name=f"{request.department.name}经办人")
        ia.answer_review_request(acting_user=officer, request=request, answer="clear")
    done = set(candidate.four_checks.values_list("item", flat=True)) if hasattr(candidate, "four_checks") else set()
    for check in iw.FOUR_CHECKS:
        if check not in done:
            ia.record_check(acting_user=acting_user, candidate=candidate, check=check)
    _signed_report(candidate, acting_user=acting_user, today=today)


def _demo_team(acting_user, today):
    """Two certified inspectors for the cases demo's own inspections (R10, R11)."""
    from gongxin.accounts.models import User
    from gongxin.inspection import actions as ia
    from gongxin.inspection.models import InspectionTeam

    team = InspectionTeam.objects.filter(name="选任案件考察组").first()
    if team is not None:
        return team
    from gongxin.inspection.models import Certificate

    # The county's own certified inspectors when there are (the source's 30), else two of the
    # demo's inspector accounts certified here; a new account only where there is none.
    certified = list(User.objects.filter(pk__in=Certificate.objects.filter(
        revoked_at__isnull=True, issued__lte=today, expires__gte=today).values("user")).order_by("id")[:2])
    if len(certified) == 2:
        return ia.form_team(acting_user=acting_user, name="选任案件考察组", leader=certified[0], members=certified[1:])
    accounts = list(User.objects.filter(role="inspector", username__in=["inspector1", "inspector2"]).order_by("id"))
    session = ia.create_training_session(acting_user=acting_user, title="考察人员培训班（案件）",
                                         held_on=today - dt.timedelta(days=400))
    exam = ia.create_exam(acting_user=acting_user, title="考察资格考试（案件）", held_on=today - dt.timedelta(days=390))
    users = []
    for name in ("案件考察组长", "案件考察组员"):
        user = (accounts[len(users)] if len(accounts) == 2 else None) or User.objects.filter(
            username=f"case_{len(users)}_inspector").first() or create_account(
            acting_user=acting_user, username=f"case_{len(users)}_inspector", password=secrets.token_urlsafe(24),
            role="inspector", data_scope="self", full_name=name)
        ia.record_attendance(acting_user=acting_user, session=session, user=user)
        ia.record_exam_score(acting_user=acting_user, exam=exam, user=user, score=88)
        ia.issue_certificate(acting_user=acting_user, user=user, issued=today - dt.timedelta(days=380))
        users.append(user)
    return ia.form_team(acting_user=acting_user, name="选任案件考察组", leader=users[0], members=users[1:])


def _signed_report(candidate, *, acting_user, today) -> None:
    """R11: a signed inspection report before the decision (the circles kind)."""
    from gongxin.inspection import actions as ia
    from gongxin.inspection.models import Inspection

    if Inspection.objects.filter(candidate=candidate, status="signed").exists():
        return
    team = _demo_team(acting_user, today)
    inspection = ia.open_inspection(acting_user=acting_user, team=team, kind="circles", cadre=candidate.cadre,
                                    candidate=candidate, opened_on=today)
    ia.record_interview(acting_user=team.leader, inspection=inspection, interviewee="所在单位同事", category="colleague",
                        circle="work", place="单位会议室", held_on=today, summary="工作扎实，群众基础好。",
                        leaning="positive")
    ia.record_vote(acting_user=team.leader, inspection=inspection, held_on=today, excellent=20, competent=6)
    ia.save_report(acting_user=team.leader, inspection=inspection, morality="政治立场坚定。", ability="工作能力较强。",
                   diligence="工作勤勉。", achievement="完成各项任务。", integrity="未发现违反廉洁纪律问题。",
                   weaknesses="统筹经验有待积累。")
    ia.sign_report(acting_user=team.leader, inspection=inspection)


def publish_publicity(case, *, acting_user, start: dt.date) -> None:
    """Publish the case's pre-appointment notice from ``start``, as on that day (no-op without
    publicity)."""
    try:
        from gongxin.publicity import actions as pa
        from gongxin.publicity.models import Notice, NoticeStatus
    except ImportError:
        return
    from gongxin.core.demo import as_on

    for notice in Notice.objects.filter(case_id=case.pk, status=NoticeStatus.DRAFT):
        with as_on(min(start, timezone.localdate())):  # published on the day its period starts
            pa.publish_notice(acting_user=acting_user, notice=notice, start=start)


def hold_decision(case, *, acting_user, members, held_on, close=True, all_agree=False):
    """A decision meeting with one member absent (with a reason) when there are more than six;
    the first candidate gets every vote, the others a third of "defer" unless ``all_agree``."""
    meeting = actions.create_decision_meeting(acting_user=acting_user, case=case, title=f"县委常委会（{case.title}）",
                                              held_on=held_on, place="县委第一会议室", members=members)
    ms = list(meeting.members.all())
    present = ms[:-1] if len(ms) > 6 else ms
    actions.record_attendance(acting_user=acting_user, meeting=meeting, present=[m.pk for m in present],
                              absence_reasons={ms[-1].pk: "外出学习"} if len(ms) > 6 else {})
    recused = actions.recused_members(meeting, case.candidates.filter(status="active"))
    for i, cand in enumerate(case.candidates.filter(status="active").order_by("id")):
        choices = {}
        for j, m in enumerate(present):
            if m.pk in recused.get(cand.pk, {}):
                continue
            choices[m.pk] = "agree" if i == 0 or all_agree or j % 3 else "defer"
        actions.record_votes(acting_user=acting_user, meeting=meeting, candidate=cand, choices=choices)
    if close:
        actions.close_decision_meeting(acting_user=acting_user, meeting=meeting)
    return meeting


# ---- the demo ---------------------------------------------------------------------------------------

def _free_posts(reserved: set[int]):
    qs = (Post.objects.filter(is_active=True, kind=PostKind.LEADERSHIP, rank__level__in=[20, 30])
          .annotate(filled=Count("holdings", filter=Q(holdings__end__isnull=True)))
          .select_related("org_unit", "rank").order_by("-org_unit__path", "-id"))
    used = set(CasePost.objects.values_list("post_id", flat=True)) | reserved
    return [p for p in qs if p.filled < p.headcount and p.pk not in used]


def _pool_for(post, busy: set[int], rule_set, want: int, rng, on):
    from .models import Candidate

    busy = busy | set(Candidate.objects.values_list("cadre_id", flat=True))
    qs = (Cadre.objects.filter(status="active", rank__level__in=[post.rank.level - 10, post.rank.level])
          .exclude(pk__in=busy).select_related("rank", "org_unit").order_by("id")[:300])
    pool = list(qs)
    rng.shuffle(pool)
    good, bad = [], []
    for cadre in pool:
        ok = core.passed(evaluate_cadre(cadre, post, rule_set=rule_set, on=on))
        (good if ok else bad).append(cadre)
        if len(good) >= want and bad:
            break
    return good, bad


def build(ctx) -> None:
    data = ctx.data
    admin = data.get("clerk") or ctx.admin
    rng = ctx.rng_for("cases")
    if admin is None or not data.get("cadres"):
        ctx.log("cases: no people/accounts demo data, skipped")
        return
    root = data.get("root") or data.get("county")
    rule_set = rule_set_in_force(on=ctx.today)
    reserved = {p.pk for p in data.get("vacant_township_secretary_posts", [])[:2] + data.get(
        "vacant_township_head_posts", [])[:2]}
    voters = list(data.get("voters") or [])[:11]
    members = [{"name": u.display_name, "user": u, "cadre": u.cadre} for u in voters] or [
        {"name": c.name, "cadre": c} for c in data.get("county_leaders", [])[:11]]

    # 1. The source's open nomination: 2 township Party secretaries and 2 township heads.
    if len(reserved) == 4:
        posts = list(data["vacant_township_secretary_posts"][:2]) + list(data["vacant_township_head_posts"][:2])
        case = actions.open_case(acting_user=admin, title=f"{ctx.on(2, 10).year}年乡镇党政正职“海选”选拔", org_unit=root,
                                 posts=posts, channels=[Channel.OPEN_NOMINATION],
                                 motion_reason="2 个乡镇党委书记、2 个乡镇镇长职位空缺，经县委书记专题会议研究，采取“海选”方式推荐人选。",
                                 motion_date=ctx.on(2, 10))
        entered_on(case, ctx.on(2, 10))
        entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION), ctx.on(2, 10))
        data["open_nomination_case"] = case

    free = _free_posts(reserved)
    made = {}
    busy: set[int] = set()
    plan = [  # (stage, channel, title suffix, motion month)
        ("closed", Channel.PERFORMANCE, "（实绩提名，已办结）", 3),
        ("appointment", Channel.PERFORMANCE, "（实绩提名）", 5),  # reserve_direct cases: reserve/demo.py
        ("publicity", Channel.OPEN_NOMINATION, "（会议推荐）", 7),
        ("decision", Channel.PERFORMANCE, "（实绩提名）", 8),
        ("inspection", Channel.COMPETITIVE_POSTING, "（竞争上岗）", 9),
        ("candidates", Channel.PERFORMANCE, "（实绩提名，确定考察对象）", 10),
        ("nomination", Channel.SELF_NOMINATION, "（自荐）", 11),
        ("motion", Channel.PERFORMANCE, "", 11),
        ("suspended", Channel.PERFORMANCE, "（已暂停）", 6),
        ("withdrawn", Channel.OPEN_NOMINATION, "（已撤销）", 4),
    ]
    for stage, channel, suffix, month in plan:
        if not free:
            ctx.stop("cases", f"{stage} case", "no free post left")
            break
        post = free.pop()
        motion = ctx.on(month, 3)
        try:
            case = _one_case(ctx, admin, post, stage, channel, suffix, motion, members, rule_set, rng, busy)
        except DomainError as exc:
            ctx.stop("cases", f"the {stage} case", f"{exc.message} {exc.details.get('blockers', '')}".strip())
            continue
        case.refresh_from_db()
        made[stage] = case
    data["cases"] = made
    ctx.built("cases", f"{len(made) + (1 if len(reserved) == 4 else 0)} 个选任案件，"
              f"覆盖从动议到办结的每个阶段（另有暂停、撤销各 1 个）；"
              f"{sum(1 for c in made.values() if c.vacancy_notices.exists())} 份职位空缺公告接受自荐")


def _one_case(ctx, admin, post, stage, channel, suffix, motion, members, rule_set, rng, busy):
    title = f"{post}选任{suffix}"
    case = actions.open_case(acting_user=admin, title=title, org_unit=post.org_unit, posts=[post], channels=[channel],
                             motion_reason=f"{post}职位空缺，按干部管理权限启动选任程序。", motion_date=motion)
    entered_on(case, motion)
    held = ctx.today - dt.timedelta(days=30) if stage in ("appointment", "closed") else ctx.today - dt.timedelta(days=2)
    appointed = ctx.today - dt.timedelta(days=10)
    if stage == "motion":
        return case
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION), motion)
    if stage == "withdrawn":
        return actions.withdraw_case(acting_user=admin, case=case, reason="机构改革，该职位调整，撤销本次选任。")
    good, bad = _pool_for(post, busy, rule_set, 2, rng, ctx.today)
    if stage == "nomination":
        actions.publish_vacancy_notice(acting_user=admin, case=case, post=post,
                                       qualifications="大学本科以上学历；具有 2 年以上副科级领导职务任职经历；近三年年度考核均为称职以上。",
                                       documents="自荐表、近三年年度考核登记表、学历学位证书复印件",
                                       deadline=ctx.today + dt.timedelta(days=14), requirements={"max_age": 45})
        return case
    nominees = good[:2] + bad[:1]
    evidence = {"recommended_on": (motion + dt.timedelta(days=10)).isoformat(), "note": "组织推荐"}
    for cadre in nominees:
        actions.add_candidate(acting_user=admin, case=case, cadre=cadre, channel=channel, post=post, evidence=evidence)
        busy.add(cadre.pk)
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CANDIDATES),
               between(motion, held, 0.25))
    if stage == "candidates":
        return case
    for cand in case.candidates.filter(eligibility_passed=False):
        actions.disqualify_candidate(acting_user=admin, candidate=cand, reason="资格审查未通过")
    if stage == "suspended":
        return actions.suspend_case(acting_user=admin, case=case, reason="收到反映考察对象问题的信访件，暂停程序待核查。")
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.INSPECTION),
               between(motion, held, 0.5))
    if stage == "inspection":
        return case
    reviewers = ctx.data.get("reviewers") or {}
    for cand in case.candidates.filter(status="active"):
        clear_inspection(cand, acting_user=admin, reviewers=reviewers)
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.DECISION),
               between(motion, held, 0.85))
    if stage == "decision":
        hold_decision(case, acting_user=admin, members=members, held_on=held, close=False)
        return case
    hold_decision(case, acting_user=admin, members=members, held_on=held)
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY),
               held + dt.timedelta(days=1))
    if stage == "publicity":
        return case  # the publicity demo publishes the draft notice
    publish_publicity(case, acting_user=admin, start=ctx.today - dt.timedelta(days=25))
    entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.APPOINTMENT), appointed)
    if stage == "appointment":
        return case
    for cand in case.candidates.filter(status="active"):
        actions.appoint_candidate(acting_user=admin, candidate=cand, start=appointed)
    return entered_on(actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CLOSED), appointed)

