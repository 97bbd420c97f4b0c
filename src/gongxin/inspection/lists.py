"""The problem files list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import choice_labels, label_of

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
