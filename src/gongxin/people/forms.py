import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Cadre, OrgUnit, Post, Rank, Relation, ResumeEntry
from .pickers import UnitTreePicker

_MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")


class MonthField(forms.DateField):
    """A year and month ("2007-07", "2007.07", "2007年7月"), stored as the first of the month."""

    widget = forms.TextInput(attrs={"placeholder": "2007.07", "inputmode": "numeric", "size": 8})
    default_error_messages = {"invalid": _("请按“年.月”填写，如 2007.07。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        match = _MONTH.match(str(value)) or re.match(r"^\s*(\d{4})(\d{2})\s*$", str(value))
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1900 <= year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(year, month, 1)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y.%m}"
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


MONTH_FIELDS = ("party_joined", "work_started")

CADRE_FIELDS = [
    "name", "sex", "birth_date", "id_number", "ethnicity", "native_place", "birthplace",
    "political_status", "party_joined", "work_started", "health", "professional_title", "expertise",
    "fulltime_education", "fulltime_degree", "fulltime_education_school", "fulltime_degree_school",
    "parttime_education", "parttime_degree", "parttime_education_school", "parttime_degree_school",
    "org_unit", "rank", "rank_since", "current_post_title", "proposed_post_title", "proposed_removal_title",
    "rewards_and_punishments", "annual_assessment_text", "appointment_reason", "reporting_unit",
    "status",
]


class CadreForm(forms.ModelForm):
    party_joined = MonthField(label=_("入党时间"), required=False)
    work_started = MonthField(label=_("参加工作时间"), required=False)

    class Meta:
        model = Cadre
        fields = CADRE_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "org_unit": UnitTreePicker(),
            "rank_since": DateInput(),
            "rewards_and_punishments": forms.Textarea(attrs={"rows": 3}),
            "annual_assessment_text": forms.Textarea(attrs={"rows": 2}),
            "appointment_reason": forms.Textarea(attrs={"rows": 2}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 20, "spellcheck": "false"}),
        }
        error_messages = {
            "name": {"required": _("请填写姓名。")},
            "sex": {"required": _("请选择性别。")},
            "birth_date": {"required": _("请填写出生日期。"), "invalid": _("出生日期格式不对，请按 1985-06-15 填写。")},
            "id_number": {"required": _("请填写身份证号码。"), "unique": _("该身份证号码已登记在另一名干部名下，请核对。")},
            "org_unit": {"required": _("请选择工作单位。")},
        }

    def __init__(self, *args, units=None, show_id_number: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # A role that may not see the full 身份证号 edits with it masked: the masked value sent
        # back unchanged keeps the stored number; typing a whole new one replaces it.
        self.keeps_masked_id = self.instance.pk is not None and not show_id_number
        if self.keeps_masked_id:
            self.initial["id_number"] = self.instance.masked_id_number
        if units is not None:
            self.fields["org_unit"].queryset = units
        self.fields["rank"].queryset = Rank.objects.all()
        if self.instance.pk:  # rank and current post change by appointment or a correction only
            for name in ("rank", "rank_since", "current_post_title"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("通过任职办理或“更正职级和职务”修改")
        self.fields["id_number"].help_text = _("18 位，最后一位可为 X；出生日期和性别须与号码一致。")
        self.fields["id_number"].max_length = 20  # a pasted number with spaces is normalised, then checked

    def clean_id_number(self):
        value = "".join(self.cleaned_data["id_number"].split()).upper()
        if self.keeps_masked_id and value == self.instance.masked_id_number:
            return self.instance.id_number
        return value


class ResumeEntryForm(forms.ModelForm):
    start = MonthField(label=_("起始年月"))
    end = MonthField(label=_("截止年月"), required=False, help_text=_("至今可不填"))

    class Meta:
        model = ResumeEntry
        fields = ["start", "end", "description", "kind", "place", "is_grassroots"]
        error_messages = {"description": {"required": _("请填写经历内容。")}}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("截止年月不能早于起始年月。"))
        return data


class RelationForm(forms.ModelForm):
    class Meta:
        model = Relation
        fields = ["kind", "title", "name", "birth", "political_status", "work_unit_and_post", "emigrated"]
        error_messages = {"name": {"required": _("请填写姓名。")}, "title": {"required": _("请填写称谓。")}}

    def clean_birth(self):
        value = self.cleaned_data.get("birth", "").strip().replace(".", "").replace("-", "")
        if value and not re.fullmatch(r"\d{6}", value):
            raise forms.ValidationError(_("出生年月请填六位数字，如 196503。"))
        return value


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "parent", "code", "sort_order", "is_grassroots", "is_remote"]
        widgets = {"parent": UnitTreePicker()}
        error_messages = {"name": {"required": _("请填写单位名称。")}}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["parent"].queryset = units


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["org_unit", "title", "rank", "kind", "headcount"]
        widgets = {"org_unit": UnitTreePicker()}
        error_messages = {"title": {"required": _("请填写职位名称。")}, "headcount": {"min_value": _("职数至少为 1。")}}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units


class CadreFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或拼音（从首字起）"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": _("如 张三、zhangsan 或 zs"), "type": "search"}))
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), required=False, widget=UnitTreePicker(),
                                  empty_label=_("全部"))
    rank = forms.ModelChoiceField(label=_("职级"), queryset=Rank.objects.all(), required=False, to_field_name="code",
                                  empty_label=_("全部"))
    age_min = forms.IntegerField(label=_("年龄自"), required=False, min_value=16, max_value=80,
                                 widget=forms.NumberInput(attrs={"size": 3}))
    age_max = forms.IntegerField(label=_("至"), required=False, min_value=16, max_value=80,
                                 widget=forms.NumberInput(attrs={"size": 3}))
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("全部")), ("M", _("男")), ("F", _("女"))])
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("age_min") and data.get("age_max") and data["age_min"] > data["age_max"]:
            self.add_error("age_max", _("年龄上限不能小于下限。"))
        return data
