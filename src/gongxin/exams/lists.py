"""The exams lists under the list convention (core/lists): the exams, a cadre's own
registrations, each unit's competitive-posting share."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field

from .models import Exam, ExamChannel, ExamStatus, Registration, RegistrationStatus

# ---- exams -------------------------------------------------------------------------------------

class ExamFilterForm(forms.Form):
    q = search_field(_("名称或单位"))
    channel = choice_field(_("渠道"), ExamChannel.choices)
    status = choice_field(_("状态"), ExamStatus.choices)


def filter_exams(qs, form):
    return narrow(qs, form, {"q": ("title__contains", "org_unit__name__contains"), "channel": "channel",
                             "status": "status"})


@cache
def exam_list_spec() -> ListSpec:
    return ListSpec(
        name="exams.exams", table_id="exams", default_sort="-closes", models=("exams.Exam",), export_name="exams",
        empty=_("暂无考试。"),
        columns=[
            Column("title", _("名称"), lambda e: e.title, link=link_to("exams:exam_detail"), sort=("title",)),
            Column("channel", _("渠道"), label_of(Exam, "channel"), sort=("channel",)),
            Column("unit", _("组织单位"), lambda e: e.org_unit.name, sort=("org_unit__path",)),
            Column("closes", _("报名截止"), lambda e: e.registration_closes, sort=("registration_closes",)),
            Column("status", _("状态"), label_of(Exam, "status"), sort=("status",)),
        ])


# ---- a cadre's own registrations (我的报名) ------------------------------------------------------

class MineFilterForm(forms.Form):
    q = search_field(_("考试名称"))
    status = choice_field(_("审查"), RegistrationStatus.choices)


def filter_mine(qs, form):
    return narrow(qs, form, {"q": "exam__title__contains", "status": "status"})


@cache
def mine_list_spec() -> ListSpec:
    return ListSpec(
        name="exams.mine", table_id="mine", default_sort="-submitted", models=("exams.Registration",),
        export_name="my-registrations", empty=_("还没有报名。"), page_size=20,
        columns=[
            Column("exam", _("考试"), lambda r: r.exam.title, link=link_to("exams:my_registration"), sort=("exam__title",)),
            Column("post", _("职位"), lambda r: str(r.exam_post)),
            Column("status", _("审查"), label_of(Registration, "status"), sort=("status",)),
            Column("ticket", _("准考证号"), lambda r: r.ticket_number, css="mono"),
            Column("submitted", _("报名时间"), lambda r: r.submitted_at, sort=("submitted_at",), default=False),
        ])


# ---- each unit's competitive-posting share -------------------------------------------------------

class ShareFilterForm(forms.Form):
    q = search_field(_("单位"))
    below = choice_field(_("是否达标"), [("below", _("低于目标")), ("met", _("达标"))])


def filter_share(rows, form):
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["q"].strip():
            rows = [r for r in rows if d["q"].strip() in r["unit"].name]
        if d["below"]:
            rows = [r for r in rows if r["below"] == (d["below"] == "below")]
    return rows


def _percent(r):
    return f"{round(r['share'] * 100)}%"


@cache
def share_list_spec() -> ListSpec:
    return ListSpec(
        name="exams.share", table_id="share-table", default_sort="unit", models=("people.Post", "exams.ExamPost"),
        export_name="competitive-posting-share", empty=_("还没有设中层岗位的单位。"),
        row_class=lambda r: "below" if r["below"] else "",
        columns=[
            Column("unit", _("单位"), lambda r: format_html('<a href="?unit={}">{}</a>', r["unit"].pk, r["unit"].name),
                   html=True, export=lambda r: r["unit"].name, sort=("unit__path",)),
            Column("middle_posts", _("中层岗位"), lambda r: r["middle_posts"], sort=("middle_posts",), css="num"),
            Column("opened", _("竞争上岗"), lambda r: r["opened"], sort=("opened",), css="num"),
            Column("share", _("比例"), _percent, sort=("share",), css="num"),
            Column("met", _("是否达标"), lambda r: _("低于目标") if r["below"] else _("达标"), sort=("below",)),
        ])
