from django import forms
from django.utils.translation import gettext_lazy as _

from gongxin.people.models import OrgUnit
from gongxin.people.pickers import UnitTreePicker

from .models import MeetingMode


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("组织单位"), queryset=OrgUnit.objects.none(), widget=UnitTreePicker())
    scope_unit = forms.ModelChoiceField(label=_("推荐范围"), queryset=OrgUnit.objects.none(), required=False, widget=UnitTreePicker(),
                                        help_text=_("海选时可被推荐的干部所在单位（含下级）；留空则与组织单位相同"))
    mode = forms.ChoiceField(label=_("推荐方式"), choices=MeetingMode.choices, initial=MeetingMode.OPEN)
    meeting_date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    case = forms.ModelChoiceField(label=_("所属选任案件"), queryset=None, required=False,
                                  help_text=_("公布结果时，提名人选将进入该案件的提名阶段"))

    def __init__(self, *args, units=None, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["scope_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        if cases is None:
            del self.fields["case"]
        else:
            self.fields["case"].queryset = cases


class RulesForm(forms.Form):
    turnout = forms.CharField(label=_("到会比例（不低于）"), initial="2/3", help_text=_("应到人数的比例，如 2/3"))
    turnout_inclusive = forms.BooleanField(label=_("恰好达到比例即有效"), required=False, initial=True)
    threshold = forms.CharField(label=_("集中度门槛"), initial="1/2", help_text=_("得票占有效票的比例，如 1/2"))
    threshold_strict = forms.BooleanField(label=_("须超过门槛（恰好等于不算）"), required=False, initial=True)
    margin = forms.CharField(label=_("接近差距"), initial="0",
                             help_text=_("末位入选者与其后一名的差距不超过有效票的这个比例时，视为接近，实行差额"))
    slate_ratio = forms.CharField(label=_("差额比例"), initial="2", help_text=_("差额提名人数 = 职数 × 此比例"))
    min_share = forms.CharField(label=_("提名最低得票比例"), initial="0", help_text=_("0 表示不设下限"))


class PostForm(forms.Form):
    title = forms.CharField(label=_("职位名称"), max_length=200, required=False)
    post = forms.ModelChoiceField(label=_("对应职位"), queryset=None, required=False,
                                  help_text=_("选择后，被推荐人须符合该职位的基本资格条件"))
    k = forms.IntegerField(label=_("可推荐人数"), min_value=1, max_value=50, initial=1)
    options = forms.CharField(label=_("评价等次（仅评议会议）"), max_length=300, required=False,
                              help_text=_("用“/”分隔，如 优秀/称职/基本称职/不称职"))

    def __init__(self, *args, posts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("post"):
            raise forms.ValidationError(_("请填写职位名称或选择对应职位。"))
        return data

    def option_list(self) -> list[dict]:
        labels = [x.strip() for x in (self.cleaned_data.get("options") or "").replace("／", "/").split("/") if x.strip()]
        return [{"key": str(i), "label": label} for i, label in enumerate(labels, start=1)]


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("生成数量"), min_value=1, max_value=5000)


class OpenForm(forms.Form):
    seed = forms.CharField(label=_("随机种子（可留空）"), required=False, max_length=200,
                           help_text=_("留空则由系统生成；开始后只显示一次，请抄录并密封保存，计票后公开"))
    shares_total = forms.IntegerField(label=_("密钥份额总数（计票人数）"), min_value=1, max_value=9, initial=3,
                                      required=False)
    shares_needed = forms.IntegerField(label=_("开箱所需份额数"), min_value=1, max_value=9, initial=2, required=False,
                                       help_text=_("投票箱的密钥分成若干份交给计票人，结束投票时须有这么多份才能开箱"))


class CloseForm(forms.Form):
    slips_issued = forms.IntegerField(label=_("发出选票数"), min_value=0)
    paper_spoiled = forms.IntegerField(label=_("作废纸质选票数"), min_value=0, initial=0)

    def __init__(self, *args, shares: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, shares + 1):
            self.fields[f"share_{i}"] = forms.CharField(
                label=_("计票人密钥份额 %(i)d") % {"i": i}, required=False, max_length=120,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}))

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        shares = [data.pop(name) for name in list(data) if name.startswith("share_")]
        return {**data, "key_shares": shares}


class RevealForm(forms.Form):
    seed = forms.CharField(label=_("随机种子"), max_length=200)


class SpoilForm(forms.Form):
    code = forms.CharField(label=_("作废的投票码"), max_length=40)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"),
                           help_text=_("第一行为表头，含“姓名”列，最好同时有“身份证号”列"))


class PaperForm(forms.Form):
    teller = forms.TypedChoiceField(label=_("计票人"), coerce=int, choices=[(1, _("计票人一")), (2, _("计票人二"))])
    pile_no = forms.IntegerField(label=_("选票序号"), min_value=1)
