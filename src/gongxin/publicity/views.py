"""Staff pages: notices, the feedback queue, appointments and probation, the working-day
table. Each view parses, calls one action or query, and renders."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.core.errors import DomainError, Forbidden, NotFound

from . import actions, calendar, integration, queries
from .forms import (
    AppointmentForm,
    AssignForm,
    EntryForm,
    NoticeForm,
    OfflineFeedbackForm,
    PeriodForm,
    ProbationDecisionForm,
    PublishForm,
    ReplyForm,
    WorkdayOverrideForm,
)
from .models import FeedbackAttachment, WorkdayOverride
from .permissions import (
    can_manage_publicity,
    get_appointment_for_user,
    get_feedback_for_user,
    get_notice_for_user,
)


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_publicity(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapped


def _crumbs(*extra):
    return [(_("公示与任职"), None), *extra]


def _done(request, fn, success: str, **kwargs):
    """Run an action; a DomainError becomes a message. Returns the result or None."""
    try:
        result = fn(**kwargs)
    except DomainError as exc:
        for b in exc.details.get("blockers", []) or [exc.message]:
            messages.error(request, b)
        return None
    messages.success(request, success)
    return result


# ---- notices ---------------------------------------------------------------------------

@manager_required
def notices(request):
    from gongxin.core.lists import build_list

    from .lists import NoticeFilterForm, notice_list_spec

    form = NoticeFilterForm(request.GET or None)
    qs = queries.notices_with_counts_for_user(request.user)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            qs = qs.filter(title__contains=form.cleaned_data["q"])
    lst = build_list(request, notice_list_spec(), qs, form=form, actions=[
        (_("新建公告"), reverse("publicity:notice_new"), ""),
        (_("公众服务页面"), reverse("publicity_public:portal"), "secondary")])
    if lst.response is not None:
        return lst.response
    return render(request, "publicity/notice_list.html", {
        "lst": lst, "notices": lst.rows, "breadcrumbs": _crumbs((_("公告与公示"), None))})


@manager_required
def notice_new(request):
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notice = _done(request, actions.create_notice, _("公告草稿已建立。"), acting_user=request.user,
                       **form.cleaned_data)
        if notice:
            return redirect("publicity:notice", notice.pk)
    return render(request, "publicity/form.html", {"form": form, "title": _("新建公告"),
                                                   "breadcrumbs": _crumbs((_("新建公告"), None))})


@manager_required
def notice_edit(request, pk):
    notice = get_notice_for_user(request.user, pk)
    form = NoticeForm(request.POST or None, instance=notice, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        if _done(request, actions.update_notice, _("已保存。"), acting_user=request.user,
                 notice=get_notice_for_user(request.user, pk), **data):
            return redirect("publicity:notice", pk)
    return render(request, "publicity/form.html", {"form": form, "title": _("修改公告"),
                                                   "breadcrumbs": _crumbs((notice.title, None))})


@manager_required
def notice_detail(request, pk):
    notice = get_notice_for_user(request.user, pk)
    today = timezone.localdate()
    entry_form = EntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and entry_form.is_valid():
        data = entry_form.cleaned_data
        extra = {"extra": data["extra"]}
        if data["proposed_post"]:
            extra["proposed_post"] = data["proposed_post"]
        if _done(request, actions.add_notice_entry, _("已加入公示对象。"), acting_user=request.user, notice=notice,
                 cadre=data["cadre"], post=data["post"], **extra):
            return redirect("publicity:notice", pk)
    pre = notice.kind == "pre_appointment"
    blockers = actions.notice_blockers(notice, today) if pre else []
    entries = list(notice.entries.order_by("position").select_related("cadre"))
    for e in entries:  # feedback about another person does not hold this one back
        e.blockers = actions.notice_blockers(notice, today, e) if pre and blockers else []
        e.appointed = e.cadre_id is not None and notice.appointments.filter(cadre_id=e.cadre_id).exists()
    return render(request, "publicity/notice_detail.html", {
        "notice": notice, "entries": entries,
        "feedback": notice.feedback.select_related("entry").order_by("-received_at"),
        "entry_form": entry_form, "publish_form": PublishForm(initial={"start": today}), "blockers": blockers,
        "offline_form": OfflineFeedbackForm(notice=notice, initial={"received_on": today}),
        "proof_url": integration.inclusion_proof_url(notice.ledger_seq, notice.leaf_hash), "today": today,
        "phase_label": notice.phase_label(today) if notice.status != "draft" else "",
        "breadcrumbs": _crumbs((_("公告与公示"), "/publicity/notices/"), (notice.title, None))})


@manager_required
@require_POST
def notice_entry_remove(request, pk, entry_pk):
    notice = get_notice_for_user(request.user, pk)
    entry = get_object_or_404(notice.entries, pk=entry_pk)
    _done(request, actions.remove_notice_entry, _("已移出。"), acting_user=request.user, entry=entry)
    return redirect("publicity:notice", pk)


@manager_required
@require_POST
def notice_publish(request, pk):
    notice = get_notice_for_user(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写公示开始日期。"))
        return redirect("publicity:notice", pk)
    published = _done(request, actions.publish_notice, _("公告已发布。"), acting_user=request.user, notice=notice,
                      start=form.cleaned_data["start"], deadline=form.cleaned_data.get("deadline"))
    if published:
        for w in published.calendar_warnings:
            messages.warning(request, w)
    return redirect("publicity:notice", pk)


@manager_required
@require_POST
def notice_feedback_add(request, pk):
    """A letter, call or visit about the notice, entered by the clerk: it gets a code too."""
    notice = get_notice_for_user(request.user, pk)
    form = OfflineFeedbackForm(request.POST, notice=notice)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{errors[0]}")
        return redirect("publicity:notice", pk)
    d = form.cleaned_data
    entry = notice.entries.filter(pk=d["entry"]).first() if d["entry"] else None
    received = timezone.make_aware(dt.datetime.combine(d["received_on"], dt.time(9, 0)))
    feedback = _done(request, actions.submit_feedback, _("已登记。"), acting_user=request.user, notice=notice,
                     entry=entry, category=d["category"], text=d["text"], contact_name=d["contact_name"],
                     contact=d["contact"], received_at=received)
    if feedback:
        messages.info(request, _("查询码 %(code)s，可告知反映人凭码查询答复。") % {"code": actions.display_code(feedback.code)})
        return redirect("publicity:feedback", feedback.pk)
    return redirect("publicity:notice", pk)


@manager_required
@require_POST
def notice_close(request, pk):
    notice = get_notice_for_user(request.user, pk)
    _done(request, actions.close_notice, _("公告已结束。"), acting_user=request.user, notice=notice)
    return redirect("publicity:notice", pk)


# ---- feedback --------------------------------------------------------------------------

@manager_required
def feedback_queue(request):
    from gongxin.core.lists import build_list

    from .lists import FeedbackFilterForm, feedback_list_spec

    form = FeedbackFilterForm(request.GET or None)
    status, q = "open", ""
    if form.is_bound and form.is_valid():
        status, q = form.cleaned_data["status"] or "open", form.cleaned_data["q"]
    qs = queries.feedback_queue_for_user(request.user, status if status != "all" else None)
    if q:
        qs = qs.filter(code__icontains=q.strip())
    lst = build_list(request, feedback_list_spec(), qs, form=form)
    if lst.response is not None:
        return lst.response
    return render(request, "publicity/feedback_queue.html", {
        "lst": lst, "items": lst.rows, "status": status, "breadcrumbs": _crumbs((_("公示反馈"), None))})


@manager_required
def feedback_detail(request, pk):
    feedback = get_feedback_for_user(request.user, pk)
    reply_form = ReplyForm(request.POST or None, initial={"reply": feedback.reply, "finding": feedback.finding})
    if request.method == "POST" and reply_form.is_valid():
        d = reply_form.cleaned_data
        ok = _done(request, actions.reply_feedback, _("已办结。") if d["resolve"] else _("答复已保存。"),
                   acting_user=request.user, feedback=feedback, reply=d["reply"], finding=d["finding"],
                   resolve=d["resolve"])
        if ok:
            return redirect("publicity:feedback", pk)
    return render(request, "publicity/feedback_detail.html", {
        "item": feedback, "reply_form": reply_form, "assign_form": AssignForm(),
        "can_transfer": (integration.problem_file_intake() is not None and feedback.entry_id is not None
                         and not feedback.problem_file_ref),
        "problem_url": integration.problem_file_url(feedback.problem_file_ref),
        "breadcrumbs": _crumbs((_("公示反馈"), "/publicity/feedback/"), (feedback.code, None))})


@manager_required
@require_POST
def feedback_assign(request, pk):
    feedback = get_feedback_for_user(request.user, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        _done(request, actions.assign_feedback, _("已指定承办人。"), acting_user=request.user, feedback=feedback,
              assignee=form.cleaned_data["assignee"])
    return redirect("publicity:feedback", pk)


@manager_required
@require_POST
def feedback_transfer(request, pk):
    feedback = get_feedback_for_user(request.user, pk)
    _done(request, actions.transfer_feedback, _("已转为问题档案。"), acting_user=request.user, feedback=feedback)
    return redirect("publicity:feedback", pk)


@manager_required
def feedback_attachment(request, pk, att_pk):
    feedback = get_feedback_for_user(request.user, pk)
    att = get_object_or_404(FeedbackAttachment, pk=att_pk, feedback=feedback)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name,
                        content_type=att.content_type)


# ---- appointments ----------------------------------------------------------------------

@manager_required
def appointments(request):
    from gongxin.core.lists import build_list

    from .lists import AppointmentFilterForm, appointment_list_spec

    today = timezone.localdate()
    form = AppointmentFilterForm(request.GET or None)
    qs = queries.appointments_list_for_user(request.user)
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        qs = qs.filter(cadre__name__contains=form.cleaned_data["q"].strip())
    lst = build_list(request, appointment_list_spec(), qs, form=form,
                     actions=[(_("登记任职"), reverse("publicity:appointment_new"), "")])
    if lst.response is not None:
        return lst.response
    return render(request, "publicity/appointment_list.html", {
        "lst": lst, "items": lst.rows, "today": today,
        "ending": queries.probations_ending_for_user(request.user, today),
        "breadcrumbs": _crumbs((_("任职与试用期"), None))})


@manager_required
def appointment_new(request):
    initial = {"start": timezone.localdate()}
    for key in ("cadre", "post", "notice"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = AppointmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        appointment = _done(request, actions.appoint, _("任职已登记，干部的现任职务、职级和任职经历已更新。"),
                            acting_user=request.user, cadre=d["cadre"], post=d["post"], start=d["start"],
                            notice=d["notice"], document_number=d["document_number"], probation=d["probation"])
        if appointment:
            return redirect("publicity:appointment", appointment.pk)
    return render(request, "publicity/form.html", {"form": form, "title": _("登记任职"),
                                                   "breadcrumbs": _crumbs((_("登记任职"), None))})


@manager_required
def appointment_detail(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    form = ProbationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _done(request, actions.decide_probation, _("试用期满决定已记录。"), acting_user=request.user,
                 appointment=appointment, decision=d["decision"], note=d["note"], extend_months=d["extend_months"] or 6):
            return redirect("publicity:appointment", pk)
    return render(request, "publicity/appointment_detail.html", {
        "item": appointment, "form": form,
        "breadcrumbs": _crumbs((_("任职与试用期"), "/publicity/appointments/"), (str(appointment), None))})


# ---- working days ----------------------------------------------------------------------

@manager_required
def workdays(request):
    can_edit = request.user.has_capability("config.edit")
    form = WorkdayOverrideForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            if _done(request, actions.set_workday_override, _("已保存。"), acting_user=request.user, date=d["date"],
                     is_workday=d["is_workday"], note=d["note"]):
                return redirect("publicity:workdays")
    period = None
    period_form = PeriodForm(request.GET if "start" in request.GET else None)
    if period_form.is_bound and period_form.is_valid():
        try:
            period = calendar.publicity_period(period_form.cleaned_data["start"], period_form.cleaned_data["working_days"])
        except ValueError as exc:
            messages.error(request, str(exc))
    from django.middleware.csrf import get_token

    from gongxin.core.lists import build_list

    from .lists import WorkdayFilterForm, filter_workdays, workday_list_spec

    n, source = integration.publicity_working_days()
    filters = WorkdayFilterForm(request.GET or None)
    rows = WorkdayOverride.objects.all()
    if not (filters.is_bound and filters.data.get("year")):  # by default: last year and on
        rows = rows.filter(date__gte=dt.date(timezone.localdate().year - 1, 1, 1))
    lst = build_list(request, workday_list_spec(get_token(request) if can_edit else None), filter_workdays(rows, filters),
                     form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "publicity/workdays.html", {
        "lst": lst, "form": form, "period_form": period_form, "period": period, "rule_days": n, "rule_source": source,
        "breadcrumbs": _crumbs((_("工作日调整"), None))})


@manager_required
@require_POST
def workday_remove(request, pk):
    if not request.user.has_capability("config.edit"):
        raise PermissionDenied
    row = get_object_or_404(WorkdayOverride, pk=pk)
    _done(request, actions.remove_workday_override, _("已删除。"), acting_user=request.user, override=row)
    return redirect("publicity:workdays")
