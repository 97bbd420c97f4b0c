from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongxin.people.models import OrgUnit


def jurisdiction_units(user_scope_q):
    """The jurisdictions one may report on: units in scope at the top two levels of the tree
    (a county, its townships and departments), never a select of hundreds."""
    return OrgUnit.objects.filter(user_scope_q, depth__lte=1).order_by("path")


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    org_unit = forms.ModelChoiceField(label=_("范围"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class ReportTextForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 22}), max_length=50_000)


class EvaluationForm(ReportForm):
    meeting_date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("会议地点"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].initial = timezone.localdate()


class AnalysisForm(forms.Form):
    analysis = forms.CharField(label=_("分析意见"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000)


class ReferForm(forms.Form):
    text = forms.CharField(label=_("反映内容（建立问题档案）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
