"""Village cadres into township offices: the source's 11 places in 4 townships, linked to a case."""

import datetime as dt

from gongxin.people.models import (
    Cadre,
    CadreStatus,
    OrgUnit,
    OrgUnitKind,
    PostKind,
)

from .. import demo_cases
from ..models import ExamChannel
from .common import announce, register, run_exam

VILLAGE_PLACES = (3, 3, 3, 2)  # the source's 11 village cadres into the offices of 4 townships


def village_to_township(ctx, rng, clerk, root) -> list:
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
    exam = announce(clerk, on, channel=ExamChannel.VILLAGE_TO_TOWNSHIP, org_unit=root,
                     title=f"{on.year}年面向优秀村干部考试选聘乡镇机关工作人员公告", case=case,
                     posts=[{"post": p, "code": f"{i + 1:02d}", "count": n, "title": f"{p.org_unit.name}{p.title}"}
                            for i, (p, n) in enumerate(posts)],
                     qualifications="现任村（社区）干部；连续任职满 3 年；近 3 年年度考核均为称职以上。",
                     inspection_ratio=demo_cases.INSPECTION_RATIO)
    busy = demo_cases.busy_cadres()
    people = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, org_unit__kind=OrgUnitKind.VILLAGE)
                  .exclude(pk__in=busy).order_by("pk"))
    rng.shuffle(people)
    register(exam, people[: places * 4], on + dt.timedelta(days=3))
    run_exam(ctx, rng, clerk, exam, on + dt.timedelta(days=40))
    return [demo_cases.Round(exam, case)]
