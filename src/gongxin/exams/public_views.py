"""The exams part of the public portal: announcements, registration for recruitment with the
ID number (no account), the registrant's own page by tracking code (screening reasons, an
appeal, the admission ticket), and the published results with masked ID numbers, names in
the rule's order and the ledger inclusion link. No JavaScript needed; posts rate-limited."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongxin.cases import eligibility as core
from gongxin.core import ratelimit
from gongxin.core.errors import DomainError
from gongxin.publicity.integration import inclusion_proof_url

from . import actions, permissions, queries
from .models import ExamChannel, ExamStatus


def _limited(request, scope: str) -> bool:
    return not ratelimit.hit(scope, ratelimit.client_address(request), limit=20)


def exam_list(request):
    exams = permissions.published_exams().select_related("org_unit").order_by("-published_at")[:100]
    return render(request, "exams/public/exam_list.html", {"exams": exams})


def _reg_form(request):
    return {k: request.POST.get(k, "") for k in ("name", "id_number", "education", "phone", "exam_post")} | {
        "is_veteran": bool(request.POST.get("is_veteran")), "is_graduate": bool(request.POST.get("is_graduate"))}


@require_http_methods(["GET", "POST"])
def exam_detail(request, pk):
    exam = permissions.get_published_exam(pk)
    errors = {}
    form = _reg_form(request) if request.method == "POST" else {}
    if request.method == "POST":
        if _limited(request, "exams.register"):
            return render(request, "publicity/public/too_many.html", {}, status=429)
        try:
            post = exam.posts.filter(pk=form["exam_post"] if form["exam_post"].isdigit() else 0).first()
            if post is None:
                raise DomainError("exam.post", _("请选择报考职位。"), {"fields": {"exam_post": [_("请选择报考职位")]}})
            reg = actions.register_public(exam=exam, exam_post=post, name=form["name"], id_number=form["id_number"],
                                          education=form["education"], phone=form["phone"],
                                          is_veteran=form["is_veteran"], is_graduate=form["is_graduate"])
        except DomainError as exc:
            messages.error(request, exc.message)
            errors = exc.details.get("fields", {})
        else:
            request.session[f"exam_reg_{exam.pk}"] = reg.tracking_code
            return redirect("exams_public:registration", pk=exam.pk, code=reg.tracking_code)
    open_now = exam.status == ExamStatus.REGISTRATION and timezone.localdate() <= exam.registration_closes
    return render(request, "exams/public/exam_detail.html", {
        "exam": exam, "posts": exam.posts.all(), "weights": queries.weights_text(exam),
        "tie_order": queries.tie_order_text(exam), "open_now": open_now,
        "public_registration": open_now and exam.channel == ExamChannel.RECRUITMENT,
        "education": list(core.EDUCATION_LABEL.items()), "form": form, "errors": errors})


@require_http_methods(["GET", "POST"])
def lookup(request, pk):
    exam = permissions.get_published_exam(pk)
    if request.method == "POST":
        code = request.POST.get("code", "").strip().upper()
        return redirect("exams_public:registration", pk=exam.pk, code=code or "-")
    return render(request, "exams/public/lookup.html", {"exam": exam})


@require_http_methods(["GET", "POST"])
def registration(request, pk, code):
    reg = permissions.get_registration_by_code(pk, code)
    if request.method == "POST":
        if _limited(request, "exams.appeal"):
            return render(request, "publicity/public/too_many.html", {}, status=429)
        try:
            actions.appeal_screening(acting_user=None, registration=reg, text=request.POST.get("text", ""))
            messages.success(request, _("复核申请已提交。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("exams_public:registration", pk=pk, code=reg.tracking_code)
    return render(request, "exams/public/registration.html", {"reg": reg, "exam": reg.exam, "public": True})


def results(request, pk):
    exam = permissions.get_published_exam(pk)
    if exam.status not in (ExamStatus.PUBLISHED, ExamStatus.CLOSED):
        return render(request, "exams/public/results.html", {"exam": exam, "not_yet": True}, status=404)
    rows = queries.published_list(exam)
    return render(request, "exams/public/results.html", {
        "exam": exam, "rows": rows[:2000], "total": len(rows), "tie_order": queries.tie_order_text(exam),
        "weights": queries.weights_text(exam),
        "proof_url": inclusion_proof_url(exam.results_ledger_seq, exam.results_leaf_hash)})
