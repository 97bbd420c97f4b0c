"""Forms for the inspection pages. They parse input; the actions decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongxin.accounts.models import User
from gongxin.accounts.roles import Role
from gongxin.people.pickers import CadrePicker

from .models import (
    Circle,
    ComplaintChannel,
    FourCheck,
    InspectionKind,
    IntervieweeCategory,
    Leaning,
    ProjectRole,
    ReportFindingKind,
    ReviewAnswer,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label, required=True, initial_today=False):
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           initial=timezone.localdate if initial_today else None)


class CadreChoiceField(forms.ModelChoiceField):
    """Found by typing (people.pickers.CadrePicker), never a <select> of every cadre."""

    widget = CadrePicker
    default_error_messages = {"invalid_choice": _("请在查找结果中选择一名干部（输入姓名、拼音首字母、身份证号或单位后选择）。")}

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.org_unit.name}）"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class UserMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class InterviewForm(forms.Form):
    interviewee = forms.CharField(label=_("谈话对象"), max_length=50)
    category = forms.ChoiceField(label=_("对象类别"), choices=IntervieweeCategory.choices)
    circle = forms.ChoiceField(label=_("所属圈子"), choices=Circle.choices)
    place = forms.CharField(label=_("谈话地点"), max_length=100)
    held_on = _date(_("谈话日期"), initial_today=True)
    summary = forms.CharField(label=_("谈话要点"), widget=forms.Textarea(attrs={"rows": 4}))
    leaning = forms.ChoiceField(label=_("倾向"), choices=Leaning.choices, widget=forms.RadioSelect)


class TrackingRecordForm(forms.Form):
    observed_on = _date(_("日期"), initial_today=True)
    text = forms.CharField(label=_("跟踪情况"), widget=forms.Textarea(attrs={"rows": 3}))


class PlaceVisitForm(forms.Form):
    visited_on = _date(_("走访日期"), initial_today=True)
    note = forms.CharField(label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VoteForm(forms.Form):
    held_on = _date(_("测评日期"), initial_today=True)
    excellent = forms.IntegerField(label=_("优秀"), min_value=0, initial=0)
    competent = forms.IntegerField(label=_("称职"), min_value=0, initial=0)
    basically_competent = forms.IntegerField(label=_("基本称职"), min_value=0, initial=0)
    incompetent = forms.IntegerField(label=_("不称职"), min_value=0, initial=0)


class ReportForm(forms.Form):
    morality = forms.CharField(label=_("德"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ability = forms.CharField(label=_("能"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    diligence = forms.CharField(label=_("勤"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    achievement = forms.CharField(label=_("绩"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    integrity = forms.CharField(label=_("廉"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weaknesses = forms.CharField(label=_("主要不足"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label=_("考察结论"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportFindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReportFindingKind.choices)
    text = forms.CharField(label=_("认定情况"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = _date(_("认定日期"), initial_today=True)


def inspector_users():
    return User.objects.filter(role=Role.INSPECTOR, is_active=True).order_by("username")


class TeamForm(forms.Form):
    name = forms.CharField(label=_("考察组名称"), max_length=100)
    leader = UserChoiceField(label=_("组长"), queryset=User.objects.none())
    members = UserMultipleField(label=_("成员"), queryset=User.objects.none(), required=False,
                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = inspector_users()
        self.fields["members"].queryset = inspector_users()


class OpenInspectionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("考察组"), queryset=None)
    kind = forms.ChoiceField(label=_("考察类型"), choices=InspectionKind.choices)
    cadre = CadreChoiceField(label=_("考察对象"), queryset=None)
    key_project = forms.ModelChoiceField(label=_("重点工程（跟踪考察）"), queryset=None, required=False)
    candidate = forms.ModelChoiceField(label=_("选任案件中的人选（可选）"), queryset=None, required=False,
                                       help_text=_("关联后，报告未签发时案件不能提交讨论决定"))
    opened_on = _date(_("开始日期"), initial_today=True)

    def __init__(self, *args, teams, cadres, projects, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["cadre"].queryset = cadres
        self.fields["key_project"].queryset = projects
        self.fields["candidate"].queryset = candidates
        self.fields["candidate"].label_from_instance = lambda c: f"{c.cadre.name} · {c.case.title}"


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("注销原因"), max_length=200)


class TrainingSessionForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=200)
    held_on = _date(_("培训日期"))
    hours = forms.IntegerField(label=_("学时"), min_value=1, initial=8)


class ExamForm(forms.Form):
    title = forms.CharField(label=_("考试名称"), max_length=200)
    held_on = _date(_("考试日期"))
    pass_mark = forms.DecimalField(label=_("合格分数线"), min_value=0, initial=60)
    max_score = forms.DecimalField(label=_("满分"), min_value=1, initial=100)


class KeyProjectForm(forms.Form):
    name = forms.CharField(label=_("重点工程名称"), max_length=100)
    started = _date(_("开始日期"))
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectMemberForm(forms.Form):
    cadre = CadreChoiceField(label=_("干部"), queryset=None)
    role = forms.ChoiceField(label=_("角色"), choices=ProjectRole.choices)
    joined = _date(_("加入日期"), initial_today=True)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class PerformanceRecordForm(forms.Form):
    cadre = CadreChoiceField(label=_("干部"), queryset=None)
    recorded_on = _date(_("备案日期"), initial_today=True)
    title = forms.CharField(label=_("事项"), max_length=200)
    text = forms.CharField(label=_("实绩内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("答复"), widget=forms.RadioSelect,
                               choices=[(k, v) for k, v in ReviewAnswer.choices if k != ReviewAnswer.PENDING])
    text = forms.CharField(label=_("具体情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("发现问题或需进一步核实时必填"))


class SendReviewForm(forms.Form):
    deadline = _date(_("答复期限"))


class CheckForm(forms.Form):
    item = forms.ChoiceField(label=_("事项"), choices=FourCheck.choices)
    done_on = _date(_("完成日期"), initial_today=True)
    note = forms.CharField(label=_("情况"), required=False, max_length=500)


class ComplaintForm(forms.Form):
    cadre = CadreChoiceField(label=_("被反映干部"), queryset=None)
    channel = forms.ChoiceField(label=_("来源"), choices=ComplaintChannel.choices)
    text = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs={"rows": 4}))
    source_ref = forms.CharField(label=_("来源编号"), required=False, max_length=100)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class AssignForm(forms.Form):
    assignee = UserChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            role__in=[Role.CLERK, Role.ORG_ADMIN, Role.INSPECTOR], is_active=True).order_by("username")


class VerificationForm(forms.Form):
    text = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label=_("核查结论"), widget=forms.RadioSelect,
                                choices=[("substantiated", _("属实")), ("unsubstantiated", _("不属实"))])
    text = forms.CharField(label=_("结论说明"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = _date(_("办结日期"), initial_today=True)
    remove_from_projects = forms.BooleanField(label=_("调离重点工程"), required=False)
    suspend_promotion = forms.BooleanField(label=_("暂缓提拔"), required=False)


class DepartmentForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=50)
    name = forms.CharField(label=_("名称"), max_length=50)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)
