"""Forms for the assessment pages. They parse input; the actions decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongxin.people.models import Grade

from .models import AccountabilityKind, DailyCategory, Dimension, Direction, TeamRating

INDICATOR_ROWS = 12


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)


class SystemForm(forms.Form):
    """An indicator system: a name, a category and up to twelve indicator rows (blank rows ignored)."""

    category = forms.ChoiceField(label=_("单位类别"), choices=[("township", _("乡镇（街道）")),
                                                             ("department", _("县直部门")),
                                                             ("institution", _("事业单位"))])
    name = forms.CharField(label=_("名称"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(INDICATOR_ROWS):
            self.fields[f"code_{i}"] = forms.SlugField(label=_("代码"), max_length=40, required=False)
            self.fields[f"name_{i}"] = forms.CharField(label=_("指标名称"), max_length=60, required=False)
            self.fields[f"dimension_{i}"] = forms.ChoiceField(label=_("维度"), choices=[("", "—"), *Dimension.choices],
                                                              required=False)
            self.fields[f"weight_{i}"] = forms.DecimalField(label=_("权重"), max_digits=7, decimal_places=5,
                                                            min_value=0, max_value=1, required=False)
            self.fields[f"direction_{i}"] = forms.ChoiceField(label=_("方向"), choices=Direction.choices, required=False)
            self.fields[f"floor_{i}"] = forms.FloatField(label=_("基准值"), required=False)
            self.fields[f"target_{i}"] = forms.FloatField(label=_("目标值"), required=False)

    def rows(self):
        return [[self[f"{name}_{i}"] for name in ("code", "name", "dimension", "weight", "direction", "floor", "target")]
                for i in range(INDICATOR_ROWS)]

    def indicators(self) -> list[dict]:
        d, out = self.cleaned_data, []
        for i in range(INDICATOR_ROWS):
            if not d.get(f"code_{i}") and not d.get(f"name_{i}"):
                continue
            out.append({"code": d.get(f"code_{i}") or "", "name": d.get(f"name_{i}") or "",
                        "dimension": d.get(f"dimension_{i}") or "", "weight": d.get(f"weight_{i}"),
                        "direction": d.get(f"direction_{i}") or "higher",
                        "floor": d.get(f"floor_{i}"), "target": d.get(f"target_{i}")})
        return out


class ResultsForm(forms.Form):
    """One number per indicator of the unit's system."""

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for ind in self.indicators:
            self.fields[ind.code] = forms.FloatField(label=f"{ind.name}（{ind.unit_label}）" if ind.unit_label else ind.name,
                                                     required=False)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class ProposeForm(forms.Form):
    team_rating = forms.ChoiceField(label=_("领导班子评价"), choices=TeamRating.choices, initial=TeamRating.GOOD)


class DecideForm(forms.Form):
    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = list(decisions)
        for row in self.decisions:
            self.fields[f"grade_{row.cadre_id}"] = forms.ChoiceField(
                label=row.cadre.name, choices=Grade.choices, initial=row.decided or row.proposed)

    def grades(self) -> dict:
        return {int(k.removeprefix("grade_")): v for k, v in self.cleaned_data.items()}


class DailyRecordForm(forms.Form):
    recorded_on = forms.DateField(label=_("记录日期"), widget=DateInput(), initial=timezone.localdate)
    category = forms.ChoiceField(label=_("类别"), choices=DailyCategory.choices)
    text = forms.CharField(label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AccountabilityOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("立案日期"), widget=DateInput(), initial=timezone.localdate)
    facts = forms.CharField(label=_("问责事实"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AccountabilityDecideForm(forms.Form):
    kind = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityKind.choices)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput(), initial=timezone.localdate)
    decision = forms.CharField(label=_("决定内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("不予问责的理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
