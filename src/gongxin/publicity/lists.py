"""The notice list, the feedback queue and the appointment list under the list convention."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of

from .models import Appointment, Feedback, FeedbackStatus, Notice, NoticeStatus


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label=_("标题"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *NoticeStatus.choices])


class FeedbackFilterForm(forms.Form):
    q = forms.CharField(label=_("查询码"), required=False, max_length=20, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("状态"), required=False, initial="open", choices=[
        ("open", _("未办结")), *FeedbackStatus.choices, ("all", _("全部"))])


class AppointmentFilterForm(forms.Form):
    q = forms.CharField(label=_("干部姓名"), required=False, max_length=30, widget=forms.TextInput(attrs={"type": "search"}))


class _Badge:
    def __init__(self, model, field, classes, default=""):
        self.model, self.field, self.classes, self.default = model, field, classes, default

    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        labels, field, classes, default = choice_labels(self.model, self.field), self.field, self.classes, self.default

        def get(row):
            value = getattr(row, field)
            return format_html('<span class="badge {}">{}</span>', classes.get(value, default), labels.get(value, value))

        return get


def _period(n):
    return f"{n.period_start:%Y-%m-%d} — {n.period_end:%Y-%m-%d}" if n.period_end and n.period_start else ""


def _received(f):
    text = f"{f.received_at:%Y-%m-%d %H:%M}" if f.received_at else ""
    return text


@cache
def notice_list_spec() -> ListSpec:
    return ListSpec(
        name="publicity.notices", default_sort="-created", models=("publicity.Notice", "publicity.Feedback"),
        export_name="notices", page_size=20, empty=_("暂无公告。"),
        columns=[
            Column("title", _("标题"), lambda n: n.title, link=link_to("publicity:notice"), sort=("title",)),
            Column("kind", _("类别"), label_of(Notice, "kind")),
            Column("unit", _("单位"), lambda n: n.org_unit.name if n.org_unit_id else ""),
            Column("status", _("状态"), _Badge(Notice, "status", {"published": "warn", "closed": "ok"}), html=True,
                   export=label_of(Notice, "status"), sort=("status",)),
            Column("period", _("公示期"), _period, sort=("period_start",)),
            Column("entries", _("人数"), lambda n: n.entry_count, css="num"),
            Column("open_feedback", _("未办结反馈"), lambda n: n.open_feedback, css="num"),
            Column("created", _("建立时间"), lambda n: n.created_at, sort=("created_at",), default=False),
        ])


@cache
def feedback_list_spec() -> ListSpec:
    return ListSpec(
        name="publicity.feedback", default_sort="-received", models=("publicity.Feedback",), export_name="feedback",
        page_size=20, empty=_("没有符合条件的反馈。"),
        columns=[
            Column("code", _("查询码"), lambda f: f.code, link=link_to("publicity:feedback"), css="mono", sort=("code",)),
            Column("notice", _("公告"), lambda f: f.notice.title),
            Column("entry", _("反映对象"), lambda f: f.entry.name if f.entry_id else "—"),
            Column("category", _("类别"), label_of(Feedback, "category"), sort=("category",)),
            Column("received", _("提交时间"), _received, sort=("received_at",)),
            Column("assigned", _("承办人"), lambda f: f.assigned_to.display_name if f.assigned_to_id else "—"),
            Column("status", _("状态"), _Badge(Feedback, "status", {"resolved": "ok"}, "warn"), html=True,
                   export=label_of(Feedback, "status"), sort=("status",)),
        ])


@cache
def appointment_list_spec() -> ListSpec:
    return ListSpec(
        name="publicity.appointments", default_sort="-start", models=("publicity.Appointment",),
        export_name="appointments", page_size=20, empty=_("暂无任职记录。"),
        columns=[
            Column("cadre", _("干部"), lambda a: a.cadre.name, link=link_to("publicity:appointment"),
                   sort=("cadre__name_pinyin",)),
            Column("post", _("职位"), lambda a: str(a.post)),
            Column("start", _("任职时间"), lambda a: a.start, sort=("start",)),
            Column("document", _("文号"), lambda a: a.document_number),
            Column("probation", _("试用期"), label_of(Appointment, "probation_status"), sort=("probation_status",)),
            Column("probation_end", _("试用期满"), lambda a: a.probation_end, sort=("probation_end",)),
        ])
