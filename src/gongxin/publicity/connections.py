"""A case's (or a candidate's) notices, feedback and appointments, for its 关联记录
(registered in AppConfig.ready())."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Appointment, Feedback, FeedbackStatus, Notice, NoticeStatus, ProbationStatus


def case_connections(case, candidate=None):
    from gongxin.cases.guards import Connection, states_of

    notices = Notice.objects.filter(case_id=case.pk)
    if candidate is not None:
        notices = notices.filter(entries__cadre_id=candidate.cadre_id).distinct()
    notices = list(notices.only("pk", "title", "status").order_by("id"))
    items = [(n.title, reverse("publicity:notice", args=[n.pk])) for n in notices[:5]]
    out = [Connection(_("任前公示"), len(notices), items[0][1] if len(items) == 1 else reverse("publicity:notices"),
                      states_of([n.status for n in notices], dict(NoticeStatus.choices)), items, order=60)]
    feedback = Feedback.objects.filter(notice__case_id=case.pk)
    if candidate is not None:
        feedback = feedback.filter(Q(entry__cadre_id=candidate.cadre_id) | Q(entry__isnull=True))
    statuses = list(feedback.values_list("status", flat=True))
    out.append(Connection(_("公示反馈"), len(statuses), items[0][1] if len(items) == 1 else reverse("publicity:feedback_queue"),
                          states_of(statuses, dict(FeedbackStatus.choices)), order=65))
    appointments = Appointment.objects.filter(case_id=case.pk).select_related("cadre")
    if candidate is not None:
        appointments = appointments.filter(cadre_id=candidate.cadre_id)
    appointments = list(appointments.order_by("id"))
    a_items = [(f"{a.cadre.name} · {a.start:%Y-%m-%d}", reverse("publicity:appointment", args=[a.pk])) for a in appointments[:5]]
    out.append(Connection(_("任职"), len(appointments), a_items[0][1] if len(a_items) == 1 else reverse("publicity:appointments"),
                          states_of([a.probation_status for a in appointments], dict(ProbationStatus.choices)), a_items, order=70))
    return out
