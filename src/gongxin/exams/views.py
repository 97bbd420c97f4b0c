"""Staff and cadre pages of exams. Adapters: parse, call one action or query, render. Objects
come through ``permissions`` (403 without the capability, 404 out of scope)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.accounts.scope import unit_q
from gongxin.cases import eligibility as core
from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import OrgUnit

from . import actions, importing, permissions, queries, ranking, workflow
from .models import ExamChannel, ExamStatus, Registration, ScoreImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STEP_LABELS = {"publish_exam": "发布公告，开始报名", "close_registration": "截止报名，进行资格审查",
               "issue_admission_tickets": "生成准考证（编排考场座位）", "rank_written": "笔试排名，确定面试人选",
               "rank_final": "计算综合成绩，确定考察对象", "publish_results": "公布成绩和排名"}


def _crumbs(*items):
    return [(_("考试选拔"), reverse("exams:exam_list")), *items]


def parse_posts(text: str) -> list[dict]:
    """One post a line: "代码 名称 人数", with "退役士兵" at the end for a reserved post."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        veterans = parts[-1] in ("退役士兵", "veterans")
        if veterans:
            parts = parts[:-1]
        if len(parts) < 3 or not parts[-1].isdigit():
            raise DomainError("exam.posts", _("第 %(n)d 行职位应写成“代码 名称 人数”，如“01 乡镇综合岗 2”。") % {"n": n})
        out.append({"code": parts[0], "title": " ".join(parts[1:-1]), "count": int(parts[-1]), "veterans_only": veterans})
    return out


def _date(text):
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


@login_required
def exam_list(request):
    user = request.user
    permissions.require(user, permissions.can_manage_exams(user))
    from gongxin.core.lists import build_list

    from .lists import ExamFilterForm, exam_list_spec, filter_exams

    filters = ExamFilterForm(request.GET or None)
    lst = build_list(request, exam_list_spec(), filter_exams(permissions.exams_managed_by(user).select_related("org_unit"),
                                                             filters), form=filters)
    if lst.response is not None:
        return lst.response
    # An exam is organised by the county or one of its units, not a sub-office: the user's top
    # units and the level below them (no list of every unit; issue 19's "no select over 100").
    from django.db.models.functions import Length

    scoped = OrgUnit.objects.filter(unit_q(user, "self")).annotate(depth_chars=Length("path"))
    top = scoped.order_by("depth_chars").values_list("depth_chars", flat=True).first() or 0
    units = scoped.filter(depth_chars__lte=top + 5).order_by("path")[:100]
    from gongxin.cases.models import Case, CaseStatus

    cases = Case.objects.filter(unit_q(user, "org_unit"), status=CaseStatus.ACTIVE).order_by("-created_at")[:100]
    return render(request, "exams/exam_list.html", {
        "breadcrumbs": _crumbs(), "lst": lst, "units": units, "cases": cases, "channels": ExamChannel.choices,
        "education": list(core.EDUCATION_LABEL.items()), "default_close": timezone.localdate() + dt.timedelta(days=14),
        "default_written": timezone.localdate() + dt.timedelta(days=30), "form": request.POST})


@login_required
@require_POST
def exam_new(request):
    user = request.user
    permissions.require(user, permissions.can_manage_exams(user))
    p = request.POST
    try:
        unit = OrgUnit.objects.filter(unit_q(user, "self")).filter(pk=p.get("org_unit") or 0).first()
        if unit is None:
            raise DomainError("exam.unit", _("请选择组织单位。"))
        closes = _date(p.get("registration_closes"))
        if closes is None:
            raise DomainError("exam.dates", _("请填写报名截止日期（年-月-日）。"))
        case = None
        if p.get("case"):
            from gongxin.cases.models import Case

            case = Case.objects.filter(unit_q(user, "org_unit"), pk=p.get("case") if p.get("case").isdigit() else 0).first()
        requirements = {}
        if p.get("max_age", "").strip().isdigit():
            requirements["max_age"] = int(p["max_age"])
        if p.get("min_education") in core.EDUCATION_ORDER:
            requirements["min_education"] = p["min_education"]
        weights = None
        if p.get("written_weight", "").strip() or p.get("interview_weight", "").strip():
            weights = {"written": p.get("written_weight", "").strip(), "interview": p.get("interview_weight", "").strip()}
        exam = actions.announce_exam(
            acting_user=user, channel=p.get("channel", ""), title=p.get("title", ""), org_unit=unit,
            posts=parse_posts(p.get("posts", "")), registration_closes=closes, written_on=_date(p.get("written_on")),
            qualifications=p.get("qualifications", ""), requirements=requirements, weights=weights, case=case,
            venue=p.get("venue", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return exam_list(request)
    messages.success(request, _("考试公告已保存为草稿，核对后发布。"))
    return redirect("exams:exam_detail", pk=exam.pk)


@login_required
def exam_detail(request, pk):
    exam = permissions.get_exam_for_manager(request.user, pk)
    step = workflow.ACTION.get(exam.status)
    regs = list(exam.registrations.select_related("exam_post").order_by("exam_post__code", "pk")[:500])
    component = {ExamStatus.WRITTEN: "written", ExamStatus.INTERVIEW: "interview"}.get(exam.status)
    to_score = []
    if component:
        to_score = list(actions.scorable(exam, component).filter(**{f"{component}_score__isnull": True})
                        .order_by("ticket_number")[:200])
    return render(request, "exams/exam_detail.html", {
        "breadcrumbs": _crumbs((exam.title, None)), "exam": exam, "step": step,
        "step_label": _(STEP_LABELS[step]) if step else "", "counts": queries.counts(exam),
        "registrations": regs, "appeals": [r for r in regs if r.appeal == "pending"],
        "component": component, "component_label": _(queries.COMPONENT_LABEL.get(component or "", "")),
        "to_score": to_score, "rankings": queries.ranking_rows(exam) if exam.status not in (
            ExamStatus.DRAFT, ExamStatus.REGISTRATION, ExamStatus.SCREENING) else [],
        "tie_order": queries.tie_order_text(exam), "weights": queries.weights_text(exam),
        "score": queries.score, "correctable": not workflow.correction_blockers(exam),
        "admissible": exam.channel == ExamChannel.RECRUITMENT and not workflow.admission_blockers(exam),
        "admission": queries.admission_rows(exam) if exam.admitted_at else [], "today": timezone.localdate()})


def _manager_post(request, pk, call, success):
    exam = permissions.get_exam_for_manager(request.user, pk)
    try:
        call(exam)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("exams:exam_detail", pk=exam.pk)


@login_required
@require_POST
def exam_step(request, pk):
    """The next step of the pipeline (the action the TRANSITIONS table names)."""
    def call(exam):
        name = workflow.ACTION.get(exam.status)
        if name is None or request.POST.get("step") != name:
            raise DomainError("exam.step", _("这一步已经完成或不可用，请刷新页面。"))
        getattr(actions, name)(acting_user=request.user, exam=exam)
    return _manager_post(request, pk, call, _("已完成：%(s)s") % {"s": _(STEP_LABELS.get(request.POST.get("step"), ""))})


def _registration(exam, request) -> Registration:
    try:
        return exam.registrations.get(pk=request.POST.get("registration") or 0)
    except (Registration.DoesNotExist, ValueError):
        raise NotFound("exam.registration_not_found", _("找不到该报名。")) from None


@login_required
@require_POST
def admit(request, pk):
    """Recruitment's admission (录用) from the published ranking, from the date given."""
    exam = permissions.get_exam_for_manager(request.user, pk)
    text = request.POST.get("start", "").strip()
    start = _date(text) if text else None
    try:
        if text and start is None:
            raise DomainError("exam.admission_start", _("请填写报到（任职）日期（年-月-日）。"))
        admitted = actions.admit_recruits(acting_user=request.user, exam=exam, start=start)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已办理录用 %(n)d 人，记入账本。") % {"n": len(admitted)})
    return redirect("exams:exam_detail", pk=exam.pk)


@login_required
@require_POST
def decide_appeal(request, pk):
    return _manager_post(request, pk, lambda exam: actions.decide_appeal(
        acting_user=request.user, registration=_registration(exam, request),
        upheld=request.POST.get("upheld") == "1", decision=request.POST.get("decision", "")), _("复核意见已记录。"))


def _score_value(text: str) -> int:
    try:
        return ranking.parse_score(text)
    except ValueError as exc:
        raise DomainError("exam.score", _(exc.args[0]) % {"value": text}) from None


@login_required
@require_POST
def enter_scores(request, pk):
    """Scores typed on the page: only the boxes filled in are recorded."""
    def call(exam):
        component = request.POST.get("component", "")
        scores = {}
        for key, value in request.POST.items():
            if key.startswith("score-") and key[6:].isdigit() and value.strip():
                scores[int(key[6:])] = _score_value(value)
        if not scores:
            raise DomainError("exam.scores_empty", _("请至少填写一个成绩。"))
        actions.record_scores(acting_user=request.user, exam=exam, component=component, scores=scores)
    return _manager_post(request, pk, call, _("成绩已录入。"))


@login_required
@require_POST
def correct_score(request, pk):
    return _manager_post(request, pk, lambda exam: actions.correct_score(
        acting_user=request.user, registration=_registration(exam, request),
        component=request.POST.get("component", ""), value=_score_value(request.POST.get("value", "")),
        reason=request.POST.get("reason", "")), _("成绩已更正，记入账本。"))


@login_required
def tickets(request, pk):
    """Every admission ticket of the exam, printable (one a page)."""
    exam = permissions.get_exam_for_manager(request.user, pk)
    regs = exam.registrations.exclude(ticket_number="").select_related("exam_post").order_by("room", "seat")
    return render(request, "exams/tickets.html", {"exam": exam, "tickets": regs,
                                                  "breadcrumbs": _crumbs((exam.title, reverse("exams:exam_detail", args=[exam.pk])),
                                                                         (_("准考证"), None))})


# ---- score import -------------------------------------------------------------------------------

@login_required
def import_template(request, pk):
    exam = permissions.get_exam_for_manager(request.user, pk)
    component = request.GET.get("component", "written")
    response = HttpResponse(importing.template_xlsx(exam, component), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scores-{exam.pk}-{component}.xlsx"'
    return response


@login_required
@require_POST
def import_upload(request, pk):
    exam = permissions.get_exam_for_manager(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size > 50 * 1024 * 1024:
        messages.error(request, _("请选择不超过 50 MB 的 .xlsx 文件。"))
        return redirect("exams:exam_detail", pk=exam.pk)
    try:
        staged = importing.stage_score_import(acting_user=request.user, exam=exam,
                                              component=request.POST.get("component", ""),
                                              filename=upload.name, data=upload.read())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exams:exam_detail", pk=exam.pk)
    return redirect("exams:import_preview", pk=exam.pk, staged_id=staged.pk)


def _staged(request, pk, staged_id) -> ScoreImport:
    exam = permissions.get_exam_for_manager(request.user, pk)
    staged = ScoreImport.objects.filter(exam=exam, pk=staged_id, owner=request.user).select_related("exam", "job").first()
    if staged is None:
        raise NotFound("excel.not_found", _("找不到这次上传。"))
    return staged


@login_required
def import_preview(request, pk, staged_id):
    staged = _staged(request, pk, staged_id)
    checked = importing.check_sheet(staged, keep=200)
    for row in (*checked.listed, *checked.bad):
        row.messages = importing.problems_text(row)
    return render(request, "exams/import_preview.html", {
        "breadcrumbs": _crumbs((staged.exam.title, reverse("exams:exam_detail", args=[staged.exam_id])),
                               (_("导入预览"), None)),
        "staged": staged, "exam": staged.exam, "rows": checked.listed, "total": checked.count, "bad": checked.bad,
        "unresolved": checked.unresolved, "component_label": _(queries.COMPONENT_LABEL[staged.component])})


@login_required
@require_POST
def import_row(request, pk, staged_id, number):
    staged = _staged(request, pk, staged_id)
    if request.POST.get("skip") == "1":
        importing.skip_row(acting_user=request.user, staged=staged, number=number)
    elif request.POST.get("skip") == "0":
        importing.skip_row(acting_user=request.user, staged=staged, number=number, skip=False)
    else:
        importing.fix_row(acting_user=request.user, staged=staged, number=number,
                          values={k: request.POST[k] for k in ("ticket_number", "score") if k in request.POST})
    return redirect(reverse("exams:import_preview", args=[pk, staged_id]) + "#problems")


@login_required
@require_POST
def import_apply(request, pk, staged_id):
    staged = _staged(request, pk, staged_id)
    try:
        job = importing.start_score_import(acting_user=request.user, staged=staged)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exams:import_preview", pk=pk, staged_id=staged_id)
    return redirect("jobs:job_detail", job_id=job.pk)


# ---- competitive posting share --------------------------------------------------------------------

@login_required
def share(request):
    permissions.require(request.user, permissions.can_manage_exams(request.user))
    visible = OrgUnit.objects.filter(unit_q(request.user, "self")).values("pk")
    from gongxin.core.lists import build_list

    from .lists import ShareFilterForm, filter_share, share_list_spec

    data = queries.competitive_share(units=visible)
    filters = ShareFilterForm(request.GET or None)
    lst = build_list(request, share_list_spec(), filter_share(data.pop("rows"), filters), form=filters)
    if lst.response is not None:
        return lst.response
    unit = None
    posts = []
    if str(request.GET.get("unit", "")).isdigit():
        unit = OrgUnit.objects.filter(unit_q(request.user, "self"), pk=request.GET["unit"]).first()
        posts = queries.unit_posts(unit) if unit else []
    return render(request, "exams/share.html", {"breadcrumbs": _crumbs((_("竞争上岗比例"), None)), **data, "lst": lst,
                                                "unit": unit, "posts": posts})


# ---- cadres: registration -------------------------------------------------------------------------

@login_required
def my_registrations(request):
    user = request.user
    permissions.require(user, user.is_authenticated and user.has_capability("self.service"))
    if not user.cadre_id:  # an account not linked to a cadre's file: say so, rather than refuse
        return render(request, "exams/my_registrations.html", {
            "breadcrumbs": [(_("我的报名"), None)], "mine": [], "open_exams": [], "no_cadre": True})
    from gongxin.core.lists import build_list

    from .lists import MineFilterForm, filter_mine, mine_list_spec

    filters = MineFilterForm(request.GET or None)
    mine = filter_mine(permissions.my_registrations(user).select_related("exam", "exam_post"), filters)
    lst = build_list(request, mine_list_spec(), mine, form=filters)
    if lst.response is not None:
        return lst.response
    taken = set(permissions.my_registrations(user).values_list("exam_id", flat=True))
    open_exams = [e for e in permissions.published_exams().filter(status=ExamStatus.REGISTRATION,
                                                                   registration_closes__gte=timezone.localdate())
                  .exclude(channel=ExamChannel.RECRUITMENT).prefetch_related("posts") if e.pk not in taken]
    return render(request, "exams/my_registrations.html", {
        "breadcrumbs": [(_("我的报名"), None)], "lst": lst, "open_exams": open_exams, "score": queries.score})


@login_required
@require_POST
def register(request, pk):
    user = request.user
    permissions.require(user, permissions.can_register(user))
    exam = permissions.get_published_exam(pk)
    try:
        post = exam.posts.get(pk=request.POST.get("exam_post") or 0)
        reg = actions.register_cadre(acting_user=user, exam=exam, exam_post=post, cadre=user.cadre,
                                     phone=request.POST.get("phone", ""))
    except (DomainError, exam.posts.model.DoesNotExist, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("请选择报考职位。")))
        return redirect("exams:my_registrations")
    messages.success(request, _("报名已提交。初步资格审查结果见下；报名截止后由组织部确认。"))
    return redirect("exams:my_registration", pk=reg.pk)


@login_required
def my_registration(request, pk):
    reg = permissions.get_my_registration(request.user, pk)
    if request.method == "POST":
        try:
            actions.appeal_screening(acting_user=request.user, registration=reg, text=request.POST.get("text", ""))
            messages.success(request, _("复核申请已提交。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("exams:my_registration", pk=reg.pk)
    return render(request, "exams/registration.html", {
        "breadcrumbs": [(_("我的报名"), reverse("exams:my_registrations")), (reg.exam.title, None)],
        "reg": reg, "exam": reg.exam, "score": queries.score, "public": False})
