"""The notice list, the feedback queue and the appointment list under the list convention."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field

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


# ---- working-day overrides (工作日调整) ------------------------------------------------------

class WorkdayFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 5}))
    kind = choice_field(_("上班/放假"), [("work", _("上班")), ("off", _("放假"))])
    q = search_field(_("说明"))


def filter_workdays(qs, form):
    return narrow(qs, form, {"year": "date__year", "kind": lambda qs, v: qs.filter(is_workday=v == "work"),
                             "q": "note__contains"})


def workday_list_spec(csrf_token: str | None = None) -> ListSpec:
    """With ``csrf_token`` (a user who may edit the calendar): a column of delete buttons."""
    from django.urls import reverse

    columns = [
        Column("date", _("日期"), lambda r: r.date, sort=("date",)),
        Column("kind", _("上班/放假"), lambda r: _("上班") if r.is_workday else _("放假"), sort=("is_workday",)),
        Column("note", _("说明"), lambda r: r.note, sort=("note",)),
    ]
    if csrf_token:
        columns.append(Column("remove", _("操作"), lambda r: format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button class="link">{}</button></form>', reverse("publicity:workday_remove", args=[r.pk]), csrf_token,
            _("删除")), html=True, export=lambda r: ""))
    return ListSpec(name="publicity.workdays", default_sort="date", models=("publicity.WorkdayOverride",),
                    export_name="workday-overrides", empty=_("尚无调整。"), columns=columns)
