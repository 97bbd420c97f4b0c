"""The demo's exam channels that end in appointments (issue 15): a case is opened for real
vacant posts, the exam is announced for those posts and linked to the case, the ranking's
candidates for inspection enter the case through the exam's own action (``send_to_case``), and
the case runs on to appointment through ``cases.demo_flow`` (inspection, decision with its
eligibility re-check, publicity, appointment).

Inspection is at 1:2 (差额考察): the decision re-checks eligibility on the day it is held, and a
first-placed candidate who no longer passes (a newer annual grade, say) leaves the place to the
next; who is appointed is read from the case afterwards, never assumed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from gongxin.cases import actions as case_actions
from gongxin.cases.models import Candidate, CasePost, CaseStage
from gongxin.core.demo import as_on
from gongxin.people.models import Post, PostHolding, PostKind

INSPECTION_RATIO = 2


@dataclass
class Round:
    """One exam linked to a case: what the build line reports, counted from the data."""
    exam: object
    case: object
    days_back: int = 0  # last year's round: its case's dates a year before this year's

    @property
    def appointed(self) -> int:
        return self.case.candidates.filter(status="appointed").count() if self.case is not None else 0


def vacant_posts(kind: str, **filters) -> list[Post]:
    """Active posts of ``kind`` with a free place (fewer current holders than the headcount)
    that no case has taken yet, in tree order."""
    used = set(CasePost.objects.values_list("post_id", flat=True))
    qs = (Post.objects.filter(is_active=True, kind=kind, **filters)
          .annotate(filled=Count("holdings", filter=Q(holdings__end__isnull=True)))
          .select_related("org_unit", "rank").order_by("org_unit__path", "pk"))
    return [p for p in qs if p.filled < p.headcount and p.pk not in used]


def busy_cadres() -> set[int]:
    """Cadres already active candidates in some case: not entered in a second one here."""
    return set(Candidate.objects.filter(status="active").values_list("cadre_id", flat=True))


def open_linked_case(*, clerk, title: str, org_unit, posts: list, channel: str, motion: dt.date, reason: str):
    """The case the exam fills, opened on its motion day and at nomination (the exam's
    ranking nominates)."""
    with as_on(motion):
        case = case_actions.open_case(acting_user=clerk, title=title, org_unit=org_unit, posts=posts,
                                      channels=[channel], motion_date=motion, motion_reason=reason)
        return case_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.NOMINATION)


def carry_to_appointment(ctx, clerk, case, *, decided_on: dt.date, publicity_start: dt.date, appointed_on: dt.date):
    """From the candidates the exam sent to the appointment, through the cases app's flow."""
    from gongxin.cases.demo_flow import decision_members, run_case_to_appointment

    case.refresh_from_db()
    return run_case_to_appointment(
        acting_user=clerk, case=case, title=case.title, org_unit=case.org_unit, posts=[],
        candidates_with_channels=[], motion_date=case.motion_date, decided_on=decided_on,
        publicity_start=publicity_start, appointed_on=appointed_on, members=decision_members(ctx),
        reviewers=ctx.data.get("reviewers"))


def inspectors_units() -> set[int]:
    """Units whose staff one of the county's certified inspectors leads (a leading or
    middle-level post in the unit or in one of its sections): an inspection team there would
    have to step aside (R20), so the demo's competitive posting is held elsewhere. (The decision
    members' own recusal the decision meeting handles.)"""
    try:
        from gongxin.inspection.models import Certificate
    except ImportError:
        return set()
    cadres = set(Certificate.objects.filter(revoked_at__isnull=True, user__cadre__isnull=False)
                 .values_list("user__cadre", flat=True))
    units = set()
    for unit_id, parent_id in (PostHolding.objects.filter(cadre_id__in=cadres, end__isnull=True)
                               .exclude(post__kind=PostKind.STAFF)
                               .values_list("post__org_unit_id", "post__org_unit__parent_id")):
        units.add(unit_id)
        if parent_id:
            units.add(parent_id)
    return units


def inspector_conflicts(cadre_ids) -> set[int]:
    """Of ``cadre_ids``, those a certified inspector would have to step aside for (R19
    relatives, R20 direct superiors): the demo keeps them out of a round whose case it carries
    through inspection by the county's teams."""
    try:
        from gongxin.inspection.models import Certificate
    except ImportError:
        return set()
    from gongxin.cases.recusal import load_graph, recusal_options
    from gongxin.cases.rules import rule_set_in_force

    inspectors = set(Certificate.objects.filter(revoked_at__isnull=True, user__cadre__isnull=False)
                     .values_list("user__cadre", flat=True))
    ids = set(cadre_ids)
    graph = load_graph(inspectors | ids)
    options = recusal_options(rule_set_in_force())
    return {c for c in ids for i in inspectors if i != c and graph.recusals(i, c, **options)}


def complained_of() -> set[int]:
    """Cadres with a problem file (问题档案) of any state: the decision's eligibility re-check
    reads upheld ones, and one still being looked into may be upheld by the day it is held."""
    try:
        from gongxin.inspection.models import ProblemFile
    except ImportError:
        return set()
    return set(ProblemFile.objects.values_list("cadre_id", flat=True))


def meets_published_conditions(cadre, on: dt.date, *, max_age: int, min_education: str) -> bool:
    """What an applicant reads in the announcement before registering: age and education (the
    engine's screening then checks everything else)."""
    from gongxin.cases.eligibility import EDUCATION_ORDER, full_years

    have = [EDUCATION_ORDER.index(e) for e in (cadre.fulltime_education, cadre.parttime_education)
            if e in EDUCATION_ORDER]
    return full_years(cadre.birth_date, on) <= max_age and bool(have) and max(have) >= EDUCATION_ORDER.index(min_education)
