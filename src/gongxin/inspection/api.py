"""/api/v1/inspection/: the same actions, permissions and scope as the pages."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongxin.accounts.models import User
from gongxin.accounts.roles import Role
from gongxin.accounts.scope import cadre_q
from gongxin.core.api_types import Year
from gongxin.core.errors import NotFound
from gongxin.people.models import Cadre

from . import actions, permissions, queries
from .models import Inspection, KeyProject

router = Router(tags=["inspection"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _inspection_row(i: Inspection) -> dict:
    return {"id": i.pk, "kind": i.kind, "status": i.status, "cadre_id": i.cadre_id, "cadre": i.cadre.name,
            "team_id": i.team_id, "team": i.team.name, "opened_on": i.opened_on,
            "key_project": i.key_project.name if i.key_project_id else None, "candidate_id": i.candidate_id}


class InspectionOut(Schema):
    id: int
    kind: str
    status: str
    cadre_id: int
    cadre: str
    team_id: int
    team: str
    opened_on: dt.date
    key_project: str | None = None
    candidate_id: int | None = None


class InterviewOut(Schema):
    id: int
    interviewee: str
    category: str
    circle: str
    place: str
    held_on: dt.date
    summary: str
    leaning: str


class PlaceOut(Schema):
    id: int
    place: str
    period: str
    visited_on: dt.date | None = None


class InspectionDetailOut(InspectionOut):
    interviews: list[InterviewOut]
    places: list[PlaceOut]
    coverage: dict | None = None
    vote: dict | None = None
    report_signed: bool = False


@router.get("/inspections", response={200: list[InspectionOut], **ERRORS})
def list_inspections(request):
    return [_inspection_row(i) for i in permissions.inspections_for_user(request.auth)[:500]]


@router.get("/inspections/{inspection_id}", response={200: InspectionDetailOut, **ERRORS})
def get_inspection(request, inspection_id: int):
    i = queries.inspection_detail(permissions.get_inspection_for_user(request.auth, inspection_id))
    row = _inspection_row(i)
    row["interviews"] = [{f: getattr(x, f) for f in InterviewOut.model_fields} for x in i.interviews.all()]
    row["places"] = [{"id": p.pk, "place": p.place, "period": p.period, "visited_on": p.visited_on} for p in i.places.all()]
    if i.kind == "source_tracing":
        visited, total, percent = queries.coverage_for(i)
        row["coverage"] = {"visited": visited, "total": total, "percent": percent}
    vote = getattr(i, "vote", None)
    row["vote"] = vote.counts if vote else None
    report = getattr(i, "report", None)
    row["report_signed"] = bool(report and report.is_signed)
    return row


class InterviewIn(Schema):
    interviewee: str
    category: str
    circle: str
    place: str
    held_on: dt.date
    summary: str
    leaning: str


@router.post("/inspections/{inspection_id}/interviews", response={201: InterviewOut, **ERRORS})
def post_interview(request, inspection_id: int, data: InterviewIn):
    inspection = permissions.get_inspection_for_user(request.auth, inspection_id)
    permissions.require(request.auth, permissions.can_record_in(request.auth, inspection))
    row = actions.record_interview(acting_user=request.auth, inspection=inspection, **data.dict())
    return Status(201, {f: getattr(row, f) for f in InterviewOut.model_fields})


class TeamIn(Schema):
    name: str
    leader_id: int
    member_ids: list[int] = []


class TeamOut(Schema):
    id: int
    name: str
    leader_id: int
    member_ids: list[int]


def _users(ids) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, role=Role.INSPECTOR)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound("inspector.not_found", _("没有找到这些考察人员：%(ids)s") % {"ids": ", ".join(map(str, missing))})
    return [found[i] for i in ids]


@router.post("/teams", response={201: TeamOut, **ERRORS})
def post_team(request, data: TeamIn):
    permissions.require(request.auth, permissions.can_manage_inspection(request.auth))
    leader = _users([data.leader_id])[0]
    team = actions.form_team(acting_user=request.auth, name=data.name, leader=leader, members=_users(data.member_ids))
    return Status(201, {"id": team.pk, "name": team.name, "leader_id": leader.pk,
                        "member_ids": list(team.members.values_list("user_id", flat=True))})


class OpenIn(Schema):
    team_id: int
    kind: str
    cadre_id: int
    key_project_id: int | None = None
    candidate_id: int | None = None
    opened_on: dt.date | None = None


@router.post("/inspections", response={201: InspectionOut, **ERRORS})
def post_inspection(request, data: OpenIn):
    user = request.auth
    permissions.require(user, permissions.can_manage_inspection(user))
    team = permissions.get_team_for_user(user, data.team_id)
    try:
        cadre = Cadre.objects.filter(cadre_q(user)).get(pk=data.cadre_id)
    except Cadre.DoesNotExist:
        raise NotFound("cadre.not_found", _("没有找到这名干部，或不在您的数据范围内。")) from None
    project = permissions.get_key_project_for_user(user, data.key_project_id) if data.key_project_id else None
    candidate = permissions.get_candidate_for_user(user, data.candidate_id) if data.candidate_id else None
    i = actions.open_inspection(acting_user=user, team=team, kind=data.kind, cadre=cadre, key_project=project,
                                candidate=candidate, opened_on=data.opened_on)
    return Status(201, _inspection_row(i))


# ---- joint review -----------------------------------------------------------------------

class RequestOut(Schema):
    id: int
    department: str
    department_name: str
    candidate_id: int
    cadre: str
    case: str
    deadline: dt.date
    answer: str
    answer_text: str


def _request_row(r) -> dict:
    return {"id": r.pk, "department": r.department.code, "department_name": r.department.name,
            "candidate_id": r.candidate_id, "cadre": r.candidate.cadre.name, "case": r.candidate.case.title,
            "deadline": r.deadline, "answer": r.answer, "answer_text": r.answer_text}


@router.get("/review/requests", response={200: list[RequestOut], **ERRORS})
def list_requests(request):
    return [_request_row(r) for r in permissions.review_requests_for_user(request.auth)[:500]]


class AnswerIn(Schema):
    answer: str
    text: str = ""


@router.post("/review/requests/{request_id}/answer", response={200: RequestOut, **ERRORS})
def answer_request(request, request_id: int, data: AnswerIn):
    permissions.require(request.auth, permissions.can_answer_review(request.auth))
    r = permissions.get_review_request_for_user(request.auth, request_id)
    r = actions.answer_review_request(acting_user=request.auth, request=r, answer=data.answer, text=data.text)
    return _request_row(r)


class SendIn(Schema):
    deadline: dt.date


@router.post("/review/candidates/{candidate_id}/send", response={201: list[RequestOut], **ERRORS})
def send_requests(request, candidate_id: int, data: SendIn):
    permissions.require(request.auth, permissions.can_manage_review(request.auth))
    candidate = permissions.get_candidate_for_user(request.auth, candidate_id)
    created = actions.send_review_requests(acting_user=request.auth, candidate=candidate, deadline=data.deadline)
    return Status(201, [_request_row(r) for r in created])


class CheckIn(Schema):
    item: str
    done_on: dt.date | None = None
    note: str = ""


class StateOut(Schema):
    candidate_id: int
    status: str
    requests: list[RequestOut]
    checks_done: list[str]
    missing_checks: list[str]
    blockers: list[str]


def _state(candidate) -> dict:
    state = queries.review_state(candidate)
    return {"candidate_id": candidate.pk, "status": candidate.status,
            "requests": [_request_row(r) for r in state.requests], "checks_done": sorted(state.checks_done),
            "missing_checks": state.missing_checks, "blockers": state.blockers}


@router.get("/review/candidates/{candidate_id}", response={200: StateOut, **ERRORS})
def candidate_state(request, candidate_id: int):
    permissions.require(request.auth, permissions.can_manage_review(request.auth))
    return _state(permissions.get_candidate_for_user(request.auth, candidate_id))


@router.post("/review/candidates/{candidate_id}/checks", response={201: StateOut, **ERRORS})
def post_check(request, candidate_id: int, data: CheckIn):
    permissions.require(request.auth, permissions.can_manage_review(request.auth))
    candidate = permissions.get_candidate_for_user(request.auth, candidate_id)
    actions.record_check(acting_user=request.auth, candidate=candidate, check=data.item, done_on=data.done_on,
                         note=data.note)
    return Status(201, _state(candidate))


# ---- problem files ----------------------------------------------------------------------

class ComplaintIn(Schema):
    cadre_id: int
    channel: str
    text: str
    source_ref: str | None = None


class ProblemOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    channel: str
    status: str
    finding: str
    text: str


def _problem_row(p) -> dict:
    return {"id": p.pk, "cadre_id": p.cadre_id, "cadre": p.cadre.name, "channel": p.channel, "status": p.status,
            "finding": p.finding, "text": p.text}


@router.get("/problems", response={200: list[ProblemOut], **ERRORS})
def list_problems(request):
    return [_problem_row(p) for p in permissions.problem_files_for_user(request.auth)[:500]]


@router.post("/problems", response={201: ProblemOut, **ERRORS})
def post_problem(request, data: ComplaintIn):
    user = request.auth
    permissions.require(user, permissions.can_manage_problems(user))
    try:
        cadre = Cadre.objects.filter(cadre_q(user)).get(pk=data.cadre_id)
    except Cadre.DoesNotExist:
        raise NotFound("cadre.not_found", _("没有找到这名干部，或不在您的数据范围内。")) from None
    p = actions.intake_complaint(acting_user=user, cadre=cadre, channel=data.channel, text=data.text,
                                 source_ref=data.source_ref)
    return Status(201, _problem_row(p))


class FindingIn(Schema):
    finding: str
    text: str
    found_on: dt.date | None = None
    remove_from_projects: bool = False
    suspend_promotion: bool = False


@router.post("/problems/{problem_id}/finding", response={200: ProblemOut, **ERRORS})
def post_finding(request, problem_id: int, data: FindingIn):
    p = permissions.get_problem_file_for_user(request.auth, problem_id)
    p = actions.record_finding(acting_user=request.auth, problem=p, **data.dict())
    return _problem_row(p)


# ---- key projects and dashboard ----------------------------------------------------------

class ProjectOut(Schema):
    id: int
    name: str
    started: dt.date
    members: int
    records: int


@router.get("/key-projects", response={200: list[ProjectOut], **ERRORS})
def list_projects(request):
    permissions.require(request.auth, permissions.can_manage_inspection(request.auth))
    return [{"id": p.pk, "name": p.name, "started": p.started, "members": p.members.count(), "records": p.records.count()}
            for p in KeyProject.objects.all()]


@router.get("/dashboard", response={200: dict, **ERRORS})
def dashboard(request, year: Year | None = None):
    permissions.require(request.auth, permissions.can_manage_inspection(request.auth))
    return queries.dashboard_figures(year=year or timezone.localdate().year)
