"""Public selection: last year's round and this year's, each for real vacant 副科 leading posts
and linked to a case."""

import datetime as dt

from gongxin.cases.models import Candidate
from gongxin.people.models import (
    AnnualGrade,
    Cadre,
    CadreStatus,
    PostHolding,
    PostKind,
)

from .. import demo_cases
from ..models import ExamChannel
from .common import announce, register, register_matched, run_exam

REQUIREMENTS = {"max_age": 45, "min_education": "bachelor"}  # the public selection's announced conditions


def public_selection(ctx, rng, clerk, root) -> tuple[list, list]:
    """Last year's 10 posts (titles only) and this year's round: the source's 15 posts where the
    county has that many vacant 副科 leadership posts free of other cases, else as many as it has,
    each a real post, the round linked to a case that appoints its winners."""
    out, rounds = [], []
    taken: set[int] = set()
    pool = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level=20).order_by("pk")[:800])
    rng.shuffle(pool)
    free = demo_cases.vacant_posts(PostKind.LEADERSHIP, rank__level=20)
    for label, wanted, on in (("去年", 10, ctx.on(4, 10) - dt.timedelta(days=365)), ("今年", 15, ctx.on(4, 10))):
        title = f"{on.year}年公开选拔科级领导干部公告"
        case, posts = None, [{"code": f"{i + 1:02d}", "title": f"乡镇副职领导干部（{i + 1:02d}）", "count": 1}
                             for i in range(wanted)]
        motion = on - dt.timedelta(days=10)
        if free:
            real, free = free[:wanted], free[wanted:]
            posts = [{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                     for i, p in enumerate(real)]
            case = demo_cases.open_linked_case(
                clerk=clerk, title=f"{on.year}年公开选拔科级领导干部", org_unit=root, posts=real,
                channel=ExamChannel.PUBLIC_SELECTION, motion=motion,
                reason=f"{len(real)} 个副科级领导职位空缺，经县委研究，面向全县公开选拔。")
        if label == "去年":
            # last year's applicants: nobody whose record after that day the round would rewrite
            # (a later post or rank, a candidacy in this year's cases)
            later_on = set(PostHolding.objects.filter(start__gte=motion).values_list("cadre_id", flat=True))
            later_on |= set(Candidate.objects.values_list("cadre_id", flat=True))
            pool_now = [c for c in pool if c.pk not in later_on and (c.rank_since is None or c.rank_since < motion)]
        else:
            pool_now = pool
        busy = demo_cases.busy_cadres()
        people = [c for c in pool_now if c.pk not in taken and c.pk not in busy]
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
        exam = announce(clerk, on, channel=ExamChannel.PUBLIC_SELECTION, org_unit=root, title=title, posts=posts,
                         qualifications="现任副科级领导职务或一级主任科员以上；大学本科以上学历；45 周岁以下。",
                         requirements=REQUIREMENTS, case=case,
                         inspection_ratio=demo_cases.INSPECTION_RATIO if case is not None else None)
        if case is not None:
            register_matched(exam, people, on + dt.timedelta(days=3))
        else:
            register(exam, people, on + dt.timedelta(days=3))
        run_exam(ctx, rng, clerk, exam, on + dt.timedelta(days=40))
        out.append((label, exam))
        if case is not None:
            rounds.append(demo_cases.Round(exam, case, days_back=(ctx.on(4, 10) - on).days))
    return out, rounds
