"""Competitive posting: the source's 56 middle-level posts in 8 units, each unit's round linked
to its case."""

import datetime as dt

from gongxin.core.demo import as_on
from gongxin.people.models import (
    OrgUnit,
    OrgUnitKind,
    Post,
    PostHolding,
    PostKind,
)

from .. import demo_cases
from ..models import ExamChannel
from .common import announce, register_matched, run_exam, staff_of

POSTING_UNITS, POSTING_POSTS = 8, 7  # the source's 8 units and 56 new middle-level heads (7 a unit)
PER_POST = 3  # applicants a post
STAND_DOWN = "中层岗位竞争上岗，原任职人员全体起立、参加竞争"


def competitive_posting(ctx, rng, clerk) -> tuple[list, list]:
    """The 8 units with the most middle-level posts they can open (three of their staff
    applying for each) open the source's 56 of them in June, 7 a unit (more where another has
    fewer), vacant ones first; aside are the unit of the demo's
    section-head account (its two-way selection is still open), units whose staff a certified
    inspector leads (the team would step aside, R20) and posts their holders took after the
    motion day. The posts' present holders stand down (全体起立) on the motion day and compete
    with the unit's staff; each unit's round is linked to a case of its own, which appoints the
    winners (``_appoint``). Fewer posts when the county has fewer, said in the build line."""
    from gongxin.people import actions as people_actions

    on = ctx.on(6, 1)
    motion = on - dt.timedelta(days=7)
    # not a post whose holder took it after the motion day (the roster's own recent moves)
    recent = PostHolding.objects.filter(end__isnull=True, start__gte=motion).values("post")
    keep = getattr(ctx.data.get("section_head_section"), "parent_id", None)
    busy = demo_cases.busy_cadres()
    middle = (Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__kind=OrgUnitKind.SECTION)
              .exclude(org_unit__parent=keep).exclude(org_unit__parent__in=demo_cases.inspectors_units())
              .exclude(pk__in=recent).values_list("org_unit__parent", flat=True).distinct())
    openable, applicants, room = {}, {}, {}
    for unit in OrgUnit.objects.filter(pk__in=middle).order_by("path"):
        free = {p.pk for p in demo_cases.vacant_posts(PostKind.MIDDLE, org_unit__parent=unit)}
        openable[unit] = sorted(Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__parent=unit)
                                .exclude(pk__in=recent).select_related("org_unit", "rank"),
                                key=lambda p: (p.pk not in free, p.pk))  # vacant posts first
        # the unit's staff who hold no leading rank (a grade of the parallel track, 四级主任科员
        # say, may head a section), the posts' present holders among them
        applicants[unit] = [c for c in staff_of(unit) if c.pk not in busy and (c.rank is None or not c.rank.is_leadership)]
        # a post is opened only with three applicants for it
        room[unit] = min(len(openable[unit]), len(applicants[unit]) // PER_POST)
    units = sorted(sorted(room, key=lambda u: -room[u])[:POSTING_UNITS], key=lambda u: u.path)
    # the source's 56 over the 8 units: 7 each, a unit with room opening more where another has fewer
    quota = {u: min(room[u], POSTING_POSTS) for u in units}
    while sum(quota.values()) < POSTING_UNITS * POSTING_POSTS:
        more = [u for u in units if room[u] > quota[u]]
        if not more:
            break
        quota[max(more, key=lambda u: (room[u] - quota[u], u.path))] += 1
    units = [u for u in units if quota[u]]
    exams, rounds = [], []
    for unit in units:
        posts = openable[unit][:quota[unit]]
        stood = set()
        with as_on(motion):
            for holding in PostHolding.objects.filter(post__in=posts, end__isnull=True).order_by("pk"):
                people_actions.end_post_holding(acting_user=clerk, holding=holding, end=motion, note=STAND_DOWN)
                stood.add(holding.cadre_id)
        people = sorted(applicants[unit], key=lambda c: c.pk not in stood)  # the former holders first
        case = demo_cases.open_linked_case(
            clerk=clerk, title=f"{unit.name}{on.year}年中层岗位竞争上岗", org_unit=unit, posts=posts,
            channel=ExamChannel.COMPETITIVE_POSTING, motion=motion,
            reason=f"按照县委关于中层岗位竞争上岗的要求，本单位拿出 {len(posts)} 个中层岗位实行竞争上岗，"
                   f"原任职人员全体起立，经党组研究启动。")
        exam = announce(clerk, on, channel=ExamChannel.COMPETITIVE_POSTING, org_unit=unit,
                         title=f"{unit.name}{on.year}年中层岗位竞争上岗公告", case=case,
                         posts=[{"post": p, "code": f"{i + 1:02d}", "title": f"{p.org_unit.name}{p.title}"}
                                for i, p in enumerate(posts)],
                         qualifications="本单位在职在编人员；大学专科以上学历。",
                         inspection_ratio=demo_cases.INSPECTION_RATIO)
        register_matched(exam, people, on + dt.timedelta(days=2), per_post=PER_POST, fit=2)
        run_exam(ctx, rng, clerk, exam, on + dt.timedelta(days=35))
        exams.append(exam)
        rounds.append(demo_cases.Round(exam, case))
    ctx.data["competitive_posting_units"] = [u.pk for u in units]  # the two-way selection follows in one
    return exams, rounds
