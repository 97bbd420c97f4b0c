"""The problem files list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field

from .models import ProblemFile, ProblemStatus


class ProblemFilterForm(forms.Form):
    q = forms.CharField(label=_("被反映干部"), required=False, max_length=30, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *ProblemStatus.choices])


class _Finding:
    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        labels = choice_labels(ProblemFile, "finding")

        def get(p):
            if not p.finding:
                return ""
            return format_html('<span class="badge {}">{}</span>', "bad" if p.finding == "substantiated" else "ok",
                               labels.get(p.finding, p.finding))

        return get


def _text(p):
    return p.text if len(p.text) <= 40 else p.text[:39] + "…"


@cache
def problem_list_spec() -> ListSpec:
    return ListSpec(
        name="inspection.problems", default_sort="-received", models=("inspection.ProblemFile",),
        export_name="problem-files", empty=_("没有符合条件的问题档案。"),
        columns=[
            Column("received", _("受理时间"), lambda p: p.received_at.date() if p.received_at else None,
                   sort=("received_at",)),
            Column("cadre", _("被反映干部"), lambda p: p.cadre.name, link=link_to("inspection:problem_detail"),
                   sort=("cadre__name_pinyin",)),
            Column("channel", _("来源"), label_of(ProblemFile, "channel"), sort=("channel",)),
            Column("text", _("反映内容"), _text, export=lambda p: p.text),
            Column("status", _("状态"), label_of(ProblemFile, "status"), sort=("status",)),
            Column("finding", _("结论"), _Finding(), html=True, export=label_of(ProblemFile, "finding")),
        ])


class _Badge:
    """A yes/no as a badge (ok or bad); the file gets the words."""

    def __init__(self, attr, yes, no):
        self.attr, self.yes, self.no = attr, yes, no

    def __call__(self, row):
        return format_html('<span class="badge ok">{}</span>', self.yes) if getattr(row, self.attr) else \
            format_html('<span class="badge bad">{}</span>', self.no)

    def text(self, row):
        return str(self.yes if getattr(row, self.attr) else self.no)


# ---- inspectors ------------------------------------------------------------------------------

class InspectorFilterForm(forms.Form):
    q = search_field(_("姓名"))
    certified = choice_field(_("考察资格"), [("yes", _("有效")), ("no", _("无有效证书"))])


def filter_inspectors(qs, form):
    return narrow(qs, form, {"q": ("full_name__contains", "username__contains"),
                             "certified": lambda qs, v: qs.filter(is_certified=v == "yes")})


def _findings(u):
    return format_html('<span class="bad">{}</span>', u.finding_count) if u.finding_count else "0"


@cache
def inspector_list_spec() -> ListSpec:
    certified = _Badge("is_certified", _("有效"), _("无有效证书"))
    return ListSpec(
        name="inspection.inspectors", default_sort="name", models=("accounts.User", "inspection.Certificate",
                                                                   "inspection.TeamMember", "inspection.ReportFinding"),
        export_name="inspectors", empty=_("暂无考察人员账号"),
        columns=[
            Column("name", _("姓名"), lambda u: u.display_name, link=link_to("inspection:inspector_detail"),
                   sort=("full_name", "username")),
            Column("certified", _("考察资格"), certified, html=True, export=certified.text, sort=("is_certified",)),
            Column("teams", _("参加考察组"), lambda u: u.team_count, sort=("team_count",), css="num"),
            Column("findings", _("责任认定"), _findings, html=True, export=lambda u: u.finding_count,
                   sort=("finding_count",), css="num"),
        ])


# ---- key projects ----------------------------------------------------------------------------

class ProjectFilterForm(forms.Form):
    q = search_field(_("重点工程名称"))
    started_from = forms.DateField(label=_("开始日期自"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def filter_projects(qs, form):
    return narrow(qs, form, {"q": "name__contains", "started_from": "started__gte"})


@cache
def project_list_spec() -> ListSpec:
    return ListSpec(
        name="inspection.projects", default_sort="-started", models=("inspection.KeyProject", "inspection.ProjectMember",
                                                                     "inspection.PerformanceRecord"),
        export_name="key-projects",
        columns=[
            Column("name", _("重点工程"), lambda p: p.name, link=link_to("inspection:project_detail"), sort=("name",)),
            Column("started", _("开始日期"), lambda p: p.started, sort=("started",)),
            Column("unit", _("牵头单位"), lambda p: p.org_unit.name if p.org_unit_id else "", default=False),
            Column("members", _("在岗人员"), lambda p: p.member_count, sort=("member_count",), css="num"),
            Column("records", _("实绩备案"), lambda p: p.record_count, sort=("record_count",), css="num"),
        ])


# ---- joint review: candidates in the review stages ---------------------------------------------

class ReviewFilterForm(forms.Form):
    q = search_field(_("人选或案件"))
    open = choice_field(_("尚待解决"), [("yes", _("有待解决的")), ("no", _("可提交讨论决定"))])


_ANSWER_CSS = {"clear": " ok", "problem": " bad"}


def _answers(c):
    parts = [format_html('<span class="badge{}" title="{}">{}</span> ', _ANSWER_CSS.get(r.answer, " warn"),
                         r.get_answer_display(), r.department.name) for r in c.review.requests]
    return mark_safe("".join(parts)) if parts else format_html('<span class="muted">{}</span>', _("未发函"))


def _answers_text(c):
    return "；".join(f"{r.department.name}：{r.get_answer_display()}" for r in c.review.requests) or str(_("未发函"))


def _pending(c):
    if c.status not in ("active", "suspended"):
        return format_html('<span class="muted">{}</span>', c.status_reason)
    if c.review.blockers:
        reason = format_html('<p class="warn">{}</p>', c.status_reason) if c.status_reason else ""
        items = format_html_join("", "<li>{}</li>", ((b,) for b in c.review.blockers))
        return format_html("{}<ul>{}</ul>", reason, items)
    return format_html('<span class="ok">{}</span>', _("可提交讨论决定"))


def _pending_text(c):
    if c.status not in ("active", "suspended"):
        return c.status_reason
    return "；".join(str(b) for b in c.review.blockers) or str(_("可提交讨论决定"))


@cache
def review_list_spec() -> ListSpec:
    from gongxin.cases.models import Candidate

    return ListSpec(
        name="inspection.review", default_sort="case", models=("cases.Candidate", "inspection.ReviewRequest"),
        export_name="joint-review", empty=_("暂无处于考察阶段的人选"),
        columns=[
            Column("candidate", _("人选"), lambda c: c.cadre.name, link=link_to("inspection:review_candidate"),
                   sort=("cadre__name_pinyin",)),
            Column("case", _("案件"), lambda c: c.case.title, sort=("case_id", "id")),
            Column("status", _("状态"), label_of(Candidate, "status"), sort=("status",)),
            Column("answers", _("联审答复"), _answers, html=True, export=_answers_text),
            Column("pending", _("尚待解决"), _pending, html=True, export=_pending_text),
        ])
