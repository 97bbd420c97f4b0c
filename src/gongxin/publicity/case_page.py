"""A public page per case (issue 21): for a case whose pre-appointment notice is public, its
timeline — motion, channels, recommendation meetings' results, the decision's date and outcome,
the notice, feedback counts and their status, the appointment — each line with the ledger
event that records it and the link to that event's inclusion proof.

Only what is public already goes on it: dates, the channels by name, a meeting's published
result, how many candidates the decision passed (not who voted how, nor who was not passed),
the notice's own text, how many feedback items there are in each status (never their text or
sender), and the appointment of the people the notice named. Private events show their leaf
hash and proof only, as the public ledger page does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongxin.ledger.models import Event

from . import integration
from .models import Appointment, Feedback, FeedbackStatus, Notice, NoticeKind, NoticeStatus


@dataclass
class Line:
    date: dt.date | None
    step: str
    text: str
    seq: int | None = None
    leaf_hash: str = ""
    link: str | None = None          # the public page of the line's object (notice, meeting result)
    public_event: bool = False

    @property
    def proof_url(self) -> str | None:
        return integration.inclusion_proof_url(self.seq, self.leaf_hash) if self.seq is not None else None


def public_notice_of_case(case_id: int) -> Notice | None:
    """The case's pre-appointment notice, once the public can read it."""
    return (Notice.objects.filter(case_id=case_id, kind=NoticeKind.PRE_APPOINTMENT,
                                  status__in=[NoticeStatus.PUBLISHED, NoticeStatus.CLOSED])
            .select_related("org_unit").order_by("published_at", "pk").first())


def _events(subject_type: str, ids, kinds) -> dict[tuple[str, str], Event]:
    """The latest event of each of ``kinds`` per subject: {(kind, subject id): event}."""
    ids = [str(i) for i in ids]
    if not ids:
        return {}
    rows = (Event.objects.filter(subject_type=subject_type, subject_id__in=ids, kind__in=kinds)
            .only("seq", "kind", "subject_id", "leaf_hash", "public", "recorded_at").order_by("seq"))
    return {(e.kind, e.subject_id): e for e in rows}


def _url(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _line(date, step, text, event: Event | None, link=None) -> Line:
    if event is None:
        return Line(date, step, text, link=link)
    return Line(date, step, text, event.seq, bytes(event.leaf_hash).hex(), link, event.public)


def case_timeline(case_id: int) -> dict | None:
    """The page's content, or None when the case has no public notice (the page is a 404)."""
    notice = public_notice_of_case(case_id)
    case = integration.get_case(case_id) if notice is not None else None
    if case is None:
        return None
    lines: list[Line] = []
    # 1. the motion and its channels
    opened = _events("cases.case", [case.pk], ["cases.case.opened"]).get(("cases.case.opened", str(case.pk)))
    lines.append(_line(case.motion_date, _("动议"), _("启动选任：%(title)s") % {"title": case.title}, opened))
    channel_labels = dict(type(case)._meta.apps.get_app_config("cases").models_module.Channel.choices)
    if case.channels:
        lines.append(_line(case.motion_date, _("提名渠道"),
                           "、".join(str(channel_labels.get(c, c)) for c in case.channels), opened))
    # 2. recommendation meetings' published results
    if apps.is_installed("gongxin.meetings"):
        meeting_model = apps.get_model("meetings", "Meeting")
        meetings = list(meeting_model.objects.filter(case_id=case.pk, status="published").order_by("meeting_date", "pk"))
        published = _events("meetings.meeting", [m.pk for m in meetings], ["meetings.meeting.published"])
        for m in meetings:
            event = published.get(("meetings.meeting.published", str(m.pk)))
            link = _url("meetings_public:notice", m.pk)
            lines.append(_line(m.meeting_date, _("民主推荐"), _("推荐会议“%(title)s”：结果已公布") % {"title": m.title},
                               event, link))
    # 3. the decision meetings: date and outcome, never who said what
    decisions = list(case.decision_meetings.exclude(status="open").order_by("held_on", "pk"))
    taken = _events("cases.decisionmeeting", [d.pk for d in decisions],
                    ["cases.decision.taken", "cases.decision_meeting.not_held"])
    for d in decisions:
        if d.status == "not_held":
            event = taken.get(("cases.decision_meeting.not_held", str(d.pk)))
            text = _("讨论决定会议未达到法定到会人数，会议无效，另行召开")
        else:
            event = taken.get(("cases.decision.taken", str(d.pk)))
            rows = (d.result or {}).get("candidates", [])
            text = _("讨论决定：%(passed)d 名拟任人选获得通过") % {"passed": sum(1 for r in rows if r.get("passed"))}
        lines.append(_line(d.held_on, _("讨论决定"), text, event))
    # 4. the notice
    notice_event = _events("publicity.notice", [notice.pk], ["publicity.notice.published", "publicity.notice.closed"])
    published_event = notice_event.get(("publicity.notice.published", str(notice.pk)))
    period = ""
    if notice.period_start and notice.period_end:
        period = _("，公示期 %(start)s 至 %(end)s（%(n)s 个工作日）") % {
            "start": notice.period_start, "end": notice.period_end, "n": notice.working_days}
    lines.append(_line(notice.published_at.date() if notice.published_at else notice.period_start, _("任前公示"),
                       _("发布“%(title)s”") % {"title": notice.title} + period, published_event,
                       _url("publicity_public:notice", notice.pk)))
    # 5. feedback: counts by status only
    counts = {s: 0 for s in FeedbackStatus.values}
    for status in Feedback.objects.filter(notice=notice, after_period=False).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    closed_event = notice_event.get(("publicity.notice.closed", str(notice.pk)))
    if total:
        text = _("公示期间收到反映意见 %(n)d 件：") % {"n": total} + "，".join(
            f"{label} {counts[value]} 件" for value, label in FeedbackStatus.choices if counts[value])
    else:
        text = _("公示期间未收到反映意见")
    # dated by the period's last day: what is counted is the feedback received during the period
    lines.append(_line(notice.period_end, _("反映意见"), text, closed_event))
    # 6. the appointments of the people the notice named
    appointments = list(Appointment.objects.filter(case_id=case.pk).select_related("cadre", "post", "org_unit")
                        .order_by("start", "pk"))
    recorded = _events("publicity.appointment", [a.pk for a in appointments], ["publicity.appointment.recorded"])
    for a in appointments:
        text = _("%(name)s 任 %(unit)s%(post)s") % {"name": a.cadre.name, "unit": a.org_unit.name, "post": a.post.title}
        if a.document_number:
            text += f"（{a.document_number}）"
        lines.append(_line(a.start, _("任职"), text, recorded.get(("publicity.appointment.recorded", str(a.pk)))))
    return {"case": case, "notice": notice, "lines": lines, "feedback": counts, "feedback_total": total}
