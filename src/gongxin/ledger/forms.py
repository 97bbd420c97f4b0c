from django import forms
from django.utils.translation import gettext_lazy as _

from .queries import EventFilters


class EventFilterForm(forms.Form):
    kind = forms.CharField(label=_("类型"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": "meetings.ballot"}))
    subject = forms.CharField(label=_("对象"), required=False, max_length=170,
                              widget=forms.TextInput(attrs={"placeholder": "people.cadre:12"}))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> EventFilters:
        if not self.is_bound or not self.is_valid():
            return EventFilters()
        return EventFilters(**self.cleaned_data)


class InclusionForm(forms.Form):
    q = forms.CharField(label=_("记录编号或叶哈希"), max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("例如 128，或 64 位十六进制叶哈希"),
                                                      "autocomplete": "off"}))
