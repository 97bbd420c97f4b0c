"""The yearly reports list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import Badge, choice_field, narrow, search_field

from .models import Report, ReportStatus


class ReportFilterForm(forms.Form):
    q = search_field(_("标题或范围"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 5}))
    status = choice_field(_("状态"), ReportStatus.choices)


def filter_reports(qs, form):
    return narrow(qs, form, {"q": ("title__contains", "org_unit__name__contains"), "year": "year", "status": "status"})


@cache
def report_list_spec() -> ListSpec:
    return ListSpec(
        name="evaluation.reports", default_sort="-year", models=("evaluation.Report",), export_name="selection-reports",
        empty=_("还没有报告。"), page_size=20,
        columns=[
            Column("year", _("年度"), lambda r: r.year, sort=("year", "org_unit__path")),
            Column("unit", _("范围"), lambda r: r.org_unit.name, sort=("org_unit__path",)),
            Column("title", _("标题"), lambda r: r.title, link=link_to("evaluation:report_detail"), sort=("title",)),
            Column("status", _("状态"), Badge(Report, "status", {ReportStatus.FINAL: "ok"}), html=True,
                   export=label_of(Report, "status"), sort=("status",)),
            Column("generated_at", _("生成时间"), lambda r: r.generated_at, sort=("generated_at",), default=False),
        ])
