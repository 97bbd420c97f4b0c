"""The case list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of

from .models import Case, CaseStage, CaseStatus

_BADGE = {"suspended": " warn", "withdrawn": " bad", "completed": " ok"}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或单位"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部")), *CaseStage.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices])


class _Status:
    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        labels = choice_labels(Case, "status")
        return lambda c: format_html('<span class="badge{}">{}</span>', _BADGE.get(c.status, ""),
                                     labels.get(c.status, c.status))


@cache
def case_list_spec() -> ListSpec:
    return ListSpec(
        name="cases.cases", default_sort="-created", models=("cases.Case",), export_name="cases", page_size=20,
        empty=_("没有符合条件的案件"),
        columns=[
            Column("title", _("案件名称"), lambda c: c.title, link=link_to("cases:case_detail"), sort=("title",)),
            Column("unit", _("单位"), lambda c: c.org_unit.name, sort=("org_unit__path",)),
            Column("stage", _("阶段"), label_of(Case, "stage"), sort=("stage",)),
            Column("status", _("状态"), _Status(), html=True, export=label_of(Case, "status")),
            Column("posts", _("职位"), lambda c: c.n_posts, css="num"),
            Column("candidates", _("有效人选"), lambda c: c.n_candidates, css="num"),
            Column("rules", _("规则版本"), lambda c: f"v{c.rule_set.version}"),
            Column("motion_date", _("动议日期"), lambda c: c.motion_date, sort=("motion_date",)),
            Column("created", _("创建时间"), lambda c: c.created_at, sort=("created_at",), default=False),
        ],
    )
