"""/api/v1/assessment/: the same actions, permissions and scope as the pages."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from gongxin.people.permissions import get_cadre_for_user

from . import actions, permissions, queries, scoring, survey
from .models import (
    Accountability,
    AssessmentYear,
    DailyRecord,
    GradeDecision,
    IndicatorSystem,
    UnitScore,
)

router = Router(tags=["assessment"])


class AssessmentError(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: AssessmentError, 401: AssessmentError, 403: AssessmentError, 404: AssessmentError,
          409: AssessmentError, 422: AssessmentError}


class IndicatorIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=60)
    dimension: str
    weight: float = Field(gt=0, le=1)
    direction: str = "higher"
    floor: float = Field(ge=-1e12, le=1e12)
    target: float = Field(ge=-1e12, le=1e12)


class IndicatorSystemIn(Schema):
    category: str
    name: str = Field(max_length=100)
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=30)


class IndicatorOut(Schema):
    code: str
    name: str
    dimension: str
    weight: float
    direction: str
    floor: float
    target: float


class IndicatorSystemOut(Schema):
    id: int
    category: str
    version: int
    name: str
    frozen: bool
    indicators: list[IndicatorOut]


def _system(s: IndicatorSystem) -> dict:
    return {"id": s.pk, "category": s.category, "version": s.version, "name": s.name, "frozen": s.frozen,
            "indicators": [{"code": i.code, "name": i.name, "dimension": i.dimension, "weight": float(i.weight),
                            "direction": i.direction, "floor": i.floor, "target": i.target} for i in s.indicators.all()]}


@router.get("/systems", response={200: list[IndicatorSystemOut], **ERRORS})
def list_systems(request):
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    return [_system(s) for s in IndicatorSystem.objects.prefetch_related("indicators")]


@router.post("/systems", response={201: IndicatorSystemOut, **ERRORS})
def create_system(request, payload: IndicatorSystemIn):
    permissions.require(request.auth, permissions.can_configure(request.auth))
    system = actions.create_indicator_system(acting_user=request.auth, category=payload.category, name=payload.name,
                                             indicators=[i.dict() for i in payload.indicators])
    return Status(201, _system(system))


class AssessmentYearIn(Schema):
    year: int = Field(ge=2000, le=2100)


class AssessmentYearOut(Schema):
    year: int
    status: str
    public_weight: float
    systems: list[int]


def _year(y: AssessmentYear) -> dict:
    return {"year": y.year, "status": y.status, "public_weight": float(y.public_weight),
            "systems": [s.pk for s in y.systems.all()]}


@router.get("/years", response={200: list[AssessmentYearOut], **ERRORS})
def list_years(request):
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    return [_year(y) for y in AssessmentYear.objects.prefetch_related("systems")]


@router.post("/years", response={201: AssessmentYearOut, **ERRORS})
def open_year(request, payload: AssessmentYearIn):
    permissions.require(request.auth, permissions.can_configure(request.auth))
    return Status(201, _year(actions.open_year(acting_user=request.auth, year=payload.year)))


class UnitResultsIn(Schema):
    values: dict[str, float]


class UnitScoreOut(Schema):
    org_unit_id: int
    org_unit: str
    system_id: int
    raw: float
    coefficient: float
    adjusted: float
    public_score: float | None = None
    total: float
    rank: int
    peers: int
    previous_total: float | None = None


def _score(s: UnitScore) -> dict:
    return {"org_unit_id": s.org_unit_id, "org_unit": s.org_unit.name, "system_id": s.system_id, "raw": s.raw,
            "coefficient": s.coefficient, "adjusted": s.adjusted, "public_score": s.public_score, "total": s.total,
            "rank": s.rank, "peers": s.peers, "previous_total": s.previous_total}


@router.put("/years/{year}/units/{unit_id}/results", response={200: dict, **ERRORS})
def record_results(request, year: int, unit_id: int, payload: UnitResultsIn):
    record = permissions.get_year_for_user(request.auth, year)
    unit = permissions.get_unit_for_user(request.auth, unit_id)
    rows = actions.record_unit_results(acting_user=request.auth, year=record, org_unit=unit, values=payload.values)
    return {"saved": len(rows)}


@router.post("/years/{year}/scores", response={200: list[UnitScoreOut], **ERRORS})
def compute_scores(request, year: int):
    record = permissions.get_year_for_user(request.auth, year)
    actions.compute_scores(acting_user=request.auth, year=record)
    return list_scores(request, year)


@router.post("/years/{year}/close", response={200: AssessmentYearOut, **ERRORS})
def close_year(request, year: int):
    """The committee closes the year once every scored unit's grades are decided."""
    record = actions.close_year(acting_user=request.auth, year=permissions.get_year_for_user(request.auth, year))
    return _year(record)


class PublicItemOut(Schema):
    unit_id: int | None
    title: str
    counts: dict[str, int]
    valid: int
    blank: int
    invalid: int
    score: float | None = Field(None, description="mean option value over valued answers (不了解 left out)")


class PublicEvaluationOut(Schema):
    meeting_id: int | None
    meeting_status: str | None
    applied_at: dt.datetime | None
    items: list[PublicItemOut]


def _public(record: AssessmentYear) -> dict:
    meeting = record.public_meeting
    return {"meeting_id": meeting.pk if meeting else None, "meeting_status": meeting.status if meeting else None,
            "applied_at": record.public_applied_at,
            "items": [{**r, "unit_id": r["unit_id"]} for r in survey.unit_results(record)]}


@router.get("/years/{year}/public-evaluation", response={200: PublicEvaluationOut, **ERRORS})
def public_evaluation(request, year: int):
    """The public's evaluation (a rating meeting): its meeting and, once closed, each unit's counts and score."""
    return _public(permissions.get_year_for_user(request.auth, year))


@router.post("/years/{year}/public-evaluation", response={201: PublicEvaluationOut, **ERRORS})
def open_public_evaluation(request, year: int):
    """Create the survey meeting (one item per unit with results); run it through the meetings API."""
    record = permissions.get_year_for_user(request.auth, year)
    survey.open_public_evaluation(acting_user=request.auth, year=record)
    record.refresh_from_db()
    return Status(201, _public(record))


@router.post("/years/{year}/public-evaluation/apply", response={200: PublicEvaluationOut, **ERRORS})
def apply_public_evaluation(request, year: int):
    """Take the closed survey's scores into the year and compute the scores again."""
    record = permissions.get_year_for_user(request.auth, year)
    survey.apply_public_evaluation(acting_user=request.auth, year=record)
    record.refresh_from_db()
    return _public(record)


@router.get("/years/{year}/scores", response={200: list[UnitScoreOut], **ERRORS})
def list_scores(request, year: int):
    record = permissions.get_year_for_user(request.auth, year)
    units = permissions.units_for_user(request.auth)
    return [_score(s) for s in UnitScore.objects.filter(year=record, org_unit__in=units).select_related("org_unit")]


class BreakdownLineOut(Schema):
    code: str
    name: str
    value: float | None = None
    normalised: float
    weight: float
    contribution: float


class SensitivityRowOut(Schema):
    org_unit_id: int
    rank: int
    ranks: list[int]
    stable: bool


class BreakdownOut(Schema):
    lines: list[BreakdownLineOut]
    raw: float
    coefficient: float
    adjusted: float
    scenarios: list[str]
    sensitivity: list[SensitivityRowOut]


@router.get("/years/{year}/units/{unit_id}/breakdown", response={200: BreakdownOut, **ERRORS})
def breakdown(request, year: int, unit_id: int):
    record = permissions.get_year_for_user(request.auth, year)
    unit = permissions.get_unit_for_user(request.auth, unit_id)
    system = actions.system_for(record, unit)
    values = dict(record.results.filter(org_unit=unit).values_list("indicator__code", "value"))
    score = UnitScore.objects.filter(year=record, org_unit=unit).first()
    result = scoring.score(actions.core_indicators(system), values, coefficient=score.coefficient if score else 1.0)
    table = queries.sensitivity_table(record, system)
    return {"lines": [line.__dict__ for line in result.lines], "raw": result.raw, "coefficient": result.coefficient,
            "adjusted": result.adjusted,
            "scenarios": [f"{s['indicator']} {s['kind']}" for s in table["scenarios"]],
            "sensitivity": [{"org_unit_id": r["unit"].pk, "rank": r["rank"], "ranks": r["ranks"], "stable": r["stable"]}
                            for r in table["units"]]}


class ProposeIn(Schema):
    team_rating: str = "good"


class GradesIn(Schema):
    grades: dict[int, str]


class GradeOut(Schema):
    cadre_id: int
    cadre: str
    score: float | None = None
    proposed: str
    decided: str


def _grade(g: GradeDecision) -> dict:
    return {"cadre_id": g.cadre_id, "cadre": g.cadre.name, "score": g.score, "proposed": g.proposed, "decided": g.decided}


@router.post("/years/{year}/units/{unit_id}/grades/propose", response={200: list[GradeOut], **ERRORS})
def propose_grades(request, year: int, unit_id: int, payload: ProposeIn):
    record = permissions.get_year_for_user(request.auth, year)
    unit = permissions.get_unit_for_user(request.auth, unit_id)
    actions.propose_grades(acting_user=request.auth, year=record, org_unit=unit, team_rating=payload.team_rating)
    return [_grade(g) for g in GradeDecision.objects.filter(year=record, org_unit=unit).select_related("cadre")]


@router.post("/years/{year}/units/{unit_id}/grades/decide", response={200: list[GradeOut], **ERRORS})
def decide_grades(request, year: int, unit_id: int, payload: GradesIn):
    record = permissions.get_year_for_user(request.auth, year)
    unit = permissions.get_unit_for_user(request.auth, unit_id)
    return [_grade(g) for g in actions.decide_grades(acting_user=request.auth, year=record, org_unit=unit,
                                                     grades=payload.grades)]


class AccountabilityIn(Schema):
    cadre_id: int = Field(ge=1, le=2**63 - 1)
    facts: str = Field(min_length=1, max_length=4000)
    opened_on: dt.date | None = None


class AccountabilityDecisionIn(Schema):
    kind: str
    decision: str = Field(min_length=1, max_length=4000)
    decided_on: dt.date | None = None


class AccountabilityDismissIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


class AccountabilityOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    status: str
    opened_on: dt.date
    facts: str
    kind: str
    decision: str
    decided_on: dt.date | None = None
    bar_months: int | None = None


def _case(a: Accountability) -> dict:
    return {"id": a.pk, "cadre_id": a.cadre_id, "cadre": a.cadre.name, "status": a.status, "opened_on": a.opened_on,
            "facts": a.facts, "kind": a.kind, "decision": a.decision, "decided_on": a.decided_on,
            "bar_months": a.bar_months}


@router.get("/accountability", response={200: list[AccountabilityOut], **ERRORS})
def list_accountability(request):
    return [_case(a) for a in permissions.accountabilities_for_user(request.auth)[:500]]


@router.post("/accountability", response={201: AccountabilityOut, **ERRORS})
def open_accountability(request, payload: AccountabilityIn):
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    cadre = get_cadre_for_user(request.auth, payload.cadre_id)
    case = actions.open_accountability(acting_user=request.auth, cadre=cadre, facts=payload.facts,
                                       opened_on=payload.opened_on)
    return Status(201, _case(case))


@router.post("/accountability/{case_id}/decide", response={200: AccountabilityOut, **ERRORS})
def decide_accountability(request, case_id: int, payload: AccountabilityDecisionIn):
    case = permissions.get_accountability_for_user(request.auth, case_id)
    return _case(actions.decide_accountability(acting_user=request.auth, case=case, **payload.dict()))


@router.post("/accountability/{case_id}/dismiss", response={200: AccountabilityOut, **ERRORS})
def dismiss_accountability(request, case_id: int, payload: AccountabilityDismissIn):
    case = permissions.get_accountability_for_user(request.auth, case_id)
    return _case(actions.dismiss_accountability(acting_user=request.auth, case=case, reason=payload.reason))


class DailyRecordIn(Schema):
    recorded_on: dt.date
    category: str
    text: str = Field(min_length=1, max_length=2000)


class DailyRecordOut(Schema):
    id: int
    recorded_on: dt.date
    category: str
    text: str


@router.get("/cadres/{cadre_id}/daily-records", response={200: list[DailyRecordOut], **ERRORS})
def list_daily_records(request, cadre_id: int):
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    cadre = get_cadre_for_user(request.auth, cadre_id)
    return [{"id": r.pk, "recorded_on": r.recorded_on, "category": r.category, "text": r.text}
            for r in DailyRecord.objects.filter(cadre=cadre)[:500]]


@router.post("/cadres/{cadre_id}/daily-records", response={201: DailyRecordOut, **ERRORS})
def add_daily_record(request, cadre_id: int, payload: DailyRecordIn):
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    cadre = get_cadre_for_user(request.auth, cadre_id)
    r = actions.add_daily_record(acting_user=request.auth, cadre=cadre, **payload.dict())
    return Status(201, {"id": r.pk, "recorded_on": r.recorded_on, "category": r.category, "text": r.text})


class AHPIn(Schema):
    matrix: list[list[float]] = Field(min_length=1, max_length=10)


class AHPOut(Schema):
    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


@router.post("/ahp", response={200: AHPOut, **ERRORS})
def ahp_weights(request, payload: AHPIn):
    """Weights from a pairwise-comparison matrix; refused when the consistency ratio passes 0.1."""
    permissions.require(request.auth, permissions.can_manage_assessment(request.auth))
    return actions.ahp_weights(payload.matrix).__dict__
