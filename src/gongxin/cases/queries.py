"""Reads that matter: scoped to the user, prefetched, paginated."""

from django.db.models import Count, Q

from .models import CandidateStatus, Case, CaseStatus
from .permissions import case_q


def cases_for_user(user, *, stage: str = "", status: str = "", q: str = ""):
    qs = (Case.objects.filter(case_q(user)).distinct().select_related("org_unit", "rule_set")
          .annotate(n_candidates=Count("candidates", filter=Q(candidates__status=CandidateStatus.ACTIVE),
                                       distinct=True),
                    n_posts=Count("case_posts", distinct=True)))
    if stage:
        qs = qs.filter(stage=stage)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org_unit__name__icontains=q))
    return qs.order_by("-created_at", "-id")


def stage_counts(user) -> dict[str, int]:
    rows = (Case.objects.filter(case_q(user)).filter(status=CaseStatus.ACTIVE).values("stage")
            .annotate(n=Count("id", distinct=True)))
    return {r["stage"]: r["n"] for r in rows}
