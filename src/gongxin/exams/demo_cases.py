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
from gongxin.people.models import OrgUnit, OrgUnitKind, Post, PostHolding, PostKind

INSPECTION_RATIO = 2


@dataclass
class Round:
    """One exam linked to a case: what the build line reports, counted from the data."""
    exam: object
    case: object

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


def _deciders_units(ctx) -> set[int]:
    """Units whose staff the decision members or the county's certified inspectors lead
    directly (a leadership post in the unit or in one of its sections): a candidate from there
    would have them step aside (R20), so the demo's own round is held elsewhere."""
    from gongxin.cases.demo_flow import decision_members

    cadres = {m["cadre"].pk for m in decision_members(ctx) if m.get("cadre") is not None}
    try:
        from gongxin.inspection.models import Certificate

        cadres |= set(Certificate.objects.filter(revoked_at__isnull=True, user__cadre__isnull=False)
                      .values_list("user__cadre", flat=True))
    except ImportError:
        pass
    units = set()
    for unit_id, parent_id in (PostHolding.objects.filter(cadre_id__in=cadres, end__isnull=True,
                                                          post__kind=PostKind.LEADERSHIP)
                               .values_list("post__org_unit_id", "post__org_unit__parent_id")):
        units.add(unit_id)
        if parent_id:
            units.add(parent_id)
    return units


def middle_round_unit(ctx, staff_of) -> tuple[object | None, list[Post], list]:
    """The unit for the vacant-posts round, among those whose staff no decision member or
    inspector leads directly: as many of its vacant middle-level posts (at most three) as its
    free staff can contest four to a post, the unit with the most such posts; with the posts
    and the staff who may apply."""
    led = _deciders_units(ctx)
    by_unit: dict[int, list[Post]] = {}
    for p in vacant_posts(PostKind.MIDDLE):
        owner = p.org_unit.parent_id if p.org_unit.kind == OrgUnitKind.SECTION and p.org_unit.parent_id else p.org_unit_id
        if owner not in led and p.org_unit_id not in led:
            by_unit.setdefault(owner, []).append(p)
    busy = busy_cadres()
    best = (0, None, [], [])
    for owner in sorted(by_unit):
        unit = OrgUnit.objects.get(pk=owner)
        staff = [c for c in staff_of(unit) if c.pk not in busy and (c.rank is None or c.rank.level <= 10)]
        n = min(3, len(by_unit[owner]), len(staff) // 4)
        if n > best[0]:
            best = (n, unit, by_unit[owner][:n], staff)
    return best[1], best[2], best[3]


def meets_published_conditions(cadre, on: dt.date, *, max_age: int, min_education: str) -> bool:
    """What an applicant reads in the announcement before registering: age and education (the
    engine's screening then checks everything else)."""
    from gongxin.cases.eligibility import EDUCATION_ORDER, full_years

    have = [EDUCATION_ORDER.index(e) for e in (cadre.fulltime_education, cadre.parttime_education)
            if e in EDUCATION_ORDER]
    return full_years(cadre.birth_date, on) <= max_age and bool(have) and max(have) >= EDUCATION_ORDER.index(min_education)
