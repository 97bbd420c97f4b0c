"""Assessment pages: years, unit scores with their breakdown and sensitivity, grades, indicator
systems, accountability, and the cadre page's section (cadre_page.py)."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.core.errors import DomainError
from gongxin.core.lists import build_list
from gongxin.people.permissions import get_cadre_for_user

from . import actions, forms, importing, lists, permissions, queries, scoring, survey
from .models import (
    AssessmentYear,
    GradeDecision,
    Indicator,
    UnitResult,
    UnitScore,
)

PAGE_SIZE = 50


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)
    for problem in (exc.details or {}).get("problems", [])[1:] if isinstance(exc.details, dict) else []:
        messages.error(request, problem)


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


@login_required
def year_list(request):
    user = request.user
    permissions.require(user, permissions.can_manage_assessment(user))
    form = forms.YearForm(request.POST or None)
    if request.method == "POST":
        permissions.require(user, permissions.can_configure(user))
        if form.is_valid():
            try:
                year = actions.open_year(acting_user=user, year=form.cleaned_data["year"])
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("已建立%(year)s。") % {"year": year})
                return redirect("assessment:year_detail", year=year.year)
        else:
            _form_errors(request, form)
        return redirect("assessment:year_list")
    filters = lists.YearFilterForm(request.GET or None)
    lst = build_list(request, lists.year_list_spec(),
                     lists.filter_years(AssessmentYear.objects.prefetch_related("systems"), filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "assessment/year_list.html", {
        "lst": lst, "form": form,
        "can_configure": permissions.can_configure(user), "breadcrumbs": [(_("考核年度"), None)]})


@login_required
def year_detail(request, year):
    user = request.user
    record = permissions.get_year_for_user(user, year)
    if request.method == "POST":
        action = request.POST.get("action", "score")
        steps = {
            "score": (actions.compute_scores, _("已计算得分。")),
            "close": (actions.close_year, _("本年度考核已结束，得分和等次不再修改。")),
            "public_open": (partial(survey.open_public_evaluation, leaders=request.POST.get("leaders") == "1"),
                            _("已建立群众评议：请在会议页面确定参评人员、生成投票码并开始投票。")),
            "public_apply": (survey.apply_public_evaluation, _("群众评议结果已计入，并已重新计分。")),
        }
        if action in steps:
            step, done = steps[action]
            try:
                step(acting_user=user, year=record)
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, done)
        return redirect("assessment:year_detail", year=record.year)
    units = permissions.units_for_user(user)
    scores = (UnitScore.objects.filter(year=record, org_unit__in=units).select_related("org_unit", "system")
              .order_by("system__category", "rank", "org_unit__name"))
    entered = set(UnitResult.objects.filter(year=record).values_list("org_unit_id", flat=True).distinct())
    categories = {s.category for s in record.systems.all()}
    pending = units.filter(kind__in=categories).exclude(pk__in=entered).order_by("path")
    return render(request, "assessment/year_detail.html", {
        "year": record, "scores": scores, "pending": pending, "survey": survey.unit_results(record) + survey.leader_results(record),
        "breadcrumbs": [(_("考核年度"), reverse("assessment:year_list")), (str(record), None)]})


@login_required
def results_template(request, year):
    user = request.user
    record = permissions.get_year_for_user(user, year)
    body = importing.template(record, permissions.units_for_user(user))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="assessment-{record.year}-template.xlsx"'
    return response


@login_required
@require_POST
def results_import(request, year):
    """Preview: every row's problems listed, nothing saved."""
    user = request.user
    record = permissions.get_year_for_user(user, year)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 Excel 文件。"))
        return redirect("assessment:year_detail", year=record.year)
    result = importing.preview(upload, year=record, units=list(permissions.units_for_user(user)))
    if "error" in result:
        messages.error(request, result["error"])
        return redirect("assessment:year_detail", year=record.year)
    return render(request, "assessment/import_preview.html", {
        "year": record, **result, "file_name": upload.name,
        "breadcrumbs": [(_("考核年度"), reverse("assessment:year_list")),
                        (str(record), reverse("assessment:year_detail", args=[record.year])), (_("导入预览"), None)]})


@login_required
@require_POST
def results_apply(request, year):
    user = request.user
    record = permissions.get_year_for_user(user, year)
    bad = int(request.POST.get("bad") or 0)
    if bad and request.POST.get("skip_bad") != "1":
        messages.error(request, _("有 %(n)s 行有问题：请修正后重新导入，或勾选“跳过有问题的行”。") % {"n": bad})
        return redirect("assessment:year_detail", year=record.year)
    units = {u.pk: u for u in permissions.units_for_user(user)}
    signed, source = importing.rows_from_token(request.POST.get("token", ""), year=record)
    rows = [(units[unit_id], values) for unit_id, values in signed if unit_id in units]
    try:
        n = actions.import_unit_results(acting_user=user, year=record, rows=rows, source=source)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已导入 %(n)s 个单位的考核数据。请重新计算得分。") % {"n": n})
    return redirect("assessment:year_detail", year=record.year)


@login_required
def unit_detail(request, year, unit):
    user = request.user
    record = permissions.get_year_for_user(user, year)
    org_unit = permissions.get_unit_for_user(user, unit)
    try:
        system = actions.system_for(record, org_unit)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("assessment:year_detail", year=record.year)
    indicators = list(system.indicators.all())
    values = dict(UnitResult.objects.filter(year=record, org_unit=org_unit).values_list("indicator__code", "value"))
    posted = request.POST if request.POST.get("which") == "results" else None
    results_form = forms.ResultsForm(posted, indicators=indicators, initial=values)
    decide_data = None  # the committee's choices, kept on the page when refused
    if request.method == "POST":
        which = request.POST.get("which")
        try:
            if which == "results":
                if results_form.is_valid():
                    actions.record_unit_results(acting_user=user, year=record, org_unit=org_unit,
                                                values=results_form.values())
                    messages.success(request, _("已保存考核数据。请重新计算得分。"))
                else:
                    _form_errors(request, results_form)
            elif which == "propose":
                form = forms.ProposeForm(request.POST)
                if form.is_valid():
                    actions.propose_grades(acting_user=user, year=record, org_unit=org_unit, **form.cleaned_data)
                    messages.success(request, _("已生成建议等次。"))
                else:
                    _form_errors(request, form)
            elif which == "decide":
                decisions = GradeDecision.objects.filter(year=record, org_unit=org_unit).select_related("cadre")
                form = forms.DecideForm(request.POST, decisions=decisions)
                if form.is_valid():
                    try:
                        actions.decide_grades(acting_user=user, year=record, org_unit=org_unit, grades=form.grades())
                    except DomainError:
                        decide_data = request.POST
                        raise
                    messages.success(request, _("等次已确定，已记入干部年度考核结果。"))
                else:
                    _form_errors(request, form)
        except DomainError as exc:
            _fail(request, exc)
        if decide_data is None:
            return redirect("assessment:unit_detail", year=record.year, unit=org_unit.pk)
    score = UnitScore.objects.filter(year=record, org_unit=org_unit).first()
    breakdown = None
    if values:
        breakdown = scoring.score(actions.core_indicators(system), values,
                                  coefficient=score.coefficient if score else 1.0)
    decisions = list(GradeDecision.objects.filter(year=record, org_unit=org_unit).select_related("cadre"))
    hard = queries.hard_posting_years([d.cadre_id for d in decisions], on=dt.date(record.year, 12, 31))
    preferred = queries.preferred_for_hard_service([d.cadre_id for d in decisions], on=dt.date(record.year, 12, 31))
    for d in decisions:
        d.hard_years, d.preferred = hard.get(d.cadre_id), d.cadre_id in preferred
    sensitivity = queries.sensitivity_table(record, system) if score else None
    cap = None
    if score and decisions:
        cap = actions.excellent_cap(score, len(decisions)).allowed
    return render(request, "assessment/unit_detail.html", {
        "year": record, "unit": org_unit, "system": system, "score": score, "breakdown": breakdown,
        "results_form": results_form, "decisions": decisions, "cap": cap, "org_weight": 1 - record.public_weight,
        "propose_form": forms.ProposeForm(initial={"team_rating": score.team_rating if score else "good"}),
        "decide_rows": _decide_rows(decisions, decide_data),
        "sensitivity": sensitivity, "own_scenarios": queries.unit_scenarios(sensitivity, org_unit) if sensitivity else [],
        "breadcrumbs": [(_("考核年度"), reverse("assessment:year_list")),
                        (str(record), reverse("assessment:year_detail", args=[record.year])), (org_unit.name, None)]})


def _decide_rows(decisions, data=None):
    form = forms.DecideForm(data, decisions=decisions)
    return [(row, form[f"grade_{row.cadre_id}"]) for row in decisions]


@login_required
def system_list(request):
    user = request.user
    permissions.require(user, permissions.can_manage_assessment(user))
    form = forms.SystemForm(request.POST or None)
    if request.method == "POST":
        permissions.require(user, permissions.can_configure(user))
        if form.is_valid():
            try:
                system = actions.create_indicator_system(acting_user=user, category=form.cleaned_data["category"],
                                                         name=form.cleaned_data["name"], indicators=form.indicators())
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("已建立%(system)s。") % {"system": system})
                return redirect("assessment:system_list")
        else:
            _form_errors(request, form)
    filters = lists.IndicatorFilterForm(request.GET or None)
    lst = build_list(request, lists.indicator_list_spec(),
                     lists.filter_indicators(Indicator.objects.select_related("system"), filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "assessment/system_list.html", {
        "lst": lst, "form": form,
        "can_configure": permissions.can_configure(user), "breadcrumbs": [(_("指标体系"), None)]})


@login_required
def accountability_list(request):
    user = request.user
    filters = lists.AccountabilityFilterForm(request.GET or None)
    qs = lists.filter_accountability(permissions.accountabilities_for_user(user), filters)
    lst = build_list(request, lists.accountability_list_spec(), qs, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "assessment/accountability_list.html", {"lst": lst, "breadcrumbs": [(_("问责"), None)]})


@login_required
def accountability_detail(request, pk):
    user = request.user
    case = permissions.get_accountability_for_user(user, pk)
    if request.method == "POST":
        which = request.POST.get("which")
        form = (forms.AccountabilityDecideForm if which == "decide" else forms.DismissForm)(request.POST)
        if form.is_valid():
            try:
                if which == "decide":
                    actions.decide_accountability(acting_user=user, case=case, **form.cleaned_data)
                else:
                    actions.dismiss_accountability(acting_user=user, case=case, **form.cleaned_data)
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("已保存。"))
        else:
            _form_errors(request, form)
        return redirect("assessment:accountability_detail", pk=case.pk)
    return render(request, "assessment/accountability_detail.html", {
        "case": case, "decide_form": forms.AccountabilityDecideForm(), "dismiss_form": forms.DismissForm(),
        "breadcrumbs": [(_("问责"), reverse("assessment:accountability_list")), (case.cadre.name, None)]})


@login_required
def daily_gaps(request):
    """Cadres whose daily assessment file has no entry in the last ``days`` days."""
    user = request.user
    permissions.require(user, permissions.can_manage_assessment(user))
    filters = lists.DailyGapFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    days = d.get("days") or 90
    since = timezone.localdate() - dt.timedelta(days=days)
    qs = queries.missing_daily_records(user, since=since)
    if d.get("q", "").strip():
        qs = qs.filter(name__contains=d["q"].strip())
    lst = build_list(request, lists.daily_gap_list_spec(), qs, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "assessment/daily_gaps.html", {
        "lst": lst, "days": days, "since": since, "breadcrumbs": [(_("日常考核档案缺记录"), None)]})


@login_required
@require_POST
def cadre_daily_record(request, cadre):
    user = request.user
    permissions.require(user, permissions.can_manage_assessment(user))
    target = get_cadre_for_user(user, cadre)
    form = forms.DailyRecordForm(request.POST)
    if form.is_valid():
        try:
            actions.add_daily_record(acting_user=user, cadre=target, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已记入日常考核档案。"))
    else:
        _form_errors(request, form)
    return redirect(reverse("people:cadre_detail", args=[target.pk]) + "#assessment")


@login_required
@require_POST
def cadre_accountability(request, cadre):
    user = request.user
    permissions.require(user, permissions.can_manage_assessment(user))
    target = get_cadre_for_user(user, cadre)
    form = forms.AccountabilityOpenForm(request.POST)
    if form.is_valid():
        try:
            case = actions.open_accountability(acting_user=user, cadre=target, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已立案，结论作出前该干部暂缓提拔。"))
            return redirect("assessment:accountability_detail", pk=case.pk)
    else:
        _form_errors(request, form)
    return redirect(reverse("people:cadre_detail", args=[target.pk]) + "#assessment")
