"""Open recruitment over three years: graduates and veterans admitted (录用) into staff posts."""

import datetime as dt

from gongxin.core.demo import as_on
from gongxin.people import idnumber
from gongxin.people.models import (
    OrgUnitKind,
    Post,
    PostKind,
)

from .. import actions
from ..models import ExamChannel
from .common import GIVEN, SURNAMES, announce, run_exam

# Recruitment's admissions a year in the source's county (2,000 cadres): 500-odd graduates and
# 200-odd veterans over three years; a smaller county admits in proportion.
RECRUITS = ((2, 170, 66), (1, 166, 67), (0, 168, 67))
GRADUATE_POSTS, VETERAN_POSTS = 40, 14


def recruit_three_years(ctx, rng, clerk, root) -> list:
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
        exam = announce(clerk, on, channel=ExamChannel.RECRUITMENT, org_unit=root,
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
        run_exam(ctx, rng, clerk, exam, on + dt.timedelta(days=45))
        day = on + dt.timedelta(days=90)
        with as_on(day):
            actions.admit_recruits(acting_user=clerk, exam=exam, start=day)
        exams.append(exam)
    return exams


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
