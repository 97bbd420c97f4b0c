"""The demo's promotions of cadres with long service in hard postings (the source's 8/13/5: "8
comrades long at work in townships promoted to important leading posts, 13 young comrades long at
grassroots promoted, 5 township comrades selected into county departments").

The dashboard counts them from the data (:func:`gongxin.assessment.dashboard.classify`); here the
demo makes the appointments that are still missing once the other demos have made theirs: cadres
of the county whose post holdings in the remote townships reach R23's years are nominated, checked
by the eligibility engine, and carried through ONE real case (motion, nomination, inspection,
joint review, decision, pre-appointment publicity, appointment), several posts in it. Nothing is
written around the case; a figure that cannot be reached is said so in the build's line."""

from __future__ import annotations

from django.db.models import Q

from gongxin.cases import actions as case_actions
from gongxin.cases import eligibility as core
from gongxin.cases.facts import evaluate_cadre
from gongxin.cases.models import Candidate, Channel
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import DomainError
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, OrgUnit, OrgUnitKind, Post, PostHolding, PostKind, Rank
from gongxin.workbench.figures import Scope

from . import dashboard, queries

TARGETS = {dashboard.TO_COUNTY: 5, dashboard.YOUNG: 13, dashboard.LONG: 8}
FUKE_LEVEL = 20  # the posts they are promoted to: 副科 leadership posts


def _age(birth, on) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _pool(on, years: int, hard: tuple, since) -> list[tuple[Cadre, str, str]]:
    """Active cadres below 副科 with ``years`` in hard postings on ``on``, neither candidates in a
    case nor appointed since ``since``, each with the path of the hard township they served in
    longest and the path of their latest post."""
    ids = set(PostHolding.objects.filter(queries.in_hard_posting(), start__lt=on).values_list("cadre_id", flat=True))
    ids -= set(Candidate.objects.values_list("cadre_id", flat=True))
    ids -= set(PostHolding.objects.filter(start__gte=since).values_list("cadre_id", flat=True))
    holdings = queries.holdings_by_cadre(ids)
    out = []
    for cadre in (Cadre.objects.filter(Q(rank__is_leadership=False) | Q(rank__level__lt=FUKE_LEVEL), pk__in=ids,
                                  status="active", rank__isnull=False)
                  .select_related("rank", "org_unit").order_by("id")):
        mine = holdings.get(cadre.pk, [])
        if queries.hard_days(mine, on=on, paths=hard) < years * 365.25:
            continue
        served: dict[str, int] = {}
        for h in mine:
            for path in hard:
                if h["path"].startswith(path) and h["start"] < on:
                    served[path] = served.get(path, 0) + ((min(h["end"] or on, on) - h["start"]).days)
        latest = max((h for h in mine if h["start"] < on), key=lambda h: (h["start"], h["pk"]))
        out.append((cadre, max(served, key=served.get), latest["path"]))
    return out


def _post_in(unit_paths: tuple, rank, taken: dict) -> Post | None:
    """A 副科 leadership post under one of ``unit_paths`` with room for one more (counting the
    places this case already takes), the post with most room first."""
    posts = (Post.objects.filter(kind=PostKind.LEADERSHIP, rank=rank, is_active=True)
             .filter(Q(*[Q(org_unit__path=p) for p in unit_paths], _connector=Q.OR)).order_by("org_unit__path", "id"))
    for post in posts:
        if not case_actions.headcount_overruns([(post, taken.get(post.pk, 0) + 1)]):
            return post
    return None


def _room(admin, post: Post, taken: dict) -> Post:
    """Make room on ``post`` for one more (a headcount raised through the people app's action)."""
    if case_actions.headcount_overruns([(post, taken.get(post.pk, 0) + 1)]):
        post = people_actions.update_post(acting_user=admin, post=post, headcount=post.headcount + 1)
    return post


def build(ctx, admin) -> str:
    from gongxin.cases.demo_flow import Nominee, decision_members, run_case_to_appointment

    on = ctx.on(6, 1)  # the appointment day: in the demo year by its definition
    scope = Scope(user=admin, year=ctx.year)
    have = {part: len(ids) for part, ids in dashboard.classify(scope).items()}
    need = {part: max(0, n - have[part]) for part, n in TARGETS.items()}
    hard = queries.hard_paths()
    rank = Rank.objects.filter(level=FUKE_LEVEL, is_leadership=True).first()
    if not any(need.values()) or not hard or rank is None:
        return _words(have)
    years = dashboard._threshold_years(scope)
    rule_set = rule_set_in_force()
    departments = [u for u in OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT, parent__isnull=False).order_by("path")]
    towns = {u.path: u for u in OrgUnit.objects.filter(kind=OrgUnitKind.TOWNSHIP)}
    taken: dict[int, int] = {}
    nominees: list[Nominee] = []
    rng = ctx.rng_for("assessment.promotions")
    pool = _pool(on, years, hard, since=ctx.on(1, 1))
    rng.shuffle(pool)
    for part in (dashboard.TO_COUNTY, dashboard.YOUNG, dashboard.LONG):
        for cadre, town_path, latest in pool:
            if need[part] == 0:
                break
            if any(n.cadre.pk == cadre.pk for n in nominees):
                continue
            young = _age(cadre.birth_date, on) < dashboard.YOUNG_AGE
            if (part == dashboard.YOUNG) != young:
                continue
            if part == dashboard.TO_COUNTY:
                if not latest.startswith(tuple(towns)):  # moved from a township post, not from elsewhere
                    continue
                post = _post_in(tuple(u.path for u in departments), rank, taken) or Post.objects.filter(
                    kind=PostKind.LEADERSHIP, rank=rank, org_unit__in=departments).order_by("-headcount", "id").first()
            else:
                post = _post_in((town_path,), rank, taken) or Post.objects.filter(
                    kind=PostKind.LEADERSHIP, rank=rank, org_unit=towns.get(town_path)).order_by("-headcount", "id").first()
            if post is None or not core.passed(evaluate_cadre(cadre, post, rule_set=rule_set)):
                continue
            post = _room(admin, post, taken)
            taken[post.pk] = taken.get(post.pk, 0) + 1
            nominees.append(Nominee(cadre, Channel.PERFORMANCE, post=post, evidence={
                "recommended_on": ctx.on(4, 20).isoformat(),
                "note": f"在{towns[town_path].name}等艰苦乡镇累计工作 {years} 年以上，实绩突出，组织推荐"}))
            need[part] -= 1
    if not nominees:
        return _words(have)
    posts = [(Post.objects.get(pk=pk), n) for pk, n in taken.items()]
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    try:
        run_case_to_appointment(
            acting_user=admin, title=f"{ctx.year}年艰苦乡镇一线干部提拔使用", org_unit=root, posts=posts,
            candidates_with_channels=nominees, motion_date=ctx.on(4, 20),
            motion_reason="落实优先使用在艰苦边远乡镇长期工作、实绩突出干部的要求，从艰苦乡镇一线干部中提拔。",
            decided_on=ctx.on(5, 10), publicity_start=ctx.on(5, 12), appointed_on=on,
            members=decision_members(ctx), reviewers=ctx.data.get("reviewers"))
    except DomainError as exc:
        ctx.stop("assessment", "the promotions from hard postings", exc.message)
    return _words({part: len(ids) for part, ids in dashboard.classify(scope).items()})


def _words(counts: dict) -> str:
    return (f"艰苦乡镇一线干部 {counts[dashboard.LONG]} 人提拔到领导岗位、年轻干部 {counts[dashboard.YOUNG]} 人提拔、"
            f"{counts[dashboard.TO_COUNTY]} 人进入县直部门（由任职记录计算）")
