"""Pages for inspection and joint review. Adapters only: parse, call an action or a query,
render. Objects are fetched through ``permissions`` (403 without the capability, 404 out of
scope)."""

from decimal import InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.accounts.models import User
from gongxin.accounts.roles import Role
from gongxin.accounts.scope import cadre_q
from gongxin.cases.models import Candidate
from gongxin.core.errors import DomainError, NotFound
from gongxin.core.forms_util import apply_domain_error
from gongxin.people.models import Cadre

from . import actions, forms, permissions, queries, workflow
from .models import (
    Certificate,
    Exam,
    ExamResult,
    FourCheck,
    InspectionKind,
    InspectionStatus,
    KeyProject,
    ReviewAnswer,
    ReviewDepartment,
    SourcePlace,
    TrainingAttendance,
    TrainingSession,
)

PAGE_SIZE = 50


def _crumbs(*items):
    return [(_("考察"), reverse("inspection:inspection_list")), *items]


def _cadres(user):
    return Cadre.objects.filter(cadre_q(user)).select_related("org_unit").order_by("name_pinyin")


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)
    for blocker in exc.details.get("blockers", [])[1:] if isinstance(exc.details, dict) else []:
        messages.error(request, blocker)


# ---- inspections -----------------------------------------------------------------------

@login_required
def inspection_list(request):
    user = request.user
    qs = permissions.inspections_for_user(user).order_by("status", "-opened_on", "-id")
    kind = request.GET.get("kind", "")
    if kind in InspectionKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/inspection_list.html", {
        "page_obj": page, "inspections": page.object_list, "kind": kind, "kinds": InspectionKind.choices,
        "can_manage": permissions.can_manage_inspection(user),
        "breadcrumbs": [(_("考察"), None)],
    })


@login_required
def inspection_new(request):
    user = request.user
    permissions.require(user, permissions.can_manage_inspection(user))
    candidates = (Candidate.objects.filter(cadre_q(user, "cadre__"), status="active",
                                           case__stage__in=["candidates", "inspection"])
                  .select_related("cadre", "case"))
    form = forms.OpenInspectionForm(request.POST or None, teams=permissions.teams_for_user(user),
                                    cadres=_cadres(user), projects=KeyProject.objects.all(), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inspection = actions.open_inspection(acting_user=user, team=d["team"], kind=d["kind"], cadre=d["cadre"],
                                                 opened_on=d["opened_on"], key_project=d["key_project"],
                                                 candidate=d["candidate"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("考察已开始。"))
            return redirect("inspection:inspection_detail", pk=inspection.pk)
    return render(request, "inspection/form.html", {
        "form": form, "title": _("开始一项考察"), "submit": _("开始考察"),
        "breadcrumbs": _crumbs((_("开始一项考察"), None)),
    })


@login_required
def inspection_detail(request, pk):
    user = request.user
    inspection = queries.inspection_detail(permissions.get_inspection_for_user(user, pk))
    report = getattr(inspection, "report", None)
    vote = getattr(inspection, "vote", None)
    is_open = inspection.status == InspectionStatus.OPEN
    context = {
        "inspection": inspection, "report": report, "vote": vote, "is_open": is_open,
        "can_record": permissions.can_record_in(user, inspection) and is_open,
        "is_leader": permissions.is_team_leader(user, inspection),
        "can_manage": permissions.can_manage_inspection(user),
        "findings": inspection.findings.all(),
        "leanings": workflow.leaning_summary([i.leaning for i in inspection.interviews.all()]),
        "breadcrumbs": _crumbs((str(inspection), None)),
    }
    if inspection.kind == InspectionKind.SOURCE_TRACING:
        context["coverage"] = queries.coverage_for(inspection)
    if vote is not None:
        context["vote_text"] = actions.vote_results_text(vote)
    if is_open:
        context["tracking_form"] = forms.TrackingRecordForm()
        context["visit_form"] = forms.PlaceVisitForm()
        context["vote_form"] = forms.VoteForm(initial=vote.counts if vote else None)
        context["report_form"] = forms.ReportForm(initial={f: getattr(report, f) for f in forms.ReportForm.base_fields}
                                                  if report else None)
        context["report_blockers"] = actions.report_blockers(inspection)
    elif context["can_manage"]:
        context["finding_form"] = forms.ReportFindingForm()
    return render(request, "inspection/inspection_detail.html", context)


def _recordable(request, pk):
    inspection = permissions.get_inspection_for_user(request.user, pk)
    permissions.require(request.user, permissions.can_record_in(request.user, inspection))
    return inspection


@login_required
def interview_new(request, pk):
    inspection = _recordable(request, pk)
    form = forms.InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_interview(acting_user=request.user, inspection=inspection, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("谈话记录已保存。"))
            if "another" in request.POST:
                return redirect("inspection:interview_new", pk=inspection.pk)
            return redirect("inspection:inspection_detail", pk=inspection.pk)
    return render(request, "inspection/interview_form.html", {
        "form": form, "inspection": inspection,
        "breadcrumbs": _crumbs((str(inspection), reverse("inspection:inspection_detail", args=[inspection.pk])),
                               (_("记录谈话"), None)),
    })


def _post_form(request, form_class, pk, call):
    inspection = _recordable(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(inspection, form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已保存。"))
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect("inspection:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def tracking_add(request, pk):
    return _post_form(request, forms.TrackingRecordForm, pk, lambda i, d: actions.add_tracking_record(
        acting_user=request.user, inspection=i, **d))


@login_required
@require_POST
def place_visit(request, pk, place_pk):
    def call(inspection, d):
        try:
            place = inspection.places.get(pk=place_pk)
        except SourcePlace.DoesNotExist:
            raise NotFound("source_place.not_found", _("没有找到该地点。")) from None
        actions.mark_place_visited(acting_user=request.user, place=place, **d)
    return _post_form(request, forms.PlaceVisitForm, pk, call)


@login_required
@require_POST
def vote_save(request, pk):
    return _post_form(request, forms.VoteForm, pk, lambda i, d: actions.record_vote(
        acting_user=request.user, inspection=i, **d))


@login_required
@require_POST
def report_save(request, pk):
    return _post_form(request, forms.ReportForm, pk, lambda i, d: actions.save_report(
        acting_user=request.user, inspection=i, **d))


@login_required
@require_POST
def report_sign(request, pk):
    inspection = permissions.get_inspection_for_user(request.user, pk)
    try:
        actions.sign_report(acting_user=request.user, inspection=inspection)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("考察报告已签发。"))
    return redirect("inspection:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def report_finding_add(request, pk):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    inspection = permissions.get_inspection_for_user(request.user, pk)
    form = forms.ReportFindingForm(request.POST)
    if form.is_valid():
        try:
            actions.record_report_finding(acting_user=request.user, inspection=inspection, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已记入考察组责任记录。"))
    return redirect("inspection:inspection_detail", pk=inspection.pk)


# ---- inspectors, teams, certification ----------------------------------------------------

@login_required
def inspector_list(request):
    user = request.user
    permissions.require(user, permissions.can_manage_inspection(user))
    from gongxin.core.lists import build_list

    from .lists import InspectorFilterForm, filter_inspectors, inspector_list_spec

    today = timezone.localdate()
    filters = InspectorFilterForm(request.GET or None)
    lst = build_list(request, inspector_list_spec(),
                     filter_inspectors(queries.inspectors_with_records(today, user=user), filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "inspection/inspector_list.html", {
        "lst": lst,
        "teams": permissions.teams_for_user(user)[:100],
        "sessions": TrainingSession.objects.all()[:20], "exams": Exam.objects.all()[:20],
        "team_form": forms.TeamForm(), "session_form": forms.TrainingSessionForm(), "exam_form": forms.ExamForm(),
        "breadcrumbs": [(_("考察组与考察人员"), None)],
    })


@login_required
def inspector_detail(request, pk):
    user = request.user
    permissions.require(user, permissions.can_manage_inspection(user) or user.pk == int(pk))
    try:
        inspector = User.objects.get(pk=pk, role=Role.INSPECTOR)
    except User.DoesNotExist:
        raise NotFound("inspector.not_found", _("没有找到该考察人员。")) from None
    today = timezone.localdate()
    certs = list(Certificate.objects.filter(user=inspector))
    state, expiry = workflow.certificate_state(
        tuple(workflow.Cert(c.issued, c.expires, c.revoked_at is not None) for c in certs), today)
    return render(request, "inspection/inspector_detail.html", {
        "inspector": inspector, "certificates": certs, "cert_state": state, "cert_expiry": expiry,
        "attendance": TrainingAttendance.objects.filter(user=inspector).select_related("session"),
        "results": ExamResult.objects.filter(user=inspector).select_related("exam"),
        "memberships": inspector.inspection_teams.select_related("team").prefetch_related("team__inspections__cadre"),
        "findings": queries.findings_for_inspector(inspector),
        "sessions": TrainingSession.objects.all()[:20], "exams": Exam.objects.all()[:20],
        "can_manage": permissions.can_manage_inspection(user),
        "breadcrumbs": [(_("考察组与考察人员"), reverse("inspection:inspector_list")), (inspector.display_name, None)],
    })


def _manage_post(request, form_class, call, success, back):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, success)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect(back)


@login_required
@require_POST
def team_new(request):
    return _manage_post(request, forms.TeamForm, lambda d: actions.form_team(
        acting_user=request.user, name=d["name"], leader=d["leader"], members=list(d["members"])),
        _("考察组已组建。"), "inspection:inspector_list")


@login_required
@require_POST
def session_new(request):
    return _manage_post(request, forms.TrainingSessionForm, lambda d: actions.create_training_session(
        acting_user=request.user, **d), _("培训已登记。"), "inspection:inspector_list")


@login_required
@require_POST
def exam_new(request):
    return _manage_post(request, forms.ExamForm, lambda d: actions.create_exam(acting_user=request.user, **d),
                        _("考试已登记。"), "inspection:inspector_list")


def _inspector(pk):
    try:
        return User.objects.get(pk=pk, role=Role.INSPECTOR)
    except (User.DoesNotExist, ValueError):
        raise NotFound("inspector.not_found", _("没有找到该考察人员。")) from None


@login_required
@require_POST
def inspector_attendance(request, pk):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    inspector = _inspector(pk)
    try:
        session = TrainingSession.objects.get(pk=request.POST.get("session"))
    except (TrainingSession.DoesNotExist, ValueError):
        raise NotFound("training.not_found", _("没有找到该培训。")) from None
    actions.record_attendance(acting_user=request.user, session=session, user=inspector,
                              attended=request.POST.get("attended", "1") == "1")
    messages.success(request, _("出勤已登记。"))
    return redirect("inspection:inspector_detail", pk=inspector.pk)


@login_required
@require_POST
def inspector_score(request, pk):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    inspector = _inspector(pk)
    try:
        exam = Exam.objects.get(pk=request.POST.get("exam"))
        actions.record_exam_score(acting_user=request.user, exam=exam, user=inspector, score=request.POST.get("score"))
    except (Exam.DoesNotExist, ValueError):
        raise NotFound("exam.not_found", _("没有找到该考试。")) from None
    except DomainError as exc:
        _fail(request, exc)
    except (InvalidOperation, TypeError):
        messages.error(request, _("成绩须是数字。"))
    else:
        messages.success(request, _("成绩已登记。"))
    return redirect("inspection:inspector_detail", pk=inspector.pk)


@login_required
@require_POST
def certificate_revoke(request, pk, cert_pk):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    inspector = _inspector(pk)
    try:
        certificate = Certificate.objects.get(pk=cert_pk, user=inspector)
    except (Certificate.DoesNotExist, ValueError):
        raise NotFound("certificate.not_found", _("没有找到该证书。")) from None
    form = forms.RevokeForm(request.POST)
    if form.is_valid():
        try:
            actions.revoke_certificate(acting_user=request.user, certificate=certificate, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("证书已注销。"))
    else:
        messages.error(request, _("请写明注销原因。"))
    return redirect("inspection:inspector_detail", pk=inspector.pk)


@login_required
@require_POST
def inspector_certify(request, pk):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    inspector = _inspector(pk)
    try:
        cert = actions.issue_certificate(acting_user=request.user, user=inspector)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已发放考察资格证书 %(n)s，有效期至 %(d)s。") % {"n": cert.number, "d": cert.expires})
    return redirect("inspection:inspector_detail", pk=inspector.pk)


# ---- key projects -------------------------------------------------------------------------

@login_required
def project_list(request):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    form = forms.KeyProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.create_key_project(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("inspection:project_detail", pk=project.pk)
    from gongxin.core.lists import build_list

    from .lists import ProjectFilterForm, filter_projects, project_list_spec

    projects = KeyProject.objects.select_related("org_unit").annotate(
        member_count=Count("members", filter=Q(members__removed_on__isnull=True), distinct=True),
        record_count=Count("records", distinct=True))
    filters = ProjectFilterForm(request.GET or None)
    lst = build_list(request, project_list_spec(), filter_projects(projects, filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "inspection/project_list.html", {
        "lst": lst, "form": form, "breadcrumbs": [(_("重点工程与实绩"), None)]})


@login_required
def project_detail(request, pk):
    user = request.user
    project = permissions.get_key_project_for_user(user, pk)
    cadres = _cadres(user)
    member_form = forms.ProjectMemberForm(cadres=cadres, prefix="m")
    record_form = forms.PerformanceRecordForm(cadres=cadres.filter(project_memberships__project=project), prefix="r")
    if request.method == "POST":
        which = request.POST.get("which")
        try:
            if which == "member":
                member_form = forms.ProjectMemberForm(request.POST, cadres=cadres, prefix="m")
                if member_form.is_valid():
                    actions.add_project_member(acting_user=user, project=project, **member_form.cleaned_data)
                    return redirect("inspection:project_detail", pk=project.pk)
            elif which == "record":
                record_form = forms.PerformanceRecordForm(request.POST, cadres=cadres, prefix="r")
                if record_form.is_valid():
                    actions.add_performance_record(acting_user=user, project=project, **record_form.cleaned_data)
                    return redirect("inspection:project_detail", pk=project.pk)
        except DomainError as exc:
            _fail(request, exc)
    members = project.members.filter(cadre_q(user, "cadre__")).select_related("cadre", "cadre__org_unit")
    records = project.records.filter(cadre_q(user, "cadre__")).select_related("cadre")[:200]
    return render(request, "inspection/project_detail.html", {
        "project": project, "members": members, "records": records, "member_form": member_form,
        "record_form": record_form,
        "breadcrumbs": [(_("重点工程与实绩"), reverse("inspection:project_list")), (project.name, None)],
    })


# ---- joint review -------------------------------------------------------------------------

@login_required
def review_overview(request):
    user = request.user
    permissions.require(user, permissions.can_manage_review(user))
    from gongxin.core.lists import build_list

    from .lists import ReviewFilterForm, review_list_spec

    candidates = (Candidate.objects.filter(cadre_q(user, "cadre__"))
                  .filter(case__stage__in=["candidates", "inspection", "decision"])
                  .order_by("case_id", "id"))
    filters = ReviewFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    if d.get("q", "").strip():
        text = d["q"].strip()
        candidates = candidates.filter(Q(cadre__name__contains=text) | Q(case__title__contains=text))
    rows = []
    for c, state in queries.review_states(candidates, limit=2000):
        c.review = state
        pending = c.status in ("active", "suspended") and bool(state.blockers)
        if d.get("open") and pending != (d["open"] == "yes"):
            continue
        rows.append(c)
    lst = build_list(request, review_list_spec(), rows, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "inspection/review_overview.html", {
        "lst": lst, "breadcrumbs": [(_("联审"), None)],
        "departments": ReviewDepartment.objects.all(),
        "can_config": permissions.can_edit_review_departments(user),
        "department_form": forms.DepartmentForm(),
    })


@login_required
def review_candidate(request, pk):
    user = request.user
    candidate = permissions.get_candidate_for_user(user, pk)
    permissions.require(user, permissions.can_manage_review(user))
    send_form = forms.SendReviewForm(prefix="s")
    check_form = forms.CheckForm(prefix="c")
    if request.method == "POST":
        which = request.POST.get("which")
        try:
            if which == "send":
                send_form = forms.SendReviewForm(request.POST, prefix="s")
                if send_form.is_valid():
                    actions.send_review_requests(acting_user=user, candidate=candidate, **send_form.cleaned_data)
                    messages.success(request, _("联审函已同时发往各联审单位。"))
                    return redirect("inspection:review_candidate", pk=candidate.pk)
            elif which == "check":
                check_form = forms.CheckForm(request.POST, prefix="c")
                if check_form.is_valid():
                    d = check_form.cleaned_data
                    actions.record_check(acting_user=user, candidate=candidate, check=d["item"], done_on=d["done_on"],
                                         note=d["note"])
                    messages.success(request, _("已登记。"))
                    return redirect("inspection:review_candidate", pk=candidate.pk)
        except DomainError as exc:
            _fail(request, exc)
    state = queries.review_state(candidate)
    checks = [(code, label, state.checks_done.get(code)) for code, label in FourCheck.choices]
    return render(request, "inspection/review_candidate.html", {
        "candidate": candidate, "state": state, "checks": checks, "send_form": send_form, "check_form": check_form,
        "problems": candidate.cadre.problem_files.all(),
        "breadcrumbs": [(_("联审"), reverse("inspection:review_overview")), (str(candidate.cadre), None)],
    })


@login_required
def review_queue(request):
    user = request.user
    permissions.require(user, permissions.can_answer_review(user))
    requests = list(permissions.review_requests_for_user(user)
                    .select_related("candidate__cadre__org_unit", "candidate__case").order_by("deadline", "id"))
    still_open = (ReviewAnswer.PENDING, ReviewAnswer.NEEDS_VERIFICATION)
    department = ReviewDepartment.objects.filter(code=user.review_department).first()
    return render(request, "inspection/review_queue.html", {
        "open": [r for r in requests if r.answer in still_open],
        "answered": sorted((r for r in requests if r.answer not in still_open), key=lambda r: r.answered_at or r.sent_at, reverse=True),
        "department": department, "today": timezone.localdate(),
        "breadcrumbs": [(_("联审待办"), None)],
    })


@login_required
def review_answer(request, pk):
    user = request.user
    permissions.require(user, permissions.can_answer_review(user))
    review_request = permissions.get_review_request_for_user(user, pk)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_review_request(acting_user=user, request=review_request, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("答复已提交。"))
            return redirect("inspection:review_queue")
    can_answer = review_request.answer in (ReviewAnswer.PENDING, ReviewAnswer.NEEDS_VERIFICATION)
    return render(request, "inspection/review_answer.html", {
        "req": review_request, "form": form, "can_answer": can_answer,
        "breadcrumbs": [(_("联审待办"), reverse("inspection:review_queue")), (str(review_request.candidate.cadre), None)],
    })


@login_required
@require_POST
def department_new(request):
    user = request.user
    permissions.require(user, permissions.can_edit_review_departments(user))
    form = forms.DepartmentForm(request.POST)
    if form.is_valid():
        try:
            actions.create_review_department(acting_user=user, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("联审单位已添加。"))
    return redirect("inspection:review_overview")


@login_required
@require_POST
def department_toggle(request, pk):
    user = request.user
    permissions.require(user, permissions.can_edit_review_departments(user))
    try:
        department = ReviewDepartment.objects.get(pk=pk)
    except (ReviewDepartment.DoesNotExist, ValueError):
        raise NotFound("review_department.not_found", _("没有找到该联审单位。")) from None
    department = actions.update_review_department(acting_user=user, department=department,
                                                  is_active=not department.is_active)
    messages.success(request, (_("已启用联审单位“%(name)s”。") if department.is_active
                               else _("已停用联审单位“%(name)s”：此后发出的联审函不再送该单位。")) % {"name": department.name})
    return redirect("inspection:review_overview")


# ---- problem files -----------------------------------------------------------------------

@login_required
def problem_list(request):
    from gongxin.core.lists import build_list

    from .lists import ProblemFilterForm, problem_list_spec

    user = request.user
    qs = permissions.problem_files_for_user(user).select_related("cadre")
    filters = ProblemFilterForm(request.GET or None)
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["q"]:
            qs = qs.filter(cadre__name__contains=filters.cleaned_data["q"].strip())
    lst = build_list(request, problem_list_spec(), qs, form=filters)
    if lst.response is not None:
        return lst.response
    form = forms.ComplaintForm(cadres=_cadres(user))
    return render(request, "inspection/problem_list.html", {
        "lst": lst, "problems": lst.rows, "form": form,
        "breadcrumbs": [(_("问题档案"), None)],
    })


@login_required
@require_POST
def problem_new(request):
    user = request.user
    permissions.require(user, permissions.can_manage_problems(user))
    form = forms.ComplaintForm(request.POST, cadres=_cadres(user))
    if form.is_valid():
        try:
            problem = actions.intake_complaint(acting_user=user, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已受理。"))
            return redirect("inspection:problem_detail", pk=problem.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect("inspection:problem_list")


@login_required
def problem_detail(request, pk):
    user = request.user
    problem = permissions.get_problem_file_for_user(user, pk)
    if request.method == "POST":
        which = request.POST.get("which")
        form_class = {"assign": forms.AssignForm, "verify": forms.VerificationForm, "finding": forms.FindingForm}.get(which)
        if form_class is not None:
            form = form_class(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    if which == "assign":
                        actions.assign_problem(acting_user=user, problem=problem, assignee=d["assignee"])
                    elif which == "verify":
                        actions.record_verification(acting_user=user, problem=problem, text=d["text"])
                    else:
                        actions.record_finding(acting_user=user, problem=problem, **d)
                except DomainError as exc:
                    _fail(request, exc)
                else:
                    messages.success(request, _("已保存。"))
            else:
                for errors in form.errors.values():
                    messages.error(request, "；".join(errors))
        return redirect("inspection:problem_detail", pk=problem.pk)
    return render(request, "inspection/problem_detail.html", {
        "problem": problem, "effects": problem.effects.all(),
        "requests": problem.review_requests.select_related("department", "candidate__case"),
        "assign_form": forms.AssignForm(), "verify_form": forms.VerificationForm(), "finding_form": forms.FindingForm(),
        "breadcrumbs": [(_("问题档案"), reverse("inspection:problem_list")), (str(problem.cadre), None)],
    })


# ---- dashboard ---------------------------------------------------------------------------

@login_required
def dashboard(request):
    permissions.require(request.user, permissions.can_manage_inspection(request.user))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return render(request, "inspection/dashboard.html", {
        "figures": queries.dashboard_figures(year=year, user=request.user), "year": year,
        "county_wide": permissions.has_county_scope(request.user),
        "kinds": dict(InspectionKind.choices),
        "breadcrumbs": [(_("考察数据"), None)],
    })
