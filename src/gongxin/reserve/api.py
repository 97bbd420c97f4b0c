"""/api/v1/reserve/: the pool, composition and training classes, over the same actions,
permissions and data scope as the pages."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import NotFound
from gongxin.people.models import Cadre, Rank

from . import actions, permissions, queries
from .models import ReserveCadre, TrainingClass

router = Router(tags=["reserve"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class ReserveOut(Schema):
    id: int
    cadre_id: int
    name: str
    unit: str
    tier: int
    target_rank: str
    source: str
    source_note: str
    entered_on: dt.date
    ready_soon: bool
    status: str
    exit_reason: str
    exited_on: dt.date | None = None
    profile: str


def _row(r: ReserveCadre) -> dict:
    return {"id": r.pk, "cadre_id": r.cadre_id, "name": r.cadre.name, "unit": r.cadre.org_unit.name, "tier": r.tier,
            "target_rank": r.target_rank.code, "source": r.source, "source_note": r.source_note,
            "entered_on": r.entered_on, "ready_soon": r.ready_soon, "status": r.status, "exit_reason": r.exit_reason,
            "exited_on": r.exited_on, "profile": r.profile}


class PoolQuery(Schema):
    tier: int | None = None
    unit: int | None = None
    target_rank: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    sex: str = ""
    education: str = ""
    q: str = ""
    status: str = "active"
    offset: int = 0
    limit: int = 100


class PoolPage(Schema):
    count: int
    results: list[ReserveOut]


@router.get("/pool", response={200: PoolPage, **ERRORS})
def list_pool(request, f: Query[PoolQuery]):
    qs = queries.pool_for_user(request.auth, queries.PoolFilters(
        tier=f.tier, unit=f.unit, target_rank=f.target_rank, age_min=f.age_min, age_max=f.age_max, sex=f.sex,
        education=f.education, q=f.q, status="" if f.status == "all" else f.status))
    limit = max(1, min(f.limit, 500))
    return {"count": qs.count(), "results": [_row(r) for r in qs[max(0, f.offset):max(0, f.offset) + limit]]}


@router.get("/pool/{reserve_id}", response={200: ReserveOut, **ERRORS})
def get_reserve(request, reserve_id: int):
    return _row(permissions.get_reserve_for_user(request.auth, reserve_id))


def _cadre(user, cadre_id) -> Cadre:
    cadre = Cadre.objects.filter(cadre_q(user), pk=cadre_id).first()
    if cadre is None:
        raise NotFound("cadre.not_found", _("没有找到该干部，或不在您的数据范围内。"))
    return cadre


def _rank(code) -> Rank:
    rank = Rank.objects.filter(code=code).first()
    if rank is None:
        raise NotFound("rank.not_found", _("没有职级 %(c)s。") % {"c": code})
    return rank


class EntryIn(Schema):
    cadre_id: int
    tier: int
    target_rank: str
    source: str
    source_note: str = ""
    entered_on: dt.date | None = None
    profile: str = ""
    ready_soon: bool = False


@router.post("/pool", response={201: ReserveOut, **ERRORS})
def enter_reserve(request, data: EntryIn):
    permissions.require(request.auth, permissions.can_manage_reserve(request.auth))
    r = actions.enter_reserve(acting_user=request.auth, cadre=_cadre(request.auth, data.cadre_id), tier=data.tier,
                              target_rank=_rank(data.target_rank), source=data.source, source_note=data.source_note,
                              entered_on=data.entered_on, profile=data.profile, ready_soon=data.ready_soon)
    return Status(201, _row(r))


class TierIn(Schema):
    tier: int
    reason: str
    on: dt.date | None = None


@router.post("/pool/{reserve_id}/tier", response={200: ReserveOut, **ERRORS})
def change_tier(request, reserve_id: int, data: TierIn):
    r = permissions.get_reserve_for_user(request.auth, reserve_id)
    return _row(actions.change_tier(acting_user=request.auth, reserve=r, tier=data.tier, reason=data.reason, on=data.on))


class ExitIn(Schema):
    reason: str
    note: str = ""
    on: dt.date | None = None


@router.post("/pool/{reserve_id}/exit", response={200: ReserveOut, **ERRORS})
def exit_reserve(request, reserve_id: int, data: ExitIn):
    r = permissions.get_reserve_for_user(request.auth, reserve_id)
    return _row(actions.exit_reserve(acting_user=request.auth, reserve=r, reason=data.reason, note=data.note, on=data.on))


class MeetingIn(Schema):
    meeting_id: int
    tier: int
    target_rank: str


class MeetingEntryOut(Schema):
    entered: list[ReserveOut]
    refused: list[str]


@router.post("/pool/from-meeting", response={200: MeetingEntryOut, **ERRORS})
def enter_from_meeting(request, data: MeetingIn):
    from gongxin.meetings.permissions import get_meeting_for_user

    permissions.require(request.auth, permissions.can_manage_reserve(request.auth))
    meeting = get_meeting_for_user(request.auth, data.meeting_id)
    entered, refused = actions.enter_from_meeting(acting_user=request.auth, meeting=meeting, tier=data.tier,
                                                  target_rank=_rank(data.target_rank))
    return {"entered": [_row(r) for r in entered], "refused": refused}


class CellOut(Schema):
    measure: str
    count: int
    share: float
    target: float | None = None
    gap: int


class RowOut(Schema):
    tier: int | None = None
    unit_kind: str
    total: int
    cells: list[CellOut]


@router.get("/composition", response={200: list[RowOut], **ERRORS})
def composition(request):
    return [{"tier": r.tier, "unit_kind": r.unit_kind, "total": r.total,
             "cells": [{"measure": c.measure, "count": c.count, "share": float(c.share),
                        "target": float(c.target) if c.target is not None else None, "gap": c.gap} for c in r.cells]}
            for r in queries.composition_table(request.auth)]


class TargetIn(Schema):
    measure: str
    min_share: str
    tier: int | None = None
    unit_kind: str = ""


@router.put("/composition/targets", response={200: dict, **ERRORS})
def set_target(request, data: TargetIn):
    permissions.require(request.auth, permissions.can_edit_targets(request.auth))
    t = actions.set_composition_target(acting_user=request.auth, measure=data.measure, min_share=data.min_share,
                                       tier=data.tier, unit_kind=data.unit_kind)
    return {"measure": t.measure, "tier": t.tier, "unit_kind": t.unit_kind, "min_share": t.min_share}


# ---- classes ------------------------------------------------------------------------------------

class ClassIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date
    curriculum: str = ""


class TraineeOut(Schema):
    id: int
    cadre_id: int
    name: str
    status: str
    grade: str
    comment: str
    decision: str
    graduated_on: dt.date | None = None
    attended: int


class SessionOut(Schema):
    id: int
    held_on: dt.date
    topic: str


class ClassOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    curriculum: str
    graduated_on: dt.date | None = None


class ClassDetailOut(ClassOut):
    sessions: list[SessionOut]
    trainees: list[TraineeOut]


def _class(tc: TrainingClass) -> dict:
    return {"id": tc.pk, "name": tc.name, "starts_on": tc.starts_on, "ends_on": tc.ends_on,
            "curriculum": tc.curriculum, "graduated_on": tc.graduated_on}


def _trainee(t) -> dict:
    return {"id": t.pk, "cadre_id": t.cadre_id, "name": t.cadre.name, "status": t.status, "grade": t.grade,
            "comment": t.comment, "decision": t.decision, "graduated_on": t.graduated_on,
            "attended": getattr(t, "attended", t.attendance.filter(present=True).count())}


@router.get("/classes", response={200: list[ClassOut], **ERRORS})
def list_classes(request):
    permissions.require(request.auth, permissions.can_manage_reserve(request.auth))
    return [_class(tc) for tc in TrainingClass.objects.all()]


@router.post("/classes", response={201: ClassOut, **ERRORS})
def create_class(request, data: ClassIn):
    permissions.require(request.auth, permissions.can_manage_reserve(request.auth))
    return Status(201, _class(actions.create_training_class(acting_user=request.auth, **data.dict())))


@router.get("/classes/{class_id}", response={200: ClassDetailOut, **ERRORS})
def get_class(request, class_id: int):
    tc = permissions.get_class_for_user(request.auth, class_id)
    trainees, sessions = queries.roster(request.auth, tc)
    return {**_class(tc), "sessions": [{"id": s.pk, "held_on": s.held_on, "topic": s.topic} for s in sessions],
            "trainees": [_trainee(t) for t in trainees]}


class SessionIn(Schema):
    held_on: dt.date
    topic: str


@router.post("/classes/{class_id}/sessions", response={201: SessionOut, **ERRORS})
def add_session(request, class_id: int, data: SessionIn):
    tc = permissions.get_class_for_user(request.auth, class_id)
    s = actions.add_session(acting_user=request.auth, training_class=tc, held_on=data.held_on, topic=data.topic)
    return Status(201, {"id": s.pk, "held_on": s.held_on, "topic": s.topic})


class EnrolIn(Schema):
    cadre_id: int
    decision: str = ""


@router.post("/classes/{class_id}/trainees", response={201: TraineeOut, **ERRORS})
def enrol(request, class_id: int, data: EnrolIn):
    tc = permissions.get_class_for_user(request.auth, class_id)
    t = actions.enrol_trainee(acting_user=request.auth, training_class=tc, cadre=_cadre(request.auth, data.cadre_id),
                              decision=data.decision)
    return Status(201, _trainee(t))


class AttendanceIn(Schema):
    present: list[int]


@router.put("/sessions/{session_id}/attendance", response={200: dict, **ERRORS})
def attendance(request, session_id: int, data: AttendanceIn):
    session = permissions.get_session_for_user(request.auth, session_id)
    return {"present": actions.record_attendance(acting_user=request.auth, session=session, present=data.present)}


class EvaluationIn(Schema):
    grade: str
    comment: str


@router.put("/trainees/{trainee_id}/evaluation", response={200: TraineeOut, **ERRORS})
def evaluate(request, trainee_id: int, data: EvaluationIn):
    t = permissions.get_trainee_for_user(request.auth, trainee_id)
    return _trainee(actions.evaluate_trainee(acting_user=request.auth, trainee=t, grade=data.grade, comment=data.comment))


class AssignmentIn(Schema):
    title: str
    submitted_on: dt.date
    mark: str
    comment: str = ""


@router.post("/trainees/{trainee_id}/assignments", response={201: dict, **ERRORS})
def add_assignment(request, trainee_id: int, data: AssignmentIn):
    t = permissions.get_trainee_for_user(request.auth, trainee_id)
    a = actions.add_assignment(acting_user=request.auth, trainee=t, **data.dict())
    return Status(201, {"id": a.pk, "title": a.title, "mark": a.mark})


class GraduateIn(Schema):
    on: dt.date | None = None


@router.post("/classes/{class_id}/graduate", response={200: ClassDetailOut, **ERRORS})
def graduate(request, class_id: int, data: GraduateIn):
    tc = permissions.get_class_for_user(request.auth, class_id)
    actions.graduate_class(acting_user=request.auth, training_class=tc, on=data.on)
    return get_class(request, class_id)
