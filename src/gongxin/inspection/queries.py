"""Reads that matter: coverage, a candidate's joint-review state and blockers, the dashboard."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.accounts.models import User
from gongxin.accounts.roles import Role
from gongxin.cases.models import Candidate
from gongxin.cases.rules import rule_params
from gongxin.core.errors import DomainError
from gongxin.people.models import PostHolding

from . import messages, workflow
from .models import (
    Certificate,
    CheckRecord,
    Circle,
    Finding,
    FourCheck,
    Inspection,
    InspectionKind,
    Interview,
    Leaning,
    ProblemFile,
    ReportFinding,
    ReviewAnswer,
    ReviewDepartment,
    ReviewRequest,
    TeamMember,
)


def coverage_for(inspection: Inspection) -> tuple[int, int, int]:
    """Source tracing: (visited, total, percent) of the places from the cadre's resume."""
    places = list(inspection.places.all())
    return workflow.coverage(sum(1 for p in places if p.visited_on), len(places))


def inspection_detail(inspection: Inspection) -> Inspection:
    return (Inspection.objects.select_related("cadre", "cadre__org_unit", "team", "key_project", "candidate__case")
            .prefetch_related("team__members__user", "places", "tracking_records",
                              Prefetch("interviews", queryset=Interview.objects.select_related("recorded_by")))
            .get(pk=inspection.pk))


# ---- joint review and the four checks ---------------------------------------------------

def required_checks(candidate, cache: dict | None = None) -> list[str]:
    """R13's checks in force for the candidate's case (the four by default)."""
    key = candidate.case.rule_set_id
    if cache is not None and key in cache:
        return cache[key]
    try:
        checks = list(rule_params("R13", case=candidate.case).get("checks") or workflow.FOUR_CHECKS)
    except DomainError:
        checks = list(workflow.FOUR_CHECKS)
    if cache is not None:
        cache[key] = checks
    return checks


@dataclass
class ReviewState:
    requests: list = field(default_factory=list)
    checks_done: dict = field(default_factory=dict)
    missing_checks: list = field(default_factory=list)
    review_problems: list = field(default_factory=list)

    @property
    def blockers(self) -> list[str]:
        labels = dict(FourCheck.choices)
        missing = [str(labels.get(c, c)) for c in self.missing_checks]
        out = list(self.review_problems)
        if missing:
            out.append(_("“凡提四必”尚未完成：%(items)s。") % {"items": "、".join(missing)})
        return out


def with_review_data(candidates):
    """Prefetch what ``review_state`` reads, for a list page."""
    return candidates.select_related("case__rule_set", "cadre").prefetch_related(
        Prefetch("review_requests", queryset=ReviewRequest.objects.select_related("department", "problem_file")
                 .order_by("department__sort_order", "id")),
        "four_checks")


def review_state(candidate, *, today: dt.date | None = None, departments: list[str] | None = None,
                 rules_cache: dict | None = None) -> ReviewState:
    """The candidate's joint-review answers, four checks and what still blocks them. Uses the
    prefetched relations when ``with_review_data`` loaded them (one query set per page)."""
    today = today or timezone.localdate()
    requests = sorted(candidate.review_requests.all(), key=lambda r: (r.department.sort_order, r.pk)) \
        if _prefetched(candidate, "review_requests") else \
        list(ReviewRequest.objects.filter(candidate=candidate).select_related("department", "problem_file")
             .order_by("department__sort_order", "id"))
    facts = [workflow.RequestFacts(department=r.department.name, answer=r.answer,
                                   finding=r.problem_file.finding if r.problem_file_id else "",
                                   overdue=r.answer == ReviewAnswer.PENDING and r.deadline < today)
             for r in requests]
    if departments is None:
        departments = [d.name for d in ReviewDepartment.objects.filter(is_active=True)]
    checks = candidate.four_checks.all() if _prefetched(candidate, "four_checks") else \
        CheckRecord.objects.filter(candidate=candidate)
    done = {c.item: c for c in checks}
    required = required_checks(candidate, rules_cache)
    return ReviewState(requests=requests, checks_done=done,
                       missing_checks=[c for c in required if c not in done],
                       review_problems=messages.texts(workflow.review_problems(facts, departments)))


def review_states(candidates, *, today: dt.date | None = None, limit: int = 200) -> list[tuple]:
    """(candidate, state) for a page of candidates in a fixed number of queries."""
    departments = [d.name for d in ReviewDepartment.objects.filter(is_active=True)]
    cache: dict = {}
    return [(c, review_state(c, today=today, departments=departments, rules_cache=cache))
            for c in with_review_data(candidates)[:limit]]


def _prefetched(obj, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def candidate_blockers(candidate) -> list[str]:
    """Per-candidate blockers before the decision: the four checks and every department clear."""
    if candidate.status != "active":
        return []
    return review_state(candidate).blockers


def candidate_blockers_many(candidates) -> dict[int, list[str]]:
    """``candidate_blockers`` for a list of candidates in a fixed number of queries."""
    ids = [c.pk for c in candidates if c.status == "active"]
    if not ids:
        return {}
    return {c.pk: state.blockers for c, state in review_states(Candidate.objects.filter(pk__in=ids), limit=len(ids))}


def substantiated_problems(cadre) -> list[ProblemFile]:
    return list(ProblemFile.objects.filter(cadre=cadre, finding=Finding.SUBSTANTIATED).order_by("found_on", "id"))


# ---- inspectors --------------------------------------------------------------------------

def _inspectors_in_scope(user):
    """Inspectors a user below the county sees: attached to units in their scope, or on a team
    that inspected a cadre in it (issue 11 defect 7). County scope: all."""
    from gongxin.accounts.scope import cadre_q, unit_q

    if user is None or user.is_superuser or user.data_scope == "all":
        return Q()
    inspected = Inspection.objects.filter(cadre_q(user, "cadre__")).values("team_id")
    members = TeamMember.objects.filter(team_id__in=inspected).values("user_id")
    from gongxin.people.models import OrgUnit

    return Q(org_units__in=OrgUnit.objects.filter(unit_q(user, "self"))) | Q(pk__in=members)


def inspectors_with_records(on: dt.date | None = None, *, user=None):
    """Inspector accounts with their certificates, teams and findings against their teams;
    with ``user``, only those within that user's data scope."""
    on = on or timezone.localdate()
    valid = Certificate.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True, issued__lte=on, expires__gte=on)
    in_scope = User.objects.filter(role=Role.INSPECTOR).filter(_inspectors_in_scope(user)).values("pk")
    return (User.objects.filter(role=Role.INSPECTOR, pk__in=in_scope)
            .annotate(is_certified=Exists(valid),
                      team_count=Count("inspection_teams", distinct=True),
                      finding_count=Count("inspection_teams__team__findings", distinct=True))
            .prefetch_related("inspector_certificates")
            .order_by("username"))


def findings_for_inspector(user) -> list[ReportFinding]:
    team_ids = TeamMember.objects.filter(user=user).values("team_id")
    return list(ReportFinding.objects.filter(team_id__in=team_ids).select_related("team", "inspection__cadre"))


# ---- dashboard ---------------------------------------------------------------------------

def dashboard_figures(*, year: int, on: dt.date | None = None, user=None) -> dict:
    """The year's figures, each counted from the records (DOMAIN §7):
    certified inspectors; cadres under tracking inspection, of whom promoted (a new post
    after tracking began) and with a problem file; candidates disqualified after a circles
    inspection found negatives in the life circle; candidates failing joint review."""
    from gongxin.accounts.scope import cadre_q, unit_q

    on = on or dt.date(year, 12, 31)
    # With ``user``: every figure counts only what lies in that user's data scope.
    cadres = cadre_q(user, "cadre__") if user is not None else Q()
    cases = unit_q(user, "case__org_unit") if user is not None else Q()
    inspectors = User.objects.filter(role=Role.INSPECTOR).filter(_inspectors_in_scope(user)).values("pk")
    certified = (Certificate.objects.filter(revoked_at__isnull=True, issued__lte=on, expires__gte=on,
                                            user__in=inspectors)
                 .values("user").distinct().count())
    inspections = Inspection.objects.filter(cadres)
    tracking = inspections.filter(kind=InspectionKind.TRACKING, opened_on__year=year)
    first_tracked = {}
    for cadre_id, opened in tracking.values_list("cadre_id", "opened_on"):
        first_tracked[cadre_id] = min(opened, first_tracked.get(cadre_id, opened))
    promoted = set()
    for cadre_id, start in PostHolding.objects.filter(cadre_id__in=first_tracked).values_list("cadre_id", "start"):
        if start >= first_tracked[cadre_id] and start.year == year:
            promoted.add(cadre_id)
    with_problems = set(ProblemFile.objects.filter(cadre_id__in=first_tracked).values_list("cadre_id", flat=True))
    candidates = Candidate.objects.filter(cases)

    life_negative = Interview.objects.filter(inspection__kind=InspectionKind.CIRCLES, circle=Circle.LIFE,
                                             leaning=Leaning.NEGATIVE, inspection__cadre=OuterRef("cadre"))
    disqualified_life = (candidates.filter(status="disqualified", case__motion_date__year=year)
                         .filter(Exists(life_negative)).count())
    failed_review = (candidates.filter(case__motion_date__year=year)
                     .filter(Exists(ReviewRequest.objects.filter(
                         candidate=OuterRef("pk"), answer=ReviewAnswer.PROBLEM,
                         problem_file__finding=Finding.SUBSTANTIATED)))
                     .count())
    return {
        "year": year,
        "certified_inspectors": certified,
        "tracked_cadres": len(first_tracked),
        "tracked_promoted": len(promoted),
        "tracked_with_problem_files": len(with_problems),
        "disqualified_after_life_circle": disqualified_life,
        "failed_joint_review": failed_review,
        "inspections_by_kind": dict(inspections.filter(opened_on__year=year).values_list("kind")
                                    .annotate(n=Count("id")).order_by()),
        "open_review_requests": ReviewRequest.objects.filter(
            cadre_q(user, "candidate__cadre__") if user is not None else Q(), answer=ReviewAnswer.PENDING).count(),
        "open_problem_files": ProblemFile.objects.filter(~Q(status="closed")).filter(
            cadre_q(user, "cadre__") if user is not None else Q()).count(),
    }
