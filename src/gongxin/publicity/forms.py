from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.ledger.labels import person_label
from gongxin.people.models import Cadre, OrgUnit, Post
from gongxin.people.pickers import CadrePicker, PostChoiceField, UnitTreePicker

from .actions import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from .models import (
    FeedbackCategory,
    NameOrder,
    Notice,
    NoticeKind,
    ProbationDecision,
    WorkdayOverride,
)

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class FeedbackForm(forms.Form):
    """The public form: anonymous allowed, every field bounded."""

    entry = forms.TypedChoiceField(label=_("反映对象"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("问题类别"), choices=FeedbackCategory.choices)
    text = forms.CharField(label=_("反映内容"), max_length=5000, min_length=5,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
                           help_text=_("请写明具体事实、时间、地点，最多 5000 字。"))
    contact_name = forms.CharField(label=_("您的姓名（可不填）"), max_length=30, required=False)
    contact = forms.CharField(label=_("联系方式（可不填）"), max_length=100, required=False,
                              help_text=_("留下电话或地址便于核实；不留也会受理，可凭查询码查看答复。"))
    files = MultipleFileField(label=_("附件（可不传）"), required=False,
                              help_text=_("PDF、JPG 或 PNG，每个不超过 5 MB，最多 3 个。"))

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["entry"].choices = [("", _("对公告整体反映"))] + [
            (e.pk, e.name) for e in notice.entries.order_by("position")]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
        for f in files:
            if f.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("附件 %(name)s 超过 5 MB，请压缩后再上传。") % {"name": f.name[:80]})
        return files


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=32, min_length=8,
                           validators=[RegexValidator(r"^[A-Za-z2-7\s-]+$", _("查询码由字母和数字 2–7 组成，请核对。"))],
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["kind", "title", "org_unit", "body", "name_order", "contact"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6}), "org_unit": UnitTreePicker()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(_units_q(user))
        self.fields["kind"].choices = NoticeKind.choices
        self.fields["name_order"].choices = NameOrder.choices


def _units_q(user):
    from django.db.models import Q

    from gongxin.accounts.roles import DataScope

    if user.is_superuser or user.data_scope == DataScope.ALL:
        return Q()
    units = list(user.org_units.all())
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path) if user.data_scope == DataScope.SUBTREE else Q(pk=unit.pk)
    return q


class EntryForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("干部"), queryset=Cadre.objects.none(), widget=CadrePicker())
    post = forms.ModelChoiceField(label=_("拟任职位"), queryset=Post.objects.none(), required=False)
    proposed_post = forms.CharField(label=_("拟任职务（无对应职位时填写）"), max_length=200, required=False)
    extra = forms.CharField(label=_("其他说明"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.filter(cadre_q(user), status="active").order_by("name_pinyin")
        self.fields["post"].queryset = Post.objects.filter(is_active=True).select_related("org_unit")


class PublishForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=DATE,
                            help_text=_("今天或以后：公示期从公告向社会公开之日起算。"))
    deadline = forms.DateField(label=_("截止日期（空缺公告、成绩公告）"), widget=DATE, required=False,
                               help_text=_("任前公示的截止日期按工作日自动计算，不必填写。"))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复（反映人凭查询码可见）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    finding = forms.CharField(label=_("核查情况（仅内部可见）"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    resolve = forms.BooleanField(label=_("答复并办结"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gongxin.accounts.models import User
        from gongxin.accounts.roles import Role

        self.fields["assignee"].queryset = User.objects.filter(role__in=[Role.ORG_ADMIN, Role.CLERK], is_active=True)
        self.fields["assignee"].label_from_instance = person_label  # a name and role, not the account name


class AppointmentForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("干部"), queryset=Cadre.objects.none(), widget=CadrePicker())
    post = PostChoiceField(label=_("职位"), queryset=Post.objects.none())
    start = forms.DateField(label=_("任职时间"), widget=DATE)
    notice = forms.ModelChoiceField(label=_("任前公示"), queryset=Notice.objects.none(), required=False)
    document_number = forms.CharField(label=_("任职文号"), max_length=100, required=False)
    probation = forms.TypedChoiceField(label=_("试用期"), required=False, empty_value=None,
                                       coerce=lambda v: v == "yes",
                                       choices=[("", _("按规则（提拔担任领导职务的实行一年试用期）")),
                                                ("yes", _("实行试用期")), ("no", _("不实行试用期"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.filter(cadre_q(user), status="active").order_by("name_pinyin")
        self.fields["post"].queryset = Post.objects.filter(posts_in_scope_q(user), is_active=True).select_related("org_unit")
        self.fields["notice"].queryset = Notice.objects.filter(unit_q(user, "org_unit"),
                                                               kind=NoticeKind.PRE_APPOINTMENT).exclude(status="draft")


def posts_in_scope_q(user):
    from django.db.models import Q

    units = OrgUnit.objects.filter(_units_q(user))
    return Q(org_unit__in=units)


class ProbationDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("期满决定"), choices=[("", "---------"), *ProbationDecision.choices])
    note = forms.CharField(label=_("考核意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    extend_months = forms.IntegerField(label=_("延长月数（仅延长时）"), min_value=1, max_value=12, initial=6,
                                       required=False)


class WorkdayOverrideForm(forms.ModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday", "note"]
        widgets = {"date": DATE}

    def validate_unique(self):  # an existing date is updated by the action, not refused
        pass


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    working_days = forms.IntegerField(label=_("工作日数"), min_value=1, max_value=60, initial=5)


class OfflineFeedbackForm(forms.Form):
    """Feedback that came by letter, call or visit, entered by a clerk."""

    entry = forms.TypedChoiceField(label=_("反映对象"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("问题类别"), choices=FeedbackCategory.choices)
    text = forms.CharField(label=_("反映内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    contact_name = forms.CharField(label=_("反映人（可不填）"), max_length=30, required=False)
    contact = forms.CharField(label=_("联系方式（可不填）"), max_length=100, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("对公告整体反映"))] + [
            (e.pk, e.name) for e in notice.entries.order_by("position")]
