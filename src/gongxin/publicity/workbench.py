"""The publicity app's lines on the workbench (``workbench_items`` hook): feedback to answer
(due by the end of its notice's period), notices past their period that feedback still holds
open (the others end by themselves, closing.py), probations ending."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import closing, permissions
from .models import OPEN_FEEDBACK, ProbationStatus

PROBATION_ENDING_DAYS = 30


def items(user, today: dt.date) -> list[Item]:
    if not permissions.can_manage_publicity(user):
        return []
    out: list[Item | None] = []
    feedback = (permissions.feedback_for_user(user).filter(status__in=OPEN_FEEDBACK)
                .filter(Q(assigned_to__isnull=True) | Q(assigned_to=user)).select_related("notice", "entry"))
    out.append(line(feedback, today=today, key="publicity.feedback", title=_("公示反馈待答复"),
                    list_url=reverse("publicity:feedback_queue") + "?status=open", deadline="notice__period_end",
                    object_url=lambda f: reverse("publicity:feedback", args=[f.pk]),
                    why=lambda f: _("%(notice)s：%(category)s") % {"notice": f.notice.title,
                                                                    "category": f.get_category_display()},
                    action=_("答复"), fields=("category", "notice__title")))
    # Notices end by themselves the day after their period (closing.py), unless feedback is
    # still open: those wait on the clerk.
    held = closing.held(today, permissions.notices_for_user(user))
    out.append(line(held, today=today, key="publicity.notices_held", title=_("公示期已满，尚有反馈未办结"),
                    list_url=reverse("publicity:notices"), deadline="period_end",
                    object_url=lambda n: reverse("publicity:notice", args=[n.pk]),
                    why=lambda n: _("%(title)s，%(date)s 期满；反馈办结后公示自动结束") % {
                        "title": n.title, "date": n.period_end.isoformat()},
                    action=_("办结反馈"), fields=("title", "period_end")))
    probations = permissions.appointments_for_user(user).filter(
        probation_status__in=[ProbationStatus.ON_PROBATION, ProbationStatus.EXTENDED],
        probation_end__lte=today + dt.timedelta(days=PROBATION_ENDING_DAYS)).select_related("cadre", "post")
    out.append(line(probations, today=today, key="publicity.probations", title=_("试用期将满，待作出期满决定"),
                    list_url=reverse("publicity:appointments"), deadline="probation_end",
                    object_url=lambda a: reverse("publicity:appointment", args=[a.pk]),
                    why=lambda a: _("%(name)s 任 %(post)s，试用期至 %(date)s") % {
                        "name": a.cadre.name, "post": a.post.title, "date": a.probation_end.isoformat()},
                    action=_("期满考核"), fields=("probation_end", "cadre__name", "post__title")))
    return [i for i in out if i is not None]



