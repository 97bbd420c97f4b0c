"""/api/v1/publicity/: public reads (no auth) and the staff's queue, with the same actions,
permissions and data scope as the pages."""


from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from gongxin.core import ratelimit
from gongxin.core.api_types import Date, Days
from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import Cadre, Post

from . import actions, calendar, integration, queries
from .models import OPEN_FEEDBACK, Appointment, Feedback, Notice, NoticeStatus
from .permissions import (
    appointments_for_user,
    get_appointment_for_user,
    get_feedback_for_user,
    get_notice_for_user,
    notices_for_user,
    require_manage,
)
from .schemas import (
    AppointIn,
    AppointmentOut,
    DecisionIn,
    Error,
    FeedbackOut,
    NoticeOut,
    NoticeStaffOut,
    PeriodOut,
    PublishIn,
    ReplyIn,
    TrackIn,
    TrackOut,
)

router = Router(tags=["publicity"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


def _notice(n: Notice, entries: bool = True) -> dict:
    row = {f: getattr(n, f) for f in ("id", "kind", "title", "body", "status", "name_order", "period_start",
                                       "period_end", "working_days", "calendar_warnings", "published_at",
                                       "ledger_seq", "leaf_hash", "case_id")}
    row["org_unit"] = n.org_unit.name
    row["entries"] = list(n.entries.order_by("position")) if entries else []
    return row


def _feedback(f: Feedback) -> dict:
    return {**{k: getattr(f, k) for k in ("id", "code", "notice_id", "entry_id", "category", "text", "contact_name",
                                         "contact", "status", "assigned_to_id", "reply", "finding", "received_at")},
            "person": f.entry.name if f.entry_id else None, "attachments": f.attachments.count()}


def _appointment(a: Appointment) -> dict:
    return {**{k: getattr(a, k) for k in ("id", "cadre_id", "post_id", "start", "notice_id", "case_id",
                                         "document_number", "probation_status", "probation_end", "decision")},
            "cadre": a.cadre.name, "post": str(a.post)}


# ---- public ----------------------------------------------------------------------------

@router.get("/public/notices", auth=None, response={200: list[NoticeOut]})
def public_notices(request, current: bool = False):
    qs = queries.public_notices()
    if current:
        qs = qs.filter(status=NoticeStatus.PUBLISHED)
    return [_notice(n, entries=False) for n in qs[:200]]


@router.get("/public/notices/{notice_id}", auth=None, response={200: NoticeOut, 404: Error})
def public_notice(request, notice_id: int):
    n = queries.public_notices().filter(pk=notice_id).first()
    if n is None:
        raise NotFound("notice.not_found", _("找不到该公告。"))
    return _notice(n)


@router.post("/public/feedback/track", auth=None, response={200: TrackOut, 404: Error, 429: Error})
def track(request, data: TrackIn):
    if not ratelimit.hit("track", ratelimit.client_address(request), limit=30):
        raise DomainError("rate_limited", _("查询过于频繁，请稍后再试。"), status=429)
    f = Feedback.objects.select_related("notice", "entry").filter(code=actions.normalise_code(data.code)).first()
    if f is None:
        raise NotFound("feedback.not_found", _("没有找到该查询码对应的反馈，请核对后重试。"))
    return {"notice_id": f.notice_id, "notice_title": f.notice.title, "person": f.entry.name if f.entry_id else None,
            "category": f.category, "status": f.status, "status_label": f.get_status_display(), "reply": f.reply,
            "replied_at": f.replied_at, "received_at": f.received_at}


# ---- staff -----------------------------------------------------------------------------

@router.get("/notices", response={200: list[NoticeStaffOut], **ERRORS})
def notices(request, status: str = ""):
    qs = notices_for_user(request.user).select_related("org_unit").annotate(
        open_count=Count("feedback", filter=Q(feedback__status__in=OPEN_FEEDBACK))).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return [{**_notice(n, entries=False), "open_feedback": n.open_count} for n in qs[:500]]


@router.get("/notices/{notice_id}", response={200: NoticeStaffOut, **ERRORS})
def notice(request, notice_id: int):
    n = get_notice_for_user(request.user, notice_id)
    return {**_notice(n), "blockers": actions.notice_blockers(n) if n.kind == "pre_appointment" else [],
            "open_feedback": n.feedback.filter(status__in=OPEN_FEEDBACK).count()}


@router.post("/notices/{notice_id}/publish", response={200: NoticeStaffOut, **ERRORS})
def publish(request, notice_id: int, data: PublishIn):
    n = actions.publish_notice(acting_user=request.user, notice=get_notice_for_user(request.user, notice_id),
                               start=data.start, deadline=data.deadline)
    return _notice(n)


@router.post("/notices/{notice_id}/close", response={200: NoticeStaffOut, **ERRORS})
def close(request, notice_id: int):
    return _notice(actions.close_notice(acting_user=request.user, notice=get_notice_for_user(request.user, notice_id)))


@router.get("/feedback", response={200: list[FeedbackOut], **ERRORS})
def feedback_list(request, status: str = "open"):
    qs = queries.feedback_queue_for_user(request.user, None if status == "all" else status).prefetch_related("attachments")
    return [_feedback(f) for f in qs[:500]]


@router.post("/feedback/{feedback_id}/reply", response={200: FeedbackOut, **ERRORS})
def reply(request, feedback_id: int, data: ReplyIn):
    f = actions.reply_feedback(acting_user=request.user, feedback=get_feedback_for_user(request.user, feedback_id),
                               reply=data.reply, finding=data.finding, resolve=data.resolve)
    return _feedback(f)


@router.post("/feedback/{feedback_id}/resolve", response={200: FeedbackOut, **ERRORS})
def resolve(request, feedback_id: int):
    f = actions.resolve_feedback(acting_user=request.user, feedback=get_feedback_for_user(request.user, feedback_id))
    return _feedback(f)


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS})
def appointment_list(request):
    return [_appointment(a) for a in appointments_for_user(request.user).select_related("cadre", "post__org_unit")[:500]]


@router.get("/probations/ending", response={200: list[AppointmentOut], **ERRORS})
def probations_ending(request, within_days: Days = 60):
    today = timezone.localdate()
    return [_appointment(a) for a in queries.probations_ending_for_user(request.user, today, within_days)]


@router.post("/appointments", response={200: AppointmentOut, **ERRORS})
def appoint(request, data: AppointIn):
    require_manage(request.user)
    from gongxin.accounts.scope import cadre_q

    cadre = Cadre.objects.filter(cadre_q(request.user), pk=data.cadre_id).first()
    from .forms import posts_in_scope_q

    post = Post.objects.filter(posts_in_scope_q(request.user), pk=data.post_id).select_related("org_unit", "rank").first()
    if cadre is None or post is None:
        raise NotFound("appointment.not_found", _("找不到该干部或职位，或不在您的管理范围内。"))
    notice = get_notice_for_user(request.user, data.notice_id) if data.notice_id else None
    a = actions.appoint(acting_user=request.user, cadre=cadre, post=post, start=data.start, notice=notice,
                        document_number=data.document_number, probation=data.probation)
    return _appointment(a)


@router.post("/appointments/{appointment_id}/probation-decision", response={200: AppointmentOut, **ERRORS})
def probation_decision(request, appointment_id: int, data: DecisionIn):
    a = actions.decide_probation(acting_user=request.user,
                                 appointment=get_appointment_for_user(request.user, appointment_id),
                                 decision=data.decision, note=data.note, extend_months=data.extend_months)
    return _appointment(a)


@router.get("/workdays/period", response={200: PeriodOut, **ERRORS})
def period(request, start: Date, working_days: int | None = None):
    require_manage(request.user)
    n, source = (working_days, "") if working_days else integration.publicity_working_days()
    if not 1 <= n <= 60:
        raise DomainError("period.working_days", _("工作日数应在 1 至 60 之间。"))
    p = calendar.publicity_period(start, n)
    return {"start": p.start, "end": p.end, "working_days": n, "days": list(p.days), "warnings": list(p.warnings),
            "rule_source": source}
