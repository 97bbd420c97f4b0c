"""The assessment lists under the list convention (core/lists): years, indicators of the
indicator systems, accountability cases, cadres whose daily file has a gap."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field
from gongxin.people.models import OrgUnitKind

from .models import (
    Accountability,
    AccountabilityKind,
    AccountabilityStatus,
    AssessmentYear,
    Indicator,
    YearStatus,
)

# ---- years --------------------------------------------------------------------------------------

class YearFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 5}))
    status = choice_field(_("状态"), YearStatus.choices)


def filter_years(qs, form):
    return narrow(qs, form, {"year": "year", "status": "status"})


def _systems(y):
    return "；".join(str(s) for s in y.systems.all())


@cache
def year_list_spec() -> ListSpec:
    return ListSpec(
        name="assessment.years", default_sort="-year", models=("assessment.AssessmentYear",),
        export_name="assessment-years", empty=_("还没有考核年度。"),
        columns=[
            Column("year", _("年度"), str, link=link_to("assessment:year_detail", "year"), sort=("year",)),
            Column("status", _("状态"), label_of(AssessmentYear, "status"), sort=("status",)),
            Column("systems", _("指标体系"), _systems),
            Column("public_weight", _("群众评议权重"), lambda y: y.public_weight, sort=("public_weight",)),
        ])


# ---- indicator systems: their indicators ----------------------------------------------------

class IndicatorFilterForm(forms.Form):
    q = search_field(_("指标或体系名称"))
    category = choice_field(_("单位类别"), OrgUnitKind.choices)
    frozen = choice_field(_("已冻结"), [("yes", _("是")), ("no", _("否"))])


def filter_indicators(qs, form):
    return narrow(qs, form, {"q": ("name__contains", "system__name__contains"), "category": "system__category",
                             "frozen": lambda qs, v: qs.filter(system__frozen=v == "yes")})


def _system(i):
    return f"{i.system}（{_('已冻结')}）" if i.system.frozen else str(i.system)


@cache
def indicator_list_spec() -> ListSpec:
    return ListSpec(
        name="assessment.indicators", default_sort="system", models=("assessment.Indicator", "assessment.IndicatorSystem"),
        export_name="indicator-systems", empty=_("还没有指标体系。"),
        columns=[
            Column("system", _("指标体系"), _system, sort=("system__category", "-system__version", "order")),
            Column("category", _("单位类别"), lambda i: i.system.get_category_display(),
                   sort=("system__category",)),
            Column("name", _("指标"), lambda i: i.name, sort=("name",)),
            Column("dimension", _("维度"), label_of(Indicator, "dimension"), sort=("dimension",)),
            Column("weight", _("权重"), lambda i: f"{i.weight:.3f}", sort=("weight",), css="num"),
            Column("direction", _("方向"), label_of(Indicator, "direction")),
            Column("floor", _("基准值"), lambda i: i.floor, css="num"),
            Column("target", _("目标值"), lambda i: i.target, css="num"),
        ])


# ---- accountability -------------------------------------------------------------------------

class AccountabilityFilterForm(forms.Form):
    q = search_field(_("干部姓名"))
    status = choice_field(_("状态"), AccountabilityStatus.choices)
    kind = choice_field(_("问责方式"), AccountabilityKind.choices)


def filter_accountability(qs, form):
    return narrow(qs, form, {"q": "cadre__name__contains", "status": "status", "kind": "kind"})


def _facts(c):
    return c.facts if len(c.facts) <= 40 else c.facts[:39] + "…"


@cache
def accountability_list_spec() -> ListSpec:
    return ListSpec(
        name="assessment.accountability", default_sort="-opened_on", models=("assessment.Accountability",),
        export_name="accountability", empty=_("没有符合条件的问责案件。"),
        columns=[
            Column("opened_on", _("立案日期"), lambda c: c.opened_on, sort=("opened_on",)),
            Column("cadre", _("干部"), lambda c: c.cadre.name, link=link_to("assessment:accountability_detail"),
                   sort=("cadre__name_pinyin",)),
            Column("unit", _("单位"), lambda c: c.cadre.org_unit.name, sort=("cadre__org_unit__path",)),
            Column("facts", _("问责事实"), _facts, export=lambda c: c.facts),
            Column("status", _("状态"), label_of(Accountability, "status"), sort=("status",)),
            Column("kind", _("问责方式"), lambda c: c.get_kind_display() or "—", sort=("kind",)),
            Column("bar_months", _("影响提拔期"), lambda c: _("%(n)s 个月") % {"n": c.bar_months} if c.bar_months else "—",
                   sort=("bar_months",)),
            Column("decided_on", _("决定日期"), lambda c: c.decided_on, sort=("decided_on",), default=False),
        ])


# ---- daily records: cadres without a recent entry ---------------------------------------------

class DailyGapFilterForm(forms.Form):
    days = forms.IntegerField(label=_("最近天数"), required=False, min_value=1, max_value=3660, initial=90,
                              widget=forms.NumberInput(attrs={"size": 5}))
    q = search_field(_("姓名"))


def _to_assessment(link):
    def bound():
        get = link.bind()
        return lambda c: get(c) + "#assessment"

    def one(c):
        return link(c) + "#assessment"

    one.bind = bound
    return one


@cache
def daily_gap_list_spec() -> ListSpec:
    return ListSpec(
        name="assessment.daily_gaps", default_sort="unit", models=("people.Cadre", "assessment.DailyRecord"),
        export_name="daily-record-gaps", empty=_("没有缺记录的干部。"),
        columns=[
            Column("name", _("姓名"), lambda c: c.name, link=_to_assessment(link_to("people:cadre_detail")),
                   sort=("name_pinyin",)),
            Column("unit", _("单位"), lambda c: c.org_unit.name, sort=("org_unit__path", "name_pinyin")),
            Column("rank", _("职级"), lambda c: c.rank.name if c.rank_id else "", sort=("rank__level",)),
            Column("post", _("现任职务"), lambda c: c.current_post_title),
        ])
