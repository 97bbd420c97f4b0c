"""Staff pages for cases. Adapters only: parse, call one action or query, render."""

import functools
import mimetypes
import os

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.core.errors import DomainError, Forbidden, NotFound
from gongxin.core.forms_util import posted_int
from gongxin.core.lists import build_list

from . import actions, connections, dossier, evidence, guards, permissions, queries, workflow
from .checks import translated_reason
from .forms import (
    ApplyForm,
    CandidateForm,
    CaseForm,
    ExceptionForm,
    MeetingForm,
    NoticeForm,
    ReasonForm,
    RuleForm,
)
from .models import (
    Application,
    Candidate,
    CandidateStatus,
    CaseAttachment,
    CaseStage,
    CaseStatus,
    Choice,
    DecisionMeeting,
    Rule,
    RuleSet,
    VacancyNotice,
    VotingMode,
)


def staff_view(fn):
    """Login required; NotFound → 404, Forbidden → 403; other DomainErrors on POST go back to the
    page as an error message carrying the blockers."""
    @functools.wraps(fn)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return fn(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            if request.method != "POST":
                raise
            messages.error(request, exc.message)
            for blocker in exc.details.get("blockers", [])[1:]:
                messages.error(request, blocker)
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or reverse("cases:case_list"))
    return wrapper


def _checks(results: list[dict]) -> list[dict]:
    return [{**r, "text": translated_reason(r)} for r in results]


# ---- cases -------------------------------------------------------------------------------------

@staff_view
def case_list(request):
    from gongxin.core.lists import build_list

    from .lists import CaseFilterForm, case_list_spec

    permissions.require_view(request.user)
    form = CaseFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {"stage": "", "status": "", "q": ""}
    actions_ = [(_("动议新案件"), reverse("cases:case_create"), "")] if permissions.can_manage_cases(request.user) else []
    lst = build_list(request, case_list_spec(),
                     queries.cases_for_user(request.user, stage=d["stage"], status=d["status"], q=d["q"].strip()),
                     form=form, actions=actions_)
    if lst.response is not None:
        return lst.response
    counts = queries.stage_counts(request.user)
    return render(request, "cases/case_list.html", {
        "lst": lst, "cases": lst.rows, "stage": d["stage"],
        "stage_summary": [(v, label, counts.get(v, 0)) for v, label in CaseStage.choices],
        "can_manage": permissions.can_manage_cases(request.user), "breadcrumbs": [(_("选任案件"), None)]})


@staff_view
def case_create(request):
    permissions.require(request.user, "cases.manage")
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = actions.open_case(acting_user=request.user, title=d["title"], org_unit=d["org_unit"],
                                     posts=list(d["posts"]), channels=d["channels"], motion_reason=d["motion_reason"],
                                     motion_date=d["motion_date"], over_headcount_reason=d["over_headcount_reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已动议，规则版本 v%(v)s 已冻结。") % {"v": case.rule_set.version})
            return redirect("cases:case_detail", case.pk)
    return render(request, "cases/case_form.html", {
        "form": form, "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")), (_("动议"), None)]})


@staff_view
def case_detail(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id)
    step = workflow.next_transition(case)
    blockers = workflow.blockers(case, step.target) if step and case.status == CaseStatus.ACTIVE else []
    candidates = list(case.candidates.select_related("cadre__org_unit", "post__org_unit").order_by("id"))
    found = workflow.candidate_blockers_for([c for c in candidates if c.status == CandidateStatus.ACTIVE])
    for c in candidates:
        c.failed = [translated_reason(r) for r in c.eligibility if r.get("outcome") == "fail"]
        c.pending = [translated_reason(r) for r in c.eligibility if r.get("outcome") == "pending"]
        c.blockers = found.get(c.pk, [])
    notes = guards.candidate_notes(candidates)
    for c in candidates:
        c.notes = notes.get(c.pk, [])
    return render(request, "cases/case_detail.html", {
        "case": case, "timeline": workflow.timeline(case), "step": step, "blockers": blockers,
        "connections": connections.for_case(case, candidates),
        "posts": case.case_posts.select_related("post__org_unit", "post__rank"), "candidates": candidates,
        "notices": case.vacancy_notices.select_related("post__org_unit"),
        "meetings": case.decision_meetings.order_by("-held_on", "-id"),
        "open_meeting": case.decision_meetings.filter(status=DecisionMeeting.Status.OPEN).exists(),
        "attachments": case.attachments.all(), "entries": dossier.entries(case)[-12:],
        "can_manage": permissions.can_manage_cases(request.user), "reason_form": ReasonForm(),
        "notice_form": NoticeForm(case=case),
        "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")), (case.title, None)]})


@require_POST
@staff_view
def case_advance(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    case = actions.advance_case(acting_user=request.user, case=case, to_stage=request.POST.get("to_stage", ""))
    messages.success(request, _("案件已进入“%(stage)s”阶段。") % {"stage": case.get_stage_display()})
    return redirect("cases:case_detail", case.pk)


@require_POST
@staff_view
def case_status(request, case_id, verb):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    fn = {"suspend": actions.suspend_case, "resume": actions.resume_case, "withdraw": actions.withdraw_case}.get(verb)
    if fn is None:
        raise Http404
    case = fn(acting_user=request.user, case=case, reason=request.POST.get("reason", ""))
    messages.success(request, _("案件状态：%(s)s。") % {"s": case.get_status_display()})
    return redirect("cases:case_detail", case.pk)


@require_POST
@staff_view
def attachment_add(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("attachment.missing", _("请选择要上传的文件。"))
    actions.add_attachment(acting_user=request.user, case=case, title=request.POST.get("title") or upload.name,
                           file=upload)
    messages.success(request, _("附件已上传并记入账本。"))
    return redirect("cases:case_detail", case.pk)


@staff_view
def attachment_download(request, case_id, attachment_id):
    """The file as uploaded, after checking it still hashes to the SHA-256 recorded in the
    ledger when it was uploaded: a file changed on disk is refused, not served."""
    case = permissions.get_case_for_user(request.user, case_id)
    att = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    if att is None:
        raise NotFound("attachment.not_found", _("没有找到该附件。"))
    try:
        f = actions.open_attachment(att)
    except DomainError as exc:  # back to the case page, saying why
        messages.error(request, exc.message)
        return redirect("cases:case_detail", case.pk)
    ext = os.path.splitext(att.file.name)[1]
    name = att.title if att.title.lower().endswith(ext.lower()) else att.title + ext
    return FileResponse(f, as_attachment=True, filename=name,
                        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


# ---- candidates -----------------------------------------------------------------------------------

@staff_view
def candidate_add(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    form = CandidateForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cand = actions.add_candidate(acting_user=request.user, case=case, cadre=d["cadre"], channel=d["channel"],
                                         post=d["post"], evidence=form.evidence())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("cases:candidate_detail", cand.pk)
    return render(request, "cases/candidate_form.html", {
        "form": form, "case": case,
        "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")), (case.title, reverse("cases:case_detail", args=[case.pk])),
                        (_("提名人选"), None)]})


@staff_view
def candidate_detail(request, candidate_id):
    cand = permissions.get_candidate_for_user(request.user, candidate_id)
    return render(request, "cases/candidate_detail.html", {
        "cand": cand, "case": cand.case, "checks": _checks(cand.eligibility),
        "connections": connections.for_candidate(cand), "cadre_links": connections.cadre_links(cand.cadre),
        "evidence": evidence.lines(cand.evidence),
        "blockers": workflow.candidate_blockers(cand) if cand.is_active else [],
        "notes": guards.candidate_notes([cand]).get(cand.pk, []),
        "can_manage": permissions.can_manage_cases(request.user), "exception_form": ExceptionForm(),
        "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")),
                        (cand.case.title, reverse("cases:case_detail", args=[cand.case_id])), (cand.cadre.name, None)]})


@require_POST
@staff_view
def candidate_action(request, candidate_id, verb):
    cand = permissions.get_candidate_for_user(request.user, candidate_id, manage=True)
    user, reason = request.user, request.POST.get("reason", "")
    if verb in ("suspend", "resume", "disqualify", "withdraw"):
        fn = getattr(actions, f"{verb}_candidate")
        cand = fn(acting_user=user, candidate=cand, reason=reason)
        messages.success(request, _("%(name)s：%(s)s。") % {"name": cand.cadre.name, "s": cand.get_status_display()})
    elif verb == "check":
        actions.check_eligibility(acting_user=user, candidate=cand)
        messages.success(request, _("已重新进行资格审查。"))
    elif verb == "exception":
        actions.record_exception(acting_user=user, candidate=cand, reason=request.POST.get("reason", ""),
                                 approval=request.POST.get("approval", ""))
        messages.success(request, _("破格审批已记录，资格已重新审查。"))
    elif verb == "appoint":
        actions.appoint_candidate(acting_user=user, candidate=cand)
        messages.success(request, _("%(name)s 已任职。") % {"name": cand.cadre.name})
    else:
        raise Http404
    return redirect(request.POST.get("next") or reverse("cases:candidate_detail", args=[cand.pk]))


# ---- vacancy notices and self-nomination ------------------------------------------------------------

@require_POST
@staff_view
def notice_create(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    form = NoticeForm(request.POST, case=case)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{e}")
        return redirect("cases:case_detail", case.pk)
    d = form.cleaned_data
    requirements = {"max_age": d["max_age"]} if d.get("max_age") else {}
    notice = actions.publish_vacancy_notice(acting_user=request.user, case=case, post=d["post"],
                                            qualifications=d["qualifications"], documents=d["documents"],
                                            deadline=d["deadline"], requirements=requirements)
    messages.success(request, _("职位空缺公告已发布。"))
    return redirect("cases:notice_detail", notice.pk)


@staff_view
def notice_list(request):
    user = request.user
    if not (user.has_capability("cases.manage") or user.has_capability("self.service")):
        raise PermissionDenied
    from django.db.models import OuterRef, Subquery

    from .lists import NoticeFilterForm, filter_notices, notice_list_spec

    mine = Application.objects.filter(notice=OuterRef("pk"), cadre_id=user.cadre_id or 0).values("status")[:1]
    notices = (VacancyNotice.objects.filter(permissions.notice_q(user)).distinct()
               .select_related("post__org_unit", "case").annotate(my_status=Subquery(mine)))
    filters = NoticeFilterForm(request.GET or None)
    lst = build_list(request, notice_list_spec(), filter_notices(notices, filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "cases/notice_list.html", {"lst": lst, "breadcrumbs": [(_("职位空缺公告"), None)]})


@staff_view
def notice_detail(request, notice_id):
    notice = permissions.get_notice_for_user(request.user, notice_id)
    user = request.user
    mine = notice.applications.filter(cadre_id=user.cadre_id).first() if user.cadre_id else None
    preview = None
    if user.cadre_id and mine is None and user.has_capability("self.service"):
        preview = _checks([r.as_dict() for r in actions.preview_application(notice, user.cadre)])
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.apply_to_notice(acting_user=user, notice=notice, statement=form.cleaned_data["statement"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("报名已提交，资格审查结果如下。"))
            return redirect("cases:notice_detail", notice.pk)
    applications = []
    if user.has_capability("cases.manage"):
        applications = list(notice.applications.select_related("cadre__org_unit"))
        for a in applications:
            a.checks = _checks(a.eligibility)
    return render(request, "cases/notice_detail.html", {
        "notice": notice, "mine": mine, "mine_checks": _checks(mine.eligibility) if mine else None,
        "preview": preview, "form": form, "applications": applications, "reason_form": ReasonForm(),
        "breadcrumbs": [(_("职位空缺公告"), reverse("cases:notice_list")), (str(notice.post), None)]})


@require_POST
@staff_view
def application_decide(request, application_id, verb):
    app = permissions.get_application_for_user(request.user, application_id)
    if verb == "accept":
        actions.accept_application(acting_user=request.user, application=app, reason=request.POST.get("reason", ""))
        messages.success(request, _("已接受 %(name)s 的自荐，列为人选。") % {"name": app.cadre.name})
    elif verb == "reject":
        actions.reject_application(acting_user=request.user, application=app, reason=request.POST.get("reason", ""))
        messages.success(request, _("已不接受 %(name)s 的自荐。") % {"name": app.cadre.name})
    else:
        raise Http404
    return redirect("cases:notice_detail", app.notice_id)


# ---- decision meeting ---------------------------------------------------------------------------------

@staff_view
def meeting_create(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, manage=True)
    form = MeetingForm(request.POST or None, initial={"title": _("%(t)s 讨论决定会议") % {"t": case.title}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = actions.create_decision_meeting(acting_user=request.user, case=case, title=d["title"],
                                                      held_on=d["held_on"], place=d["place"], mode=d["mode"],
                                                      members=form.members())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("cases:meeting_detail", meeting.pk)
    return render(request, "cases/meeting_form.html", {
        "form": form, "case": case,
        "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")),
                        (case.title, reverse("cases:case_detail", args=[case.pk])), (_("讨论决定会议"), None)]})


def _meeting_context(meeting):
    result, candidates, recused, members = actions.compute_tally(meeting) if meeting.status == "open" else (
        None, [], {}, list(meeting.members.all()))
    votes = {(v.member_id, v.candidate_id): v.choice for v in meeting.votes.all()}
    counts = {s.candidate_id: s for s in meeting.secret_counts.all()}
    rows = []
    tallies = {t.candidate: t for t in result.candidates} if result else {}
    for c in candidates:
        cells = []
        for m in members:
            cells.append({"member": m, "choice": votes.get((m.pk, c.pk), ""),
                          "recused": recused.get(c.pk, {}).get(m.pk, ""), "absent": not m.present})
        rows.append({"candidate": c, "cells": cells, "tally": tallies.get(c.pk), "count": counts.get(c.pk)})
    return {"meeting": meeting, "members": members, "rows": rows, "tally": result, "choices": Choice.choices,
            "is_secret": meeting.mode == VotingMode.SECRET}


def _own_stance_context(meeting, user) -> dict:
    """A member's page: their own stance per candidate, nobody else's (R15)."""
    member = actions.member_of(meeting, user)
    rows = []
    if member is not None and meeting.status == DecisionMeeting.Status.OPEN:
        candidates = actions._voting_candidates(meeting)
        recused = actions.recused_members(meeting, candidates)
        mine = {v.candidate_id: v.choice for v in meeting.votes.filter(member=member)}
        rows = [{"candidate": c, "choice": mine.get(c.pk, ""), "recused": recused.get(c.pk, {}).get(member.pk, "")}
                for c in candidates]
    return {"meeting": meeting, "member": member, "own_rows": rows, "choices": Choice.choices,
            "is_secret": meeting.mode == VotingMode.SECRET, "members": list(meeting.members.all())}


@staff_view
def meeting_detail(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    if not permissions.can_manage_cases(request.user):
        ctx = _own_stance_context(meeting, request.user)
        ctx.update({"case": meeting.case, "breadcrumbs": [(meeting.title, None)]})
        return render(request, "cases/meeting_member.html", ctx)
    ctx = _meeting_context(meeting)
    ctx.update({"case": meeting.case, "can_manage": permissions.can_manage_cases(request.user),
                "breadcrumbs": [(_("选任案件"), reverse("cases:case_list")),
                                (meeting.case.title, reverse("cases:case_detail", args=[meeting.case_id])),
                                (meeting.title, None)]})
    return render(request, "cases/meeting_detail.html", ctx)


@require_POST
@staff_view
def meeting_action(request, meeting_id, verb):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, manage=True)
    user, post = request.user, request.POST
    if verb == "attendance":
        present = [posted_int(x, code="decision.unknown_member", message=_("出席名单中有不是本会议成员的人。"))
                   for x in post.getlist("present")]
        reasons = {m.pk: post.get(f"absence_{m.pk}", "") for m in meeting.members.all()}
        actions.record_attendance(acting_user=user, meeting=meeting, present=present, absence_reasons=reasons)
        messages.success(request, _("出席情况已登记。"))
    elif verb == "votes":
        pick = _("请选择本次表决的人选。")
        cand = Candidate.objects.filter(pk=posted_int(post.get("candidate"), code="decision.bad_candidate", message=pick),
                                        case=meeting.case).first()
        if cand is None:
            raise DomainError("decision.bad_candidate", _("该人选不在本次讨论范围内。"))
        if meeting.mode == VotingMode.SECRET:
            count = _("票数须为不小于 0 的整数。")
            agree, disagree, defer = (posted_int(post.get(k) or 0, code="decision.bad_count", message=count)
                                      for k in ("agree", "disagree", "defer"))
            actions.record_secret_counts(acting_user=user, meeting=meeting, candidate=cand,
                                         agree=agree, disagree=disagree, defer=defer)
        else:
            choices = {m.pk: post.get(f"choice_{m.pk}", "") for m in meeting.members.all()}
            actions.record_votes(acting_user=user, meeting=meeting, candidate=cand, choices=choices)
        messages.success(request, _("%(name)s 的表决情况已登记。") % {"name": cand.cadre.name})
    elif verb == "open_voting":
        actions.open_voting(acting_user=user, meeting=meeting)
        messages.success(request, _("已开始表态，出席成员可在自己的页面上表态。"))
    elif verb == "close":
        meeting = actions.close_decision_meeting(acting_user=user, meeting=meeting)
        if meeting.status == DecisionMeeting.Status.NOT_HELD:
            messages.warning(request, _("到会人数不足法定人数，会议无效，人选状态不变；请重新召开讨论决定会议。"))
        else:
            messages.success(request, _("已形成决定。"))
    else:
        raise Http404
    return redirect("cases:meeting_detail", meeting.pk)


@require_POST
@staff_view
def meeting_stance(request, meeting_id):
    """A member records their own stance on one candidate."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    cand = Candidate.objects.filter(pk=request.POST.get("candidate") or 0, case=meeting.case).first()
    if cand is None:
        raise Http404
    actions.record_own_stance(acting_user=request.user, meeting=meeting, candidate=cand,
                              choice=request.POST.get("choice", ""))
    messages.success(request, _("您对 %(name)s 的表态已记录。") % {"name": cand.cadre.name})
    return redirect("cases:meeting_detail", meeting.pk)


@staff_view
def meeting_minutes(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    ctx = _meeting_context(meeting)
    ctx.update({"case": meeting.case, "breadcrumbs": [(meeting.title, reverse("cases:meeting_detail", args=[meeting.pk])),
                                                      (_("会议记录"), None)]})
    return render(request, "cases/meeting_minutes.html", ctx)


# ---- rules --------------------------------------------------------------------------------------------

@staff_view
def rule_set_list(request):
    permissions.require(request.user, "config.edit")
    from django.db.models import Count

    from .lists import RuleSetFilterForm, filter_rule_sets, rule_set_list_spec

    filters = RuleSetFilterForm(request.GET or None)
    sets = filter_rule_sets(RuleSet.objects.annotate(n_rules=Count("rules")), filters)
    lst = build_list(request, rule_set_list_spec(), sets, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "cases/rule_set_list.html", {"lst": lst, "breadcrumbs": [(_("规则管理"), None)]})


@staff_view
def rule_set_detail(request, rule_set_id):
    permissions.require(request.user, "config.edit")
    rule_set = RuleSet.objects.filter(pk=rule_set_id).first()
    if rule_set is None:
        raise Http404
    latest = RuleSet.objects.filter(jurisdiction=rule_set.jurisdiction).order_by("-version").first()
    return render(request, "cases/rule_set_detail.html", {
        "rule_set": rule_set, "rules": rule_set.rules.all(), "is_latest": latest.pk == rule_set.pk,
        "n_cases": rule_set.cases.count(),
        "breadcrumbs": [(_("规则管理"), reverse("cases:rule_set_list")), (str(rule_set), None)]})


@staff_view
def rule_edit(request, rule_id):
    permissions.require(request.user, "config.edit")
    rule = Rule.objects.select_related("rule_set").filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    initial = {"name": rule.name, "regulation": rule.regulation, "article": rule.article,
               "source_text": rule.source_text}
    form = RuleForm(request.POST or None, initial=initial, rule=rule)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new_set = actions.edit_rule(acting_user=request.user, rule=rule, parameters=form.parameters(),
                                        name=d["name"], regulation=d["regulation"], article=d["article"],
                                        source_text=d["source_text"], effective_from=d["effective_from"],
                                        note=d["note"])
        except (DomainError, forms.ValidationError) as exc:
            message = exc.message if isinstance(exc, DomainError) else exc.messages[0]
            field = next((n for n in form.param_names if form.fields[n].label == exc.details.get("field")), None) \
                if isinstance(exc, DomainError) else None
            form.add_error(field, message)  # next to the field it names (listed in the summary too)
        else:
            messages.success(request, _("已生成规则集新版本 v%(v)s；已动议的案件仍按各自冻结的版本执行。") % {
                "v": new_set.version})
            return redirect("cases:rule_set_detail", new_set.pk)
    return render(request, "cases/rule_form.html", {
        "form": form, "rule": rule,
        "breadcrumbs": [(_("规则管理"), reverse("cases:rule_set_list")),
                        (str(rule.rule_set), reverse("cases:rule_set_detail", args=[rule.rule_set_id])),
                        (str(rule), None)]})


# ---- dossier ------------------------------------------------------------------------------------------

@staff_view
def dossier_view(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id)
    ctx = dossier.build(case)
    ctx["breadcrumbs"] = [(_("选任案件"), reverse("cases:case_list")),
                          (case.title, reverse("cases:case_detail", args=[case.pk])), (_("全程纪实"), None)]
    return render(request, "cases/dossier.html", ctx)


@staff_view
def dossier_pdf(request, case_id):
    from weasyprint import HTML

    case = permissions.get_case_for_user(request.user, case_id)
    ctx = dossier.build(case)
    html = render_to_string("cases/dossier_print.html", ctx, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-{case.pk}.pdf"'
    return response


