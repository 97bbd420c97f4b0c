from django import forms
from django.utils.translation import gettext_lazy as _

from . import labels
from .queries import EventFilters


class EventFilterForm(forms.Form):
    """Chosen from lists in words (issue 19: the codes had to be typed)."""

    kind = forms.ChoiceField(label=_("类型"), required=False)
    subject_type = forms.ChoiceField(label=_("对象"), required=False)
    subject_id = forms.IntegerField(label=_("对象编号"), required=False, min_value=1,
                                    widget=forms.NumberInput(attrs={"placeholder": _("例如 12")}))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={"placeholder": _("姓名")}))
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get("kind", "") if self.is_bound else ""
        self.fields["kind"].choices = labels.kind_choices(chosen if chosen in labels.KIND_LABELS or chosen in labels.APP_LABELS else "")
        self.fields["subject_type"].choices = [("", _("全部对象")), *labels.subject_types()]

    def filters(self) -> EventFilters:
        if not self.is_bound or not self.is_valid():
            return EventFilters()
        data = self.cleaned_data
        subject = data["subject_type"] or ""
        if subject and data.get("subject_id"):
            subject = f"{subject}:{data['subject_id']}"
        return EventFilters(kind=data["kind"] or "", subject=subject, actor=data["actor"] or "",
                            date_from=data["date_from"], date_to=data["date_to"])


class InclusionForm(forms.Form):
    q = forms.CharField(label=_("记录编号或叶哈希"), max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("例如 128，或 64 位十六进制叶哈希"),
                                                      "autocomplete": "off"}))
