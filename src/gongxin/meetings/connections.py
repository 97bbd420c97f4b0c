"""The recommendation meetings of a case, for its 关联记录 (registered in AppConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext as _


def case_connections(case, candidate=None):
    from gongxin.cases.guards import Connection, states_of

    from .models import Meeting, MeetingStatus

    meetings = Meeting.objects.filter(case=case)
    if candidate is not None:
        meetings = meetings.filter(posts__candidates__cadre_id=candidate.cadre_id).distinct()
    meetings = list(meetings.only("pk", "title", "status").order_by("id"))
    if not meetings and candidate is not None:
        return []
    items = [(m.title, reverse("meetings:detail", args=[m.pk])) for m in meetings[:5]]
    url = items[0][1] if len(items) == 1 else reverse("meetings:list")
    return [Connection(_("推荐会议"), len(meetings), url, states_of([m.status for m in meetings], dict(MeetingStatus.choices)),
                       items, order=10)]
