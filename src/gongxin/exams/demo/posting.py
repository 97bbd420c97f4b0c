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

from .. import actions, demo_cases
from ..models import Exam, ExamChannel, ExamPost, Registration
from .common import announce, run_exam, staff_of

POSTING_UNITS, POSTING_POSTS = 8, 7  # the source's 8 units and 56 new middle-level heads (7 a unit)
STAND_DOWN = "中层岗位竞争上岗，原任职人员全体起立、参加竞争"


def competitive_posting(ctx, rng, clerk) -> tuple[list, list]:
    """The 8 units with the most middle-level posts they can open (two of their staff at
    least applying for each) open the source's 56 of them in June, 7 a unit (more where another has
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
    # nobody a complaint is open or upheld against: the decision's re-check would stop the case
    skip = busy | demo_cases.complained_of()
    middle = (Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__kind=OrgUnitKind.SECTION)
              .exclude(org_unit__parent=keep).exclude(org_unit__parent__in=demo_cases.inspectors_units())
              .exclude(pk__in=recent).values_list("org_unit__parent", flat=True).distinct())
    openable, applicants, fits, room = {}, {}, {}, {}
    for unit in OrgUnit.objects.filter(pk__in=middle).order_by("path"):
        free = {p.pk for p in demo_cases.vacant_posts(PostKind.MIDDLE, org_unit__parent=unit)}
        openable[unit] = sorted(Post.objects.filter(kind=PostKind.MIDDLE, is_active=True, org_unit__parent=unit)
                                .exclude(pk__in=recent).select_related("org_unit", "rank"),
                                key=lambda p: (p.pk not in free, p.pk))  # vacant posts first
        # the unit's staff who hold no leading rank (a grade of the parallel track, 四级主任科员
        # say, may head a section), the posts' present holders among them
        people = [c for c in staff_of(unit) if c.pk not in skip and (c.rank is None or not c.rank.is_leadership)]
        away = demo_cases.inspector_conflicts([c.pk for c in people])
        applicants[unit] = [c for c in people if c.pk not in away]
        # a post is opened only when two of the staff would pass the engine's check for it
        fits[unit] = _with_two_fit(unit, openable[unit], applicants[unit], on + dt.timedelta(days=2))
        room[unit] = len(fits[unit])
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
        chosen = fits[unit][:quota[unit]]
        posts = [p for p, _fit in chosen]
        stood = set()
        with as_on(motion):
            for holding in PostHolding.objects.filter(post__in=posts, end__isnull=True).order_by("pk"):
                people_actions.end_post_holding(acting_user=clerk, holding=holding, end=motion, note=STAND_DOWN)
                stood.add(holding.cadre_id)
        # the two who fit each post, then one more a post from the rest (the former holders first)
        pairs = [(c, p) for p, fit in chosen for c in fit]
        taken = {c.pk for c, _p in pairs}
        rest = sorted((c for c in applicants[unit] if c.pk not in taken), key=lambda c: c.pk not in stood)
        pairs += list(zip(rest, posts, strict=False))
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
        lines = {line.post_id: line for line in exam.posts.all()}
        with as_on(on + dt.timedelta(days=2)):
            for c, p in pairs:
                actions.register_cadre(acting_user=None, exam=exam, exam_post=lines[p.pk], cadre=c)
        run_exam(ctx, rng, clerk, exam, on + dt.timedelta(days=35), absences=False)
        exams.append(exam)
        rounds.append(demo_cases.Round(exam, case))
    ctx.data["competitive_posting_units"] = [u.pk for u in units]  # the two-way selection follows in one
    return exams, rounds


def _with_two_fit(unit, posts: list, people: list, on: dt.date) -> list:
    """(post, the two who fit it) for the posts, in order, for which two of ``people`` (each
    counted for one post) pass the engine's preliminary check as on ``on``: what an applicant reads before registering, run on
    an announcement not yet written (the one the unit then publishes has the same rules)."""
    draft = Exam(channel=ExamChannel.COMPETITIVE_POSTING, org_unit=unit, requirements={})
    left, out, cache = list(people), [], {}
    with as_on(on):
        for post in posts:
            line = ExamPost(exam=draft, post=post, code="00", title=post.title)
            fit = []
            for c in left:
                if actions._screen(Registration(exam=draft, exam_post=line, cadre=c, name=c.name, id_number=c.id_number,
                                                birth_date=c.birth_date, education=c.fulltime_education), cache):
                    fit.append(c)
                    if len(fit) == 2:
                        break
            if len(fit) == 2:
                out.append((post, fit))
                left = [c for c in left if c not in fit]
    return out
