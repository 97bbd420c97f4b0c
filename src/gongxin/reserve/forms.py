from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongxin.people.models import Education, OrgUnit, Rank
from gongxin.people.pickers import UnitTreePicker

from .models import ClassGrade, EntrySource, ExitReason, Measure, Tier

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或拼音"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如 张三 或 zs")}))
    tier = forms.TypedChoiceField(label=_("层次"), required=False, coerce=int, empty_value=None,
                                  choices=[("", _("全部")), *Tier.choices])
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), required=False, widget=UnitTreePicker(),
                                  empty_label=_("全部"))
    target_rank = forms.ModelChoiceField(label=_("拟培养职级"), queryset=Rank.objects.filter(is_leadership=True),
                                         required=False, empty_label=_("全部"))
    age_min = forms.IntegerField(label=_("年龄自"), required=False, min_value=18, max_value=70,
                                 widget=forms.NumberInput(attrs={"size": 3}))
    age_max = forms.IntegerField(label=_("至"), required=False, min_value=18, max_value=70,
                                 widget=forms.NumberInput(attrs={"size": 3}))
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("全部")), ("M", _("男")), ("F", _("女"))])
    education = forms.ChoiceField(label=_("全日制学历（及以上）"), required=False,
                                  choices=[("", _("全部")), *Education.choices])
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("active", _("在库")), ("exited", _("已出库")), ("all", _("全部"))])

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("age_min") and data.get("age_max") and data["age_min"] > data["age_max"]:
            self.add_error("age_max", _("年龄上限不能小于下限。"))
        return data


class CadrePick(forms.IntegerField):
    """The cadre chosen in the type-ahead (its id in a radio named ``cadre``)."""

    def __init__(self, **kwargs):
        super().__init__(label=_("干部"), widget=forms.HiddenInput, error_messages={
            "required": _("请先输入姓名或拼音，从查找结果中选择一名干部。")}, **kwargs)


class EntryForm(forms.Form):
    cadre = CadrePick()
    tier = forms.TypedChoiceField(label=_("层次"), coerce=int, choices=Tier.choices)
    target_rank = forms.ModelChoiceField(label=_("拟培养职级"), queryset=Rank.objects.filter(is_leadership=True))
    source = forms.ChoiceField(label=_("推荐来源"), choices=EntrySource.choices)
    source_note = forms.CharField(label=_("推荐依据"), required=False, max_length=300,
                                  help_text=_("如组织推荐文件、实绩备案编号"))
    entered_on = forms.DateField(label=_("入库日期"), initial=timezone.localdate, **DATE)
    profile = forms.CharField(label=_("简要情况（500 字以内）"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}))
    ready_soon = forms.BooleanField(label=_("近期可提拔"), required=False)


class TierForm(forms.Form):
    tier = forms.TypedChoiceField(label=_("调整为"), coerce=int, choices=Tier.choices)
    reason = forms.CharField(label=_("调整原因"), max_length=500)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate, **DATE)


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=_("出库原因"), choices=ExitReason.choices)
    note = forms.CharField(label=_("具体情况"), max_length=500, required=False)
    on = forms.DateField(label=_("出库日期"), initial=timezone.localdate, **DATE)


class MeetingEntryForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("推荐会议（已公布结果、不属于选任案件）"), queryset=None)
    tier = forms.TypedChoiceField(label=_("层次"), coerce=int, choices=Tier.choices)
    target_rank = forms.ModelChoiceField(label=_("拟培养职级"), queryset=Rank.objects.filter(is_leadership=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gongxin.meetings.models import Meeting, MeetingStatus

        self.fields["meeting"].queryset = Meeting.objects.filter(case__isnull=True, status=MeetingStatus.PUBLISHED)


class TargetForm(forms.Form):
    measure = forms.ChoiceField(label=_("结构指标"), choices=Measure.choices)
    tier = forms.TypedChoiceField(label=_("层次"), required=False, coerce=int, empty_value=None,
                                  choices=[("", _("各层次")), *Tier.choices])
    unit_kind = forms.ChoiceField(label=_("单位类别"), required=False)
    min_share = forms.CharField(label=_("最低比例"), max_length=10, help_text=_("如 20% 或 1/3"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gongxin.people.models import OrgUnitKind

        self.fields["unit_kind"].choices = [("", _("各类单位"))] + [
            c for c in OrgUnitKind.choices if c[0] != OrgUnitKind.SECTION]


class ClassForm(forms.Form):
    name = forms.CharField(label=_("班次名称"), max_length=200)
    starts_on = forms.DateField(label=_("开班日期"), **DATE)
    ends_on = forms.DateField(label=_("结业日期"), **DATE)
    curriculum = forms.CharField(label=_("课程安排"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), **DATE)
    topic = forms.CharField(label=_("课程"), max_length=200)


class EnrolForm(forms.Form):
    cadre = CadrePick()
    decision = forms.CharField(label=_("调训决定"), required=False, max_length=300,
                               help_text=_("非第一层次后备干部参训须注明组织决定"))


class EvaluationForm(forms.Form):
    grade = forms.ChoiceField(label=_("结业鉴定等次"), choices=ClassGrade.choices)
    comment = forms.CharField(label=_("鉴定评语"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("作业题目"), max_length=200)
    submitted_on = forms.DateField(label=_("提交日期"), initial=timezone.localdate, **DATE)
    mark = forms.ChoiceField(label=_("评定"), choices=ClassGrade.choices)
    comment = forms.CharField(label=_("评语"), required=False, max_length=500)


class GraduateForm(forms.Form):
    on = forms.DateField(label=_("结业日期"), initial=timezone.localdate, **DATE)
