import json

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.people.models import Cadre, CadreStatus, OrgUnit, Post
from gongxin.people.pickers import CadrePicker, PostMultipleChoiceField, UnitTreePicker

from .models import Channel, VotingMode


class CaseForm(forms.Form):
    title = forms.CharField(label=_("案件名称"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("单位"), queryset=OrgUnit.objects.none(), widget=UnitTreePicker())
    posts = PostMultipleChoiceField(label=_("拟选职位"), queryset=Post.objects.none(), unit_field="org_unit")
    channels = forms.MultipleChoiceField(label=_("提名渠道"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    motion_reason = forms.CharField(label=_("动议理由"), widget=forms.Textarea(attrs={"rows": 3}))
    motion_date = forms.DateField(label=_("动议日期"), initial=timezone.localdate,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    over_headcount_reason = forms.CharField(label=_("超职数原因"), required=False, max_length=300,
                                            help_text=_("仅当本案件将超出职位职数时填写"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(_unit_self_q(user))
        self.fields["posts"].queryset = (Post.objects.filter(unit_q(user, "org_unit"), is_active=True)
                                         .select_related("org_unit", "rank"))


def _unit_self_q(user):
    """unit_q is written for rows pointing at a unit; for OrgUnit itself, use path / pk."""
    from django.db.models import Q

    from gongxin.accounts.roles import DataScope
    from gongxin.accounts.scope import NOTHING

    if user.is_superuser or user.data_scope == DataScope.ALL:
        return Q()
    units = list(user.org_units.all())
    if user.data_scope == DataScope.SUBTREE and units:
        q = NOTHING
        for u in units:
            q |= Q(path__startswith=u.path)
        return q
    if user.data_scope == DataScope.UNIT and units:
        return Q(pk__in=[u.pk for u in units])
    return NOTHING


class CandidateForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("干部"), queryset=Cadre.objects.none(), widget=CadrePicker())
    channel = forms.ChoiceField(label=_("提名渠道"), choices=Channel.choices)
    post = forms.ModelChoiceField(label=_("拟任职位"), queryset=Post.objects.none(), required=False)
    recommended_on = forms.DateField(label=_("推荐日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("会议推荐或谈话推荐的日期，推荐结果一年内有效（R6）"))
    training_class = forms.TypedChoiceField(label=_("结业的中青班"), required=False, coerce=int, empty_value=None,
                                            help_text=_("后备干部直接提名时选择其结业的中青班"))
    evidence_note = forms.CharField(label=_("提名依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("如推荐票数、实绩备案编号"))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = (Cadre.objects.filter(cadre_q(user), status=CadreStatus.ACTIVE)
                                         .select_related("org_unit").order_by("name_pinyin"))
        self.fields["cadre"].label_from_instance = lambda c: f"{c.name}（{c.org_unit.name} {c.current_post_title}）"
        self.fields["post"].queryset = Post.objects.filter(case_posts__case=case).select_related("org_unit")
        if case.channels:  # only the channels the motion chose (issue 11 defect 5)
            self.fields["channel"].choices = [(c, Channel(c).label) for c in case.channels if c in Channel.values]
            self.fields["channel"].initial = case.channels[0]
        if apps.is_installed("gongxin.reserve"):  # the classes a reserve_direct nomination cites
            from gongxin.reserve.queries import class_choices

            self.fields["training_class"].choices = [("", "—"), *class_choices()]
        else:
            del self.fields["training_class"]

    def evidence(self) -> dict:
        out = {}
        if self.cleaned_data.get("recommended_on"):
            out["recommended_on"] = self.cleaned_data["recommended_on"].isoformat()
        if self.cleaned_data.get("training_class"):
            out["training_class"] = self.cleaned_data["training_class"]
        if self.cleaned_data.get("evidence_note"):
            out["note"] = self.cleaned_data["evidence_note"]
        return out


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)


class ExceptionForm(forms.Form):
    reason = forms.CharField(label=_("破格理由"), widget=forms.Textarea(attrs={"rows": 2}))
    approval = forms.CharField(label=_("上级组织部门批准文件"), max_length=300)


class RuleForm(forms.Form):
    """A rule's parameters as typed fields built from its schema (rule_schema), never a raw JSON
    box; a rule code with no schema (added by another app) keeps the JSON box."""

    name = forms.CharField(label=_("名称"), max_length=100)
    regulation = forms.CharField(label=_("依据法规"), max_length=200, required=False)
    article = forms.CharField(label=_("条款"), max_length=100, required=False)
    source_text = forms.CharField(label=_("条文"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(label=_("生效日期"), initial=timezone.localdate,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("修订说明"), max_length=300)

    def __init__(self, *args, rule, **kwargs):
        from .rule_schema import schema_for

        super().__init__(*args, **kwargs)
        self.rule = rule
        self.specs = schema_for(rule.code, rule.variant)
        self.param_names: list[str] = []
        if self.specs is None:
            self.fields["parameters"] = forms.CharField(
                label=_("参数（JSON）"), widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
                initial=json.dumps(rule.parameters, ensure_ascii=False, indent=1))
            self.param_names = ["parameters"]
            return
        current = rule.parameters or {}
        for key, spec in self.specs.items():
            for name, field in _param_fields(key, spec, current.get(key)):
                self.fields[name] = field
                self.param_names.append(name)
        order = ["name", *self.param_names, "regulation", "article", "source_text", "effective_from", "note"]
        self.order_fields(order)

    def parameters(self) -> dict:
        """The typed values back into the rule's parameter object (validated again by the action)."""
        d = self.cleaned_data
        if self.specs is None:
            try:
                return json.loads(d["parameters"])
            except ValueError as exc:
                raise forms.ValidationError(_("参数不是有效的 JSON：%(e)s") % {"e": exc}) from exc
        out = {}
        for key, spec in self.specs.items():
            if spec.kind in ("months_map", "fraction_map", "choice_map"):
                keys = spec.extra["keys"] if spec.kind == "choice_map" else spec.choices
                value = {k: d.get(f"p_{key}__{k}") for k, _label in keys}
                out[key] = {k: v for k, v in value.items() if v not in (None, "")}
            elif spec.kind == "multi":
                wanted = set(d.get(f"p_{key}") or [])
                out[key] = [v for v, _label in spec.choices if str(v) in wanted]
            elif spec.kind == "bool":
                out[key] = bool(d.get(f"p_{key}"))
            else:
                value = d.get(f"p_{key}")
                if value in (None, "") and not spec.required:
                    continue
                out[key] = value
        return out


def _param_fields(key, spec, value):
    """(form field name, field) pairs for one parameter: numbers as number inputs, fractions as
    text ("2/3", "25%"), yes/no as a checkbox, one-of as a select, several-of as checkboxes."""
    label, help_text = spec.label, spec.help
    if spec.kind == "int":
        yield f"p_{key}", forms.CharField(label=label, required=spec.required, initial=value, help_text=_(
            "整数，%(lo)s 至 %(hi)s") % {"lo": spec.min, "hi": spec.max},
            widget=forms.NumberInput(attrs={"step": 1}))
    elif spec.kind == "fraction":
        yield f"p_{key}", forms.CharField(label=label, required=spec.required, initial=value, help_text=help_text)
    elif spec.kind == "bool":
        yield f"p_{key}", forms.BooleanField(label=label, required=False, initial=bool(value))
    elif spec.kind == "choice":
        yield f"p_{key}", forms.ChoiceField(label=label, choices=spec.choices, initial=value)
    elif spec.kind == "multi":
        yield f"p_{key}", forms.MultipleChoiceField(
            label=label, choices=[(str(v), lbl) for v, lbl in spec.choices], required=False,
            initial=[str(v) for v in (value or [])], widget=forms.CheckboxSelectMultiple)
    elif spec.kind == "months_map":
        for k, lbl in spec.choices:
            yield f"p_{key}__{k}", forms.IntegerField(label=f"{label}：{lbl}", required=False,
                                                      initial=(value or {}).get(k))
    elif spec.kind == "fraction_map":
        for k, lbl in spec.choices:
            yield f"p_{key}__{k}", forms.CharField(label=f"{label}：{lbl}", required=False,
                                                   initial=(value or {}).get(k), help_text=help_text)
    elif spec.kind == "choice_map":
        for k, lbl in spec.extra["keys"]:
            yield f"p_{key}__{k}", forms.ChoiceField(label=f"{label}：{lbl}", required=False,
                                                     choices=[("", _("（按默认）")), *spec.choices],
                                                     initial=(value or {}).get(k, ""))


class NoticeForm(forms.Form):
    post = forms.ModelChoiceField(label=_("职位"), queryset=Post.objects.none())
    qualifications = forms.CharField(label=_("任职条件"), widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.CharField(label=_("报名材料"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("报名截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    max_age = forms.IntegerField(label=_("年龄上限"), required=False, min_value=18, max_value=65)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(case_posts__case=case).select_related("org_unit")


class ApplyForm(forms.Form):
    statement = forms.CharField(label=_("自荐理由"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), initial=timezone.localdate,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    mode = forms.ChoiceField(label=_("表决方式"), choices=VotingMode.choices)
    voters = forms.ModelMultipleChoiceField(label=_("委员账号"), required=False, queryset=None,
                                            widget=forms.CheckboxSelectMultiple)
    other_members = forms.CharField(label=_("其他应到会成员"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}),
                                    help_text=_("每行一人：姓名；如该成员是本系统中的干部，他的回避关系按干部档案自动判断"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gongxin.accounts.models import User

        self.fields["voters"].queryset = User.objects.filter(role="voter", is_active=True).order_by("username")
        self.fields["voters"].label_from_instance = lambda u: u.display_name

    def members(self) -> list[dict]:
        out = [{"name": u.display_name, "user": u, "cadre": u.cadre} for u in self.cleaned_data["voters"]]
        for line in (self.cleaned_data.get("other_members") or "").splitlines():
            name = line.strip()
            if name:
                cadre = Cadre.objects.filter(name=name, status=CadreStatus.ACTIVE).first()
                cadre = cadre if cadre and Cadre.objects.filter(name=name, status=CadreStatus.ACTIVE).count() == 1 \
                    else None
                out.append({"name": name, "user": None, "cadre": cadre})
        return out
