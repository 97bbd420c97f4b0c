"""The demo year of inspection and joint review (DOMAIN §7), built through the real actions:

- 30 inspectors trained, examined and certified; 10 teams of three;
- the key projects 开发区建设, 古城开发, 孙子文化旅游节 with their people and dated performance
  records; 57 of those cadres under tracking inspection, of whom 16 are later promoted and 3
  get problem files;
- a case nominating six tracked cadres through the ``performance`` channel: one is
  disqualified after a circles inspection finds problems in the life circle, two fail joint
  review (审计局 and 信访局 find problems, substantiated), three pass every department and
  the four checks;
- a source-tracing inspection partly visited, and one accountability finding.

Nothing here types a figure in: ``queries.dashboard_figures`` counts them from the rows."""

import datetime as dt
import itertools
import secrets

from gongxin.accounts.actions import create_account
from gongxin.accounts.models import User
from gongxin.accounts.roles import DataScope, Role
from gongxin.cases import actions as case_actions
from gongxin.cases import eligibility as core
from gongxin.cases.demo_flow import entered_on
from gongxin.cases.facts import evaluate_cadre
from gongxin.cases.models import Candidate
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import DomainError
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, Post, PostHolding, PostKind, Rank

from . import actions, queries
from .models import ReviewDepartment, ReviewRequest

INSPECTORS = 30
TEAM_SIZE = 3
TRACKED_PER_PROJECT = 19  # 57 in all
PROMOTED = 16
PROJECTS = [
    ("开发区建设", (3, 1, 2025), "惠民经济开发区基础设施和招商引资，县委县政府年度一号工程。"),
    ("古城开发", (5, 1, 2025), "古城保护性开发：拆迁安置、街区修缮、文旅配套。"),
    ("孙子文化旅游节", (9, 1, 2025), "一年一届的孙子文化旅游节筹办、招商和安保。"),
]
RECORDS = [
    ("征地拆迁", "按期完成 %(n)d 户征收，无一起信访。"),
    ("招商引资", "引进项目 %(n)d 个，协议投资额 %(n)d 亿元。"),
    ("项目建设", "牵头推进 %(n)d 个子项目，均按节点完工。"),
    ("安全生产", "组织安全检查 %(n)d 次，整改隐患全部销号。"),
]
POSITIVE = [
    ("leader", "work", "工作有思路，敢担当，重点工程推进有力。"),
    ("colleague", "work", "团结同事，分工协作好，不推诿。"),
    ("subordinate", "work", "布置任务清楚，关心下属成长。"),
    ("retired_cadre", "social", "为人本分，老同志评价好。"),
    ("neighbour", "life", "邻里关系和睦，生活简朴。"),
    ("classmate", "social", "上学时就踏实肯干，同学中口碑好。"),
    ("dissenter", "work", "曾在拆迁补偿标准上与其争论，但认为其处理公道。"),
]
LIFE_NEGATIVE = [
    ("neighbour", "life", "经常深夜在小区棋牌室打牌，输赢较大。"),
    ("other", "life", "小区物业反映其多次以职务身份要求减免物业费。"),
    ("neighbour", "life", "家中常有工程老板出入，邻居议论较多。"),
]


def _ensure_inspectors(ctx) -> list[User]:
    users = list(ctx.data.get("inspectors") or [])
    n = len(users)
    for i in range(n + 1, INSPECTORS + 1):
        users.append(create_account(acting_user=ctx.admin, username=f"demo_inspector{i}",
                                    password=secrets.token_urlsafe(24), role=Role.INSPECTOR,
                                    data_scope=DataScope.SELF, full_name=f"考察人员{i}"))
    return users[:INSPECTORS]


def _certify(ctx, admin, users, rng):
    first = actions.create_training_session(acting_user=admin, title=f"{ctx.year}年考察人员培训班（第一期）",
                                            held_on=ctx.on(3, 9), hours=16)
    second = actions.create_training_session(acting_user=admin, title=f"{ctx.year}年考察人员培训班（第二期）",
                                             held_on=ctx.on(3, 10), hours=8)
    exam = actions.create_exam(acting_user=admin, title=f"{ctx.year}年考察资格考试", held_on=ctx.on(3, 13),
                               pass_mark=60)
    for user in users:
        actions.record_attendance(acting_user=admin, session=first, user=user)
        actions.record_attendance(acting_user=admin, session=second, user=user, attended=rng.random() > 0.1)
        actions.record_exam_score(acting_user=admin, exam=exam, user=user, score=rng.randint(66, 97))
        actions.issue_certificate(acting_user=admin, user=user, issued=ctx.on(3, 20))


def _project_pools(ctx) -> dict[str, list[Cadre]]:
    pools = ctx.data.get("key_project_cadres")
    if pools:
        return {name: list(cadres) for name, cadres in pools.items()}
    cadres = list(ctx.data.get("cadres") or Cadre.objects.order_by("id"))
    third = len(cadres) // 3
    return {name: cadres[i * third:(i + 1) * third] for i, (name, _s, _d) in enumerate(PROJECTS)}


def _eligible_pool(pool, used, since):
    """Active cadres with a rank who were not promoted since ``since`` already nor are candidates."""
    busy = set(Candidate.objects.values_list("cadre_id", flat=True))
    busy |= set(PostHolding.objects.filter(start__gte=since).values_list("cadre_id", flat=True))
    ids = [c.pk for c in pool if c.pk not in used and c.pk not in busy]
    return list(Cadre.objects.filter(pk__in=ids, status="active", rank__isnull=False, rank__level__lt=50)
                .select_related("rank", "org_unit").order_by("id"))


def _headquarters_post(admin, project, cadre, start):
    """Each key project's headquarters (指挥部) has deputy-commander posts one level above its
    best performers; promotions fill them, so the vacancies other demos rely on stay vacant."""
    rank = Rank.objects.filter(level__gt=cadre.rank.level, is_leadership=True).order_by("level").first()
    unit = project.org_unit or cadre.org_unit
    title = f"{project.name}指挥部专职副指挥长"
    post = Post.objects.filter(org_unit=unit, title__startswith=title, rank=rank).first()
    if post is None:
        title = title if not Post.objects.filter(org_unit=unit, title=title).exists() else f"{title}（{rank.name}）"
        return people_actions.create_post(acting_user=admin, org_unit=unit, title=title, rank=rank,
                                          kind=PostKind.LEADERSHIP)
    return people_actions.update_post(acting_user=admin, post=post, headcount=post.headcount + 1)


def _next_rank(cadre):
    return Rank.objects.filter(level__gt=cadre.rank.level, is_leadership=True).order_by("level").first()


def _promotable(cadre, project) -> bool:
    """Whether the eligibility engine lets ``cadre`` into the headquarters post one rank up
    (judged on the post as it would be made, unsaved: posts are made only for those promoted)."""
    rank = _next_rank(cadre)
    if rank is None:
        return False
    post = Post(org_unit=project.org_unit or cadre.org_unit, title=f"{project.name}指挥部专职副指挥长", rank=rank,
                kind=PostKind.LEADERSHIP)
    return core.passed(evaluate_cadre(cadre, post, rule_set=rule_set_in_force()))


def _promote_through_cases(ctx, admin, promoted) -> int:
    """The tracked cadres promoted after tracking, through one case per key project (R17 publicity
    included); returns how many were appointed."""
    from gongxin.cases.demo_flow import Nominee, decision_members, run_case_to_appointment

    by_project: dict = {}
    for cadre, project, inspection, team in promoted:
        by_project.setdefault(project.pk, (project, []))[1].append((cadre, inspection, team))
    appointed = 0
    for project, people in by_project.values():
        nominees, reports = [], {}
        for cadre, inspection, team in people:
            post = _headquarters_post(admin, project, cadre, ctx.on(8, 25))
            nominees.append(Nominee(cadre, "performance", post=post,
                                    evidence=actions.performance_evidence(cadre, None)))
            reports[cadre.pk] = (inspection, team)

        def inspect(candidate, reports=reports):
            inspection, team = reports[candidate.cadre_id]
            _sign(inspection, team.leader, ctx.on(9, 20))

        counts: dict = {}
        for n in nominees:
            counts[n.post.pk] = (n.post, counts.get(n.post.pk, (n.post, 0))[1] + 1)
        posts = list(counts.values())  # (post, places): one place per person promoted to it
        try:
            case = run_case_to_appointment(
                acting_user=admin, title=f"{project.name}一线干部跟踪考察后提拔", org_unit=posts[0][0].org_unit,
                posts=posts, candidates_with_channels=nominees, motion_date=ctx.on(8, 25),
                motion_reason=f"{project.name}指挥部专职副指挥长职位空缺，从跟踪考察的一线干部中选拔。",
                decided_on=ctx.on(9, 24), publicity_start=ctx.on(9, 25), appointed_on=ctx.on(10, 20),
                members=decision_members(ctx), reviewers=ctx.data.get("reviewers"), inspect=inspect)
        except DomainError as exc:
            ctx.stop("inspection", f"the promotion case of {project.name}",
                     f"{exc.message} {exc.details.get('blockers', '')}".strip())
            continue
        appointed += case.candidates.filter(status="appointed").count()
    if appointed != len(promoted):
        ctx.stop("inspection", "promotions after tracking", f"{appointed} of {len(promoted)} appointed")
    return appointed


def _interviews(inspection, user, day, rng, templates, n, names):
    for i in range(n):
        category, circle, summary = templates[i % len(templates)]
        actions.record_interview(acting_user=user, inspection=inspection, interviewee=rng.choice(names) + "同志",
                                 category=category, circle=circle, place="单位会议室" if circle == "work" else "走访地",
                                 held_on=day + dt.timedelta(days=i % 5), summary=summary,
                                 leaning="negative" if (circle == "life" and templates is LIFE_NEGATIVE) else "positive")


def _sign(inspection, leader, day, *, integrity="未发现违反廉洁纪律问题。", weaknesses="统筹全局的经验有待积累。",
          votes=(18, 9, 1, 0)):
    actions.record_vote(acting_user=leader, inspection=inspection, held_on=day, excellent=votes[0],
                        competent=votes[1], basically_competent=votes[2], incompetent=votes[3])
    actions.save_report(acting_user=leader, inspection=inspection, morality="政治立场坚定，对党忠诚。",
                        ability="熟悉经济工作，处理复杂问题能力较强。", diligence="工作勤勉，经常加班加点。",
                        achievement="重点工程各项节点任务均按期完成。", integrity=integrity, weaknesses=weaknesses)
    actions.sign_report(acting_user=leader, inspection=inspection)


def build(ctx) -> None:
    data = ctx.data
    admin = data.get("clerk") or ctx.admin
    rng = ctx.rng_for("inspection")
    year = ctx.year
    names = ["王建国", "李秀英", "张卫东", "刘海燕", "陈志强", "杨丽", "赵国庆", "孙红梅"]

    # Inspectors, certification, teams.
    inspectors = _ensure_inspectors(ctx)
    _certify(ctx, admin, inspectors, rng)
    teams = []
    for i in range(0, len(inspectors) - TEAM_SIZE + 1, TEAM_SIZE):
        group = inspectors[i:i + TEAM_SIZE]
        teams.append(actions.form_team(acting_user=admin, name=f"第{len(teams) + 1}考察组", leader=group[0],
                                       members=group[1:], on=ctx.on(3, 25)))

    # Key projects, members, performance records; 19 tracked per project.
    pools = _project_pools(ctx)
    project_units = data.get("key_project_units") or {}
    used: set[int] = set()
    tracked: list[tuple] = []  # (cadre, project, inspection, team)
    # The demo case's posts and the rule set, read once: nothing below opens a case or fills a
    # post before the case is opened (reading them per cadre was half the demo's build time).
    case_posts, rule_set = _case_posts(), rule_set_in_force()
    for p_index, (name, (s_month, s_day, s_year), description) in enumerate(PROJECTS):
        started = ctx.on(s_month, s_day, s_year)
        units = project_units.get(name) or []
        project = actions.create_key_project(acting_user=admin, name=name, started=started, description=description,
                                             org_unit=units[0] if units else None)
        pool = _eligible_pool(pools.get(name, []), used, ctx.on(1, 1))
        rng.shuffle(pool)
        # Three of each project's tracked cadres qualify for the performance case's 副科 posts,
        # whatever day the county was planned on (the case nominates six of them).
        fit = list(itertools.islice((c for c in pool if _fits_case(c, case_posts, rule_set)), 3))
        pool = fit + [c for c in pool if c not in fit]
        members = pool[:TRACKED_PER_PROJECT + 4]
        for m_index, cadre in enumerate(members):
            used.add(cadre.pk)
            role = "lead" if m_index == 0 else ("coordinating_head" if m_index <= 4 else "other")
            actions.add_project_member(acting_user=admin, project=project, cadre=cadre, role=role, joined=started)
            for r in range(rng.randint(1, 3)):
                title, text = RECORDS[(m_index + r) % len(RECORDS)]
                actions.add_performance_record(acting_user=admin, project=project, cadre=cadre,
                                               recorded_on=ctx.on(2 + 3 * r, 5 + m_index % 20),
                                               title=title, text=text % {"n": rng.randint(2, 30)})
        for t_index, cadre in enumerate(members[:TRACKED_PER_PROJECT]):
            team = teams[(p_index * TRACKED_PER_PROJECT + t_index) % len(teams)]
            opened = ctx.on(4, 1 + t_index % 20)
            inspection = actions.open_inspection(acting_user=admin, team=team, kind="tracking", cadre=cadre,
                                                 key_project=project, opened_on=opened)
            for month in (5, 7, 9):
                actions.add_tracking_record(acting_user=team.leader, inspection=inspection,
                                            observed_on=ctx.on(month, 10 + t_index % 15),
                                            text=f"{month}月跟踪：{rng.choice(RECORDS)[0]}工作按节点推进，群众反映良好。")
            _interviews(inspection, team.leader, ctx.on(6, 1), rng, POSITIVE, 2, names)
            tracked.append((cadre, project, inspection, team))


    # Six performance nominations in one case, from tracked cadres who are not promoted.
    rng.shuffle(tracked)
    eligible = _eligible_for_case(tracked, case_posts, rule_set, 6)
    nominees = eligible[:6] if len(eligible) >= 6 else tracked[:6]
    rest = [t for t in tracked if t not in nominees]
    promotable = [t for t in rest if _promotable(t[0], t[1])]
    promoted = promotable[:PROMOTED]
    rest = promoted + [t for t in rest if t not in promoted]
    complaint_only = rest[PROMOTED]
    case = _demo_case(ctx, admin, [n[0] for n in nominees])

    # 16 promotions after tracking: one selection case per key project, motion to appointment,
    # each candidate's tracking report signed at the inspection stage.
    appointed = _promote_through_cases(ctx, admin, promoted)

    # A complaint by letter, verified and not substantiated.
    letter = actions.intake_complaint(acting_user=admin, cadre=complaint_only[0], channel="letter",
                                      text="反映其在古城开发拆迁中优亲厚友。", source_ref=f"信{year}-017")
    actions.assign_problem(acting_user=admin, problem=letter, assignee=admin)
    actions.record_verification(acting_user=admin, problem=letter, text="调阅拆迁台账，走访被拆迁户 12 户。")
    actions.record_finding(acting_user=admin, problem=letter, finding="unsubstantiated",
                           text="补偿按统一标准执行，未发现优亲厚友。", found_on=ctx.on(8, 30))

    if case is not None:
        _review_case(ctx, admin, case, nominees, teams, rng, names)

    # Source tracing, two thirds visited, for the first promoted cadre's predecessor in the list.
    cadre, _project, _inspection, team = rest[PROMOTED + 1]
    tracing = actions.open_inspection(acting_user=admin, team=team, kind="source_tracing", cadre=cadre,
                                      opened_on=ctx.on(10, 12))
    places = list(tracing.places.all())
    for place in places[: (2 * len(places)) // 3]:
        actions.mark_place_visited(acting_user=team.leader, place=place, visited_on=ctx.on(10, 20),
                                   note="走访原单位同事和老领导。")

    # Accountability: one signed tracking report later found to have hidden a complaint.
    cadre, _project, inspection, team = promoted[-1]
    actions.record_report_finding(acting_user=admin, inspection=inspection, kind="hid",
                                  text="考察报告未反映该同志在原单位被群众反映的作风问题，考察组未按规定核实。",
                                  found_on=ctx.on(11, 10))
    data["inspection_case"] = case
    ctx.built("inspection", f"{len(inspectors)} 名考察人员经培训考试取得资格，编为 {len(teams)} 个考察组；"
                            f"{len(PROJECTS)} 个重点工程的 {len(tracked)} 名干部接受跟踪考察，其中 {appointed} 人"
                            f"经选任案件（含任前公示）提拔；一个实绩提名案件经两圈考察和联审")


def _case_posts():
    """Three 副科 leadership posts with room: a case never exceeds a post's headcount (R: issue 11)."""
    posts = (Post.objects.filter(kind=PostKind.LEADERSHIP, rank__level=20, is_active=True)
             .select_related("org_unit", "rank").order_by("org_unit__path", "id"))
    return list(itertools.islice((post for post in posts if not case_actions.headcount_overruns([post])), 3))


def _fits_case(cadre, posts, rule_set) -> bool:
    """Whether the eligibility engine lets ``cadre`` into every post of the demo case."""
    return bool(posts) and cadre.rank.level < posts[0].rank.level and all(
        core.passed(evaluate_cadre(cadre, post, rule_set=rule_set)) for post in posts)


def _eligible_for_case(tracked, posts, rule_set, wanted):
    """The first ``wanted`` tracked cadres whom the eligibility engine lets into the demo case's posts."""
    return list(itertools.islice((t for t in tracked if _fits_case(t[0], posts, rule_set)), wanted))


def _demo_case(ctx, admin, cadres):
    """A case with three 副科 posts; six tracked cadres nominated with their performance records."""
    posts = _case_posts()
    if len(posts) < 1:
        ctx.stop("inspection", "the performance nomination case", "no 副科 posts")
        return None
    try:
        case = case_actions.open_case(acting_user=admin, title=f"{ctx.year}年重点工程一线干部选拔（实绩提名）",
                                      org_unit=posts[0].org_unit.parent or posts[0].org_unit, posts=posts,
                                      channels=["performance"], motion_reason="从重点工程一线实绩突出的干部中选拔副科级领导干部。",
                                      motion_date=ctx.on(9, 1))
        entered_on(case, ctx.on(9, 1))
        entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage="nomination"), ctx.on(9, 1))
    except DomainError as exc:
        ctx.stop("inspection", "the performance nomination case", exc.message)
        return None
    for cadre in cadres:
        actions.nominate_from_performance(acting_user=admin, case=case, cadre=cadre)
    for stage, day in (("candidates", ctx.on(9, 15)), ("inspection", ctx.on(10, 9))):
        try:
            entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=stage), day)
        except DomainError as exc:
            case.refresh_from_db()
            ctx.stop("inspection", f"the performance nomination case (at {case.get_stage_display()})", exc.message)
            break
    return case


def _review_case(ctx, admin, case, nominees, teams, rng, names):
    reviewers = ctx.data.get("reviewers") or {}
    officers = {}
    for dept in ReviewDepartment.objects.filter(is_active=True):
        officers[dept.code] = reviewers.get(dept.code) or create_account(
            acting_user=admin, username=f"demo_reviewer_{dept.code}", password=secrets.token_urlsafe(24),
            role=Role.REVIEWER, data_scope=DataScope.SELF, review_department=dept.code, full_name=f"{dept.name}经办人")
    candidates = list(case.candidates.select_related("cadre").order_by("id"))
    by_cadre = {c.cadre_id: c for c in candidates}
    life_case, audit_case, petition_case = nominees[0], nominees[1], nominees[2]
    for cadre, _project, _inspection, team in nominees:
        candidate = by_cadre[cadre.pk]
        circles = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=cadre,
                                          candidate=candidate, opened_on=ctx.on(9, 15))
        if cadre is life_case[0]:
            _interviews(circles, team.leader, ctx.on(9, 18), rng, POSITIVE[:3], 3, names)
            _interviews(circles, team.leader, ctx.on(9, 22), rng, LIFE_NEGATIVE, 3, names)
            _sign(circles, team.leader, ctx.on(9, 28), votes=(6, 12, 8, 2),
                  integrity="生活圈走访中群众反映其有赌博行为、以职务身份谋取小额利益，已查实。",
                  weaknesses="八小时以外要求不严，生活作风方面群众反映集中。")
            case_actions.disqualify_candidate(acting_user=admin, candidate=candidate,
                                              reason="两圈考察中生活圈反映的赌博等问题经查属实，取消考察对象资格。")
            continue
        _interviews(circles, team.leader, ctx.on(9, 18), rng, POSITIVE, 5, names)
        _sign(circles, team.leader, ctx.on(9, 28))
        actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=ctx.on(10, 15),
                                     sent_on=ctx.on(10, 1))
        failing = {audit_case[0].pk: ("audit", "任职期间经手的专项资金存在违规拨付 36 万元。"),
                   petition_case[0].pk: ("petitions", "近两年有 3 件反映其违规插手工程招投标的实名举报。")}.get(cadre.pk)
        for request in ReviewRequest.objects.filter(candidate=candidate).select_related("department"):
            officer = officers[request.department.code]
            if failing and request.department.code == failing[0]:
                actions.answer_review_request(acting_user=officer, request=request, answer="problem", text=failing[1])
            else:
                actions.answer_review_request(acting_user=officer, request=request, answer="clear")
        if failing:
            problem = ReviewRequest.objects.get(candidate=candidate, department__code=failing[0]).problem_file
            actions.assign_problem(acting_user=admin, problem=problem, assignee=admin)
            actions.record_verification(acting_user=admin, problem=problem, text="会同纪委监委调查核实。")
            actions.record_finding(acting_user=admin, problem=problem, finding="substantiated",
                                   text=failing[1] + "经核查属实。", found_on=ctx.on(10, 25),
                                   remove_from_projects=True)
            case_actions.disqualify_candidate(acting_user=admin, candidate=candidate,
                                              reason="联审未通过：" + failing[1])
            continue
        for item in queries.required_checks(candidate):
            actions.record_check(acting_user=admin, candidate=candidate, check=item, done_on=ctx.on(10, 12))
