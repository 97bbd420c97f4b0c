"""/api/v1/cases/: the same actions, permissions and data scope as the pages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from gongxin.accounts.models import User
from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import Cadre, OrgUnit, Post

from . import actions, dossier, permissions, queries, workflow
from .checks import translated_reason
from .models import Candidate, CaseStage, Rule, RuleSet
from .schemas import (
    AdvanceIn,
    ApplicationOut,
    ApplyIn,
    AttendanceIn,
    CandidateIn,
    CandidateOut,
    CaseIn,
    CaseOut,
    CaseRow,
    DossierEntryOut,
    Error,
    ExceptionIn,
    MeetingIn,
    MeetingOut,
    NoticeIn,
    NoticeOut,
    ReasonIn,
    RuleEditIn,
    RuleSetOut,
    VotesIn,
)

router = Router(tags=["cases"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _checks(results):
    return [{"code": r.get("code", ""), "item": r.get("item", ""), "name": r.get("name", ""),
             "outcome": r.get("outcome", ""), "reason": translated_reason(r), "source": r.get("source", "")}
            for r in results]


def _row(case) -> dict:
    return {"id": case.pk, "title": case.title, "org_unit": case.org_unit.name, "stage": case.stage,
            "stage_label": str(CaseStage(case.stage).label), "status": case.status,
            "rule_set_version": case.rule_set.version, "motion_date": case.motion_date}


def _candidate(c: Candidate) -> dict:
    return {"id": c.pk, "case_id": c.case_id, "cadre_id": c.cadre_id, "name": c.cadre.name, "channel": c.channel,
            "status": c.status, "status_reason": c.status_reason, "post_id": c.post_id, "evidence": c.evidence,
            "eligibility_passed": c.eligibility_passed, "eligibility": _checks(c.eligibility)}


def _case(case) -> dict:
    step = workflow.next_transition(case)
    return {**_row(case), "status_reason": case.status_reason, "motion_reason": case.motion_reason,
            "channels": case.channels,
            "posts": [{"post_id": cp.post_id, "title": str(cp.post), "count": cp.count}
                      for cp in case.case_posts.select_related("post__org_unit")],
            "next_stage": step.target if step else None,
            "blockers": workflow.blockers(case, step.target) if step else [],
            "candidates": [_candidate(c) for c in case.candidates.select_related("cadre").order_by("id")]}


@router.get("/cases", response={200: list[CaseRow], **ERRORS})
def list_cases(request, stage: str = "", status: str = "", q: str = ""):
    permissions.require_view(request.auth)
    return [_row(c) for c in queries.cases_for_user(request.auth, stage=stage, status=status, q=q)[:500]]


@router.post("/cases", response={201: CaseOut, **ERRORS})
def create_case(request, data: CaseIn):
    user = request.auth
    permissions.require(user, "cases.manage")
    unit = OrgUnit.objects.filter(pk=data.org_unit_id).first()
    if unit is None or not _unit_in_scope(user, unit):
        raise NotFound("org_unit.not_found", _("没有找到该单位，或不在您的管理范围内。"))
    posts = list(Post.objects.filter(unit_q(user, "org_unit"), pk__in=data.post_ids))
    if len(posts) != len(set(data.post_ids)):
        raise NotFound("post.not_found", _("有职位不存在或不在您的管理范围内。"))
    case = actions.open_case(acting_user=user, title=data.title, org_unit=unit, posts=posts, channels=data.channels,
                             motion_reason=data.motion_reason, motion_date=data.motion_date,
                             over_headcount_reason=data.over_headcount_reason)
    return Status(201, _case(case))


def _unit_in_scope(user, unit) -> bool:
    from .forms import _unit_self_q

    return OrgUnit.objects.filter(_unit_self_q(user)).filter(pk=unit.pk).exists()


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request, case_id: int):
    return _case(permissions.get_case_for_user(request.auth, case_id))


@router.post("/cases/{case_id}/advance", response={200: CaseOut, **ERRORS})
def advance(request, case_id: int, data: AdvanceIn):
    case = permissions.get_case_for_user(request.auth, case_id, manage=True)
    return _case(actions.advance_case(acting_user=request.auth, case=case, to_stage=data.to_stage))


@router.post("/cases/{case_id}/status/{verb}", response={200: CaseOut, **ERRORS})
def case_status(request, case_id: int, verb: str, data: ReasonIn):
    case = permissions.get_case_for_user(request.auth, case_id, manage=True)
    fn = {"suspend": actions.suspend_case, "resume": actions.resume_case, "withdraw": actions.withdraw_case}.get(verb)
    if fn is None:
        raise NotFound("not_found", _("没有这个操作。"))
    return _case(fn(acting_user=request.auth, case=case, reason=data.reason))


@router.post("/cases/{case_id}/candidates", response={201: CandidateOut, **ERRORS})
def add_candidate(request, case_id: int, data: CandidateIn):
    user = request.auth
    case = permissions.get_case_for_user(user, case_id, manage=True)
    cadre = Cadre.objects.filter(cadre_q(user)).filter(pk=data.cadre_id).first()
    if cadre is None:
        raise NotFound("cadre.not_found", _("没有找到该干部，或不在您的管理范围内。"))
    post = None
    if data.post_id:
        cp = case.case_posts.filter(post_id=data.post_id).select_related("post").first()
        if cp is None:
            raise DomainError("candidate.bad_post", _("该职位不是本案件的拟选职位。"))
        post = cp.post
    cand = actions.add_candidate(acting_user=user, case=case, cadre=cadre, channel=data.channel,
                                 evidence=data.evidence, post=post)
    return Status(201, _candidate(cand))


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, **ERRORS})
def get_candidate(request, candidate_id: int):
    return _candidate(permissions.get_candidate_for_user(request.auth, candidate_id))


@router.post("/candidates/{candidate_id}/exception", response={200: CandidateOut, **ERRORS})
def candidate_exception(request, candidate_id: int, data: ExceptionIn):
    cand = permissions.get_candidate_for_user(request.auth, candidate_id, manage=True)
    return _candidate(actions.record_exception(acting_user=request.auth, candidate=cand, reason=data.reason,
                                               approval=data.approval))


@router.post("/candidates/{candidate_id}/check", response={200: CandidateOut, **ERRORS})
def candidate_check(request, candidate_id: int):
    cand = permissions.get_candidate_for_user(request.auth, candidate_id, manage=True)
    return _candidate(actions.check_eligibility(acting_user=request.auth, candidate=cand))


@router.post("/candidates/{candidate_id}/appoint", response={200: CandidateOut, **ERRORS})
def candidate_appoint(request, candidate_id: int):
    cand = permissions.get_candidate_for_user(request.auth, candidate_id, manage=True)
    return _candidate(actions.appoint_candidate(acting_user=request.auth, candidate=cand))


@router.post("/candidates/{candidate_id}/{verb}", response={200: CandidateOut, **ERRORS})
def candidate_status(request, candidate_id: int, verb: str, data: ReasonIn):
    cand = permissions.get_candidate_for_user(request.auth, candidate_id, manage=True)
    if verb not in ("suspend", "resume", "disqualify", "withdraw"):
        raise NotFound("not_found", _("没有这个操作。"))
    fn = getattr(actions, f"{verb}_candidate")
    return _candidate(fn(acting_user=request.auth, candidate=cand, reason=data.reason))


# ---- rules ------------------------------------------------------------------------------------------

def _rule_set(rs: RuleSet) -> dict:
    return {"id": rs.pk, "jurisdiction": rs.jurisdiction, "version": rs.version, "effective_from": rs.effective_from,
            "frozen": rs.frozen, "note": rs.note,
            "rules": [{"id": r.pk, "code": r.code, "variant": r.variant, "name": r.name, "parameters": r.parameters,
                       "regulation": r.regulation, "article": r.article, "source_text": r.source_text}
                      for r in rs.rules.all()]}


@router.get("/rule-sets", response={200: list[RuleSetOut], **ERRORS})
def list_rule_sets(request):
    if not (request.auth.has_capability("config.edit") or request.auth.has_capability("cases.view")):
        permissions.require(request.auth, "config.edit")
    return [_rule_set(rs) for rs in RuleSet.objects.prefetch_related("rules").order_by("jurisdiction", "-version")]


@router.post("/rules/{rule_id}", response={201: RuleSetOut, **ERRORS})
def edit_rule(request, rule_id: int, data: RuleEditIn):
    permissions.require(request.auth, "config.edit")
    rule = get_object_or_404(Rule, pk=rule_id)
    new = actions.edit_rule(acting_user=request.auth, rule=rule, **data.dict())
    return Status(201, _rule_set(new))


# ---- decision meetings ------------------------------------------------------------------------------

def _meeting(m) -> dict:
    tally = None
    if m.status == "open":
        tally = actions.compute_tally(m)[0].as_dict()
    return {"id": m.pk, "case_id": m.case_id, "title": m.title, "held_on": m.held_on, "mode": m.mode,
            "status": m.status, "result": m.result, "tally": tally,
            "members": [{"id": x.pk, "name": x.name, "present": x.present, "absence_reason": x.absence_reason}
                        for x in m.members.all()]}


@router.post("/cases/{case_id}/decision-meetings", response={201: MeetingOut, **ERRORS})
def create_meeting(request, case_id: int, data: MeetingIn):
    case = permissions.get_case_for_user(request.auth, case_id, manage=True)
    members = []
    for m in data.members:
        user = User.objects.filter(pk=m.user_id).first() if m.user_id else None
        cadre = Cadre.objects.filter(pk=m.cadre_id).first() if m.cadre_id else None
        members.append({"name": m.name, "user": user, "cadre": cadre})
    meeting = actions.create_decision_meeting(acting_user=request.auth, case=case, title=data.title,
                                              held_on=data.held_on, place=data.place, mode=data.mode, members=members)
    return Status(201, _meeting(meeting))


@router.get("/decision-meetings/{meeting_id}", response={200: MeetingOut, **ERRORS})
def get_meeting(request, meeting_id: int):
    return _meeting(permissions.get_meeting_for_user(request.auth, meeting_id))


@router.post("/decision-meetings/{meeting_id}/attendance", response={200: MeetingOut, **ERRORS})
def meeting_attendance(request, meeting_id: int, data: AttendanceIn):
    meeting = permissions.get_meeting_for_user(request.auth, meeting_id, manage=True)
    return _meeting(actions.record_attendance(acting_user=request.auth, meeting=meeting, present=data.present,
                                              absence_reasons={int(k): v for k, v in data.absence_reasons.items()}))


@router.post("/decision-meetings/{meeting_id}/votes", response={200: MeetingOut, **ERRORS})
def meeting_votes(request, meeting_id: int, data: VotesIn):
    meeting = permissions.get_meeting_for_user(request.auth, meeting_id, manage=True)
    cand = meeting.case.candidates.filter(pk=data.candidate_id).first()
    if cand is None:
        raise NotFound("candidate.not_found", _("该人选不在本案件中。"))
    if meeting.mode == "secret":
        m = actions.record_secret_counts(acting_user=request.auth, meeting=meeting, candidate=cand,
                                         agree=data.agree or 0, disagree=data.disagree or 0, defer=data.defer or 0)
    else:
        m = actions.record_votes(acting_user=request.auth, meeting=meeting, candidate=cand,
                                 choices={int(k): v for k, v in data.choices.items()})
    return _meeting(m)


@router.post("/decision-meetings/{meeting_id}/close", response={200: MeetingOut, **ERRORS})
def meeting_close(request, meeting_id: int):
    meeting = permissions.get_meeting_for_user(request.auth, meeting_id, manage=True)
    return _meeting(actions.close_decision_meeting(acting_user=request.auth, meeting=meeting))


# ---- vacancy notices ----------------------------------------------------------------------------------

def _notice(n) -> dict:
    return {"id": n.pk, "case_id": n.case_id, "post": str(n.post), "qualifications": n.qualifications,
            "requirements": n.requirements, "documents": n.documents, "deadline": n.deadline, "status": n.status}


def _application(a) -> dict:
    return {"id": a.pk, "notice_id": a.notice_id, "cadre_id": a.cadre_id, "status": a.status, "reason": a.reason,
            "eligibility_passed": a.eligibility_passed, "eligibility": _checks(a.eligibility)}


@router.post("/cases/{case_id}/notices", response={201: NoticeOut, **ERRORS})
def create_notice(request, case_id: int, data: NoticeIn):
    case = permissions.get_case_for_user(request.auth, case_id, manage=True)
    cp = case.case_posts.filter(post_id=data.post_id).select_related("post").first()
    if cp is None:
        raise DomainError("notice.bad_post", _("该职位不是本案件的拟选职位。"))
    notice = actions.publish_vacancy_notice(acting_user=request.auth, case=case, post=cp.post,
                                            qualifications=data.qualifications, deadline=data.deadline,
                                            documents=data.documents, requirements=data.requirements)
    return Status(201, _notice(notice))


@router.get("/notices", response={200: list[NoticeOut], **ERRORS})
def list_notices(request):
    from .models import VacancyNotice

    user = request.auth
    if not (user.has_capability("cases.manage") or user.has_capability("self.service")):
        permissions.require(user, "self.service")
    return [_notice(n) for n in VacancyNotice.objects.filter(permissions.notice_q(user)).distinct()
            .select_related("post__org_unit")]


@router.post("/notices/{notice_id}/apply", response={201: ApplicationOut, **ERRORS})
def apply(request, notice_id: int, data: ApplyIn):
    permissions.require(request.auth, "self.service")
    notice = permissions.get_notice_for_user(request.auth, notice_id)
    app = actions.apply_to_notice(acting_user=request.auth, notice=notice, statement=data.statement)
    return Status(201, _application(app))


@router.post("/applications/{application_id}/{verb}", response={200: ApplicationOut, **ERRORS})
def decide_application(request, application_id: int, verb: str, data: ReasonIn):
    app = permissions.get_application_for_user(request.auth, application_id)
    if verb == "accept":
        app = actions.accept_application(acting_user=request.auth, application=app, reason=data.reason)
    elif verb == "reject":
        app = actions.reject_application(acting_user=request.auth, application=app, reason=data.reason)
    else:
        raise NotFound("not_found", _("没有这个操作。"))
    return _application(app)


@router.get("/cases/{case_id}/dossier", response={200: list[DossierEntryOut], **ERRORS})
def case_dossier(request, case_id: int):
    case = permissions.get_case_for_user(request.auth, case_id)
    return [e.__dict__ for e in dossier.entries(case)]
