"""Pages of the reserve pool and training classes. Adapters only: parse, call an action or a
query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongxin.accounts.scope import cadre_q
from gongxin.cases.checks import translated_reason
from gongxin.core.errors import DomainError, NotFound
from gongxin.core.forms_util import apply_domain_error
from gongxin.people.models import Cadre, CadreStatus, OrgUnitKind
from gongxin.people.permissions import units_for_user

from . import actions, permissions, queries
from .export import pool_to_xlsx
from .forms import (
    AssignmentForm,
    ClassForm,
    EnrolForm,
    EntryForm,
    EvaluationForm,
    ExitForm,
    GraduateForm,
    MeetingEntryForm,
    PoolFilterForm,
    SessionForm,
    TargetForm,
    TierForm,
)
from .models import Measure, Tier, TrainingClass


def _crumbs(*items):
    return [(_("后备干部库"), reverse("reserve:pool")), *items]


def _class_crumbs(*items):
    return [(_("中青班"), reverse("reserve:class_list")), *items]


def _filters(request):
    form = PoolFilterForm(request.GET or None, units=units_for_user(request.user))
    filters = queries.PoolFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = queries.PoolFilters(
            q=d["q"], tier=d["tier"], unit=d["unit"].pk if d["unit"] else None,
            target_rank=d["target_rank"].pk if d["target_rank"] else None, age_min=d["age_min"], age_max=d["age_max"],
            sex=d["sex"], education=d["education"], status="" if d["status"] == "all" else (d["status"] or "active"))
    return form, filters


@login_required
def pool(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    from gongxin.core.lists import build_list

    from .lists import pool_list_spec

    form, filters = _filters(request)
    actions_ = [(_("入库"), reverse("reserve:enter"), ""),
                (_("推荐会议结果入库"), reverse("reserve:from_meeting"), "secondary"),
                (_("复核"), reverse("reserve:review"), "secondary")]
    lst = build_list(request, pool_list_spec(), queries.pool_for_user(request.user, filters), form=form,
                     actions=actions_)
    if lst.response is not None:
        return lst.response
    return render(request, "reserve/pool.html", {"form": form, "lst": lst, "rows": lst.rows,
                                                 "breadcrumbs": [(_("后备干部库"), None)]})


@login_required
def review(request):
    """复核: the active pool screened against R24's bars today, those who fail listed with why."""
    from .checks import review_pool

    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    from gongxin.core.lists import build_list

    from .lists import ReviewFilterForm, review_list_spec

    on = timezone.localdate()
    filters = ReviewFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    failing = []
    for reserve, failed in review_pool(permissions.reserve_cadres_for_user(request.user), on=on):
        text = d.get("q", "").strip()
        if text and text not in reserve.cadre.name and text not in reserve.cadre.org_unit.name:
            continue
        if d.get("tier") and reserve.tier != d["tier"]:
            continue
        reserve.reasons = [translated_reason(r) for r in failed]
        failing.append(reserve)
    lst = build_list(request, review_list_spec(), failing, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "reserve/review.html", {"lst": lst, "on": on, "breadcrumbs": _crumbs((_("复核"), None))})


@login_required
def pool_export(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    _form, filters = _filters(request)
    from gongxin.people.access import log_access
    from gongxin.people.models import AccessLog

    data = pool_to_xlsx(queries.pool_for_user(request.user, filters))
    log_access(request, what=AccessLog.What.EXPORT, detail="reserve pool")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="reserve-{timezone.localtime():%Y%m%d-%H%M}.xlsx"'
    return response


def _picked(request, form_data):
    """The type-ahead's state: what was typed, the chosen cadre, the matches to show."""
    q = request.GET.get("q") or request.POST.get("q") or ""
    choices = queries.search_cadres(request.user, q)
    selected = None
    raw = form_data.get("cadre") if form_data else None
    if raw:
        selected = Cadre.objects.filter(cadre_q(request.user), pk=raw if str(raw).isdigit() else 0).first()
        if selected and selected not in choices:
            choices = [selected, *choices]
    return {"q": q, "choices": choices, "selected": selected.pk if selected else None}


def _cadre_or_error(request, form):
    cadre = Cadre.objects.filter(cadre_q(request.user), status=CadreStatus.ACTIVE,
                                 pk=form.cleaned_data["cadre"]).first()
    if cadre is None:
        form.add_error(None, _("所选干部不存在或不在您的管理范围内，请重新查找。"))
    return cadre


@login_required
def cadre_search(request):
    """The type-ahead's matches (an htmx fragment of radio buttons named ``cadre``)."""
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    q = request.GET.get("q", "")
    return render(request, "reserve/_cadre_choices.html", {"choices": queries.search_cadres(request.user, q), "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def enter(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    form = EntryForm(request.POST or None)
    blockers = []
    if request.method == "POST" and form.is_valid():
        cadre = _cadre_or_error(request, form)
        if cadre is not None:
            d = form.cleaned_data
            try:
                reserve = actions.enter_reserve(acting_user=request.user, cadre=cadre, tier=d["tier"],
                                                target_rank=d["target_rank"], source=d["source"],
                                                source_note=d["source_note"], entered_on=d["entered_on"],
                                                profile=d["profile"], ready_soon=d["ready_soon"])
            except DomainError as exc:
                blockers = exc.details.get("blockers") or []
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s 已进入后备干部库（%(tier)s）。") % {
                    "name": cadre.name, "tier": reserve.get_tier_display()})
                return redirect("reserve:detail", reserve_id=reserve.pk)
    return render(request, "reserve/enter.html", {
        "form": form, "blockers": blockers, **_picked(request, request.POST),
        "breadcrumbs": _crumbs((_("入库"), None))})


@login_required
def detail(request, reserve_id: int):
    reserve = permissions.get_reserve_for_user(request.user, reserve_id)
    return render(request, "reserve/detail.html", {
        "r": reserve, "changes": reserve.changes.select_related("by"), "tier_form": TierForm(prefix="tier"),
        "exit_form": ExitForm(prefix="exit"), "trainings": queries.graduations_for(reserve.cadre),
        "breadcrumbs": _crumbs((reserve.cadre.name, None))})


def _post_action(request, reserve_id, form_class, prefix, call, done):
    reserve = permissions.get_reserve_for_user(request.user, reserve_id)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("reserve:detail", reserve_id=reserve.pk)
    try:
        call(reserve, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("reserve:detail", reserve_id=reserve.pk)


@login_required
@require_POST
def change_tier(request, reserve_id: int):
    return _post_action(request, reserve_id, TierForm, "tier", lambda r, d: actions.change_tier(
        acting_user=request.user, reserve=r, tier=d["tier"], reason=d["reason"], on=d["on"]), _("已调整层次。"))


@login_required
@require_POST
def exit_pool(request, reserve_id: int):
    return _post_action(request, reserve_id, ExitForm, "exit", lambda r, d: actions.exit_reserve(
        acting_user=request.user, reserve=r, reason=d["reason"], note=d["note"], on=d["on"]), _("已出库。"))


@login_required
@require_POST
def readiness(request, reserve_id: int):
    reserve = permissions.get_reserve_for_user(request.user, reserve_id)
    try:
        actions.set_ready_soon(acting_user=request.user, reserve=reserve, ready_soon=request.POST.get("ready_soon") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reserve:detail", reserve_id=reserve.pk)


@login_required
@require_http_methods(["GET", "POST"])
def from_meeting(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    form = MeetingEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entered, refused = actions.enter_from_meeting(acting_user=request.user, meeting=d["meeting"],
                                                          tier=d["tier"], target_rank=d["target_rank"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("推荐会议结果已入库 %(n)d 人。") % {"n": len(entered)})
            for why in refused:
                messages.warning(request, why)
            return redirect("reserve:pool")
    return render(request, "simple_form.html", {
        "form": form, "title": _("推荐会议结果入库"), "submit": _("入库"),
        "breadcrumbs": _crumbs((_("推荐会议结果入库"), None))})


@login_required
@require_http_methods(["GET", "POST"])
def composition(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    can_edit = permissions.can_edit_targets(request.user)
    form = TargetForm(request.POST or None)
    if request.method == "POST":
        permissions.require(request.user, can_edit)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.set_composition_target(acting_user=request.user, measure=d["measure"], tier=d["tier"],
                                               unit_kind=d["unit_kind"], min_share=d["min_share"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("结构目标已保存。"))
                return redirect("reserve:composition")
    kinds, tiers = dict(OrgUnitKind.choices), dict(Tier.choices)
    rows = queries.composition_table(request.user)
    for row in rows:
        row.tier_label, row.kind_label = tiers.get(row.tier, ""), kinds.get(row.unit_kind, row.unit_kind)
    return render(request, "reserve/composition.html", {
        "rows": rows, "measures": Measure.choices, "form": form, "can_edit": can_edit,
        "breadcrumbs": [(_("后备干部结构"), None)]})


# ---- training classes ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def class_list(request):
    permissions.require(request.user, permissions.can_manage_reserve(request.user))
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tc = actions.create_training_class(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("reserve:class_detail", class_id=tc.pk)
    from django.db.models import Count, Q

    from gongxin.core.lists import build_list

    from .lists import ClassFilterForm, class_list_spec, filter_classes

    classes = TrainingClass.objects.annotate(
        n=Count("trainees", distinct=True),
        graduates=Count("trainees", filter=Q(trainees__status="graduated"), distinct=True))
    filters = ClassFilterForm(request.GET or None)
    lst = build_list(request, class_list_spec(), filter_classes(classes, filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "reserve/class_list.html", {"lst": lst, "form": form, "breadcrumbs": [(_("中青班"), None)]})


@login_required
def class_detail(request, class_id: int):
    tc = permissions.get_class_for_user(request.user, class_id)
    trainees, sessions = queries.roster(request.user, tc)
    enrol_form = EnrolForm(prefix=None)
    return render(request, "reserve/class_detail.html", {
        "tc": tc, "trainees": trainees, "sessions": sessions, "enrol_form": enrol_form,
        "session_form": SessionForm(), "graduate_form": GraduateForm(), **_picked(request, {}),
        "breadcrumbs": _class_crumbs((tc.name, None))})


def _class_post(request, tc, call, done):
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("reserve:class_detail", class_id=tc.pk)


@login_required
@require_POST
def class_enrol(request, class_id: int):
    tc = permissions.get_class_for_user(request.user, class_id)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请先输入姓名或拼音，从查找结果中选择一名干部。"))
        return redirect("reserve:class_detail", class_id=tc.pk)
    cadre = Cadre.objects.filter(cadre_q(request.user), pk=form.cleaned_data["cadre"]).first()
    if cadre is None:
        raise NotFound("cadre.not_found", _("所选干部不存在或不在您的管理范围内。"))
    return _class_post(request, tc, lambda: actions.enrol_trainee(
        acting_user=request.user, training_class=tc, cadre=cadre, decision=form.cleaned_data["decision"]),
        _("%(name)s 已报到入班。") % {"name": cadre.name})


@login_required
@require_POST
def class_session(request, class_id: int):
    tc = permissions.get_class_for_user(request.user, class_id)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写课程日期和名称。"))
        return redirect("reserve:class_detail", class_id=tc.pk)
    return _class_post(request, tc, lambda: actions.add_session(acting_user=request.user, training_class=tc,
                                                                **form.cleaned_data), _("已添加课程。"))


@login_required
@require_POST
def class_graduate(request, class_id: int):
    tc = permissions.get_class_for_user(request.user, class_id)
    form = GraduateForm(request.POST)
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    return _class_post(request, tc, lambda: actions.graduate_class(acting_user=request.user, training_class=tc, on=on),
                       _("已办理结业。"))


@login_required
@require_http_methods(["GET", "POST"])
def session_sheet(request, session_id: int):
    """Attendance for one session: tick who came; prints as the signed sheet."""
    session = permissions.get_session_for_user(request.user, session_id)
    tc = session.training_class
    if request.method == "POST":
        present = [int(x) for x in request.POST.getlist("present") if x.isdigit()]
        try:
            n = actions.record_attendance(acting_user=request.user, session=session, present=present)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录考勤：出勤 %(n)d 人。") % {"n": n})
            return redirect("reserve:class_detail", class_id=tc.pk)
    trainees = list(permissions.trainees_for_user(request.user, tc).filter(status="enrolled")
                    .select_related("cadre__org_unit"))
    marks = dict(session.attendance.values_list("trainee_id", "present"))
    for t in trainees:
        t.mark = marks.get(t.pk)
    return render(request, "reserve/session_sheet.html", {
        "session": session, "tc": tc, "trainees": trainees, "recorded": bool(marks),
        "breadcrumbs": _class_crumbs((tc.name, reverse("reserve:class_detail", args=[tc.pk])), (str(session), None))})


@login_required
@require_http_methods(["GET", "POST"])
def trainee_detail(request, trainee_id: int):
    trainee = permissions.get_trainee_for_user(request.user, trainee_id)
    evaluation = EvaluationForm(request.POST if "evaluate" in request.POST else None, prefix="eval",
                                initial={"grade": trainee.grade, "comment": trainee.comment})
    assignment = AssignmentForm(request.POST if "assignment" in request.POST else None, prefix="asg")
    if request.method == "POST":
        form = evaluation if "evaluate" in request.POST else assignment
        if form.is_valid():
            d = form.cleaned_data
            try:
                if form is evaluation:
                    actions.evaluate_trainee(acting_user=request.user, trainee=trainee, grade=d["grade"],
                                             comment=d["comment"])
                else:
                    actions.add_assignment(acting_user=request.user, trainee=trainee, **d)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("reserve:trainee_detail", trainee_id=trainee.pk)
    tc = trainee.training_class
    return render(request, "reserve/trainee_detail.html", {
        "t": trainee, "tc": tc, "evaluation": evaluation, "assignment": assignment,
        "assignments": trainee.assignments.all(),
        "attendance": trainee.attendance.select_related("session").order_by("session__held_on"),
        "breadcrumbs": _class_crumbs((tc.name, reverse("reserve:class_detail", args=[tc.pk])), (trainee.cadre.name, None))})
