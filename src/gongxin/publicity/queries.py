"""Reads that matter: public notices, queues scoped to the user, probations ending soon."""

import datetime as dt

from django.db.models import Count, Q

from .models import OPEN_FEEDBACK, Appointment, Notice, NoticeStatus, ProbationStatus
from .permissions import appointments_for_user, feedback_for_user, notices_for_user


def public_notices():
    return (Notice.objects.filter(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.CLOSED])
            .select_related("org_unit").order_by("-period_start", "-published_at", "-id"))


def notices_with_counts_for_user(user):
    return (notices_for_user(user).select_related("org_unit")
            .annotate(entry_count=Count("entries", distinct=True),
                      open_feedback=Count("feedback", filter=Q(feedback__status__in=OPEN_FEEDBACK), distinct=True))
            .order_by("-created_at", "-id"))


def feedback_queue_for_user(user, status: str | None = None):
    qs = feedback_for_user(user).select_related("notice", "entry", "assigned_to")
    if status == "open":
        qs = qs.filter(status__in=OPEN_FEEDBACK)
    elif status:
        qs = qs.filter(status=status)
    return qs


def probations_ending_for_user(user, today: dt.date, within_days: int = 60):
    return (appointments_for_user(user)
            .filter(probation_status__in=[ProbationStatus.ON_PROBATION, ProbationStatus.EXTENDED],
                    probation_end__lte=today + dt.timedelta(days=within_days))
            .select_related("cadre", "post__org_unit").order_by("probation_end"))


def appointments_list_for_user(user):
    return appointments_for_user(user).select_related("cadre", "post__org_unit", "notice")


__all__ = ["Appointment", "public_notices", "notices_with_counts_for_user", "feedback_queue_for_user",
           "probations_ending_for_user", "appointments_list_for_user"]


# ---- the public pages' cache keys: the pages fill them, actions drop them -------------------

def portal_cache_key(language: str, day) -> str:
    return f"publicity:portal:{language}:{day}"


def notice_list_cache_key(language: str, day) -> str:
    return f"publicity:notices:{language}:{day}"


def notice_cache_key(pk: int) -> str:
    return f"publicity:notice:{pk}"
