"""/api/v1/evaluation/: the report and the evaluation, the same actions and data scope as the
pages. The evaluation meeting's electorate, codes, opening and voting are the meetings API
(``/api/v1/meetings/{meeting_id}/…``); the published results are public (``auth=None``)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from gongxin.accounts.scope import cadre_q
from gongxin.people.models import Cadre, OrgUnit

from . import actions, queries
from .permissions import (
    evaluations_for_user,
    get_evaluation_for_user,
    get_follow_up_for_user,
    get_report_for_user,
)

router = Router(tags=["evaluation"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class ReportIn(Schema):
    year: int
    org_unit_id: int


class ReportText(Schema):
    text: str
    title: str | None = None


class ReportOut(Schema):
    id: int
    year: int
    org_unit_id: int
    title: str
    status: str
    text: str
    figures: dict
    text_sha256: str


class EvaluationIn(Schema):
    year: int
    org_unit_id: int
    meeting_date: dt.date | None = None
    location: str = ""
    elector_ids: list[int] = []


class CloseIn(Schema):
    key_shares: list[str]
    slips_issued: int | None = None
    paper_spoiled: int = 0


class EvaluationOut(Schema):
    id: int
    year: int
    org_unit_id: int
    meeting_id: int
    status: str
    flag_rule: dict
    cadres: list[dict]
    results: dict


class AnalysisIn(Schema):
    analysis: str


class ReferIn(Schema):
    text: str


def _report(r) -> dict:
    return {"id": r.pk, "year": r.year, "org_unit_id": r.org_unit_id, "title": r.title, "status": r.status,
            "text": r.text, "figures": r.figures, "text_sha256": r.text_sha256}


def _evaluation(e) -> dict:
    return {"id": e.pk, "year": e.year, "org_unit_id": e.org_unit_id, "meeting_id": e.meeting_id,
            "status": e.meeting.status, "flag_rule": e.flag_rule, "results": e.results,
            "cadres": [{"cadre_id": c.cadre_id, "name": c.cadre.name, "item": c.item_key, "post_title": c.post_title,
                        "appointed_on": c.appointed_on.isoformat(), "channel": c.channel, "flagged": c.flagged,
                        "follow_up_id": getattr(getattr(c, "follow_up", None), "pk", None)}
                       for c in e.cadres.select_related("cadre", "follow_up")]}


def _unit(user, unit_id: int) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=unit_id)   # scope is checked by the action


@router.post("/reports", response={201: ReportOut, **ERRORS})
def generate_report(request, payload: ReportIn):
    from .permissions import require_manage

    require_manage(request.auth)
    report = actions.generate_report(acting_user=request.auth, org_unit=_unit(request.auth, payload.org_unit_id),
                                     year=payload.year)
    return Status(201, _report(report))


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def get_report(request, report_id: int):
    return _report(get_report_for_user(request.auth, report_id))


@router.put("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def save_report(request, report_id: int, payload: ReportText):
    report = get_report_for_user(request.auth, report_id)
    return _report(actions.save_report(acting_user=request.auth, report=report, text=payload.text, title=payload.title))


@router.post("/reports/{report_id}/finalize", response={200: ReportOut, **ERRORS})
def finalize_report(request, report_id: int):
    return _report(actions.finalize_report(acting_user=request.auth, report=get_report_for_user(request.auth, report_id)))


@router.get("/", response={200: list[EvaluationOut], **ERRORS})
def list_evaluations(request):
    return [_evaluation(e) for e in evaluations_for_user(request.auth)[:200]]


@router.post("/", response={201: EvaluationOut, **ERRORS})
def create_evaluation(request, payload: EvaluationIn):
    from .permissions import require_manage

    require_manage(request.auth)
    electors = list(Cadre.objects.filter(cadre_q(request.auth), pk__in=payload.elector_ids))
    evaluation = actions.create_evaluation(acting_user=request.auth, org_unit=_unit(request.auth, payload.org_unit_id),
                                           year=payload.year, meeting_date=payload.meeting_date,
                                           location=payload.location, electors=electors)
    return Status(201, _evaluation(evaluation))


@router.get("/{evaluation_id}", response={200: EvaluationOut, **ERRORS})
def get_evaluation(request, evaluation_id: int):
    return _evaluation(get_evaluation_for_user(request.auth, evaluation_id))


@router.post("/{evaluation_id}/close", response={200: EvaluationOut, **ERRORS})
def close_evaluation(request, evaluation_id: int, payload: CloseIn):
    evaluation = get_evaluation_for_user(request.auth, evaluation_id)
    return _evaluation(actions.close_evaluation(acting_user=request.auth, evaluation=evaluation, **payload.dict()))


@router.post("/{evaluation_id}/publish", response={200: EvaluationOut, **ERRORS})
def publish_evaluation(request, evaluation_id: int):
    evaluation = get_evaluation_for_user(request.auth, evaluation_id)
    return _evaluation(actions.publish_evaluation(acting_user=request.auth, evaluation=evaluation))


@router.post("/follow-ups/{follow_up_id}/analysis", response={200: dict, **ERRORS})
def record_analysis(request, follow_up_id: int, payload: AnalysisIn):
    fu = actions.record_analysis(acting_user=request.auth, follow_up=get_follow_up_for_user(request.auth, follow_up_id),
                                 analysis=payload.analysis)
    return {"id": fu.pk, "status": fu.status, "analysis": fu.analysis}


@router.post("/follow-ups/{follow_up_id}/problem-file", response={201: dict, **ERRORS})
def refer(request, follow_up_id: int, payload: ReferIn):
    problem = actions.refer_to_problem_file(acting_user=request.auth,
                                            follow_up=get_follow_up_for_user(request.auth, follow_up_id), text=payload.text)
    return Status(201, {"problem_file_id": problem.pk})


@router.get("/public/results", response={200: list[dict]}, auth=None)
def public_results(request):
    """Per published evaluation: year, jurisdiction, ballots, satisfaction rate, 不了解 share,
    how many cadres were evaluated and flagged (no names), and the ballot file's address."""
    out = []
    for e in queries.published_evaluations():
        res = e.results
        out.append({"year": e.year, "org_unit": e.org_unit.name, "meeting_id": e.meeting_id,
                    "ballots": res.get("ballots", 0), "satisfaction_rate": res.get("satisfaction_rate"),
                    "unknown_share": res.get("unknown_share"), "cadres": len(res.get("cadres", {})),
                    "flagged": len(res.get("flagged", [])) if res.get("valid") else 0,
                    "ballots_file": f"/public/meetings/{e.meeting_id}/ballots.json"})
    return out
