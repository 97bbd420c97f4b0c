"""The publicity app's lines on the workbench (``workbench_items`` hook): feedback to answer
(due by the end of its notice's period), notices ending (to close), probations ending."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import permissions
from .models import OPEN_FEEDBACK, NoticeStatus, ProbationStatus

NOTICE_ENDING_DAYS = 3
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
                    action=_("答复")))
    ending = permissions.notices_for_user(user).filter(
        status=NoticeStatus.PUBLISHED, period_end__lte=today + dt.timedelta(days=NOTICE_ENDING_DAYS))
    out.append(line(ending, today=today, key="publicity.notices_ending", title=_("公示期将满或已满，待结束公示"),
                    list_url=reverse("publicity:notices"), deadline="period_end",
                    object_url=lambda n: reverse("publicity:notice", args=[n.pk]),
                    why=lambda n: _("%(title)s，公示截止 %(date)s") % {"title": n.title, "date": n.period_end.isoformat()},
                    action=_("结束公示")))
    probations = permissions.appointments_for_user(user).filter(
        probation_status__in=[ProbationStatus.ON_PROBATION, ProbationStatus.EXTENDED],
        probation_end__lte=today + dt.timedelta(days=PROBATION_ENDING_DAYS)).select_related("cadre", "post")
    out.append(line(probations, today=today, key="publicity.probations", title=_("试用期将满，待作出期满决定"),
                    list_url=reverse("publicity:appointments"), deadline="probation_end",
                    object_url=lambda a: reverse("publicity:appointment", args=[a.pk]),
                    why=lambda a: _("%(name)s 任 %(post)s，试用期至 %(date)s") % {
                        "name": a.cadre.name, "post": a.post.title, "date": a.probation_end.isoformat()},
                    action=_("期满考核")))
    return [i for i in out if i is not None]



