"""Pages of 一报告两评议: adapters over ``actions`` and ``queries``. The evaluation meeting's
electorate, codes and opening are the meetings pages; closing and the results are here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.core.errors import DomainError
from gongxin.core.forms_util import apply_domain_error
from gongxin.meetings import queries as meeting_queries
from gongxin.meetings.forms import CloseForm
from gongxin.meetings.models import MeetingStatus
from gongxin.meetings.rating import percent

from . import actions, ballot, queries
from .forms import (
    AnalysisForm,
    EvaluationForm,
    ReferForm,
    ReportForm,
    ReportTextForm,
    jurisdiction_units,
)
from .permissions import (
    evaluations_for_user,
    get_evaluation_for_user,
    get_follow_up_for_user,
    get_report_for_user,
    reports_for_user,
)


def _units(user):
    from gongxin.meetings.views import _unit_scope_q

    return jurisdiction_units(_unit_scope_q(user))


def _crumbs(*more):
    return [(_("一报告两评议"), reverse("evaluation:list")), *more]


def _error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)
    for item in (exc.details or {}).get("blockers", []):
        messages.error(request, item)


def _act(request, call, done: str, *to):
    """Run one action; say it was done, or why not; back to ``to``."""
    try:
        call()
    except DomainError as exc:
        _error(request, exc)
    else:
        if done:
            messages.success(request, done)
    return redirect(*to)


@login_required
def overview(request):
    from gongxin.core.lists import build_list

    from .lists import ReportFilterForm, filter_reports, report_list_spec

    filters = ReportFilterForm(request.GET or None)
    lst = build_list(request, report_list_spec(), filter_reports(reports_for_user(request.user), filters), form=filters)
    if lst.response is not None:
        return lst.response
    evaluations = evaluations_for_user(request.user)
    units = _units(request.user)
    return render(request, "evaluation/overview.html", {
        "lst": lst, "evaluations": evaluations, "trend": queries.trend(evaluations),
        "report_form": ReportForm(units=units, auto_id="report-%s"),
        "evaluation_form": EvaluationForm(units=units, auto_id="eval-%s"),
        "breadcrumbs": _crumbs(),
    })


@login_required
@require_POST
def report_generate(request):
    form = ReportForm(request.POST, units=_units(request.user))
    if form.is_valid():
        try:
            report = actions.generate_report(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            if report.edited_text_kept:
                messages.warning(request, _("数据已更新；报告正文已被修改过，保留了修改后的正文，请对照下方数据核对。"))
            else:
                messages.success(request, _("已根据本年度数据生成报告草稿，请核对修改。"))
            return redirect("evaluation:report_detail", report.pk)
    else:
        for err in form.errors.values():
            messages.error(request, err[0])
    return redirect("evaluation:list")


@login_required
def report_detail(request, report_id: int):
    report = get_report_for_user(request.user, report_id)
    form = ReportTextForm(request.POST or None, initial={"title": report.title, "text": report.text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_report(acting_user=request.user, report=report, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("报告已保存。"))
            return redirect("evaluation:report_detail", report.pk)
    return render(request, "evaluation/report_detail.html", {
        "report": report, "form": form, "figures": report.figures,
        "breadcrumbs": _crumbs((report.title, None)),
    }, status=400 if form.errors else 200)


@login_required
def report_print(request, report_id: int):
    report = get_report_for_user(request.user, report_id)
    return render(request, "evaluation/report_print.html", {
        "report": report, "paragraphs": [p for p in report.text.split("\n\n") if p.strip()],
        "breadcrumbs": _crumbs((report.title, reverse("evaluation:report_detail", args=[report.pk])), (_("打印"), None)),
    })


@login_required
@require_POST
def report_finalize(request, report_id: int):
    report = get_report_for_user(request.user, report_id)
    return _act(request, lambda: actions.finalize_report(acting_user=request.user, report=report),
                _("报告已定稿，正文及其哈希值已记入账本。"), "evaluation:report_detail", report.pk)


@login_required
@require_POST
def evaluation_create(request):
    form = EvaluationForm(request.POST, units=_units(request.user))
    if form.is_valid():
        d = form.cleaned_data
        report = reports_for_user(request.user).filter(year=d["year"], org_unit=d["org_unit"]).first()
        try:
            evaluation = actions.create_evaluation(acting_user=request.user, report=report, **d)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已建立民主评议，选票已按本年度任职情况生成。请添加应到人员（全委会成员）、生成投票码并开始投票。"))
            return redirect("evaluation:detail", evaluation.pk)
    else:
        for err in form.errors.values():
            messages.error(request, err[0])
    return redirect("evaluation:list")


@login_required
def evaluation_detail(request, evaluation_id: int):
    evaluation = get_evaluation_for_user(request.user, evaluation_id)
    meeting = evaluation.meeting
    counts = meeting_queries.meeting_counts(meeting)
    res = evaluation.results or {}
    work = res.get("work")
    trend = queries.trend(evaluations_for_user(request.user).filter(org_unit=evaluation.org_unit))
    return render(request, "evaluation/evaluation_detail.html", {
        "evaluation": evaluation, "meeting": meeting, "counts": counts, "rows": queries.cadre_rows(evaluation),
        "work": work, "work_counts": [(o["label"], work["counts"][o["key"]]) for o in ballot.WORK_OPTIONS] if work else [],
        "rate": percent(res.get("satisfaction_rate")) if res else "",
        "unknown": percent(res.get("unknown_share")) if res else "",
        "flagged_count": len(res.get("flagged", [])), "results": res,
        "flag_share": percent(evaluation.flag_rule.get("flag_share")),
        "close_form": CloseForm(initial={"slips_issued": counts["present"], "paper_spoiled": 0}, shares=meeting.seal_k or 0)
        if meeting.is_open else None,
        "unit_chart": mark_safe(trend["unit_chart"]), "channel_chart": mark_safe(trend["channel_chart"]),  # noqa: S308 - built from escaped parts
        "trend": trend, "is_published": meeting.status == MeetingStatus.PUBLISHED,
        "breadcrumbs": _crumbs((meeting.title, None)),
    })


@login_required
@require_POST
def evaluation_close(request, evaluation_id: int):
    evaluation = get_evaluation_for_user(request.user, evaluation_id)
    form = CloseForm(request.POST, shares=evaluation.meeting.seal_k or 0)
    if not form.is_valid():
        messages.error(request, _("请填写发出选票数和作废选票数。"))
    else:
        try:
            actions.close_evaluation(acting_user=request.user, evaluation=evaluation, **form.action_kwargs())
            messages.success(request, _("投票已结束，已开箱计票；评议结果已记入账本。"))
        except DomainError as exc:
            _error(request, exc)
    return redirect("evaluation:detail", evaluation.pk)


@login_required
@require_POST
def evaluation_results(request, evaluation_id: int):
    evaluation = get_evaluation_for_user(request.user, evaluation_id)
    return _act(request, lambda: actions.record_results(acting_user=request.user, evaluation=evaluation), "",
                "evaluation:detail", evaluation.pk)


@login_required
@require_POST
def evaluation_publish(request, evaluation_id: int):
    evaluation = get_evaluation_for_user(request.user, evaluation_id)
    return _act(request, lambda: actions.publish_evaluation(acting_user=request.user, evaluation=evaluation),
                _("评议结果已公布：满意度、需核实干部人数和选票清单可在公开页面查看和下载。"), "evaluation:detail", evaluation.pk)


@login_required
def follow_up_detail(request, follow_up_id: int):
    follow_up = get_follow_up_for_user(request.user, follow_up_id)
    form = AnalysisForm(request.POST or None, initial={"analysis": follow_up.analysis})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_analysis(acting_user=request.user, follow_up=follow_up, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("分析意见已保存。"))
            return redirect("evaluation:follow_up", follow_up.pk)
    ev = follow_up.evaluated
    item = (ev.evaluation.results or {}).get("cadres", {}).get(ev.item_key)
    return render(request, "evaluation/follow_up.html", {
        "follow_up": follow_up, "ev": ev, "form": form, "refer_form": ReferForm(),
        "item": item, "not_endorse": percent(item["unfavourable_share"]) if item else "",
        "breadcrumbs": _crumbs((ev.evaluation.meeting.title, reverse("evaluation:detail", args=[ev.evaluation_id])),
                               (_("核实 %(name)s") % {"name": ev.cadre.name}, None)),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def follow_up_refer(request, follow_up_id: int):
    follow_up = get_follow_up_for_user(request.user, follow_up_id)
    form = ReferForm(request.POST)
    if form.is_valid():
        try:
            actions.refer_to_problem_file(acting_user=request.user, follow_up=follow_up, **form.cleaned_data)
            messages.success(request, _("已建立问题档案，转入问题核查。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请填写反映内容。"))
    return redirect("evaluation:follow_up", follow_up.pk)


@login_required
@require_POST
def follow_up_close(request, follow_up_id: int):
    follow_up = get_follow_up_for_user(request.user, follow_up_id)
    return _act(request, lambda: actions.close_follow_up(acting_user=request.user, follow_up=follow_up),
                _("核实已办结。"), "evaluation:follow_up", follow_up.pk)
