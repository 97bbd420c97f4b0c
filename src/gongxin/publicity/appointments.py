"""Appointment: the gate before it (R17's period over, every feedback item answered), the
appointment record with the probation of R18, and the decision at the probation's end.

One door for a case's candidate. Whichever button or API is used (the candidate page's 任职,
``POST /api/cases/candidates/{id}/appoint``, the appointment form here or
``POST /api/publicity/appointments``), the cases app appoints the candidate
(``cases.actions.appoint_candidate``: the case's stage, the candidate's status and blockers, R18)
and :func:`on_candidate_appointed`, registered with ``cases.guards``, writes the one
``Appointment`` for it, linked to the case's pre-appointment notice. :func:`appoint` passes its
own details (任职文号, the notice, a probation chosen by hand, the day the gate is read on) to that
hook through :data:`_call`, so nothing is written twice. The gate is the same at both doors:
:func:`candidate_gate_blockers` and :func:`candidate_feedback_blockers` are the cases app's
per-candidate blockers, :func:`notice_blockers` what this app's own form checks.

People who are not a case's candidate (a notice without a case, an appointment that needs no
publicity) are appointed here directly."""

import datetime as dt
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases.eligibility import add_months  # pure: the month arithmetic the apps share
from gongxin.cases.eligibility import probation_end as last_day_of_probation
from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, Post, PostHolding

from . import calendar, integration
from .models import (
    OPEN_FEEDBACK,
    Appointment,
    Feedback,
    Notice,
    NoticeEntry,
    NoticeKind,
    NoticeStatus,
    ProbationDecision,
    ProbationStatus,
)

# What :func:`appoint` tells the hook while the cases app appoints its candidate:
# {"candidate": pk, "notice", "document_number", "today", "appointment": the record written}.
_call: ContextVar[dict | None] = ContextVar("publicity_appoint_call", default=None)


def _today() -> dt.date:
    return timezone.localdate()


# ---- the gate before appointment -----------------------------------------------------

def period_blockers(notice: Notice, today: dt.date | None = None) -> list[str]:
    """The notice not published yet, or its period (R17) still running."""
    today = today or _today()
    if notice.status == NoticeStatus.DRAFT:
        return [_("任前公示“%(title)s”尚未发布。") % {"title": notice.title}]
    if notice.period_end and not notice.period_over(today):
        left = calendar.remaining_working_days(today, notice.period_end)
        return [_("公示期未满：至 %(date)s 截止，还剩 %(n)d 个工作日。") % {"date": notice.period_end, "n": left}]
    return []


def notice_blockers(notice: Notice, today: dt.date | None = None, entry: NoticeEntry | None = None) -> list[str]:
    """Why the people of a pre-appointment notice cannot be appointed yet (empty: they can)."""
    blockers = period_blockers(notice, today)
    if notice.status == NoticeStatus.DRAFT:
        return blockers
    # Feedback that arrived after the period (a complaint, in problem files) holds the gate too
    # until it is answered: nobody is appointed over an unanswered complaint.
    open_items = notice.feedback.filter(status__in=OPEN_FEEDBACK)
    if entry is not None:
        open_items = open_items.filter(Q(entry=entry) | Q(entry__isnull=True))
    n = open_items.count()
    if n:
        blockers.append(_("公示反馈尚有 %(n)d 件未办结，请逐件核查答复后再任职。") % {"n": n})
    return blockers


def case_appointment_blockers(case) -> list[str]:
    """Guard registered with the cases app for moving a case into appointment."""
    from gongxin.cases.guards import blocker

    notices = list(Notice.objects.filter(case_id=case.pk, kind=NoticeKind.PRE_APPOINTMENT))
    if not notices:
        return [blocker(_("尚未生成任前公示。"), "publicity:notice_new")]
    blockers = []
    for notice in notices:
        blockers.extend(blocker(b, "publicity:notice", notice.pk) for b in notice_blockers(notice))
    return blockers


def candidate_feedback_blockers(candidate) -> list[str]:
    """Per-candidate guard for the cases app: open feedback about this person (or about the
    whole notice) in the case's pre-appointment notice."""
    n = Feedback.objects.filter(
        Q(entry__candidate_id=candidate.pk) | Q(entry__isnull=True, notice__case_id=candidate.case_id),
        notice__kind=NoticeKind.PRE_APPOINTMENT, status__in=OPEN_FEEDBACK).count()
    if n:
        from django.urls import reverse

        from gongxin.cases.guards import Blocker

        notice = Notice.objects.filter(case_id=candidate.case_id, kind=NoticeKind.PRE_APPOINTMENT).first()
        url = reverse("publicity:notice", args=[notice.pk]) if notice else reverse("publicity:feedback_queue")
        return [Blocker(_("%(name)s 的任前公示反馈尚有 %(n)d 件未办结。") % {"name": candidate.cadre.name, "n": n}, url)]
    return []


def candidate_feedback_blockers_many(candidates) -> dict[int, list[str]]:
    """``candidate_feedback_blockers`` for a list: one query finds who has open feedback (almost
    nobody), and only they are worded one by one."""
    candidates = list(candidates)
    if not candidates:
        return {}
    rows = Feedback.objects.filter(
        Q(entry__candidate_id__in=[c.pk for c in candidates])
        | Q(entry__isnull=True, notice__case_id__in={c.case_id for c in candidates}),
        notice__kind=NoticeKind.PRE_APPOINTMENT, status__in=OPEN_FEEDBACK,
    ).values_list("entry_id", "entry__candidate_id", "notice__case_id")
    people, cases = set(), set()
    for entry_id, candidate_id, case_id in rows:
        if entry_id is None:
            cases.add(case_id)
        else:
            people.add(candidate_id)
    return {c.pk: candidate_feedback_blockers(c) for c in candidates if c.pk in people or c.case_id in cases}


def _entry_of(candidate) -> NoticeEntry | None:
    """The candidate's line in the case's (latest) pre-appointment notice."""
    return (NoticeEntry.objects.filter(notice__case_id=candidate.case_id, notice__kind=NoticeKind.PRE_APPOINTMENT,
                                       candidate_id=candidate.pk)
            .select_related("notice").order_by("-notice_id").first())


def candidate_gate_blockers(candidate) -> list[str]:
    """Per-candidate guard for the cases app, once the case is at its appointment stage: what
    :func:`appoint` refuses, refused at the case's door too: a person missing from the case's
    pre-appointment notice (or a promotion with no notice at all), a notice not published or
    whose period still runs. (Open feedback: :func:`candidate_feedback_blockers`.)"""
    from gongxin.cases.guards import blocker

    if candidate.case.stage != "appointment":
        return []
    call = _call.get() or {}
    today = call.get("today") if call.get("candidate") == candidate.pk else None
    entry = _entry_of(candidate)
    if entry is None:
        notice = Notice.objects.filter(case_id=candidate.case_id, kind=NoticeKind.PRE_APPOINTMENT).order_by("-pk").first()
        if notice is not None:
            return [blocker(_("%(name)s 不在该任前公示中。") % {"name": candidate.cadre.name},
                            "publicity:notice", notice.pk)]
        from gongxin.cases.facts import post_for

        if probation_applies(candidate.cadre, post_for(candidate, candidate.post)):
            return [blocker(_("提拔任职须先经任前公示（R17），请选择对应的公示。"), "publicity:notice_new")]
        return []
    return [blocker(b, "publicity:notice", entry.notice_id) for b in period_blockers(entry.notice, today)]


# ---- appointment and probation -------------------------------------------------------

def probation_applies(cadre: Cadre, post: Post) -> bool:
    """R18: a promotion into a leadership post that is not filled by election."""
    from gongxin.people.models import PostKind

    if post.kind != PostKind.LEADERSHIP:
        return False
    current = cadre.rank.level if cadre.rank_id else 0
    return post.rank.level > current


def _record(*, acting_user, cadre: Cadre, post: Post, holding: PostHolding, start: dt.date, notice: Notice | None,
            case_id: int | None, document_number: str, probation_end: dt.date | None, rule: str | None) -> Appointment:
    """The appointment record and its ledger event, for a holding that has just started."""
    if Appointment.objects.filter(cadre=cadre, post=post, start=start).exists():
        raise Conflict("appointment.duplicate", _("该任职已登记。"))
    appointment = Appointment(cadre=cadre, post=post, org_unit=post.org_unit, holding=holding, notice=notice,
                              case_id=case_id, start=start, document_number=document_number,
                              probation_status=ProbationStatus.ON_PROBATION if probation_end else ProbationStatus.NONE,
                              probation_end=probation_end,
                              created_by=acting_user if getattr(acting_user, "pk", None) else None)
    full_clean_or_raise(appointment, exclude=["holding"])
    appointment.save()
    record_event(kind="publicity.appointment.recorded", subject=appointment, actor=acting_user,
                 payload={"cadre": cadre.pk, "post": post.pk, "start": start, "notice": notice.pk if notice else None,
                          "case": case_id, "probation_end": probation_end, "rule": rule if probation_end else None,
                          "document_number": document_number})
    return appointment


def on_candidate_appointed(candidate, acting_user) -> None:
    """Hook registered with ``cases.guards``: a case's candidate has just taken the post (inside
    the cases app's transaction): the appointment record, with the holding's probation."""
    call = _call.get()
    if call is not None and call.get("candidate") != candidate.pk:
        call = None
    call = call or {}
    holding = getattr(candidate, "holding", None)
    if holding is None:
        holding = (PostHolding.objects.filter(cadre_id=candidate.cadre_id, end__isnull=True)
                   .select_related("post__org_unit").order_by("-start", "-id").first())
    notice = call.get("notice")
    if notice is None:
        entry = _entry_of(candidate)
        notice = entry.notice if entry is not None else None
    case = integration.get_case(candidate.case_id)
    _months, source = integration.probation_months(case)
    appointment = _record(acting_user=acting_user, cadre=candidate.cadre, post=holding.post, holding=holding,
                          start=holding.start, notice=notice, case_id=candidate.case_id,
                          document_number=call.get("document_number", ""), probation_end=holding.probation_end,
                          rule=source)
    if "candidate" in call:
        call["appointment"] = appointment


@transaction.atomic
def appoint(*, acting_user, cadre: Cadre, post: Post, start: dt.date, notice: Notice | None = None,
            case_id: int | None = None, document_number: str = "", probation: bool | None = None,
            today: dt.date | None = None) -> Appointment:
    """The appointment record: checks the publicity gate, starts the post holding (the cadre's
    current post, rank and history update) and opens the probation of R18 where it applies.
    A case's candidate is appointed through the case (see the module's note)."""
    cadre = Cadre.objects.select_related("rank").get(pk=cadre.pk)
    entry = None
    if notice is not None:
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        entry = notice.entries.filter(cadre=cadre).first()
        if notice.kind == NoticeKind.PRE_APPOINTMENT and entry is None:
            raise DomainError("appointment.not_in_notice", _("%(name)s 不在该任前公示中。") % {"name": cadre.name})
        case_id = case_id or notice.case_id
    elif probation_applies(cadre, post):
        raise DomainError("appointment.no_publicity",
                          _("提拔任职须先经任前公示（R17），请选择对应的公示。"))
    if notice is not None and notice.kind == NoticeKind.PRE_APPOINTMENT:
        blockers = notice_blockers(notice, today, entry)
        if blockers:
            raise DomainError("appointment.blocked", " ".join(blockers), {"blockers": blockers})
    if Appointment.objects.filter(cadre=cadre, post=post, start=start).exists():
        raise Conflict("appointment.duplicate", _("该任职已登记。"))
    case = integration.get_case(case_id)
    candidate = integration.case_candidate(case, entry)
    if candidate is not None:
        return _appoint_candidate(acting_user, candidate, post=post, start=start, notice=notice,
                                  document_number=document_number, probation=probation, today=today)
    months, source = integration.probation_months(case)
    with_probation = probation_applies(cadre, post) if probation is None else probation
    probation_end = last_day_of_probation(start, months) if with_probation else None
    holding = people_actions.appoint_to_post(acting_user=acting_user, cadre=cadre, post=post, start=start,
                                             probation_end=probation_end, note=document_number)
    return _record(acting_user=acting_user, cadre=cadre, post=post, holding=holding, start=start, notice=notice,
                   case_id=case_id, document_number=document_number, probation_end=probation_end, rule=source)


def _appoint_candidate(acting_user, candidate, *, post, start, notice, document_number, probation, today):
    """A case's candidate: the cases app appoints (its own checks, R18) and the hook records it."""
    from gongxin.cases.facts import post_for

    proposed = post_for(candidate, candidate.post)
    if proposed.pk != post.pk:
        raise DomainError("appointment.other_post", _("%(name)s 在选任案件中拟任%(proposed)s，不能任%(post)s。") % {
            "name": candidate.cadre.name, "proposed": proposed, "post": post})
    token = _call.set({"candidate": candidate.pk, "notice": notice, "document_number": document_number,
                       "today": today, "appointment": None})
    try:
        integration.appoint_candidate(acting_user=acting_user, candidate=candidate, start=start, probation=probation)
        appointment = _call.get()["appointment"]
    finally:
        _call.reset(token)
    if appointment is None:
        # The hook is not registered (a test that unplugged it): record here, once.
        holding = PostHolding.objects.filter(cadre=candidate.cadre_id, start=start, end__isnull=True).order_by("-id").first()
        _months, source = integration.probation_months(integration.get_case(candidate.case_id))
        appointment = _record(acting_user=acting_user, cadre=candidate.cadre, post=post, holding=holding, start=start,
                              notice=notice, case_id=candidate.case_id, document_number=document_number,
                              probation_end=holding.probation_end, rule=source)
    return appointment


@transaction.atomic
def decide_probation(*, acting_user, appointment: Appointment, decision: str, note: str = "",
                     extend_months: int = 6, on: dt.date | None = None) -> Appointment:
    """End of probation: confirm, extend, or not confirmed (the trial post ends)."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.probation_status not in (ProbationStatus.ON_PROBATION, ProbationStatus.EXTENDED):
        raise Conflict("probation.not_running", _("该任职不在试用期中。"))
    on = on or _today()
    if decision not in ProbationDecision.values:
        raise DomainError("probation.decision", _("请选择期满决定：正式任职、延长试用期或不予正式任职。"))
    if not note.strip():
        raise DomainError("probation.note", _("请填写试用期满考核意见。"), {"fields": {"note": [_("请填写考核意见。")]}})
    payload: dict[str, Any] = {"decision": decision, "on": on}
    if decision == ProbationDecision.CONFIRM:
        appointment.probation_status = ProbationStatus.CONFIRMED
    elif decision == ProbationDecision.EXTEND:
        if appointment.probation_status == ProbationStatus.EXTENDED:
            raise Conflict("probation.extended_once", _("试用期已延长过一次，请作出正式任职或不予正式任职的决定。"))
        if not 1 <= extend_months <= 12:
            raise DomainError("probation.extend_months", _("延长期限应为 1 至 12 个月。"))
        appointment.probation_status = ProbationStatus.EXTENDED
        appointment.probation_end = add_months(appointment.probation_end, extend_months)
        people_actions.set_probation_end(acting_user=acting_user, holding=PostHolding(pk=appointment.holding_id),
                                         probation_end=appointment.probation_end, reason="extended")
        payload["probation_end"] = appointment.probation_end
    else:
        appointment.probation_status = ProbationStatus.NOT_CONFIRMED
        holding = PostHolding.objects.get(pk=appointment.holding_id)
        if holding.end is None:
            people_actions.end_post_holding(acting_user=acting_user, holding=holding, end=max(on, holding.start),
                                            note=_("试用期满不合格，免去试任职务"))
    appointment.decision = decision
    appointment.decision_note = note.strip()
    appointment.decided_at = timezone.now()
    appointment.decided_by = acting_user if getattr(acting_user, "pk", None) else None
    appointment.save()
    record_event(kind="publicity.probation.decided", subject=appointment, actor=acting_user, payload=payload)
    return appointment
