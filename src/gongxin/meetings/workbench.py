"""The meetings app's lines on the workbench (``workbench_items`` hook): recommendation meetings
to prepare (their date is near), to close (voting past its day), and results to publish."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import permissions
from .models import MeetingStatus

PREPARE_DAYS = 7


def items(user, today: dt.date) -> list[Item]:
    if not permissions.can_manage_meetings(user):
        return []
    mine = permissions.meetings_for_user(user)
    detail = lambda m: reverse("meetings:detail", args=[m.pk])  # noqa: E731
    listed = reverse("meetings:list")
    found = [
        line(mine.filter(status=MeetingStatus.DRAFT, meeting_date__lte=today + dt.timedelta(days=PREPARE_DAYS)),
             today=today, key="meetings.prepare", title=_("推荐会议待筹备开启"), list_url=listed,
             deadline="meeting_date", object_url=detail, action=_("筹备会议"), fields=("title", "meeting_date"),
             why=lambda m: _("%(title)s，%(date)s 召开") % {"title": m.title, "date": m.meeting_date.isoformat()}),
        line(mine.filter(status=MeetingStatus.OPEN), today=today, key="meetings.close", title=_("推荐会议投票中，待结束计票"),
             list_url=listed, deadline="meeting_date", object_url=detail, action=_("结束计票"),
             why=lambda m: m.title, fields=("title",)),
        line(mine.filter(status=MeetingStatus.CLOSED), today=today, key="meetings.publish", title=_("推荐结果待公布"),
             list_url=listed, deadline=None, object_url=detail, action=_("公布结果"), why=lambda m: m.title,
             fields=("title",)),
    ]
    return [i for i in found if i is not None]
