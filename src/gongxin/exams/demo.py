"""The demo's exams (DOMAIN §3.5), built through the real actions; every figure printed is
counted from the data afterwards:

- public selection: last year's 10 section-level posts and this year's round for real vacant
  副科 leadership posts (the source's 15 where the county has them free, else fewer, said in the
  build line), cadres registering and screened by the engine, written and interview scores,
  rankings published;
- competitive posting in the units that have middle-level posts (7 opened in each), the unit's
  staff registering, ranked, the first of each post the candidate for inspection; and one
  further round for a unit's vacant middle posts;
- recruitment over three years: graduate posts and posts reserved for veterans, applicants
  from the online registration list (several per place), ranked, admitted at 1:1.

This year's public selection and the vacant-posts round are linked to cases: their candidates
for inspection enter the case through the exam and the case runs to appointment
(``demo_cases``). No one is appointed around a case.

Scores are drawn from a seeded stream; absences are marked as such (never zero)."""

import datetime as dt

from django.db.models import Count, Q

from gongxin.core.demo import as_on
from gongxin.people import idnumber
from gongxin.people.models import (
    AnnualGrade,
    Cadre,
    CadreStatus,
    OrgUnit,
    OrgUnitKind,
    Post,
    PostKind,
)

from . import actions, demo_cases
from .models import ExamChannel, Outcome, Registration, RegistrationStatus

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = "文华建国志强秀英桂兰明丽军平海燕晓东雪梅宇航子涵思远欣怡浩然"
REQUIREMENTS = {"max_age": 45, "min_education": "bachelor"}  # the public selection's announced conditions


def _score(rng, lo=45.0, hi=95.0, absent=0.03) -> int:
    if rng.random() < absent:
        return actions.ranking.ABSENT
    return int(round(rng.uniform(lo, hi), 1) * 100)


def _run(ctx, rng, clerk, exam, on: dt.date) -> None:
    """From registration closed to results published, as on ``on``."""
    with as_on(on):
        actions.close_registration(acting_user=clerk, exam=exam)
        if not exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exists():
            return
        actions.issue_admission_tickets(acting_user=clerk, exam=exam)
        regs = actions.scorable(exam, "written").values_list("pk", flat=True)
        actions.record_scores(acting_user=clerk, exam=exam, component="written",
                              scores={pk: _score(rng) for pk in regs})
        actions.rank_written(acting_user=clerk, exam=exam)
        regs = actions.scorable(exam, "interview").values_list("pk", flat=True)
        actions.record_scores(acting_user=clerk, exam=exam, component="interview",
                              scores={pk: _score(rng, 60, 95, 0.02) for pk in regs})
        actions.rank_final(acting_user=clerk, exam=exam)
        actions.publish_results(acting_user=clerk, exam=exam)


def _announce(clerk, on, **kw):
    with as_on(on):
        exam = actions.announce_exam(acting_user=clerk, registration_closes=on + dt.timedelta(days=15),
                                     written_on=on + dt.timedelta(days=30), **kw)
        return actions.publish_exam(acting_user=clerk, exam=exam)


def _register(exam, cadres, on):
    posts = list(exam.posts.all())
    n = 0
    with as_on(on):
        for i, cadre in enumerate(cadres):
            actions.register_cadre(acting_user=None, exam=exam, exam_post=posts[i % len(posts)], cadre=cadre)
            n += 1
    return n


def _register_matched(exam, cadres, on, per_post=5, fit=3):
    """Five applicants a post, at least three of whom the engine's preliminary check passes for
    that post (an applicant reads the post's conditions, R1's years at the grassroots and the
    Party membership a 书记 post asks for included): the county's draw then never leaves a post
    without anyone to rank. The rest are whoever is left, screened like everyone."""
    posts = list(exam.posts.select_related("post__rank"))
    left = list(cadres)
    pairs = []
    with as_on(on):
        for post in posts:
            chosen = []
            for c in list(left):
                if len(chosen) == fit:
                    break
                if actions._screen(Registration(exam=exam, exam_post=post, cadre=c, name=c.name, id_number=c.id_number,
                                                birth_date=c.birth_date, education=c.fulltime_education)):
                    chosen.append(c)
                    left.remove(c)
            pairs.extend((c, post) for c in chosen)
        for post in posts:
            extra = per_post - sum(1 for _c, p in pairs if p == post)
            pairs.extend((c, post) for c in left[:extra])
            left = left[extra:]
        for c, post in pairs:
            actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=c)
    return len(pairs)


def _public_selection(ctx, rng, clerk, root) -> tuple[list, list]:
    """Last year's 10 posts (titles only) and this year's round: the source's 15 posts where the
    county has that many vacant 副科 leadership posts free of other cases, else as many as it has,
    each a real post, the round linked to a case that appoints its winners."""
    out, rounds = [], []
    taken: set[int] = set()
    pool = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level=20).order_by("pk")[:400])
    rng.shuffle(pool)
    free = demo_cases.vacant_posts(PostKind.LEADERSHIP, rank__level=20)
    for label, wanted, on in (("去年", 10, ctx.on(4, 10) - dt.timedelta(days=365)), ("今年", 15, ctx.on(4, 10))):
        title = f"{on.year}年公开选拔科级领导干部公告"
        case, posts = None, [{"code": f"{i + 1:02d}", "title": f"乡镇副职领导干部（{i + 1:02d}）", "count": 1}
                             for i in range(wanted)]
        if label == "今年" and free:
            real = free[:wanted]
            posts = [{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                     for i, p in enumerate(real)]
            case = demo_cases.open_linked_case(
                clerk=clerk, title=f"{on.year}年公开选拔科级领导干部", org_unit=root, posts=real,
                channel=ExamChannel.PUBLIC_SELECTION, motion=on - dt.timedelta(days=10),
                reason=f"{len(real)} 个副科级领导职位空缺，经县委研究，面向全县公开选拔。")
        busy = demo_cases.busy_cadres()
        people = [c for c in pool if c.pk not in taken and c.pk not in busy]
        if case is not None:  # five applicants a post, each meeting the announced age and education
            day = on + dt.timedelta(days=3)
            people = [c for c in people if demo_cases.meets_published_conditions(c, day, **REQUIREMENTS)]
            # the county's data already holds the grades of the exam's own year, which the case's
            # decision re-checks months later: who will be graded 基本称职 or lower stays out
            later = set(AnnualGrade.objects.filter(year__gte=on.year, grade__in=["basically_competent", "incompetent"])
                        .values_list("cadre_id", flat=True))
            people = [c for c in people if c.pk not in later]
        else:
            people = people[: len(posts) * 4]
        taken.update(c.pk for c in people)
        exam = _announce(clerk, on, channel=ExamChannel.PUBLIC_SELECTION, org_unit=root, title=title, posts=posts,
                         qualifications="现任副科级领导职务或一级主任科员以上；大学本科以上学历；45 周岁以下。",
                         requirements=REQUIREMENTS, case=case,
                         inspection_ratio=demo_cases.INSPECTION_RATIO if case is not None else None)
        if case is not None:
            _register_matched(exam, people, on + dt.timedelta(days=3))
        else:
            _register(exam, people, on + dt.timedelta(days=3))
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=40))
        out.append((label, exam))
        if case is not None:
            rounds.append(demo_cases.Round(exam, case))
    return out, rounds


POSTING_UNITS, POSTING_POSTS = 8, 7  # the source's 8 units and 56 posts (7 a unit)


def _competitive_posting(ctx, rng, clerk) -> tuple[list, list]:
    """The 8 units with the most middle-level posts open up to 7 each in June (all they have
    when fewer: the county's units have 4 to 8 middle posts, so the 8 open fewer than the
    source's 56, said in the build line); the unit with vacant middle posts holds a further
    round for those posts in July, linked to a case that appoints."""
    middle = (Post.objects.filter(kind=PostKind.MIDDLE, is_active=True)
              .values("org_unit__parent").annotate(n=Count("pk")).order_by("-n", "org_unit__parent"))
    units = list(OrgUnit.objects.filter(pk__in=[m["org_unit__parent"] for m in middle[:POSTING_UNITS]]).order_by("path"))
    case_unit, vacant, applicants = demo_cases.middle_round_unit(ctx, _staff)
    kept = {p.pk for p in vacant}
    exams = []
    on = ctx.on(6, 1)
    for unit in units:
        posts = list(Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__parent=unit)
                     .exclude(pk__in=kept).select_related("org_unit").order_by("pk")[:POSTING_POSTS])
        exam = _announce(clerk, on, channel=ExamChannel.COMPETITIVE_POSTING, org_unit=unit,
                         title=f"{unit.name}{on.year}年中层岗位竞争上岗公告",
                         posts=[{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                                for i, p in enumerate(posts)],
                         qualifications="本单位在职在编人员；大学专科以上学历。")
        _register(exam, _staff(unit)[: len(posts) * 3], on + dt.timedelta(days=2))
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=35))
        exams.append(exam)
    rounds = []
    if case_unit is not None:
        on = ctx.on(7, 1)
        case = demo_cases.open_linked_case(
            clerk=clerk, title=f"{case_unit.name}{on.year}年空缺中层岗位竞争上岗", org_unit=case_unit, posts=vacant,
            channel=ExamChannel.COMPETITIVE_POSTING, motion=on - dt.timedelta(days=7),
            reason=f"本单位 {len(vacant)} 个中层岗位空缺，经党组研究，在本单位实行竞争上岗。")
        exam = _announce(clerk, on, channel=ExamChannel.COMPETITIVE_POSTING, org_unit=case_unit,
                         title=f"{case_unit.name}{on.year}年空缺中层岗位竞争上岗公告",
                         posts=[{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                                for i, p in enumerate(vacant)],
                         qualifications="本单位在职在编人员；大学专科以上学历。", case=case,
                         inspection_ratio=demo_cases.INSPECTION_RATIO)
        _register(exam, applicants[: len(vacant) * 6], on + dt.timedelta(days=2))
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=35))
        exams.append(exam)
        rounds.append(demo_cases.Round(exam, case))
    return exams, rounds


VILLAGE_PLACES = (3, 3, 3, 2)  # the source's 11 village cadres into the offices of 4 townships


def _village_to_township(ctx, rng, clerk, root) -> list:
    """The source's 11 outstanding village cadres into the offices of 4 townships: the townships
    with the most free staff places (科员) in their offices, one case for those places, one exam
    for serving village cadres (the EXM/village rule row's years and grades screen them), its
    candidates for inspection into the case, which appoints."""
    towns = []
    for town in OrgUnit.objects.filter(kind=OrgUnitKind.TOWNSHIP).exclude(name__endswith="街道").order_by("path"):
        free = demo_cases.vacant_posts(PostKind.STAFF, org_unit__parent=town, org_unit__kind=OrgUnitKind.SECTION)
        places = sum(p.headcount - p.filled for p in free)
        towns.append((places, town, free))
    towns.sort(key=lambda t: (-t[0], t[1].path))
    posts = []
    for want, (_have, _town, free) in zip(VILLAGE_PLACES, towns, strict=False):
        for p in free:
            n = min(want, p.headcount - p.filled)
            if n > 0:
                posts.append((p, n))
                want -= n
    if not posts:
        ctx.stop("exams", "village cadres into township offices", "no township office has a free staff place")
        return []
    on = ctx.on(5, 10)
    places = sum(n for _p, n in posts)
    n_towns = len({p.org_unit.parent_id for p, _n in posts})
    case = demo_cases.open_linked_case(
        clerk=clerk, title=f"{on.year}年选聘优秀村干部进入乡镇机关", org_unit=root, posts=posts,
        channel=ExamChannel.VILLAGE_TO_TOWNSHIP, motion=on - dt.timedelta(days=10),
        reason=f"{n_towns} 个乡镇机关有 {places} 个空缺编制，经县委研究，从优秀村干部中竞争选聘。")
    exam = _announce(clerk, on, channel=ExamChannel.VILLAGE_TO_TOWNSHIP, org_unit=root,
                     title=f"{on.year}年面向优秀村干部考试选聘乡镇机关工作人员公告", case=case,
                     posts=[{"post": p, "code": f"{i + 1:02d}", "count": n, "title": f"{p.org_unit.name}{p.title}"}
                            for i, (p, n) in enumerate(posts)],
                     qualifications="现任村（社区）干部；连续任职满 3 年；近 3 年年度考核均为称职以上。",
                     inspection_ratio=demo_cases.INSPECTION_RATIO)
    busy = demo_cases.busy_cadres()
    people = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, org_unit__kind=OrgUnitKind.VILLAGE)
                  .exclude(pk__in=busy).order_by("pk"))
    rng.shuffle(people)
    _register(exam, people[: places * 4], on + dt.timedelta(days=3))
    _run(ctx, rng, clerk, exam, on + dt.timedelta(days=40))
    return [demo_cases.Round(exam, case)]


def _staff(unit) -> list:
    return list(Cadre.objects.filter(Q(org_unit=unit) | Q(org_unit__parent=unit, org_unit__kind=OrgUnitKind.SECTION),
                                     status=CadreStatus.ACTIVE).select_related("rank").order_by("pk"))


# Recruitment's admissions a year in the source's county (2,000 cadres): 500-odd graduates and
# 200-odd veterans over three years; a smaller county admits in proportion.
RECRUITS = ((2, 170, 66), (1, 166, 67), (0, 168, 67))
GRADUATE_POSTS, VETERAN_POSTS = 40, 14


def _recruitment(ctx, rng, clerk, root) -> list:
    """Three years of open recruitment, each into the staff posts (科员) of the county's sections
    in turn: the year's plan approves the places (the post's headcount raised to take them, an
    action with its event), the applicants come from the online registration list (several a
    place), are ranked, and the top of each post is admitted (录用): a new cadre record holding
    the post on probation."""
    from gongxin.people import actions as people_actions

    scale = ctx.cadres_wanted / 2000
    from gongxin.cases.models import CasePost

    staff_posts = list(Post.objects.filter(kind=PostKind.STAFF, is_active=True, org_unit__kind=OrgUnitKind.SECTION)
                       .exclude(pk__in=CasePost.objects.values("post_id"))  # a case's places are the case's
                       .select_related("org_unit", "rank").order_by("org_unit__path", "pk"))
    exams = []
    turn = 0
    for years_ago, graduates, veterans in RECRUITS:
        on = ctx.on(3, 1) - dt.timedelta(days=365 * years_ago)
        graduates, veterans = round(graduates * scale), round(veterans * scale)
        places = [(n, False) for n in _split(graduates, GRADUATE_POSTS)] + [(n, True) for n in _split(veterans, VETERAN_POSTS)]
        posts = []
        with as_on(on - dt.timedelta(days=20)):
            for i, (n, veterans_only) in enumerate(p for p in places if p[0]):
                post = staff_posts[turn % len(staff_posts)]
                turn += 1
                held = post.holdings.filter(end__isnull=True).count()
                if post.headcount < held + n:
                    post = people_actions.update_post(acting_user=clerk, post=post, headcount=held + n)
                posts.append({"post": post, "code": f"{i + 1:02d}", "count": n, "veterans_only": veterans_only,
                              "title": f"{post.org_unit.name}综合岗" + ("（退役士兵）" if veterans_only else "")})
        exam = _announce(clerk, on, channel=ExamChannel.RECRUITMENT, org_unit=root,
                         title=f"{on.year}年考试录用机关工作人员公告", posts=posts,
                         qualifications="大学专科以上学历；35 周岁以下；定向岗位面向退役士兵。",
                         requirements={"max_age": 35, "min_education": "associate"})
        rows = []
        for p in exam.posts.all():
            for _ in range(p.count * 3 + rng.randrange(0, p.count + 1)):
                birth = dt.date(on.year - rng.randint(21, 34), rng.randint(1, 12), rng.randint(1, 28))
                rows.append({"exam_post": p, "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                             "id_number": idnumber.make(f"3716{rng.randrange(21, 27):02d}", birth,
                                                        rng.choice("MF"), rng),
                             "education": rng.choice(["associate", "bachelor", "bachelor", "master"]),
                             "is_veteran": p.veterans_only, "is_graduate": not p.veterans_only})
        with as_on(on + dt.timedelta(days=10)):
            actions.import_registrations(acting_user=clerk, exam=exam, rows=rows, source="网上报名系统导出名单")
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=45))
        day = on + dt.timedelta(days=90)
        with as_on(day):
            actions.admit_recruits(acting_user=clerk, exam=exam, start=day)
        exams.append(exam)
    return exams


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build(ctx) -> None:
    clerk = ctx.data.get("clerk") or ctx.admin
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if clerk is None or root is None:
        ctx.stop("exams", "the exams", "no people/accounts demo data")
        return
    rng = ctx.rng_for("exams")
    selection, sel_rounds = _public_selection(ctx, rng, clerk, root)
    posting, post_rounds = _competitive_posting(ctx, rng, clerk)
    village_rounds = _village_to_township(ctx, rng, clerk, root)
    recruitment = _recruitment(ctx, rng, clerk, root)
    appointed = _appoint(ctx, clerk, sel_rounds + post_rounds + village_rounds)
    # every figure below is counted from the rows just written
    sel = "、".join(f"{label}{exam.posts.count()}个职位（报名{exam.registrations.count()}人）" for label, exam in selection)
    rounds = [e for e in posting if e.case_id is None]  # the June rounds; the case's round is told by _appoint
    heads = sum(e.registrations.filter(outcome=Outcome.FOR_INSPECTION).count() for e in rounds)
    opened = sum(e.posts.count() for e in rounds)
    unit_ids = {e.org_unit_id for e in rounds}
    units = len(unit_ids)
    middle = Post.objects.filter(Q(org_unit__in=unit_ids) | Q(org_unit__parent__in=unit_ids), kind=PostKind.MIDDLE,
                                 is_active=True)
    held = middle.filter(holdings__end__isnull=True).distinct().count()
    why = (f"（这些单位共有中层岗位 {middle.count()} 个、在任 {held} 个，少于原县的 56 个；"
           f"在任岗位的人选不经案件调整，只有空缺岗位经案件任职）" if opened < 56 else "")
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
    ctx.built("exams", f"公开选拔 {sel}；竞争上岗 {units} 个单位拿出中层岗位 {opened} 个，"
                       f"确定人选 {heads} 人{why}；三年公开招录报名 {adm['pool']} 人，录用高校毕业生 {adm['grad']} 人、"
                       f"退役士兵 {adm['vet']} 人（均建立干部档案，试用期内任职）；{appointed}{village}")


def _appoint(ctx, clerk, rounds) -> str:
    """Each case-linked round's case carried to appointment; the words say how many were
    appointed through each channel (and why this year's public selection has fewer posts than
    the source's 15 when the county has fewer vacant 副科 posts)."""
    from gongxin.core.errors import DomainError

    parts = []
    for r in rounds:
        if r.case.candidates.filter(status="active").count() == 0:
            ctx.stop("exams", f"the case of {r.exam.title}", "the ranking sent no candidate for inspection")
            continue
        try:
            r.case = demo_cases.carry_to_appointment(ctx, clerk, r.case, decided_on=ctx.on(8, 20),
                                                     publicity_start=ctx.on(8, 24), appointed_on=ctx.on(9, 15))
        except DomainError as exc:
            ctx.stop("exams", f"the case of {r.exam.title}",
                     f"{exc.message} {exc.details.get('blockers', '')}".strip())
            continue
        parts.append(f"{r.exam.get_channel_display()}{r.exam.posts.count()}个职位经案件任职 {r.appointed} 人")
    if not parts:
        return "没有经考试渠道任职的案件"
    sel = next((r for r in rounds if r.exam.channel == ExamChannel.PUBLIC_SELECTION), None)
    note = ""
    if sel is not None and sel.exam.posts.count() < 15:
        note = f"（演示县可用的空缺副科领导职位只有 {sel.exam.posts.count()} 个，今年公开选拔按此缩减，原县为 15 个）"
    return "；".join(parts) + note
