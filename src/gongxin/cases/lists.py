"""The case list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field

from .models import Application, Case, CaseStage, CaseStatus, VacancyNotice

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


# ---- vacancy notices (职位空缺公告) --------------------------------------------------------

class NoticeFilterForm(forms.Form):
    q = search_field(_("职位或单位"))
    status = choice_field(_("状态"), VacancyNotice.Status.choices)


def filter_notices(qs, form):
    return narrow(qs, form, {"q": ("post__title__contains", "post__org_unit__name__contains"), "status": "status"})


def _qualifications(n):
    return n.qualifications if len(n.qualifications) <= 60 else n.qualifications[:59] + "…"


class _Mine:
    """The user's own application to the notice (annotated ``my_status``), by its label."""

    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        labels = choice_labels(Application, "status")
        return lambda n: labels.get(n.my_status, "") if n.my_status else ""


@cache
def notice_list_spec() -> ListSpec:
    return ListSpec(
        name="cases.notices", default_sort="-published", models=("cases.VacancyNotice", "cases.Application"),
        export_name="vacancy-notices", empty=_("目前没有公告"),
        columns=[
            Column("post", _("职位"), lambda n: str(n.post), link=link_to("cases:notice_detail"),
                   sort=("post__org_unit__path", "post__title")),
            Column("qualifications", _("任职条件"), _qualifications, export=lambda n: n.qualifications),
            Column("deadline", _("报名截止"), lambda n: n.deadline, sort=("deadline",)),
            Column("status", _("状态"), label_of(VacancyNotice, "status"), sort=("status",)),
            Column("mine", _("我的报名"), _Mine()),
            Column("published", _("发布时间"), lambda n: n.published_at, sort=("published_at",), default=False),
        ])


# ---- rule sets (规则管理) --------------------------------------------------------------------

class RuleSetFilterForm(forms.Form):
    q = search_field(_("适用范围或修订说明"))
    frozen = choice_field(_("已被案件冻结"), [("yes", _("是")), ("no", _("否"))])


def filter_rule_sets(qs, form):
    return narrow(qs, form, {"q": ("jurisdiction__contains", "note__contains"),
                             "frozen": lambda qs, v: qs.filter(frozen=v == "yes")})


@cache
def rule_set_list_spec() -> ListSpec:
    return ListSpec(
        name="cases.rule_sets", default_sort="jurisdiction", models=("cases.RuleSet", "cases.Rule"),
        export_name="rule-sets",
        columns=[
            Column("jurisdiction", _("适用范围"), lambda s: s.jurisdiction, sort=("jurisdiction", "-version")),
            Column("version", _("版本"), lambda s: f"v{s.version}", link=link_to("cases:rule_set_detail"),
                   sort=("version",)),
            Column("effective_from", _("生效日期"), lambda s: s.effective_from, sort=("effective_from",)),
            Column("rules", _("规则数"), lambda s: s.n_rules, sort=("n_rules",), css="num"),
            Column("frozen", _("已被案件冻结"), lambda s: "✓" if s.frozen else "", sort=("frozen",),
                   export=lambda s: s.frozen),
            Column("note", _("修订说明"), lambda s: s.note),
        ])
