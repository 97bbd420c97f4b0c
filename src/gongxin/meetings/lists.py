"""The recommendation meetings list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import Badge, choice_field, narrow, search_field

from .models import Meeting, MeetingMode, MeetingStatus


class MeetingFilterForm(forms.Form):
    q = search_field(_("会议名称或单位"))
    mode = choice_field(_("推荐方式"), MeetingMode.choices)
    status = choice_field(_("状态"), MeetingStatus.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 5}))


def filter_meetings(qs, form):
    return narrow(qs, form, {"q": ("title__contains", "org_unit__name__contains"), "mode": "mode",
                             "status": "status", "year": "meeting_date__year"})


@cache
def meeting_list_spec() -> ListSpec:
    return ListSpec(
        name="meetings.meetings", default_sort="-date", models=("meetings.Meeting",),
        export_name="recommendation-meetings", empty=_("还没有推荐会议。"),
        columns=[
            Column("title", _("会议名称"), lambda m: m.title, link=link_to("meetings:detail"), sort=("title",)),
            Column("unit", _("组织单位"), lambda m: m.org_unit.name, sort=("org_unit__path",)),
            Column("mode", _("推荐方式"), label_of(Meeting, "mode"), sort=("mode",)),
            Column("date", _("会议日期"), lambda m: m.meeting_date, sort=("meeting_date",)),
            Column("status", _("状态"), Badge(Meeting, "status", {"published": "ok", "open": "warn"}), html=True,
                   export=label_of(Meeting, "status"), sort=("status",)),
            Column("location", _("会议地点"), lambda m: m.location, default=False),
        ])
