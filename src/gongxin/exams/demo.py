"""The demo's exams (DOMAIN §3.5), built through the real actions; every figure printed is
counted from the data afterwards:

- public selection: last year's 10 section-level posts and this year's 15, cadres registering
  and screened by the engine, written and interview scores, rankings published;
- competitive posting in 8 units that have middle-level posts: 7 posts opened in each (56),
  the unit's staff registering, ranked, the first of each post the candidate for inspection;
- recruitment over three years: graduate posts and posts reserved for veterans, applicants
  from the online registration list (several per place), ranked, admitted at 1:1.

Scores are drawn from a seeded stream; absences are marked as such (never zero). Appointments
of these people are not made here (every appointment in the demo goes through a case)."""

import datetime as dt

from django.db.models import Count, Q

from gongxin.core.demo import as_on
from gongxin.people import idnumber
from gongxin.people.models import Cadre, CadreStatus, OrgUnit, OrgUnitKind, Post, PostKind

from . import actions
from .models import ExamChannel, Outcome, RegistrationStatus

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = "文华建国志强秀英桂兰明丽军平海燕晓东雪梅宇航子涵思远欣怡浩然"


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


def _public_selection(ctx, rng, clerk, root) -> list[str]:
    out = []
    taken: set[int] = set()
    pool = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level=20).order_by("pk")[:400])
    rng.shuffle(pool)
    for label, posts, on in (("去年", 10, ctx.on(4, 10) - dt.timedelta(days=365)), ("今年", 15, ctx.on(4, 10))):
        exam = _announce(clerk, on, channel=ExamChannel.PUBLIC_SELECTION, org_unit=root,
                         title=f"{on.year}年公开选拔科级领导干部公告",
                         posts=[{"code": f"{i + 1:02d}", "title": f"乡镇副职领导干部（{i + 1:02d}）", "count": 1}
                                for i in range(posts)],
                         qualifications="现任副科级领导职务或一级主任科员以上；大学本科以上学历；45 周岁以下。",
                         requirements={"max_age": 45, "min_education": "bachelor"})
        people = [c for c in pool if c.pk not in taken][: posts * 4]
        taken.update(c.pk for c in people)
        _register(exam, people, on + dt.timedelta(days=3))
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=40))
        out.append((label, exam))
    return out


def _competitive_posting(ctx, rng, clerk) -> list:
    middle = (Post.objects.filter(kind=PostKind.MIDDLE, is_active=True)
              .values("org_unit__parent").annotate(n=Count("pk")).filter(n__gte=7).order_by("-n", "org_unit__parent"))
    units = list(OrgUnit.objects.filter(pk__in=[m["org_unit__parent"] for m in middle[:8]]).order_by("path"))
    exams = []
    on = ctx.on(6, 1)
    for unit in units:
        posts = list(Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__parent=unit)
                     .select_related("org_unit").order_by("pk")[:7])
        exam = _announce(clerk, on, channel=ExamChannel.COMPETITIVE_POSTING, org_unit=unit,
                         title=f"{unit.name}{on.year}年中层岗位竞争上岗公告",
                         posts=[{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                                for i, p in enumerate(posts)],
                         qualifications="本单位在职在编人员；大学专科以上学历。")
        staff = list(Cadre.objects.filter(Q(org_unit=unit) | Q(org_unit__parent=unit, org_unit__kind=OrgUnitKind.SECTION),
                                          status=CadreStatus.ACTIVE).order_by("pk")[:21])
        _register(exam, staff, on + dt.timedelta(days=2))
        _run(ctx, rng, clerk, exam, on + dt.timedelta(days=35))
        exams.append(exam)
    return exams


def _recruitment(ctx, rng, clerk, root) -> list:
    exams = []
    for years_ago, graduates, veterans in ((2, 170, 66), (1, 166, 67), (0, 168, 67)):
        on = ctx.on(3, 1) - dt.timedelta(days=365 * years_ago)
        posts = [{"code": f"{i + 1:02d}", "title": f"乡镇机关综合岗（{i + 1:02d}）", "count": n}
                 for i, n in enumerate(_split(graduates, 10))]
        posts += [{"code": f"{i + 11:02d}", "title": f"乡镇机关综合岗（退役士兵，{i + 1:02d}）", "count": n,
                   "veterans_only": True} for i, n in enumerate(_split(veterans, 4))]
        exam = _announce(clerk, on, channel=ExamChannel.RECRUITMENT, org_unit=root,
                         title=f"{on.year}年考试录用乡镇机关工作人员公告", posts=posts,
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
    selection = _public_selection(ctx, rng, clerk, root)
    posting = _competitive_posting(ctx, rng, clerk)
    recruitment = _recruitment(ctx, rng, clerk, root)
    # every figure below is counted from the rows just written
    sel = "、".join(f"{label}{exam.posts.count()}个职位（报名{exam.registrations.count()}人）" for label, exam in selection)
    heads = sum(e.registrations.filter(outcome=Outcome.FOR_INSPECTION).count() for e in posting)
    opened = sum(e.posts.count() for e in posting)
    adm = {"grad": 0, "vet": 0, "pool": 0}
    for e in recruitment:
        adm["pool"] += e.registrations.count()
        adm["grad"] += e.registrations.filter(outcome=Outcome.FOR_INSPECTION, is_graduate=True).count()
        adm["vet"] += e.registrations.filter(outcome=Outcome.FOR_INSPECTION, is_veteran=True).count()
    ctx.built("exams", f"公开选拔 {sel}；竞争上岗 {len(posting)} 个单位拿出中层岗位 {opened} 个，"
                       f"确定人选 {heads} 人；三年公开招录报名 {adm['pool']} 人，录用高校毕业生 {adm['grad']} 人、"
                       f"退役士兵 {adm['vet']} 人")
