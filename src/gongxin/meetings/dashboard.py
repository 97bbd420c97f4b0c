"""The meetings app's figures on the statistics dashboard (``dashboard_figures`` hook): the
recommendation meetings held in the year, open nominations (海选) apart."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.workbench.figures import Cell, FigureSpec, Records, Scope, labelled

from .models import Meeting, MeetingMode


def held(scope: Scope):
    return Meeting.objects.filter(scope.units("org_unit"), meeting_date__gte=scope.start, meeting_date__lte=scope.end)


def _meetings(scope: Scope):
    return labelled(dict(held(scope).order_by().values_list("mode").annotate(n=Count("pk"))), MeetingMode)


def _row(m: Meeting) -> list[Cell]:
    return [Cell(m.title, reverse("meetings:detail", args=[m.pk])), Cell(m.org_unit.name), Cell(m.get_mode_display()),
            Cell(m.meeting_date.isoformat()), Cell(m.get_status_display()), Cell(str(m.electors_n))]


def _records(scope: Scope, part: str) -> Records:
    qs = held(scope).select_related("org_unit").annotate(electors_n=Count("electors")).order_by("meeting_date", "pk")
    if part:
        qs = qs.filter(mode=part)
    return Records([gettext_lazy("会议名称"), gettext_lazy("组织单位"), gettext_lazy("推荐方式"), gettext_lazy("会议日期"),
                    gettext_lazy("状态"), gettext_lazy("应到人数")], qs, _row)


def figures() -> list[FigureSpec]:
    return [FigureSpec("nomination_meetings", _("民主推荐会议（按推荐方式）"), _meetings, _records, unit=_("场"), order=30,
                       note=_("本年度召开的推荐会议；“海选”即会议推荐，可推荐任何符合条件的干部。"))]
