"""/api/v1/exams/: the same actions, permissions and scope as the pages. Scores travel as text
("85.5", "缺考", "取消资格") and come back the same way; absence is never a zero."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema

from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import OrgUnit, Post

from . import actions, permissions, queries, ranking, workflow
from .models import Exam

router = Router(tags=["exams"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class PostIn(Schema):
    code: str
    title: str = ""
    count: int = 1
    post_id: int | None = None
    veterans_only: bool = False


class ExamIn(Schema):
    channel: str
    title: str
    org_unit_id: int
    posts: list[PostIn]
    registration_closes: dt.date
    written_on: dt.date | None = None
    qualifications: str = ""
    requirements: dict = {}
    weights: dict | None = None
    case_id: int | None = None


class ExamOut(Schema):
    id: int
    title: str
    channel: str
    status: str
    org_unit: str
    weights: dict
    interview_ratio: int
    inspection_ratio: int
    tie_order: list[str]
    next_step: str | None = None


def _exam_row(e: Exam) -> dict:
    return {"id": e.pk, "title": e.title, "channel": e.channel, "status": e.status, "org_unit": e.org_unit.name,
            "weights": e.weights, "interview_ratio": e.interview_ratio, "inspection_ratio": e.inspection_ratio,
            "tie_order": e.tie_order, "next_step": workflow.ACTION.get(e.status)}


class StepIn(Schema):
    step: str


class RegisterIn(Schema):
    exam_post_id: int
    phone: str = ""


class RegistrationOut(Schema):
    id: int
    exam_id: int
    post: str
    name: str
    status: str
    ticket_number: str
    room: int | None = None
    seat: int | None = None
    screening: list[dict]
    appeal: str


def _reg_row(r) -> dict:
    return {"id": r.pk, "exam_id": r.exam_id, "post": r.exam_post.code, "name": r.name, "status": r.status,
            "ticket_number": r.ticket_number, "room": r.room, "seat": r.seat,
            "screening": [{k: x[k] for k in ("item", "outcome", "reason", "source")} for x in r.screening],
            "appeal": r.appeal}


class ScoresIn(Schema):
    component: str
    scores: dict[str, str]  # ticket number → "85.5" | "缺考" | "取消资格"


class ScoresOut(Schema):
    recorded: int


class CorrectionIn(Schema):
    ticket_number: str
    component: str
    value: str
    reason: str


class AppealDecisionIn(Schema):
    upheld: bool
    decision: str


class RankedOut(Schema):
    post: str
    ticket_number: str
    name: str
    written: str
    interview: str
    total: str
    written_rank: int | None = None
    final_rank: int | None = None
    note: str
    note_code: str = ""   # "absent" | "disqualified" | "tied" | "decided:written" | "decided:interview" | ""
    outcome: str


class AdmissionIn(Schema):
    start: dt.date | None = None


class AdmittedOut(Schema):
    post: str
    ticket_number: str
    name: str
    final_rank: int
    total: str
    is_veteran: bool
    cadre_id: int
    org_unit: str
    admitted_on: dt.date


class ShareRow(Schema):
    unit: str
    middle_posts: int
    opened: int
    share: float
    below: bool


class ShareOut(Schema):
    target: float
    total: int
    opened: int
    rows: list[ShareRow]


def _score(text: str) -> int:
    try:
        return ranking.parse_score(text)
    except ValueError as exc:
        raise DomainError("exam.score", _(exc.args[0]) % {"value": text}) from None


@router.get("/exams", response={200: list[ExamOut], **ERRORS})
def list_exams(request):
    return [_exam_row(e) for e in permissions.exams_managed_by(request.auth).select_related("org_unit")[:500]]


@router.post("/exams", response={201: ExamOut, **ERRORS})
def announce_exam(request, data: ExamIn):
    from gongxin.accounts.scope import unit_q
    from gongxin.cases.models import Case

    user = request.auth
    permissions.require(user, permissions.can_manage_exams(user))
    unit = OrgUnit.objects.filter(unit_q(user, "self"), pk=data.org_unit_id).first()
    if unit is None:
        raise NotFound("exam.unit_not_found", _("该单位不在您的数据范围内。"))
    case = None
    if data.case_id:
        case = Case.objects.filter(unit_q(user, "org_unit"), pk=data.case_id).first()
        if case is None:
            raise NotFound("exam.case_not_found", _("找不到该案件，或不在您的数据范围内。"))
    posts = []
    for p in data.posts:
        post = Post.objects.filter(pk=p.post_id).first() if p.post_id else None
        posts.append({"code": p.code, "title": p.title, "count": p.count, "post": post, "veterans_only": p.veterans_only})
    exam = actions.announce_exam(acting_user=user, channel=data.channel, title=data.title, org_unit=unit, posts=posts,
                                 registration_closes=data.registration_closes, written_on=data.written_on,
                                 qualifications=data.qualifications, requirements=data.requirements,
                                 weights=data.weights, case=case)
    return 201, _exam_row(exam)


@router.get("/exams/{exam_id}", response={200: ExamOut, **ERRORS})
def get_exam(request, exam_id: int):
    return _exam_row(permissions.get_exam_for_manager(request.auth, exam_id))


@router.post("/exams/{exam_id}/step", response={200: ExamOut, **ERRORS})
def exam_step(request, exam_id: int, data: StepIn):
    """The next step of the pipeline, named as ``next_step`` says (a stale name is refused)."""
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    name = workflow.ACTION.get(exam.status)
    if name is None or data.step != name:
        from gongxin.core.errors import Conflict

        raise Conflict("exam.step", _("这一步已经完成或不可用（当前可做：%(s)s）。") % {"s": name or "—"})
    return _exam_row(getattr(actions, name)(acting_user=request.auth, exam=exam))


@router.get("/exams/{exam_id}/registrations", response={200: list[RegistrationOut], **ERRORS})
def list_registrations(request, exam_id: int):
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    return [_reg_row(r) for r in exam.registrations.select_related("exam_post").order_by("pk")[:5000]]


@router.post("/exams/{exam_id}/register", response={201: RegistrationOut, **ERRORS})
def register(request, exam_id: int, data: RegisterIn):
    """The logged-in cadre registers."""
    user = request.auth
    permissions.require(user, permissions.can_register(user))
    exam = permissions.get_published_exam(exam_id)
    post = exam.posts.filter(pk=data.exam_post_id).first()
    if post is None:
        raise NotFound("exam.post_not_found", _("所选职位不属于本次考试。"))
    reg = actions.register_cadre(acting_user=user, exam=exam, exam_post=post, cadre=user.cadre, phone=data.phone)
    return 201, _reg_row(reg)


@router.post("/registrations/{registration_id}/appeal-decision", response={200: RegistrationOut, **ERRORS})
def decide_appeal(request, registration_id: int, data: AppealDecisionIn):
    reg = permissions.get_registration_for_manager(request.auth, registration_id)
    return _reg_row(actions.decide_appeal(acting_user=request.auth, registration=reg, upheld=data.upheld,
                                          decision=data.decision))


@router.post("/exams/{exam_id}/scores", response={200: ScoresOut, **ERRORS})
def record_scores(request, exam_id: int, data: ScoresIn):
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    ids = dict(exam.registrations.exclude(ticket_number="").values_list("ticket_number", "pk"))
    unknown = [t for t in data.scores if t not in ids]
    if unknown:
        raise DomainError("exam.scores_unknown", _("准考证号 %(t)s 不是本次考试的考生。") % {"t": "、".join(unknown[:5])})
    n = actions.record_scores(acting_user=request.auth, exam=exam, component=data.component,
                              scores={ids[t]: _score(v) for t, v in data.scores.items()}, source={"entered": "api"})
    return {"recorded": n}


@router.post("/exams/{exam_id}/corrections", response={200: RankedOut, **ERRORS})
def correct_score(request, exam_id: int, data: CorrectionIn):
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    reg = exam.registrations.filter(ticket_number=data.ticket_number).first() if data.ticket_number else None
    if reg is None:
        raise NotFound("exam.registration_not_found", _("准考证号不是本次考试的考生。"))
    reg = actions.correct_score(acting_user=request.auth, registration=reg, component=data.component,
                                value=_score(data.value), reason=data.reason)
    reg.refresh_from_db()
    return _ranked(reg)


def _ranked(r) -> dict:
    return {"post": r.exam_post.code, "ticket_number": r.ticket_number, "name": r.name,
            "written": queries.score(r.written_score), "interview": queries.score(r.interview_score),
            "total": queries.score(r.total_score), "written_rank": r.written_rank, "final_rank": r.final_rank,
            "note": queries.rank_note_label(r.rank_note), "note_code": ranking.note_code(r.rank_note),
            "outcome": r.outcome}


@router.get("/exams/{exam_id}/ranking", response={200: list[RankedOut], **ERRORS})
def get_ranking(request, exam_id: int):
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    return [_ranked(r) for block in queries.ranking_rows(exam, limit=100_000) for r in block["rows"]]


def _admitted(r) -> dict:
    return {"post": r.exam_post.code, "ticket_number": r.ticket_number, "name": r.name, "final_rank": r.final_rank,
            "total": queries.score(r.total_score), "is_veteran": r.is_veteran, "cadre_id": r.admitted_cadre_id,
            "org_unit": r.admitted_cadre.org_unit.name, "admitted_on": r.admitted_on}


@router.post("/exams/{exam_id}/admission", response={201: list[AdmittedOut], **ERRORS})
def admit_recruits(request, exam_id: int, data: AdmissionIn):
    """Recruitment's admission (录用) after the results are published: once; 409 before or again."""
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    actions.admit_recruits(acting_user=request.auth, exam=exam, start=data.start)
    return 201, [_admitted(r) for r in queries.admission_rows(exam)]


@router.get("/exams/{exam_id}/admission", response={200: list[AdmittedOut], **ERRORS})
def get_admission(request, exam_id: int):
    exam = permissions.get_exam_for_manager(request.auth, exam_id)
    return [_admitted(r) for r in queries.admission_rows(exam)]


@router.get("/competitive-share", response={200: ShareOut, **ERRORS})
def competitive_share(request):
    from gongxin.accounts.scope import unit_q

    user = request.auth
    permissions.require(user, permissions.can_manage_exams(user))
    data = queries.competitive_share(units=OrgUnit.objects.filter(unit_q(user, "self")).values("pk"))
    return {"target": data["target"], "total": data["total"], "opened": data["opened"],
            "rows": [{**{k: r[k] for k in ("middle_posts", "opened", "share", "below")}, "unit": r["unit"].name}
                     for r in data["rows"]]}
